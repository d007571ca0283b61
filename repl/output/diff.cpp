// `charter diff` output (§9): a reorganisation read like a review, most important first — new
// errors, new warnings, resolved violations, changed answers, then every relation's tuples.
#include "repl/output/diff.hpp"

#include "repl/output/report.hpp"
#include "repl/output/style.hpp"
#include "repl/output/table.hpp"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

namespace charter::repl {
namespace {

std::string counted(std::size_t n, std::string_view one, std::string_view many) {
    return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

std::size_t count_severity(const std::vector<Violation>& violations, Severity severity) {
    return static_cast<std::size_t>(
        std::count_if(violations.begin(), violations.end(),
                      [&](const Violation& v) { return v.severity == severity; }));
}

std::string tuple_text(const std::string& relation, const std::vector<Cell>& row) {
    std::string out = relation + "(";
    for (std::size_t i = 0; i < row.size(); ++i) {
        if (i > 0)
            out += ", ";
        out += format_cell(row[i]);
    }
    return out + ")";
}

std::string row_text(const std::vector<Cell>& row) {
    std::string out;
    for (std::size_t i = 0; i < row.size(); ++i) {
        if (i > 0)
            out += "  ";
        out += format_cell(row[i]);
    }
    return out;
}

// An answer's rows that the other side lacks: `-` before only, `+` after only.
std::string answer_change(const ModelDiff::Answer& answer, bool colour) {
    std::string out = "  " + answer.question + "\n";
    auto missing = [](const Table& from, const Table& in) {
        std::vector<std::vector<Cell>> rows;
        for (const auto& row : from.rows)
            if (std::find(in.rows.begin(), in.rows.end(), row) == in.rows.end())
                rows.push_back(row);
        return rows;
    };
    for (const auto& row : missing(answer.before, answer.after))
        out += "    " + paint("- " + row_text(row), Paint::error, colour) + "\n";
    for (const auto& row : missing(answer.after, answer.before))
        out += "    " + paint("+ " + row_text(row), Paint::good, colour) + "\n";
    if (answer.after.rows.empty())
        out += "    " + paint("(no answer after)", Paint::dim, colour) + "\n";
    else if (answer.before.rows.empty())
        out += "    " + paint("(no answer before)", Paint::dim, colour) + "\n";
    return out;
}

// A reporting chain is a set of bodies: both sides in full, on one line each.
std::string chain_change(const ModelDiff::Answer& answer, bool colour) {
    auto line = [](const Table& t) {
        if (t.rows.empty())
            return std::string("(reports to no one)");
        std::string out;
        for (const auto& row : t.rows) {
            if (!out.empty())
                out += ", ";
            out += format_cell(row.front());
        }
        return out;
    };
    std::string out = "  " + answer.question + "\n";
    out += "    " + paint("- " + line(answer.before), Paint::error, colour) + "\n";
    out += "    " + paint("+ " + line(answer.after), Paint::good, colour) + "\n";
    return out;
}

std::string relation_change(const RelationChange& change, bool colour) {
    std::string out = "  " + paint(change.relation, Paint::bold, colour) + " (+" +
                      std::to_string(change.added.size()) + " -" +
                      std::to_string(change.removed.size()) + ")\n";
    auto list = [&](const std::vector<std::vector<Cell>>& rows, std::string_view sign, Paint how,
                    std::string_view verb) {
        for (std::size_t i = 0; i < rows.size() && i < diff_tuples_shown; ++i)
            out += "    " +
                   paint(std::string(sign) + " " + tuple_text(change.relation, rows[i]), how, colour) +
                   "\n";
        if (rows.size() > diff_tuples_shown)
            out += "    " +
                   paint("… " + std::to_string(rows.size() - diff_tuples_shown) + " more " +
                             std::string(verb) + " (--format json lists all)",
                         Paint::dim, colour) +
                   "\n";
    };
    list(change.added, "+", Paint::good, "added");
    list(change.removed, "-", Paint::error, "removed");
    return out;
}

} // namespace

bool adds_error(const ModelDiff& diff) {
    return count_severity(diff.violations_added, Severity::error) > 0;
}

std::string format_diff(const ModelDiff& diff, const std::string& before, const std::string& after,
                        bool colour) {
    const std::size_t errors = count_severity(diff.violations_added, Severity::error);
    const std::size_t warnings = diff.violations_added.size() - errors;
    std::size_t added = 0;
    std::size_t removed = 0;
    for (const auto& r : diff.relations) {
        added += r.added.size();
        removed += r.removed.size();
    }

    std::string out;
    if (!before.empty() || !after.empty())
        out += paint(before + " → " + after, Paint::bold, colour) + "\n";
    const bool nothing = diff.violations_added.empty() && diff.violations_removed.empty() &&
                         diff.approvals.empty() && diff.reporting_chains.empty() &&
                         diff.relations.empty();
    if (nothing)
        return out + paint("no changes", Paint::good, colour) + "\n";
    out += paint(counted(errors, "new error", "new errors"), errors > 0 ? Paint::error : Paint::good,
                 colour) +
           ", " + counted(warnings, "new warning", "new warnings") + ", " +
           counted(diff.violations_removed.size(), "violation resolved", "violations resolved") +
           "; " + counted(diff.approvals.size(), "approval", "approvals") + " and " +
           counted(diff.reporting_chains.size(), "reporting chain", "reporting chains") +
           " changed; " + counted(diff.relations.size(), "relation", "relations") + " changed (+" +
           std::to_string(added) + " -" + std::to_string(removed) + " tuples)\n";

    auto section = [&](const std::string& title, std::size_t n) {
        out += "\n" + paint(title + " (" + std::to_string(n) + ")", Paint::bold, colour) + "\n";
    };
    auto violations = [&](const std::string& title, Severity severity, std::string_view sign) {
        std::size_t n = count_severity(diff.violations_added, severity);
        if (n == 0)
            return;
        section(title, n);
        for (const auto& v : diff.violations_added)
            if (v.severity == severity)
                out += "  " + std::string(sign) + " " + format_violation(v, colour);
    };
    violations("new errors", Severity::error, "+");
    violations("new warnings", Severity::warning, "+");
    if (!diff.violations_removed.empty()) {
        section("resolved", diff.violations_removed.size());
        for (const auto& v : diff.violations_removed)
            out += "  - " + format_violation(v, colour);
    }
    if (!diff.approvals.empty()) {
        section("who approves", diff.approvals.size());
        for (const auto& a : diff.approvals)
            out += answer_change(a, colour);
    }
    if (!diff.reporting_chains.empty()) {
        section("reporting chains", diff.reporting_chains.size());
        for (const auto& a : diff.reporting_chains)
            out += chain_change(a, colour);
    }
    if (!diff.relations.empty()) {
        section("relations", diff.relations.size());
        for (const auto& r : diff.relations)
            out += relation_change(r, colour);
    }
    return out;
}

Json diff_json(const ModelDiff& diff, const std::string& before, const std::string& after) {
    const auto errors =
        static_cast<std::int64_t>(count_severity(diff.violations_added, Severity::error));
    std::int64_t added = 0;
    std::int64_t removed = 0;
    Json relations = Json::array();
    for (const auto& r : diff.relations) {
        added += static_cast<std::int64_t>(r.added.size());
        removed += static_cast<std::int64_t>(r.removed.size());
        Json item = Json::object();
        item["relation"] = r.relation;
        item["added"] = table_json({{}, r.added})["rows"];
        item["removed"] = table_json({{}, r.removed})["rows"];
        relations.push_back(std::move(item));
    }
    auto answers = [](const std::vector<ModelDiff::Answer>& list) {
        Json out = Json::array();
        for (const auto& a : list) {
            Json item = Json::object();
            item["question"] = a.question;
            item["before"] = table_json(a.before);
            item["after"] = table_json(a.after);
            out.push_back(std::move(item));
        }
        return out;
    };
    Json summary = Json::object();
    summary["errors_added"] = errors;
    summary["warnings_added"] = static_cast<std::int64_t>(diff.violations_added.size()) - errors;
    summary["violations_removed"] = static_cast<std::int64_t>(diff.violations_removed.size());
    summary["approvals_changed"] = static_cast<std::int64_t>(diff.approvals.size());
    summary["reporting_chains_changed"] = static_cast<std::int64_t>(diff.reporting_chains.size());
    summary["relations_changed"] = static_cast<std::int64_t>(diff.relations.size());
    summary["tuples_added"] = added;
    summary["tuples_removed"] = removed;

    Json out = Json::object();
    out["before"] = before;
    out["after"] = after;
    out["summary"] = std::move(summary);
    out["violations_added"] = violations_json(diff.violations_added)["violations"];
    out["violations_removed"] = violations_json(diff.violations_removed)["violations"];
    out["approvals"] = answers(diff.approvals);
    out["reporting_chains"] = answers(diff.reporting_chains);
    out["relations"] = std::move(relations);
    return out;
}

} // namespace charter::repl
