// Rules, checks, queries and expectations → engine rules over numbered variables (§4, §7, §9):
// range restriction, aggregates' grouping variables, and closures `r+` / `r*` as rules.
#include "resolver.hpp"

#include <fmt/format.h>
#include <set>

namespace charter::lang {

using engine::RelationId;
using engine::Value;
using engine::VarId;

struct Resolver::Scope {
    std::map<std::string, VarId> named;
    std::vector<std::string> var_names;  // "" for `_`
    std::map<VarId, Span> first_use;

    VarId variable(const std::string& name, Span span) {
        if (!name.empty())
            if (auto it = named.find(name); it != named.end()) return it->second;
        auto id = static_cast<VarId>(var_names.size());
        var_names.push_back(name);
        if (!name.empty()) named.emplace(name, id);
        first_use.emplace(id, span);
        return id;
    }
    [[nodiscard]] std::uint32_t count() const { return static_cast<std::uint32_t>(var_names.size()); }
};

namespace {

void term_vars(const engine::Term& t, std::set<VarId>& out) {
    if (t.is_variable()) out.insert(t.var);
}
void expr_vars(const engine::Expr& e, std::set<VarId>& out) {
    if (e.kind == engine::Expr::Kind::term) term_vars(e.term, out);
    for (const auto& o : e.operands) expr_vars(o, out);
}
/// Every variable a literal mentions, inside aggregates too.
void literal_vars(const engine::Literal& l, std::set<VarId>& out) {
    for (const auto& t : l.args) term_vars(t, out);
    if (l.kind == engine::Literal::Kind::compare) {
        expr_vars(l.left, out);
        expr_vars(l.right, out);
    }
    if (l.kind == engine::Literal::Kind::aggregate) {
        out.insert(l.result);
        for (const auto& b : l.body) literal_vars(b, out);
    }
    if (l.kind == engine::Literal::Kind::is_entity) out.insert(l.var);
}

/// The variables a body binds for the rule: all but those local to an aggregate's body.
std::set<VarId> outer_vars(const std::vector<engine::Literal>& body) {
    std::set<VarId> out;
    for (const auto& l : body) {
        if (l.kind == engine::Literal::Kind::aggregate) out.insert(l.result);
        else literal_vars(l, out);
    }
    return out;
}

engine::CompareOp compare_op(const std::string& op) {
    if (op == "!=") return engine::CompareOp::ne;
    if (op == "<") return engine::CompareOp::lt;
    if (op == "<=") return engine::CompareOp::le;
    if (op == ">") return engine::CompareOp::gt;
    if (op == ">=") return engine::CompareOp::ge;
    return engine::CompareOp::eq;
}

}  // namespace

std::optional<RelationId> Resolver::closure(const ast::Atom& atom, RelationId base) {
    const char suffix = atom.closure == ast::Closure::plus ? '+' : '*';
    std::string name = program().relations[base].name + suffix;
    if (auto it = names().relations.find(name); it != names().relations.end()) return it->second;
    const auto info = program().relations[base];
    bool same_types = info.arity() == 2 && info.types[0].kind == info.types[1].kind &&
                      info.types[0].entity_kind == info.types[1].entity_kind;
    if (!same_types) {
        diags_.error(atom.relation.span,
                     fmt::format("`{}{}` needs a binary relation whose two parameters have the same type", info.name, suffix),
                     info.arity() == 2 ? fmt::format("`{}` takes {} and {}", info.name, describe_type(info.types[0]),
                                                     describe_type(info.types[1]))
                                       : fmt::format("`{}` takes {} arguments", info.name, info.arity()));
        return std::nullopt;
    }
    // r+ first: r* is r+ plus the reflexive pairs.
    RelationId plus;
    if (auto it = names().relations.find(info.name + "+"); it != names().relations.end()) {
        plus = it->second;
    } else {
        plus = declare_relation({info.name + "+", info.parameters, info.types, {{}, {}},
                                 fmt::format("transitive closure of {}", info.name), info.declared_at, true});
        using engine::Term;
        engine::Rule step{plus, {Term::variable(0), Term::variable(1)},
                          {engine::Literal::positive(base, {Term::variable(0), Term::variable(1)})},
                          2, {"a", "b"}, info.declared_at, false};
        engine::Rule chain{plus, {Term::variable(0), Term::variable(2)},
                           {engine::Literal::positive(base, {Term::variable(0), Term::variable(1)}),
                            engine::Literal::positive(plus, {Term::variable(1), Term::variable(2)})},
                           3, {"a", "b", "c"}, info.declared_at, false};
        program().rules.push_back(std::move(step));
        program().rules.push_back(std::move(chain));
        program().closures.emplace_back(plus, base);
    }
    if (suffix == '+') return plus;
    RelationId star = declare_relation({info.name + "*", info.parameters, info.types, {{}, {}},
                                        fmt::format("reflexive transitive closure of {}", info.name), info.declared_at, true});
    using engine::Literal;
    using engine::Term;
    program().rules.push_back({star, {Term::variable(0), Term::variable(1)},
                               {Literal::positive(plus, {Term::variable(0), Term::variable(1)})},
                               2, {"a", "b"}, info.declared_at, false});
    // §4: r*(a, a) for every entity of the parameters' type.
    std::vector<Term> kind_args{Term::variable(0), Term::variable(1)};
    if (info.types[0].kind == engine::ParamType::Kind::entity) kind_args[1] = Term::of(info.types[0].entity_kind);
    program().rules.push_back({star, {Term::variable(0), Term::variable(0)},
                               {Literal::positive(engine::Program::kind_relation, kind_args)},
                               2, {"a", "k"}, info.declared_at, false});
    return star;
}

std::optional<engine::Term> Resolver::lower_term(const ast::Term& term, Scope& scope, RelationId relation, std::size_t param) {
    switch (term.kind) {
    case ast::Term::Kind::variable: return engine::Term::variable(scope.variable(term.text, term.span));
    case ast::Term::Kind::anonymous: return engine::Term::variable(scope.variable("", term.span));
    case ast::Term::Kind::arithmetic:
        diags_.error(term.span, "arithmetic is only allowed in comparisons", "bind it first: `?n = ?a + 1`");
        return std::nullopt;
    default: break;
    }
    auto value = constant(term, relation, param);
    if (!value) return std::nullopt;
    return engine::Term::of(*value);
}

std::optional<engine::Literal> Resolver::lower_atom(const ast::Atom& atom, Scope& scope, bool negated) {
    auto base = relation(atom.relation);
    if (!base) return std::nullopt;
    RelationId r = *base;
    if (atom.closure != ast::Closure::none) {
        auto c = closure(atom, r);
        if (!c) return std::nullopt;
        r = *c;
    }
    const auto info = program().relations[r];
    engine::Literal literal;
    literal.kind = negated ? engine::Literal::Kind::negation : engine::Literal::Kind::atom;
    literal.relation = r;
    std::vector<std::optional<engine::Term>> args(info.arity());
    bool named = false;
    std::size_t position = 0;
    for (const auto& argument : atom.arguments) {
        std::size_t index = position;
        if (argument.parameter) {
            named = true;
            auto p = std::find(info.parameters.begin(), info.parameters.end(), argument.parameter->text);
            if (p == info.parameters.end()) {
                diags_.error(argument.parameter->span, fmt::format("`{}` has no parameter `{}`", info.name, argument.parameter->text),
                             did_you_mean(suggest(argument.parameter->text, info.parameters)));
                return std::nullopt;
            }
            index = static_cast<std::size_t>(p - info.parameters.begin());
        } else {
            ++position;
        }
        if (index >= info.arity()) break;  // reported below
        auto t = lower_term(argument.value, scope, r, index);
        if (!t) return std::nullopt;
        args[index] = *t;
    }
    if (!named && position != info.arity() && names().check_names.contains(info.name) && info.arity() == 1) {
        diags_.error(atom.span, fmt::format("`{}` is a check, whose relation takes 1 argument (a subject), but {} {} given", info.name,
                                            atom.arguments.size(), atom.arguments.size() == 1 ? "is" : "are"),
                     "give the rule another name; a check's name is also a relation (§7)");
        return std::nullopt;
    }
    if (!named && position != info.arity()) {
        // (All of them: `position` stops counting one past the parameters.)
        diags_.error(atom.span, fmt::format("`{}` takes {} argument{}, but {} {} given", info.name, info.arity(),
                                            info.arity() == 1 ? "" : "s", atom.arguments.size(),
                                            atom.arguments.size() == 1 ? "is" : "are"),
                     fmt::format("its parameters are ({}); name arguments (`{}: …`) to leave some out", fmt::join(info.parameters, ", "),
                                 info.parameters.empty() ? "p" : info.parameters.back()));
        return std::nullopt;
    }
    if (named && position > info.arity()) {
        diags_.error(atom.span, fmt::format("`{}` takes {} arguments", info.name, info.arity()));
        return std::nullopt;
    }
    for (auto& a : args) literal.args.push_back(a ? *a : engine::Term::variable(scope.variable("", atom.span)));
    return literal;
}

std::optional<engine::Expr> Resolver::lower_expr(const ast::Term& term, Scope& scope) {
    engine::Expr e;
    switch (term.kind) {
    case ast::Term::Kind::arithmetic: {
        const auto& a = term.arithmetic.at(0);
        e.kind = a.op == '+' ? engine::Expr::Kind::add : a.op == '-' ? engine::Expr::Kind::subtract : engine::Expr::Kind::multiply;
        for (const auto& operand : a.operands) {
            auto o = lower_expr(operand, scope);
            if (!o) return std::nullopt;
            e.operands.push_back(std::move(*o));
        }
        return e;
    }
    case ast::Term::Kind::variable: e.term = engine::Term::variable(scope.variable(term.text, term.span)); return e;
    case ast::Term::Kind::anonymous:
        diags_.error(term.span, "`_` cannot be compared", "name the variable: `?x`");
        return std::nullopt;
    case ast::Term::Kind::integer: e.term = engine::Term::of(symbols_.integer(term.integer)); return e;
    case ast::Term::Kind::string: e.term = engine::Term::of(symbols_.string(term.text)); return e;
    case ast::Term::Kind::none: e.term = engine::Term::of(engine::none_value); return e;
    case ast::Term::Kind::name: {
        auto v = entity({term.text, term.span});
        if (!v) return std::nullopt;
        e.term = engine::Term::of(*v);
        return e;
    }
    case ast::Term::Kind::range:
        diags_.error(term.span, "a range is only allowed in seat rules and `size`");
        return std::nullopt;
    }
    return std::nullopt;
}

bool Resolver::lower_body(const std::vector<ast::Literal>& literals, Scope& scope, std::vector<engine::Literal>& out) {
    bool ok = true;
    for (const auto& l : literals) {
        switch (l.kind) {
        case ast::Literal::Kind::positive:
        case ast::Literal::Kind::negative: {
            auto atom = lower_atom(l.atom, scope, l.kind == ast::Literal::Kind::negative);
            if (atom) out.push_back(std::move(*atom));
            else ok = false;
            break;
        }
        case ast::Literal::Kind::comparison: {
            if (l.aggregate) {
                const auto& agg = *l.aggregate;
                engine::Literal a;
                a.kind = engine::Literal::Kind::aggregate;
                const std::string& f = agg.function.text;
                if (f == "count") a.function = engine::AggregateFunction::count;
                else if (f == "sum") a.function = engine::AggregateFunction::sum;
                else if (f == "min") a.function = engine::AggregateFunction::min;
                else if (f == "max") a.function = engine::AggregateFunction::max;
                else {
                    diags_.error(agg.function.span, fmt::format("unknown aggregate `{}`", f), "the aggregates are count, sum, min and max");
                    ok = false;
                    break;
                }
                if (l.left.kind != ast::Term::Kind::variable || l.op != "=") {
                    diags_.error(l.span, "an aggregate is bound to a variable: `?n = count(…)`");
                    ok = false;
                    break;
                }
                a.result = scope.variable(l.left.text, l.left.span);
                for (const auto& v : agg.variables) {
                    if (v.kind != ast::Term::Kind::variable) {
                        diags_.error(v.span, "an aggregate lists variables before `:`");
                        ok = false;
                        continue;
                    }
                    a.over.push_back(scope.variable(v.text, v.span));
                }
                if ((a.function != engine::AggregateFunction::count) && a.over.empty()) {
                    diags_.error(agg.span, fmt::format("`{}` needs the variable to aggregate: `{}(?x : …)`", f, f));
                    ok = false;
                }
                if (!lower_body(agg.body, scope, a.body)) ok = false;
                out.push_back(std::move(a));
                break;
            }
            engine::Literal c;
            c.kind = engine::Literal::Kind::compare;
            c.op = compare_op(l.op);
            auto left = lower_expr(l.left, scope);
            auto right = lower_expr(l.right, scope);
            if (!left || !right) {
                ok = false;
                break;
            }
            c.left = std::move(*left);
            c.right = std::move(*right);
            out.push_back(std::move(c));
            break;
        }
        }
    }
    return ok;
}

bool Resolver::check_range_restriction(const std::vector<engine::Literal>& body, const std::vector<engine::Term>& head,
                                       const Scope& scope, Span span) {
    using K = engine::Literal::Kind;
    // Variables shared between an aggregate and the rest are its grouping variables (§4).
    // (Computed on a copy the caller's literals are updated from below.)
    std::set<VarId> bound;
    std::vector<bool> done(body.size(), false);
    for (bool progress = true; progress;) {
        progress = false;
        for (std::size_t i = 0; i < body.size(); ++i) {
            if (done[i]) continue;
            const auto& l = body[i];
            std::set<VarId> vars;
            bool runs = false;
            switch (l.kind) {
            case K::atom: runs = true; literal_vars(l, vars); break;
            case K::compare:
                if (l.op == engine::CompareOp::eq) {
                    std::set<VarId> lv, rv;
                    expr_vars(l.left, lv);
                    expr_vars(l.right, rv);
                    auto all_bound = [&](const std::set<VarId>& s) {
                        return std::all_of(s.begin(), s.end(), [&](VarId v) { return bound.contains(v); });
                    };
                    bool left_var = l.left.kind == engine::Expr::Kind::term && l.left.term.is_variable();
                    bool right_var = l.right.kind == engine::Expr::Kind::term && l.right.term.is_variable();
                    if ((left_var && all_bound(rv)) || (right_var && all_bound(lv))) {
                        runs = true;
                        vars.insert(lv.begin(), lv.end());
                        vars.insert(rv.begin(), rv.end());
                    }
                }
                break;
            case K::aggregate:
                runs = std::all_of(l.group.begin(), l.group.end(), [&](VarId v) { return bound.contains(v); });
                vars.insert(l.result);
                break;
            default: break;
            }
            if (runs) {
                bound.insert(vars.begin(), vars.end());
                done[i] = true;
                progress = true;
            }
        }
    }
    bool ok = true;
    auto unbound = [&](VarId v, std::string_view where) {
        if (bound.contains(v) || scope.var_names[v].empty()) return;
        auto use = scope.first_use.find(v);
        diags_.error(use == scope.first_use.end() ? span : use->second,
                     fmt::format("variable `?{}` is not bound by any positive literal {}", scope.var_names[v], where),
                     "every variable must occur in a positive literal (rules must be range-restricted)");
        ok = false;
    };
    for (std::size_t i = 0; i < body.size(); ++i) {
        const auto& l = body[i];
        if (l.kind == K::negation) {
            for (const auto& t : l.args)
                if (t.is_variable()) unbound(t.var, "(it occurs in `not`)");
        } else if (l.kind == K::compare && !done[i]) {
            std::set<VarId> vars;
            literal_vars(l, vars);
            for (VarId v : vars) unbound(v, "(it occurs in a comparison)");
        } else if (l.kind == K::aggregate && !done[i]) {
            for (VarId v : l.group) unbound(v, "(it groups an aggregate)");
        }
    }
    for (const auto& t : head)
        if (t.is_variable()) {
            if (scope.var_names[t.var].empty()) {
                diags_.error(span, "`_` cannot stand in a rule's head");
                ok = false;
            } else {
                unbound(t.var, "in the body");
            }
        }
    return ok;
}

namespace {
/// Sets each aggregate's `group`: its variables that also occur elsewhere in the rule (§4).
void assign_groups(std::vector<engine::Literal>& body, const std::vector<engine::Term>& head) {
    for (std::size_t i = 0; i < body.size(); ++i) {
        auto& l = body[i];
        if (l.kind != engine::Literal::Kind::aggregate) continue;
        // Outside means in the head or in a literal that is not an aggregate: a variable that
        // only occurs inside aggregates is local to each of them.
        std::set<VarId> outside;
        for (const auto& t : head) term_vars(t, outside);
        for (std::size_t j = 0; j < body.size(); ++j) {
            if (j == i) continue;
            if (body[j].kind == engine::Literal::Kind::aggregate) outside.insert(body[j].result);
            else literal_vars(body[j], outside);
        }
        std::set<VarId> inside;
        for (const auto& b : l.body) literal_vars(b, inside);
        for (VarId v : l.over) inside.insert(v);
        l.group.clear();
        for (VarId v : inside)
            if (outside.contains(v) && v != l.result) l.group.push_back(v);
        assign_groups(l.body, {});
    }
}
}  // namespace

void Resolver::lower_rule(const ast::Rule& rule, Span span) {
    if (rule.head.closure != ast::Closure::none) {
        diags_.error(rule.head.relation.span, "a rule cannot define a closure `r+` or `r*`: they are derived from `r`");
        return;
    }
    Scope scope;
    std::vector<engine::Literal> body;
    bool ok = lower_body(rule.body, scope, body);
    auto head = lower_atom(rule.head, scope, false);
    if (!head || !ok) return;
    assign_groups(body, head->args);
    if (!check_range_restriction(body, head->args, scope, span)) return;
    if (rule.body.empty()) {
        // A rule without a body is a fact stated through a rule.
        std::vector<Value> tuple;
        for (const auto& t : head->args) tuple.push_back(t.constant);
        add_fact(head->relation, tuple, span);
        return;
    }
    program().rules.push_back({head->relation, head->args, std::move(body), scope.count(), scope.var_names, location(span), false});
}

void Resolver::lower_condition(RelationId head, std::vector<Value> head_args, const std::vector<ast::Literal>& literals,
                               Span span) {
    Scope scope;
    std::vector<engine::Literal> body;
    if (!lower_body(literals, scope, body)) return;
    std::vector<engine::Term> head_terms;
    for (Value v : head_args) head_terms.push_back(engine::Term::of(v));
    assign_groups(body, head_terms);
    if (!check_range_restriction(body, head_terms, scope, span)) return;
    program().rules.push_back({head, head_terms, std::move(body), scope.count(), scope.var_names, location(span), false});
}

bool Resolver::lower_query(const std::vector<ast::Literal>& literals, Span span, engine::Query& out) {
    Scope scope;
    std::vector<engine::Literal> body;
    if (!lower_body(literals, scope, body)) return false;
    std::vector<engine::Term> columns;
    const auto outer = outer_vars(body);
    for (VarId v = 0; v < scope.count(); ++v)
        if (!scope.var_names[v].empty() && outer.contains(v)) {
            out.columns.push_back(v);
            columns.push_back(engine::Term::variable(v));
        }
    assign_groups(body, columns);
    if (!check_range_restriction(body, columns, scope, span)) return false;
    out.body = std::move(body);
    out.var_count = scope.count();
    out.var_names = scope.var_names;
    out.location = location(span);
    return true;
}

bool lower_query(Model& model, engine::Symbols& symbols, const SourceManager& sources, const std::vector<ast::Literal>& body,
                 Span where, engine::Query& out, Diagnostics& diagnostics) {
    PathPolicy no_files;
    Resolver resolver(const_cast<SourceManager&>(sources), no_files, symbols, diagnostics, model);
    return resolver.lower_query(body, where, out);
}

void Resolver::lower_query_statement(const ast::Query& query, Span span) {
    engine::Query q;
    if (!lower_query(query.body, span, q)) return;
    program().queries.push_back(std::move(q));
    names().query_texts.emplace_back(sources_.text(span));
}

void Resolver::lower_question_statement(const ast::Question& question, Span span) {
    (void)question;
    names().questions.push_back({std::string(sources_.text(span)), span});
}

void Resolver::lower_check(const ast::Check& check, Span span) {
    auto relation_it = names().relations.find(check.name.text);
    if (relation_it == names().relations.end()) return;  // a name clash, reported when declared
    Scope scope;
    std::vector<engine::Literal> body;
    if (!lower_body(check.violation, scope, body)) return;
    std::vector<engine::Term> columns;
    std::vector<std::string> column_names;
    const auto outer = outer_vars(body);
    for (VarId v = 0; v < scope.count(); ++v)
        if (!scope.var_names[v].empty() && outer.contains(v)) {
            columns.push_back(engine::Term::variable(v));
            column_names.push_back(scope.var_names[v]);
        }
    assign_groups(body, columns);
    if (!check_range_restriction(body, columns, scope, check.violation_span)) return;

    engine::RelationInfo info;
    info.name = check.name.text + "/violations";
    info.parameters = column_names;
    info.types.resize(columns.size());
    info.defaults.resize(columns.size());
    info.implicit = true;
    info.declared_at = location(check.name.span);
    RelationId violations = declare_relation(std::move(info));
    program().rules.push_back({violations, columns, body, scope.count(), scope.var_names, location(check.violation_span), true});

    // The check relation c(subject): each subject of each violation (§7).
    using engine::Literal;
    engine::Literal all = Literal::positive(violations, columns);
    std::vector<engine::Literal> subjects_body;
    std::vector<VarId> subject_vars;
    if (check.has_subjects) {
        for (const auto& t : check.subjects) {
            if (t.kind != ast::Term::Kind::variable) {
                diags_.error(t.span, "`subjects` lists variables: `subjects ?a, ?b`");
                return;
            }
            subject_vars.push_back(scope.variable(t.text, t.span));
        }
        if (!lower_body(check.subjects_body, scope, subjects_body)) return;
    } else {
        for (const auto& c : columns) subject_vars.push_back(c.var);
    }
    for (VarId v : subject_vars) {
        std::vector<engine::Literal> rule_body{all};
        rule_body.insert(rule_body.end(), subjects_body.begin(), subjects_body.end());
        rule_body.push_back(Literal::entity_test(v));
        std::vector<engine::Term> head{engine::Term::variable(v)};
        assign_groups(rule_body, head);
        if (!check_range_restriction(rule_body, head, scope, check.subjects.empty() ? span : check.subjects.front().span)) return;
        program().rules.push_back({relation_it->second, head, rule_body, scope.count(), scope.var_names, location(span), false});
    }
    engine::Check c;
    c.name = check.name.text;
    c.doc = check.doc.value_or("");
    c.warning = check.warning;
    c.violations = violations;
    c.relation = relation_it->second;
    c.var_names = column_names;
    c.message = check.message.value_or(check.doc.value_or(check.name.text));
    c.location = location(check.name.span);
    program().checks.push_back(std::move(c));
    names().check_subjects.push_back(std::move(subjects_body));
    names().check_subject_vars.push_back(std::move(subject_vars));
    names().check_subject_var_counts.push_back(scope.count());
    names().check_columns.push_back(columns);
}

void Resolver::lower_expect(const ast::Expect& expect, Span span) {
    engine::Expectation e;
    e.location = location(span);
    using F = ast::Expect::Form;
    switch (expect.form) {
    case F::holds:
    case F::none:
        e.form = expect.form == F::holds ? engine::Expectation::Form::holds : engine::Expectation::Form::none;
        if (!lower_query(expect.query, span, e.query)) return;
        break;
    case F::violation: {
        e.form = engine::Expectation::Form::violation;
        e.check = expect.check->text;
        if (!names().check_names.contains(e.check)) {
            std::vector<std::string> all(names().check_names.begin(), names().check_names.end());
            diags_.error(expect.check->span, fmt::format("unknown check `{}`", e.check), did_you_mean(suggest(e.check, all)));
            return;
        }
        if (expect.on) {
            auto v = entity(*expect.on);
            if (!v) return;
            e.on = *v;
        }
        break;
    }
    case F::no_violations: e.form = engine::Expectation::Form::no_violations; break;
    }
    program().expectations.push_back(std::move(e));
    names().expectation_texts.emplace_back(sources_.text(span));
}

}  // namespace charter::lang
