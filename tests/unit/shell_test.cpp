// Unit tests of the shell's pure parts (repl/): when input goes on to the next line, how a
// multi-line input reads in the history, tab completion by context, and `:why` / `:whynot`
// output. The shell itself is tested through the binary (tests/golden/repl, tests/cli).
//
// unit_tests links only the library, so these sources are compiled into this file.
#include "repl/completion.cpp"
#include "repl/input.cpp"
#include "repl/output/explain.cpp"

#include <doctest/doctest.h>

using namespace charter;
using namespace charter::repl;

TEST_CASE("input goes on after an open bracket, a trailing comma or :-, and not otherwise") {
    CHECK(needs_more("? reports_to(FKØ,"));
    CHECK(needs_more("rule chain(?a, ?b) :-"));
    CHECK(needs_more("body X {"));
    CHECK(needs_more("body X {\n  reports_to Y"));
    CHECK(needs_more("? member(SSS, ?p, # a comment (\n"));
    CHECK_FALSE(needs_more("body X {\n  reports_to Y\n}"));
    CHECK_FALSE(needs_more("? reports_to(FKØ, ?x)"));
    CHECK_FALSE(needs_more("? reports_to(FKØ, ?x) # ends here,"));
    CHECK_FALSE(needs_more("label(X, \"open ( inside a string\")"));
    CHECK_FALSE(needs_more("? reports_to(`odd (name`, ?x)"));
    CHECK_FALSE(needs_more("body X \"unclosed string ("));
    CHECK_FALSE(needs_more("? x)) (")); // a stray closing bracket: the parser says what is wrong
}

TEST_CASE("a multi-line input is one line in the history that means the same") {
    CHECK(history_entry("rule chain(?a, ?c) :-\n    reports_to(?a, ?b),\n    chain(?b, ?c)") ==
          "rule chain(?a, ?c) :- reports_to(?a, ?b), chain(?b, ?c)");
    CHECK(history_entry("body X \"X\" {\n    reports_to Y   # up\n    size 2..3\n}") ==
          "body X \"X\" { reports_to Y; size 2..3 }");
    CHECK(history_entry("? member(SSS,\n  ?p, _, _)") == "? member(SSS, ?p, _, _)");
    CHECK(history_entry("body A\n\nbody B") == "body A; body B");
    CHECK(history_entry("? x # a \"comment\"") == "? x");
    CHECK(history_entry("label(X, \"a # b\")") == "label(X, \"a # b\")");
}

namespace {
CompletionNames names() {
    return {{"FKS", "FKØ", "PLO-Syddanmark", "SDK", "SDK.formandskab"},
            {"member", "reports_to", "reports_to+", "supports"},
            {"body", "person"}};
}
} // namespace

TEST_CASE("a colon at the start of a line completes commands") {
    CHECK(complete("", ":wh", names()).matches == std::vector<std::string>{":why", ":whynot"});
    CHECK(complete("", ":q", names()).matches == std::vector<std::string>{":quit"});
    CHECK(complete("", ":help", names()).matches == std::vector<std::string>{":help"});
}

TEST_CASE("names complete by prefix, UTF-8 and dotted names included, odd names in backticks") {
    CHECK(complete("? reports_to(", "FK", names()).matches ==
          std::vector<std::string>{"FKS", "FKØ"});
    CHECK(complete("? reports_to(", "FKØ", names()).matches == std::vector<std::string>{"FKØ"});
    CHECK(complete("? reports_to(", "SDK.", names()).matches ==
          std::vector<std::string>{"SDK.formandskab"});
    CHECK(complete("? member(", "`PLO", names()).matches ==
          std::vector<std::string>{"`PLO-Syddanmark`"});
    CHECK(complete("? ", "rep", names()).matches ==
          std::vector<std::string>{"reports_to", "reports_to+"});
}

TEST_CASE("a relation completes with its bracket, an entity or kind with a space") {
    auto relation = complete("? ", "supp", names());
    CHECK(relation.matches == std::vector<std::string>{"supports"});
    CHECK(relation.append == '(');
    auto entity = complete("? supports(", "SDK.f", names());
    CHECK(entity.append == ' ');
    auto kind = complete("? kind(?b, ", "pers", names());
    CHECK(kind.matches == std::vector<std::string>{"person"});
    CHECK(kind.append == ' ');
}

TEST_CASE("completion follows the command: files, topics, add or remove, variables") {
    CHECK(complete(":load ", "exa", names()).files);
    CHECK(complete(":help ", "why", names()).matches == std::vector<std::string>{"why", "whynot"});
    CHECK(complete(":assume ", "", names()).matches == std::vector<std::string>{"add", "remove"});
    CHECK(complete(":assume add ", "reports", names()).matches ==
          std::vector<std::string>{"reports_to", "reports_to+"});
    CHECK(complete(":check ", "", names()).matches.empty());
    CHECK(complete("? member(?body, ?p, _, _), reports_to(", "?b", names()).matches ==
          std::vector<std::string>{"?body"});
    CHECK(complete("", "wh", names()).matches == std::vector<std::string>{"who"});
    CHECK(complete("who ", "ap", names()).matches == std::vector<std::string>{"approves"});
}

TEST_CASE("names that are not identifiers are written in backticks") {
    CHECK(name_text("FKØ") == "FKØ");
    CHECK(name_text("SDK.formandskab") == "SDK.formandskab");
    CHECK(name_text("PLO-Syddanmark") == "`PLO-Syddanmark`");
    CHECK(name_text("2nd") == "`2nd`");
}

TEST_CASE("a derivation prints as a tree with rules and stated locations") {
    Derivation stated1{"reports_to(FKØ, SDK.formandskab)", true, {"model.charter", 8, 1}, "", {}};
    Derivation stated2{"reports_to(SDK.formandskab, SDK)", true, {"model.charter", 7, 1}, "", {}};
    Derivation closure{"reports_to+(FKØ, SDK)",
                       false,
                       {},
                       "the chain FKØ → SDK.formandskab → SDK along reports_to",
                       {stated1, stated2}};
    Derivation root{"above(FKØ, SDK)",
                    false,
                    {"model.charter", 20, 1},
                    "rule above(?a, ?b) :- reports_to+(?a, ?b), not top(?a)",
                    {closure, Derivation{"not top(FKØ)", false, {}, "", {}}}};
    CHECK(format_derivation(root) ==
          "above(FKØ, SDK)\n"
          "│ by rule above(?a, ?b) :- reports_to+(?a, ?b), not top(?a)  (model.charter:20)\n"
          "├─ reports_to+(FKØ, SDK)\n"
          "│  │ by the chain FKØ → SDK.formandskab → SDK along reports_to\n"
          "│  ├─ reports_to(FKØ, SDK.formandskab)  stated at model.charter:8\n"
          "│  └─ reports_to(SDK.formandskab, SDK)  stated at model.charter:7\n"
          "└─ not top(FKØ)\n");
}

TEST_CASE("blockers print per rule with the failing literal and the nearest facts") {
    std::vector<Blocker> blockers{
        {"",
         {"std/vocabulary.charter", 35, 1},
         "approves(SSS, F)",
         {"approves(SSS, G)  (model.charter:3)",
          "F's approve step is performed by SSS.formandskab"}},
        {"rule ok(?b) :- chain(?b, SSS)", {"model.charter", 9, 1}, "chain(FKØ, SSS)", {}},
    };
    CHECK(format_blockers("approves(SSS, F)", blockers) ==
          "approves(SSS, F) does not hold:\n"
          "• it is not stated  (the relation is declared at std/vocabulary.charter:35)\n"
          "    missing: approves(SSS, F)\n"
          "    nearest: approves(SSS, G)  (model.charter:3)\n"
          "             F's approve step is performed by SSS.formandskab\n"
          "• rule ok(?b) :- chain(?b, SSS)  (model.charter:9)\n"
          "    fails at: chain(FKØ, SSS)\n"
          "    (:whynot chain(FKØ, SSS) looks further)\n");
    std::vector<Blocker> open{{"rule ok(?b) :- far(?b, ?up)", {}, "far(FKØ, ?up)", {}}};
    CHECK(format_blockers("ok(FKØ)", open) == "ok(FKØ) does not hold:\n"
                                              "• rule ok(?b) :- far(?b, ?up)\n"
                                              "    fails at: far(FKØ, ?up)\n"
                                              "    (:whynot far(FKØ, _) looks further)\n");
    CHECK(format_blockers("x(A)", {}) ==
          "x(A) does not hold: no rule derives it and it is not stated\n");
}
