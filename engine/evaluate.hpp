// Bottom-up evaluation: stated facts, then rules stratum by stratum, semi-naive within a
// stratum; and conjunctive queries over the result.
#pragma once

#include "database.hpp"
#include "limits.hpp"
#include "program.hpp"
#include "symbols.hpp"

#include <string>
#include <vector>

namespace charter::engine {

/// A problem the engine found: a limit, an arithmetic overflow, a bad cycle.
struct Problem {
    std::string message;
    LocationId location = 0;
    std::string hint;
};

struct Stratification {
    std::vector<std::vector<RelationId>> strata;   // in evaluation order
    /// Each cycle of relations that goes through a negation or an aggregate: the relations
    /// in the cycle, starting from the smallest id, each followed by the one it depends on.
    std::vector<std::vector<RelationId>> bad_cycles;
    std::vector<LocationId> bad_cycle_locations;   // a rule in each bad cycle
};

Stratification stratify(const Program& program);

/// One dependency between relations: a rule for `head` reads `body`, through a negation or an
/// aggregate when `through_negation`; `location` is the rule's.
struct DependencyEdge {
    RelationId body = 0;
    RelationId head = 0;
    bool through_negation = false;
    LocationId location = 0;
};

/// The dependency edges of `program`'s rules, in rule order (stratify's input graph).
std::vector<DependencyEdge> dependency_edges(const Program& program);

/// Stratifies relations 0 … relation_count-1 connected by `edges` (what stratify(Program) does
/// after collecting the edges).
Stratification stratify(std::size_t relation_count, const std::vector<DependencyEdge>& edges);

/// Evaluates `program` to its fixpoint. On a limit or an error, returns what was derived so far
/// and adds the problem to `problems`.
Database evaluate(const Program& program, const Stratification& strata, Symbols& symbols,
                  const Limits& limits, std::vector<Problem>& problems);

/// Per relation, the relation whose transitive closure it is when evaluation may answer it by
/// walking that relation's graph (closure_walk.hpp) instead of deriving it, else no_relation:
/// every r+ of Program::closures whose r does not itself depend on r+.
inline constexpr RelationId no_relation = UINT32_MAX;
using Walkable = std::vector<RelationId>;
Walkable walkable_closures(const Program& program, const Stratification& strata);

/// The stated facts of one relation as a store (no rule run yet: the start of evaluate_for).
Store stated_store(const Program& program, RelationId relation);

/// Per relation, whether it is one of `changed` or derived from one of them through the rules:
/// what a change to the stated facts of `changed` may change.
std::vector<char> dependents(const Program& program, const std::vector<RelationId>& changed);

/// Goal-directed evaluation: runs the strata (not yet run in `database`) that `relations`
/// depend on. With `walkable`, rules answer walkable closures by walks rather than deriving
/// them (and the database is then `walked`). Afterwards `relations` are complete.
void evaluate_for(const Program& program, const Stratification& strata, const Walkable* walkable,
                  const std::vector<RelationId>& relations, Database& database, Symbols& symbols,
                  const Limits& limits, std::vector<Problem>& problems);

/// Runs every stratum not yet run in `database`, deriving closures (no walks): the database is
/// then what evaluate() makes, if it was not `walked`.
void evaluate_rest(const Program& program, const Stratification& strata, Database& database,
                   Symbols& symbols, const Limits& limits, std::vector<Problem>& problems);

/// The relations a query reads (its atoms and negations, aggregates' bodies included).
std::vector<RelationId> query_relations(const Query& query);

/// Answers a query: one row per distinct binding of `query.columns`, unsorted. With `walkable`,
/// its closure atoms with a bound argument are walked (cheaper than an index of the whole r+),
/// and those in `walkable` need not be in the database at all.
std::vector<std::vector<Value>> run_query(const Database& database, const Query& query,
                                          Symbols& symbols, const Limits& limits,
                                          std::vector<Problem>& problems,
                                          const Walkable* walkable = nullptr);

}  // namespace charter::engine
