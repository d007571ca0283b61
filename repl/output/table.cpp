// Query answers as aligned text for `charter query` and the shell (§9).
#include "repl/output/table.hpp"

#include "repl/output/style.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace charter::repl {
namespace {

// Escapes as Charter's own string literals do (\" \\ \n), plus the other control characters,
// so that no answer can move the cursor or recolour the terminal. Inside quotes `"` and `\` are
// escaped too.
std::string escape(std::string_view text, bool in_quotes) {
    std::string out;
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        switch (c) {
        case '"':
            out += in_quotes ? "\\\"" : "\"";
            break;
        case '\\':
            out += in_quotes ? "\\\\" : "\\";
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
    return out;
}

std::string quote(std::string_view text) { return "\"" + escape(text, true) + "\""; }

struct CellText {
    std::string operator()(None) const { return "none"; }
    std::string operator()(std::int64_t n) const { return std::to_string(n); }
    std::string operator()(const std::string& s) const { return quote(s); }
    std::string operator()(const Entity& e) const { return e.id; }
};

// A cell's text, and the label shown after it in brackets (dimmed).
struct Shown {
    std::string text;
    std::string label;
    [[nodiscard]] std::size_t width() const {
        return display_width(text) + (label.empty() ? 0 : display_width(label) + 3);
    }
};

// Columns are two spaces apart; the last cell gets no padding, so no line ends in a space.
void append_row(std::string& out, const std::vector<Shown>& cells,
                const std::vector<std::size_t>& widths, Paint how, bool colour_text, bool colour) {
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        line += paint(cells[i].text, how, colour_text);
        if (!cells[i].label.empty())
            line += paint(" (" + cells[i].label + ")", Paint::dim, colour);
        if (i + 1 < cells.size())
            line.append(widths[i] - cells[i].width() + 2, ' ');
    }
    out += line;
    out += '\n';
}

constexpr std::size_t longest_label = 40; // code points; a longer label is cut with `…`

std::string shorten(std::string label) {
    std::size_t points = 0;
    for (std::size_t i = 0; i < label.size(); ++i) {
        if ((static_cast<unsigned char>(label[i]) & 0xC0) == 0x80)
            continue;
        if (++points == longest_label) {
            label.resize(i);
            return label + "…";
        }
    }
    return label;
}

} // namespace

std::string format_cell(const Cell& cell) { return std::visit(CellText{}, cell); }

std::size_t display_width(std::string_view utf8) {
    return static_cast<std::size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

std::string format_table(const Table& table, bool colour) {
    return format_table(table, colour, {});
}

std::string format_table(const Table& table, bool colour, const LabelLookup& label) {
    // §9: a query without variables has no columns, and one empty row exactly when it holds.
    if (table.columns.empty())
        return table.rows.empty() ? "no\n" : "yes\n";

    const std::size_t n = table.columns.size();
    std::vector<std::vector<Shown>> text;
    text.reserve(table.rows.size());
    std::vector<std::size_t> widths(n);
    for (std::size_t i = 0; i < n; ++i)
        widths[i] = std::max<std::size_t>(display_width(table.columns[i]), 1);
    for (const auto& row : table.rows) {
        auto& cells = text.emplace_back(n);
        for (std::size_t i = 0; i < n && i < row.size(); ++i) {
            cells[i].text = format_cell(row[i]);
            if (const auto* e = std::get_if<Entity>(&row[i]); e != nullptr && label)
                cells[i].label = shorten(escape(label(e->id), false));
            widths[i] = std::max(widths[i], cells[i].width());
        }
    }

    std::string out;
    std::vector<Shown> header(n);
    std::vector<Shown> rule(n);
    for (std::size_t i = 0; i < n; ++i) {
        header[i].text = table.columns[i];
        rule[i].text = std::string(widths[i], '-');
    }
    append_row(out, header, widths, Paint::bold, colour, colour);
    append_row(out, rule, widths, Paint::dim, colour, colour);
    for (const auto& cells : text)
        append_row(out, cells, widths, Paint::bold, false, colour);
    const std::size_t count = table.rows.size();
    out += "(" + std::to_string(count) + (count == 1 ? " row)\n" : " rows)\n");
    return out;
}

} // namespace charter::repl
