// Small text helpers of the shell: its commands are words separated by white space.
#pragma once

#include <cctype>
#include <string_view>
#include <utility>

namespace charter::repl {

/// `text` without white space at either end.
inline std::string_view trim(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
        text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
        text.remove_suffix(1);
    return text;
}

/// The first word and the rest, split at the first white space, both trimmed.
inline std::pair<std::string_view, std::string_view> split_word(std::string_view text) {
    text = trim(text);
    std::size_t end = 0;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end])))
        ++end;
    return {text.substr(0, end), trim(text.substr(end))};
}

} // namespace charter::repl
