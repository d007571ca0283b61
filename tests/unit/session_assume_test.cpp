// Assumptions applied incrementally (engine/session_assume.cpp) give what evaluating the changed
// model from scratch gives: the same violations, the same answers; :diff against the kept
// baseline equals :diff against a session rebuilt without them; :reset returns to the start.
#include <doctest/doctest.h>

#include <charter/charter.hpp>

#include <fmt/format.h>

#include <random>
#include <set>
#include <string>
#include <vector>

namespace {

std::multiset<std::string> violations(charter::Session& s) {
    auto r = s.check();
    REQUIRE(r.ok());
    std::multiset<std::string> out;
    for (const auto& v : r.value) out.insert(v.check + ": " + v.message);
    return out;
}

std::vector<std::string> answer(charter::Session& s, std::string_view question) {
    auto r = s.query(question);
    REQUIRE(r.ok());
    std::vector<std::string> out;
    for (const auto& row : r.value.rows) {
        std::string line;
        for (const auto& cell : row)
            if (const auto* e = std::get_if<charter::Entity>(&cell)) line += e->id + ' ';
        out.push_back(line);
    }
    return out;
}

struct Edge {
    int from;
    int to;
};

std::string model(const std::vector<Edge>& edges) {
    std::string text = "import std\nbody b0 : top\n";
    for (int i = 1; i < 8; ++i) text += fmt::format("body b{}\n", i);
    for (const auto& e : edges) text += fmt::format("reports_to(b{}, b{})\n", e.from, e.to);
    return text;
}

}  // namespace

TEST_CASE("incremental assumptions equal the changed model evaluated from scratch") {
    std::mt19937 random(7);
    std::uniform_int_distribution<int> body(0, 7);
    for (int round = 0; round < 25; ++round) {
        std::vector<Edge> edges;
        for (int i = 0; i < 6; ++i) edges.push_back({body(random), body(random)});
        charter::Session session;
        REQUIRE(session.load_string(model(edges), "org.charter").ok());
        const auto before = violations(session);
        // Two changes: drop a stated edge, add a new one.
        const Edge dropped = edges[static_cast<std::size_t>(round) % edges.size()];
        const Edge added{body(random), body(random)};
        REQUIRE(session.assume(fmt::format("remove reports_to(b{}, b{})", dropped.from, dropped.to)).ok());
        REQUIRE(session.assume(fmt::format("add reports_to(b{}, b{})", added.from, added.to)).ok());

        std::vector<Edge> changed;
        for (const auto& e : edges)
            if (e.from != dropped.from || e.to != dropped.to) changed.push_back(e);
        changed.push_back(added);
        charter::Session fresh;
        REQUIRE(fresh.load_string(model(changed), "org.charter").ok());
        INFO(model(edges));
        CHECK(violations(session) == violations(fresh));
        CHECK(answer(session, "? reports_to+(?x, ?y)") == answer(fresh, "? reports_to+(?x, ?y)"));
        CHECK(answer(session, "? reporting_cycle(?x)") == answer(fresh, "? reporting_cycle(?x)"));

        auto diff = session.diff_assumptions();
        REQUIRE(diff.ok());
        std::size_t added_errors = 0;
        for (const auto& v : diff.value.violations_added) added_errors += v.severity == charter::Severity::error;
        const auto after = violations(fresh);
        std::multiset<std::string> new_ones = after;
        for (const auto& v : before)
            if (auto it = new_ones.find(v); it != new_ones.end()) new_ones.erase(it);
        CHECK(diff.value.violations_added.size() == new_ones.size());

        session.reset();
        CHECK(violations(session) == before);
    }
}

TEST_CASE("a failing assumption leaves the others in place, and reset returns to the model") {
    charter::Session s;
    REQUIRE(s.load_string("import std\nbody A : top\nbody B { reports_to A }\nbody C { reports_to B }\n", "org.charter").ok());
    REQUIRE(s.assume("remove reports_to(C, B)").ok());
    REQUIRE(s.assume("add reports_to(C, A)").ok());
    CHECK(answer(s, "? reports_to(C, ?x)") == std::vector<std::string>{"A "});
    // A failing assumption leaves the others in place.
    CHECK_FALSE(s.assume("add reports_to(C, Nowhere)").ok());
    CHECK(answer(s, "? reports_to(C, ?x)") == std::vector<std::string>{"A "});
    s.reset();
    CHECK(answer(s, "? reports_to(C, ?x)") == std::vector<std::string>{"B "});
}
