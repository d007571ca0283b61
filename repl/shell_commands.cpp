// The shell's `:` commands (§9): :help :load :reload :check :why :whynot :assume :diff :reset
// :dot :labels :quit. Each reports problems and leaves the session usable.
#include "repl/shell.hpp"

#include "repl/commands/common.hpp"
#include "repl/output/diff.hpp"
#include "repl/output/explain.hpp"
#include "repl/output/report.hpp"
#include "repl/output/style.hpp"
#include "repl/text.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include <fcntl.h>
#include <unistd.h>
#include <ostream>

namespace charter::repl {
namespace {

constexpr std::string_view help_text =
    "Type a question to have it answered, or a statement to add it to this session's model\n"
    "(the files are not changed). A line that leaves a bracket open or ends in `,` or `:-`\n"
    "goes on on the next line.\n"
    "\n"
    "Questions (each answers a table):\n"
    "  ? reports_to+(FKØ, ?up)        every body FKØ reports to, directly or not\n"
    "  ? kind(?flow, flow)            the flows; any relation can be asked: ? member(SSS, ?p, _, "
    "_)\n"
    "  who approves revision_track3   who approves a flow, a case, or anything else\n"
    "  next C17    route C17          where a case goes next; the rest of its route\n"
    "  path reports_to FKØ SSU        the shortest chain from one entity to another\n"
    "Statements:\n"
    "  body Arbejdsgruppe { reports_to SSS }\n"
    "  rule above(?a, ?b) :- reports_to(?a, ?b)\n"
    "  expect ? reports_to(FKØ, SDK.formandskab)      (answered at once: passed or failed)\n"
    "\n"
    "Commands (:help COMMAND tells more):\n"
    "  :help [COMMAND]              this text\n"
    "  :load FILE…                  add files to the model\n"
    "  :reload                      read the files again (what you typed is kept)\n"
    "  :check                       the violations of every check\n"
    "  :why FACT                    how a fact follows, down to stated facts and their lines\n"
    "  :whynot FACT                 what keeps a fact from holding\n"
    "  :assume add|remove FACT      a hypothetical change, kept until :reset\n"
    "  :diff [FILE]                 what the assumptions (or a proposal file) change\n"
    "  :reset                       drop the assumptions\n"
    "  :dot [RELATION…] [> FILE]    the organisation as Graphviz DOT (:dot flow F: a flow)\n"
    "  :labels on|off               show entities' labels in answers\n"
    "  :time on|off                 show how long each answer took\n"
    "  :quit                        leave (so does Ctrl-D); Ctrl-C stops a long evaluation\n"
    "\n"
    "Examples (names from examples/syddanmark):\n"
    "  :why reports_to+(FKØ, SSU)\n"
    "  :whynot approves(SSS, revision_track3)\n"
    "  :why sponsor_sides(Spor3Arbejdsgruppe)     a check's name is a relation of the\n"
    "                                             subjects of its violations\n"
    "  :assume remove reports_to(FKØ, SDK.formandskab)\n"
    "  :assume add reports_to(FKØ, SSS)\n"
    "  :diff\n"
    "  :diff proposals/fkoe_under_sss.charter     what a proposal file changes\n"
    "Tab completes commands and the model's names; Up and Down recall earlier input.\n";

const std::map<std::string, std::string_view, std::less<>> command_help = {
    {"help", ":help [COMMAND]\n  Lists the questions, statements and commands, with examples; with "
             "a command\n"
             "  (`:help why`), tells more about it.\n"},
    {"load", ":load FILE…\n  Adds the files (and what they import) to the model, as if named on "
             "the command\n"
             "  line. If one has an error, none is added and the model stays as it was.\n"
             "  Example: :load proposals/extra_members.charter\n"},
    {"reload",
     ":reload\n  Reads the files again from disk, then adds again what was typed at the prompt\n"
     "  and the assumptions. If a file now has an error, the session keeps the model it had.\n"},
    {"check",
     ":check\n  Runs every check (the standard ones with `import std`, and the model's own) and\n"
     "  prints the violations, errors first, or `no violations`.\n"},
    {"why", ":why FACT\n  Prints how a fact follows: the rule that derives it and the facts it "
            "used, each\n"
            "  explained in turn, down to stated facts with their file:line. A closure (`r+`)\n"
            "  shows the chain of `r` facts. With a variable or `_`, the first fact that\n"
            "  matches is explained. A check's name is a relation of the subjects of its\n"
            "  violations, so `:why CHECK(SUBJECT)` explains a violation.\n"
            "  Examples: :why reports_to+(FKØ, SSU)\n"
            "            :why approves_or_decides(SSS.formandskab, revision_track3)\n"
            "            :why sponsor_sides(Spor3Arbejdsgruppe)\n"},
    {"whynot", ":whynot FACT\n  Explains a missing answer: for the stated facts and for each rule "
               "that could\n"
               "  derive the fact, the first literal that fails and the facts that come nearest.\n"
               "  Examples: :whynot approves(SSS, revision_track3)\n"
               "            :whynot reports_to+(FKØ, SSS)\n"},
    {"assume",
     ":assume add FACT\n:assume remove FACT\n:assume\n"
     "  Changes the model hypothetically: adds a fact, or removes a stated one. Questions,\n"
     "  :check and :why then see the changed model; :diff shows what changed, :reset\n"
     "  drops the assumptions. Without arguments, lists them.\n"
     "  Example: :assume remove reports_to(FKØ, SDK.formandskab)\n"},
    {"diff", ":diff\n:diff FILE\n  What the assumptions change against the loaded files, as "
             "`charter diff` shows\n"
             "  a proposal: violations added and removed, changed approvals and reporting\n"
             "  chains, and the tuples of every relation added and removed. With a FILE, what\n"
             "  that proposal (a file that starts `amends \"model.charter\"`) or model changes\n"
             "  against this session's model.\n"
             "  Example: :diff proposals/fkoe_under_sss.charter\n"},
    {"reset", ":reset\n  Drops every assumption; what was typed at the prompt stays.\n"},
    {"dot", ":dot [RELATION…] [> FILE]\n:dot flow FLOW [> FILE]\n"
            "  The organisation as a Graphviz DOT graph (entities as nodes, one edge style per\n"
            "  relation; by default reports_to, supports, peer, secretariat and sponsor), or a\n"
            "  flow's steps and performers. With `> FILE`, written to FILE.\n"
            "  Example: :dot reports_to > organisation.dot\n"},
    {"labels",
     ":labels on|off\n  Shows entities in answers with their labels, `FKØ (Fælleskommunal …)`, or\n"
     "  identifiers only. On by default on a terminal.\n"},
    {"time", ":time on|off\n  After each question, statement or command, prints how long it took\n"
             "  (`time: 0.412 ms`).\n"},
    {"quit", ":quit\n  Leaves the shell, as Ctrl-D or the end of input do.\n"},
};

std::vector<std::string> words(std::string_view text) {
    std::vector<std::string> out;
    for (auto [word, rest] = split_word(text); !word.empty();
         std::tie(word, rest) = split_word(rest))
        out.emplace_back(word);
    return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] =
                std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

// Locations as the user sees them: relative to the working directory.
void relativize_tree(Derivation& d) {
    relativize(d.location);
    for (auto& p : d.premises)
        relativize_tree(p);
}

// A proposal starts with `amends "model.charter"` (comments and blank lines may come first).
bool is_proposal(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string line;
    while (std::getline(in, line)) {
        const std::string_view text = trim(line);
        if (text.empty() || text.starts_with('#'))
            continue;
        return text.starts_with("amends") && text.size() > 6 &&
               (text[6] == ' ' || text[6] == '\t' || text[6] == '"');
    }
    return false;
}

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
    return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

} // namespace

bool Shell::command(std::string_view input) {
    const auto [name, rest] = split_word(input);
    auto no_arguments = [&] {
        if (rest.empty())
            return true;
        err_ << "error: " << name << " takes no arguments\n";
        return false;
    };
    if (name == ":quit" || name == ":q" || name == ":exit")
        return false;
    if (name == ":help" || name == ":h" || name == ":?") {
        help(rest);
    } else if (name == ":load") {
        load(words(rest));
    } else if (name == ":reload") {
        if (no_arguments())
            reload();
    } else if (name == ":check") {
        if (no_arguments())
            check();
    } else if (name == ":why") {
        why(rest);
    } else if (name == ":whynot") {
        why_not(rest);
    } else if (name == ":assume") {
        assume(rest);
    } else if (name == ":diff") {
        diff(rest);
    } else if (name == ":reset") {
        if (no_arguments())
            reset();
    } else if (name == ":dot") {
        dot(rest);
    } else if (name == ":labels") {
        labels(rest);
    } else if (name == ":time") {
        timing(rest);
    } else {
        err_ << "error: unknown command `" << name << "` (:help lists the commands)\n";
        std::string closest;
        std::size_t best = 3;
        for (const auto& c : command_names())
            if (const auto d = edit_distance(name, c); d < best) {
                best = d;
                closest = c;
            }
        if (!closest.empty())
            err_ << "hint: did you mean `" << closest << "`?\n";
    }
    out_.flush();
    err_.flush();
    return true;
}

void Shell::help(std::string_view topic) {
    if (topic.empty()) {
        out_ << help_text;
        return;
    }
    if (topic.starts_with(':'))
        topic.remove_prefix(1);
    if (auto it = command_help.find(topic); it != command_help.end()) {
        out_ << it->second;
        return;
    }
    err_ << "error: no command `:" << topic << "` (:help lists the commands)\n";
}

void Shell::load(const std::vector<std::string>& files) {
    if (files.empty()) {
        err_ << "error: :load needs a file name\n";
        return;
    }
    Status status = session_.load_files({files.begin(), files.end()});
    report(status);
    if (!status.ok())
        return;
    for (const auto& f : files)
        if (std::find(files_.begin(), files_.end(), f) == files_.end())
            files_.push_back(f);
    model_changed();
    out_ << "loaded " << plural(files.size(), "file", "files") << "\n";
}

// Into a fresh session, so that a file with an error leaves the session as it was; then what
// was typed and assumed is added again.
void Shell::reload() {
    Session fresh(options_);
    if (settings_.interrupt_target)
        settings_.interrupt_target(&fresh);
    Status status = fresh.load_files({files_.begin(), files_.end()});
    report(status);
    if (!status.ok()) {
        if (settings_.interrupt_target)
            settings_.interrupt_target(&session_);
        err_ << "the session keeps the model it had\n";
        return;
    }
    std::vector<std::string> statements;
    for (const auto& s : statements_) {
        Status added = fresh.load_string(s, "<input>");
        report(added);
        if (added.ok())
            statements.push_back(s);
        else
            err_ << "dropped what was typed: " << trim(s) << "\n";
    }
    std::vector<std::string> assumptions;
    for (const auto& a : assumptions_) {
        Status assumed = fresh.assume(a);
        report(assumed);
        if (assumed.ok())
            assumptions.push_back(a);
        else
            err_ << "dropped the assumption: " << a << "\n";
    }
    session_ = std::move(fresh);
    if (settings_.interrupt_target)
        settings_.interrupt_target(&session_);
    statements_ = std::move(statements);
    assumptions_ = std::move(assumptions);
    model_changed();
    out_ << "reloaded " << plural(files_.size(), "file", "files");
    if (!statements_.empty())
        out_ << ", " << plural(statements_.size(), "typed statement", "typed statements");
    if (!assumptions_.empty())
        out_ << ", " << plural(assumptions_.size(), "assumption", "assumptions");
    out_ << "\n";
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

void Shell::why(std::string_view fact) {
    const std::size_t relations_before = session_.relations().size();
    auto result = session_.why(fact);
    report(result);
    if (!result.ok())
        repair_after_failure(relations_before);
    if (result.value.fact.empty())
        return;
    relativize_tree(result.value);
    out_ << format_derivation(result.value, settings_.stdout_colour);
}

void Shell::why_not(std::string_view fact) {
    const std::size_t relations_before = session_.relations().size();
    auto result = session_.why_not(fact);
    report(result);
    if (!result.ok())
        repair_after_failure(relations_before);
    if (!result.ok())
        return;
    for (auto& b : result.value)
        relativize(b.location);
    out_ << format_blockers(std::string(trim(fact)), result.value, settings_.stdout_colour);
}

void Shell::assume(std::string_view change) {
    if (change.empty()) {
        if (assumptions_.empty())
            out_ << "no assumptions (:assume add|remove FACT makes one)\n";
        for (const auto& a : assumptions_)
            out_ << a << "\n";
        return;
    }
    Status status = session_.assume(change);
    report(status);
    if (!status.ok()) {
        // An evaluation stopped half-way (Ctrl-C, a limit) may leave the change in the session
        // and its model incomplete: evaluate the assumptions the shell knows of again.
        const bool stopped =
            std::any_of(status.diagnostics.begin(), status.diagnostics.end(),
                        [](const Diagnostic& d) { return d.message.starts_with("evaluation "); });
        if (stopped) {
            session_.reset();
            for (const auto& a : assumptions_)
                report(session_.assume(a));
            model_changed();
        }
        return;
    }
    assumptions_.emplace_back(change);
    model_changed();
    out_ << "assumed: " << change << " ("
         << plural(assumptions_.size(), "assumption", "assumptions")
         << "; :diff shows what changes, :reset drops them)\n";
}

// Without a file: what the assumptions change. With one: what a proposal (`amends "…"`, §9) or
// another model changes against the session's model, as `charter diff` shows it.
void Shell::diff(std::string_view file) {
    Result<ModelDiff> result;
    std::string after_name;
    if (file.empty()) {
        if (assumptions_.empty()) {
            out_ << "no assumptions, so no difference (:assume add|remove FACT makes one, "
                    ":diff FILE compares a proposal)\n";
            return;
        }
        result = session_.diff_assumptions();
    } else {
        Session after(options_);
        if (settings_.interrupt_target)
            settings_.interrupt_target(&after);
        const std::string path(file);
        Status loaded = is_proposal(path) ? after.load_proposal(path) : after.load_files({path});
        if (settings_.interrupt_target)
            settings_.interrupt_target(&session_);
        report(loaded);
        if (!loaded.ok())
            return;
        result = Session::diff(session_, after);
        after_name = display_path(path);
    }
    report(result);
    if (!result.ok())
        return;
    for (auto* list : {&result.value.violations_added, &result.value.violations_removed})
        for (auto& v : *list)
            relativize(v.location);
    out_ << format_diff(result.value, after_name.empty() ? "" : "this session", after_name,
                        settings_.stdout_colour);
}

void Shell::reset() {
    const std::size_t n = assumptions_.size();
    session_.reset();
    assumptions_.clear();
    model_changed();
    out_ << (n == 0 ? std::string("no assumptions to drop")
                    : "dropped " + plural(n, "assumption", "assumptions"))
         << "\n";
}

namespace {
/// Writes `content` to `file` the way Charter writes every file: never over a model or data file
/// (nothing a user wrote is overwritten, §9), and atomically (a temporary beside it, flushed to
/// disk, then renamed over it), so a reader never sees half a file. "" or what went wrong.
std::string write_output(const std::string& file, const std::string& content,
                         const std::vector<std::filesystem::path>& loaded) {
    namespace fs = std::filesystem;
    const fs::path target(file);
    const std::string extension = target.extension().string();
    if (extension == ".charter" || extension == ".tsv" || extension == ".csv")
        return "Charter does not write " + extension + " files: they hold models and data";
    std::error_code ec;
    for (const auto& path : loaded)
        if (fs::equivalent(target, path, ec))
            return "it is a loaded model file";
    if (fs::exists(target, ec) && !fs::is_regular_file(target, ec)) {
        // A device or a pipe (`> /dev/stdout`): written to, never replaced.
        std::ofstream stream(file, std::ios::binary);
        if (stream)
            stream << content;
        return stream && stream.flush() ? std::string() : std::string(std::strerror(errno));
    }
    const std::string temporary = file + ".tmp" + std::to_string(::getpid());
    {
        std::ofstream stream(temporary, std::ios::binary | std::ios::trunc);
        if (stream)
            stream << content;
        if (!stream || !stream.flush()) {
            std::string problem = std::strerror(errno);
            ::unlink(temporary.c_str());
            return problem;
        }
    }
    if (const int fd = ::open(temporary.c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
    if (::rename(temporary.c_str(), file.c_str()) != 0) {
        std::string problem = std::strerror(errno);
        ::unlink(temporary.c_str());
        return problem;
    }
    return {};
}
} // namespace

void Shell::dot(std::string_view arguments) {
    std::string file;
    if (const auto arrow = arguments.find('>'); arrow != std::string_view::npos) {
        file = std::string(trim(arguments.substr(arrow + 1)));
        arguments = trim(arguments.substr(0, arrow));
        if (file.empty()) {
            err_ << "error: :dot … > needs a file name\n";
            return;
        }
    }
    std::vector<std::string> relations;
    for (auto& w : words(arguments)) {
        // `:dot reports_to,supports` as the command line writes it, or with spaces.
        std::size_t start = 0;
        for (std::size_t comma = w.find(',');; comma = w.find(',', start)) {
            if (comma != start)
                relations.push_back(
                    w.substr(start, comma == std::string::npos ? comma : comma - start));
            if (comma == std::string::npos)
                break;
            start = comma + 1;
        }
    }
    std::string flow;
    if (!relations.empty() && relations.front() == "flow") {
        if (relations.size() != 2) {
            err_ << "error: :dot flow takes one flow: `:dot flow revision_track3`\n";
            return;
        }
        flow = relations[1];
        relations.clear();
    }
    auto result = session_.dot(relations, flow);
    report(result);
    if (!result.ok())
        return;
    if (file.empty()) {
        out_ << result.value;
        return;
    }
    if (auto problem = write_output(file, result.value, session_.loaded_files()); !problem.empty()) {
        err_ << "error: cannot write " << file << ": " << problem << "\n";
        return;
    }
    out_ << "wrote " << file << "\n";
}

void Shell::timing(std::string_view setting) {
    if (setting == "on" || setting == "off") {
        settings_.timing = setting == "on";
        return;
    }
    err_ << "error: :time takes `on` or `off`\n";
}

void Shell::labels(std::string_view setting) {
    if (setting == "on" || setting == "off") {
        settings_.labels = setting == "on";
        return;
    }
    err_ << "error: :labels takes `on` or `off`\n";
}

} // namespace charter::repl
