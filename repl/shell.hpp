// The interactive shell behind `charter repl` (§9), minimal for now: it reads lines, gathers
// multi-line statements, answers questions, adds statements to the session and runs `:`
// commands. Where lines come from is a seam (LineReader) for the libedit line editor.
#pragma once

#include <charter/charter.hpp>

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

namespace charter::repl {

/// A source of input lines.
class LineReader {
  public:
    virtual ~LineReader() = default;
    /// The next line without its newline, or nullopt at the end of input. The prompt is shown
    /// only when input is interactive.
    virtual std::optional<std::string> read(std::string_view prompt) = 0;
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
};

class Shell {
  public:
    Shell(Session& session, std::ostream& out, std::ostream& err, ShellSettings settings = {});

    /// Reads until the end of input or `:quit`; §9: exits 0 either way, an error never ends it.
    int run(LineReader& reader);
    /// One complete input: a `:` command, a question, or statements. False after `:quit`.
    bool execute(std::string_view input);
    /// Whether `buffer` needs another line: an open ( [ { or string, or a last line ending in
    /// `,` or `:-` (§1).
    static bool needs_more(std::string_view buffer);
    /// Whether `input` asks (`?`, `who approves`, `next`, `route`, `path`) rather than states.
    [[nodiscard]] bool is_question(std::string_view input) const;

  private:
    bool command(std::string_view input);
    void check();
    void report(const Status& status);

    Session& session_;
    std::ostream& out_;
    std::ostream& err_;
    ShellSettings settings_;
};

} // namespace charter::repl
