// Syntax trees → checked program: imports, names, kinds, arities, argument kinds, range
// restriction; then lowering into engine::Program. Every problem becomes a Diagnostic.
#pragma once

#include "ast.hpp"
#include "diagnostic.hpp"
#include "source.hpp"

#include "engine/program.hpp"
#include "engine/symbols.hpp"

#include <filesystem>
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

struct EntityInfo {
    std::string kind;
    Span declared;
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
    std::map<std::string, EntityInfo> entities;
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
