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

/// The problems one run of the pipeline found, in the order found.
class Diagnostics {
public:
    Diagnostic& error(Span span, std::string message, std::string hint = {});
    Diagnostic& warning(Span span, std::string message, std::string hint = {});
    void add(Diagnostic d) { items_.push_back(std::move(d)); }

    [[nodiscard]] bool has_errors() const;
    [[nodiscard]] std::size_t error_count() const;
    [[nodiscard]] const std::vector<Diagnostic>& items() const { return items_; }
    /// Sorted by source and position, then severity; duplicates removed.
    [[nodiscard]] std::vector<Diagnostic> take();

private:
    std::vector<Diagnostic> items_;
};

/// `file:line:col: error: message`, the source line, a caret under the span, and the hint.
std::string render(const Diagnostic& d, const SourceManager& sources, bool colour = false);

}  // namespace charter::lang
