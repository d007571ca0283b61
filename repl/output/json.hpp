// Machine-readable output (§9): query answers, violations and test results as JSON, UTF-8
// written as is, one document per line: `{"columns": ["top"], "rows": [["SSU"]]}`.
#pragma once

#include <charter/charter.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace charter::repl {

/// Keys keep the order they were added in (the contract's order, not alphabetical).
using Json = nlohmann::ordered_json;

/// One line, `", "` and `": "` between items, non-ASCII as is, invalid UTF-8 as U+FFFD.
std::string json_line(const Json& value);
/// Indented by two spaces (for SARIF), same character rules.
std::string json_pretty(const Json& value);

/// An entity as its identifier, a string as a string, an int as a number, none as null.
Json cell_json(const Cell& cell);
/// `"file:line:col"`, or null for a location with no file.
Json location_json(const Location& location);

/// `{"columns": […], "rows": [[…], …]}`
Json table_json(const Table& table);
/// `{"query": …, "location": …, "columns": […], "rows": […]}` for a `?` found in a file.
Json file_query_json(const FileQuery& query);
/// `{"violations": [{"check", "severity", "message", "subjects", "location"}, …]}`
Json violations_json(const std::vector<Violation>& violations);
/// `{"expectations": [{"location", "statement", "passed", "expected", "found"}, …],
///   "passed": N, "failed": N}`
Json expectations_json(const std::vector<Expectation>& expectations);

std::string severity_name(Severity severity);

} // namespace charter::repl
