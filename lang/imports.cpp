// Reading sources: the files a model imports, transitively, within the allowed directories
// (§2), and the embedded stdlib for `import std`.
#include "parser.hpp"
#include "resolve.hpp"

#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <system_error>

namespace charter {
const std::vector<std::pair<std::string_view, std::string_view>>& stdlib_files();
}

namespace charter::lang {

namespace fs = std::filesystem;

namespace {
// Files larger than these are refused before they are read: max_model_bytes (source.hpp) for
// Charter text, and for data, which takes about 65 bytes of memory per byte, 256 MiB (the
// benchmark's largest data file is 244 MB).
constexpr std::uintmax_t max_data_bytes = 256u << 20;
constexpr std::string_view stdlib_prefix = "<std>/";

/// Many NUL bytes and bytes that are not UTF-8 among the first 8 KiB: at least 8, and at least
/// one in 32. A text file with a stray bad byte or two still gets the parser's exact messages.
bool looks_binary(std::string_view text) {
    text = text.substr(0, 8192);
    std::size_t bad = 0;
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::size_t length = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
                           : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        if (length > 1 && i + length > text.size()) break;  // cut by the window, or a truncated end
        for (std::size_t k = 1; k < length; ++k)
            if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) length = 0;
        if (length == 0 || c == 0) ++bad;
        i += length == 0 ? 1 : length;
    }
    return bad >= 8 && bad * 32 >= text.size();
}

bool lies_under(const fs::path& path, const fs::path& root) {
    auto p = path.begin();
    for (auto r = root.begin(); r != root.end(); ++r, ++p) {
        if (r->empty()) continue;  // trailing separator
        if (p == path.end() || *p != *r) return false;
    }
    return true;
}
}  // namespace

fs::path PathPolicy::admit(const fs::path& target) const {
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(target, ec);
    if (ec) return {};
    for (const auto& root : allowed_roots)
        if (lies_under(canonical, root)) return canonical;
    return {};
}

SourceId read_source(SourceManager& sources, const fs::path& canonical, std::string shown_name,
                     Span where, Diagnostics& diagnostics) {
    if (SourceId known = sources.find_path(canonical.string()); known != no_source) return known;
    // A file named on the command line that exists but cannot be a model is reported at its
    // own 1:1 (`dir.charter:1:1: error: …`), an imported one at the statement that names it.
    auto at_file = [&] {
        if (where.source == no_source) where = {sources.add(shown_name, "", ""), 0, 0};
        return where;
    };
    std::error_code ec;
    auto status = fs::status(canonical, ec);
    if (ec || !fs::exists(status)) {
        diagnostics.error(where, fmt::format("cannot read `{}`: no such file", shown_name));
        return no_source;
    }
    if (fs::is_directory(status)) {
        diagnostics.error(at_file(), fmt::format("cannot read `{}`: it is a directory", shown_name),
                          "name a file, not a directory");
        return no_source;
    }
    if (!fs::is_regular_file(status)) {  // a FIFO or a device would block or never end
        diagnostics.error(at_file(), fmt::format("cannot read `{}`: it is not a regular file", shown_name));
        return no_source;
    }
    const std::string extension = canonical.extension().string();
    const bool data = extension == ".csv" || extension == ".tsv";
    const std::uintmax_t max_source_bytes = data ? max_data_bytes : std::uintmax_t{max_model_bytes};
    auto size = fs::file_size(canonical, ec);
    if (!ec && size > max_source_bytes) {
        diagnostics.error(at_file(), fmt::format("cannot read `{}`: {} bytes is more than the {} MiB "
                                                 "a {} file may have", shown_name, size, max_source_bytes >> 20,
                                                 data ? "data" : "model"));
        return no_source;
    }
    // A large data file is mapped, not read: the loader lets go of its pages as it goes.
    if (data && !ec && size > (1u << 20)) {
        std::ifstream head(canonical, std::ios::binary);
        std::string start(8192, '\0');
        head.read(start.data(), static_cast<std::streamsize>(start.size()));
        start.resize(static_cast<std::size_t>(head.gcount()));
        if (!looks_binary(start)) return sources.add_mapped(shown_name, canonical.string(), static_cast<std::size_t>(size));
    }
    std::ifstream in(canonical, std::ios::binary);
    if (!in) {
        diagnostics.error(at_file(), fmt::format("cannot read `{}`: permission denied or unreadable", shown_name));
        return no_source;
    }
    std::string text;
    text.resize(static_cast<std::size_t>(std::min<std::uintmax_t>(ec ? 0 : size, max_source_bytes)));
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (in && in.peek() != std::char_traits<char>::eof()) {  // grew since file_size: read the rest
        std::ostringstream rest;
        rest << in.rdbuf();
        text += std::move(rest).str();
    }
    if (text.size() > max_source_bytes) {
        diagnostics.error(at_file(), fmt::format("cannot read `{}`: more than the {} MiB a {} file may have",
                                                 shown_name, max_source_bytes >> 20, data ? "data" : "model"));
        return no_source;
    }
    // §9: an empty model file is almost always a mistake (a wrong path, a failed write); a file
    // of blanks and comments is deliberate and fine, and so is a data file without rows.
    if (text.empty() && !data) {
        SourceId id = sources.add(std::move(shown_name), "", "");  // no path: not "loaded"
        diagnostics.error(where.source == no_source ? Span{id, 0, 0} : where,
                          fmt::format("`{}` is empty", sources.file(id).name),
                          "a model file holds at least one statement or comment");
        return no_source;
    }
    // A compiled program, an image, UTF-16: one clear error instead of one per line.
    if (looks_binary(text)) {
        SourceId id = sources.add(std::move(shown_name), "", "");  // no path: not "loaded"
        diagnostics.error(where.source == no_source ? Span{id, 0, 0} : where,
                          fmt::format("`{}` is a binary file, not text", sources.file(id).name),
                          "Charter files and data files are UTF-8 text");
        return no_source;
    }
    return sources.add(std::move(shown_name), canonical.string(), std::move(text));
}

namespace {

/// The name a file is shown under: relative to the importing file's shown name, so that
/// diagnostics stay short and stable (`examples/x/model.charter`, not an absolute path).
std::string shown_name_for(const SourceFile& importer, const std::string& written) {
    if (importer.path.empty() || importer.name.starts_with(stdlib_prefix)) return written;
    fs::path base = fs::path(importer.name).parent_path();
    return (base / written).lexically_normal().string();
}

void import_std(SourceManager& sources, std::vector<SourceId>& queue) {
    for (const auto& [name, text] : stdlib_files()) {
        std::string path = std::string(stdlib_prefix) + std::string(name);
        // A stdlib file read before (and dropped by a failed load's rollback) is queued again:
        // only what is parsed already is skipped.
        if (SourceId known = sources.find_path(path); known != no_source) {
            queue.push_back(known);
            continue;
        }
        queue.push_back(sources.add(std::string(name), path, std::string(text)));
    }
}

}  // namespace

void parse_with_imports(SourceManager& sources, SourceId root, const PathPolicy& policy,
                        std::vector<ParsedFile>& files, Diagnostics& diagnostics) {
    auto parsed = [&](SourceId id) {
        for (const auto& f : files)
            if (f.source == id) return true;
        return false;
    };
    std::vector<SourceId> queue{root};
    while (!queue.empty()) {
        SourceId id = queue.back();
        queue.pop_back();
        if (id == no_source || parsed(id)) continue;
        files.push_back({id, parse(sources, id, diagnostics)});
        // Copy what we need: `sources.add` below may move the file table.
        const std::vector<ast::Statement> statements = files.back().ast.statements;
        for (const auto& statement : statements) {
            const auto* import = std::get_if<ast::Import>(&statement.node);
            if (import == nullptr) continue;
            if (import->is_std) {
                import_std(sources, queue);
                continue;
            }
            const SourceFile& importer = sources.file(id);
            fs::path dir = importer.path.empty() || importer.path.starts_with(stdlib_prefix)
                               ? fs::current_path()
                               : fs::path(importer.path).parent_path();
            fs::path target = dir / import->path;
            std::string shown = shown_name_for(importer, import->path);
            fs::path admitted = policy.admit(target);
            if (admitted.empty()) {
                diagnostics.error(import->path_span,
                                  fmt::format("`{}` lies outside the model's directories", import->path),
                                  "allow its directory with --allow-path DIR");
                continue;
            }
            queue.push_back(read_source(sources, admitted, shown, import->path_span, diagnostics));
        }
    }
}

}  // namespace charter::lang
