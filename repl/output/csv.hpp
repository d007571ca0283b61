// Query answers as CSV (RFC 4180): a header row of column names, then one record per row,
// each line ending in CRLF.
#pragma once

#include <charter/charter.hpp>

#include <string>
#include <string_view>

namespace charter::repl {

/// A field, quoted (with `""` for `"`) when it holds a comma, a quote, CR or LF.
std::string csv_field(std::string_view text);
/// The table; entities by identifier, strings as their text, ints plain, none as an empty field.
std::string table_csv(const Table& table);

} // namespace charter::repl
