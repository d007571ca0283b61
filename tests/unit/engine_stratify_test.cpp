// Stratification: evaluation order of components and the cycles through negation.
#include "engine/evaluate.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace charter::engine;

namespace {

std::size_t stratum_of(const Stratification& s, RelationId r) {
    for (std::size_t i = 0; i < s.strata.size(); ++i)
        if (std::find(s.strata[i].begin(), s.strata[i].end(), r) != s.strata[i].end()) return i;
    return SIZE_MAX;
}

Literal atom(RelationId r) {
    Literal l;
    l.kind = Literal::Kind::atom;
    l.relation = r;
    return l;
}

Literal negated(RelationId r) {
    Literal l = atom(r);
    l.kind = Literal::Kind::negation;
    return l;
}

}  // namespace

TEST_CASE("negation inside recursion names every relation in the cycle") {
    auto s = stratify(2, {{.body = 0, .head = 1}, {.body = 1, .head = 0, .through_negation = true}});
    REQUIRE(s.bad_cycles.size() == 1);
    CHECK(s.bad_cycles[0] == std::vector<RelationId>{0, 1});
}

TEST_CASE("a relation is evaluated after every relation it depends on") {
    // 3 <- 2 <- 1 <- 0 (0 reads 1, 1 reads 2, …), and 4 reads 0 through negation.
    auto s = stratify(5, {{.body = 1, .head = 0},
                          {.body = 2, .head = 1},
                          {.body = 3, .head = 2},
                          {.body = 0, .head = 4, .through_negation = true}});
    CHECK(s.bad_cycles.empty());
    CHECK(s.strata.size() == 5);
    CHECK(stratum_of(s, 3) < stratum_of(s, 2));
    CHECK(stratum_of(s, 2) < stratum_of(s, 1));
    CHECK(stratum_of(s, 1) < stratum_of(s, 0));
    CHECK(stratum_of(s, 0) < stratum_of(s, 4));
}

TEST_CASE("mutually recursive relations share one stratum") {
    auto s = stratify(3, {{.body = 1, .head = 0}, {.body = 0, .head = 1}, {.body = 0, .head = 2}});
    CHECK(s.bad_cycles.empty());
    CHECK(stratum_of(s, 0) == stratum_of(s, 1));
    CHECK(stratum_of(s, 0) < stratum_of(s, 2));
    CHECK(s.strata[stratum_of(s, 0)] == std::vector<RelationId>{0, 1});
}

TEST_CASE("the bad cycle follows the dependency edges from its smallest relation") {
    // 5 -> 3 -> 7 -> 5 with 7 reading 5 through negation, plus a positive chord 3 -> 5.
    auto s = stratify(8, {{.body = 3, .head = 5, .location = 1},
                          {.body = 7, .head = 3, .location = 2},
                          {.body = 5, .head = 7, .through_negation = true, .location = 3},
                          {.body = 5, .head = 3, .location = 4}});
    REQUIRE(s.bad_cycles.size() == 1);
    CHECK(s.bad_cycles[0] == std::vector<RelationId>{3, 7, 5});
    CHECK(s.bad_cycle_locations == std::vector<LocationId>{3});
}

TEST_CASE("a relation negating itself is a cycle of one") {
    auto s = stratify(2, {{.body = 1, .head = 1, .through_negation = true, .location = 9}});
    REQUIRE(s.bad_cycles.size() == 1);
    CHECK(s.bad_cycles[0] == std::vector<RelationId>{1});
    CHECK(s.bad_cycle_locations[0] == 9);
}

TEST_CASE("dependency edges come from rules, and aggregate bodies count as negative") {
    Program p;
    p.relations.resize(4);
    Rule r1;
    r1.head = 0;
    r1.location = 5;
    r1.body.push_back(atom(1));
    r1.body.push_back(negated(2));
    Literal agg;
    agg.kind = Literal::Kind::aggregate;
    Literal inner_agg;
    inner_agg.kind = Literal::Kind::aggregate;
    inner_agg.body.push_back(atom(3));
    agg.body.push_back(inner_agg);
    r1.body.push_back(agg);
    p.rules.push_back(r1);
    auto edges = dependency_edges(p);
    REQUIRE(edges.size() == 3);
    std::sort(edges.begin(), edges.end(),
              [](const auto& a, const auto& b) { return a.body < b.body; });
    CHECK(edges[0].body == 1);
    CHECK_FALSE(edges[0].through_negation);
    CHECK(edges[1].body == 2);
    CHECK(edges[1].through_negation);
    CHECK(edges[2].body == 3);
    CHECK(edges[2].through_negation);
    CHECK(edges[2].head == 0);
    CHECK(edges[2].location == 5);
    auto s = stratify(p);
    CHECK(s.bad_cycles.empty());
    CHECK(stratum_of(s, 3) < stratum_of(s, 0));
}

TEST_CASE("an aggregate over its own head is a bad cycle") {
    Program p;
    p.relations.resize(2);
    Rule r;
    r.head = 1;
    r.location = 3;
    Literal agg;
    agg.kind = Literal::Kind::aggregate;
    agg.body.push_back(atom(1));
    r.body.push_back(atom(0));
    r.body.push_back(agg);
    p.rules.push_back(r);
    auto s = stratify(p);
    REQUIRE(s.bad_cycles.size() == 1);
    CHECK(s.bad_cycles[0] == std::vector<RelationId>{1});
    CHECK(s.bad_cycle_locations[0] == 3);
}

TEST_CASE("an empty program has no strata") {
    Program empty;
    auto s = stratify(empty);
    CHECK(s.strata.empty());
}
