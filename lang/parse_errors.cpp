// Syntax errors for the parser: the lexical checks (UTF-8, NUL, nesting), recording a raised
// error with what was found there, and skipping a broken statement so parsing can go on.
#include "diagnostic.hpp"
#include "grammar_errors.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace charter::lang::grammar {

namespace {

constexpr std::size_t unknown = std::string_view::npos;

/// The code point at `i` and its length in bytes; length 0 when the bytes are not UTF-8.
struct CodePoint {
    std::uint32_t value = 0;
    std::size_t length = 0;
};

CodePoint decode(std::string_view text, std::size_t i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) return {c, 1};
    std::size_t length = 0;
    std::uint32_t value = 0;
    if (c >= 0xC2 && c <= 0xDF) {
        length = 2;
        value = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
        length = 3;
        value = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
        length = 4;
        value = c & 0x07u;
    } else {
        return {};
    }
    if (i + length > text.size()) return {};
    for (std::size_t k = 1; k < length; ++k) {
        const auto b = static_cast<unsigned char>(text[i + k]);
        if ((b & 0xC0) != 0x80) return {};
        value = (value << 6) | (b & 0x3Fu);
    }
    if (length == 3 && (value < 0x800 || (value >= 0xD800 && value <= 0xDFFF))) return {};
    if (length == 4 && (value < 0x10000 || value > 0x10FFFF)) return {};
    return {value, length};
}

// §1: letters are ASCII letters, `_`, Latin-1 letters and Latin Extended-A/B.
bool is_identifier_start(std::uint32_t c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c >= 0xC0 && c <= 0xD6) ||
           (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x24F);
}

bool is_identifier_char(std::uint32_t c) { return is_identifier_start(c) || (c >= '0' && c <= '9'); }

bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// How a message quotes what the parser found at `at`, and how many bytes the caret covers.
std::pair<std::string, std::size_t> describe(std::string_view text, std::size_t at) {
    constexpr std::size_t shown = 40;  // code points of a long word shown before "…"
    if (at >= text.size()) return {"end of file", 0};
    const char c = text[at];
    if (c == '\n' || (c == '\r' && at + 1 < text.size() && text[at + 1] == '\n')) return {"end of line", 0};
    if (c == '\0') return {"a NUL byte", 1};
    if (c == '`') return {"a backtick", 1};
    const CodePoint first = decode(text, at);
    if (first.length == 0) return {fmt::format("byte 0x{:02x}", static_cast<unsigned char>(c)), 1};
    std::size_t end = at;
    std::size_t count = 0;
    const CodePoint after = at + 1 < text.size() ? decode(text, at + 1) : CodePoint{};
    const bool is_variable = c == '?' && after.length != 0 && is_identifier_start(after.value);
    if (is_identifier_start(first.value) || is_variable) {
        end = is_variable ? at + 1 : at;
        for (CodePoint p = is_variable ? after : first; p.length != 0 && is_identifier_char(p.value) && count < shown;
             ++count) {
            end += p.length;
            p = end < text.size() ? decode(text, end) : CodePoint{};
        }
    } else if (is_digit(c) || (c == '-' && at + 1 < text.size() && is_digit(text[at + 1]))) {
        end = at + 1;  // a number, and the letters stuck to it
        for (CodePoint p = decode(text, end); p.length != 0 && is_identifier_char(p.value) && end - at < shown;) {
            end += p.length;
            p = end < text.size() ? decode(text, end) : CodePoint{};
        }
    } else if (first.value < 0x20 || first.value == 0x7F) {
        return {fmt::format("character U+{:04X}", first.value), 1};
    } else {
        end = at + first.length;
    }
    const bool cut = count == shown && end < text.size() && decode(text, end).length != 0 &&
                     is_identifier_char(decode(text, end).value);
    return {fmt::format("`{}{}`", text.substr(at, end - at), cut ? "…" : ""), end - at};
}

/// The indentation of the line that holds byte `at`.
std::size_t indentation(std::string_view text, std::size_t at) {
    const std::size_t newline = at == 0 ? std::string_view::npos : text.rfind('\n', at - 1);
    const std::size_t start = newline == std::string_view::npos ? 0 : newline + 1;
    std::size_t i = start;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    return i - start;
}

/// Whether the line after the line break at `newline` continues brackets opened on a line
/// indented `base`: it closes them, or it is indented deeper. A bracket left open without
/// that is taken for a mistake, so an unclosed `(` does not swallow the rest of the file.
/// `decided_to` becomes the byte the answer was read at: every line break before it, after
/// `newline`, has the same answer (blank lines between), so callers ask again only past it —
/// else a million blank lines inside brackets would be scanned a million times.
bool continues_brackets(std::string_view text, std::size_t newline, std::size_t base, std::size_t& decided_to) {
    std::size_t i = newline + 1;
    for (;;) {
        const std::size_t start = i;
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r')) ++i;
        decided_to = i;
        if (i >= text.size()) return false;
        if (text[i] != '\n') return text[i] == ')' || text[i] == ']' || i - start > base;
        ++i;  // a blank line
    }
}

std::string fill_found(std::string_view message, std::string_view found) {
    std::string out(message);
    if (auto p = out.find("{found}"); p != std::string::npos) out.replace(p, 7, found);
    return out;
}

}  // namespace

State::State(std::string_view text, SourceId source, Diagnostics& diagnostics)
    : text_(text), source_(source), diagnostics_(diagnostics) {}

void State::check_lexical() {
    enum class Mode { code, string, backtick, comment };
    Mode mode = Mode::code;
    std::size_t parens = 0;  // `(` and `[` open, as recovery would count them
    std::size_t parens_at = 0;                 // where the outermost of them opened
    std::size_t parens_indent = unknown;       // that line's indentation, once needed
    std::size_t continued_to = 0;              // line breaks before this continue the brackets
    std::size_t braces = 0;
    bool line_reported = false;  // one encoding error per line is enough
    const auto span = [this](std::size_t at) {
        return Span{source_, static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(at + 1)};
    };
    for (std::size_t i = 0; i < text_.size();) {
        const char c = text_[i];
        if (c == '\n') {
            mode = Mode::code;  // strings, backtick names and comments end with the line
            line_reported = false;
            if (parens > 0) {
                if (parens_indent == unknown) {
                    parens_indent = indentation(text_, parens_at);
                    continued_to = 0;
                }
                if (i >= continued_to && !continues_brackets(text_, i, parens_indent, continued_to)) parens = 0;
            }
            ++i;
            continue;
        }
        const CodePoint p = c == '\0' ? CodePoint{} : decode(text_, i);
        if (p.length == 0) {
            if (!line_reported) {
                lexical_errors_.push_back(i);
                if (c == '\0')
                    diagnostics_.error(span(i), "unexpected NUL byte", "a NUL byte may not appear in a Charter file");
                else
                    diagnostics_.error(span(i), fmt::format("invalid UTF-8 byte 0x{:02x}", static_cast<unsigned char>(c)),
                                       "Charter files are UTF-8");
            }
            line_reported = true;
            ++i;
            continue;
        }
        switch (mode) {
        case Mode::string:
            if (c == '\\' && i + 1 < text_.size() && text_[i + 1] != '\n') {
                ++i;  // the escaped character is checked on the next round
                const char e = text_[i];
                if (e == '"' || e == '\\') ++i;
                continue;
            }
            if (c == '"') mode = Mode::code;
            break;
        case Mode::backtick:
            if (c == '`') mode = Mode::code;
            break;
        case Mode::comment: break;
        case Mode::code:
            if (c == '"') {
                mode = Mode::string;
            } else if (c == '`') {
                mode = Mode::backtick;
            } else if (c == '#') {
                mode = Mode::comment;
            } else if (c == '(' || c == '[' || c == '{') {
                if (c == '{') {
                    ++braces;
                } else if (parens++ == 0) {
                    parens_at = i;
                    parens_indent = unknown;
                }
                if (parens + braces > max_nesting && !nesting_reported_) {
                    nesting_reported_ = true;
                    lexical_errors_.push_back(i);
                    diagnostics_.error(span(i), error_message<nesting_too_deep>, error_hint<nesting_too_deep>);
                }
            } else if (c == ')' || c == ']') {
                parens -= parens > 0 ? 1 : 0;
            } else if (c == '}') {
                braces -= braces > 0 ? 1 : 0;
            }
            break;
        }
        i += p.length;
    }
}

bool State::known_error_at(std::size_t byte) const {
    if (std::binary_search(lexical_errors_.begin(), lexical_errors_.end(), byte)) return true;
    // An encoding error is reported once per line by check_lexical; the parser stops at each.
    return byte < text_.size() && (text_[byte] == '\0' || decode(text_, byte).length == 0);
}

void State::syntax_error(std::size_t byte, std::string_view message, std::string_view hint) {
    std::size_t at = std::min(byte, text_.size());
    // Inside brackets newlines are blanks, so the parser stands at the next line's first token
    // when something is missing; the error belongs at the end of the line it is missing from.
    if (paren_depth > 0) {
        std::size_t q = at;
        while (q > 0 && (text_[q - 1] == ' ' || text_[q - 1] == '\t' || text_[q - 1] == '\r' || text_[q - 1] == '\n')) --q;
        if (const auto newline = text_.substr(q, at - q).find('\n'); newline != std::string_view::npos)
            at = q + newline > q && text_[q + newline - 1] == '\r' ? q + newline - 1 : q + newline;
    }
    error_at_ = at;
    error_paren_depth_ = paren_depth;
    error_paren_at_ = outer_paren_at;
    if (recovered_to_ && at <= *recovered_to_) return;  // a consequence of the error recovered from
    if (known_error_at(at)) return;
    if (message == std::string_view(error_message<nesting_too_deep>)) {
        if (nesting_reported_) return;
        nesting_reported_ = true;
    }
    const auto [found, length] = describe(text_, at);
    diagnostics_.error(Span{source_, static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(at + length)},
                       fill_found(message, found), std::string(hint));
}

std::size_t State::recovery_end(std::size_t from, bool in_block) {
    const std::size_t n = text_.size();
    std::size_t i = std::max(from, std::min(error_at_, n));
    // Brackets around the error, as the parser saw them, then as the skipped text opens them.
    std::size_t parens = error_paren_depth_;
    std::size_t parens_at = error_paren_at_;
    std::size_t parens_indent = unknown;       // of the line parens_at is on, once needed
    std::size_t continued_to = 0;              // line breaks before this continue the brackets
    std::size_t braces = 0;
    while (i < n) {
        const char c = text_[i];
        if (c == '\n') {
            if (parens > 0) {
                if (parens_indent == unknown) {
                    parens_indent = indentation(text_, parens_at);
                    continued_to = 0;
                }
                if (i >= continued_to && !continues_brackets(text_, i, parens_indent, continued_to)) parens = 0;
            }
            if (parens == 0 && braces == 0) break;
            ++i;
            continue;
        }
        if (c == ';' && parens == 0 && braces == 0) break;
        if (c == '}' && braces == 0 && in_block) break;  // the end of the enclosing block
        ++i;
        switch (c) {
        case '(':
        case '[':
            if (parens++ == 0) {
                parens_at = i - 1;
                parens_indent = unknown;
            }
            break;
        case ')':
        case ']': parens -= parens > 0 ? 1 : 0; break;
        case '{': ++braces; break;
        case '}': braces -= braces > 0 ? 1 : 0; break;
        case '"':
            while (i < n && text_[i] != '\n' && text_[i] != '"') i += text_[i] == '\\' && i + 1 < n && text_[i + 1] != '\n' ? 2 : 1;
            if (i < n && text_[i] == '"') ++i;
            break;
        case '`':
            while (i < n && text_[i] != '\n' && text_[i] != '`') ++i;
            if (i < n && text_[i] == '`') ++i;
            break;
        case '#':
            while (i < n && text_[i] != '\n') ++i;
            break;
        default: break;
        }
    }
    if (i == from && i < n) {  // always make progress
        const CodePoint p = decode(text_, i);
        i += p.length == 0 ? 1 : p.length;
    }
    recovered_to_ = i;
    return i;
}

}  // namespace charter::lang::grammar
