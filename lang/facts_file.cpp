// `facts r from "file.tsv" [declare K, …]` (§2): rows of a TSV or CSV file as facts of `r`.
#include "resolver.hpp"

#include <charconv>
#include <cstring>
#include <deque>
#include <algorithm>
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

/// The number of lines of `text`, to reserve room for its facts before reading them.
std::size_t count_lines(std::string_view text) {
    std::size_t lines = 1;
    // memchr scans many bytes per step; std::count compared them one at a time.
    for (const char *at = text.data(), *end = at + text.size();
         (at = static_cast<const char*>(std::memchr(at, '\n', static_cast<std::size_t>(end - at)))) != nullptr; ++at)
        ++lines;
    return lines;
}

/// Reads a data file some rows ahead of the loader and asks the memory for what the entity
/// cells of those rows will look up (Symbols::prefetch_entity): a row's name slots `distance`
/// rows ahead (a short name and its kind are in its slot: NameIndex), and half as far the
/// long names those slots point at, which the lookup compares. With a million entities the
/// index does not fit the caches, and a cell read without this waits for memory. Only a hint:
/// nothing read ahead is used as an answer, so a quoted CSV cell or an odd row needs no care.
class ReadAhead {
public:
    static constexpr std::size_t distance = 32;

    ReadAhead(std::string_view text, char separator, std::vector<std::size_t> entity_columns, const engine::Symbols& symbols)
        : text_(text), separator_(separator), columns_(std::move(entity_columns)), symbols_(symbols),
          hashes_(distance * columns_.size()) {
        for (std::size_t i = 0; i < distance; ++i) step();
    }

    /// One row further ahead: call once for every line the loader reads.
    void step() {
        const std::size_t width = columns_.size();
        if (width == 0) return;
        std::uint32_t* hashes = &hashes_[(row_ % distance) * width];
        std::string_view line;
        if (at_ < text_.size()) {
            const std::size_t end = std::min(text_.find('\n', at_), text_.size());
            line = text_.substr(at_, end - at_);
            at_ = end + 1;
        }
        // The cells of the row's entity columns; a missing cell reads as empty.
        std::size_t column = 0;
        std::size_t start = 0;  // where `column` begins; past the line once it has no more cells
        for (std::size_t k = 0; k < width; ++k) {
            for (; column < columns_[k] && start <= line.size(); ++column)
                start = std::min(line.find(separator_, start), line.size()) + 1;
            std::string_view cell;
            if (start <= line.size()) cell = line.substr(start, std::min(line.find(separator_, start), line.size()) - start);
            hashes[k] = engine::NameIndex::hash(cell);
            symbols_.prefetch_entity(hashes[k]);
        }
        if (row_ >= distance / 2) {
            const std::uint32_t* behind = &hashes_[((row_ - distance / 2) % distance) * width];
            for (std::size_t k = 0; k < width; ++k) (void)symbols_.prefetch_entity_name(behind[k]);
        }
        ++row_;
    }

private:
    std::string_view text_;
    std::size_t at_ = 0;  // where the next row to read ahead begins
    char separator_;
    std::vector<std::size_t> columns_;  // the entity columns, in order
    const engine::Symbols& symbols_;
    std::vector<std::uint32_t> hashes_;  // the last `distance` rows' name hashes, a ring
    std::size_t row_ = 0;                // rows read ahead so far
};

}  // namespace

/// How the cells of one entity column are read: the column's kind, whether the file declares
/// entities of it, the kind facts a new entity gets (its kind and every super-kind), and per
/// kind id whether an entity of that kind fits the column.
struct Resolver::EntityColumn {
    std::string kind;
    bool declares = false;
    std::vector<engine::Value> kinds;  // the column's kind, then its super-kinds
    std::vector<std::int8_t> fits;     // by kind id: -1 not yet known, 0 no, 1 yes

    bool kind_fits(Resolver& r, std::uint32_t kind_id) {
        if (kind_id >= fits.size()) fits.resize(kind_id + 1, -1);
        if (fits[kind_id] < 0) {
            const auto kind_name = r.symbols_.entity_name(Value::make(engine::ValueTag::entity, kind_id));
            fits[kind_id] = r.names().is_subkind(kind_name, kind) ? 1 : 0;
        }
        return fits[kind_id] == 1;
    }
};

Resolver::EntityColumn Resolver::entity_column(const engine::ParamType& type, const ast::FactsFrom& facts) {
    EntityColumn column;
    column.kind = std::string(symbols_.entity_name(type.entity_kind));
    column.declares = std::any_of(facts.declare_kinds.begin(), facts.declare_kinds.end(),
                                  [&](const ast::Name& k) { return k.text == column.kind; });
    std::string k = column.kind;
    for (std::size_t guard = 0; !k.empty() && guard <= names().kinds.size(); ++guard) {
        column.kinds.push_back(symbols_.entity(k));
        k = names().kinds[k].super;
    }
    return column;
}

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
    const std::string_view text = sources_.file(data).text;
    const bool csv = extension == ".csv";

    std::vector<Cell> cells;
    std::deque<std::string> unquoted;
    std::vector<Value> tuple(info.arity());
    std::vector<EntityColumn> columns(info.arity());
    for (std::size_t i = 0; i < info.arity(); ++i)
        if (info.types[i].kind == ParamType::Kind::entity) columns[i] = entity_column(info.types[i], facts);
    // One fact per line: reserve for them all rather than grow (and copy) the largest vectors.
    const std::size_t lines = count_lines(text);
    auto& stated = program().facts[*r];
    stated.values.reserve(stated.values.size() + lines * info.arity());
    stated.locations.reserve(stated.locations.size() + lines);
    // Each row rests on its line (Program::LineBlock), not on a Location of its own.
    const engine::LocationId line_one = program().add_lines(data, static_cast<std::uint32_t>(lines));
    std::size_t errors = 0;
    constexpr std::size_t max_errors = 20;  // past this, one bad column would bury everything else
    auto error = [&](std::uint32_t begin, std::uint32_t end, std::string message, std::string hint = {}) {
        if (++errors <= max_errors) diags_.error({data, begin, end}, std::move(message), std::move(hint));
    };
    // An entity cell: one hash lookup of its name finds a known entity and its kind; a new one
    // is declared (if the file may) with its kind facts. False after reporting a bad cell.
    engine::LocationId row_at = 0;  // the line being read
    std::vector<std::string> text_naming_entity(info.arity());  // per `any` column: a first such cell
    auto entity_cell = [&](const Cell& cell, std::size_t i, Value& out) {
        EntityColumn& column = columns[i];
        const std::uint32_t hash = engine::NameIndex::hash(cell.text);
        auto [e, kind] = symbols_.find_entity(cell.text, hash);
        if (kind == 0) {
            if (!column.declares) {
                error(cell.begin, cell.end, fmt::format("unknown entity `{}`", cell.text),
                      fmt::format("declare it, or let the file declare its {} entities: `facts {} from \"{}\" declare {}`", column.kind,
                                  info.name, facts.path, column.kind));
                return false;
            }
            e = e.is_none() ? declare_new_entity(cell.text, hash, column.kind, {data, cell.begin, cell.end})
                            : declare_entity(cell.text, column.kind, {data, cell.begin, cell.end});
            // Its kind facts rest on the row that declared it.
            const engine::LocationId at = row_at;
            auto& kind_facts = program().facts[engine::Program::kind_relation];
            for (Value k : column.kinds) {
                kind_facts.values.push_back(e);
                kind_facts.values.push_back(k);
                kind_facts.locations.push_back(at);
            }
        } else if (!column.kind_fits(*this, kind)) {
            error(cell.begin, cell.end, fmt::format("{} cannot be the `{}` of `{}`", describe_value(e), info.parameters[i], info.name),
                  fmt::format("`{}` takes {}", info.parameters[i], describe_type(info.types[i])));
            return false;
        }
        out = e;
        return true;
    };
    std::vector<std::size_t> entity_columns;
    for (std::size_t i = 0; i < info.arity(); ++i)
        if (info.types[i].kind == ParamType::Kind::entity) entity_columns.push_back(i);
    ReadAhead ahead(text, csv ? ',' : '\t', std::move(entity_columns), symbols_);
    std::uint32_t line_begin = 0;
    std::uint32_t let_go = 0;
    for (std::uint32_t line_number = 1; line_begin < text.size(); ++line_number) {
        ahead.step();
        row_at = line_one + line_number - 1;
        auto newline = text.find('\n', line_begin);
        std::uint32_t line_end = newline == std::string::npos ? static_cast<std::uint32_t>(text.size()) : static_cast<std::uint32_t>(newline);
        std::string_view line(text.data() + line_begin, line_end - line_begin);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        std::uint32_t this_line = line_begin;
        line_begin = line_end + 1;
        // Read pages of a mapped file need not stay in memory (every 16 MiB).
        if (line_begin - let_go > (16u << 20)) {
            sources_.done_with(data, line_begin);
            let_go = line_begin;
        }
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
                // §2: an `any` column takes the text, even when it names an entity; say so,
                // since a rule comparing it with the entity would silently never match.
                if (text_naming_entity[i].empty() && symbols_.find_entity(cell.text, engine::NameIndex::hash(cell.text)).tag != 0)
                    text_naming_entity[i] = cell.text;
                [[fallthrough]];
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
            case ParamType::Kind::entity: ok = entity_cell(cell, i, tuple[i]); break;
            }
        }
        if (ok) add_fact(*r, tuple, line_one + line_number - 1);
    }
    if (errors > max_errors)
        diags_.error(span, fmt::format("`{}` has {} bad rows; the first {} are shown", facts.path, errors, max_errors));
    for (std::size_t i = 0; i < info.arity(); ++i)
        if (!text_naming_entity[i].empty())
            diags_.warning(facts.path_span,
                           fmt::format("column `{}` of `{}` takes any value, so `{}` in `{}` is read as the text \"{}\", not as the "
                                       "entity `{}`", info.parameters[i], info.name, text_naming_entity[i], facts.path,
                                       text_naming_entity[i], text_naming_entity[i]),
                           fmt::format("a rule matching it with an entity finds nothing; to load entities, load the file into a "
                                       "relation of your own whose `{}` has a kind",
                                       info.parameters[i]));
    // The rows are facts now; messages quoting a row read the file again.
    if (errors == 0) sources_.release_text(data);
}

}  // namespace charter::lang
