// The subcommands of `charter` (§9). main.cpp parses the command line into these structs;
// each run_* loads the files into one Session, prints, and returns the exit code.
#pragma once

#include <charter/charter.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace charter::repl {

/// §9 exit codes.
inline constexpr int exit_ok = 0;
inline constexpr int exit_failed = 1;    // an error-level violation, a failed expectation
inline constexpr int exit_bad_input = 2; // syntax, names, types, missing file, a limit hit

/// Options every subcommand takes.
struct CommonOptions {
    std::uint64_t max_tuples = Options{}.max_tuples;
    std::int64_t timeout_ms = Options{}.timeout.count();
    std::uint64_t max_memory_mb = Options{}.max_memory_mb;  // 0: three quarters of the machine's
    std::vector<std::filesystem::path> allowed_paths;
    bool no_colour = false;
};

struct QueryCommand {
    CommonOptions common;
    std::vector<std::string> files;
    std::vector<std::string> questions; // -e, in order
    std::string format = "text";        // text | json | csv
};

struct CheckCommand {
    CommonOptions common;
    std::vector<std::string> files;
    std::string format = "text"; // text | json | sarif
};

struct TestCommand {
    CommonOptions common;
    std::vector<std::string> files;
    std::string format = "text"; // text | json
};

struct ReplCommand {
    CommonOptions common;
    std::vector<std::string> files;
};

struct DiffCommand {
    CommonOptions common;
    std::string before;          // a model or a proposal
    std::string after;           // a model or a proposal (`amends "…"` first)
    std::string format = "text"; // text | json
};

struct DotCommand {
    CommonOptions common;
    std::vector<std::string> files;
    std::vector<std::string> relations; // --relations r,…; empty: the standard ones
    std::string flow;                   // --flow F: the flow's steps instead
};

int run_query(const QueryCommand& command);
int run_check(const CheckCommand& command);
int run_test(const TestCommand& command);
int run_repl(const ReplCommand& command);
int run_diff(const DiffCommand& command);
int run_dot(const DotCommand& command);

} // namespace charter::repl
