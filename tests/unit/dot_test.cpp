// Graphviz pictures through the public API (`Session::dot`): every example organisation and
// flow is rendered by the real Graphviz (`dot -Tsvg`, Debian's graphviz, which tools/setup.sh
// installs), which must accept it without a warning; the text is stable and uses labels.
#include <doctest/doctest.h>

#include <charter/charter.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

namespace {

namespace fs = std::filesystem;

const fs::path examples = fs::path(__FILE__).parent_path().parent_path().parent_path() / "examples";

std::string messages(const charter::Status& s) {
    std::string out;
    for (const auto& d : s.diagnostics) out += charter::format(d);
    return out;
}

charter::Session loaded(const fs::path& path) {
    charter::Session s;
    auto st = s.load_file(path);
    INFO(messages(st));
    REQUIRE(st.ok());
    return s;
}

/// Renders `dot_text` with `dot -Tsvg`; returns what Graphviz printed on standard error, or
/// "exit N" first when it failed.
std::string render(const std::string& dot_text) {
    const fs::path dir = fs::temp_directory_path();
    const std::string stem = "charter-dot-test-" + std::to_string(::getpid());
    const fs::path input = dir / (stem + ".dot"), svg = dir / (stem + ".svg"), errors = dir / (stem + ".err");
    std::ofstream(input, std::ios::binary) << dot_text;
    const std::string command = "dot -Tsvg '" + input.string() + "' -o '" + svg.string() + "' 2> '" + errors.string() + "'";
    const int rc = std::system(command.c_str());
    std::ifstream in(errors);
    std::stringstream err;
    err << in.rdbuf();
    std::string out = rc == 0 ? "" : "exit " + std::to_string(rc) + "\n";
    out += err.str();
    if (rc == 0 && fs::file_size(svg) < 100) out += "empty svg\n";
    for (const auto& p : {input, svg, errors}) fs::remove(p);
    return out;
}

bool have_graphviz() { return std::system("dot -V > /dev/null 2>&1") == 0; }

}  // namespace

TEST_CASE("every example organisation renders with Graphviz, without a warning") {
    REQUIRE_MESSAGE(have_graphviz(), "Graphviz's `dot` is needed (apt-get install graphviz; tools/setup.sh does)");
    for (const char* organisation : {"syddanmark", "hovedstaden", "midtjylland", "kl"}) {
        CAPTURE(organisation);
        auto s = loaded(examples / organisation / "model.charter");
        auto picture = s.dot();
        INFO(messages(picture));
        REQUIRE(picture.ok());
        CHECK(picture.value.starts_with("// charter dot: "));
        CHECK(render(picture.value) == "");
        // Every relation of the model that links two entities draws too.
        auto all = s.dot({"reports_to", "supports", "member", "belongs_to", "part_of"});
        REQUIRE(all.ok());
        CHECK(render(all.value) == "");
    }
}

TEST_CASE("every flow and flow case of the examples renders with Graphviz") {
    REQUIRE(have_graphviz());
    for (const char* organisation : {"syddanmark", "hovedstaden", "midtjylland", "kl"}) {
        CAPTURE(organisation);
        auto s = loaded(examples / organisation / "model.charter");
        auto flows = s.query("? kind(?f, flow)");
        auto cases = s.query("? case_flow(?c, _)");
        REQUIRE(flows.ok());
        REQUIRE(cases.ok());
        for (const auto* table : {&flows.value, &cases.value})
            for (const auto& row : table->rows) {
                const std::string id = std::get<charter::Entity>(row[0]).id;
                CAPTURE(id);
                auto picture = s.dot({}, id);
                INFO(messages(picture));
                REQUIRE(picture.ok());
                CHECK(render(picture.value) == "");
            }
    }
}

TEST_CASE("the picture is stable, labels its nodes and nests entities as clusters") {
    const auto model = examples / "syddanmark" / "model.charter";
    auto a = loaded(model);
    auto b = loaded(model);
    auto pa = a.dot();
    auto pb = b.dot();
    REQUIRE(pa.ok());
    CHECK(pa.value == pb.value);
    CHECK(pa.value.find("subgraph \"cluster_SDK\" {") != std::string::npos);
    CHECK(pa.value.find("\"SDK.formandskab\" [label=\"Formandskabet for\\nSundhedsdirektørkredsen\"") != std::string::npos);
    CHECK(pa.value.find("\"FKØ\" -> \"SDK.formandskab\" [color=\"#303030\", penwidth=1.4];  // reports_to") != std::string::npos);
    CHECK(pa.value.find("label=\"supports\"") != std::string::npos);
}

TEST_CASE("a flow's picture has its steps in order and who performs them") {
    auto s = loaded(examples / "syddanmark" / "model.charter");
    auto p = s.dot({}, "revision_track3");
    REQUIRE(p.ok());
    CHECK(p.value.find("\"#step 3\" -> \"#step 4\"") != std::string::npos);
    CHECK(p.value.find("\"SSS.formandskab\" -> \"#step 4\" [color=\"#b03a2e\", penwidth=1.6, label=\"approves\"]") != std::string::npos);
    // Without a case, `owner` names no one: the step says what it would take.
    auto alone = s.dot({}, "revision_track1");
    REQUIRE(alone.ok());
    CHECK(alone.value.find("[label=\"sponsors of owner\", shape=note, style=dashed]") != std::string::npos);
}

TEST_CASE("dot errors: an unknown relation, a relation that links nothing, an unknown flow") {
    auto s = loaded(examples / "syddanmark" / "model.charter");
    auto r = s.dot({"reports_too"});
    REQUIRE_FALSE(r.ok());
    CHECK(r.diagnostics.front().message == "unknown relation `reports_too`");
    CHECK(r.diagnostics.front().hint == "did you mean `reports_to`?");
    auto one = s.dot({"unclear_text"});
    REQUIRE_FALSE(one.ok());
    CHECK(one.diagnostics.front().message == "`unclear_text` links nothing: it takes 1 argument, and an edge needs two entities");
    auto flow = s.dot({}, "revision_track");
    REQUIRE_FALSE(flow.ok());
    CHECK(flow.diagnostics.front().message == "unknown flow `revision_track`");
    auto body = s.dot({}, "SSS");
    REQUIRE_FALSE(body.ok());
    CHECK(body.diagnostics.front().message == "`SSS` is a body, not a flow or a case");
    auto topic = s.dot({}, "TvistEksempel");
    REQUIRE_FALSE(topic.ok());
    CHECK(topic.diagnostics.front().message == "`TvistEksempel` follows no flow: it is a topic case");
}
