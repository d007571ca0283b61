// Syntax trees → checked program: imports, names, kinds, arities, argument kinds, range
// restriction; then lowering into engine::Program. Every problem becomes a Diagnostic.
#pragma once

#include "ast.hpp"
#include "diagnostic.hpp"
#include "source.hpp"

#include "engine/program.hpp"
#include "engine/symbols.hpp"

#include <deque>
#include <filesystem>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace charter::lang {

/// Where imports and data files may be read from (§2): canonical directories.
struct PathPolicy {
    std::vector<std::filesystem::path> allowed_roots;
    /// The canonical path of `target` if it lies under an allowed root, else "".
    [[nodiscard]] std::filesystem::path admit(const std::filesystem::path& target) const;
};

struct ParsedFile {
    SourceId source = no_source;
    ast::File ast;
};

/// Reads and parses `root`'s file and, transitively, every file it imports (`import std`
/// brings the embedded stdlib). Files already in `files` are not read again.
void parse_with_imports(SourceManager& sources, SourceId root, const PathPolicy& policy,
                        std::vector<ParsedFile>& files, Diagnostics& diagnostics);

/// Reads a file into the source manager (or finds it there); diagnostics at `where` on failure.
SourceId read_source(SourceManager& sources, const std::filesystem::path& canonical,
                     std::string shown_name, Span where, Diagnostics& diagnostics);

/// What is known of a declared entity. `kind` refers into its EntityTable.
struct EntityInfo {
    const std::string& kind;
    Span declared;
};

/// The declared entities by name, with a map's interface. Found by hashing (open addressing),
/// so that a data file declaring millions of entities costs no tree walk and no allocation
/// per entity; a kind is stored once per table, not once per entity. Iterated in name order
/// (listings, completion, did-you-mean) through an order sorted on first need after inserts.
/// One table is not safe to read from two threads (it is part of one Session).
class EntityTable {
public:
    using value_type = std::pair<const std::string&, EntityInfo>;
    class iterator {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = EntityTable::value_type;
        using difference_type = std::ptrdiff_t;
        using reference = value_type;
        struct pointer {
            value_type pair;
            const value_type* operator->() const { return &pair; }
        };
        iterator() = default;
        reference operator*() const { return table_->at_index(entry_); }
        pointer operator->() const { return {**this}; }
        iterator& operator++();  // only on an iterator from begin() or lower_bound()
        iterator operator++(int) {
            iterator old = *this;
            ++*this;
            return old;
        }
        bool operator==(const iterator& other) const { return entry_ == other.entry_; }

    private:
        friend class EntityTable;
        iterator(const EntityTable* table, std::uint32_t entry, std::size_t position)
            : table_(table), entry_(entry), position_(position) {}
        const EntityTable* table_ = nullptr;
        std::uint32_t entry_ = npos;
        std::size_t position_ = 0;  // in the name order
    };
    using const_iterator = iterator;

    /// Declares `name`; if it is declared already, its iterator and false.
    std::pair<iterator, bool> emplace(std::string_view name, std::string_view kind, Span declared);
    /// Declares a name known not to be declared (not even interned: see Resolver::declare_new_entity).
    void emplace_new(std::string_view name, std::string_view kind, Span declared);
    [[nodiscard]] bool contains(std::string_view name) const { return index_of(name) != npos; }
    [[nodiscard]] iterator find(std::string_view name) const;
    /// Throws std::out_of_range when `name` is not declared.
    [[nodiscard]] EntityInfo at(std::string_view name) const;
    std::size_t erase(std::string_view name);
    [[nodiscard]] iterator begin() const;
    [[nodiscard]] iterator end() const { return {this, npos, 0}; }
    /// The first entity whose name is not less than `name`.
    [[nodiscard]] iterator lower_bound(std::string_view name) const;
    [[nodiscard]] std::size_t size() const { return order_.size(); }
    [[nodiscard]] bool empty() const { return order_.empty(); }

private:
    static constexpr std::uint32_t npos = UINT32_MAX;
    struct Entry {
        std::string name;
        std::uint32_t kind = 0;  // into kinds_; npos once erased
        Span declared;
    };
    std::deque<Entry> entries_;      // in declaration order; a deque: no copying as it grows
    std::deque<std::string> kinds_;  // a deque: EntityInfo::kind stays valid
    // name → entries_ index, for the first `indexed_` entries: emplace_new only appends (a data
    // file declaring a million entities would otherwise wait for memory at each one's random
    // slot), and the first lookup by name adds the rest in one pass (catch_up).
    mutable engine::NameIndex index_;
    mutable std::size_t indexed_ = 0;
    // Live entries_ indices; the first `sorted_` in name order, the rest in declaration order.
    mutable std::vector<std::uint32_t> order_;
    mutable std::size_t sorted_ = 0;

    [[nodiscard]] std::uint32_t index_of(std::string_view name) const;
    void catch_up() const;  // indexes the entries emplace_new appended since the last lookup
    [[nodiscard]] value_type at_index(std::uint32_t entry) const {
        const Entry& e = entries_[entry];
        return {e.name, EntityInfo{kinds_[e.kind], e.declared}};
    }
    void sort() const;  // merges the unsorted tail of order_ into the sorted part
};
struct KindInfo {
    std::string super;  // "" for a root kind
    Span declared;
};
struct StepInfo {
    std::string name;
    std::string action;  // "" when the step has none
    ast::Performer performer;
};
struct FlowInfo {
    std::vector<StepInfo> steps;
    Span declared;
};
struct CaseInfo {
    bool has_flow = false;  // a `flow` statement, even one naming no flow
    std::string flow;   // "" for a topic case
    std::string at;     // a step name (flow case) or a body (topic case)
    std::string owner;
    std::string topic;
    Span declared;
};

/// What the resolver learned about names, kept for queries typed later and for completion.
struct NameTables {
    std::unordered_map<std::string, engine::RelationId> relations;
    EntityTable entities;
    std::map<std::string, KindInfo> kinds;
    std::map<std::string, FlowInfo> flows;
    std::map<std::string, CaseInfo> cases;
    std::set<std::string> check_names;
    std::vector<std::string> query_texts;        // per Program::queries, as written
    struct QuestionStatement {
        std::string text;
        Span span;
    };
    std::vector<QuestionStatement> questions;    // `who approves …` etc. in files, as written
    std::vector<std::string> expectation_texts;  // per Program::expectations, as written
    std::vector<std::vector<engine::Literal>> check_subjects;  // per check: `subjects` literals
    std::vector<std::vector<engine::VarId>> check_subject_vars;
    std::vector<std::uint32_t> check_subject_var_counts;
    std::vector<std::vector<engine::Term>> check_columns;  // per check: the violation's variables

    [[nodiscard]] bool is_subkind(std::string_view kind, std::string_view ancestor) const;
};

struct Model {
    engine::Program program;
    NameTables names;
};

/// Resolves and lowers every parsed file into one program.
Model resolve(SourceManager& sources, const std::vector<ParsedFile>& files,
              const PathPolicy& policy, engine::Symbols& symbols, Diagnostics& diagnostics);

/// Lowers a query typed later (REPL, API, -e) against a resolved model. May add derived
/// relations (closures such as `r+`) to the model's program; the caller re-evaluates then.
bool lower_query(Model& model, engine::Symbols& symbols, const SourceManager& sources,
                 const std::vector<ast::Literal>& body, Span where, engine::Query& out,
                 Diagnostics& diagnostics);

/// Every declared name of the given namespace at the smallest edit distance from `name`
/// (at most 2, in code points; æ ø å also match ae o aa), `preferred` names first.
std::vector<std::string> suggest(std::string_view name, const std::vector<std::string>& candidates,
                                 const std::vector<std::string>& preferred = {});
/// "did you mean `A`?" / "did you mean `A` or `B`?", or "" when there is nothing close.
std::string did_you_mean(const std::vector<std::string>& suggestions);

}  // namespace charter::lang
