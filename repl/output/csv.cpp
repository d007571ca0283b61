// CSV output of query answers (RFC 4180) for `charter query --format csv`.
#include "repl/output/csv.hpp"

#include <cstdint>

namespace charter::repl {
namespace {

constexpr std::string_view line_end = "\r\n"; // RFC 4180 §2.1

struct CellCsv {
    std::string operator()(None) const { return {}; }
    std::string operator()(std::int64_t n) const { return std::to_string(n); }
    std::string operator()(const std::string& s) const { return csv_field(s); }
    std::string operator()(const Entity& e) const { return csv_field(e.id); }
};

} // namespace

std::string csv_field(std::string_view text) {
    if (text.find_first_of(",\"\r\n") == std::string_view::npos)
        return std::string(text);
    std::string out = "\"";
    for (char c : text) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
    return out;
}

std::string table_csv(const Table& table) {
    std::string out;
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
        if (i > 0)
            out += ',';
        out += csv_field(table.columns[i]);
    }
    out += line_end;
    for (const auto& row : table.rows) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            if (i > 0)
                out += ',';
            out += std::visit(CellCsv{}, row[i]);
        }
        out += line_end;
    }
    return out;
}

} // namespace charter::repl
