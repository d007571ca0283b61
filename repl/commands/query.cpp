// `charter query FILES… [-e QUESTION]… [--format text|json|csv]` (§9): the answers to the `?`
// and question statements of the files, then to each -e question.
#include "repl/commands/commands.hpp"
#include "repl/commands/common.hpp"
#include "repl/output/csv.hpp"
#include "repl/output/json.hpp"
#include "repl/output/report.hpp"
#include "repl/output/style.hpp"
#include "repl/output/table.hpp"

namespace charter::repl {
namespace {

// Text: each answer under a header naming the question (a file's with its `file:line:`), blocks
// a blank line apart; a lone -e answer has no header. JSON: one document per line. CSV: the
// tables a blank line apart.
class AnswerPrinter {
  public:
    AnswerPrinter(const std::string& format, bool colour) : format_(format), colour_(colour) {}

    void file_query(FileQuery query) {
        relativize(query.location);
        if (format_ == "json") {
            print(json_line(file_query_json(query)) + "\n");
            return;
        }
        std::string header = format_location(query.location, false);
        if (!header.empty())
            header += ": ";
        block(header + query.text, query.answer);
    }

    void question(const std::string& text, const Table& answer, bool alone) {
        if (format_ == "json") {
            print(json_line(table_json(answer)) + "\n");
            return;
        }
        block(alone ? std::string() : "-e: " + text, answer);
    }

  private:
    void block(const std::string& header, const Table& answer) {
        std::string out;
        if (printed_)
            out = format_ == "csv" ? "\r\n" : "\n";
        printed_ = true;
        if (format_ == "csv") {
            print(out + table_csv(answer));
            return;
        }
        if (!header.empty())
            out += paint(header, Paint::bold, colour_) + "\n";
        print(out + format_table(answer, colour_));
    }

    const std::string& format_;
    bool colour_;
    bool printed_ = false;
};

} // namespace

int run_query(const QueryCommand& command) {
    const Terminal terminal = detect_terminal(command.common);
    // One-shot questions: evaluate only what each one reads (docs/performance.md).
    Options options = session_options(command.common, terminal);
    options.evaluate_on_load = false;
    Session session(options);
    if (!load_files(session, command.files, terminal.stderr_colour))
        return exit_bad_input;

    AnswerPrinter printer(command.format, terminal.stdout_colour);
    auto in_files = session.file_queries();
    print_diagnostics(in_files.diagnostics, terminal.stderr_colour);
    if (!in_files.ok())
        return exit_bad_input;
    for (auto& query : in_files.value)
        printer.file_query(std::move(query));

    const bool alone = in_files.value.empty() && command.questions.size() == 1;
    for (const auto& question : command.questions) {
        auto answer = session.query(question);
        print_diagnostics(answer.diagnostics, terminal.stderr_colour);
        if (!answer.ok())
            return exit_bad_input;
        printer.question(question, answer.value, alone);
    }
    return exit_ok;
}

} // namespace charter::repl
