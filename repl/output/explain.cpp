// Derivations and blockers as text for the shell's `:why` and `:whynot`.
#include "repl/output/explain.hpp"

#include "repl/output/style.hpp"

namespace charter::repl {
namespace {

std::string where(const Location& location) {
    if (location.file.empty() || location.line == 0)
        return "";
    return location.file + ":" + std::to_string(location.line);
}

void append_node(const Derivation& d, const std::string& lead, const std::string& rest, bool colour,
                 std::string& out) {
    out += lead;
    out += d.stated ? d.fact
                    : paint(d.fact, d.rule.empty() ? Paint::dim : Paint::bold,
                            colour && !d.rule.empty());
    if (d.stated) {
        const std::string at = where(d.location);
        out += paint(at.empty() ? "  stated" : "  stated at " + at, Paint::dim, colour);
    } else if (d.rule == "(shown above)") {
        out += paint("  (shown above)", Paint::dim, colour);
        out += '\n';
        return;
    }
    out += '\n';
    if (!d.stated && !d.rule.empty()) {
        std::string by = "by " + d.rule;
        const std::string at = where(d.location);
        out += rest + (d.premises.empty() ? "  " : "│ ") + by;
        if (!at.empty())
            out += paint("  (" + at + ")", Paint::dim, colour);
        out += '\n';
    }
    for (std::size_t i = 0; i < d.premises.size(); ++i) {
        const bool last = i + 1 == d.premises.size();
        append_node(d.premises[i], rest + (last ? "└─ " : "├─ "), rest + (last ? "   " : "│  "),
                    colour, out);
    }
}

// A failing literal worth asking `:whynot` about: an atom, its variables written as `_`; "" when
// the literal is a negation, a comparison or a check's violation.
std::string further(const std::string& literal) {
    const auto open = literal.find('(');
    if (open == std::string::npos || open == 0 || literal.back() != ')' ||
        literal.starts_with("not ") || literal.starts_with("violation ") ||
        literal.find(' ') < open)
        return "";
    std::string out;
    for (std::size_t i = 0; i < literal.size(); ++i) {
        if (literal[i] != '?' || i < open) {
            out += literal[i];
            continue;
        }
        out += '_';
        while (i + 1 < literal.size() && literal[i + 1] != ',' && literal[i + 1] != ')' &&
               literal[i + 1] != ' ')
            ++i;
    }
    return out;
}

} // namespace

std::string format_derivation(const Derivation& derivation, bool colour) {
    std::string out;
    append_node(derivation, "", "", colour, out);
    return out;
}

std::string format_blockers(const std::string& fact, const std::vector<Blocker>& blockers,
                            bool colour) {
    std::string out = paint(fact, Paint::bold, colour) + " does not hold";
    if (blockers.empty())
        return out + ": no rule derives it and it is not stated\n";
    out += ":\n";
    for (const auto& b : blockers) {
        const std::string at = where(b.location);
        std::string label;
        if (b.rule.empty()) {
            label = "it is not stated";
            if (!at.empty())
                label += paint("  (the relation is declared at " + at + ")", Paint::dim, colour);
            out += "• " + label + "\n";
            out += "    missing: " + b.failing + "\n";
        } else {
            out += "• " + b.rule;
            if (!at.empty())
                out += paint("  (" + at + ")", Paint::dim, colour);
            out += "\n";
            const bool closure = b.failing.starts_with("no chain");
            out += (closure ? "    " : "    fails at: ") + paint(b.failing, Paint::error, colour) +
                   "\n";
        }
        for (std::size_t i = 0; i < b.nearest.size(); ++i)
            out += (i == 0 ? "    nearest: " : "             ") + b.nearest[i] + "\n";
        if (const std::string next = b.rule.empty() ? "" : further(b.failing); !next.empty())
            out += paint("    (:whynot " + next + " looks further)", Paint::dim, colour) + "\n";
    }
    return out;
}

} // namespace charter::repl
