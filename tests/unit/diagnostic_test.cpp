// Diagnostics: collecting, ordering, de-duplicating, and the exact text `render` produces.
#include "lang/diagnostic.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace charter::lang;

namespace {

/// The span of the `occurrence`-th `needle` in source `id`.
Span find(const SourceManager& sources, SourceId id, std::string_view needle, int occurrence = 0) {
    const std::string_view text = sources.file(id).text;
    std::size_t at = text.find(needle);
    while (occurrence-- > 0) at = text.find(needle, at + 1);
    REQUIRE(at != std::string::npos);
    return {id, static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(at + needle.size())};
}

}  // namespace

TEST_CASE("render: location, excerpt, caret under the span and hint") {
    SourceManager sources;
    const SourceId id = sources.add("model.charter", "/m/model.charter",
                                    "import std\nbody FKØ\nbody SDK { body formandskab }\n"
                                    "reports_to(FKO, SDK.formandskab)\n");
    Diagnostic d{Severity::error, find(sources, id, "FKO"), "unknown entity `FKO`", "did you mean `FKØ`?", {}};
    CHECK(render(d, sources) ==
          "model.charter:4:12: error: unknown entity `FKO`\n"
          "    4 | reports_to(FKO, SDK.formandskab)\n"
          "      |            ^~~\n"
          "hint: did you mean `FKØ`?\n");
}

TEST_CASE("render: columns count code points, so ÆØÅ before the caret take one column each") {
    SourceManager sources;
    const SourceId id = sources.add("m.charter", "", "reports_to(ÆØÅ, Sundhedsdirektørkredsen, FKO)");
    Diagnostic d{Severity::error, find(sources, id, "FKO"), "unknown entity `FKO`", "", {}};
    CHECK(render(d, sources) ==
          "m.charter:1:42: error: unknown entity `FKO`\n"
          "    1 | reports_to(ÆØÅ, Sundhedsdirektørkredsen, FKO)\n"
          "      |                                          ^~~\n");
    // An underline of non-ASCII text has one `~` per code point.
    Diagnostic u{Severity::warning, find(sources, id, "ÆØÅ"), "odd name", "", {}};
    CHECK(render(u, sources) ==
          "m.charter:1:12: warning: odd name\n"
          "    1 | reports_to(ÆØÅ, Sundhedsdirektørkredsen, FKO)\n"
          "      |            ^~~\n");
}

TEST_CASE("render: tabs before the caret stay tabs") {
    SourceManager sources;
    const SourceId id = sources.add("t.charter", "", "body B {\n\t\tmember X\tbad\n}");
    Diagnostic d{Severity::error, find(sources, id, "bad"), "unknown role `bad`", "", {}};
    CHECK(render(d, sources) ==
          "t.charter:2:12: error: unknown role `bad`\n"
          "    2 | \t\tmember X\tbad\n"
          "      | \t\t        \t^~~\n");
}

TEST_CASE("render: the gutter widens for long line numbers") {
    std::string text;
    for (int i = 1; i < 12345; ++i) text += "party P\n";
    text += "party Q";
    SourceManager sources;
    const SourceId id = sources.add("big.charter", "", text);
    Diagnostic d{Severity::error, find(sources, id, "Q"), "unknown kind", "", {}};
    CHECK(render(d, sources) ==
          "big.charter:12345:7: error: unknown kind\n"
          " 12345 | party Q\n"
          "       |       ^\n");
}

TEST_CASE("render: an empty span or one at the end of the line is a single caret") {
    SourceManager sources;
    const SourceId id = sources.add("e.charter", "", "reports_to(A, B\nparty C");
    Diagnostic d{Severity::error, Span{id, 15, 15}, "expected `)` to close the argument list, found end of line", "", {}};
    CHECK(render(d, sources) ==
          "e.charter:1:16: error: expected `)` to close the argument list, found end of line\n"
          "    1 | reports_to(A, B\n"
          "      |                ^\n");
    // A span over the line break is cut at the end of the line.
    Diagnostic over{Severity::error, Span{id, 14, 20}, "x", "", {}};
    CHECK(render(over, sources) ==
          "e.charter:1:15: error: x\n"
          "    1 | reports_to(A, B\n"
          "      |               ^\n");
}

TEST_CASE("render: notes follow with their own location and excerpt") {
    SourceManager sources;
    const SourceId a = sources.add("a.charter", "", "body Koordinationsgruppen\n");
    const SourceId b = sources.add("b.charter", "", "# other\nparty Koordinationsgruppen\n");
    Diagnostic d{Severity::error, find(sources, b, "Koordinationsgruppen"),
                 "`Koordinationsgruppen` is declared as a party and as a body", "", {}};
    d.notes.push_back({Severity::note, find(sources, a, "Koordinationsgruppen"), "first declared here as a body", "", {}});
    CHECK(render(d, sources) ==
          "b.charter:2:7: error: `Koordinationsgruppen` is declared as a party and as a body\n"
          "    2 | party Koordinationsgruppen\n"
          "      |       ^~~~~~~~~~~~~~~~~~~~\n"
          "a.charter:1:6: note: first declared here as a body\n"
          "    1 | body Koordinationsgruppen\n"
          "      |      ^~~~~~~~~~~~~~~~~~~~\n");
}

TEST_CASE("render: a diagnostic without a source is just its message") {
    SourceManager sources;
    Diagnostic d{Severity::error, Span{}, "too many derived tuples", "", {}};
    CHECK(render(d, sources) == "error: too many derived tuples\n");
    d.hint = "raise --max-tuples";
    CHECK(render(d, sources) == "error: too many derived tuples\nhint: raise --max-tuples\n");
}

TEST_CASE("render: colour codes only when asked for") {
    SourceManager sources;
    const SourceId id = sources.add("m.charter", "", "party X");
    Diagnostic d{Severity::warning, find(sources, id, "X"), "lonely party", "add a member", {}};
    const std::string plain = render(d, sources, false);
    const std::string coloured = render(d, sources, true);
    CHECK(plain.find('\x1b') == std::string::npos);
    CHECK(coloured.find("\x1b[") != std::string::npos);
    CHECK(coloured.find("warning:") != std::string::npos);
    CHECK(coloured.find("lonely party") != std::string::npos);
    CHECK(coloured.find("party X") != std::string::npos);
}

TEST_CASE("Diagnostics counts errors but not warnings") {
    Diagnostics ds;
    CHECK_FALSE(ds.has_errors());
    ds.warning(Span{}, "w");
    CHECK_FALSE(ds.has_errors());
    CHECK(ds.error_count() == 0);
    Diagnostic& e = ds.error(Span{}, "e", "h");
    CHECK(e.message == "e");
    CHECK(e.hint == "h");
    CHECK(e.severity == Severity::error);
    ds.add({Severity::error, Span{}, "e2", "", {}});
    CHECK(ds.has_errors());
    CHECK(ds.error_count() == 2);
    CHECK(ds.items().size() == 3);
}

TEST_CASE("take sorts by source, offset and severity and drops exact duplicates") {
    Diagnostics ds;
    ds.error(Span{1, 5, 6}, "b1");
    ds.warning(Span{0, 9, 10}, "a9 warning");
    ds.error(Span{0, 9, 10}, "a9 error");
    ds.error(Span{0, 2, 3}, "a2");
    ds.error(Span{no_source, 0, 0}, "global");
    ds.error(Span{0, 2, 3}, "a2 other");
    ds.error(Span{0, 2, 3}, "a2");          // exact duplicate of the first a2
    ds.error(Span{0, 2, 3}, "a2", "hint");  // differs in its hint: kept
    const auto items = ds.take();
    std::vector<std::string> messages;
    for (const auto& d : items) messages.push_back(d.message);
    const std::vector<std::string> expected = {"a2", "a2 other", "a2", "a9 error", "a9 warning", "b1", "global"};
    CHECK(messages == expected);
    CHECK(items[2].hint == "hint");
    CHECK(ds.items().empty());
    CHECK_FALSE(ds.has_errors());
}
