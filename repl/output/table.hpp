// Query answers (§9) as aligned text: a header row of column names, a separator, the rows,
// then `(N rows)`; a query without columns prints `yes` or `no`.
#pragma once

#include <charter/charter.hpp>

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace charter::repl {

/// A cell as text: an entity by identifier, a string quoted "…" (escaped), an int plain, `none`.
std::string format_cell(const Cell& cell);

/// Columns a UTF-8 text takes in a terminal: one per code point (Charter's letters are all
/// narrow; invalid bytes count one each).
std::size_t display_width(std::string_view utf8);

/// The whole table, each line ending in '\n'.
std::string format_table(const Table& table, bool colour = false);

/// Gives an entity's label, or "" when it has none.
using LabelLookup = std::function<std::string(const std::string& entity)>;

/// As above, each entity cell followed by its label, `FKØ (Fælleskommunal økonomigruppe)`
/// (dimmed with colour; a label longer than 40 code points is cut with `…`).
std::string format_table(const Table& table, bool colour, const LabelLookup& label);

} // namespace charter::repl
