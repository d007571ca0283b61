// Diagnostics: collecting, ordering and rendering them as `file:line:col: error: message`, the
// source line from memory, a caret under the span, and the hint.
#include "diagnostic.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <tuple>

namespace charter::lang {

namespace {

/// Messages quote what the user wrote between backticks; a quote longer than this many code
/// points is cut to its start and `…`, so that a 200 KB name gives a short message.
constexpr std::size_t max_quote = 64;

std::string shorten_quotes(std::string text) {
    if (text.size() <= 2 * max_quote) return text;
    std::string out;
    out.reserve(2 * max_quote);
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t open = text.find('`', i);
        const std::size_t close = open == std::string::npos ? open : text.find('`', open + 1);
        if (close == std::string::npos) {
            out.append(text, i);
            break;
        }
        out.append(text, i, open + 1 - i);
        const std::string_view quoted = std::string_view(text).substr(open + 1, close - open - 1);
        std::size_t cut = 0;
        std::size_t code_points = 0;
        while (cut < quoted.size() && code_points < max_quote) {
            ++cut;
            while (cut < quoted.size() && (static_cast<unsigned char>(quoted[cut]) & 0xC0) == 0x80) ++cut;
            ++code_points;
        }
        out += quoted.substr(0, cut);
        if (cut < quoted.size()) out += "…";
        out += '`';
        i = close + 1;
    }
    return out;
}

void shorten(Diagnostic& d) {
    d.message = shorten_quotes(std::move(d.message));
    d.hint = shorten_quotes(std::move(d.hint));
    for (auto& note : d.notes) shorten(note);
}

}  // namespace

Diagnostic& Diagnostics::error(Span span, std::string message, std::string hint) {
    if (++errors_ > max_kept_errors) {
        discarded_ = {};
        return discarded_;
    }
    items_.push_back({Severity::error, span, shorten_quotes(std::move(message)), shorten_quotes(std::move(hint)), {}});
    return items_.back();
}

void Diagnostics::add(Diagnostic d) {
    if (d.severity == Severity::error && ++errors_ > max_kept_errors) return;
    if (d.severity == Severity::warning && ++warnings_ > max_kept_errors) return;
    shorten(d);
    items_.push_back(std::move(d));
}

Diagnostic& Diagnostics::warning(Span span, std::string message, std::string hint) {
    if (++warnings_ > max_kept_errors) {
        discarded_ = {};
        return discarded_;
    }
    items_.push_back({Severity::warning, span, shorten_quotes(std::move(message)), shorten_quotes(std::move(hint)), {}});
    return items_.back();
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
    const std::size_t not_kept = errors_ > max_kept_errors ? errors_ - max_kept_errors : 0;
    const std::size_t warnings_not_kept = warnings_ > max_kept_errors ? warnings_ - max_kept_errors : 0;
    errors_ = 0;
    warnings_ = 0;
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
    for (auto& d : kept)
        for (auto& note : d.notes) shorten(note);  // added to a diagnostic after it was made
    if (warnings_not_kept > 0)
        kept.push_back({Severity::warning, {}, fmt::format("{} more warning{} not shown", warnings_not_kept,
                                                           warnings_not_kept == 1 ? "" : "s"), "", {}});
    if (not_kept > 0)
        kept.push_back({Severity::error, {}, fmt::format("{} more error{} not shown", not_kept, not_kept == 1 ? "" : "s"),
                        fmt::format("only the first {} errors are reported", max_kept_errors), {}});
    return kept;
}

namespace {

/// The code point of a whole UTF-8 sequence, or -1 when it is not exactly one valid one.
long decode_sequence(std::string_view bytes) {
    const auto lead = static_cast<unsigned char>(bytes[0]);
    std::size_t length = lead < 0x80 ? 1 : lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3
                       : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0;
    if (length == 0 || length != bytes.size()) return -1;
    long value = length == 1 ? lead : lead & (0x7F >> length);
    for (std::size_t k = 1; k < length; ++k) value = (value << 6) | (static_cast<unsigned char>(bytes[k]) & 0x3F);
    if ((length == 3 && (value < 0x800 || (value >= 0xD800 && value <= 0xDFFF))) ||
        (length == 4 && (value < 0x10000 || value > 0x10FFFF)))
        return -1;
    return value;
}

void append_utf8(std::string& out, long c) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
}

}  // namespace

Excerpt excerpt(std::string_view line, std::uint32_t column) {
    // Columns count every byte that does not continue a sequence (count_code_points), so a
    // "group" — such a byte and the continuation bytes after it — is one column, valid or not.
    const std::uint32_t columns = count_code_points(line);
    std::uint32_t first = 1;
    std::uint32_t last = columns;  // inclusive
    if (columns > max_excerpt_columns) {
        constexpr std::uint32_t before = 60;                  // columns shown before the caret
        constexpr std::uint32_t shown = max_excerpt_columns - 2;  // and room for a `…` at each end
        first = std::min(column > before ? column - before : 1, columns - shown + 1);
        last = first + shown - 1;
    }
    Excerpt out;
    out.first_column = first > 1 ? first - 1 : 1;  // the `…` stands in the column before
    if (first > 1) out.text += "…";
    std::uint32_t at = 0;  // the current group's column (0 before the first group)
    for (std::size_t i = 0; i < line.size();) {
        std::size_t j = i + 1;
        while (j < line.size() && (static_cast<unsigned char>(line[j]) & 0xC0) == 0x80) ++j;
        const bool stray = (static_cast<unsigned char>(line[i]) & 0xC0) == 0x80;  // at the line's start
        const std::string_view group = line.substr(i, j - i);
        i = j;
        if (stray) continue;  // no column of its own
        if (++at < first) continue;
        if (at > last) break;
        const long c = decode_sequence(group);
        if (c < 0) append_utf8(out.text, 0xFFFD);
        else if (c == '\t') out.text += '\t';
        else if (c < 0x20) append_utf8(out.text, 0x2400 + c);
        else if (c == 0x7F) append_utf8(out.text, 0x2421);
        else out.text += group;
    }
    if (last < columns) out.text += "…";
    return out;
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
        const Excerpt shown = excerpt(sources.line_text(d.span.source, where.line), where.column);
        const std::string_view line = shown.text;
        const std::string number = std::to_string(where.line);
        const std::size_t width = std::max<std::size_t>(4, number.size());
        // Keep tabs as tabs so the caret lines up however the terminal expands them.
        std::string padding;
        std::uint32_t column = shown.first_column;
        for (std::size_t i = 0; i < line.size() && column < where.column; ++i) {
            const auto c = static_cast<unsigned char>(line[i]);
            if ((c & 0xC0) == 0x80) continue;  // a continuation byte of the same code point
            padding += c == '\t' ? '\t' : ' ';
            ++column;
        }
        if (where.column > column) padding.append(where.column - column, ' ');  // past the end of the line
        // The underline stops at the excerpt's end.
        const std::int64_t room = std::int64_t{shown.first_column} + count_code_points(line) - where.column;
        const std::uint32_t length = room < where.length ? static_cast<std::uint32_t>(std::max<std::int64_t>(room, 1))
                                                         : where.length;
        const std::string caret = "^" + std::string(length > 1 ? length - 1 : 0, '~');
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
