// The minimal line-by-line shell of `charter repl`; repl/line_editor.cpp will add libedit.
#include "repl/shell.hpp"

#include "repl/commands/common.hpp"
#include "repl/output/report.hpp"
#include "repl/output/table.hpp"

#include <algorithm>
#include <cctype>
#include <istream>
#include <ostream>
#include <vector>

namespace charter::repl {
namespace {

constexpr std::string_view prompt = "charter> ";
constexpr std::string_view continuation_prompt = "     ...> ";

constexpr std::string_view help_text =
    "Type statements to add them to the model, and questions to have them answered:\n"
    "  ? reports_to+(FKØ, ?top)   who approves X   next C   route C   path r A B\n"
    "Commands:\n"
    "  :help                      this text\n"
    "  :load FILE…                add files to the model\n"
    "  :reload                    load every file again from disk\n"
    "  :check                     the violations of every check\n"
    "  :assume add|remove FACT    a hypothetical change, kept until :reset\n"
    "  :reset                     drop the hypothetical changes\n"
    "  :quit                      leave (so does the end of input)\n";

std::string_view trim(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
        text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
        text.remove_suffix(1);
    return text;
}

// The first word and the rest, split at the first white space.
std::pair<std::string_view, std::string_view> split_word(std::string_view text) {
    text = trim(text);
    std::size_t end = 0;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end])))
        ++end;
    return {text.substr(0, end), trim(text.substr(end))};
}

std::vector<std::string> words(std::string_view text) {
    std::vector<std::string> out;
    for (auto [word, rest] = split_word(text); !word.empty();
         std::tie(word, rest) = split_word(rest))
        out.emplace_back(word);
    return out;
}

} // namespace

StreamReader::StreamReader(std::istream& in, std::ostream& prompts, bool interactive)
    : in_(in), prompts_(prompts), interactive_(interactive) {}

std::optional<std::string> StreamReader::read(std::string_view text) {
    if (interactive_)
        prompts_ << text << std::flush;
    std::string line;
    if (!std::getline(in_, line)) {
        if (interactive_)
            prompts_ << '\n';
        return std::nullopt;
    }
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    return line;
}

Shell::Shell(Session& session, std::ostream& out, std::ostream& err, ShellSettings settings)
    : session_(session), out_(out), err_(err), settings_(settings) {}

int Shell::run(LineReader& reader) {
    std::string buffer;
    while (auto line = reader.read(buffer.empty() ? prompt : continuation_prompt)) {
        if (!buffer.empty())
            buffer += '\n';
        buffer += *line;
        // A `:` command is always one line; anything else may go on.
        if (trim(buffer).starts_with(':') || !needs_more(buffer)) {
            const bool go_on = execute(buffer);
            buffer.clear();
            if (!go_on)
                return 0;
        }
    }
    if (!trim(buffer).empty())
        execute(buffer); // unfinished: let the parser say what is wrong
    return 0;
}

bool Shell::execute(std::string_view input) {
    const std::string_view text = trim(input);
    if (text.empty() || text.starts_with('#'))
        return true;
    if (text.starts_with(':'))
        return command(text);
    if (is_question(text)) {
        auto answer = session_.query(text);
        report(answer);
        if (answer.ok())
            out_ << format_table(answer.value, settings_.stdout_colour);
    } else {
        report(session_.load_string(input, "<input>"));
    }
    out_.flush();
    return true;
}

bool Shell::is_question(std::string_view input) const {
    const std::string_view text = trim(input);
    if (text.starts_with('?'))
        return true;
    const auto [first, rest] = split_word(text);
    if (first == "who")
        return split_word(rest).first == "approves";
    if (first != "next" && first != "route" && first != "path")
        return false;
    // `next(a, b)` is a fact and `route R` may declare an entity of a kind named route.
    if (rest.empty() || rest.front() == '(')
        return false;
    const auto kinds = session_.kinds();
    return !std::binary_search(kinds.begin(), kinds.end(), std::string(first));
}

bool Shell::needs_more(std::string_view buffer) {
    int depth = 0;
    bool in_string = false;
    bool in_backticks = false;
    std::size_t last_line = 0;                    // where the last line starts
    std::size_t comment = std::string_view::npos; // where its comment starts, if any
    for (std::size_t i = 0; i < buffer.size(); ++i) {
        const char c = buffer[i];
        // A string or quoted name ends at its line's end: an unclosed one is the parser's
        // error to report, not a reason to wait for more input.
        if (in_string && c != '\n') {
            if (c == '\\' && i + 1 < buffer.size() && buffer[i + 1] != '\n')
                ++i;
            if (c == '"')
                in_string = false;
            continue;
        }
        if (in_backticks && c != '\n') {
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
            ++depth;
            break;
        case ')':
        case ']':
        case '}':
            --depth;
            break;
        case '#':
            comment = i;
            while (i + 1 < buffer.size() && buffer[i + 1] != '\n')
                ++i;
            break;
        case '\n':
            in_string = in_backticks = false;
            last_line = i + 1;
            comment = std::string_view::npos;
            break;
        default:
            break;
        }
    }
    if (depth > 0)
        return true;
    if (depth < 0)
        return false; // a stray closing bracket: let the parser report it
    // §1: a statement goes on after a trailing `,` or `:-`.
    const std::size_t end = comment == std::string_view::npos ? buffer.size() : comment;
    const std::string_view last = trim(buffer.substr(last_line, end - last_line));
    return last.ends_with(',') || last.ends_with(":-");
}

bool Shell::command(std::string_view input) {
    const auto [name, rest] = split_word(input);
    if (name == ":quit" || name == ":q" || name == ":exit")
        return false;
    if (name == ":help" || name == ":h") {
        out_ << help_text;
    } else if (name == ":check") {
        check();
    } else if (name == ":load") {
        const auto files = words(rest);
        if (files.empty())
            err_ << "error: :load needs a file name\n";
        for (const auto& file : files)
            report(session_.load_file(file));
    } else if (name == ":reload") {
        report(session_.reload());
    } else if (name == ":reset") {
        session_.reset();
    } else if (name == ":assume") {
        report(session_.assume(rest));
    } else if (name == ":why" || name == ":whynot" || name == ":diff" || name == ":dot") {
        err_ << "error: " << name << " is not available yet\n";
    } else {
        err_ << "error: unknown command `" << name << "` (:help lists the commands)\n";
    }
    out_.flush();
    err_.flush();
    return true;
}

void Shell::check() {
    auto result = session_.check();
    report(result);
    if (!result.ok())
        return;
    for (auto& v : result.value)
        relativize(v.location);
    out_ << format_violations(result.value, settings_.stdout_colour);
}

void Shell::report(const Status& status) {
    out_.flush();
    for (auto d : status.diagnostics) {
        relativize(d);
        std::string text = format(d, settings_.stderr_colour);
        if (text.empty() || text.back() != '\n')
            text += '\n';
        err_ << text;
    }
    err_.flush();
}

} // namespace charter::repl
