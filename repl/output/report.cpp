// Text output of `charter check` and `charter test`, and of the shell's `:check`.
#include "repl/output/report.hpp"

#include "repl/output/style.hpp"

#include <cstddef>
#include <string_view>

namespace charter::repl {
namespace {

std::string counted(std::size_t n, std::string_view noun) {
    std::string out = std::to_string(n) + " ";
    out += noun;
    if (n != 1)
        out += 's';
    return out;
}

// A multi-line value keeps its later lines under the first, indented past the label.
std::string labelled(std::string_view label, std::string_view value) {
    std::string out = "  ";
    out += label;
    out += ": ";
    for (char c : value) {
        out += c;
        if (c == '\n')
            out += "    ";
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == '\n'))
        out.pop_back();
    out += '\n';
    return out;
}

} // namespace

std::string format_location(const Location& location, bool with_column) {
    if (location.file.empty())
        return {};
    std::string out = location.file + ":" + std::to_string(location.line);
    if (with_column)
        out += ":" + std::to_string(location.column);
    return out;
}

std::string format_violation(const Violation& v, bool colour) {
    std::string out;
    if (auto where = format_location(v.location); !where.empty())
        out += paint(where + ":", Paint::bold, colour) + " ";
    switch (v.severity) {
    case Severity::error:
        out += paint("error:", Paint::error, colour);
        break;
    case Severity::warning:
        out += paint("warning:", Paint::warning, colour);
        break;
    case Severity::note:
        out += paint("note:", Paint::bold, colour);
        break;
    }
    out += " [" + v.check + "] " + v.message + "\n";
    return out;
}

std::string format_violation_summary(const std::vector<Violation>& violations, bool colour) {
    std::size_t errors = 0;
    std::size_t warnings = 0;
    for (const auto& v : violations) {
        if (v.severity == Severity::error)
            ++errors;
        if (v.severity == Severity::warning)
            ++warnings;
    }
    if (errors == 0 && warnings == 0)
        return paint("no violations", Paint::good, colour) + "\n";
    std::string out;
    if (errors > 0)
        out += paint(counted(errors, "error"), Paint::error, colour);
    if (errors > 0 && warnings > 0)
        out += ", ";
    if (warnings > 0)
        out += paint(counted(warnings, "warning"), Paint::warning, colour);
    return out + "\n";
}

std::string format_violations(const std::vector<Violation>& violations, bool colour) {
    std::string out;
    for (const auto& v : violations)
        out += format_violation(v, colour);
    return out + format_violation_summary(violations, colour);
}

std::string format_failed_expectation(const Expectation& e, bool colour) {
    std::string out;
    if (auto where = format_location(e.location, false); !where.empty())
        out += paint(where + ":", Paint::bold, colour) + " ";
    out += e.statement + "\n";
    out += labelled("expected", e.expected);
    out += labelled("found", e.found);
    return out;
}

std::string format_expectations(const std::vector<Expectation>& expectations, bool colour) {
    std::string out;
    std::size_t passed = 0;
    for (const auto& e : expectations) {
        if (e.passed)
            ++passed;
        else
            out += format_failed_expectation(e, colour);
    }
    const std::size_t failed = expectations.size() - passed;
    out += std::to_string(passed) + " passed, ";
    out +=
        paint(std::to_string(failed) + " failed", failed > 0 ? Paint::error : Paint::good, colour);
    return out + "\n";
}

} // namespace charter::repl
