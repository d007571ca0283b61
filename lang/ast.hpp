// The syntax tree the parser produces: one `File` of `Statement`s per source, every node with
// its Span. Names are not resolved here (the resolver decides whether `body X` declares an
// entity or states a relation), so the tree is the text's shape, nothing more.
#pragma once

#include "source.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace charter::lang::ast {

/// An identifier as written, dotted names included (`SDK.formandskab`); backticks removed.
struct Name {
    std::string text;
    Span span;
};

/// `2..3`, `4..`, `..9`; a plain integer `N` used as a count is the range N..N.
struct Range {
    std::optional<std::int64_t> low;
    std::optional<std::int64_t> high;
};

struct Term;
/// Integer arithmetic `a + b`, `a - b`, `a * b`.
struct Arithmetic {
    char op = '+';
    std::vector<Term> operands;  // exactly two
};

struct Term {
    enum class Kind { variable, anonymous, name, string, integer, range, none, arithmetic };
    Kind kind = Kind::none;
    std::string text;       // variable without `?`; name (dotted); string contents, unescaped
    std::int64_t integer = 0;
    Range range;
    std::vector<Arithmetic> arithmetic;  // one element when kind == arithmetic
    Span span;
};

/// `value` or `name: value` inside `r(…)`.
struct Argument {
    std::optional<Name> parameter;
    Term value;
};

enum class Closure { none, plus, star };

/// `r(args)`, `r+(args)`, `r*(args)`.
struct Atom {
    Name relation;
    Closure closure = Closure::none;
    std::vector<Argument> arguments;
    Span span;
};

struct Literal;
/// `count(?a, ?b : literals)`; function is count, sum, min or max.
struct Aggregate {
    Name function;
    std::vector<Term> variables;
    std::vector<Literal> body;
    Span span;
};

struct Literal {
    enum class Kind { positive, negative, comparison };
    Kind kind = Kind::positive;
    Atom atom;                        // positive, negative
    Term left;                        // comparison
    std::string op;                   // = != < <= > >=
    Term right;                       // comparison, unless aggregate is set
    std::optional<Aggregate> aggregate;  // `?n = count(…)`
    Span span;
};

// ---- statements -----------------------------------------------------------------------

struct Statement;
using Block = std::vector<Statement>;

/// `import std` or `import "path"`.
struct Import {
    bool is_std = false;
    std::string path;
    Span path_span;
};

/// `kind K [: Super] ["doc"]`.
struct KindDecl {
    Name name;
    std::optional<Name> super;
    std::optional<std::string> doc;
};

struct Parameter {
    Name name;
    Name type;  // a kind, `string`, `int` or `any`
    std::optional<Term> default_value;
};

/// `relation r(p: T, q: T = default) ["doc"]`.
struct RelationDecl {
    Name name;
    std::vector<Parameter> parameters;
    std::optional<std::string> doc;
};

/// `facts r from "file.tsv" [declare K, …]`.
struct FactsFrom {
    Name relation;
    std::string path;
    Span path_span;
    std::vector<Name> declare_kinds;
};

/// The generic block-or-top-level phrase `head arg… [: tag, …] [{ block }]`. The resolver
/// decides what it is: if `head` names a kind it declares an entity (`body SSS "label" : tag
/// { … }`), otherwise, inside a block, it states a relation (`member SSS role chair`).
/// `size 4..8` and case statements (`flow F`, `at X`) are phrases too.
struct Phrase {
    Name head;
    std::vector<Term> arguments;
    std::vector<Name> tags;
    bool has_block = false;
    Block block;
};

/// `r(args)` stated as a fact.
struct Fact {
    Atom atom;
};

/// `rule head [:- literals]`.
struct Rule {
    Atom head;
    std::vector<Literal> body;
};

/// `check name [warning] ["doc"] { violation literals; message "…" }`.
struct Check {
    Name name;
    bool warning = false;
    std::optional<std::string> doc;
    std::vector<Literal> violation;
    Span violation_span;
    std::optional<std::string> message;
    Span message_span;
    // Extension: `subjects ?a, ?b [: LITERALS]` lists a violation's subjects explicitly; with
    // literals, every solution's values (the violation's variables bound) are subjects.
    bool has_subjects = false;
    std::vector<Term> subjects;
    std::vector<Literal> subjects_body;
};

/// One line of `seats { … }`: `COUNT [from [each] X [in G]] [with role R] [with REL V]…`.
struct SeatRule {
    Range count;
    bool has_from = false;
    bool each = false;
    Name from;                    // party, kind, or group
    std::optional<Name> in;       // `from each K in G`
    struct Filter {
        Name relation;            // `role` or any relation REL(person, V)
        Term value;
    };
    std::vector<Filter> filters;
    Span span;
};

/// `seats [warning] { rule… }` inside an entity's block.
struct Seats {
    bool warning = false;
    std::vector<SeatRule> rules;
};

/// A step's performer: an entity, `each K`, `any K`, `chair of X`, `vice_chair of X`,
/// `members of X`, `sponsors of X`, `secretariat of X`, or `owner`.
struct Performer {
    enum class Form { entity, each, any, chair_of, vice_chair_of, members_of, sponsors_of,
                      secretariat_of, owner };
    Form form = Form::entity;
    Name target;  // the entity or kind; for `… of owner` the text is "owner"
    Span span;
};

/// `step NAME by PERFORMER [ACTION] ["doc"] [when LITERALS] [within N days|weeks]`.
struct Step {
    Name name;
    Performer performer;
    std::optional<Name> action;
    std::optional<std::string> doc;
    std::vector<Literal> when;
    std::optional<std::int64_t> within_days;  // weeks are converted to days
};

/// `flow F ["label"] [: tags] { step… }`: parsed apart because steps have their own syntax.
struct Flow {
    Name name;
    std::optional<std::string> label;
    std::vector<Name> tags;
    std::vector<Step> steps;
};

/// `? literals`.
struct Query {
    std::vector<Literal> body;
};

/// `who approves X`, `next C`, `route C`, `path r A B`.
struct Question {
    enum class Form { who_approves, next, route, path };
    Form form = Form::who_approves;
    std::vector<Name> arguments;  // path: relation, from, to
};

/// `expect ? q`, `expect none ? q`, `expect violation NAME [on X]`, `expect no violations`.
struct Expect {
    enum class Form { holds, none, violation, no_violations };
    Form form = Form::holds;
    std::vector<Literal> query;
    std::optional<Name> check;
    std::optional<Name> on;
};

/// Proposal statements (§9 `charter diff`).
struct Amends {
    std::string path;
    Span path_span;
};
struct Remove {
    std::optional<Atom> fact;     // `remove r(a, b)`
    std::optional<Name> entity;   // `remove X`
};
struct Rename {
    Name from;
    Name to;
};

struct Statement {
    std::variant<Import, KindDecl, RelationDecl, FactsFrom, Phrase, Fact, Rule, Check, Seats,
                 Flow, Query, Question, Expect, Amends, Remove, Rename>
        node;
    Span span;  // the whole statement
};

struct File {
    SourceId source = no_source;
    std::vector<Statement> statements;
};

}  // namespace charter::lang::ast
