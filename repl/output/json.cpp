// JSON output of the command line (§9), built on nlohmann_json's ordered_json.
#include "repl/output/json.hpp"

#include <cstdint>

namespace charter::repl {
namespace {

// TOOLCHAIN.md: dump() throws on invalid UTF-8 unless told to replace it.
std::string dump_scalar(const Json& value) {
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

void write_line(std::string& out, const Json& value) {
    if (value.is_object()) {
        out += '{';
        bool first = true;
        for (const auto& [key, item] : value.items()) {
            if (!first)
                out += ", ";
            first = false;
            out += dump_scalar(Json(key));
            out += ": ";
            write_line(out, item);
        }
        out += '}';
    } else if (value.is_array()) {
        out += '[';
        bool first = true;
        for (const auto& item : value) {
            if (!first)
                out += ", ";
            first = false;
            write_line(out, item);
        }
        out += ']';
    } else {
        out += dump_scalar(value);
    }
}

struct CellJson {
    Json operator()(None) const { return nullptr; }
    Json operator()(std::int64_t n) const { return n; }
    Json operator()(const std::string& s) const { return s; }
    Json operator()(const Entity& e) const { return e.id; }
};

Json rows_json(const Table& table) {
    Json rows = Json::array();
    for (const auto& row : table.rows) {
        Json cells = Json::array();
        for (const auto& cell : row)
            cells.push_back(cell_json(cell));
        rows.push_back(std::move(cells));
    }
    return rows;
}

} // namespace

std::string json_line(const Json& value) {
    std::string out;
    write_line(out, value);
    return out;
}

std::string json_pretty(const Json& value) {
    return value.dump(2, ' ', false, Json::error_handler_t::replace);
}

Json cell_json(const Cell& cell) { return std::visit(CellJson{}, cell); }

Json location_json(const Location& location) {
    if (location.file.empty())
        return nullptr;
    return location.file + ":" + std::to_string(location.line) + ":" +
           std::to_string(location.column);
}

std::string severity_name(Severity severity) {
    switch (severity) {
    case Severity::error:
        return "error";
    case Severity::warning:
        return "warning";
    case Severity::note:
        return "note";
    }
    return "error";
}

Json table_json(const Table& table) {
    Json out = Json::object();
    out["columns"] = table.columns;
    out["rows"] = rows_json(table);
    return out;
}

Json file_query_json(const FileQuery& query) {
    Json out = Json::object();
    out["query"] = query.text;
    out["location"] = location_json(query.location);
    out["columns"] = query.answer.columns;
    out["rows"] = rows_json(query.answer);
    return out;
}

Json violations_json(const std::vector<Violation>& violations) {
    Json list = Json::array();
    for (const auto& v : violations) {
        Json item = Json::object();
        item["check"] = v.check;
        item["severity"] = severity_name(v.severity);
        item["message"] = v.message;
        item["subjects"] = v.subjects;
        item["location"] = location_json(v.location);
        list.push_back(std::move(item));
    }
    Json out = Json::object();
    out["violations"] = std::move(list);
    return out;
}

Json expectations_json(const std::vector<Expectation>& expectations) {
    Json list = Json::array();
    std::int64_t passed = 0;
    for (const auto& e : expectations) {
        Json item = Json::object();
        item["location"] = location_json(e.location);
        item["statement"] = e.statement;
        item["passed"] = e.passed;
        item["expected"] = e.expected;
        item["found"] = e.found;
        list.push_back(std::move(item));
        if (e.passed)
            ++passed;
    }
    Json out = Json::object();
    out["expectations"] = std::move(list);
    out["passed"] = passed;
    out["failed"] = static_cast<std::int64_t>(expectations.size()) - passed;
    return out;
}

} // namespace charter::repl
