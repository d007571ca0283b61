// Text output of `charter check` and `charter test` (§9): one violation per line and a summary;
// each failed expectation with what was expected and found, and `N passed, N failed` last.
#pragma once

#include <charter/charter.hpp>

#include <string>
#include <vector>

namespace charter::repl {

/// `file:line:col`, `file:line` (with_column false), or "" for a location with no file.
std::string format_location(const Location& location, bool with_column = true);

/// `file:line:col: error: [check] message` and '\n'.
std::string format_violation(const Violation& violation, bool colour = false);
/// `2 errors, 1 warning`, or `no violations`; with '\n'.
std::string format_violation_summary(const std::vector<Violation>& violations, bool colour = false);
/// Every violation in the order given, then the summary.
std::string format_violations(const std::vector<Violation>& violations, bool colour = false);

/// `file:line: expect …`, `  expected: …`, `  found: …`, each with '\n'.
std::string format_failed_expectation(const Expectation& expectation, bool colour = false);
/// Every failed expectation, then `N passed, N failed` as the last line.
std::string format_expectations(const std::vector<Expectation>& expectations, bool colour = false);

} // namespace charter::repl
