// `facts r from "file.tsv" [declare K, …]` (§2): rows of a TSV or CSV file as facts of `r`.
#include "resolver.hpp"

#include <charconv>
#include <deque>
#include <unordered_map>
#include <fmt/format.h>

namespace charter::lang {

namespace fs = std::filesystem;
using engine::ParamType;
using engine::Value;

namespace {

struct Cell {
    std::string_view text;    // into the file, or into the row's scratch for a quoted CSV cell
    std::uint32_t begin = 0;  // byte offset of the cell in the file
    std::uint32_t end = 0;
};

/// Splits one line (without its line break) into cells. CSV follows RFC 4180 quoting; a quoted
/// CSV cell may not span lines here (a data file holds one fact per line). Returns false and
/// sets `error_at` on an unterminated quote.
bool split_row(std::string_view text, std::uint32_t line_begin, bool csv, std::vector<Cell>& cells,
               std::deque<std::string>& unquoted, std::uint32_t& error_at) {
    cells.clear();
    unquoted.clear();
    const char separator = csv ? ',' : '\t';
    std::size_t i = 0;
    while (true) {
        Cell cell;
        cell.begin = line_begin + static_cast<std::uint32_t>(i);
        if (csv && i < text.size() && text[i] == '"') {
            ++i;
            bool closed = false;
            std::string& content = unquoted.emplace_back();
            while (i < text.size()) {
                if (text[i] == '"') {
                    if (i + 1 < text.size() && text[i + 1] == '"') {
                        content += '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    closed = true;
                    break;
                }
                content += text[i++];
            }
            cell.text = content;
            if (!closed) {
                error_at = cell.begin;
                return false;
            }
        } else {
            std::size_t start = i;
            while (i < text.size() && text[i] != separator) ++i;
            cell.text = text.substr(start, i - start);
        }
        cell.end = line_begin + static_cast<std::uint32_t>(i);
        cells.push_back(std::move(cell));
        if (i >= text.size()) return true;
        if (text[i] != separator) {
            error_at = line_begin + static_cast<std::uint32_t>(i);
            return false;
        }
        ++i;
    }
}

}  // namespace

void Resolver::load_facts_file(const ast::FactsFrom& facts, SourceId from, Span span) {
    auto r = relation(facts.relation);
    if (!r) return;
    const auto info = program().relations[*r];
    for (const auto& k : facts.declare_kinds) kind_exists(k);
    const std::string extension = fs::path(facts.path).extension().string();
    if (extension != ".tsv" && extension != ".csv") {
        diags_.error(facts.path_span, fmt::format("`{}` is neither a .tsv nor a .csv file", facts.path),
                     "data files are read by their extension: .tsv (tab-separated) or .csv");
        return;
    }
    const SourceFile& importer = sources_.file(from);
    fs::path dir = importer.path.empty() || importer.path.starts_with("<std>") ? fs::current_path()
                                                                               : fs::path(importer.path).parent_path();
    fs::path admitted = policy_.admit(dir / facts.path);
    if (admitted.empty()) {
        diags_.error(facts.path_span, fmt::format("`{}` lies outside the model's directories", facts.path),
                     "allow its directory with --allow-path DIR");
        return;
    }
    std::string shown = importer.path.empty() ? facts.path
                                              : (fs::path(importer.name).parent_path() / facts.path).lexically_normal().string();
    SourceId data = read_source(sources_, admitted, shown, facts.path_span, diags_);
    if (data == no_source) return;
    const std::string& text = sources_.file(data).text;
    const bool csv = extension == ".csv";

    std::vector<Cell> cells;
    std::deque<std::string> unquoted;
    std::vector<Value> tuple(info.arity());
    // Per entity column, the cells already resolved and admitted: large files name the same
    // entities over and over.
    std::vector<std::unordered_map<std::string, Value, engine::StringHash, std::equal_to<>>> resolved(info.arity());
    std::unordered_map<std::string, bool> kind_fits;  // "kind\nparameter kind" → is a sub-kind
    std::size_t errors = 0;
    constexpr std::size_t max_errors = 20;  // past this, one bad column would bury everything else
    auto error = [&](std::uint32_t begin, std::uint32_t end, std::string message, std::string hint = {}) {
        if (++errors <= max_errors) diags_.error({data, begin, end}, std::move(message), std::move(hint));
    };
    std::uint32_t line_begin = 0;
    for (std::uint32_t line_number = 1; line_begin < text.size(); ++line_number) {
        auto newline = text.find('\n', line_begin);
        std::uint32_t line_end = newline == std::string::npos ? static_cast<std::uint32_t>(text.size()) : static_cast<std::uint32_t>(newline);
        std::string_view line(text.data() + line_begin, line_end - line_begin);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        std::uint32_t this_line = line_begin;
        line_begin = line_end + 1;
        if (line.empty()) continue;
        std::uint32_t error_at = 0;
        if (!split_row(line, this_line, csv, cells, unquoted, error_at)) {
            error(error_at, error_at + 1, "malformed CSV row: a quote is not closed or is followed by text");
            continue;
        }
        if (line_number == 1 && cells.size() == info.arity()) {
            bool header = true;
            for (std::size_t i = 0; i < cells.size() && header; ++i) header = cells[i].text == info.parameters[i];
            if (header) continue;
        }
        if (cells.size() != info.arity()) {
            error(this_line, this_line + static_cast<std::uint32_t>(line.size()),
                  fmt::format("this row has {} cell{}, but `{}` takes {}", cells.size(), cells.size() == 1 ? "" : "s", info.name,
                              info.arity()),
                  fmt::format("its columns are {}", fmt::join(info.parameters, ", ")));
            continue;
        }
        bool ok = true;
        for (std::size_t i = 0; i < cells.size() && ok; ++i) {
            const Cell& cell = cells[i];
            const ParamType& type = info.types[i];
            if (cell.text.empty()) {
                tuple[i] = engine::none_value;
                continue;
            }
            switch (type.kind) {
            case ParamType::Kind::any:
            case ParamType::Kind::string: tuple[i] = symbols_.string(cell.text); break;
            case ParamType::Kind::integer: {
                std::int64_t n = 0;
                auto [end, ec] = std::from_chars(cell.text.data(), cell.text.data() + cell.text.size(), n);
                if (ec != std::errc{} || end != cell.text.data() + cell.text.size()) {
                    error(cell.begin, cell.end, fmt::format("`{}` is not an integer", cell.text),
                          ec == std::errc::result_out_of_range ? "integers are signed 64-bit" : fmt::format("column `{}` of `{}` takes integers", info.parameters[i], info.name));
                    ok = false;
                    break;
                }
                tuple[i] = symbols_.integer(n);
                break;
            }
            case ParamType::Kind::entity: {
                if (auto hit = resolved[i].find(cell.text); hit != resolved[i].end()) {
                    tuple[i] = hit->second;
                    break;
                }
                auto kind = std::string(symbols_.entity_name(type.entity_kind));
                std::string id(cell.text);
                auto known = names().entities.find(id);
                bool fits = true;  // a new entity is declared with the column's kind
                if (known != names().entities.end()) {
                    auto [cached, fresh] = kind_fits.try_emplace(known->second.kind + '\n' + kind, false);
                    if (fresh) cached->second = names().is_subkind(known->second.kind, kind);
                    fits = cached->second;
                } else {
                    bool declares = std::any_of(facts.declare_kinds.begin(), facts.declare_kinds.end(),
                                                [&](const ast::Name& k) { return k.text == kind; });
                    if (!declares) {
                        error(cell.begin, cell.end, fmt::format("unknown entity `{}`", cell.text),
                              fmt::format("declare it, or let the file declare its {} entities: `facts {} from \"{}\" declare {}`", kind,
                                          info.name, facts.path, kind));
                        ok = false;
                        break;
                    }
                    declare_entity(id, kind, {data, cell.begin, cell.end});
                    Value e = symbols_.entity(cell.text);
                    std::string k = kind;
                    for (std::size_t guard = 0; !k.empty() && guard <= names().kinds.size(); ++guard) {
                        add_fact(engine::Program::kind_relation, {e, symbols_.entity(k)}, {data, cell.begin, cell.end});
                        k = names().kinds[k].super;
                    }
                }
                Value e = symbols_.entity(cell.text);
                if (!fits) {
                    error(cell.begin, cell.end, fmt::format("{} cannot be the `{}` of `{}`", describe_value(e), info.parameters[i], info.name),
                          fmt::format("`{}` takes {}", info.parameters[i], describe_type(type)));
                    ok = false;
                    break;
                }
                tuple[i] = e;
                resolved[i].emplace(std::string(cell.text), e);
                break;
            }
            }
        }
        if (ok) add_fact(*r, tuple, {data, this_line, this_line + static_cast<std::uint32_t>(line.size())});
    }
    if (errors > max_errors)
        diags_.error(span, fmt::format("`{}` has {} bad rows; the first {} are shown", facts.path, errors, max_errors));
}

}  // namespace charter::lang
