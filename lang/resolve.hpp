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
#include <optional>
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

/// The declared entities: per entity value, by its index (engine::Symbols interns every
/// declared name), its kind and where it was declared, 16 bytes an entity. The names are
/// Symbols' own: a data file declaring millions of entities adds no second copy of them and no
/// second hash table. Reading by name goes through the session's Symbols (in()), passed by
/// the reader rather than kept, since a table is copied with its model (assumptions, proposals)
/// and the copy belongs with the copied Symbols. Listed in name order through an order sorted
/// on first need after declarations. One table is not safe to read from two threads.
class EntityTable {
public:
    class View;
    /// Declares `entity` of `kind`; false, and nothing changes, if it is declared already.
    bool declare(engine::Value entity, std::string_view kind, Span declared);
    [[nodiscard]] bool declared(engine::Value entity) const {
        return entity.is_entity() && entity.index() < entries_.size() && entries_[entity.index()].kind != npos;
    }
    /// Its kind and declaration, if `entity` is declared.
    [[nodiscard]] std::optional<EntityInfo> info(engine::Value entity) const {
        if (!declared(entity)) return std::nullopt;
        const Entry& e = entries_[entity.index()];
        return EntityInfo{kinds_[e.kind], e.declared};
    }
    /// Forgets a declaration; false if `entity` was not declared.
    bool erase(engine::Value entity);
    [[nodiscard]] std::size_t size() const { return order_.size(); }
    [[nodiscard]] bool empty() const { return order_.empty(); }
    /// The table by name, read through `symbols`, the Symbols that interned its entities.
    [[nodiscard]] View in(const engine::Symbols& symbols) const;

private:
    static constexpr std::uint32_t npos = UINT32_MAX;
    struct Entry {
        std::uint32_t kind = npos;  // into kinds_; npos: not declared
        Span declared;
    };
    engine::MappedVector<Entry> entries_;  // by entity index
    std::deque<std::string> kinds_;          // a deque: EntityInfo::kind stays valid
    // The declared entities' indexes; the first `sorted_` in name order, the rest in
    // declaration order.
    mutable engine::MappedVector<std::uint32_t> order_;
    mutable std::size_t sorted_ = 0;
    void sort(const engine::Symbols& symbols) const;  // merges the unsorted tail of order_ in
};

/// An EntityTable read by name, with a map's interface: valid while the table and the Symbols
/// live and the table does not change. Its iterators stay valid after the view is gone.
class EntityTable::View {
public:
    using value_type = std::pair<std::string_view, EntityInfo>;
    class iterator {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = View::value_type;
        using difference_type = std::ptrdiff_t;
        using reference = value_type;
        struct pointer {
            value_type pair;
            const value_type* operator->() const { return &pair; }
        };
        iterator() = default;
        reference operator*() const {
            return {symbols_->entity_name(engine::Value::make(engine::ValueTag::entity, entry_)),
                    *table_->info(engine::Value::make(engine::ValueTag::entity, entry_))};
        }
        pointer operator->() const { return {**this}; }
        iterator& operator++();  // only on an iterator from begin() or lower_bound()
        iterator operator++(int) {
            iterator old = *this;
            ++*this;
            return old;
        }
        bool operator==(const iterator& other) const { return entry_ == other.entry_; }

    private:
        friend class View;
        iterator(const EntityTable* table, const engine::Symbols* symbols, std::uint32_t entry, std::size_t position)
            : table_(table), symbols_(symbols), entry_(entry), position_(position) {}
        const EntityTable* table_ = nullptr;
        const engine::Symbols* symbols_ = nullptr;
        std::uint32_t entry_ = npos;  // the entity's index
        std::size_t position_ = 0;    // in the name order
    };
    using const_iterator = iterator;

    View(const EntityTable& table, const engine::Symbols& symbols) : table_(table), symbols_(symbols) {}
    [[nodiscard]] bool contains(std::string_view name) const { return table_.declared(symbols_.find_entity(name)); }
    [[nodiscard]] iterator find(std::string_view name) const;
    /// Throws std::out_of_range when `name` is not declared.
    [[nodiscard]] EntityInfo at(std::string_view name) const;
    [[nodiscard]] iterator begin() const;
    [[nodiscard]] iterator end() const { return {&table_, &symbols_, npos, 0}; }
    /// The first entity whose name is not less than `name`.
    [[nodiscard]] iterator lower_bound(std::string_view name) const;
    [[nodiscard]] std::size_t size() const { return table_.size(); }
    [[nodiscard]] bool empty() const { return table_.empty(); }

private:
    const EntityTable& table_;
    const engine::Symbols& symbols_;
};

inline EntityTable::View EntityTable::in(const engine::Symbols& symbols) const { return {*this, symbols}; }

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
