// Evaluation: facts, joins, recursion (semi-naive), negation, comparisons, arithmetic,
// derived-tuple locations, limits and queries, on programs built by hand.
#include "engine/evaluate.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

using namespace charter::engine;

namespace {

Term v(VarId id) { return Term::variable(id); }
Term c(Value value) { return Term::of(value); }

Expr ex(Term t) { return Expr{Expr::Kind::term, t, {}}; }
Expr ex(Expr::Kind kind, Expr a, Expr b) {
    Expr e{kind, {}, {}};
    e.operands.reserve(2);  // not an initializer list: that would copy the operands
    e.operands.push_back(std::move(a));
    e.operands.push_back(std::move(b));
    return e;
}

Literal atom(RelationId r, std::vector<Term> args) {
    Literal l;
    l.kind = Literal::Kind::atom;
    l.relation = r;
    l.args = std::move(args);
    return l;
}
Literal negation(RelationId r, std::vector<Term> args) {
    Literal l = atom(r, std::move(args));
    l.kind = Literal::Kind::negation;
    return l;
}
Literal compare(Expr left, CompareOp op, Expr right) {
    Literal l;
    l.kind = Literal::Kind::compare;
    l.left = std::move(left);
    l.op = op;
    l.right = std::move(right);
    return l;
}

struct RowLess {
    bool operator()(const std::vector<Value>& a, const std::vector<Value>& b) const {
        return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                            [](Value x, Value y) { return x.bits < y.bits; });
    }
};
using Rows = std::set<std::vector<Value>, RowLess>;

/// A program under construction, with the four built-in relations.
struct Model {
    Symbols symbols;
    Program program;
    Stratification strata;
    std::vector<Problem> problems;
    Database database;

    Model() {
        for (const char* name : {"kind", "label", "tag", "part_of"}) relation(name, 2);
    }
    RelationId relation(const std::string& name, std::size_t arity) {
        RelationInfo info;
        info.name = name;
        for (std::size_t i = 0; i < arity; ++i) info.parameters.push_back("p" + std::to_string(i));
        info.types.resize(arity);
        info.defaults.resize(arity);
        program.relations.push_back(info);
        program.facts.emplace_back();
        return static_cast<RelationId>(program.relations.size() - 1);
    }
    LocationId location() {
        auto n = static_cast<std::uint32_t>(program.locations.size());
        return program.add_location({0, n, n + 1});
    }
    Value e(const std::string& name) { return symbols.entity(name); }
    Value i(std::int64_t n) { return symbols.integer(n); }
    Value s(const std::string& text) { return symbols.string(text); }

    LocationId fact(RelationId r, const std::vector<Value>& values) {
        LocationId at = location();
        auto& f = program.facts[r];
        f.values.insert(f.values.end(), values.begin(), values.end());
        f.locations.push_back(at);
        return at;
    }
    LocationId rule(RelationId head, std::vector<Term> args, std::vector<Literal> body,
                    std::uint32_t var_count = 10) {
        Rule r;
        r.head = head;
        r.head_args = std::move(args);
        r.body = std::move(body);
        r.var_count = var_count;
        r.location = location();
        program.rules.push_back(std::move(r));
        return program.rules.back().location;
    }
    /// Transitive closure rules: closure(a, c) :- edge(a, c); closure(a, c) :- edge(a, b),
    /// closure(b, c) (or closure(a, b), closure(b, c) when `doubly`).
    void closure(RelationId closure, RelationId edge, bool doubly = false) {
        rule(closure, {v(0), v(1)}, {atom(edge, {v(0), v(1)})}, 2);
        if (doubly)
            rule(closure, {v(0), v(2)}, {atom(closure, {v(0), v(1)}), atom(closure, {v(1), v(2)})}, 3);
        else
            rule(closure, {v(0), v(2)}, {atom(edge, {v(0), v(1)}), atom(closure, {v(1), v(2)})}, 3);
    }

    Database& run(const Limits& limits = {}) {
        strata = stratify(program);
        database = evaluate(program, strata, symbols, limits, problems);
        return database;
    }
    Rows rows(RelationId r) const {
        Rows out;
        const Store& store = database.relations[r];
        for (std::size_t i = 0; i < store.size(); ++i)
            out.emplace(store.row(i).begin(), store.row(i).end());
        return out;
    }
    std::size_t size(RelationId r) const { return database.relations[r].size(); }
    LocationId location_of(RelationId r, const std::vector<Value>& tuple) const {
        const Store& store = database.relations[r];
        for (std::size_t i = 0; i < store.size(); ++i)
            if (std::equal(tuple.begin(), tuple.end(), store.row(i).begin())) return store.location(i);
        return UINT32_MAX;
    }
    Rows query(std::vector<Literal> body, std::vector<VarId> columns, std::uint32_t var_count = 10) {
        Query q;
        q.body = std::move(body);
        q.columns = std::move(columns);
        q.var_count = var_count;
        q.location = location();
        auto result = run_query(database, q, symbols, Limits{}, problems);
        Rows out(result.begin(), result.end());
        CHECK(out.size() == result.size());  // distinct
        return out;
    }
};

}  // namespace

TEST_CASE("stated facts are loaded once each with their locations") {
    Model m;
    auto edge = m.relation("edge", 2);
    auto flag = m.relation("flag", 0);
    auto unset = m.relation("unset", 0);
    LocationId first = m.fact(edge, {m.e("a"), m.e("b")});
    m.fact(edge, {m.e("b"), m.e("c")});
    m.fact(edge, {m.e("a"), m.e("b")});  // repeated: harmless
    m.fact(flag, {});
    m.fact(m.program.kind_relation, {m.e("a"), m.e("body")});
    m.run();
    CHECK(m.problems.empty());
    CHECK(m.size(edge) == 2);
    CHECK(m.location_of(edge, {m.e("a"), m.e("b")}) == first);
    CHECK(m.size(flag) == 1);
    CHECK(m.size(unset) == 0);
    CHECK(m.size(Program::kind_relation) == 1);
}

TEST_CASE("a rule joins two relations on a shared variable") {
    Model m;
    auto parent = m.relation("parent", 2);
    auto grandparent = m.relation("grandparent", 2);
    m.fact(parent, {m.e("a"), m.e("b")});
    m.fact(parent, {m.e("b"), m.e("c")});
    m.fact(parent, {m.e("b"), m.e("d")});
    m.fact(parent, {m.e("x"), m.e("y")});
    m.rule(grandparent, {v(0), v(2)}, {atom(parent, {v(0), v(1)}), atom(parent, {v(1), v(2)})});
    m.run();
    CHECK(m.problems.empty());
    CHECK(m.rows(grandparent) == Rows{{m.e("a"), m.e("c")}, {m.e("a"), m.e("d")}});
}

TEST_CASE("constants and repeated variables in atoms filter rows") {
    Model m;
    auto r = m.relation("r", 2);
    auto self = m.relation("self", 1);
    auto from_a = m.relation("from_a", 1);
    m.fact(r, {m.e("a"), m.e("a")});
    m.fact(r, {m.e("a"), m.e("b")});
    m.fact(r, {m.e("b"), m.e("b")});
    m.rule(self, {v(0)}, {atom(r, {v(0), v(0)})});
    m.rule(from_a, {v(0)}, {atom(r, {c(m.e("a")), v(0)})});
    m.run();
    CHECK(m.rows(self) == Rows{{m.e("a")}, {m.e("b")}});
    CHECK(m.rows(from_a) == Rows{{m.e("a")}, {m.e("b")}});
}

TEST_CASE("transitive closure of a chain and of a cycle") {
    Model m;
    auto edge = m.relation("edge", 2);
    auto chain = m.relation("chain", 2);
    auto ring = m.relation("ring", 2);
    auto ring_closure = m.relation("ring_closure", 2);
    for (const char* pair : {"ab", "bc", "cd"})
        m.fact(edge, {m.e(std::string(1, pair[0])), m.e(std::string(1, pair[1]))});
    for (const char* pair : {"xy", "yz", "zx"})
        m.fact(ring, {m.e(std::string(1, pair[0])), m.e(std::string(1, pair[1]))});
    m.closure(chain, edge);
    m.closure(ring_closure, ring, true);
    m.run();
    CHECK(m.problems.empty());
    CHECK(m.size(chain) == 6);
    CHECK(m.rows(chain).count({m.e("a"), m.e("d")}) == 1);
    CHECK(m.rows(chain).count({m.e("d"), m.e("a")}) == 0);
    CHECK(m.size(ring_closure) == 9);  // every pair, each node reaching itself
    CHECK(m.rows(ring_closure).count({m.e("x"), m.e("x")}) == 1);
}

TEST_CASE("semi-naive closure of a 2000-long chain derives every ordered pair once") {
    Model m;
    auto edge = m.relation("edge", 2);
    auto chain = m.relation("chain", 2);
    const std::int64_t n = 2000;
    for (std::int64_t k = 0; k + 1 < n; ++k) m.fact(edge, {m.i(k), m.i(k + 1)});
    m.closure(chain, edge);
    m.run();
    CHECK(m.problems.empty());
    CHECK(m.size(chain) == static_cast<std::size_t>(n * (n - 1) / 2));
}

TEST_CASE("negation reads a relation finished in a lower stratum") {
    Model m;
    auto edge = m.relation("edge", 2);
    auto node = m.relation("node", 1);
    auto reach = m.relation("reach", 2);
    auto unreachable = m.relation("unreachable", 1);
    for (const char* name : {"a", "b", "c", "d"}) m.fact(node, {m.e(name)});
    m.fact(edge, {m.e("a"), m.e("b")});
    m.fact(edge, {m.e("b"), m.e("c")});
    m.closure(reach, edge);
    m.rule(unreachable, {v(0)}, {atom(node, {v(0)}), negation(reach, {c(m.e("a")), v(0)})});
    m.run();
    CHECK(m.problems.empty());
    CHECK(m.rows(unreachable) == Rows{{m.e("a")}, {m.e("d")}});
}

TEST_CASE("variables only inside a negation are wildcards") {
    Model m;
    auto group = m.relation("group", 1);
    auto sponsor = m.relation("sponsor", 3);
    auto unsponsored = m.relation("unsponsored", 1);
    auto not_self = m.relation("not_self", 1);
    for (const char* name : {"g1", "g2", "g3"}) m.fact(group, {m.e(name)});
    m.fact(sponsor, {m.e("g1"), m.e("p"), m.e("q")});
    m.fact(sponsor, {m.e("g3"), m.e("p"), m.e("p")});
    // unsponsored(?g) :- group(?g), not sponsor(?g, _, _)
    m.rule(unsponsored, {v(0)}, {atom(group, {v(0)}), negation(sponsor, {v(0), v(1), v(2)})});
    // not_self(?g) :- group(?g), not sponsor(?g, ?w, ?w)  (?w only here)
    m.rule(not_self, {v(0)}, {atom(group, {v(0)}), negation(sponsor, {v(0), v(3), v(3)})});
    m.run();
    CHECK(m.problems.empty());
    CHECK(m.rows(unsponsored) == Rows{{m.e("g2")}});
    CHECK(m.rows(not_self) == Rows{{m.e("g1")}, {m.e("g2")}});
}

TEST_CASE("a negation inside recursion is reported as a bad cycle naming the relations") {
    Model m;
    auto p = m.relation("p", 1);
    auto q = m.relation("q", 1);
    auto base = m.relation("base", 1);
    m.rule(p, {v(0)}, {atom(base, {v(0)}), negation(q, {v(0)})});
    LocationId bad = m.rule(q, {v(0)}, {atom(base, {v(0)}), atom(p, {v(0)})});
    (void)bad;
    auto s = stratify(m.program);
    REQUIRE(s.bad_cycles.size() == 1);
    CHECK(s.bad_cycles[0] == std::vector<RelationId>{p, q});
    REQUIRE(s.bad_cycle_locations.size() == 1);
    CHECK(s.bad_cycle_locations[0] == m.program.rules[0].location);
}

TEST_CASE("comparisons test integers numerically and other values in display order") {
    Model m;
    auto n = m.relation("n", 1);
    auto small = m.relation("small", 1);
    auto name = m.relation("name", 1);
    auto early = m.relation("early", 1);
    auto differ = m.relation("differ", 2);
    for (std::int64_t k : {-5, 2, 3, 10, 100}) m.fact(n, {m.i(k)});
    for (const char* s : {"apple", "pear", "fig"}) m.fact(name, {m.s(s)});
    m.rule(small, {v(0)}, {atom(n, {v(0)}), compare(ex(v(0)), CompareOp::le, ex(c(m.i(3))))});
    m.rule(early, {v(0)}, {atom(name, {v(0)}), compare(ex(v(0)), CompareOp::lt, ex(c(m.s("g"))))});
    m.rule(differ, {v(0), v(1)},
           {atom(n, {v(0)}), atom(n, {v(1)}), compare(ex(v(0)), CompareOp::gt, ex(v(1))),
            compare(ex(v(1)), CompareOp::ge, ex(c(m.i(10))))});
    m.run();
    CHECK(m.problems.empty());
    CHECK(m.rows(small) == Rows{{m.i(-5)}, {m.i(2)}, {m.i(3)}});
    CHECK(m.rows(early) == Rows{{m.s("apple")}, {m.s("fig")}});
    CHECK(m.rows(differ) == Rows{{m.i(100), m.i(10)}});
}

TEST_CASE("arithmetic binds a variable and fails on non-integers") {
    Model m;
    auto val = m.relation("val", 1);
    auto next = m.relation("next", 2);
    auto product = m.relation("product", 1);
    auto eq = m.relation("eq", 1);
    m.fact(val, {m.i(4)});
    m.fact(val, {m.e("nobody")});
    // next(?x, ?y) :- val(?x), ?y = ?x + 1 - 3
    m.rule(next, {v(0), v(1)},
           {atom(val, {v(0)}),
            compare(ex(v(1)), CompareOp::eq,
                    ex(Expr::Kind::subtract, ex(Expr::Kind::add, ex(v(0)), ex(c(m.i(1)))),
                       ex(c(m.i(3)))))});
    // product(?y) :- val(?x), ?x * 3 = ?y   (binding on the right)
    m.rule(product, {v(1)},
           {atom(val, {v(0)}),
            compare(ex(Expr::Kind::multiply, ex(v(0)), ex(c(m.i(3)))), CompareOp::eq, ex(v(1)))});
    // eq(?x) :- val(?x), ?x = 4
    m.rule(eq, {v(0)}, {atom(val, {v(0)}), compare(ex(v(0)), CompareOp::eq, ex(c(m.i(4))))});
    m.run();
    CHECK(m.problems.empty());
    CHECK(m.rows(next) == Rows{{m.i(4), m.i(2)}});
    CHECK(m.rows(product) == Rows{{m.i(12)}});
    CHECK(m.rows(eq) == Rows{{m.i(4)}});
}

TEST_CASE("integer overflow in arithmetic is a problem at the rule") {
    Model m;
    auto val = m.relation("val", 1);
    auto big = m.relation("big", 1);
    m.fact(val, {m.i(INT64_MAX - 1)});
    LocationId at = m.rule(
        big, {v(1)},
        {atom(val, {v(0)}),
         compare(ex(v(1)), CompareOp::eq, ex(Expr::Kind::add, ex(v(0)), ex(c(m.i(2)))))});
    m.run();
    REQUIRE(m.problems.size() == 1);
    CHECK(m.problems[0].message == "integer overflow in arithmetic");
    CHECK(m.problems[0].location == at);
    CHECK(m.size(big) == 0);
}

TEST_CASE("is_entity holds for entities only") {
    Model m;
    auto val = m.relation("val", 1);
    auto entity = m.relation("entity", 1);
    m.fact(val, {m.e("a")});
    m.fact(val, {m.i(1)});
    m.fact(val, {m.s("a")});
    Literal is;
    is.kind = Literal::Kind::is_entity;
    is.var = 0;
    m.rule(entity, {v(0)}, {is, atom(val, {v(0)})});
    m.run();
    CHECK(m.problems.empty());
    CHECK(m.rows(entity) == Rows{{m.e("a")}});
}

TEST_CASE("a derived tuple rests on the latest of its premises") {
    Model m;
    auto edge = m.relation("edge", 2);
    auto chain = m.relation("chain", 2);
    auto always = m.relation("always", 1);
    LocationId ab = m.fact(edge, {m.e("a"), m.e("b")});
    LocationId cd = m.fact(edge, {m.e("c"), m.e("d")});
    LocationId bc = m.fact(edge, {m.e("b"), m.e("c")});
    m.closure(chain, edge);
    LocationId constant = m.rule(always, {c(m.e("yes"))}, {});
    m.run();
    CHECK(m.problems.empty());
    CHECK(m.location_of(chain, {m.e("a"), m.e("b")}) == ab);
    CHECK(m.location_of(chain, {m.e("c"), m.e("d")}) == cd);
    CHECK(m.location_of(chain, {m.e("a"), m.e("c")}) == bc);
    CHECK(m.location_of(chain, {m.e("a"), m.e("d")}) == std::max({ab, bc, cd}));
    CHECK(m.location_of(always, {m.e("yes")}) == constant);
}

TEST_CASE("a query returns the distinct bindings of its columns") {
    Model m;
    auto member = m.relation("member", 3);
    m.fact(member, {m.e("sss"), m.e("kate"), m.e("chair")});
    m.fact(member, {m.e("sss"), m.e("ole"), m.e("member")});
    m.fact(member, {m.e("fko"), m.e("kate"), m.e("member")});
    m.run();
    CHECK(m.query({atom(member, {v(0), v(1), v(2)})}, {v(1).var}) ==
          Rows{{m.e("kate")}, {m.e("ole")}});
    CHECK(m.query({atom(member, {v(0), c(m.e("kate")), v(1)})}, {0, 1}) ==
          Rows{{m.e("sss"), m.e("chair")}, {m.e("fko"), m.e("member")}});
    // No columns: one empty row when it holds, none otherwise.
    CHECK(m.query({atom(member, {c(m.e("sss")), v(0), v(1)})}, {}) == Rows{{}});
    CHECK(m.query({atom(member, {c(m.e("none")), v(0), v(1)})}, {}).empty());
    CHECK(m.query({}, {}) == Rows{{}});
    CHECK(m.problems.empty());
}

TEST_CASE("more derived tuples than the limit stops evaluation with a problem") {
    Model m;
    auto edge = m.relation("edge", 2);
    auto chain = m.relation("chain", 2);
    for (std::int64_t k = 0; k < 100; ++k) m.fact(edge, {m.i(k), m.i(k + 1)});
    m.closure(chain, edge);
    Limits limits;
    limits.max_tuples = 1000;
    m.run(limits);
    REQUIRE(m.problems.size() == 1);
    CHECK(m.problems[0].message ==
          "evaluation stopped: more than 1000 derived tuples (raise the limit with --max-tuples)");
    CHECK(m.size(chain) > 0);
    CHECK(m.size(chain) <= 1001);
}

TEST_CASE("a tiny timeout stops a big closure") {
    Model m;
    auto edge = m.relation("edge", 2);
    auto chain = m.relation("chain", 2);
    for (std::int64_t k = 0; k < 100000; ++k) m.fact(edge, {m.i(k), m.i(k + 1)});
    m.closure(chain, edge);
    Limits limits;
    limits.timeout = std::chrono::milliseconds(20);
    auto start = std::chrono::steady_clock::now();
    m.run(limits);
    auto took = std::chrono::steady_clock::now() - start;
    REQUIRE(m.problems.size() == 1);
    CHECK(m.problems[0].message == "evaluation stopped after 20 ms (raise the limit with --timeout)");
    CHECK(took < std::chrono::seconds(2));
}

TEST_CASE("a set cancel flag stops evaluation") {
    Model m;
    auto edge = m.relation("edge", 2);
    auto chain = m.relation("chain", 2);
    for (std::int64_t k = 0; k < 3000; ++k) m.fact(edge, {m.i(k), m.i(k + 1)});
    m.closure(chain, edge);
    std::atomic<bool> cancel{true};
    Limits limits;
    limits.cancel = &cancel;
    m.run(limits);
    REQUIRE(m.problems.size() == 1);
    CHECK(m.problems[0].message == "evaluation cancelled");
}

TEST_CASE("a long arithmetic expression needs no deep recursion") {
    Model m;
    auto val = m.relation("val", 1);
    auto total = m.relation("total", 1);
    m.fact(val, {m.i(0)});
    Expr sum = ex(v(0));
    for (int k = 0; k < 100000; ++k) sum = ex(Expr::Kind::add, std::move(sum), ex(c(m.i(1))));
    std::vector<Literal> body;
    body.push_back(atom(val, {v(0)}));
    body.push_back(compare(ex(v(1)), CompareOp::eq, std::move(sum)));
    m.rule(total, {v(1)}, std::move(body));
    m.run();
    CHECK(m.problems.empty());
    CHECK(m.rows(total) == Rows{{m.i(100000)}});
    // Program's own destructor recurses through the expression; unwind it by hand.
    Expr chain = std::move(m.program.rules.back().body.back().right);
    while (chain.kind != Expr::Kind::term) {
        Expr first = std::move(chain.operands[0]);
        chain = std::move(first);
    }
}

namespace {

Literal aggregate(AggregateFunction function, VarId result, std::vector<VarId> over,
                  std::vector<VarId> group, std::vector<Literal> body) {
    Literal l;
    l.kind = Literal::Kind::aggregate;
    l.function = function;
    l.result = result;
    l.over = std::move(over);
    l.group = std::move(group);
    l.body = std::move(body);
    return l;
}

/// Bodies b1 (members p1, p2 with ages 30, 50), b2 (member p3, age 41, and p4 with no age),
/// b3 (no members).
struct Committees : Model {
    RelationId member = relation("member", 3);  // member(body, person, role)
    RelationId age = relation("age", 2);
    RelationId result = relation("result", 2);
    Value body = e("body");
    Committees() {
        for (const char* b : {"b1", "b2", "b3"}) fact(Program::kind_relation, {e(b), body});
        fact(member, {e("b1"), e("p1"), e("chair")});
        fact(member, {e("b1"), e("p1"), e("member")});  // p1 twice: counted once
        fact(member, {e("b1"), e("p2"), e("member")});
        fact(member, {e("b2"), e("p3"), e("chair")});
        fact(member, {e("b2"), e("p4"), e("member")});
        fact(age, {e("p1"), i(30)});
        fact(age, {e("p2"), i(50)});
        fact(age, {e("p3"), i(41)});
        fact(age, {e("p4"), s("unknown")});
    }
    /// result(?b, ?n) :- kind(?b, body), ?n = f(?x : member(?b, ?p, _), age(?p, ?x))
    /// (over ?p for count, ?x otherwise).
    Rows per_body(AggregateFunction f) {
        const VarId over = f == AggregateFunction::count ? 1 : 4;
        rule(result, {v(0), v(3)},
             {atom(Program::kind_relation, {v(0), c(body)}),
              aggregate(f, 3, {over}, {0},
                        f == AggregateFunction::count
                            ? std::vector<Literal>{atom(member, {v(0), v(1), v(2)})}
                            : std::vector<Literal>{atom(member, {v(0), v(1), v(2)}),
                                                   atom(age, {v(1), v(4)})})});
        run();
        CHECK(problems.empty());
        return rows(result);
    }
};

}  // namespace

TEST_CASE("count per group counts distinct bindings and gives 0 for an empty group") {
    Committees m;
    CHECK(m.per_body(AggregateFunction::count) ==
          Rows{{m.e("b1"), m.i(2)}, {m.e("b2"), m.i(2)}, {m.e("b3"), m.i(0)}});
}

TEST_CASE("sum per group adds integers, skips other values, and gives 0 for nothing") {
    Committees m;
    CHECK(m.per_body(AggregateFunction::sum) ==
          Rows{{m.e("b1"), m.i(80)}, {m.e("b2"), m.i(41)}, {m.e("b3"), m.i(0)}});
}

TEST_CASE("min and max per group give no binding for an empty group") {
    Committees low;
    CHECK(low.per_body(AggregateFunction::min) ==
          Rows{{low.e("b1"), low.i(30)}, {low.e("b2"), low.i(41)}});
    Committees high;
    CHECK(high.per_body(AggregateFunction::max) ==
          Rows{{high.e("b1"), high.i(50)}, {high.e("b2"), high.i(41)}});
}

TEST_CASE("sum counts each distinct tuple of the listed variables") {
    Committees m;
    // total(?n) :- ?n = sum(?x, ?p : age(?p, ?x)): 30 + 50 + 41, p4's text skipped.
    auto total = m.relation("total", 1);
    auto same_age = m.relation("same_age", 1);
    m.fact(m.age, {m.e("p5"), m.i(30)});  // another 30, a different tuple with ?p
    m.rule(total, {v(0)}, {aggregate(AggregateFunction::sum, 0, {1, 2}, {}, {atom(m.age, {v(2), v(1)})})});
    m.rule(same_age, {v(0)}, {aggregate(AggregateFunction::sum, 0, {1}, {}, {atom(m.age, {v(2), v(1)})})});
    m.run();
    CHECK(m.problems.empty());
    CHECK(m.rows(total) == Rows{{m.i(151)}});
    CHECK(m.rows(same_age) == Rows{{m.i(121)}});  // distinct ?x: 30, 50, 41
}

TEST_CASE("aggregates without group variables, and over an empty relation") {
    Committees m;
    auto people = m.relation("people", 1);
    auto none = m.relation("none", 1);
    auto nobody = m.relation("nobody", 1);
    auto youngest = m.relation("youngest", 1);
    auto empty = m.relation("empty", 1);
    m.rule(people, {v(0)}, {aggregate(AggregateFunction::count, 0, {1}, {}, {atom(m.member, {v(2), v(1), v(3)})})});
    m.rule(none, {v(0)}, {aggregate(AggregateFunction::count, 0, {1}, {}, {atom(empty, {v(1)})})});
    m.rule(nobody, {v(0)}, {aggregate(AggregateFunction::max, 0, {1}, {}, {atom(empty, {v(1)})})});
    m.rule(youngest, {v(0)}, {aggregate(AggregateFunction::min, 0, {1}, {}, {atom(m.age, {v(2), v(1)})})});
    m.run();
    CHECK(m.problems.empty());
    CHECK(m.rows(people) == Rows{{m.i(4)}});
    CHECK(m.rows(none) == Rows{{m.i(0)}});
    CHECK(m.rows(nobody).empty());
    CHECK(m.rows(youngest) == Rows{{m.i(30)}});
}

TEST_CASE("an aggregate whose result is already bound compares instead of binding") {
    Committees m;
    auto size = m.relation("size", 2);
    auto right_size = m.relation("right_size", 1);
    m.fact(size, {m.e("b1"), m.i(2)});
    m.fact(size, {m.e("b2"), m.i(5)});
    m.fact(size, {m.e("b3"), m.i(0)});
    // right_size(?b) :- size(?b, ?n), ?n = count(?p : member(?b, ?p, _))
    m.rule(right_size, {v(0)},
           {atom(size, {v(0), v(3)}),
            aggregate(AggregateFunction::count, 3, {1}, {0}, {atom(m.member, {v(0), v(1), v(2)})})});
    m.run();
    CHECK(m.problems.empty());
    CHECK(m.rows(right_size) == Rows{{m.e("b1")}, {m.e("b3")}});
}

TEST_CASE("an aggregate result feeds comparisons and negation inside its body works") {
    Committees m;
    auto big = m.relation("big", 1);
    auto no_chair = m.relation("members_not_chair", 2);
    // big(?b) :- kind(?b, body), ?n = count(?p : member(?b, ?p, _)), ?n >= 2
    m.rule(big, {v(0)},
           {atom(Program::kind_relation, {v(0), c(m.body)}),
            aggregate(AggregateFunction::count, 3, {1}, {0}, {atom(m.member, {v(0), v(1), v(2)})}),
            compare(ex(v(3)), CompareOp::ge, ex(c(m.i(2))))});
    // members_not_chair(?b, ?n) :- kind(?b, body),
    //     ?n = count(?p : member(?b, ?p, _), not member(?b, ?p, chair))
    m.rule(no_chair, {v(0), v(3)},
           {atom(Program::kind_relation, {v(0), c(m.body)}),
            aggregate(AggregateFunction::count, 3, {1}, {0},
                      {atom(m.member, {v(0), v(1), v(2)}),
                       negation(m.member, {v(0), v(1), c(m.e("chair"))})})});
    m.run();
    CHECK(m.problems.empty());
    CHECK(m.rows(big) == Rows{{m.e("b1")}, {m.e("b2")}});
    CHECK(m.rows(no_chair) ==
          Rows{{m.e("b1"), m.i(1)}, {m.e("b2"), m.i(1)}, {m.e("b3"), m.i(0)}});
}

TEST_CASE("aggregates nested deeper than the limit are a problem") {
    Model m;
    auto r = m.relation("r", 1);
    auto out = m.relation("out", 1);
    m.fact(r, {m.i(1)});
    Literal inner = atom(r, {v(1)});
    for (int depth = 0; depth < 5; ++depth)
        inner = aggregate(AggregateFunction::count, 0, {}, {}, {std::move(inner)});
    m.rule(out, {v(0)}, {std::move(inner)});
    Limits limits;
    limits.max_depth = 3;
    m.run(limits);
    REQUIRE(m.problems.size() == 1);
    CHECK(m.problems[0].message.find("nested more than 3 deep") != std::string::npos);
    CHECK(m.size(out) == 0);

    Model ok;
    auto r2 = ok.relation("r", 1);
    auto out2 = ok.relation("out", 1);
    ok.fact(r2, {ok.i(1)});
    Literal nested = atom(r2, {v(1)});
    for (int depth = 0; depth < 3; ++depth)
        nested = aggregate(AggregateFunction::count, 0, {}, {}, {std::move(nested)});
    ok.rule(out2, {v(0)}, {std::move(nested)});
    ok.run(limits);
    CHECK(ok.problems.empty());
    CHECK(ok.rows(out2) == Rows{{ok.i(1)}});
}

TEST_CASE("random graphs: closures agree with a naive reachability matrix") {
    std::mt19937 random(20261122);
    for (int trial = 0; trial < 60; ++trial) {
        CAPTURE(trial);
        const int n = 1 + static_cast<int>(random() % 12);
        const int edges = static_cast<int>(random() % (n * n + 1));
        Model m;
        auto edge = m.relation("edge", 2);
        auto right = m.relation("right", 2);
        auto left = m.relation("left", 2);
        auto doubly = m.relation("doubly", 2);
        auto unreached = m.relation("unreached", 2);
        auto node = m.relation("node", 1);
        std::vector<std::vector<bool>> reach(n, std::vector<bool>(n, false));
        for (int k = 0; k < n; ++k) m.fact(node, {m.i(k)});
        for (int k = 0; k < edges; ++k) {
            int a = static_cast<int>(random() % n), b = static_cast<int>(random() % n);
            m.fact(edge, {m.i(a), m.i(b)});
            reach[a][b] = true;
        }
        for (int k = 0; k < n; ++k)
            for (int a = 0; a < n; ++a)
                for (int b = 0; b < n; ++b)
                    if (reach[a][k] && reach[k][b]) reach[a][b] = true;
        m.closure(right, edge);
        m.rule(left, {v(0), v(1)}, {atom(edge, {v(0), v(1)})}, 2);
        m.rule(left, {v(0), v(2)}, {atom(left, {v(0), v(1)}), atom(edge, {v(1), v(2)})}, 3);
        m.closure(doubly, edge, true);
        m.rule(unreached, {v(0), v(1)},
               {atom(node, {v(0)}), atom(node, {v(1)}), negation(doubly, {v(0), v(1)})}, 2);
        m.run();
        REQUIRE(m.problems.empty());
        Rows expected;
        Rows expected_not;
        for (int a = 0; a < n; ++a)
            for (int b = 0; b < n; ++b)
                (reach[a][b] ? expected : expected_not).insert({m.i(a), m.i(b)});
        CHECK(m.rows(right) == expected);
        CHECK(m.rows(left) == expected);
        CHECK(m.rows(doubly) == expected);
        CHECK(m.rows(unreached) == expected_not);
    }
}

TEST_CASE("mutual recursion reaches the same fixpoint as a single relation") {
    // even/odd distance from 0 along a chain: even(0); odd(?y) :- even(?x), edge(?x, ?y);
    // even(?y) :- odd(?x), edge(?x, ?y)
    Model m;
    auto edge = m.relation("edge", 2);
    auto even = m.relation("even", 1);
    auto odd = m.relation("odd", 1);
    for (std::int64_t k = 0; k < 50; ++k) m.fact(edge, {m.i(k), m.i(k + 1)});
    m.fact(even, {m.i(0)});
    m.rule(odd, {v(1)}, {atom(even, {v(0)}), atom(edge, {v(0), v(1)})});
    m.rule(even, {v(1)}, {atom(odd, {v(0)}), atom(edge, {v(0), v(1)})});
    m.run();
    CHECK(m.problems.empty());
    CHECK(m.size(even) == 26);
    CHECK(m.size(odd) == 25);
    CHECK(m.rows(odd).count({m.i(49)}) == 1);
}

TEST_CASE("aggregates over thousands of groups, with repeated and with distinct keys") {
    Model m;
    auto body = m.relation("body", 1);
    auto member = m.relation("member", 2);
    auto seats = m.relation("seats", 2);
    auto peers = m.relation("peers", 2);
    const int n = 3000;
    for (int b = 0; b < n; ++b) {
        m.fact(body, {m.i(b)});
        for (int p = 0; p < b % 5; ++p) m.fact(member, {m.i(b), m.i(p)});
    }
    // seats(?b, ?n) :- body(?b), ?n = count(?p : member(?b, ?p)): every key new.
    m.rule(seats, {v(0), v(2)},
           {atom(body, {v(0)}),
            aggregate(AggregateFunction::count, 2, {1}, {0}, {atom(member, {v(0), v(1)})})});
    // peers(?p, ?n) :- member(?b, ?p), ?n = count(?q : member(?b, ?q)): keys repeat.
    m.rule(peers, {v(1), v(2)},
           {atom(member, {v(0), v(1)}),
            aggregate(AggregateFunction::count, 2, {3}, {0}, {atom(member, {v(0), v(3)})})});
    m.run();
    CHECK(m.problems.empty());
    Rows expected;
    for (int b = 0; b < n; ++b) expected.insert({m.i(b), m.i(b % 5)});
    CHECK(m.rows(seats) == expected);
    // p = 0 sits in bodies of 1…4 members, p = 3 only in bodies of 4.
    CHECK(m.rows(peers) == Rows{{m.i(0), m.i(1)}, {m.i(0), m.i(2)}, {m.i(0), m.i(3)},
                                {m.i(0), m.i(4)}, {m.i(1), m.i(2)}, {m.i(1), m.i(3)},
                                {m.i(1), m.i(4)}, {m.i(2), m.i(3)}, {m.i(2), m.i(4)},
                                {m.i(3), m.i(4)}});
}

TEST_CASE("a counter that derives one tuple per round stops at the time limit") {
    Model m;
    auto n = m.relation("n", 1);
    auto pair = m.relation("pair", 2);
    // n(0); n(?m) :- n(?k), ?m = ?k + 1, ?m < 100000000; pair(?a, ?b) :- n(?a), n(?b)
    m.rule(n, {c(m.i(0))}, {});
    m.rule(n, {v(1)},
           {atom(n, {v(0)}),
            compare(ex(v(1)), CompareOp::eq, ex(Expr::Kind::add, ex(v(0)), ex(c(m.i(1))))),
            compare(ex(v(1)), CompareOp::lt, ex(c(m.i(100000000))))});
    m.rule(pair, {v(0), v(1)}, {atom(n, {v(0)}), atom(n, {v(1)})});
    Limits limits;
    limits.timeout = std::chrono::milliseconds(200);
    limits.max_tuples = 1'000'000'000;
    auto start = std::chrono::steady_clock::now();
    m.run(limits);
    auto took = std::chrono::steady_clock::now() - start;
    REQUIRE(m.problems.size() == 1);
    CHECK(m.problems[0].message == "evaluation stopped after 200 ms (raise the limit with --timeout)");
    CHECK(took < std::chrono::seconds(3));
    CHECK(m.size(n) > 100);
}

TEST_CASE("an unbounded counter stops at the tuple limit") {
    Model m;
    auto n = m.relation("n", 1);
    m.rule(n, {c(m.i(0))}, {});
    m.rule(n, {v(1)},
           {atom(n, {v(0)}),
            compare(ex(v(1)), CompareOp::eq, ex(Expr::Kind::add, ex(v(0)), ex(c(m.i(1)))))});
    Limits limits;
    limits.max_tuples = 1000;
    m.run(limits);
    REQUIRE(m.problems.size() == 1);
    CHECK(m.problems[0].message ==
          "evaluation stopped: more than 1000 derived tuples (raise the limit with --max-tuples)");
    CHECK(m.size(n) == 1001);
}

TEST_CASE("a query with more rows than the tuple limit stops with a problem") {
    Model m;
    auto r = m.relation("r", 1);
    for (int k = 0; k < 100; ++k) m.fact(r, {m.i(k)});
    m.run();
    Query q;
    q.body = {atom(r, {v(0)}), atom(r, {v(1)})};
    q.columns = {0, 1};
    q.var_count = 2;
    Limits limits;
    limits.max_tuples = 500;
    auto rows = run_query(m.database, q, m.symbols, limits, m.problems);
    REQUIRE(m.problems.size() == 1);
    CHECK(m.problems[0].message ==
          "evaluation stopped: more than 500 derived tuples (raise the limit with --max-tuples)");
    CHECK(rows.size() == 501);
}

TEST_CASE("a rule located by its first premise gives its tuples that premise's location") {
    Model m;
    auto seat_rule = m.relation("seat_rule", 1);
    auto member = m.relation("member", 2);
    auto violation = m.relation("violation", 2);
    auto edge = m.relation("edge", 2);
    auto cycle_edge = m.relation("cycle_edge", 2);
    LocationId rule_at = m.fact(seat_rule, {m.e("b")});
    LocationId member_at = m.fact(member, {m.e("b"), m.e("p")});
    // violation(?b, ?p) :- member(?b, ?p), seat_rule(?b): located by member's row …
    m.rule(violation, {v(0), v(1)}, {atom(member, {v(0), v(1)}), atom(seat_rule, {v(0)})});
    m.program.rules.back().located_by_first_premise = true;
    // … and with the atoms the other way round, by seat_rule's row (though it is earlier).
    auto violation2 = m.relation("violation2", 2);
    m.rule(violation2, {v(0), v(1)},
           {negation(edge, {v(0), v(0)}), atom(seat_rule, {v(0)}), atom(member, {v(0), v(1)})});
    m.program.rules.back().located_by_first_premise = true;
    // A recursive rule: the edge matched first, in any semi-naive variant.
    LocationId ab = m.fact(edge, {m.e("a"), m.e("b")});
    LocationId ba = m.fact(edge, {m.e("b"), m.e("a")});
    m.rule(cycle_edge, {v(0), v(1)}, {atom(edge, {v(0), v(1)})}, 2);
    m.program.rules.back().located_by_first_premise = true;
    m.rule(cycle_edge, {v(0), v(2)}, {atom(edge, {v(0), v(1)}), atom(cycle_edge, {v(1), v(2)})}, 3);
    m.program.rules.back().located_by_first_premise = true;
    m.run();
    CHECK(m.problems.empty());
    CHECK(member_at > rule_at);
    CHECK(m.location_of(violation, {m.e("b"), m.e("p")}) == member_at);
    CHECK(m.location_of(violation2, {m.e("b"), m.e("p")}) == rule_at);
    CHECK(m.location_of(cycle_edge, {m.e("a"), m.e("a")}) == ab);
    CHECK(m.location_of(cycle_edge, {m.e("b"), m.e("b")}) == ba);
}

TEST_CASE("lookups on a large relation narrowed to one column's index give the same answers") {
    // W3's shape: member(body, person, party) with more rows than Store::narrowing_rows, so
    // that `not member(?s, ?p, _)` and `count(?p : member(?b, ?p, ?pt))` look up by the body
    // alone and check the person or party row by row (Store::lookup_mask).
    Model m;
    auto member = m.relation("member", 3);
    auto sponsor = m.relation("sponsor", 2);      // sponsor(group, person)
    auto established = m.relation("established", 2);  // established(group, by body)
    auto bounds = m.relation("bounds", 3);        // bounds(body, party, max)
    auto bad_sponsor = m.relation("bad_sponsor", 2);
    auto over = m.relation("over", 3);
    std::mt19937 random(7);
    const int bodies = 10'000, persons = 30'000, parties = 40;
    std::set<std::pair<int, int>> sits;            // (body, person)
    std::map<std::pair<int, int>, std::set<int>> seated;  // (body, party) → persons
    for (int row = 0; row < 80'000; ++row) {
        const int b = static_cast<int>(random() % bodies), p = static_cast<int>(random() % persons),
                  pt = static_cast<int>(random() % parties);
        m.fact(member, {m.i(b), m.i(p), m.i(pt)});
        sits.insert({b, p});
        seated[{b, pt}].insert(p);
    }
    REQUIRE(m.program.facts[member].locations.size() >= Store::narrowing_rows);
    std::set<std::pair<int, int>> expected_bad;
    for (int g = 0; g < 2'000; ++g) {
        const int by = static_cast<int>(random() % bodies), p = static_cast<int>(random() % persons);
        m.fact(established, {m.i(bodies + g), m.i(by)});
        m.fact(sponsor, {m.i(bodies + g), m.i(p)});
        if (!sits.count({by, p})) expected_bad.insert({bodies + g, p});
    }
    std::set<std::tuple<int, int, int>> expected_over;
    for (int b = 0; b < bodies; b += 3)
        for (int pt = 0; pt < parties; pt += 7) {
            m.fact(bounds, {m.i(b), m.i(pt), m.i(2)});
            const auto it = seated.find({b, pt});
            const int n = it == seated.end() ? 0 : static_cast<int>(it->second.size());
            if (n > 2) expected_over.insert({b, pt, n});
        }
    // bad_sponsor(?g, ?p) :- sponsor(?g, ?p), established(?g, ?s), not member(?s, ?p, _)
    m.rule(bad_sponsor, {v(0), v(1)},
           {atom(sponsor, {v(0), v(1)}), atom(established, {v(0), v(2)}), negation(member, {v(2), v(1), v(3)})});
    // over(?b, ?pt, ?n) :- bounds(?b, ?pt, ?max), ?n = count(?p : member(?b, ?p, ?pt)), ?n > ?max
    m.rule(over, {v(0), v(1), v(4)},
           {atom(bounds, {v(0), v(1), v(2)}),
            aggregate(AggregateFunction::count, 4, {3}, {0, 1}, {atom(member, {v(0), v(3), v(1)})}),
            compare(ex(v(4)), CompareOp::gt, ex(v(2)))});
    m.run();
    CHECK(m.problems.empty());
    Rows bad;
    for (const auto& [g, p] : expected_bad) bad.insert({m.i(g), m.i(p)});
    CHECK(m.rows(bad_sponsor) == bad);
    Rows too_many;
    for (const auto& [b, pt, n] : expected_over) too_many.insert({m.i(b), m.i(pt), m.i(n)});
    CHECK(m.rows(over) == too_many);
    CHECK(!expected_bad.empty());
    CHECK(!expected_over.empty());
    // One index, on the body, served both: the near-unique (body, person) one was not built.
    CHECK(m.database.relations[member].lookup_mask(0b011) == 0b001);
    CHECK(m.database.relations[member].lookup_mask(0b101) == 0b001);
}
