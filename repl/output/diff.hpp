// `charter diff` and the shell's `:diff` (§9): a reorganisation as a review — new errors first,
// with counts — or as one JSON document for machines.
#pragma once

#include "repl/output/json.hpp"

#include <charter/charter.hpp>

#include <cstddef>
#include <string>

namespace charter::repl {

/// Tuples listed per relation and direction in text; JSON lists them all.
inline constexpr std::size_t diff_tuples_shown = 20;

/// The summary line (`1 new error, …`), then one section per kind of change that has any: new
/// errors, new warnings, resolved violations, changed `who approves` answers, changed reporting
/// chains, changed relations. `before`/`after` name the two sides in a header ("" for none).
std::string format_diff(const ModelDiff& diff, const std::string& before, const std::string& after,
                        bool colour = false);

/// `{"before", "after", "summary": {…}, "violations_added": […], "violations_removed": […],
///   "approvals": […], "reporting_chains": […], "relations": […]}`
Json diff_json(const ModelDiff& diff, const std::string& before, const std::string& after);

/// True when the diff adds an error-level violation (`charter diff` exits 1).
bool adds_error(const ModelDiff& diff);

} // namespace charter::repl
