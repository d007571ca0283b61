// `charter repl [FILES…]` and `charter FILES…` (§9): load the files, then run the shell on
// standard input (prompts only when it is a terminal).
#include "repl/commands/commands.hpp"
#include "repl/commands/common.hpp"
#include "repl/shell.hpp"

#include <iostream>

namespace charter::repl {

int run_repl(const ReplCommand& command) {
    const Terminal terminal = detect_terminal(command.common);
    Session session(session_options(command.common, terminal));
    load_files(session, command.files, terminal.stderr_colour); // §9: an error never ends it

    Shell shell(session, std::cout, std::cerr,
                {.stdout_colour = terminal.stdout_colour, .stderr_colour = terminal.stderr_colour});
    StreamReader reader(std::cin, std::cout, stdin_is_terminal());
    return shell.run(reader);
}

} // namespace charter::repl
