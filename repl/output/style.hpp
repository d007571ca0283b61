// ANSI styling for the command line's text output. Every helper is a no-op when colour is off,
// so formatting functions take a plain `bool colour` and stay testable.
#pragma once

#include <string>
#include <string_view>

namespace charter::repl {

enum class Paint { bold, error, warning, good, dim };

inline std::string paint(std::string_view text, Paint how, bool colour) {
    if (!colour || text.empty())
        return std::string(text);
    std::string_view code;
    switch (how) {
    case Paint::bold:
        code = "\x1b[1m";
        break;
    case Paint::error:
        code = "\x1b[1;31m";
        break;
    case Paint::warning:
        code = "\x1b[1;35m";
        break;
    case Paint::good:
        code = "\x1b[32m";
        break;
    case Paint::dim:
        code = "\x1b[2m";
        break;
    }
    std::string out(code);
    out += text;
    out += "\x1b[0m";
    return out;
}

} // namespace charter::repl
