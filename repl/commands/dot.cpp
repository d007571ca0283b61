// `charter dot FILES… [--relations r,…] [--flow F]` (§9): the model as Graphviz DOT on standard
// output — the organisation (nested entities as clusters, one edge style per relation), or one
// flow's (or case's) steps and performers.
#include "repl/commands/commands.hpp"
#include "repl/commands/common.hpp"

namespace charter::repl {

int run_dot(const DotCommand& command) {
    const Terminal terminal = detect_terminal(command.common);
    Session session(session_options(command.common, terminal));
    if (!load_files(session, command.files, terminal.stderr_colour))
        return exit_bad_input;
    auto result = session.dot(command.relations, command.flow);
    print_diagnostics(result.diagnostics, terminal.stderr_colour);
    if (!result.ok())
        return exit_bad_input;
    print(result.value);
    return exit_ok;
}

} // namespace charter::repl
