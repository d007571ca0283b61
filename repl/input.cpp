// Reading input as the lexer will (§1): whether a statement goes on on the next line, and a
// multi-line input as one line for the history.
#include "repl/input.hpp"

#include "repl/text.hpp"

#include <cctype>

namespace charter::repl {
namespace {

// Walks `buffer` as the lexer would for line breaks (§1): strings and backticked names end at
// their line's end, `#` starts a comment. Calls `line_end(code, open)` at each line's end with
// the line's text before any comment and the brackets open there.
template <typename LineEnd> void scan_lines(std::string_view buffer, LineEnd&& line_end) {
    std::string open; // the open brackets, innermost last
    bool in_string = false;
    bool in_backticks = false;
    std::size_t line_start = 0;
    std::size_t comment = std::string_view::npos;
    for (std::size_t i = 0; i <= buffer.size(); ++i) {
        if (i == buffer.size() || buffer[i] == '\n') {
            const std::size_t end = comment == std::string_view::npos ? i : comment;
            line_end(buffer.substr(line_start, end - line_start), std::string_view(open));
            in_string = in_backticks = false;
            line_start = i + 1;
            comment = std::string_view::npos;
            continue;
        }
        const char c = buffer[i];
        if (in_string) {
            if (c == '\\' && i + 1 < buffer.size() && buffer[i + 1] != '\n')
                ++i;
            else if (c == '"')
                in_string = false;
            continue;
        }
        if (in_backticks) {
            if (c == '`')
                in_backticks = false;
            continue;
        }
        switch (c) {
        case '"':
            in_string = true;
            break;
        case '`':
            in_backticks = true;
            break;
        case '(':
        case '[':
        case '{':
            open += c;
            break;
        case ')':
        case ']':
        case '}':
            if (!open.empty() && open.back() != '!')
                open.pop_back();
            else
                open = "!"; // a stray closing bracket: nothing to wait for, whatever follows
            break;
        case '#':
            comment = i;
            while (i + 1 < buffer.size() && buffer[i + 1] != '\n')
                ++i;
            break;
        default:
            break;
        }
    }
}

} // namespace

bool needs_more(std::string_view buffer) {
    bool more = false;
    scan_lines(buffer, [&](std::string_view code, std::string_view open) {
        const std::string_view last = trim(code);
        // §1: a statement goes on inside brackets and after a trailing `,` or `:-`.
        more =
            (!open.empty() && open.front() != '!') || last.ends_with(',') || last.ends_with(":-");
    });
    return more;
}

std::string history_entry(std::string_view buffer) {
    std::string out;
    std::string open_before; // brackets open at the end of the previous line
    std::string previous;    // the previous non-empty line
    scan_lines(buffer, [&](std::string_view code, std::string_view open) {
        const std::string_view line = trim(code);
        if (line.empty())
            return;
        if (!out.empty()) {
            // Inside ( or [, after `,` `:-` `{` or `;`, and before `}`, a newline is a space;
            // elsewhere (between statements, in a block) it ends a statement: `; `.
            const bool in_list = !open_before.empty() && open_before.back() != '{';
            const bool joins = in_list || previous.ends_with(',') || previous.ends_with(":-") ||
                               previous.ends_with('{') || previous.ends_with(';') ||
                               line.starts_with('}');
            out += joins ? " " : "; ";
        }
        out += line;
        previous = std::string(line);
        open_before = std::string(open);
    });
    return out;
}

} // namespace charter::repl
