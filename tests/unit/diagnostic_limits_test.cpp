// Diagnostics under hostile input (§9): long lines give short excerpts, unprintable bytes are
// shown printable, and a run keeps at most max_kept_errors errors.
#include "lang/diagnostic.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace charter::lang;

TEST_CASE("an excerpt of a short line is the line itself") {
    const Excerpt e = excerpt("reports_to(FKØ, SDK)", 12);
    CHECK(e.text == "reports_to(FKØ, SDK)");
    CHECK(e.first_column == 1);
}

TEST_CASE("an excerpt of a 1 MB line is a window around the column with an ellipsis at each cut") {
    std::string line(1'000'000, 'x');
    line[500'000] = 'Y';
    const Excerpt e = excerpt(line, 500'001);
    CHECK(count_code_points(e.text) == max_excerpt_columns);
    CHECK(e.text.starts_with("…"));
    CHECK(e.text.ends_with("…"));
    // The first code point (the `…`) shows column first_column, so `Y` sits at 500'001.
    const std::size_t y = e.text.find('Y');
    REQUIRE(y != std::string::npos);
    CHECK(e.first_column + count_code_points(std::string_view(e.text).substr(0, y)) == 500'001);
}

TEST_CASE("an excerpt near either end of a long line has one ellipsis") {
    const std::string line(1000, 'a');
    const Excerpt start = excerpt(line, 3);
    CHECK(start.first_column == 1);
    CHECK_FALSE(start.text.starts_with("…"));
    CHECK(start.text.ends_with("…"));
    const Excerpt end = excerpt(line, 1000);
    CHECK(end.text.starts_with("…"));
    CHECK_FALSE(end.text.ends_with("…"));
    CHECK(end.first_column + count_code_points(end.text) - 1 == 1000);
}

TEST_CASE("an excerpt shows invalid UTF-8 as U+FFFD and control characters as pictures, one column each") {
    const std::string line = std::string("a\xff") + '\0' + "b\x01\tc\xc3\xa6\xc3";
    const Excerpt e = excerpt(line, 1);
    CHECK(e.text == "a\xEF\xBF\xBD\xE2\x90\x80" "b\xE2\x90\x81\tcæ\xEF\xBF\xBD");
    CHECK(count_code_points(e.text) == count_code_points(line));
}

TEST_CASE("render cuts a long line around the caret and keeps the caret under the span") {
    SourceManager sources;
    const std::string text = "body A \"" + std::string(100'000, 'x') + "\" zz\n";
    const SourceId id = sources.add("long.charter", "", text);
    const auto at = static_cast<std::uint32_t>(text.find("zz"));
    Diagnostic d{Severity::error, {id, at, at + 2}, "unexpected `zz`", "", {}};
    const std::string out = render(d, sources);
    CHECK(out.size() < 1000);
    std::vector<std::string> lines;
    for (std::size_t from = 0, to; (to = out.find('\n', from)) != std::string::npos; from = to + 1)
        lines.push_back(out.substr(from, to - from));
    REQUIRE(lines.size() == 3);
    const std::string& excerpt_line = lines[1];
    const std::string& caret_line = lines[2];
    REQUIRE(excerpt_line.find("zz") != std::string::npos);
    // As many code points before `zz` in the excerpt as before `^~` under it.
    CHECK(count_code_points(excerpt_line.substr(0, excerpt_line.find("zz"))) ==
          count_code_points(caret_line.substr(0, caret_line.find("^~"))));
    CHECK(caret_line.ends_with("^~"));
}

TEST_CASE("diagnostics keep the first max_kept_errors errors and count the rest") {
    Diagnostics ds;
    SourceManager sources;
    const SourceId id = sources.add("m.charter", "", std::string(10'000, ';'));
    for (std::uint32_t i = 0; i < 10'000; ++i) ds.error({id, i, i + 1}, "unexpected `;`").notes.push_back({});
    ds.warning({id, 0, 1}, "a warning is kept");
    CHECK(ds.error_count() == 10'000);
    CHECK(ds.has_errors());
    CHECK(ds.saturated());
    const auto kept = ds.take();
    REQUIRE(kept.size() == max_kept_errors + 2);
    CHECK(kept.back().message == "9900 more errors not shown");
    CHECK(kept.back().span.source == no_source);
    CHECK_FALSE(ds.has_errors());
}
