// `charter check FILES… [--format text|json|sarif]` (§9): the violations of every check; exit 1
// when one is error-level.
#include "repl/commands/commands.hpp"
#include "repl/commands/common.hpp"
#include "repl/output/json.hpp"
#include "repl/output/report.hpp"
#include "repl/output/sarif.hpp"

#include <algorithm>

namespace charter::repl {

int run_check(const CheckCommand& command) {
    const Terminal terminal = detect_terminal(command.common);
    Session session(session_options(command.common, terminal));
    if (!load_files(session, command.files, terminal.stderr_colour))
        return exit_bad_input;

    auto result = session.check();
    print_diagnostics(result.diagnostics, terminal.stderr_colour);
    if (!result.ok())
        return exit_bad_input;
    auto& violations = result.value;
    for (auto& v : violations)
        relativize(v.location);

    if (command.format == "json")
        print(json_line(violations_json(violations)) + "\n");
    else if (command.format == "sarif")
        print(violations_sarif(violations));
    else
        print(format_violations(violations, terminal.stdout_colour));

    const bool failed = std::any_of(violations.begin(), violations.end(), [](const Violation& v) {
        return v.severity == Severity::error;
    });
    return failed ? exit_failed : exit_ok;
}

} // namespace charter::repl
