// Source texts held in memory for the whole pipeline: parsing reads them, diagnostics quote
// them. Positions are byte offsets; line and column (in code points) are computed on demand.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace charter::lang {

/// The largest model text Charter reads (a file, or a string given to the API): parsing takes
/// about 100 bytes of memory per byte of text, so 32 MiB needs some 3 GiB. Data files (`facts
/// … from`) may be larger (lang/imports.cpp).
inline constexpr std::size_t max_model_bytes = 32u << 20;

using SourceId = std::uint32_t;
inline constexpr SourceId no_source = UINT32_MAX;

/// A byte range in one source text.
struct Span {
    SourceId source = no_source;
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
};

/// A resolved, human-facing position: 1-based line, 1-based column in code points.
struct SourceLocation {
    std::string file;
    std::uint32_t line = 0;
    std::uint32_t column = 0;
    std::uint32_t length = 0;  // in code points, for the caret underline; 0 = a single caret
};

struct SourceFile {
    std::string name;  // as shown in diagnostics: the path as the user wrote or resolved it
    std::string path;  // canonical path on disk ("" for strings and the embedded stdlib)
    std::string_view text;                   // into `storage`
    std::vector<std::uint32_t> line_starts;  // byte offset of each line's first byte
    bool released = false;  // text and line starts dropped: read again from `path` when needed
    std::shared_ptr<const void> storage;     // the text: a std::string, or a file mapping
};

class SourceManager {
public:
    SourceId add(std::string name, std::string path, std::string text);
    /// Adds a file on disk of `size` bytes by mapping it into memory (large data files): its
    /// pages are read as they are used and can be let go (done_with). Falls back to reading.
    SourceId add_mapped(std::string name, std::string path, std::size_t size);
    /// The text of `id` before byte `upto` is read and will not be needed soon: its pages of a
    /// mapped file leave memory (they come back from the file if read again).
    void done_with(SourceId id, std::size_t upto) const;
    [[nodiscard]] const SourceFile& file(SourceId id) const {
        read_again(id, false);
        return *files_.at(id);
    }
    /// Drops the text of a file on disk once it is read (a data file's facts are in the program):
    /// a million-body organisation's data is 370 MB of text. A diagnostic or a later rebuild
    /// that needs it reads the file again.
    void release_text(SourceId id);
    [[nodiscard]] std::size_t size() const { return files_.size(); }

    /// The SourceId of a file already added under this canonical path, or no_source.
    [[nodiscard]] SourceId find_path(std::string_view path) const;

    [[nodiscard]] SourceLocation locate(Span span) const;
    /// The span of the 1-based line `line` of `id`, without its line break.
    [[nodiscard]] Span line_span(SourceId id, std::uint32_t line) const;
    /// The text of the 1-based line `line` of `id`, without its line break.
    [[nodiscard]] std::string_view line_text(SourceId id, std::uint32_t line) const;
    [[nodiscard]] std::string_view text(Span span) const;

private:
    /// Reads a released file again; with `lines`, also finds a mapped file's line starts.
    void read_again(SourceId id, bool lines) const;
    // Shared and immutable: copying a manager (a session's snapshot) copies no text. A released
    // file is replaced by its text read again (hence mutable).
    mutable std::vector<std::shared_ptr<const SourceFile>> files_;
};

/// Number of code points in a UTF-8 byte range (invalid bytes count one each).
std::uint32_t count_code_points(std::string_view text);

}  // namespace charter::lang
