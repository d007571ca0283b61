// Diagnostics: collecting, ordering and rendering them as `file:line:col: error: message`, the
// source line from memory, a caret under the span, and the hint.
#include "diagnostic.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

namespace charter::lang {

Diagnostic& Diagnostics::error(Span span, std::string message, std::string hint) {
    items_.push_back({Severity::error, span, std::move(message), std::move(hint), {}});
    return items_.back();
}

Diagnostic& Diagnostics::warning(Span span, std::string message, std::string hint) {
    items_.push_back({Severity::warning, span, std::move(message), std::move(hint), {}});
    return items_.back();
}

bool Diagnostics::has_errors() const {
    return std::any_of(items_.begin(), items_.end(), [](const Diagnostic& d) { return d.severity == Severity::error; });
}

std::size_t Diagnostics::error_count() const {
    return static_cast<std::size_t>(
        std::count_if(items_.begin(), items_.end(), [](const Diagnostic& d) { return d.severity == Severity::error; }));
}

namespace {

bool same(const Diagnostic& a, const Diagnostic& b) {
    return a.severity == b.severity && a.span.source == b.span.source && a.span.begin == b.span.begin &&
           a.span.end == b.span.end && a.message == b.message && a.hint == b.hint &&
           std::equal(a.notes.begin(), a.notes.end(), b.notes.begin(), b.notes.end(), same);
}

}  // namespace

std::vector<Diagnostic> Diagnostics::take() {
    std::vector<Diagnostic> out = std::move(items_);
    items_.clear();
    std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return std::tie(a.span.source, a.span.begin, a.severity) < std::tie(b.span.source, b.span.begin, b.severity);
    });
    // Equal diagnostics sort next to each other unless a different one at the same place and
    // severity sits between them, so compare against everything kept at that place.
    std::vector<Diagnostic> kept;
    kept.reserve(out.size());
    std::size_t place = 0;  // first kept diagnostic with the current (source, begin, severity)
    for (auto& d : out) {
        if (!kept.empty() && std::tie(kept.back().span.source, kept.back().span.begin, kept.back().severity) !=
                                 std::tie(d.span.source, d.span.begin, d.severity))
            place = kept.size();
        if (std::none_of(kept.begin() + static_cast<std::ptrdiff_t>(place), kept.end(),
                         [&](const Diagnostic& k) { return same(k, d); }))
            kept.push_back(std::move(d));
    }
    return kept;
}

namespace {

struct Style {
    bool on;
    [[nodiscard]] std::string paint(std::string_view code, std::string_view text) const {
        return on ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : std::string(text);
    }
};

std::string_view severity_name(Severity s) {
    switch (s) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::note: return "note";
    }
    return "error";
}

std::string_view severity_colour(Severity s) {
    switch (s) {
    case Severity::error: return "1;31";
    case Severity::warning: return "1;35";
    case Severity::note: return "1;36";
    }
    return "1";
}

void render_into(std::string& out, const Diagnostic& d, const SourceManager& sources, const Style& style) {
    const std::string head = fmt::format("{}:", severity_name(d.severity));
    if (d.span.source == no_source || d.span.source >= sources.size()) {
        out += fmt::format("{} {}\n", style.paint(severity_colour(d.severity), head), style.paint("1", d.message));
    } else {
        const SourceLocation where = sources.locate(d.span);
        out += fmt::format("{} {} {}\n", style.paint("1", fmt::format("{}:{}:{}:", where.file, where.line, where.column)),
                           style.paint(severity_colour(d.severity), head), style.paint("1", d.message));
        const std::string_view line = sources.line_text(d.span.source, where.line);
        const std::string number = std::to_string(where.line);
        const std::size_t width = std::max<std::size_t>(4, number.size());
        // Keep tabs as tabs so the caret lines up however the terminal expands them.
        std::string padding;
        std::uint32_t column = 1;
        for (std::size_t i = 0; i < line.size() && column < where.column; ++i) {
            const auto c = static_cast<unsigned char>(line[i]);
            if ((c & 0xC0) == 0x80) continue;  // a continuation byte of the same code point
            padding += c == '\t' ? '\t' : ' ';
            ++column;
        }
        padding.append(where.column - column, ' ');  // past the end of the line
        const std::string caret = "^" + std::string(where.length > 1 ? where.length - 1 : 0, '~');
        out += fmt::format(" {} {} {}\n", style.paint("1;34", fmt::format("{:>{}}", number, width)),
                           style.paint("1;34", "|"), line);
        out += fmt::format(" {} {} {}{}\n", std::string(width, ' '), style.paint("1;34", "|"), padding,
                           style.paint("1;32", caret));
    }
    if (!d.hint.empty()) out += fmt::format("{} {}\n", style.paint("1;36", "hint:"), d.hint);
    for (const auto& note : d.notes) render_into(out, note, sources, style);
}

}  // namespace

std::string render(const Diagnostic& d, const SourceManager& sources, bool colour) {
    std::string out;
    render_into(out, d, sources, Style{colour});
    return out;
}

}  // namespace charter::lang
