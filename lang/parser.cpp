// Text → syntax tree: runs grammar.hpp into a PEGTL parse tree, then walks that tree into the
// AST of ast.hpp. Syntax errors are recorded by the grammar's control (parse_errors.cpp); the
// few checks that need a whole statement are made here, and drop just that statement.
#include "parser.hpp"

#include "grammar_errors.hpp"

#include <fmt/format.h>

#include <charconv>
#include <limits>

namespace charter::lang {

namespace {

namespace g = grammar;
using Node = tao::pegtl::parse_tree::node;

/// The operators one comparison may hold: the AST nests one level per operator.
constexpr std::size_t max_operators = 256;
/// The literals one statement may hold, aggregates' included: evaluation recurses once per
/// literal of a rule and plans a join in time quadratic in them (§9: no input overflows the
/// stack, even a thread's, or hangs).
constexpr std::size_t max_literals = 256;
/// The parameters of a relation and the arguments of an atom: tuples are this wide at most.
constexpr std::size_t max_arity = 256;

/// A statement that parsed but cannot stand: it is left out and the error reported.
struct StatementError {
    Span span;
    std::string message;
    std::string hint;
};

template <typename Rule>
bool is(const Node& n) {
    return n.is_type<Rule>();
}

std::int64_t to_integer(std::string_view text) {
    std::int64_t value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);  // the grammar checked it
    return value;
}

std::string unescape(std::string_view quoted) {
    std::string out;
    const std::string_view body = quoted.substr(1, quoted.size() - 2);
    out.reserve(body.size());
    for (std::size_t i = 0; i < body.size(); ++i) {
        if (body[i] == '\\' && i + 1 < body.size()) {
            ++i;
            out.push_back(body[i] == 'n' ? '\n' : body[i]);
        } else {
            out.push_back(body[i]);
        }
    }
    return out;
}

class Builder {
public:
    Builder(SourceId source, Diagnostics& diagnostics) : source_(source), diagnostics_(diagnostics) {}

    /// The statements that are children of `parent` (the root or a block); one that cannot
    /// stand is reported and left out.
    std::vector<ast::Statement> statements(const Node& parent) {
        std::vector<ast::Statement> out;
        out.reserve(parent.children.size());
        for (const auto& child : parent.children) {
            try {
                out.push_back(statement(*child));
            } catch (const StatementError& e) {
                diagnostics_.error(e.span, e.message, e.hint);
            } catch (const std::exception& e) {  // a tree of a shape the grammar cannot make
                diagnostics_.error(span(*child), fmt::format("internal parser error: {}", e.what()));
            }
        }
        return out;
    }

private:
    [[nodiscard]] Span span(const Node& n) const {
        return {source_, static_cast<std::uint32_t>(n.m_begin.byte), static_cast<std::uint32_t>(n.m_end.byte)};
    }

    [[nodiscard]] Span span(const Span& first, const Span& last) const { return {source_, first.begin, last.end}; }

    // ---- names and terms

    [[nodiscard]] ast::Name name(const Node& n) const {
        if (!is<g::name>(n)) return {n.string(), span(n)};  // an identifier
        std::string text;
        for (const auto& part : n.children) {
            if (!text.empty()) text += '.';
            text += part->string_view();
        }
        return {std::move(text), span(n)};
    }

    [[nodiscard]] ast::Term term(const Node& n) const {
        ast::Term t;
        t.span = span(n);
        if (is<g::variable>(n)) {
            t.kind = ast::Term::Kind::variable;
            t.text = n.string_view().substr(1);
        } else if (is<g::anonymous>(n)) {
            t.kind = ast::Term::Kind::anonymous;
        } else if (is<g::none_value>(n)) {
            t.kind = ast::Term::Kind::none;
        } else if (is<g::string_literal>(n)) {
            t.kind = ast::Term::Kind::string;
            t.text = unescape(n.string_view());
        } else if (is<g::range>(n)) {
            t.kind = ast::Term::Kind::range;
            t.range = range(n);
        } else if (is<g::integer>(n)) {
            t.kind = ast::Term::Kind::integer;
            t.integer = to_integer(n.string_view());
        } else {
            t.kind = ast::Term::Kind::name;
            t.text = name(n).text;
        }
        return t;
    }

    [[nodiscard]] static ast::Range range(const Node& n) {
        ast::Range r;
        if (is<g::integer>(n)) {  // a count `N` is the range N..N
            r.low = r.high = to_integer(n.string_view());
            return r;
        }
        for (const auto& bound : n.children) {
            if (is<g::range_low>(*bound)) r.low = to_integer(bound->string_view());
            if (is<g::range_high>(*bound)) r.high = to_integer(bound->string_view());
        }
        return r;
    }

    // ---- atoms, literals, expressions

    [[nodiscard]] ast::Atom atom(const Node& n) const {
        ast::Atom a;
        a.span = span(n);
        a.relation = name(*n.children.at(0));
        for (std::size_t i = 1; i < n.children.size(); ++i) {
            const Node& c = *n.children[i];
            if (is<g::closure>(c)) {
                a.closure = c.string_view() == "+" ? ast::Closure::plus : ast::Closure::star;
            } else if (a.arguments.size() == max_arity) {
                throw StatementError{span(c), fmt::format("more than {} arguments", max_arity),
                                     "a relation has at most that many parameters"};
            } else if (is<g::named_argument>(c)) {
                a.arguments.push_back({name(*c.children.at(0)), term(*c.children.at(1))});
            } else {
                a.arguments.push_back({std::nullopt, term(c)});
            }
        }
        return a;
    }

    std::vector<ast::Literal> literals(const Node& parent, std::size_t first = 0) {
        std::vector<ast::Literal> out;
        for (std::size_t i = first; i < parent.children.size(); ++i) {
            if (++literals_ > max_literals)
                throw StatementError{span(*parent.children[i]),
                                     fmt::format("more than {} literals in one statement", max_literals),
                                     "split it over several rules"};
            out.push_back(literal(*parent.children[i]));
        }
        return out;
    }

    ast::Literal literal(const Node& n) {
        ast::Literal l;
        l.span = span(n);
        if (is<g::atom>(n)) {
            l.atom = atom(n);
        } else if (is<g::negation>(n)) {
            l.kind = ast::Literal::Kind::negative;
            l.atom = atom(*n.children.at(0));
        } else if (is<g::aggregate_literal>(n)) {
            l.kind = ast::Literal::Kind::comparison;
            l.left = term(*n.children.at(0));
            l.op = "=";
            l.aggregate = aggregate(*n.children.at(1));
        } else {
            l.kind = ast::Literal::Kind::comparison;
            l.left = term(*n.children.at(0));
            l.op = n.children.at(1)->string();
            operators_ = 0;
            l.right = expression(*n.children.at(2));
        }
        return l;
    }

    ast::Aggregate aggregate(const Node& n) {
        ast::Aggregate a;
        a.span = span(n);
        a.function = name(*n.children.at(0));
        std::size_t i = 1;
        for (; i < n.children.size() && is<g::variable>(*n.children[i]); ++i) a.variables.push_back(term(*n.children[i]));
        a.body = literals(n, i);
        return a;
    }

    /// `expression` and `product` nodes alternate operands and operators; both associate left.
    ast::Term expression(const Node& n) {
        if (is<g::parenthesized>(n)) return expression(*n.children.at(0));
        if (!is<g::expression>(n) && !is<g::product>(n)) return term(n);
        ast::Term left = expression(*n.children.at(0));
        for (std::size_t i = 1; i + 1 < n.children.size(); i += 2) {
            if (++operators_ > max_operators)
                throw StatementError{span(n), fmt::format("arithmetic expression with more than {} operators", max_operators),
                                     "split it over several rules"};
            ast::Term right = expression(*n.children[i + 1]);
            ast::Term combined;
            combined.kind = ast::Term::Kind::arithmetic;
            combined.span = span(left.span, right.span);
            combined.arithmetic.push_back({n.children[i]->string_view().front(), {}});
            combined.arithmetic.front().operands.push_back(std::move(left));
            combined.arithmetic.front().operands.push_back(std::move(right));
            left = std::move(combined);
        }
        return left;
    }

    // ---- statements

    ast::Statement statement(const Node& n) {
        ast::Statement s;
        s.span = span(n);
        literals_ = 0;
        if (is<g::fact>(n)) s.node = ast::Fact{atom(*n.children.at(0))};
        else if (is<g::phrase>(n)) s.node = phrase(n);
        else if (is<g::import_statement>(n)) s.node = import(n);
        else if (is<g::kind_declaration>(n)) s.node = kind_declaration(n);
        else if (is<g::relation_declaration>(n)) s.node = relation_declaration(n);
        else if (is<g::facts_statement>(n)) s.node = facts(n);
        else if (is<g::rule_statement>(n)) s.node = ast::Rule{atom(*n.children.at(0)), literals(n, 1)};
        else if (is<g::check_statement>(n)) s.node = check(n);
        else if (is<g::flow_statement>(n)) s.node = flow(n);
        else if (is<g::seats_statement>(n)) s.node = seats(n);
        else if (is<g::query_statement>(n)) s.node = ast::Query{literals(n)};
        else if (is<g::who_statement>(n)) s.node = question(n, ast::Question::Form::who_approves);
        else if (is<g::next_statement>(n)) s.node = question(n, ast::Question::Form::next);
        else if (is<g::route_statement>(n)) s.node = question(n, ast::Question::Form::route);
        else if (is<g::path_statement>(n)) s.node = question(n, ast::Question::Form::path);
        else if (is<g::expect_statement>(n)) s.node = expect(*n.children.at(0));
        else if (is<g::amends_statement>(n)) s.node = ast::Amends{unescape(n.children.at(0)->string_view()), span(*n.children[0])};
        else if (is<g::remove_statement>(n)) s.node = remove(*n.children.at(0));
        else if (is<g::rename_statement>(n)) s.node = ast::Rename{name(*n.children.at(0)), name(*n.children.at(1))};
        else throw StatementError{span(n), fmt::format("internal error: no AST for `{}`", n.type), ""};
        return s;
    }

    ast::Phrase phrase(const Node& n) {
        ast::Phrase p;
        p.head = name(*n.children.at(0));
        for (std::size_t i = 1; i < n.children.size(); ++i) {
            const Node& c = *n.children[i];
            if (is<g::tag>(c)) {
                p.tags.push_back(name(*c.children.at(0)));
            } else if (is<g::block>(c)) {
                p.has_block = true;
                p.block = statements(c);
            } else if (p.arguments.size() == max_arity) {
                throw StatementError{span(c), fmt::format("more than {} arguments", max_arity),
                                     "a relation has at most that many parameters"};
            } else {
                p.arguments.push_back(term(c));
            }
        }
        return p;
    }

    ast::Import import(const Node& n) const {
        const Node& target = *n.children.at(0);
        if (is<g::import_std>(target)) return {true, "", span(target)};
        return {false, unescape(target.string_view()), span(target)};
    }

    ast::KindDecl kind_declaration(const Node& n) const {
        ast::KindDecl k;
        k.name = name(*n.children.at(0));
        for (std::size_t i = 1; i < n.children.size(); ++i) {
            const Node& c = *n.children[i];
            if (is<g::super_kind>(c)) k.super = name(*c.children.at(0));
            else k.doc = unescape(c.string_view());
        }
        return k;
    }

    ast::RelationDecl relation_declaration(const Node& n) const {
        ast::RelationDecl r;
        r.name = name(*n.children.at(0));
        for (std::size_t i = 1; i < n.children.size(); ++i) {
            const Node& c = *n.children[i];
            if (is<g::parameter>(c) && r.parameters.size() == max_arity) {
                throw StatementError{span(c), fmt::format("more than {} parameters", max_arity),
                                     "split the relation in two"};
            } else if (is<g::parameter>(c)) {
                ast::Parameter p{name(*c.children.at(0)), name(*c.children.at(1)), std::nullopt};
                if (c.children.size() > 2) p.default_value = term(*c.children[2]);
                r.parameters.push_back(std::move(p));
            } else {
                r.doc = unescape(c.string_view());
            }
        }
        return r;
    }

    ast::FactsFrom facts(const Node& n) const {
        ast::FactsFrom f;
        f.relation = name(*n.children.at(0));
        f.path = unescape(n.children.at(1)->string_view());
        f.path_span = span(*n.children[1]);
        if (n.children.size() > 2)
            for (const auto& kind : n.children[2]->children) f.declare_kinds.push_back(name(*kind));
        return f;
    }

    ast::Check check(const Node& n) {
        ast::Check c;
        c.name = name(*n.children.at(0));
        bool has_violation = false;
        const auto once = [&](bool& seen, const Node& clause, std::string_view word) {
            if (seen)
                throw StatementError{span(clause), fmt::format("check `{}` has a second `{}` clause", c.name.text, word),
                                     "a check has one of each"};
            seen = true;
        };
        bool has_message = false;
        for (std::size_t i = 1; i < n.children.size(); ++i) {
            const Node& k = *n.children[i];
            if (is<g::warning_flag>(k)) {
                c.warning = true;
            } else if (is<g::string_literal>(k)) {
                c.doc = unescape(k.string_view());
            } else if (is<g::violation_clause>(k)) {
                once(has_violation, k, "violation");
                c.violation = literals(k);
                c.violation_span = span(c.violation.front().span, c.violation.back().span);
            } else if (is<g::subjects_clause>(k)) {
                once(c.has_subjects, k, "subjects");
                for (const auto& s : k.children) {
                    if (is<g::subjects_condition>(*s)) c.subjects_body = literals(*s);
                    else c.subjects.push_back(term(*s));
                }
            } else if (is<g::message_clause>(k)) {
                once(has_message, k, "message");
                c.message = unescape(k.children.at(0)->string_view());
                c.message_span = span(*k.children[0]);
            }
        }
        if (!has_violation)
            throw StatementError{c.name.span, fmt::format("check `{}` has no `violation` clause", c.name.text),
                                 "add `violation LITERALS` to its block"};
        return c;
    }

    ast::Flow flow(const Node& n) {
        ast::Flow f;
        f.name = name(*n.children.at(0));
        for (std::size_t i = 1; i < n.children.size(); ++i) {
            const Node& c = *n.children[i];
            if (is<g::string_literal>(c)) f.label = unescape(c.string_view());
            else if (is<g::tag>(c)) f.tags.push_back(name(*c.children.at(0)));
            else f.steps.push_back(step(c));
        }
        return f;
    }

    ast::Step step(const Node& n) {
        ast::Step s;
        s.name = name(*n.children.at(0));
        s.performer = performer(*n.children.at(1));
        for (std::size_t i = 2; i < n.children.size(); ++i) {
            const Node& c = *n.children[i];
            if (is<g::step_action>(c)) {
                s.action = name(c);
            } else if (is<g::string_literal>(c)) {
                s.doc = unescape(c.string_view());
            } else if (is<g::step_when>(c)) {
                s.when = literals(c);
            } else if (is<g::step_within>(c)) {
                const std::int64_t amount = to_integer(c.children.at(0)->string_view());
                const bool weeks = c.children.at(1)->string_view().front() == 'w';
                if (amount < 0 || (weeks && amount > std::numeric_limits<std::int64_t>::max() / 7))
                    throw StatementError{span(*c.children[0]), "duration out of range",
                                         "`within` takes a number of days or weeks, zero or more"};
                s.within_days = weeks ? amount * 7 : amount;
            }
        }
        return s;
    }

    ast::Performer performer(const Node& n) const {
        using Form = ast::Performer::Form;
        ast::Performer p;
        p.span = span(n);
        const Node& c = *n.children.at(0);
        if (is<g::performer_of>(c)) {
            const std::string_view role = c.children.at(0)->string_view();
            p.form = role == "chair"         ? Form::chair_of
                     : role == "vice_chair"  ? Form::vice_chair_of
                     : role == "members"     ? Form::members_of
                     : role == "sponsors"    ? Form::sponsors_of
                                             : Form::secretariat_of;
            p.target = name(*c.children.at(1));
        } else if (is<g::performer_each>(c) || is<g::performer_any>(c)) {
            p.form = is<g::performer_each>(c) ? Form::each : Form::any;
            p.target = name(*c.children.at(0));
        } else if (is<g::performer_owner>(c)) {
            p.form = Form::owner;
            p.target = {"owner", span(c)};
        } else {
            p.target = name(c);
        }
        return p;
    }

    ast::Seats seats(const Node& n) const {
        ast::Seats s;
        for (const auto& c : n.children) {
            if (is<g::warning_flag>(*c)) s.warning = true;
            else s.rules.push_back(seat_rule(*c));
        }
        return s;
    }

    ast::SeatRule seat_rule(const Node& n) const {
        ast::SeatRule r;
        r.span = span(n);
        r.count = range(*n.children.at(0));
        for (std::size_t i = 1; i < n.children.size(); ++i) {
            const Node& c = *n.children[i];
            if (is<g::seat_from>(c)) {
                r.has_from = true;
                for (const auto& part : c.children) {
                    if (is<g::from_each>(*part)) r.each = true;
                    else if (is<g::seat_in>(*part)) r.in = name(*part->children.at(0));
                    else r.from = name(*part);
                }
            } else {
                r.filters.push_back({name(*c.children.at(0)), term(*c.children.at(1))});
            }
        }
        return r;
    }

    ast::Question question(const Node& n, ast::Question::Form form) const {
        ast::Question q;
        q.form = form;
        for (const auto& c : n.children) q.arguments.push_back(name(*c));
        return q;
    }

    ast::Expect expect(const Node& n) {
        using Form = ast::Expect::Form;
        ast::Expect e;
        if (is<g::expect_holds>(n) || is<g::expect_none>(n)) {
            e.form = is<g::expect_holds>(n) ? Form::holds : Form::none;
            e.query = literals(n);
        } else if (is<g::expect_violation>(n)) {
            e.form = Form::violation;
            e.check = name(*n.children.at(0));
            if (n.children.size() > 1) e.on = name(*n.children[1]->children.at(0));
        } else {
            e.form = Form::no_violations;
        }
        return e;
    }

    ast::Remove remove(const Node& n) const {
        ast::Remove r;
        if (is<g::atom>(n)) r.fact = atom(n);
        else r.entity = name(n);
        return r;
    }

    SourceId source_;
    Diagnostics& diagnostics_;
    std::size_t operators_ = 0;  // in the comparison being built
    std::size_t literals_ = 0;   // in the statement being built
};

}  // namespace

ast::File parse(const SourceManager& sources, SourceId source, Diagnostics& diagnostics) {
    const SourceFile& file = sources.file(source);
    ast::File result;
    result.source = source;
    // Files are refused before they are read (lang/imports.cpp); text given to the API or typed
    // at the REPL is held to the same limit, since parsing takes ~100 bytes per byte of text.
    if (file.text.size() > max_model_bytes) {
        diagnostics.error(Span{source, 0, 0},
                          fmt::format("`{}` is {} bytes, more than the {} MiB a model may have", file.name,
                                      file.text.size(), max_model_bytes >> 20),
                          "bulk data belongs in a data file: `facts r from \"file.csv\"`");
        return result;
    }
    grammar::State state(file.text, source, diagnostics);
    state.check_lexical();
    tao::pegtl::memory_input<> in(file.text.data(), file.text.size(), file.name);
    std::unique_ptr<Node> root;
    try {
        root = tao::pegtl::parse_tree::parse<grammar::file, grammar::selector, tao::pegtl::nothing, grammar::control>(
            in, state);
    } catch (const tao::pegtl::parse_error&) {
        // Every raise is caught by its statement's try_catch<> and recorded; nothing to add.
    }
    if (root) result.statements = Builder(source, diagnostics).statements(*root);
    return result;
}

}  // namespace charter::lang
