// The pipeline through the public API: loading, resolving, evaluating, answering.
#include <doctest/doctest.h>

#include <charter/charter.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <unistd.h>

namespace {

using charter::Cell;
using charter::Entity;

charter::Session loaded(std::string_view text) {
    charter::Session s;
    auto st = s.load_string(text, "test.charter");
    for (const auto& d : st.diagnostics) INFO(charter::format(d));
    REQUIRE(st.ok());
    return s;
}

std::vector<std::string> column(const charter::Table& t, std::size_t c = 0) {
    std::vector<std::string> out;
    for (const auto& row : t.rows) {
        const Cell& cell = row.at(c);
        if (const auto* e = std::get_if<Entity>(&cell)) out.push_back(e->id);
        else if (const auto* s = std::get_if<std::string>(&cell)) out.push_back(*s);
        else if (const auto* i = std::get_if<std::int64_t>(&cell)) out.push_back(std::to_string(*i));
        else out.push_back("none");
    }
    return out;
}

constexpr std::string_view organisation = R"(
import std
body SSU "Sundhedssamarbejdsudvalget" : top
body SDK "Sundhedsdirektørkredsen" { reports_to SSU; body formandskab "Formandskabet" { reports_to SDK } }
body FKØ "Fælleskommunal økonomigruppe" { reports_to SDK.formandskab }
)";

}  // namespace

TEST_CASE("a closure query follows reporting lines to the top") {
    auto s = loaded(organisation);
    auto r = s.query("? reports_to+(FKØ, ?up)");
    REQUIRE(r.ok());
    CHECK(r.value.columns == std::vector<std::string>{"up"});
    CHECK(column(r.value) == std::vector<std::string>{"SDK", "SDK.formandskab", "SSU"});
}

TEST_CASE("the reflexive closure holds for every entity of the parameter type") {
    auto s = loaded(organisation);
    CHECK(s.query("? reports_to*(SSU, SSU)").value.rows.size() == 1);
    CHECK(s.query("? reports_to+(SSU, SSU)").value.rows.empty());
}

TEST_CASE("an unknown entity in a query is an error with a suggestion") {
    auto s = loaded(organisation);
    auto r = s.query("? reports_to(FKO, ?x)");
    REQUIRE_FALSE(r.ok());
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].message == "unknown entity `FKO`");
    CHECK(r.diagnostics[0].hint == "did you mean `FKØ`?");
}

TEST_CASE("a bad statement leaves the session as it was") {
    auto s = loaded(organisation);
    auto st = s.load_string("reports_to(FKØ, Nowhere)", "typed");
    CHECK_FALSE(st.ok());
    auto r = s.query("? reports_to(FKØ, ?x)");
    REQUIRE(r.ok());
    CHECK(column(r.value) == std::vector<std::string>{"SDK.formandskab"});
}

TEST_CASE("statements added later extend the model") {
    auto s = loaded(organisation);
    REQUIRE(s.load_string("body KG \"Koordinationsgruppen\" { reports_to SSU }", "typed").ok());
    CHECK(column(s.query("? reports_to(KG, ?x)").value) == std::vector<std::string>{"SSU"});
}

TEST_CASE("an assumption changes answers until reset") {
    auto s = loaded(organisation);
    REQUIRE(s.assume("remove reports_to(FKØ, SDK.formandskab)").ok());
    CHECK(s.query("? reports_to+(FKØ, ?x)").value.rows.empty());
    REQUIRE(s.assume("add reports_to(FKØ, SSU)").ok());
    CHECK(column(s.query("? reports_to+(FKØ, ?x)").value) == std::vector<std::string>{"SSU"});
    s.reset();
    CHECK(s.query("? reports_to+(FKØ, ?x)").value.rows.size() == 3);
}

TEST_CASE("removing a fact that was never stated is an error") {
    auto s = loaded(organisation);
    auto st = s.assume("remove reports_to(FKØ, SSU)");
    REQUIRE_FALSE(st.ok());
    CHECK(st.diagnostics[0].message == "no such stated fact to remove");
}

TEST_CASE("a reporting cycle is one violation naming every body on it") {
    auto s = loaded(R"(
import std
body A : top
body B { reports_to C }
body C { reports_to D }
body D { reports_to B }
)");
    auto v = s.check();
    REQUIRE(v.ok());
    REQUIRE(v.value.size() == 1);
    CHECK(v.value[0].check == "reporting_cycle");
    CHECK(v.value[0].subjects == std::vector<std::string>{"B", "C", "D"});
    CHECK(v.value[0].location.line == 6);  // the edge stated last
}

TEST_CASE("user checks interpolate labels and report warnings") {
    auto s = loaded(R"(
import std
body SSS "Strategisk Sundhedsstyregruppe" : top
meets(SSS, 2)
check meets_rarely warning { violation meets(?b, ?n), ?n < 4
                             message "{?b} meets {?n} times" }
)");
    auto v = s.check();
    REQUIRE(v.value.size() == 1);
    CHECK(v.value[0].severity == charter::Severity::warning);
    CHECK(v.value[0].message == "Strategisk Sundhedsstyregruppe meets 2 times");
    CHECK(v.value[0].subjects == std::vector<std::string>{"SSS"});
}

TEST_CASE("expectations pass and fail with what was found") {
    auto s = loaded(std::string(organisation) + R"(
expect ? reports_to(FKØ, SDK.formandskab)
expect none ? reports_to(FKØ, SSU)
expect ? reports_to(SSU, ?x)
expect no violations
)");
    auto t = s.test();
    REQUIRE(t.value.size() == 4);
    CHECK(t.value[0].passed);
    CHECK(t.value[1].passed);
    CHECK_FALSE(t.value[2].passed);
    CHECK(t.value[2].found == "no answer");
    CHECK(t.value[3].passed);
}

TEST_CASE("who approves, next and route answer from a flow") {
    auto s = loaded(R"(
import std
body SSS : top { body formandskab { reports_to SSS } }
body Owner { reports_to SSS }
flow f { step draft by owner; step approve by SSS.formandskab approves; step do by SSS }
case C { flow f; at draft; owner Owner }
)");
    auto who = s.query("who approves f");
    REQUIRE(who.ok());
    CHECK(who.value.columns == std::vector<std::string>{"step", "approver"});
    CHECK(column(who.value, 1) == std::vector<std::string>{"SSS.formandskab"});
    CHECK(column(s.query("next C").value, 0) == std::vector<std::string>{"approve"});
    auto route = s.query("route C");
    CHECK(column(route.value, 1) == std::vector<std::string>{"approve", "do"});
    auto path = s.query("path reports_to Owner SSS");
    CHECK(column(path.value, 1) == std::vector<std::string>{"Owner", "SSS"});
}

TEST_CASE("sessions on different threads are independent") {
    std::vector<std::thread> threads;
    std::vector<std::size_t> answers(4);
    for (std::size_t i = 0; i < 4; ++i)
        threads.emplace_back([i, &answers] {
            charter::Session s;
            std::string model = "import std\nbody Top : top\n";
            for (std::size_t k = 0; k <= i; ++k) model += "body B" + std::to_string(k) + " { reports_to Top }\n";
            if (s.load_string(model, "m").ok()) answers[i] = s.query("? reports_to(?b, Top)").value.rows.size();
        });
    for (auto& t : threads) t.join();
    CHECK(answers == std::vector<std::size_t>{1, 2, 3, 4});
}

TEST_CASE("a model does not inherit the entities, or their kinds, of a load that was rolled back") {
    // The kinds kept beside the entities' names (Symbols::entity_tag) survive in the session's
    // Symbols from one resolve to the next; a data file must not find through them an entity
    // that the model it belongs to does not declare.
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("charter-rollback-test-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    auto write = [&](const std::string& name, const std::string& text) { std::ofstream(dir / name, std::ios::binary) << text; };
    write("failing.charter", "body b1\nrelation r(x: no_such_kind)\n");
    write("reports.tsv", "b2\tb1\n");
    write("data.charter", "facts reports_to from \"reports.tsv\"\n");
    charter::Session s = loaded("import std\nbody b2\n");
    CHECK(!s.load_file(dir / "failing.charter").ok());  // declared b1, then rolled back
    const auto status = s.load_file(dir / "data.charter");
    CHECK(!status.ok());
    REQUIRE(!status.diagnostics.empty());
    CHECK(status.diagnostics[0].message == "unknown entity `b1`");
    fs::remove_all(dir);
}
