// `charter test FILES… [--format text|json]` (§9): runs every `expect`; exit 1 on a failure.
#include "repl/commands/commands.hpp"
#include "repl/commands/common.hpp"
#include "repl/output/json.hpp"
#include "repl/output/report.hpp"

#include <algorithm>

namespace charter::repl {

int run_test(const TestCommand& command) {
    const Terminal terminal = detect_terminal(command.common);
    Session session(session_options(command.common, terminal));
    if (!load_files(session, command.files, terminal.stderr_colour))
        return exit_bad_input;

    auto result = session.test();
    print_diagnostics(result.diagnostics, terminal.stderr_colour);
    if (!result.ok())
        return exit_bad_input;
    auto& expectations = result.value;
    for (auto& e : expectations)
        relativize(e.location);

    if (command.format == "json")
        print(json_line(expectations_json(expectations)) + "\n");
    else
        print(format_expectations(expectations, terminal.stdout_colour));

    const bool failed = std::any_of(expectations.begin(), expectations.end(),
                                    [](const Expectation& e) { return !e.passed; });
    return failed ? exit_failed : exit_ok;
}

} // namespace charter::repl
