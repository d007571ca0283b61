// Diagnostics: one value type for every problem the pipeline finds (syntax, names, types,
// limits), collected by phases into `Diagnostics` and rendered by the front ends.
#pragma once

#include "source.hpp"

#include <string>
#include <vector>

namespace charter::lang {

enum class Severity { error, warning, note };

struct Diagnostic {
    Severity severity = Severity::error;
    Span span;                        // where, in a source held by the SourceManager
    std::string message;              // lower case, no full stop, quotes what the user wrote
    std::string hint;                 // optional: "did you mean `FKØ`?"
    std::vector<Diagnostic> notes;    // other places: "first declared here as a body"
};

/// Errors (and warnings) kept per run; later ones are counted, not kept (§9: a hostile file
/// with an error on every one of a million statements must still give a short report, fast).
inline constexpr std::size_t max_kept_errors = 100;

/// The problems one run of the pipeline found, in the order found.
class Diagnostics {
public:
    Diagnostic& error(Span span, std::string message, std::string hint = {});
    Diagnostic& warning(Span span, std::string message, std::string hint = {});
    void add(Diagnostic d);

    [[nodiscard]] bool has_errors() const { return errors_ > 0; }
    [[nodiscard]] std::size_t error_count() const { return errors_; }
    /// True once max_kept_errors errors are kept: a phase may skip costly hints (did you mean).
    [[nodiscard]] bool saturated() const { return errors_ >= max_kept_errors; }
    [[nodiscard]] const std::vector<Diagnostic>& items() const { return items_; }
    /// Sorted by source and position, then severity; duplicates removed. Errors past max_kept_errors
    /// are summed up by a last error without a place: "N more errors not shown".
    [[nodiscard]] std::vector<Diagnostic> take();

private:
    std::vector<Diagnostic> items_;
    std::size_t errors_ = 0;   // errors found, kept or not
    std::size_t warnings_ = 0;  // warnings likewise (at most max_kept_errors are kept too)
    Diagnostic discarded_;     // what error() hands back for an error that is not kept
};

/// `file:line:col: error: message`, the source line, a caret under the span, and the hint.
std::string render(const Diagnostic& d, const SourceManager& sources, bool colour = false);

/// The part of a source line a diagnostic quotes. Printable: invalid UTF-8 becomes U+FFFD and a
/// control character its control picture (NUL → ␀), each still one column, tabs stay tabs.
/// A line longer than `max_excerpt_columns` is cut to a window around `column`, and `…` marks
/// each cut, so that a 1 MB line gives a short message.
struct Excerpt {
    std::string text;
    std::uint32_t first_column = 1;  // the column of the line that text's first code point shows
};
inline constexpr std::uint32_t max_excerpt_columns = 160;
Excerpt excerpt(std::string_view line, std::uint32_t column);

}  // namespace charter::lang
