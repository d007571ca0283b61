// Session set-up and diagnostics for the subcommands.
#include "repl/commands/common.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <set>
#include <system_error>
#include <tuple>

#include <unistd.h>

namespace charter::repl {

Terminal detect_terminal(const CommonOptions& common) {
    const char* no_color = std::getenv("NO_COLOR"); // https://no-color.org: set and non-empty
    const bool allowed = !common.no_colour && (no_color == nullptr || *no_color == '\0');
    return {.stdout_colour = allowed && isatty(STDOUT_FILENO) == 1,
            .stderr_colour = allowed && isatty(STDERR_FILENO) == 1};
}

bool stdin_is_terminal() { return isatty(STDIN_FILENO) == 1; }

Options session_options(const CommonOptions& common, const Terminal& terminal) {
    Options options;
    options.max_tuples = common.max_tuples;
    options.timeout = std::chrono::milliseconds(common.timeout_ms);
    options.max_memory_mb = common.max_memory_mb;
    options.allowed_paths = common.allowed_paths;
    options.colour = terminal.stderr_colour; // formatted messages go to stderr
    return options;
}

std::string display_path(std::string_view file) {
    namespace fs = std::filesystem;
    const fs::path path(file);
    if (!path.is_absolute())
        return std::string(file);
    std::error_code error;
    const fs::path cwd = fs::current_path(error);
    if (error)
        return std::string(file);
    const fs::path relative = path.lexically_relative(cwd);
    if (relative.empty() || *relative.begin() == "..")
        return std::string(file);
    return relative.string();
}

void relativize(Location& location) { location.file = display_path(location.file); }

void relativize(Diagnostic& diagnostic) {
    diagnostic.file = display_path(diagnostic.file);
    for (auto& note : diagnostic.notes)
        relativize(note);
}

void print_diagnostics(const std::vector<Diagnostic>& diagnostics, bool colour) {
    std::cout.flush(); // what was printed before the problem comes first on a shared terminal
    std::set<std::tuple<std::string, std::uint32_t, std::uint32_t, std::string>> seen;
    for (auto d : diagnostics) {
        relativize(d);
        if (!seen.emplace(d.file, d.line, d.column, d.message).second)
            continue;
        std::string text = format(d, colour);
        if (text.empty() || text.back() != '\n')
            text += '\n';
        std::cerr << text;
    }
    std::cerr.flush();
}

// The files are one model: they load together, so one may name what another declares.
bool load_files(Session& session, const std::vector<std::string>& files, bool colour) {
    Status status = session.load_files({files.begin(), files.end()});
    print_diagnostics(status.diagnostics, colour);
    return status.ok();
}

void print(std::string_view text) {
    std::cout << text;
    std::cout.flush();
}

} // namespace charter::repl
