// Reading the shell's input as Charter's lexer will (§1): when a line leaves a statement open,
// and how a multi-line input reads as one line in the history.
#pragma once

#include <string>
#include <string_view>

namespace charter::repl {

/// Whether `buffer` needs another line: an open ( [ { , or a last line ending in `,` or `:-`
/// (a string or quoted name ends at its line's end: an unclosed one is the parser's to report).
bool needs_more(std::string_view buffer);

/// A multi-line input as one line that means the same, for the history: lines joined by a
/// space where a newline does not end a statement (inside ( [, after `,` `:-` `{` `;`, before
/// `}`), by `; ` where it does (between statements, in a block); comments and empty lines
/// dropped.
std::string history_entry(std::string_view buffer);

} // namespace charter::repl
