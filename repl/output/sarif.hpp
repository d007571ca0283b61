// `charter check --format sarif`: violations as a SARIF 2.1.0 log, for code-scanning tools.
#pragma once

#include <charter/charter.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace charter::repl {

/// A relative path as a URI reference: unreserved characters and '/' as is, the rest
/// percent-encoded byte by byte (so `FKØ.charter` is `FK%C3%98.charter`).
std::string uri_reference(std::string_view path);

/// One run, tool `charter`; one rule per check name (in order of first violation); one
/// result per violation: `ruleId` the check, `level` error|warning|note, the message, the
/// statement it rests on as its location (columns in code points), the subjects under
/// `properties.subjects`. Indented JSON, ending in '\n'.
std::string violations_sarif(const std::vector<Violation>& violations);

} // namespace charter::repl
