// Randomized cross-check: random stratified programs (joins, constants, repeated variables,
// recursion, negation with wildcards, comparisons) evaluated by the engine and by a naive
// evaluator that tries every assignment of the variables over the domain.
#include "engine/evaluate.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <vector>

using namespace charter::engine;

namespace {

using Tuple = std::vector<std::int64_t>;
using Relation = std::set<Tuple>;

struct RandomProgram {
    static constexpr int domain = 4;   // the integers 0 … 3
    static constexpr VarId vars = 4;   // ?0 … ?3 in positive atoms; ?10… wildcards
    std::mt19937& random;
    Symbols symbols;
    Program program;
    std::vector<std::size_t> arity;
    std::vector<bool> derived;

    explicit RandomProgram(std::mt19937& r) : random(r) {}

    int pick(int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); }

    RelationId add_relation(std::size_t n, bool is_derived) {
        RelationInfo info;
        info.name = "r" + std::to_string(program.relations.size());
        info.parameters.assign(n, "p");
        program.relations.push_back(info);
        program.facts.emplace_back();
        arity.push_back(n);
        derived.push_back(is_derived);
        return static_cast<RelationId>(arity.size() - 1);
    }

    Term random_term(std::vector<bool>& used) {
        if (pick(5) == 0) return Term::of(symbols.integer(pick(domain)));
        VarId v = static_cast<VarId>(pick(static_cast<int>(vars)));
        used[v] = true;
        return Term::variable(v);
    }

    void build() {
        for (int i = 0; i < 4; ++i) program.relations.push_back({}), program.facts.emplace_back(),
                                    arity.push_back(0), derived.push_back(false);
        std::vector<RelationId> base{add_relation(1, false), add_relation(2, false),
                                     add_relation(2, false), add_relation(3, false)};
        for (RelationId r : base) {
            int facts = pick(10);
            for (int f = 0; f < facts; ++f) {
                for (std::size_t c = 0; c < arity[r]; ++c)
                    program.facts[r].values.push_back(symbols.integer(pick(domain)));
                program.facts[r].locations.push_back(1);
            }
        }
        std::vector<RelationId> all = base;
        for (int k = 0; k < 4; ++k) {
            RelationId head = add_relation(1 + static_cast<std::size_t>(pick(2)), true);
            const std::vector<RelationId> lower = all;  // negation only reads these
            all.push_back(head);
            int rules = 1 + pick(3);
            for (int n = 0; n < rules; ++n) {
                Rule rule;
                rule.head = head;
                rule.var_count = 20;
                rule.location = 1;
                std::vector<bool> used(20, false);
                int atoms = 1 + pick(3);
                for (int a = 0; a < atoms; ++a) {
                    Literal l;
                    l.kind = Literal::Kind::atom;
                    l.relation = all[static_cast<std::size_t>(pick(static_cast<int>(all.size())))];
                    for (std::size_t c = 0; c < arity[l.relation]; ++c)
                        l.args.push_back(random_term(used));
                    rule.body.push_back(l);
                }
                std::vector<VarId> positive;
                for (VarId v = 0; v < vars; ++v)
                    if (used[v]) positive.push_back(v);
                auto bound_term = [&]() {
                    if (positive.empty() || pick(4) == 0)
                        return Term::of(symbols.integer(pick(domain)));
                    return Term::variable(positive[static_cast<std::size_t>(
                        pick(static_cast<int>(positive.size())))]);
                };
                if (pick(2) == 0) {
                    Literal l;
                    l.kind = Literal::Kind::negation;
                    l.relation = lower[static_cast<std::size_t>(pick(static_cast<int>(lower.size())))];
                    VarId wildcard = 10;
                    for (std::size_t c = 0; c < arity[l.relation]; ++c) {
                        if (pick(3) == 0) {
                            // a wildcard, sometimes repeated within the negation
                            l.args.push_back(Term::variable(pick(2) == 0 ? 10 : wildcard++));
                        } else {
                            l.args.push_back(bound_term());
                        }
                    }
                    rule.body.insert(rule.body.begin() + pick(static_cast<int>(rule.body.size()) + 1), l);
                }
                if (pick(2) == 0) {
                    Literal l;
                    l.kind = Literal::Kind::compare;
                    l.op = static_cast<CompareOp>(pick(6));
                    l.left = Expr{Expr::Kind::term, bound_term(), {}};
                    l.right = Expr{Expr::Kind::term, bound_term(), {}};
                    rule.body.insert(rule.body.begin() + pick(static_cast<int>(rule.body.size()) + 1), l);
                }
                for (std::size_t c = 0; c < arity[head]; ++c) rule.head_args.push_back(bound_term());
                program.rules.push_back(rule);
            }
        }
        // Aggregates read finished relations; nothing reads their results (which may lie
        // outside the domain the naive evaluator enumerates).
        for (int k = 0; k < 3; ++k) {
            RelationId head = add_relation(2, false);  // evaluated separately by naive()
            aggregates.push_back(head);
            Rule rule;
            rule.head = head;
            rule.var_count = 20;
            rule.location = 1;
            std::vector<bool> used(20, false);
            auto any_relation = [&]() {
                return all[static_cast<std::size_t>(pick(static_cast<int>(all.size())))];
            };
            Literal outer;
            outer.kind = Literal::Kind::atom;
            outer.relation = any_relation();
            for (std::size_t c = 0; c < arity[outer.relation]; ++c)
                outer.args.push_back(c == 0 ? Term::variable(0)
                                            : pick(2) ? Term::variable(1)
                                                      : Term::of(symbols.integer(pick(domain))));
            Literal agg;
            agg.kind = Literal::Kind::aggregate;
            agg.function = static_cast<AggregateFunction>(pick(4));
            agg.result = 9;
            int atoms = 1 + pick(2);
            for (int a = 0; a < atoms; ++a) {
                Literal l;
                l.kind = Literal::Kind::atom;
                l.relation = any_relation();
                for (std::size_t c = 0; c < arity[l.relation]; ++c) {
                    int choice = pick(4);
                    VarId v = choice == 0 ? 0 : choice == 1 ? 5 : 6;
                    if (choice == 3 && pick(2)) {
                        l.args.push_back(Term::of(symbols.integer(pick(domain))));
                        continue;
                    }
                    used[v] = true;
                    l.args.push_back(Term::variable(v));
                }
                agg.body.push_back(l);
            }
            if (used[0]) agg.group.push_back(0);
            for (VarId v : {6u, 5u})
                if (used[v] && (agg.over.empty() || pick(2))) agg.over.push_back(v);
            rule.body.push_back(outer);
            rule.body.insert(rule.body.begin() + pick(2), agg);
            rule.head_args = {Term::variable(0), Term::variable(9)};
            program.rules.push_back(rule);
        }
    }
    std::vector<RelationId> aggregates;

    // --- the naive evaluator -------------------------------------------------------------

    std::int64_t value_of(const Term& t, const std::vector<std::int64_t>& env) const {
        return t.is_variable() ? env[t.var] : symbols.integer_value(t.constant);
    }

    bool matches(const Tuple& tuple, const std::vector<Term>& args,
                 const std::vector<std::int64_t>& env, bool wildcards) const {
        std::map<VarId, std::int64_t> local;
        for (std::size_t c = 0; c < args.size(); ++c) {
            const Term& t = args[c];
            if (wildcards && t.is_variable() && t.var >= 10) {
                auto [it, fresh] = local.emplace(t.var, tuple[c]);
                if (!fresh && it->second != tuple[c]) return false;
                continue;
            }
            if (tuple[c] != value_of(t, env)) return false;
        }
        return true;
    }

    bool holds(const Rule& rule, const std::vector<Relation>& db,
               const std::vector<std::int64_t>& env) const {
        for (const Literal& l : rule.body) {
            if (l.kind == Literal::Kind::atom) {
                Tuple t;
                for (const Term& a : l.args) t.push_back(value_of(a, env));
                if (!db[l.relation].contains(t)) return false;
            } else if (l.kind == Literal::Kind::negation) {
                for (const Tuple& t : db[l.relation])
                    if (matches(t, l.args, env, true)) return false;
            } else {
                std::int64_t a = value_of(l.left.term, env), b = value_of(l.right.term, env);
                bool ok = false;
                switch (l.op) {
                case CompareOp::eq: ok = a == b; break;
                case CompareOp::ne: ok = a != b; break;
                case CompareOp::lt: ok = a < b; break;
                case CompareOp::le: ok = a <= b; break;
                case CompareOp::gt: ok = a > b; break;
                case CompareOp::ge: ok = a >= b; break;
                }
                if (!ok) return false;
            }
        }
        return true;
    }

    std::vector<Relation> naive() const {
        std::vector<Relation> db(arity.size());
        for (std::size_t r = 0; r < arity.size(); ++r) {
            const auto& f = program.facts[r];
            for (std::size_t i = 0; i < f.locations.size(); ++i) {
                Tuple t;
                for (std::size_t c = 0; c < arity[r]; ++c)
                    t.push_back(symbols.integer_value(f.values[i * arity[r] + c]));
                db[r].insert(t);
            }
        }
        // Derived relations in id order are strata (negation reads only lower ones).
        for (std::size_t r = 0; r < arity.size(); ++r) {
            if (!derived[r]) continue;
            for (bool changed = true; changed;) {
                changed = false;
                for (const Rule& rule : program.rules) {
                    if (rule.head != r) continue;
                    std::vector<std::int64_t> env(vars, 0);
                    const int total = domain * domain * domain * domain;
                    for (int code = 0; code < total; ++code) {
                        for (VarId v = 0, rest = static_cast<VarId>(code); v < vars; ++v, rest /= domain)
                            env[v] = rest % domain;
                        if (!holds(rule, db, env)) continue;
                        Tuple t;
                        for (const Term& a : rule.head_args) t.push_back(value_of(a, env));
                        changed = db[r].insert(t).second || changed;
                    }
                }
            }
        }
        for (RelationId r : aggregates) {
            for (const Rule& rule : program.rules) {
                if (rule.head != r) continue;
                const Literal& outer = rule.body[rule.body[0].kind == Literal::Kind::atom ? 0 : 1];
                const Literal& agg = rule.body[rule.body[0].kind == Literal::Kind::atom ? 1 : 0];
                std::vector<std::int64_t> env(10, 0);
                for (int code = 0; code < domain * domain; ++code) {
                    env[0] = code % domain;
                    env[1] = code / domain;
                    Tuple t;
                    for (const Term& a : outer.args) t.push_back(value_of(a, env));
                    if (!db[outer.relation].contains(t)) continue;
                    std::set<Tuple> solutions;
                    for (int inner = 0; inner < domain * domain; ++inner) {
                        env[5] = inner % domain;
                        env[6] = inner / domain;
                        bool all_hold = true;
                        for (const Literal& l : agg.body) {
                            Tuple u;
                            for (const Term& a : l.args) u.push_back(value_of(a, env));
                            all_hold = all_hold && db[l.relation].contains(u);
                        }
                        if (!all_hold) continue;
                        Tuple over;
                        for (VarId v : agg.over) over.push_back(env[v]);
                        solutions.insert(over);
                    }
                    std::optional<std::int64_t> result;
                    if (agg.function == AggregateFunction::count)
                        result = static_cast<std::int64_t>(solutions.size());
                    for (const Tuple& o : solutions) {
                        if (o.empty()) continue;  // no listed variable: nothing to add
                        if (agg.function == AggregateFunction::sum) result = result.value_or(0) + o[0];
                        if (agg.function == AggregateFunction::min) result = std::min(result.value_or(o[0]), o[0]);
                        if (agg.function == AggregateFunction::max) result = std::max(result.value_or(o[0]), o[0]);
                    }
                    if (agg.function == AggregateFunction::sum && !result) result = 0;
                    if (result) db[r].insert({env[0], *result});
                }
            }
        }
        return db;
    }
};

}  // namespace

TEST_CASE("random stratified programs agree with a naive evaluator") {
    std::mt19937 random(7);
    for (int trial = 0; trial < 300; ++trial) {
        CAPTURE(trial);
        RandomProgram p(random);
        p.build();
        auto strata = stratify(p.program);
        REQUIRE(strata.bad_cycles.empty());
        std::vector<Problem> problems;
        Database db = evaluate(p.program, strata, p.symbols, Limits{}, problems);
        REQUIRE(problems.empty());
        auto expected = p.naive();
        for (std::size_t r = 4; r < p.arity.size(); ++r) {
            CAPTURE(r);
            Relation got;
            const Store& store = db.relations[r];
            for (std::size_t i = 0; i < store.size(); ++i) {
                Tuple t;
                for (Value v : store.row(i)) t.push_back(p.symbols.integer_value(v));
                got.insert(t);
            }
            CHECK(got == expected[r]);
        }
    }
}
