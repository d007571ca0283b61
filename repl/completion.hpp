// Tab completion for the shell (§9): command names, then entity, relation and kind names (UTF-8
// names included, backticks where a name needs them), chosen by where the cursor is. Pure
// functions: the line editor (line_editor.cpp) asks, the session supplies the names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace charter::repl {

/// The shell's commands, with their colon, in the order :help lists them.
const std::vector<std::string>& command_names();

/// The names a model offers for completion, each list sorted.
struct CompletionNames {
    std::vector<std::string> entities;
    std::vector<std::string> relations;
    std::vector<std::string> kinds;
};

struct Completions {
    std::vector<std::string> matches; // sorted, unique
    bool files = false;               // complete file names instead (after `:load`)
    char append = ' ';                // after a unique match: `(` after a relation's name
};

/// Completions of `word` (the text from the last word break up to the cursor); `before` is the
/// line's text before `word`.
Completions complete(std::string_view before, std::string_view word, const CompletionNames& names);

/// A name as Charter text: as is when it is an identifier (dotted names too), else in backticks.
std::string name_text(std::string_view name);

} // namespace charter::repl
