// The interactive shell behind `charter repl` (§9): it reads lines, gathers multi-line input,
// answers questions, adds statements to the session and runs `:` commands. Where lines come
// from is a seam (LineReader): a plain stream when scripted, libedit on a terminal
// (line_editor.cpp). shell.cpp holds the loop and answers; shell_commands.cpp the commands.
#pragma once

#include "repl/completion.hpp"

#include <charter/charter.hpp>

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace charter::repl {

/// A source of input lines.
class LineReader {
  public:
    virtual ~LineReader() = default;
    /// The next line without its newline, or nullopt at the end of input. The prompt is shown
    /// only when input is interactive.
    virtual std::optional<std::string> read(std::string_view prompt) = 0;
    /// True once after Ctrl-C interrupted the last read: its line (if any) is to be dropped.
    virtual bool take_interrupt() { return false; }
    /// A complete input, for the history (one line: see history_entry in input.hpp).
    virtual void remember(std::string_view /*entry*/) {}
};

/// Lines from a stream; prompts go to `prompts` when interactive.
class StreamReader : public LineReader {
  public:
    StreamReader(std::istream& in, std::ostream& prompts, bool interactive);
    std::optional<std::string> read(std::string_view prompt) override;

  private:
    std::istream& in_;
    std::ostream& prompts_;
    bool interactive_;
};

struct ShellSettings {
    bool stdout_colour = false;
    bool stderr_colour = false;
    /// Entities in answers are followed by their labels (on a terminal, by default).
    bool labels = false;
    /// Most rows of an answer shown (0: all); on a terminal a huge answer is cut.
    std::size_t max_rows = 0;
    /// After each input, how long it took (`:time on`).
    bool timing = false;
    /// Told which session Ctrl-C should cancel (the shell's own, or a fresh one being loaded by
    /// :reload).
    std::function<void(Session*)> interrupt_target;
};

class Shell {
  public:
    /// `options` make the fresh session :reload loads into; `files` are the files loaded (or
    /// tried) at the start, loaded again by :reload.
    Shell(Session& session, Options options, std::vector<std::string> files, std::ostream& out,
          std::ostream& err, ShellSettings settings = {});

    /// Reads until the end of input or `:quit`; §9: exits 0 either way, an error never ends it.
    int run(LineReader& reader);
    /// One complete input: a `:` command, a question, or statements. False after `:quit`.
    bool execute(std::string_view input);
    /// Whether `input` asks (`?`, `who approves`, `next`, `route`, `path`) rather than states.
    [[nodiscard]] bool is_question(std::string_view input) const;
    /// Tab completion (see completion.hpp) with the session's names.
    Completions complete(std::string_view before, std::string_view word);

  private:
    // shell.cpp
    void answer(std::string_view question);
    void state(std::string_view input);
    void report(const Status& status);
    void add_prefix_hint(Diagnostic& d);
    const CompletionNames& names();
    void model_changed();
    void repair_after_failure(std::size_t relations_before);
    std::string label(const std::string& entity);
    std::string table(const Table& table);

    // shell_commands.cpp
    bool command(std::string_view input);
    void help(std::string_view topic);
    void load(const std::vector<std::string>& files);
    void reload();
    void check();
    void why(std::string_view fact);
    void why_not(std::string_view fact);
    void assume(std::string_view change);
    void diff(std::string_view file);
    void reset();
    void dot(std::string_view arguments);
    void labels(std::string_view setting);
    void timing(std::string_view setting);

    Session& session_;
    Options options_;
    std::vector<std::string> files_;       // files loaded at the start or by :load
    std::vector<std::string> statements_;  // statements typed at the prompt that were added
    std::vector<std::string> assumptions_; // `add …` / `remove …`, as typed
    std::ostream& out_;
    std::ostream& err_;
    ShellSettings settings_;

    std::uint64_t generation_ = 0; // counts model changes, for the caches below
    std::uint64_t labels_generation_ = 0;
    std::map<std::string, std::string> labels_;
    std::uint64_t names_generation_ = UINT64_MAX;
    CompletionNames names_;
};

} // namespace charter::repl
