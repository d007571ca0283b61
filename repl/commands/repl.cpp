// `charter repl [FILES…]` and `charter FILES…` (§9): load the files, then run the shell: on a
// terminal with libedit (prompts, history, completion, Ctrl-C), else line by line from standard
// input without prompts, so that it can be scripted.
#include "repl/commands/commands.hpp"
#include "repl/commands/common.hpp"
#include "repl/line_editor.hpp"
#include "repl/shell.hpp"
#include "repl/version.hpp"

#include <iostream>

#include <unistd.h>

namespace charter::repl {
namespace {
// An answer longer than this is cut on a terminal (all of it goes to a pipe).
constexpr std::size_t terminal_rows = 1000;
} // namespace

int run_repl(const ReplCommand& command) {
    const Terminal terminal = detect_terminal(command.common);
    const bool interactive = stdin_is_terminal();
    const Options options = session_options(command.common, terminal);
    Session session(options);
    if (interactive) {
        use_utf8_locale();
        install_interrupt_handler(); // Ctrl-C cancels loading the files too
        set_interrupt_target(&session);
    }
    load_files(session, command.files, terminal.stderr_colour); // §9: an error never ends it

    ShellSettings settings{.stdout_colour = terminal.stdout_colour,
                           .stderr_colour = terminal.stderr_colour,
                           .labels = isatty(STDOUT_FILENO) == 1,
                           .max_rows = isatty(STDOUT_FILENO) == 1 ? terminal_rows : 0,
                           .interrupt_target = {}};
    if (interactive)
        settings.interrupt_target = set_interrupt_target;
    Shell shell(session, options, command.files, std::cout, std::cerr, std::move(settings));
    if (!interactive) {
        StreamReader reader(std::cin, std::cout, false);
        return shell.run(reader);
    }
    // A first-time user learns here where help is.
    const std::size_t loaded = session.loaded_files().size();
    std::cout << "Charter " << version << ": ";
    if (command.files.empty())
        std::cout << "no model loaded yet (:load FILE loads one)";
    else if (loaded == 1 && command.files.size() == 1)
        std::cout << "loaded " << command.files.front();
    else
        std::cout << "loaded " << loaded << " of " << command.files.size() << " files";
    if (loaded > 0)
        std::cout << " (" << session.entities().size() << " entities)";
    std::cout << ".\nType :help for questions and commands; Tab completes names; Ctrl-D leaves.\n";
    LineEditor editor([&shell](std::string_view before,
                               std::string_view word) { return shell.complete(before, word); },
                      history_path(), terminal.stdout_colour, std::cerr);
    const int code = shell.run(editor);
    set_interrupt_target(nullptr);
    return code;
}

} // namespace charter::repl
