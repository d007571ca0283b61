// Unit tests of the command line's output formats (repl/output/): tables as text, JSON, CSV,
// violations and test results as text, and SARIF.
//
// unit_tests links only the library, so the formatting sources are compiled into this file.
#include "repl/output/csv.cpp"
#include "repl/output/json.cpp"
#include "repl/output/report.cpp"
#include "repl/output/sarif.cpp"
#include "repl/output/table.cpp"

#include <doctest/doctest.h>

using namespace charter;
using namespace charter::repl;

namespace {

Table approvers() {
    Table t;
    t.columns = {"step", "approver"};
    t.rows = {{Entity{"approve"}, Entity{"SSS.formandskab"}}, {Entity{"decide"}, Entity{"FKØ"}}};
    return t;
}

Table mixed() {
    Table t;
    t.columns = {"who", "n", "note"};
    t.rows = {{Entity{"FKØ"}, std::int64_t{-3}, None{}},
              {Entity{"SSU"}, std::int64_t{12}, std::string("says \"hi\", ok\nthen")}};
    return t;
}

Table yes_no(bool holds) {
    Table t;
    if (holds)
        t.rows.emplace_back();
    return t;
}

Violation violation(std::string check, Severity severity, std::string message,
                    std::vector<std::string> subjects, Location location) {
    return Violation{std::move(check), severity, std::move(message), std::move(subjects),
                     std::move(location)};
}

} // namespace

TEST_CASE("a cell prints an entity by identifier, a string quoted, an int plain, none as none") {
    CHECK(format_cell(Entity{"SDK.formandskab"}) == "SDK.formandskab");
    CHECK(format_cell(std::string("Kate Bøgh")) == "\"Kate Bøgh\"");
    CHECK(format_cell(std::string("a \"b\" \\ c\nd")) == "\"a \\\"b\\\" \\\\ c\\nd\"");
    CHECK(format_cell(std::string("\x1b[31m")) == "\"\\x1b[31m\"");
    CHECK(format_cell(std::int64_t{-42}) == "-42");
    CHECK(format_cell(None{}) == "none");
}

TEST_CASE("display width counts code points, not bytes") {
    CHECK(display_width("FKØ") == 3);
    CHECK(display_width("æøå") == 3);
    CHECK(display_width("") == 0);
}

TEST_CASE("a table aligns its columns by code points and ends with the row count") {
    CHECK(format_table(approvers()) == "step     approver\n"
                                       "-------  ---------------\n"
                                       "approve  SSS.formandskab\n"
                                       "decide   FKØ\n"
                                       "(2 rows)\n");
}

TEST_CASE("a table with one row says row, and with none still shows its header") {
    Table t;
    t.columns = {"top"};
    t.rows = {{Entity{"SSU"}}};
    CHECK(format_table(t) == "top\n---\nSSU\n(1 row)\n");
    t.rows.clear();
    CHECK(format_table(t) == "top\n---\n(0 rows)\n");
}

TEST_CASE("a query without columns prints yes or no") {
    CHECK(format_table(yes_no(true)) == "yes\n");
    CHECK(format_table(yes_no(false)) == "no\n");
}

TEST_CASE("a table in colour still has no escape codes in its rows") {
    const std::string text = format_table(approvers(), true);
    CHECK(text.find("\x1b[1mstep\x1b[0m") != std::string::npos);
    CHECK(text.find("approve  SSS.formandskab\n") != std::string::npos);
}

TEST_CASE("a table as JSON has columns and rows, entities as strings, none as null") {
    CHECK(json_line(table_json(mixed())) ==
          R"({"columns": ["who", "n", "note"], "rows": [["FKØ", -3, null], )"
          R"(["SSU", 12, "says \"hi\", ok\nthen"]]})");
}

TEST_CASE("JSON writes non-ASCII as is and replaces invalid UTF-8") {
    Table t;
    t.columns = {"x"};
    t.rows = {{std::string("Bøgh")}, {std::string("bad \xff byte")}};
    CHECK(json_line(table_json(t)) == "{\"columns\": [\"x\"], \"rows\": [[\"Bøgh\"], "
                                      "[\"bad \xef\xbf\xbd byte\"]]}");
}

TEST_CASE("a query without columns is an empty row in JSON when it holds") {
    CHECK(json_line(table_json(yes_no(true))) == R"({"columns": [], "rows": [[]]})");
    CHECK(json_line(table_json(yes_no(false))) == R"({"columns": [], "rows": []})");
}

TEST_CASE("a question found in a file carries its text and location in JSON") {
    FileQuery q{{"model.charter", 12, 1}, "? reports_to+(FKØ, ?top)", {}};
    q.answer.columns = {"top"};
    q.answer.rows = {{Entity{"SSU"}}};
    CHECK(json_line(file_query_json(q)) ==
          R"j({"query": "? reports_to+(FKØ, ?top)", "location": "model.charter:12:1", )j"
          R"j("columns": ["top"], "rows": [["SSU"]]})j");
}

TEST_CASE("a table as CSV quotes only the fields that need it and ends lines in CRLF") {
    CHECK(table_csv(mixed()) == "who,n,note\r\n"
                                "FKØ,-3,\r\n"
                                "SSU,12,\"says \"\"hi\"\", ok\nthen\"\r\n");
    CHECK(csv_field("plain") == "plain");
    CHECK(csv_field("a,b") == "\"a,b\"");
    CHECK(csv_field("a\rb") == "\"a\rb\"");
}

TEST_CASE("a violation prints as file:line:col: severity: [check] message") {
    auto v = violation("seats", Severity::error, "FKØ has 1 member for Odense", {"FKØ", "Odense"},
                       {"model.charter", 4, 12});
    CHECK(format_violation(v) ==
          "model.charter:4:12: error: [seats] FKØ has 1 member for Odense\n");
    v.severity = Severity::warning;
    v.location = {};
    CHECK(format_violation(v) == "warning: [seats] FKØ has 1 member for Odense\n");
}

TEST_CASE("the check summary counts errors and warnings, or says no violations") {
    const auto e = violation("a", Severity::error, "m", {}, {"f", 1, 1});
    const auto w = violation("b", Severity::warning, "m", {}, {"f", 1, 1});
    CHECK(format_violation_summary({}) == "no violations\n");
    CHECK(format_violation_summary({e}) == "1 error\n");
    CHECK(format_violation_summary({e, e, w}) == "2 errors, 1 warning\n");
    CHECK(format_violation_summary({w, w}) == "2 warnings\n");
    CHECK(format_violations({w, e}) == "f:1:1: warning: [b] m\nf:1:1: error: [a] m\n"
                                       "1 error, 1 warning\n");
}

TEST_CASE("violations as JSON keep the contract's key order") {
    auto v = violation("seats", Severity::warning, "short of members", {"FKØ", "Odense"},
                       {"model.charter", 4, 12});
    CHECK(json_line(violations_json({v})) ==
          R"({"violations": [{"check": "seats", "severity": "warning", )"
          R"("message": "short of members", "subjects": ["FKØ", "Odense"], )"
          R"("location": "model.charter:4:12"}]})");
    CHECK(json_line(violations_json({})) == R"({"violations": []})");
}

TEST_CASE("test results print each failure with expected and found, then the counts") {
    std::vector<Expectation> results = {
        {{"t.charter", 3, 1}, "expect ? chain(FKØ, SDK)", true, "", ""},
        {{"t.charter", 5, 1},
         "expect no violations",
         false,
         "no violations",
         "2 violations:\nseats on FKØ"},
    };
    CHECK(format_expectations(results) == "t.charter:5: expect no violations\n"
                                          "  expected: no violations\n"
                                          "  found: 2 violations:\n"
                                          "    seats on FKØ\n"
                                          "1 passed, 1 failed\n");
    CHECK(format_expectations({}) == "0 passed, 0 failed\n");
}

TEST_CASE("test results as JSON list every expectation and count them") {
    std::vector<Expectation> results = {
        {{"t.charter", 5, 1}, "expect no violations", false, "no violations", "1 violation"}};
    CHECK(json_line(expectations_json(results)) ==
          R"({"expectations": [{"location": "t.charter:5:1", "statement": "expect no violations", )"
          R"("passed": false, "expected": "no violations", "found": "1 violation"}], )"
          R"("passed": 0, "failed": 1})");
}

TEST_CASE("SARIF paths are percent-encoded URI references") {
    CHECK(uri_reference("dir/FKØ model.charter") == "dir/FK%C3%98%20model.charter");
}

TEST_CASE("SARIF has one rule per check and one result per violation") {
    const auto text = violations_sarif(
        {violation("seats", Severity::error, "short", {"FKØ"}, {"model.charter", 4, 12}),
         violation("seats", Severity::warning, "over", {"SSU"}, {"model.charter", 9, 3}),
         violation("orphan_body", Severity::error, "alone", {"SSS"}, {})});
    const auto log = nlohmann::json::parse(text);
    CHECK(log["version"] == "2.1.0");
    const auto& run = log["runs"][0];
    CHECK(run["tool"]["driver"]["name"] == "charter");
    REQUIRE(run["tool"]["driver"]["rules"].size() == 2);
    CHECK(run["tool"]["driver"]["rules"][1]["id"] == "orphan_body");
    REQUIRE(run["results"].size() == 3);
    const auto& first = run["results"][0];
    CHECK(first["ruleId"] == "seats");
    CHECK(first["level"] == "error");
    CHECK(first["message"]["text"] == "short");
    const auto& where = first["locations"][0]["physicalLocation"];
    CHECK(where["artifactLocation"]["uri"] == "model.charter");
    CHECK(where["region"]["startLine"] == 4);
    CHECK(where["region"]["startColumn"] == 12);
    CHECK(run["results"][1]["level"] == "warning");
    CHECK(run["results"][2]["ruleIndex"] == 1);
    CHECK(run["results"][2]["locations"].empty());
}
