// The state behind charter::Session: sources, the resolved model, the evaluated database and
// hypothetical changes. Private to the library; the pieces of the session's work live in
// session.cpp (loading and evaluating), session_answers.cpp (queries, checks, tests) and
// governance/ (the built-in questions).
#pragma once

#include <charter/charter.hpp>

#include "engine/database.hpp"
#include "engine/evaluate.hpp"
#include "lang/diagnostic.hpp"
#include "lang/resolve.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <optional>

namespace charter {

/// Runs an API call: nothing escapes it, an unexpected exception becomes a diagnostic.
template <typename F>
auto guarded(F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const std::bad_alloc&) {
        decltype(f()) r;
        r.diagnostics.push_back({Severity::error, "", 0, 0, 0, "out of memory", "", "", {}});
        return r;
    } catch (const std::exception& e) {
        decltype(f()) r;
        r.diagnostics.push_back({Severity::error, "", 0, 0, 0, fmt::format("internal error: {}", e.what()), "", "", {}});
        return r;
    }
}

/// An entity as a query writes it: plain when it is an identifier (§1, dotted or not), else
/// between backticks (session_explain.cpp).
std::string written_name(std::string_view id);

struct Session::Impl {
    explicit Impl(Options o) : options(std::move(o)) {}

    Options options;
    lang::SourceManager sources;
    std::vector<std::filesystem::path> root_files;   // canonical, in load order
    std::vector<lang::SourceId> roots;               // loaded files and strings, in order
    std::vector<lang::ParsedFile> parsed;            // roots and everything they import
    engine::Symbols symbols;
    lang::Model model;
    engine::Stratification strata;
    engine::Walkable walkable;                       // closures queries may walk
    engine::Database database;
    std::vector<lang::Diagnostic> warnings;          // of the last successful build

    struct Assumption {
        bool add = true;
        lang::SourceId source = lang::no_source;      // the fact, as a parsed source
        engine::RelationId relation = 0;             // remove: the fact to drop
        std::vector<engine::Value> tuple;
    };
    std::vector<Assumption> assumptions;
    std::atomic<bool> cancel{false};

    // session_assume.cpp: assumptions applied incrementally. `baseline` is the session as it
    // was before the first assumption (null without assumptions, or once the model itself
    // changed), so that :diff compares with it and :reset returns to it without evaluating;
    // `assumed` marks the relations an assumption may have changed (the others are equal).
    std::unique_ptr<Impl> baseline;
    std::vector<char> assumed;
    /// A copy of everything but the baseline (stores cloned, indexes included).
    [[nodiscard]] std::unique_ptr<Impl> snapshot() const;
    /// Adds or drops the assumption's stated fact and evaluates again what derives from it.
    bool apply_assumption(const Assumption& a, lang::Span where, lang::Diagnostics& diagnostics);
    /// Drops every stated fact `tuple` of `relation` from the resolved program.
    void remove_stated(engine::RelationId relation, const std::vector<engine::Value>& tuple);

    // session.cpp
    [[nodiscard]] lang::PathPolicy policy() const;
    [[nodiscard]] engine::Limits limits() const;
    /// Adds `source` as a root, parses it and what it imports, and rebuilds. On an error the
    /// session is left as it was before the call.
    Status add_roots(const std::vector<lang::SourceId>& sources, lang::Diagnostics& diagnostics);
    /// Resolves every parsed file, applies the assumptions, stratifies and evaluates.
    bool rebuild(lang::Diagnostics& diagnostics);
    /// Stratifies the model and evaluates it (all of it, or with Options::evaluate_on_load off
    /// only its stated facts).
    bool evaluate(lang::Diagnostics& diagnostics);
    /// After lowering a question added relations and rules (a closure named for the first
    /// time): stratifies again and keeps what is evaluated; the new strata run when needed.
    bool extend(lang::Diagnostics& diagnostics);
    /// Evaluates what `query` reads that is not evaluated yet.
    bool evaluate_for(const engine::Query& query, lang::Diagnostics& diagnostics);
    /// Evaluates everything not evaluated yet: checks, tests, explanations, diffs and drawings
    /// read the whole database.
    bool complete(lang::Diagnostics& diagnostics);
    /// Per relation, 1 + the number of stated facts that evaluate() moved from the program into
    /// the store's first rows (Options::evaluate_on_load off), or 0; empty when none moved.
    std::vector<std::uint32_t> facts_in_stores;
    /// Puts the moved facts back into the program: before anything reads Program::facts.
    void restore_facts();
    Status finish(lang::Diagnostics& diagnostics);
    [[nodiscard]] Diagnostic convert(const lang::Diagnostic& d) const;
    [[nodiscard]] Location locate(engine::LocationId id) const;
    [[nodiscard]] lang::Span span_of(engine::LocationId id) const;
    void add_problems(const std::vector<engine::Problem>& problems, lang::Diagnostics& diagnostics) const;

    // session_answers.cpp
    Result<Table> answer(const engine::Query& query);
    [[nodiscard]] Cell cell(engine::Value v) const;
    void sort_rows(Table& table) const;
    [[nodiscard]] std::string show(engine::Value v) const;  // the label if any, else the id
    Result<std::vector<Violation>> violations();
    /// Parses `text` (one statement) as a new source and returns the statement, if any.
    std::optional<lang::ast::Statement> parse_one(std::string_view text, std::string_view name,
                                                  lang::Diagnostics& diagnostics);
    Result<Table> run_question(const lang::ast::Question& question, lang::Span where);

    // session_proposal.cpp: a proposal (`amends "model.charter"`, `remove`, `rename`, §9) loaded as the
    // session's model.
    struct Proposal {
        lang::SourceId source = lang::no_source;    // the proposal file
        lang::SourceId amended = lang::no_source;   // the model it amends
        std::vector<lang::ast::Statement> removals; // its `remove` statements, in order
        std::vector<std::pair<std::string, std::string>> renames;  // old → new identifier, in order
    };
    std::optional<Proposal> proposal;
    /// Drops the facts the proposal's `remove` statements name from the resolved program (and
    /// removed entities from the name tables). A no-op without a proposal.
    bool apply_proposal(lang::Diagnostics& diagnostics);
    /// The relation `r+` of a binary relation, created (and evaluated) if no query made it yet.
    std::optional<engine::RelationId> closure_of(const std::string& relation, lang::Diagnostics& diagnostics);
};

}  // namespace charter
