// `charter diff BEFORE AFTER [--format text|json]` (§9): what a reorganisation changes. AFTER
// (or BEFORE) is a whole model or a proposal (`amends "model.charter"` first); exit 1 when
// AFTER has an error-level violation that BEFORE lacks, 2 on bad input.
#include "repl/commands/commands.hpp"
#include "repl/commands/common.hpp"
#include "repl/output/diff.hpp"
#include "repl/output/json.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

namespace charter::repl {
namespace {

namespace fs = std::filesystem;

// A proposal is a file with an `amends` statement: one that starts a line. (It must be the first
// statement; the loader says so when it is not, which beats reading the file as a model and
// rejecting `amends` there.)
bool is_proposal(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return false; // the loader names the problem
    constexpr std::string_view keyword = "amends";
    std::string line;
    while (std::getline(in, line)) {
        std::size_t i = line.starts_with("\xEF\xBB\xBF") ? 3 : 0;
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == ';'))
            ++i;
        if (line.compare(i, keyword.size(), keyword) != 0)
            continue;
        const std::size_t after = i + keyword.size();
        if (after < line.size() && (line[after] == ' ' || line[after] == '\t' || line[after] == '"'))
            return true;
    }
    return false;
}

Status load_side(Session& session, const std::string& path) {
    if (is_proposal(path))
        return session.load_proposal(path);
    return session.load_files({path});
}

// §2: files named on the command line open their directories; each side may read the other's.
Options side_options(const DiffCommand& command, const Terminal& terminal, const std::string& other) {
    Options options = session_options(command.common, terminal);
    std::error_code error;
    fs::path directory = fs::absolute(fs::path(other), error).parent_path();
    if (!error && fs::is_directory(directory, error))
        options.allowed_paths.push_back(directory);
    return options;
}

} // namespace

int run_diff(const DiffCommand& command) {
    if (command.before.empty() || command.after.empty()) {
        std::cerr << "charter diff: expected two files, BEFORE and AFTER\n"
                     "Run 'charter diff --help' for usage.\n";
        return exit_bad_input;
    }
    const Terminal terminal = detect_terminal(command.common);
    Session before(side_options(command, terminal, command.after));
    Session after(side_options(command, terminal, command.before));
    // The two sides are independent sessions (§10): AFTER loads on a second thread while BEFORE
    // loads here, so on two cores a diff takes about as long as one `charter check`.
    Status after_status;
    std::thread after_thread([&] { after_status = load_side(after, command.after); });
    Status before_status = load_side(before, command.before);
    after_thread.join();
    print_diagnostics(before_status.diagnostics, terminal.stderr_colour);
    if (!before_status.ok())
        return exit_bad_input;
    print_diagnostics(after_status.diagnostics, terminal.stderr_colour);
    if (!after_status.ok())
        return exit_bad_input;

    auto result = Session::diff(before, after);
    print_diagnostics(result.diagnostics, terminal.stderr_colour);
    if (!result.ok())
        return exit_bad_input;
    auto& diff = result.value;
    for (auto* list : {&diff.violations_added, &diff.violations_removed})
        for (auto& v : *list)
            relativize(v.location);

    const std::string before_name = display_path(command.before);
    const std::string after_name = display_path(command.after);
    if (command.format == "json")
        print(json_line(diff_json(diff, before_name, after_name)) + "\n");
    else
        print(format_diff(diff, before_name, after_name, terminal.stdout_colour));
    return adds_error(diff) ? exit_failed : exit_ok;
}

} // namespace charter::repl
