// The shell on a terminal (§9): libedit line editing, history kept across runs in the user's
// state directory, tab completion, and Ctrl-C (which drops the line being typed, or cancels the
// running evaluation). libedit's readline API keeps global state, so there is one LineEditor.
#pragma once

#include "repl/shell.hpp"

#include <filesystem>
#include <functional>
#include <string>

namespace charter::repl {

/// $XDG_STATE_HOME/charter/history, else ~/.local/state/charter/history (XDG base directories);
/// empty when neither variable is set.
std::filesystem::path history_path();

/// Ctrl-C from now on cancels the target session's evaluation and interrupts a read; the
/// target is changed with set_interrupt_target (nullptr: none).
void install_interrupt_handler();
void set_interrupt_target(Session* session);

/// Makes the C library (and libedit) read and show UTF-8: the user's locale when it is UTF-8,
/// else C.UTF-8 (§1: Charter text is UTF-8 whatever the locale says).
void use_utf8_locale();

class LineEditor : public LineReader {
  public:
    using Completer = std::function<Completions(std::string_view before, std::string_view word)>;

    LineEditor(Completer completer, std::filesystem::path history, bool colour_prompt,
               std::ostream& warnings);
    ~LineEditor() override;
    LineEditor(const LineEditor&) = delete;
    LineEditor& operator=(const LineEditor&) = delete;

    std::optional<std::string> read(std::string_view prompt) override;
    bool take_interrupt() override;
    void remember(std::string_view entry) override;

    /// Completions for the word under the cursor (libedit's callback lands here).
    Completions complete(std::string_view before, std::string_view word) const;

  private:
    void save_history();

    Completer completer_;
    std::filesystem::path history_;
    bool colour_prompt_;
    std::ostream& warnings_;
    bool interrupted_ = false;
    bool warned_ = false;
    std::string last_entry_;
};

} // namespace charter::repl
