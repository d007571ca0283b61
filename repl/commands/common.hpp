// What the subcommands share: colour decisions, session set-up, loading the files named on the
// command line, and printing diagnostics to stderr.
#pragma once

#include "repl/commands/commands.hpp"

#include <charter/charter.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace charter::repl {

/// Colour is used on a stream only when it is a terminal, NO_COLOR is unset (or empty) and
/// --no-color was not given.
struct Terminal {
    bool stdout_colour = false;
    bool stderr_colour = false;
};
Terminal detect_terminal(const CommonOptions& common);
bool stdin_is_terminal();

Options session_options(const CommonOptions& common, const Terminal& terminal);

/// A path as the user should see it: an absolute path under the working directory becomes
/// relative to it, so output does not depend on where the tree lies.
std::string display_path(std::string_view file);
void relativize(Location& location);
void relativize(Diagnostic& diagnostic);

/// Every diagnostic, formatted by charter::format, to stderr.
void print_diagnostics(const std::vector<Diagnostic>& diagnostics, bool colour);

/// Loads the files in order, printing each one's diagnostics (warnings too), until one has an
/// error; tells whether all loaded without one.
bool load_files(Session& session, const std::vector<std::string>& files, bool colour);

/// Writes text to stdout as is (no newline added) and flushes.
void print(std::string_view text);

} // namespace charter::repl
