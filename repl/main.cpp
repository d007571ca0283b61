// `charter`: the command line (§9). Parses arguments with CLI11 and hands each subcommand to
// repl/commands/; `charter FILES…` (and a bare `charter`) is `charter repl FILES…`.
#include "repl/commands/commands.hpp"
#include "repl/version.hpp"

#include <CLI/CLI.hpp>

#include <array>
#include <exception>
#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace charter::repl;

constexpr std::array<std::string_view, 6> commands = {"query", "check", "test", "repl", "diff", "dot"};
// Options whose value is the next argument (when not written --name=value).
constexpr std::array<std::string_view, 9> options_with_value = {
    "--max-tuples", "--timeout", "--max-memory", "--allow-path", "--format", "-e", "--expr", "--relations", "--flow"};

// CLI11's own range checks print the double range (up to 1.8e308) in full.
const CLI::Validator whole_number(
    [](std::string& text) {
        const bool digits = !text.empty() && text.size() <= 18 &&
                            text.find_first_not_of("0123456789") == std::string::npos;
        return digits ? std::string() : "'" + text + "' is not a whole number";
    },
    "");

void add_common(CLI::App& command, CommonOptions& common) {
    command.add_option("--max-tuples", common.max_tuples, "Most tuples one evaluation may derive")
        ->type_name("N")
        ->check(whole_number)
        ->default_val(common.max_tuples)
        ->group("Limits and paths");
    command.add_option("--timeout", common.timeout_ms, "Most milliseconds one evaluation may take")
        ->type_name("MS")
        ->check(whole_number)
        ->default_val(common.timeout_ms)
        ->group("Limits and paths");
    command.add_option("--max-memory", common.max_memory_mb,
                       "Most MiB of memory an evaluation may use (default 0: 3/4 of the machine's)")
        ->type_name("MB")
        ->check(whole_number)
        ->default_val(common.max_memory_mb)
        ->group("Limits and paths");
    command
        .add_option("--allow-path", common.allowed_paths,
                    "Also allow imports and data files under DIR (repeatable)")
        ->type_name("DIR")
        ->allow_extra_args(false)
        ->check(CLI::Validator(CLI::ExistingDirectory).description(""))
        ->group("Limits and paths");
    command.add_flag("--no-color,--no-colour", common.no_colour, "Never colour the output");
}

void add_files(CLI::App& command, std::vector<std::string>& files) {
    command.add_option("FILES", files, "Charter files to load")->type_name("FILE");
}

// A subcommand that needs files says so itself: CLI11 would say "FILES is required".
bool have_files(std::string_view command, const std::vector<std::string>& files) {
    if (!files.empty())
        return true;
    std::cerr << "charter " << command << ": no files given\nRun 'charter " << command
              << " --help' for usage.\n";
    return false;
}

// The argument the command line would take as the subcommand: the first that is not an option
// or an option's value. -1 when there is none.
int first_positional(const std::vector<std::string>& args) {
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--")
            return i + 1 < args.size() ? static_cast<int>(i + 1) : -1;
        if (arg.size() > 1 && arg[0] == '-') {
            for (auto name : options_with_value)
                if (arg == name)
                    ++i;
            continue;
        }
        return static_cast<int>(i);
    }
    return -1;
}

bool is_command(std::string_view word) {
    for (auto name : commands)
        if (word == name)
            return true;
    return false;
}

bool looks_like_file(const std::string& word) {
    std::error_code error;
    return word.ends_with(".charter") || word.find('/') != std::string::npos ||
           std::filesystem::exists(word, error);
}

bool asks_for_help_or_version(const std::vector<std::string>& args) {
    for (std::size_t i = 1; i < args.size(); ++i)
        if (args[i] == "--help" || args[i] == "-h" || args[i] == "--version")
            return true;
    return false;
}

std::string failure_message(const CLI::App* app, const CLI::Error& error) {
    std::string usage = "charter";
    for (const CLI::App* command : app->get_subcommands())
        usage += " " + command->get_name();
    return usage + ": " + error.what() + "\nRun '" + usage + " --help' for usage.\n";
}

} // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv, argv + argc);
    if (args.empty())
        args.emplace_back("charter");

    // `charter FILES…` and a bare `charter` mean `charter repl …`; any other first word that is
    // not a subcommand is a mistake worth naming plainly (CLI11 would only say "not expected").
    if (const int at = first_positional(args); at < 0) {
        if (!asks_for_help_or_version(args))
            args.insert(args.begin() + 1, "repl");
    } else if (!is_command(args[static_cast<std::size_t>(at)])) {
        const std::string& word = args[static_cast<std::size_t>(at)];
        if (!looks_like_file(word)) {
            std::cerr << "charter: unknown command '" << word
                      << "' (commands: query, check, test, diff, dot, repl)\n"
                         "Run 'charter --help' for usage.\n";
            return exit_bad_input;
        }
        args.insert(args.begin() + 1, "repl");
    }

    CLI::App app{"Charter: describe a governance organisation, ask it questions, check it.",
                 "charter"};
    app.set_version_flag("--version", "charter " + std::string(version));
    app.require_subcommand(1);
    app.failure_message(failure_message);

    QueryCommand query;
    auto* query_app = app.add_subcommand(
        "query", "Answer the ? questions in FILES, then each -e QUESTION (?, who approves, "
                 "next, route, path)");
    add_files(*query_app, query.files);
    query_app->add_option("-e,--expr", query.questions, "A question to answer (repeatable)")
        ->type_name("QUESTION")
        ->allow_extra_args(false);
    query_app->add_option("--format", query.format, "Output format")
        ->check(CLI::IsMember({"text", "json", "csv"}))
        ->default_val("text");
    add_common(*query_app, query.common);

    CheckCommand check;
    auto* check_app = app.add_subcommand(
        "check", "Print the violations of every check; exit 1 if one is an error");
    add_files(*check_app, check.files);
    check_app->add_option("--format", check.format, "Output format")
        ->check(CLI::IsMember({"text", "json", "sarif"}))
        ->default_val("text");
    add_common(*check_app, check.common);

    TestCommand test;
    auto* test_app = app.add_subcommand("test", "Run every expect in FILES; exit 1 if one fails");
    add_files(*test_app, test.files);
    test_app->add_option("--format", test.format, "Output format")
        ->check(CLI::IsMember({"text", "json"}))
        ->default_val("text");
    add_common(*test_app, test.common);

    DiffCommand diff;
    auto* diff_app = app.add_subcommand(
        "diff", "What AFTER (a model, or a proposal that amends one) changes against BEFORE; "
                "exit 1 if it adds an error");
    diff_app->add_option("BEFORE", diff.before, "The current model (or a proposal)")->type_name("FILE");
    diff_app->add_option("AFTER", diff.after, "The proposed model, or a proposal")->type_name("FILE");
    diff_app->add_option("--format", diff.format, "Output format")
        ->check(CLI::IsMember({"text", "json"}))
        ->default_val("text");
    add_common(*diff_app, diff.common);

    DotCommand dot;
    auto* dot_app = app.add_subcommand("dot", "Graphviz DOT of the model in FILES (or of one flow)");
    add_files(*dot_app, dot.files);
    auto* dot_relations =
        dot_app->add_option("--relations", dot.relations, "Relations to draw as edges (default: "
                                                          "reports_to,supports,peer,secretariat,sponsor)")
            ->type_name("R,…")
            ->delimiter(',')
            ->allow_extra_args(false);
    dot_app->add_option("--flow", dot.flow, "Draw this flow's (or case's) steps and performers")
        ->type_name("F")
        ->excludes(dot_relations);
    add_common(*dot_app, dot.common);

    ReplCommand repl;
    auto* repl_app =
        app.add_subcommand("repl", "An interactive shell over FILES (also: charter FILES…)");
    add_files(*repl_app, repl.files);
    add_common(*repl_app, repl.common);

    std::vector<char*> pointers;
    for (auto& arg : args)
        pointers.push_back(arg.data());
    try {
        app.parse(static_cast<int>(pointers.size()), pointers.data());
    } catch (const CLI::ParseError& error) {
        const int code = app.exit(error); // help and version print to stdout and give 0
        return code == 0 ? exit_ok : exit_bad_input;
    }

    try {
        if (query_app->parsed())
            return have_files("query", query.files) ? run_query(query) : exit_bad_input;
        if (check_app->parsed())
            return have_files("check", check.files) ? run_check(check) : exit_bad_input;
        if (test_app->parsed())
            return have_files("test", test.files) ? run_test(test) : exit_bad_input;
        if (diff_app->parsed())
            return run_diff(diff);
        if (dot_app->parsed())
            return have_files("dot", dot.files) ? run_dot(dot) : exit_bad_input;
        if (repl_app->parsed())
            return run_repl(repl);
    } catch (const std::exception& error) {
        // The library never throws on bad input (§10); this is a bug, but still not a crash.
        std::cerr << "charter: internal error: " << error.what() << "\n";
        return exit_bad_input;
    }
    return exit_bad_input;
}
