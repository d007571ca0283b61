// Session::why and Session::why_not (engine/session_explain.cpp): derivations rebuilt down to
// stated facts, closures as chains, and what blocks a missing fact.
#include <doctest/doctest.h>

#include <charter/charter.hpp>

#include <functional>
#include <string>

namespace {

charter::Session loaded(std::string_view text) {
    charter::Session s;
    auto st = s.load_string(text, "explain.charter");
    std::string problems;
    for (const auto& d : st.diagnostics) problems += charter::format(d);
    INFO(problems);
    REQUIRE(st.ok());
    return s;
}

constexpr std::string_view organisation = R"(import std
body SSU "Sundhedssamarbejdsudvalget" : top
body SDK "Sundhedsdirektørkredsen" {
    reports_to SSU
    body formandskab "Formandskabet"
}
reports_to(SDK.formandskab, SDK)
body FKØ "Fælleskommunal økonomigruppe" { reports_to SDK.formandskab }
body SSS "Strategisk Sundhedsstyregruppe" {
    reports_to SSU
    body formandskab "Formandskabet"
}
person Anna
person Bo
party Region
body Arbejdsgruppe { reports_to SSS; established_by SSS }
sponsor(Arbejdsgruppe, Anna, regional)
member(SSS, Bo, member, Region)
relation chain(a: body, b: body)
rule chain(?a, ?b) :- reports_to(?a, ?b)
rule chain(?a, ?c) :- chain(?a, ?b), chain(?b, ?c)
rule above_sss(?b) :- chain(?b, SSS), not tag(?b, top)
flow revision { step draft by SSS; step approve by SSS.formandskab approves }
approves(SSU, SDK)
)";

std::string problems(const charter::Status& st) {
    std::string out;
    for (const auto& d : st.diagnostics) out += charter::format(d);
    return out;
}

// Every line of a derivation, indented two spaces per level, as `fact [stated file:line]`.
std::string outline(const charter::Derivation& d, int depth = 0) {
    std::string out = std::string(static_cast<std::size_t>(depth) * 2, ' ') + d.fact;
    if (d.stated) out += " [stated " + d.location.file + ":" + std::to_string(d.location.line) + "]";
    out += "\n";
    for (const auto& p : d.premises) out += outline(p, depth + 1);
    return out;
}

}  // namespace

TEST_CASE("a stated fact is its own derivation, with its location") {
    auto s = loaded(organisation);
    auto r = s.why("reports_to(FKØ, SDK.formandskab)");
    REQUIRE(r.ok());
    CHECK(r.value.stated);
    CHECK(r.value.fact == "reports_to(FKØ, SDK.formandskab)");
    CHECK(r.value.location.file == "explain.charter");
    CHECK(r.value.location.line == 8);
    CHECK(r.value.premises.empty());
}

TEST_CASE("a closure is explained as the chain of its edges, each with its statement") {
    auto s = loaded(organisation);
    auto r = s.why("reports_to+(FKØ, SSU)");
    REQUIRE(r.ok());
    CHECK_FALSE(r.value.stated);
    CHECK(r.value.rule == "the chain FKØ → SDK.formandskab → SDK → SSU along reports_to");
    CHECK(outline(r.value) == "reports_to+(FKØ, SSU)\n"
                              "  reports_to(FKØ, SDK.formandskab) [stated explain.charter:8]\n"
                              "  reports_to(SDK.formandskab, SDK) [stated explain.charter:7]\n"
                              "  reports_to(SDK, SSU) [stated explain.charter:4]\n");
}

TEST_CASE("a recursive rule is explained without looping, down to stated facts") {
    auto s = loaded(organisation);
    auto r = s.why("chain(FKØ, SSU)");
    REQUIRE(r.ok());
    CHECK(r.value.rule == "rule chain(?a, ?c) :- chain(?a, ?b), chain(?b, ?c)");
    CHECK(r.value.location.line == 21);
    // Every leaf is a stated reports_to fact.
    std::function<void(const charter::Derivation&)> leaves = [&](const charter::Derivation& d) {
        if (d.premises.empty()) {
            CHECK(d.stated);
            CHECK(d.fact.starts_with("reports_to("));
        }
        for (const auto& p : d.premises) leaves(p);
    };
    leaves(r.value);
}

TEST_CASE("a negation in a rule shows as a condition among the premises") {
    auto s = loaded(organisation);
    auto r = s.why("above_sss(Arbejdsgruppe)");
    REQUIRE(r.ok());
    REQUIRE(r.value.premises.size() == 2);
    CHECK(r.value.premises[0].fact == "chain(Arbejdsgruppe, SSS)");
    CHECK(r.value.premises[1].fact == "not tag(Arbejdsgruppe, top)");
    CHECK_FALSE(r.value.premises[1].stated);
}

TEST_CASE("a check's violation is explained through the check's own literals") {
    auto s = loaded(organisation);
    auto r = s.why("sponsor_not_member(Anna)");
    INFO(problems(r));
    REQUIRE(r.ok());
    CHECK(r.value.rule == "check sponsor_not_member: a violation's subjects");
    REQUIRE(r.value.premises.size() == 1);
    const auto& violation = r.value.premises[0];
    CHECK(violation.fact == "violation sponsor_not_member(g: Arbejdsgruppe, p: Anna, b: SSS)");
    CHECK(violation.rule.starts_with("check sponsor_not_member: violation sponsor(?g, ?p, _)"));
    CHECK(outline(violation).find("sponsor(Arbejdsgruppe, Anna, regional) [stated explain.charter:17]") != std::string::npos);
    CHECK(outline(violation).find("not member(SSS, Anna, _, _)") != std::string::npos);
}

TEST_CASE("variables in the fact pick the first matching tuple") {
    auto s = loaded(organisation);
    auto r = s.why("reports_to(FKØ, ?to)");
    REQUIRE(r.ok());
    CHECK(r.value.fact == "reports_to(FKØ, SDK.formandskab)");
}

TEST_CASE("why refuses a fact that does not hold, and names whynot") {
    auto s = loaded(organisation);
    auto r = s.why("reports_to(FKØ, SSS)");
    REQUIRE_FALSE(r.ok());
    CHECK(r.diagnostics.front().message == "`reports_to(FKØ, SSS)` does not hold");
    CHECK(r.diagnostics.front().hint == "`:whynot reports_to(FKØ, SSS)` shows what keeps it from holding");
}

TEST_CASE("why and whynot report unknown names and malformed facts, and the session goes on") {
    auto s = loaded(organisation);
    auto unknown = s.why("reports_to(FKO, SSS)");
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.diagnostics.front().message == "unknown entity `FKO`");
    auto two = s.why_not("? reports_to(FKØ, SSS), reports_to(SSS, SSU)");
    REQUIRE_FALSE(two.ok());
    CHECK(two.diagnostics.front().message == ":whynot takes one fact, such as `reports_to(FKØ, SDK)`");
    auto empty = s.why("  ");
    REQUIRE_FALSE(empty.ok());
    CHECK(empty.diagnostics.front().message == ":why needs a fact, such as `reports_to+(FKØ, SSU)`");
    CHECK(s.query("? reports_to(FKØ, ?x)").value.rows.size() == 1);
}

TEST_CASE("whynot of a stated-only relation shows the nearest facts") {
    auto s = loaded(organisation);
    auto r = s.why_not("reports_to(FKØ, SSS)");
    REQUIRE(r.ok());
    REQUIRE(r.value.size() == 1);
    std::string nearest;
    for (const auto& n : r.value[0].nearest) nearest += n + "\n";
    INFO(nearest);
    CHECK(r.value[0].rule.empty());
    CHECK(r.value[0].failing == "reports_to(FKØ, SSS)");
    CHECK(r.value[0].nearest == std::vector<std::string>{
                                    "reports_to(Arbejdsgruppe, SSS)  (explain.charter:16)",
                                    "reports_to(FKØ, SDK.formandskab)  (explain.charter:8)",
                                });
}

TEST_CASE("whynot of an approval names the flow step that approves instead") {
    auto s = loaded(organisation);
    auto r = s.why_not("approves(SSS, revision)");
    REQUIRE(r.ok());
    REQUIRE(r.value.size() == 1);
    const auto& n = r.value[0].nearest;
    CHECK(std::find(n.begin(), n.end(), "revision's approve step is performed by SSS.formandskab") != n.end());
}

TEST_CASE("whynot of a closure says how far each end reaches") {
    auto s = loaded(organisation);
    auto r = s.why_not("reports_to+(FKØ, SSS)");
    REQUIRE(r.ok());
    REQUIRE(r.value.size() == 1);
    CHECK(r.value[0].failing == "no chain of `reports_to` leads from FKØ to SSS");
    CHECK(r.value[0].nearest == std::vector<std::string>{"FKØ reaches SDK.formandskab, SDK, SSU",
                                                         "SSS is reached from Arbejdsgruppe"});
}

TEST_CASE("whynot of a derived fact names, per rule, the first literal that fails") {
    auto s = loaded(organisation);
    auto r = s.why_not("above_sss(FKØ)");
    REQUIRE(r.ok());
    REQUIRE(r.value.size() == 1);
    CHECK(r.value[0].rule == "rule above_sss(?b) :- chain(?b, SSS), not tag(?b, top)");
    CHECK(r.value[0].failing == "chain(FKØ, SSS)");
    CHECK(r.value[0].location.line == 22);

    auto top = s.why_not("above_sss(SSU)");
    REQUIRE(top.ok());
    CHECK(top.value[0].failing == "chain(SSU, SSS)");
}

TEST_CASE("whynot of a negation that fails shows the fact that holds") {
    auto s = loaded(R"(import std
body A : top
body B { reports_to A }
rule lonely(?b) :- kind(?b, body), not reports_to(?b, _)
)");
    auto r = s.why_not("lonely(B)");
    REQUIRE(r.ok());
    REQUIRE(r.value.size() == 1);
    CHECK(r.value[0].failing == "not reports_to(B, _)");
    CHECK(r.value[0].nearest == std::vector<std::string>{"reports_to(B, A) holds"});
}

TEST_CASE("whynot refuses a fact that holds, and names why") {
    auto s = loaded(organisation);
    auto r = s.why_not("chain(FKØ, SSU)");
    REQUIRE_FALSE(r.ok());
    CHECK(r.diagnostics.front().message == "`chain(FKØ, SSU)` holds");
    CHECK(r.diagnostics.front().hint == "`:why chain(FKØ, SSU)` shows how it follows");
}

TEST_CASE("a long chain of a recursive rule stays within the search limits") {
    std::string model = "import std\nbody B0 : top\n";
    for (int i = 1; i <= 300; ++i) model += "body B" + std::to_string(i) + " { reports_to B" + std::to_string(i - 1) + " }\n";
    model += "relation chain(a: body, b: body)\n"
             "rule chain(?a, ?b) :- reports_to(?a, ?b)\n"
             "rule chain(?a, ?c) :- chain(?a, ?b), chain(?b, ?c)\n";
    auto s = loaded(model);
    auto closure = s.why("reports_to+(B300, B0)");
    REQUIRE(closure.ok());
    // The tree is bounded: the chain's first edges, then a note of how many were left out.
    REQUIRE(closure.value.premises.size() == 150);
    CHECK(closure.value.premises.front().fact == "reports_to(B300, B299)");
    CHECK(closure.value.premises.back().fact == "… (151 more premises left out)");
    auto r = s.why("chain(B40, B0)");
    CHECK(r.value.fact == "chain(B40, B0)");
}

TEST_CASE("whynot of a check's subject explains the check's violation literals") {
    auto s = loaded(organisation);
    // Arbejdsgruppe requires no sponsor here, so sponsor_sides has no violation on it …
    auto none = s.why_not("sponsor_sides(Arbejdsgruppe)");
    REQUIRE(none.ok());
    REQUIRE(none.value.size() == 1);
    CHECK(none.value[0].rule.starts_with("check sponsor_sides: violation requires_sponsor(?b, ?side)"));
    CHECK(none.value[0].failing == "requires_sponsor(Arbejdsgruppe, ?side)");
    // … and Bo sponsors nothing. A subject is tried only where its kind fits: Bo is a person,
    // so as the sponsor (?p), not as the group (?g) or the establishing body (?b).
    auto bo = s.why_not("sponsor_not_member(Bo)");
    REQUIRE(bo.ok());
    REQUIRE(bo.value.size() == 1);
    CHECK(bo.value[0].failing == "sponsor(?g, Bo, _)");
}
