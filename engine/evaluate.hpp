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

/// Answers a query: one row per distinct binding of `query.columns`, unsorted.
std::vector<std::vector<Value>> run_query(const Database& database, const Query& query,
                                          Symbols& symbols, const Limits& limits,
                                          std::vector<Problem>& problems);

}  // namespace charter::engine
