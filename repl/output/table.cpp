// Query answers as aligned text for `charter query` and the shell (§9).
#include "repl/output/table.hpp"

#include "repl/output/style.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace charter::repl {
namespace {

// Escapes as Charter's own string literals do (\" \\ \n), plus the other control characters,
// so that no answer can move the cursor or recolour the terminal.
std::string quote(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (byte < 0x20 || byte == 0x7f) {
                char buffer[8];
                std::snprintf(buffer, sizeof buffer, "\\x%02x", static_cast<unsigned>(byte));
                out += buffer;
            } else {
                out += c;
            }
        }
    }
    out += '"';
    return out;
}

struct CellText {
    std::string operator()(None) const { return "none"; }
    std::string operator()(std::int64_t n) const { return std::to_string(n); }
    std::string operator()(const std::string& s) const { return quote(s); }
    std::string operator()(const Entity& e) const { return e.id; }
};

// Columns are two spaces apart; the last cell gets no padding, so no line ends in a space.
void append_row(std::string& out, const std::vector<std::string>& cells,
                const std::vector<std::size_t>& widths, Paint how, bool colour) {
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        line += paint(cells[i], how, colour);
        if (i + 1 < cells.size())
            line.append(widths[i] - display_width(cells[i]) + 2, ' ');
    }
    out += line;
    out += '\n';
}

} // namespace

std::string format_cell(const Cell& cell) { return std::visit(CellText{}, cell); }

std::size_t display_width(std::string_view utf8) {
    return static_cast<std::size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

std::string format_table(const Table& table, bool colour) {
    // §9: a query without variables has no columns, and one empty row exactly when it holds.
    if (table.columns.empty())
        return table.rows.empty() ? "no\n" : "yes\n";

    const std::size_t n = table.columns.size();
    std::vector<std::vector<std::string>> text;
    text.reserve(table.rows.size());
    std::vector<std::size_t> widths(n);
    for (std::size_t i = 0; i < n; ++i)
        widths[i] = std::max<std::size_t>(display_width(table.columns[i]), 1);
    for (const auto& row : table.rows) {
        auto& cells = text.emplace_back(n);
        for (std::size_t i = 0; i < n && i < row.size(); ++i) {
            cells[i] = format_cell(row[i]);
            widths[i] = std::max(widths[i], display_width(cells[i]));
        }
    }

    std::string out;
    append_row(out, table.columns, widths, Paint::bold, colour);
    std::vector<std::string> rule(n);
    for (std::size_t i = 0; i < n; ++i)
        rule[i] = std::string(widths[i], '-');
    append_row(out, rule, widths, Paint::dim, colour);
    for (const auto& cells : text)
        append_row(out, cells, widths, Paint::bold, false);
    const std::size_t count = table.rows.size();
    out += "(" + std::to_string(count) + (count == 1 ? " row)\n" : " rows)\n");
    return out;
}

} // namespace charter::repl
