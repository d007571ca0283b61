// Completion candidates by context: a command at the start of a line, its arguments after it,
// variables after `?`, and otherwise the model's names.
#include "repl/completion.hpp"

#include <algorithm>
#include <cctype>

namespace charter::repl {
namespace {

// Words that begin statements and questions (§2-§9), offered at the start of a line.
const std::vector<std::string> statement_words = {"check",    "expect", "facts", "flow",
                                                  "import",   "kind",   "next",  "path",
                                                  "relation", "route",  "rule",  "who"};

std::string_view trim_left(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
        text.remove_prefix(1);
    return text;
}

std::vector<std::string> split(std::string_view text) {
    std::vector<std::string> out;
    std::string word;
    for (char c : text) {
        if (std::isspace(static_cast<unsigned char>(c))) {
            if (!word.empty())
                out.push_back(std::move(word));
            word.clear();
        } else {
            word += c;
        }
    }
    if (!word.empty())
        out.push_back(std::move(word));
    return out;
}

void add_matching(std::vector<std::string>& out, const std::vector<std::string>& candidates,
                  std::string_view word, bool quote = false) {
    for (const auto& c : candidates) {
        std::string text = quote ? name_text(c) : c;
        if (text.starts_with(word))
            out.push_back(std::move(text));
    }
}

bool is_letter_or_digit(std::uint32_t cp, bool first) {
    const bool letter = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '_' ||
                        (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7);
    return letter || (!first && cp >= '0' && cp <= '9');
}

bool is_identifier_part(std::string_view text) {
    if (text.empty())
        return false;
    bool first = true;
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::uint32_t cp = c;
        std::size_t n = 1;
        if (c >= 0xC0 && c < 0xE0 && i + 1 < text.size()) {
            cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3Fu);
            n = 2;
        } else if (c >= 0x80) {
            return false; // §1: letters beyond Latin Extended need backticks
        }
        if (!is_letter_or_digit(cp, first))
            return false;
        first = false;
        i += n;
    }
    return true;
}

} // namespace

const std::vector<std::string>& command_names() {
    static const std::vector<std::string> names = {
        ":help", ":load",  ":reload", ":check",  ":why",  ":whynot", ":assume",
        ":diff", ":reset", ":dot",    ":labels", ":time", ":quit"};
    return names;
}

std::string name_text(std::string_view name) {
    for (std::size_t start = 0;;) {
        const auto dot = name.find('.', start);
        const auto part = name.substr(start, dot == std::string_view::npos ? dot : dot - start);
        if (!is_identifier_part(part))
            return "`" + std::string(name) + "`";
        if (dot == std::string_view::npos)
            return std::string(name);
        start = dot + 1;
    }
}

Completions complete(std::string_view before, std::string_view word, const CompletionNames& names) {
    Completions out;
    const std::string_view line = trim_left(before);
    const auto words = split(line);
    auto finish = [&] {
        std::sort(out.matches.begin(), out.matches.end());
        out.matches.erase(std::unique(out.matches.begin(), out.matches.end()), out.matches.end());
        return out;
    };
    if (line.empty() && word.starts_with(':')) {
        add_matching(out.matches, command_names(), word);
        return finish();
    }
    if (word.starts_with('?')) {
        // The variables the line has used so far.
        std::vector<std::string> variables;
        for (std::size_t i = 0; i < line.size(); ++i) {
            if (line[i] != '?')
                continue;
            std::size_t end = i + 1;
            while (end < line.size() &&
                   (std::isalnum(static_cast<unsigned char>(line[end])) || line[end] == '_' ||
                    static_cast<unsigned char>(line[end]) >= 0x80))
                ++end;
            if (end > i + 1)
                variables.emplace_back(line.substr(i, end - i));
        }
        add_matching(out.matches, variables, word);
        return finish();
    }
    if (!words.empty() && words.front().starts_with(':')) {
        const std::string& command = words.front();
        if (command == ":load" || (command == ":diff" && words.size() == 1)) {
            out.files = true;
            return out;
        }
        if (command == ":help") {
            if (words.size() == 1)
                for (const auto& c : command_names())
                    if (c.substr(1).starts_with(word))
                        out.matches.push_back(c.substr(1));
            return finish();
        }
        if (command == ":labels" || command == ":time") {
            if (words.size() == 1)
                add_matching(out.matches, {"on", "off"}, word);
            return finish();
        }
        if (command == ":assume" && words.size() == 1) {
            add_matching(out.matches, {"add", "remove"}, word);
            return finish();
        }
        if (command == ":dot" && words.size() == 1)
            add_matching(out.matches, {"flow"}, word);
        if (command == ":reload" || command == ":check" || command == ":diff" ||
            command == ":reset" || command == ":quit" || command == ":time")
            return finish();
    } else if (words.empty()) {
        add_matching(out.matches, statement_words, word);
    } else if (words.size() == 1 && words.front() == "who") {
        add_matching(out.matches, {"approves"}, word);
        return finish();
    }
    add_matching(out.matches, names.relations, word);
    add_matching(out.matches, names.kinds, word);
    add_matching(out.matches, names.entities, word, true);
    finish();
    // A relation's name is followed by its arguments; an entity's or a kind's by a space.
    if (out.matches.size() == 1 &&
        std::binary_search(names.relations.begin(), names.relations.end(), out.matches.front()) &&
        !std::binary_search(names.entities.begin(), names.entities.end(), out.matches.front()) &&
        !std::binary_search(names.kinds.begin(), names.kinds.end(), out.matches.front()))
        out.append = '(';
    return out;
}

} // namespace charter::repl
