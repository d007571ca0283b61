// The shell's loop: gather a complete input (multi-line when a bracket is open or a line ends in
// `,` or `:-`), then answer a question, add a statement, or run a `:` command
// (shell_commands.cpp). An error is reported and the session goes on with the model it had.
#include "repl/shell.hpp"

#include "repl/commands/common.hpp"
#include "repl/input.hpp"
#include "repl/output/table.hpp"
#include "repl/text.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <istream>
#include <ostream>
#include <set>

namespace charter::repl {
namespace {

constexpr std::string_view prompt = "charter> ";
constexpr std::string_view continuation_prompt = "     ...> ";

// Labels are looked up one query per entity: beyond this many entities in one answer the table
// shows identifiers only (the answer stays fast on a large organisation).
constexpr std::size_t most_labelled_entities = 500;

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

Shell::Shell(Session& session, Options options, std::vector<std::string> files, std::ostream& out,
             std::ostream& err, ShellSettings settings)
    : session_(session), options_(std::move(options)), files_(std::move(files)), out_(out),
      err_(err), settings_(std::move(settings)) {}

int Shell::run(LineReader& reader) {
    std::string buffer;
    for (;;) {
        auto line = reader.read(buffer.empty() ? prompt : continuation_prompt);
        if (reader.take_interrupt()) { // Ctrl-C at the prompt drops what was typed
            buffer.clear();
            continue;
        }
        if (!line)
            break;
        if (!buffer.empty())
            buffer += '\n';
        buffer += *line;
        // A `:` command is always one line; anything else may go on.
        if (trim(buffer).starts_with(':') || !needs_more(buffer)) {
            if (!trim(buffer).empty())
                reader.remember(history_entry(buffer));
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
    const auto started = std::chrono::steady_clock::now();
    bool go_on = true;
    if (text.starts_with(':'))
        go_on = command(text);
    else if (is_question(text))
        answer(text);
    else
        state(input);
    if (settings_.timing && !text.starts_with(":time")) {
        const std::chrono::duration<double, std::milli> took =
            std::chrono::steady_clock::now() - started;
        char shown[32];
        std::snprintf(shown, sizeof shown, "%.3f", took.count());
        out_ << "time: " << shown << " ms\n";
    }
    out_.flush();
    err_.flush();
    return go_on;
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

void Shell::answer(std::string_view question) {
    const std::size_t relations_before = session_.relations().size();
    auto result = session_.query(question);
    report(result);
    if (result.ok())
        out_ << table(result.value);
    else
        repair_after_failure(relations_before);
}

// A question that names a closure for the first time (`r+`) evaluates the model again; when
// Ctrl-C or a limit stops that evaluation, the session holds what was derived so far. Evaluate
// the model again from its statements (the assumptions too), so that later answers are whole.
void Shell::repair_after_failure(std::size_t relations_before) {
    if (session_.relations().size() == relations_before)
        return;
    session_.reset();
    for (const auto& a : assumptions_)
        report(session_.assume(a));
    model_changed();
}

// Statements typed at the prompt add to the model (§9). An `expect` is also run at once.
void Shell::state(std::string_view input) {
    Status status = session_.load_string(input, "<input>");
    report(status);
    if (!status.ok())
        return;
    statements_.emplace_back(input);
    model_changed();
    const std::string_view text = trim(input);
    if (!text.starts_with("expect") || text.find('\n') != std::string_view::npos)
        return;
    auto results = session_.test();
    for (const auto& e : results.value) {
        if (e.location.file != "<input>" || trim(e.statement) != text)
            continue;
        if (e.passed)
            out_ << "passed\n";
        else
            out_ << "failed\n  expected: " << e.expected << "\n  found: " << e.found << "\n";
    }
}

// An unknown entity that is the start of known names (`revision` for `revision_track3`) is
// too far from them for "did you mean": name them.
void Shell::add_prefix_hint(Diagnostic& d) {
    constexpr std::string_view unknown = "unknown entity `";
    constexpr std::size_t most = 6;
    if (!d.hint.empty() || !d.message.starts_with(unknown) || !d.message.ends_with('`'))
        return;
    const std::string prefix =
        d.message.substr(unknown.size(), d.message.size() - unknown.size() - 1);
    std::vector<std::string> found;
    std::size_t count = 0;
    for (const auto& e : names().entities)
        if (e.size() > prefix.size() && e.starts_with(prefix) && count++ < most)
            found.push_back("`" + name_text(e) + "`");
    if (found.empty())
        return;
    std::string list;
    for (const auto& f : found)
        list += (list.empty() ? "" : ", ") + f;
    if (count > most)
        list += ", … (" + std::to_string(count) + " in all)";
    d.hint = "names that start with `" + prefix + "`: " + list;
}

void Shell::report(const Status& status) {
    out_.flush();
    std::set<std::tuple<std::string, std::uint32_t, std::uint32_t, std::string>> seen;
    for (auto d : status.diagnostics) {
        relativize(d);
        add_prefix_hint(d);
        if (!seen.emplace(d.file, d.line, d.column, d.message).second)
            continue;
        std::string text = format(d, settings_.stderr_colour);
        if (text.empty() || text.back() != '\n')
            text += '\n';
        err_ << text;
    }
    err_.flush();
}

void Shell::model_changed() { ++generation_; }

std::string Shell::label(const std::string& entity) {
    if (labels_generation_ != generation_) {
        labels_.clear();
        labels_generation_ = generation_;
    }
    if (auto it = labels_.find(entity); it != labels_.end())
        return it->second;
    std::string text;
    auto result = session_.query("? label(" + name_text(entity) + ", ?label)");
    if (result.ok() && !result.value.rows.empty())
        if (const auto* s = std::get_if<std::string>(&result.value.rows.front().front()))
            text = *s;
    labels_.emplace(entity, text);
    return text;
}

std::string Shell::table(const Table& answer) {
    const Table* shown = &answer;
    Table first;
    if (settings_.max_rows > 0 && answer.rows.size() > settings_.max_rows) {
        first.columns = answer.columns;
        first.rows.assign(answer.rows.begin(),
                          answer.rows.begin() + static_cast<std::ptrdiff_t>(settings_.max_rows));
        shown = &first;
    }
    std::set<std::string> entities;
    if (settings_.labels)
        for (const auto& row : shown->rows)
            for (const auto& cell : row)
                if (const auto* e = std::get_if<Entity>(&cell))
                    entities.insert(e->id);
    std::string text =
        !settings_.labels || entities.size() > most_labelled_entities
            ? format_table(*shown, settings_.stdout_colour)
            : format_table(*shown, settings_.stdout_colour,
                           [this](const std::string& entity) { return label(entity); });
    if (shown == &first) { // replace `(N rows)` by how many there are
        text.resize(text.rfind('(', text.size() - 2));
        text += "(the first " + std::to_string(first.rows.size()) + " of " +
                std::to_string(answer.rows.size()) + " rows)\n";
    }
    return text;
}

const CompletionNames& Shell::names() {
    if (names_generation_ != generation_) {
        names_ = {session_.entities(), session_.relations(), session_.kinds()};
        names_generation_ = generation_;
    }
    return names_;
}

Completions Shell::complete(std::string_view before, std::string_view word) {
    return repl::complete(before, word, names());
}

} // namespace charter::repl
