// Reorganisations through the public API: proposals (`amends`, `remove`, `rename`), diffs of two
// sessions and of assumptions, and what a diff reports — violations, tuples, approvals, chains.
#include <doctest/doctest.h>

#include <charter/charter.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using charter::Cell;
using charter::Entity;

/// A scratch directory of files, removed at the end of the test.
class Folder {
public:
    Folder() {
        static int counter = 0;
        path_ = fs::temp_directory_path() / ("charter-diff-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
        fs::create_directories(path_);
    }
    ~Folder() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    Folder(const Folder&) = delete;
    Folder& operator=(const Folder&) = delete;
    [[nodiscard]] const fs::path& path() const { return path_; }
    fs::path write(const std::string& name, std::string_view text) const {
        fs::path p = path_ / name;
        fs::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << text;
        return p;
    }

private:
    fs::path path_;
};

std::string messages(const charter::Status& s) {
    std::string out;
    for (const auto& d : s.diagnostics) out += charter::format(d);
    return out;
}

charter::Session model(const fs::path& path) {
    charter::Session s;
    auto st = s.load_file(path);
    INFO(messages(st));
    REQUIRE(st.ok());
    return s;
}

charter::Session proposal(const fs::path& path, std::vector<fs::path> allowed = {}) {
    charter::Options options;
    options.allowed_paths = std::move(allowed);
    charter::Session s(options);
    auto st = s.load_proposal(path);
    INFO(messages(st));
    REQUIRE(st.ok());
    return s;
}

charter::ModelDiff diff(charter::Session& before, charter::Session& after) {
    auto r = charter::Session::diff(before, after);
    INFO(messages(r));
    REQUIRE(r.ok());
    return r.value;
}

std::string text(const Cell& c) {
    if (const auto* e = std::get_if<Entity>(&c)) return e->id;
    if (const auto* s = std::get_if<std::string>(&c)) return "\"" + *s + "\"";
    if (const auto* i = std::get_if<std::int64_t>(&c)) return std::to_string(*i);
    return "none";
}

std::vector<std::string> tuples(const charter::ModelDiff& d, const std::string& relation, bool added) {
    std::vector<std::string> out;
    for (const auto& r : d.relations) {
        if (r.relation != relation) continue;
        for (const auto& row : added ? r.added : r.removed) {
            std::string t;
            for (const auto& c : row) t += (t.empty() ? "" : ", ") + text(c);
            out.push_back(t);
        }
    }
    return out;
}

std::vector<std::string> changed_relations(const charter::ModelDiff& d) {
    std::vector<std::string> out;
    for (const auto& r : d.relations) out.push_back(r.relation);
    return out;
}

constexpr std::string_view organisation = R"(import std
body SSU "Sundhedssamarbejdsudvalget" : top
body SSS "Strategisk Sundhedsstyregruppe" {
    supports SSU
    body formandskab "Formandskabet" { reports_to SSS }
}
body SDK "Sundhedsdirektørkredsen" : top {
    body formandskab "Formandskabet for SDK"
}
body FKØ "Fælleskommunal Økonomigruppe" {
    reports_to SDK.formandskab
    size 1..2
}
party Odense "Odense Kommune"
person Anna "Anna" { member FKØ for Odense }
flow godkendelse "Godkendelse" {
    step draft   by FKØ              drafts
    step approve by SSS.formandskab  approves
}
)";

}  // namespace

TEST_CASE("a proposal's removed and added facts are tuples removed and added, derived ones too") {
    Folder f;
    auto before_path = f.write("model.charter", organisation);
    auto after_path = f.write("proposals/p.charter", "amends \"../model.charter\"\n"
                                                      "remove reports_to(FKØ, SDK.formandskab)\n"
                                                      "reports_to(FKØ, SSS)\n");
    auto before = model(before_path);
    // §2: the model lies above the proposal's directory, so it must be allowed.
    charter::Session refused;
    CHECK_FALSE(refused.load_proposal(after_path).ok());
    auto after = proposal(after_path, {f.path()});
    auto d = diff(before, after);
    CHECK(tuples(d, "reports_to", true) == std::vector<std::string>{"FKØ, SSS"});
    CHECK(tuples(d, "reports_to", false) == std::vector<std::string>{"FKØ, SDK.formandskab"});
    CHECK(tuples(d, "reports_to+", true) == std::vector<std::string>{"FKØ, SSS"});
    CHECK(d.violations_added.empty());
    CHECK(d.violations_removed.empty());
    CHECK(d.approvals.empty());
    REQUIRE(d.reporting_chains.size() == 1);
    CHECK(d.reporting_chains[0].question == "? reports_to+(FKØ, ?up)");
    CHECK(d.reporting_chains[0].before.rows == std::vector<std::vector<Cell>>{{Entity{"SDK.formandskab"}}});
    CHECK(d.reporting_chains[0].after.rows == std::vector<std::vector<Cell>>{{Entity{"SSS"}}});
    // The relations come sorted by name.
    auto names = changed_relations(d);
    CHECK(std::is_sorted(names.begin(), names.end()));
}

TEST_CASE("two loads of the same model differ in nothing") {
    Folder f;
    auto path = f.write("model.charter", organisation);
    auto a = model(path);
    auto b = model(path);
    auto d = diff(a, b);
    CHECK(d.relations.empty());
    CHECK(d.violations_added.empty());
    CHECK(d.violations_removed.empty());
    CHECK(d.approvals.empty());
    CHECK(d.reporting_chains.empty());
}

TEST_CASE("a new member beyond the size is a new error; removing it resolves the error") {
    Folder f;
    auto before_path = f.write("model.charter", organisation);
    auto after_path = f.write("more.charter", "amends \"model.charter\"\n"
                                               "person Bo \"Bo\" { member FKØ for Odense }\n"
                                               "person Ea \"Ea\" { member FKØ for Odense }\n");
    auto before = model(before_path);
    auto after = proposal(after_path);
    auto d = diff(before, after);
    REQUIRE(d.violations_added.size() == 1);
    CHECK(d.violations_added[0].check == "size");
    CHECK(d.violations_added[0].severity == charter::Severity::error);
    CHECK(d.violations_added[0].subjects == std::vector<std::string>{"FKØ"});
    // The other way round, the same violation is resolved.
    auto back = diff(after, before);
    CHECK(back.violations_added.empty());
    REQUIRE(back.violations_removed.size() == 1);
    CHECK(back.violations_removed[0].check == "size");
}

TEST_CASE("removing an entity removes its nested entities and every stated fact naming them") {
    Folder f;
    f.write("model.charter", organisation);
    auto after_path = f.write("p.charter", "amends \"model.charter\"\nremove SSS\n");
    auto before = model(f.write("model.charter", organisation));
    auto after = proposal(after_path);
    auto d = diff(before, after);
    CHECK(tuples(d, "kind", false) == std::vector<std::string>{"SSS, body", "SSS.formandskab, body"});
    CHECK(tuples(d, "supports", false) == std::vector<std::string>{"SSS, SSU"});
    CHECK(tuples(d, "reports_to", false) == std::vector<std::string>{"SSS.formandskab, SSS"});
    // The flow's approving step named SSS.formandskab: it now names no one.
    REQUIRE(d.approvals.size() == 1);
    CHECK(d.approvals[0].question == "who approves godkendelse");
    CHECK(d.approvals[0].before.rows.size() == 1);
    CHECK(d.approvals[0].after.rows.empty());
    // The removed entities are no longer names of the model.
    auto q = after.query("? kind(SSS, ?k)");
    CHECK_FALSE(q.ok());
    auto entities = after.entities();
    CHECK(std::find(entities.begin(), entities.end(), "SSS.formandskab") == entities.end());
}

TEST_CASE("a renamed entity keeps its violations: a rename adds none and resolves none") {
    Folder f;
    auto before_path = f.write("model.charter", std::string(organisation) + "person Bo \"Bo\" { member FKØ for Odense }\n"
                                                                            "person Ea \"Ea\" { member FKØ for Odense }\n");
    auto after_path = f.write("p.charter", "amends \"model.charter\"\nrename FKØ to Økonomigruppen\n"
                                           "rename SDK.formandskab to SDK.præsidium\n");
    auto before = model(before_path);
    auto after = proposal(after_path);
    auto check = after.check();
    REQUIRE(check.ok());
    REQUIRE(check.value.size() == 1);
    CHECK(check.value[0].subjects == std::vector<std::string>{"Økonomigruppen"});
    auto d = diff(before, after);
    CHECK(d.violations_added.empty());
    CHECK(d.violations_removed.empty());
    CHECK(d.approvals.empty());           // who approves godkendelse: SSS.formandskab, unchanged
    CHECK(d.reporting_chains.empty());    // FKØ → SDK.formandskab is Økonomigruppen → SDK.præsidium
    // The tuples themselves do change: the identifiers are data.
    CHECK(tuples(d, "reports_to", true) == std::vector<std::string>{"Økonomigruppen, SDK.præsidium"});
    CHECK(tuples(d, "part_of", true) == std::vector<std::string>{"SDK.præsidium, SDK"});
    // The flow's step names the renamed body.
    auto who = after.query("? step_performer(godkendelse, 1, _, ?who)");
    REQUIRE(who.ok());
    CHECK(who.value.rows == std::vector<std::vector<Cell>>{{Entity{"Økonomigruppen"}}});
}

TEST_CASE("a rename reaches the cells of the model's data files") {
    Folder f;
    f.write("members.tsv", "FKØ\tAnna\tmember\tOdense\n");
    auto before_path = f.write("model.charter", "import std\nbody FKØ \"FKØ\" : top\nparty Odense\n"
                                                "facts member from \"members.tsv\" declare person\n");
    auto after_path = f.write("p.charter", "amends \"model.charter\"\nrename Anna to AnnaHansen\n");
    auto before = model(before_path);
    auto after = proposal(after_path);
    auto d = diff(before, after);
    CHECK(tuples(d, "member", true) == std::vector<std::string>{"FKØ, AnnaHansen, member, Odense"});
    CHECK(tuples(d, "member", false) == std::vector<std::string>{"FKØ, Anna, member, Odense"});
}

TEST_CASE("remove with `_` removes every stated fact it matches") {
    Folder f;
    auto before_path = f.write("model.charter", std::string(organisation) + "person Bo \"Bo\" { member FKØ for Odense }\n");
    auto after_path = f.write("p.charter", "amends \"model.charter\"\nremove member(FKØ, _, _, Odense)\n");
    auto before = model(before_path);
    auto after = proposal(after_path);
    auto d = diff(before, after);
    CHECK(tuples(d, "member", false) == std::vector<std::string>{"FKØ, Anna, member, Odense", "FKØ, Bo, member, Odense"});
}

TEST_CASE("proposal errors name the statement, file, line and column") {
    Folder f;
    f.write("model.charter", organisation);
    struct Case {
        std::string text;
        std::string message;
        std::uint32_t line;
    };
    const Case cases[] = {
        {"amends \"model.charter\"\nremove reports_to(FKØ, SSS)\n", "no such stated fact to remove", 2},
        {"amends \"model.charter\"\nremove reports_to(FKO, SSS)\n", "unknown entity `FKO`", 2},
        {"amends \"model.charter\"\nremove report_to(FKØ, SSS)\n", "unknown relation `report_to`", 2},
        {"amends \"model.charter\"\nremove reports_to+(FKØ, SSS)\n", "a closure `r+` or `r*` is derived: only stated facts can be removed", 2},
        {"amends \"model.charter\"\nremove FKO\n", "unknown entity `FKO`", 2},
        {"amends \"model.charter\"\nrename FKO to X\n", "unknown entity `FKO`", 2},
        {"amends \"model.charter\"\nrename FKØ to SSS\n", "`SSS` is already declared", 2},
        {"amends \"model.charter\"\nrename SDK.formandskab to Formandskab\n", "`SDK.formandskab` is nested in `SDK`, so its new name must be too", 2},
        {"amends \"missing.charter\"\n", "missing.charter`: no such file", 1},
        {"amends \"p.charter\"\n", "a proposal cannot amend itself", 1},
        {"body X\namends \"model.charter\"\n", "`amends` comes first in a proposal", 2},
        {"amends \"model.charter\"\namends \"model.charter\"\n", "a proposal amends one model; this is a second `amends`", 2},
        {"import std\nbody X\n", "p.charter` is not a proposal: it does not start with `amends \"model.charter\"`", 1},
    };
    for (const auto& c : cases) {
        CAPTURE(c.text);
        auto path = f.write("p.charter", c.text);
        charter::Session s;
        auto st = s.load_proposal(path);
        CHECK_FALSE(st.ok());
        REQUIRE_FALSE(st.diagnostics.empty());
        const auto& d = st.diagnostics.front();
        CHECK(d.message.ends_with(c.message));  // a file's name is shown as it was given
        CHECK(d.line == c.line);
        CHECK(d.file.ends_with("p.charter"));
        // The session is left empty and usable.
        CHECK(s.entities().empty());
        auto again = s.load_file(f.write("model.charter", organisation));
        INFO(messages(again));
        CHECK(again.ok());
    }
}

TEST_CASE("a proposal is loaded into a new session only") {
    Folder f;
    auto m = f.write("model.charter", organisation);
    auto p = f.write("p.charter", "amends \"model.charter\"\n");
    auto s = model(m);
    auto st = s.load_proposal(p);
    CHECK_FALSE(st.ok());
    CHECK(s.query("? kind(FKØ, body)").value.rows.size() == 1);
}

TEST_CASE("diff_assumptions reports what the assumptions changed") {
    Folder f;
    auto s = model(f.write("model.charter", organisation));
    auto none = s.diff_assumptions();
    REQUIRE(none.ok());
    CHECK(none.value.relations.empty());
    REQUIRE(s.assume("remove reports_to(FKØ, SDK.formandskab)").ok());
    REQUIRE(s.assume("add reports_to(FKØ, SSS)").ok());
    auto d = s.diff_assumptions();
    REQUIRE(d.ok());
    CHECK(tuples(d.value, "reports_to", true) == std::vector<std::string>{"FKØ, SSS"});
    CHECK(tuples(d.value, "reports_to", false) == std::vector<std::string>{"FKØ, SDK.formandskab"});
    REQUIRE(d.value.reporting_chains.size() == 1);
    // The session keeps its assumptions.
    CHECK(s.query("? reports_to(FKØ, SSS)").value.rows.size() == 1);
}

TEST_CASE("who approves is compared for every flow of either side") {
    Folder f;
    auto before = model(f.write("model.charter", organisation));
    auto after = proposal(f.write("p.charter", "amends \"model.charter\"\n"
                                               "flow ny \"Ny\" { step approve by SDK approves }\n"));
    auto d = diff(before, after);
    REQUIRE(d.approvals.size() == 1);
    CHECK(d.approvals[0].question == "who approves ny");
    CHECK(d.approvals[0].before.rows.empty());
    CHECK(d.approvals[0].before.columns == std::vector<std::string>{"step", "approver"});
    CHECK(d.approvals[0].after.rows == std::vector<std::vector<Cell>>{{std::string("approve"), Entity{"SDK"}}});
}

TEST_CASE("a whole model as AFTER: relations only one side has are added or removed whole") {
    Folder f;
    auto before = model(f.write("a.charter", organisation));
    auto after = model(f.write("b.charter", std::string(organisation) + "relation budget(body: body, n: int)\nbudget(FKØ, 3)\n"));
    auto d = diff(before, after);
    CHECK(tuples(d, "budget", true) == std::vector<std::string>{"FKØ, 3"});
    CHECK(changed_relations(d) == std::vector<std::string>{"budget"});
}

TEST_CASE("a rename inside a seat rule's text is no new violation either") {
    Folder f;
    auto before_path = f.write("model.charter", "import std\nparty Odense\nperson Anna { member FKØ for Odense }\n"
                                                "body FKØ : top { seats { 2 from Odense } }\n");
    auto after_path = f.write("p.charter", "amends \"model.charter\"\nrename Odense to OdenseKommune\n");
    auto before = model(before_path);
    auto after = proposal(after_path);
    auto check = after.check();
    REQUIRE(check.value.size() == 1);
    CHECK(check.value[0].message == "FKØ: 1 seats for OdenseKommune, but the rule is `2 from Odense`");
    auto d = diff(before, after);
    CHECK(d.violations_added.empty());
    CHECK(d.violations_removed.empty());
}

TEST_CASE("the same model written in another order differs in nothing; new names are new tuples") {
    Folder f;
    auto a = model(f.write("a.charter", "import std\nbody A \"A\" : top\nbody B \"B\" { reports_to A }\nbody C { reports_to B }\n"
                                        "relation budget(body: body, n: int)\nbudget(A, 7)\nbudget(B, 9)\n"));
    auto b = model(f.write("b.charter", "import std\nrelation budget(body: body, n: int)\nbudget(B, 9)\nbudget(A, 7)\n"
                                        "body C { reports_to B }\nbody B \"B\" { reports_to A }\nbody A \"A\" : top\n"));
    auto same = diff(a, b);
    CHECK(same.relations.empty());
    CHECK(same.violations_added.empty());
    auto c = model(f.write("c.charter", "import std\nbody D\nbody A \"A\" : top\nbody B \"B\" { reports_to A }\n"
                                        "body C { reports_to D }\nrelation budget(body: body, n: int)\nbudget(A, 8)\nbudget(B, 9)\n"));
    auto d = diff(a, c);
    CHECK(tuples(d, "reports_to", true) == std::vector<std::string>{"C, D"});
    CHECK(tuples(d, "reports_to", false) == std::vector<std::string>{"C, B"});
    CHECK(tuples(d, "budget", true) == std::vector<std::string>{"A, 8"});
    CHECK(tuples(d, "budget", false) == std::vector<std::string>{"A, 7"});
    CHECK(tuples(d, "kind", true) == std::vector<std::string>{"D, body"});
    REQUIRE(d.violations_added.size() == 1);
    CHECK(d.violations_added[0].check == "orphan_body");
}
