// The checked, name-free program the engine evaluates: relations by id, stated facts as
// tuples, rules over numbered variables, checks, queries and expectations. lang/ lowers the
// syntax tree into this; engine/ never sees syntax.
#pragma once

#include "mapped_vector.hpp"
#include "value.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace charter::engine {

using RelationId = std::uint32_t;
using VarId = std::uint32_t;
/// Index into Program::locations. 0 is "no location". Ids grow in source order (files in load
/// order, statements in text order), so the larger id is the statement stated later.
using LocationId = std::uint32_t;

/// A place in the source, opaque to the engine (lang::Span with the same fields).
struct Location {
    std::uint32_t source = UINT32_MAX;
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
};

struct ParamType {
    enum class Kind { any, string, integer, entity };
    Kind kind = Kind::any;
    Value entity_kind;  // for Kind::entity: the kind's name as an entity value
};

struct RelationInfo {
    std::string name;
    std::vector<std::string> parameters;
    std::vector<ParamType> types;
    std::vector<std::optional<Value>> defaults;
    std::string doc;
    LocationId declared_at = 0;
    bool implicit = false;  // declared by a rule head, not by `relation`
    [[nodiscard]] std::size_t arity() const { return parameters.size(); }
};

struct Term {
    enum class Kind { variable, constant };
    Kind kind = Kind::constant;
    VarId var = 0;
    Value constant;

    static Term variable(VarId v) { return {Kind::variable, v, {}}; }
    static Term of(Value c) { return {Kind::constant, 0, c}; }
    [[nodiscard]] bool is_variable() const { return kind == Kind::variable; }
};

/// An integer expression: a term, or `left op right`.
struct Expr {
    enum class Kind { term, add, subtract, multiply };
    Kind kind = Kind::term;
    Term term;
    std::vector<Expr> operands;  // two, unless kind == term
};

enum class CompareOp { eq, ne, lt, le, gt, ge };
enum class AggregateFunction { count, sum, min, max };

struct Literal {
    enum class Kind {
        atom,       // relation(args)
        negation,   // not relation(args): all its variables bound before it runs
        compare,    // left op right; `?x = expr` with ?x unbound binds ?x
        aggregate,  // result = function(over : body)
        is_entity,  // var holds an entity (used by check subject rules)
    };
    Kind kind = Kind::atom;

    // atom, negation
    RelationId relation = 0;
    std::vector<Term> args;

    // compare
    CompareOp op = CompareOp::eq;
    Expr left;
    Expr right;

    // aggregate: `result` may already be bound (then it is compared). `group` are the variables
    // the aggregate shares with the rest of the rule: bound before it runs, computed once per
    // binding. `over` are the listed variables: distinct bindings of them are counted; sum,
    // min and max read the first of them. Other variables of `body` are local to it.
    AggregateFunction function = AggregateFunction::count;
    VarId result = 0;
    std::vector<VarId> over;
    std::vector<VarId> group;
    std::vector<Literal> body;

    // is_entity
    VarId var = 0;

    static Literal positive(RelationId r, std::vector<Term> arguments) {
        Literal l;
        l.relation = r;
        l.args = std::move(arguments);
        return l;
    }
    static Literal entity_test(VarId v) {
        Literal l;
        l.kind = Kind::is_entity;
        l.var = v;
        return l;
    }
};

struct Rule {
    RelationId head = 0;
    std::vector<Term> head_args;
    std::vector<Literal> body;
    std::uint32_t var_count = 0;
    std::vector<std::string> var_names;  // for explanations; "" for anonymous
    LocationId location = 0;
    /// A derived tuple rests on its premises' latest statement, except for a check's
    /// violations: those rest on the tuple its first positive atom matched (§7: the seat
    /// rule for `seats`, the edge stated last for a cycle).
    bool located_by_first_premise = false;
};

/// Facts stated in the source (and loaded from files) for one relation, row-major.
struct StatedFacts {
    MappedVector<Value> values;          // arity values per fact
    MappedVector<LocationId> locations;  // one per fact
};

/// A conjunctive query. `columns` are the named variables in order of first appearance.
struct Query {
    std::vector<Literal> body;
    std::uint32_t var_count = 0;
    std::vector<std::string> var_names;
    std::vector<VarId> columns;
    LocationId location = 0;
};

/// `check c { violation …; message "…" }`. Its violations are the tuples of `violations`, a
/// relation whose columns are the check's named variables in order of first appearance; the
/// check relation `relation` (c(subject)) holds each entity among them.
struct Check {
    std::string name;
    std::string doc;
    bool warning = false;
    RelationId violations = 0;
    RelationId relation = 0;
    std::vector<std::string> var_names;
    std::string message;  // with `{?var}` placeholders
    LocationId location = 0;
};

struct Expectation {
    enum class Form { holds, none, violation, no_violations };
    Form form = Form::holds;
    Query query;               // holds, none
    std::string check;         // violation
    std::optional<Value> on;   // violation … on X
    LocationId location = 0;
};

struct Program {
    std::vector<RelationInfo> relations;
    std::vector<StatedFacts> facts;  // indexed by RelationId
    std::vector<Rule> rules;
    std::vector<Check> checks;
    std::vector<Query> queries;      // `?` statements in files, answered and printed
    std::vector<Expectation> expectations;
    /// Statements' locations; location_ids[i] is the LocationId of locations[i] (increasing;
    /// [0] is id 0, "no location"). Use add_location and place().
    std::vector<Location> locations{Location{}};
    std::vector<LocationId> location_ids{0};
    /// Rows of data files, located by line: a block's ids first … first + lines - 1 stand for
    /// lines 1 … lines of `source`, so a million rows need no Location each.
    struct LineBlock {
        LocationId first = 0;
        std::uint32_t source = 0;
        std::uint32_t lines = 0;
    };
    std::vector<LineBlock> line_blocks;
    LocationId next_location = 1;

    LocationId add_location(Location where) {
        locations.push_back(where);
        location_ids.push_back(next_location);
        return next_location++;
    }
    /// Ids for the `lines` lines of a data file; returns line 1's.
    LocationId add_lines(std::uint32_t source, std::uint32_t lines) {
        line_blocks.push_back({next_location, source, lines});
        const LocationId first = next_location;
        next_location += lines;
        return first;
    }
    /// Where a location id points: a statement's Location, or (line != 0) a line of a source.
    struct Place {
        Location location;
        std::uint32_t line = 0;
    };
    [[nodiscard]] Place place(LocationId id) const {
        auto block = std::upper_bound(line_blocks.begin(), line_blocks.end(), id,
                                      [](LocationId i, const LineBlock& b) { return i < b.first; });
        if (block != line_blocks.begin() && id - std::prev(block)->first < std::prev(block)->lines) {
            const LineBlock& b = *std::prev(block);
            return {{b.source, 0, 0}, id - b.first + 1};
        }
        auto at = std::lower_bound(location_ids.begin(), location_ids.end(), id);
        if (id == 0 || at == location_ids.end() || *at != id) return {};
        return {locations[static_cast<std::size_t>(at - location_ids.begin())], 0};
    }
    /// (r+, r) for each transitive closure the resolver made (its two rules are in `rules`):
    /// evaluation may answer r+ by walking r's graph instead of deriving it (closure_walk.hpp).
    std::vector<std::pair<RelationId, RelationId>> closures;

    // Built-in relations, always present with these ids (§3).
    static constexpr RelationId kind_relation = 0;     // kind(e, k): every kind e belongs to
    static constexpr RelationId label_relation = 1;    // label(e, s)
    static constexpr RelationId tag_relation = 2;      // tag(e, t)
    static constexpr RelationId part_of_relation = 3;  // part_of(child, parent)
};

}  // namespace charter::engine
