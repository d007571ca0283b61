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
constexpr std::uintmax_t max_source_bytes = 256u << 20;  // a model file larger than this is refused
constexpr std::string_view stdlib_prefix = "<std>/";

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
    std::error_code ec;
    auto status = fs::status(canonical, ec);
    if (ec || !fs::exists(status)) {
        diagnostics.error(where, fmt::format("cannot read `{}`: no such file", shown_name));
        return no_source;
    }
    if (fs::is_directory(status)) {
        diagnostics.error(where, fmt::format("cannot read `{}`: it is a directory", shown_name));
        return no_source;
    }
    auto size = fs::file_size(canonical, ec);
    if (!ec && size > max_source_bytes) {
        diagnostics.error(where, fmt::format("cannot read `{}`: {} bytes is more than the {} MiB "
                                             "a file may have", shown_name, size, max_source_bytes >> 20));
        return no_source;
    }
    std::ifstream in(canonical, std::ios::binary);
    if (!in) {
        diagnostics.error(where, fmt::format("cannot read `{}`: permission denied or unreadable", shown_name));
        return no_source;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return sources.add(std::move(shown_name), canonical.string(), std::move(text).str());
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
