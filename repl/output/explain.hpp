// `:why` and `:whynot` as text (§9): a derivation as a tree down to stated facts, each with its
// `file:line`; what blocks a missing fact, rule by rule.
#pragma once

#include <charter/charter.hpp>

#include <string>
#include <vector>

namespace charter::repl {

/// The derivation as a tree: each fact on a line, `stated at file:line` for a stated one, and
/// under a derived one the rule it follows by (`by rule …  (file:line)`), then its premises.
std::string format_derivation(const Derivation& derivation, bool colour = false);

/// `FACT does not hold:` then one paragraph per blocker: the stated facts or the rule, the
/// literal that fails, and the nearest facts.
std::string format_blockers(const std::string& fact, const std::vector<Blocker>& blockers,
                            bool colour = false);

} // namespace charter::repl
