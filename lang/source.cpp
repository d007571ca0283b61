// Source texts in memory, and byte offset → line and code-point column.
#include "source.hpp"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace charter::lang {

namespace {
std::vector<std::uint32_t> line_starts_of(std::string_view text) {
    std::vector<std::uint32_t> starts{0};
    for (const char* at = text.data(); (at = static_cast<const char*>(std::memchr(at, '\n', text.data() + text.size() - at)));)
        starts.push_back(static_cast<std::uint32_t>(++at - text.data()));
    return starts;
}

SourceFile text_file(std::string name, std::string path, std::string text) {
    auto owned = std::make_shared<const std::string>(std::move(text));
    SourceFile file{std::move(name), std::move(path), *owned, line_starts_of(*owned), false, owned};
    return file;
}

/// A read-only private mapping of a whole file, unmapped with its last owner.
struct Mapping {
    void* address = MAP_FAILED;
    std::size_t size = 0;
    ~Mapping() {
        if (address != MAP_FAILED) munmap(address, size);
    }
};
}  // namespace

SourceId SourceManager::add(std::string name, std::string path, std::string text) {
    files_.push_back(std::make_shared<const SourceFile>(text_file(std::move(name), std::move(path), std::move(text))));
    return static_cast<SourceId>(files_.size() - 1);
}

SourceId SourceManager::add_mapped(std::string name, std::string path, std::size_t size) {
    auto mapping = std::make_shared<Mapping>();
    if (const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC); fd >= 0 && size > 0) {
        mapping->address = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
        mapping->size = size;
        ::close(fd);
    }
    if (mapping->address == MAP_FAILED) {
        std::ifstream in(path, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        return add(std::move(name), std::move(path), std::move(text).str());
    }
    madvise(mapping->address, size, MADV_SEQUENTIAL);
    // Its line starts are found when a message first needs them (read_again), not now: that
    // would bring every page in at once.
    SourceFile file{std::move(name), std::move(path), std::string_view(static_cast<const char*>(mapping->address), size),
                    {}, false, mapping};
    files_.push_back(std::make_shared<const SourceFile>(std::move(file)));
    return static_cast<SourceId>(files_.size() - 1);
}

void SourceManager::done_with(SourceId id, std::size_t upto) const {
    if (id >= files_.size()) return;
    const SourceFile& f = *files_[id];
    const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
    const auto begin = reinterpret_cast<std::uintptr_t>(f.text.data());
    const auto first = (begin + page - 1) / page * page;
    const auto last = (begin + std::min(upto, f.text.size())) / page * page;
    if (f.line_starts.empty() && last > first)  // only mappings have no line starts yet
        madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
}

void SourceManager::release_text(SourceId id) {
    if (id >= files_.size() || files_[id]->path.empty()) return;
    files_[id] = std::make_shared<const SourceFile>(SourceFile{files_[id]->name, files_[id]->path, {}, {}, true, nullptr});
}

void SourceManager::read_again(SourceId id, bool lines) const {
    if (id >= files_.size()) return;
    const SourceFile& f = *files_[id];
    if (!f.released && (!lines || !f.line_starts.empty())) return;
    if (!f.released) {  // a mapped file: its line starts, now that a message needs them
        SourceFile indexed{f.name, f.path, f.text, line_starts_of(f.text), false, f.storage};
        files_[id] = std::make_shared<const SourceFile>(std::move(indexed));
        return;
    }
    std::ifstream in(f.path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    files_[id] = std::make_shared<const SourceFile>(text_file(f.name, f.path, std::move(text).str()));
}

SourceId SourceManager::find_path(std::string_view path) const {
    // (A released file keeps its path.)
    for (std::size_t i = 0; i < files_.size(); ++i)
        if (!files_[i]->path.empty() && files_[i]->path == path) return static_cast<SourceId>(i);
    return no_source;
}

std::uint32_t count_code_points(std::string_view text) {
    std::uint32_t n = 0;
    for (unsigned char c : text)
        if ((c & 0xC0) != 0x80) ++n;  // count every byte that does not continue a sequence
    return n;
}

SourceLocation SourceManager::locate(Span span) const {
    if (span.source >= files_.size()) return {};
    read_again(span.source, true);
    const SourceFile& f = *files_[span.source];
    std::uint32_t begin = std::min<std::uint32_t>(span.begin, static_cast<std::uint32_t>(f.text.size()));
    auto it = std::upper_bound(f.line_starts.begin(), f.line_starts.end(), begin);
    auto line = static_cast<std::uint32_t>(it - f.line_starts.begin());
    std::uint32_t line_start = f.line_starts[line - 1];
    std::string_view text(f.text);
    std::uint32_t column = count_code_points(text.substr(line_start, begin - line_start)) + 1;
    std::uint32_t end = std::clamp<std::uint32_t>(span.end, begin, static_cast<std::uint32_t>(f.text.size()));
    // The underline stops at the end of the line.
    auto line_end = text.find('\n', begin);
    if (line_end != std::string_view::npos) end = std::min<std::uint32_t>(end, static_cast<std::uint32_t>(line_end));
    return {f.name, line, column, count_code_points(text.substr(begin, end - begin))};
}

std::string_view SourceManager::line_text(SourceId id, std::uint32_t line) const {
    if (id >= files_.size()) return {};
    read_again(id, true);
    const SourceFile& f = *files_[id];
    if (line == 0 || line > f.line_starts.size()) return {};
    std::string_view text(f.text);
    std::uint32_t start = f.line_starts[line - 1];
    auto end = text.find('\n', start);
    std::string_view l = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    return l;
}

Span SourceManager::line_span(SourceId id, std::uint32_t line) const {
    if (id >= files_.size()) return {};
    read_again(id, true);
    const SourceFile& f = *files_[id];
    if (line == 0 || line > f.line_starts.size()) return {id, 0, 0};
    const std::uint32_t start = f.line_starts[line - 1];
    const std::string_view l = line_text(id, line);
    return {id, start, start + static_cast<std::uint32_t>(l.size())};
}

std::string_view SourceManager::text(Span span) const {
    if (span.source >= files_.size()) return {};
    read_again(span.source, true);
    std::string_view t(files_[span.source]->text);
    if (span.begin > t.size()) return {};
    return t.substr(span.begin, std::min<std::size_t>(span.end, t.size()) - span.begin);
}

}  // namespace charter::lang
