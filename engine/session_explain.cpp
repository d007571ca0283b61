// `:why` and `:whynot` (§9): explanations read from the evaluated database. A derived tuple
// records only the statement it rests on, not its premises, so a derivation is rebuilt by
// search: for a rule of the fact's relation, its body runs as a query with the head bound, and
// each premise of a solution is explained in turn, down to stated facts. Nothing here changes
// the model. (Named session_*.cpp because it needs Session::Impl, which lives in the library.)
#include "session_impl.hpp"

#include "lang/parser.hpp"

#include <fmt/format.h>

#include <chrono>
#include <deque>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace charter {
namespace {

using engine::Literal;
using engine::RelationId;
using engine::Rule;
using engine::Term;
using engine::Value;
using engine::VarId;
using Tuple = std::vector<Value>;
using Binding = std::vector<std::optional<Value>>;  // per variable of a rule

// Search bounds. A derivation is searched depth-first with iterative deepening (the shallowest
// tree wins), so a recursive rule cannot loop; these keep a pathological model fast.
constexpr std::size_t max_attempts = 20'000;    // facts the search may try to explain
constexpr std::size_t max_solutions = 64;       // solutions of one rule's body tried per fact
constexpr std::size_t max_candidate_rows = 4096; // solutions read before ranking them
constexpr std::size_t max_tree = 150;           // facts shown in one derivation
constexpr std::size_t max_nearest = 6;          // nearest facts shown per blocker
constexpr std::size_t max_reach = 8;            // entities named when a closure has no chain
constexpr std::size_t depth_limits[] = {4, 8, 16, 32, 64};

struct TupleHash {
    std::size_t operator()(const Tuple& t) const {
        std::size_t h = t.size();
        for (Value v : t) h = h * 0x9E3779B97F4A7C15ull + v.bits;
        return h;
    }
};
struct Fact {
    RelationId relation = 0;
    Tuple tuple;
    friend bool operator==(const Fact&, const Fact&) = default;
};
struct FactHash {
    std::size_t operator()(const Fact& f) const { return TupleHash{}(f.tuple) * 31 + f.relation; }
};

// ---- Charter text of values, facts, literals and rules ---------------------------------------

// §1: an identifier is a letter or `_` (letters include Latin-1 and Latin Extended), then
// letters, digits and `_`; dotted names join identifiers.
bool is_identifier_part(std::string_view text) {
    if (text.empty()) return false;
    bool first = true;
    for (std::size_t i = 0; i < text.size();) {
        auto c = static_cast<unsigned char>(text[i]);
        std::uint32_t cp = c;
        std::size_t n = 1;
        if (c >= 0xC0 && c < 0xE0 && i + 1 < text.size()) {
            cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3Fu);
            n = 2;
        } else if (c >= 0x80) {
            return false;
        }
        const bool letter = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '_' ||
                            (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7);
        const bool digit = cp >= '0' && cp <= '9';
        if (!letter && (first || !digit)) return false;
        first = false;
        i += n;
    }
    return true;
}

bool is_identifier(std::string_view name) {
    for (std::size_t start = 0;;) {
        auto dot = name.find('.', start);
        if (!is_identifier_part(name.substr(start, dot == std::string_view::npos ? dot : dot - start))) return false;
        if (dot == std::string_view::npos) return true;
        start = dot + 1;
    }
}

std::string quoted(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out + '"';
}

std::string collapse_spaces(std::string_view text) {
    std::string out;
    bool space = false;
    for (char c : text) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = true;
            continue;
        }
        if (space && !out.empty()) out += ' ';
        space = false;
        out += c;
    }
    return out;
}

const char* op_text(engine::CompareOp op) {
    switch (op) {
    case engine::CompareOp::eq: return "=";
    case engine::CompareOp::ne: return "!=";
    case engine::CompareOp::lt: return "<";
    case engine::CompareOp::le: return "<=";
    case engine::CompareOp::gt: return ">";
    case engine::CompareOp::ge: return ">=";
    }
    return "=";
}

const char* function_text(engine::AggregateFunction f) {
    switch (f) {
    case engine::AggregateFunction::count: return "count";
    case engine::AggregateFunction::sum: return "sum";
    case engine::AggregateFunction::min: return "min";
    case engine::AggregateFunction::max: return "max";
    }
    return "count";
}

void literal_variables(const Literal& l, std::vector<VarId>& out);
void expr_variables(const engine::Expr& e, std::vector<VarId>& out) {
    if (e.kind == engine::Expr::Kind::term && e.term.is_variable()) out.push_back(e.term.var);
    for (const auto& o : e.operands) expr_variables(o, out);
}
/// The variables a literal binds for the rest of its rule (an aggregate: only its result; its
/// body's variables are its own).
void literal_variables(const Literal& l, std::vector<VarId>& out) {
    switch (l.kind) {
    case Literal::Kind::atom:
    case Literal::Kind::negation:
        for (const auto& t : l.args)
            if (t.is_variable()) out.push_back(t.var);
        break;
    case Literal::Kind::compare:
        expr_variables(l.left, out);
        expr_variables(l.right, out);
        break;
    case Literal::Kind::aggregate:
        out.push_back(l.result);
        for (VarId v : l.group) out.push_back(v);
        break;
    case Literal::Kind::is_entity: out.push_back(l.var); break;
    }
}

/// The variables a literal can bind: those of atoms, comparisons and aggregates' results, not
/// a negation's (which only tests).
void binding_variables(const Literal& l, std::vector<VarId>& out) {
    if (l.kind == Literal::Kind::negation || l.kind == Literal::Kind::is_entity) return;
    if (l.kind == Literal::Kind::aggregate) {
        out.push_back(l.result);
        return;
    }
    literal_variables(l, out);
}

engine::Literal binder(VarId v, Value value) {
    Literal bind;
    bind.kind = Literal::Kind::compare;
    bind.left.term = Term::variable(v);
    bind.right.term = Term::of(value);
    return bind;
}

// ---- the explainer ---------------------------------------------------------------------------

/// One node of the derivation graph found by the search; facts explained once are shared.
struct Node {
    Derivation head;                 // fact, stated, location, rule; premises left empty
    std::vector<std::size_t> premises;
};

class Explainer {
public:
    explicit Explainer(Session::Impl& s)
        : s_(s), program_(s.model.program), rules_by_head_(program_.relations.size()),
          started_(std::chrono::steady_clock::now()) {
        for (std::size_t i = 0; i < program_.rules.size(); ++i)
            if (program_.rules[i].head < rules_by_head_.size()) rules_by_head_[program_.rules[i].head].push_back(i);
        for (const auto& c : program_.checks) {
            check_by_violations_.emplace(c.violations, &c);
            check_by_relation_.emplace(c.relation, &c);
        }
    }

    [[nodiscard]] bool stopped() const { return stopped_; }

    // ---- text ----

    [[nodiscard]] std::string value(Value v) const {
        switch (v.tag()) {
        case engine::ValueTag::none: return "none";
        case engine::ValueTag::integer: return std::to_string(s_.symbols.integer_value(v));
        case engine::ValueTag::string: return quoted(s_.symbols.string_text(v));
        case engine::ValueTag::entity: {
            return written_name(s_.symbols.entity_name(v));
        }
        }
        return "none";
    }

    /// `r(a, b)`; a check's violation as `violation c(var: value, …)`.
    [[nodiscard]] std::string atom(RelationId r, const std::vector<std::string>& args) const {
        const auto& info = program_.relations[r];
        if (auto c = check_by_violations_.find(r); c != check_by_violations_.end()) {
            std::vector<std::string> named;
            for (std::size_t i = 0; i < args.size() && i < info.parameters.size(); ++i)
                named.push_back(fmt::format("{}: {}", info.parameters[i], args[i]));
            return fmt::format("violation {}({})", c->second->name, fmt::join(named, ", "));
        }
        return fmt::format("{}({})", info.name, fmt::join(args, ", "));
    }

    [[nodiscard]] std::string fact(RelationId r, std::span<const Value> t) const {
        std::vector<std::string> args;
        for (Value v : t) args.push_back(value(v));
        return atom(r, args);
    }

    [[nodiscard]] std::string pattern(RelationId r, const Binding& p) const {
        std::vector<std::string> args;
        for (const auto& v : p) args.push_back(v ? value(*v) : "_");
        return atom(r, args);
    }

    [[nodiscard]] std::string term(const Term& t, const Binding& b, const std::vector<std::string>& names) const {
        if (!t.is_variable()) return value(t.constant);
        if (t.var < b.size() && b[t.var]) return value(*b[t.var]);
        if (t.var < names.size() && !names[t.var].empty()) return "?" + names[t.var];
        return "_";
    }

    [[nodiscard]] std::string expr(const engine::Expr& e, const Binding& b, const std::vector<std::string>& names) const {
        if (e.kind == engine::Expr::Kind::term) return term(e.term, b, names);
        const char* op = e.kind == engine::Expr::Kind::add ? " + " : e.kind == engine::Expr::Kind::subtract ? " - " : " * ";
        return fmt::format("({}{}{})", expr(e.operands.at(0), b, names), op, expr(e.operands.at(1), b, names));
    }

    [[nodiscard]] std::string literal(const Literal& l, const Binding& b, const std::vector<std::string>& names) const {
        switch (l.kind) {
        case Literal::Kind::atom:
        case Literal::Kind::negation: {
            std::vector<std::string> args;
            for (const auto& t : l.args) args.push_back(term(t, b, names));
            return (l.kind == Literal::Kind::negation ? "not " : "") + atom(l.relation, args);
        }
        case Literal::Kind::compare:
            return fmt::format("{} {} {}", expr(l.left, b, names), op_text(l.op), expr(l.right, b, names));
        case Literal::Kind::aggregate: {
            std::vector<std::string> over, body;
            for (VarId v : l.over) over.push_back(term(Term::variable(v), b, names));
            for (const auto& inner : l.body) body.push_back(literal(inner, b, names));
            std::string call = fmt::format("{}({}{}{})", function_text(l.function), fmt::join(over, ", "),
                                           over.empty() ? "" : " : ", fmt::join(body, ", "));
            if (l.result < b.size() && b[l.result]) return fmt::format("{} = {}", call, value(*b[l.result]));
            return fmt::format("{} = {}", term(Term::variable(l.result), b, names), call);
        }
        case Literal::Kind::is_entity: return fmt::format("{} is an entity", term(Term::variable(l.var), b, names));
        }
        return "";
    }

    /// The rule as written (`rule …`), or as the engine holds it when a declaration generated it.
    [[nodiscard]] std::string rule_text(const Rule& rule) const {
        if (auto c = check_by_violations_.find(rule.head); c != check_by_violations_.end())
            return fmt::format("check {}: violation {}", c->second->name, collapse_spaces(source_text(rule.location)));
        if (auto c = check_by_relation_.find(rule.head); c != check_by_relation_.end())
            return fmt::format("check {}: a violation's subjects", c->second->name);
        std::string written = collapse_spaces(source_text(rule.location));
        if (written.starts_with("rule ")) return written;
        Binding none(rule.var_count);
        std::vector<std::string> head, body;
        for (const auto& t : rule.head_args) head.push_back(term(t, none, rule.var_names));
        for (const auto& l : rule.body) body.push_back(literal(l, none, rule.var_names));
        return fmt::format("rule {} :- {}", atom(rule.head, head), fmt::join(body, ", "));
    }

    [[nodiscard]] std::string_view source_text(engine::LocationId id) const {
        auto span = s_.span_of(id);
        if (span.source == lang::no_source || span.source >= s_.sources.size()) return {};
        return s_.sources.text(span);
    }

    [[nodiscard]] std::string where(engine::LocationId id) const {
        auto l = s_.locate(id);
        return l.file.empty() ? "" : fmt::format("{}:{}", l.file, l.line);
    }

    // ---- facts ----

    /// Where `t` is stated, if it is (the location of its first statement).
    std::optional<engine::LocationId> stated(RelationId r, std::span<const Value> t) {
        // Per relation, built on first use: (hash, fact number) pairs sorted by hash. Flat, so
        // that a relation of a million facts indexes in milliseconds.
        auto [it, fresh] = stated_.try_emplace(r);
        auto& index = it->second;
        const auto& facts = program_.facts[r];
        const std::size_t arity = program_.relations[r].arity();
        auto fact_at = [&](std::size_t i) {
            return std::span<const Value>(facts.values.data() + i * arity, arity);
        };
        if (fresh) {
            index.reserve(facts.locations.size());
            for (std::size_t i = 0; i < facts.locations.size(); ++i)
                index.emplace_back(hash(fact_at(i)), static_cast<std::uint32_t>(i));
            std::sort(index.begin(), index.end());
        }
        const std::size_t h = hash(t);
        for (auto at = std::lower_bound(index.begin(), index.end(), std::pair<std::size_t, std::uint32_t>(h, 0));
             at != index.end() && at->first == h; ++at) {
            auto f = fact_at(at->second);
            if (std::equal(f.begin(), f.end(), t.begin(), t.end())) return facts.locations[at->second];
        }
        return std::nullopt;
    }

    static std::size_t hash(std::span<const Value> t) {
        std::size_t h = t.size();
        for (Value v : t) h = h * 0x9E3779B97F4A7C15ull + v.bits;
        return h;
    }

    [[nodiscard]] bool holds(RelationId r, std::span<const Value> t) const {
        return r < s_.database.relations.size() && s_.database.relations[r].find(t) != SIZE_MAX;
    }

    /// `r+` or `r*` of a relation `r`: the base relation.
    [[nodiscard]] std::optional<RelationId> closure_base(RelationId r) const {
        const auto& name = program_.relations[r].name;
        if (name.size() < 2 || (name.back() != '+' && name.back() != '*')) return std::nullopt;
        auto it = s_.model.names.relations.find(name.substr(0, name.size() - 1));
        if (it == s_.model.names.relations.end()) return std::nullopt;
        return it->second;
    }

    [[nodiscard]] const std::vector<std::size_t>& rules_for(RelationId r) const { return rules_by_head_[r]; }
    /// Whether `v` can stand for variable `var` of `rule` by kind: every positive literal that
    /// has `var` where a kind of entity is expected (`member(?b, …)` a body, `kind(?b, body)`)
    /// admits `v`.
    [[nodiscard]] bool fits(const Rule& rule, VarId var, Value v) const {
        const auto& kinds = s_.database.relations[engine::Program::kind_relation];
        auto has_kind = [&](Value kind) {
            Value key[2] = {v, kind};
            return kinds.find(key) != SIZE_MAX;
        };
        for (const auto& l : rule.body) {
            if (l.kind != Literal::Kind::atom) continue;
            const auto& info = program_.relations[l.relation];
            for (std::size_t i = 0; i < l.args.size() && i < info.types.size(); ++i) {
                if (!l.args[i].is_variable() || l.args[i].var != var) continue;
                if (l.relation == engine::Program::kind_relation && i == 0 && l.args.size() == 2 && !l.args[1].is_variable()) {
                    if (!has_kind(l.args[1].constant)) return false;
                } else if (info.types[i].kind == engine::ParamType::Kind::entity && !has_kind(info.types[i].entity_kind)) {
                    return false;
                }
            }
        }
        return true;
    }

    /// The check whose relation c(subject) `r` is, if any.
    [[nodiscard]] const engine::Check* check_of(RelationId r) const {
        auto it = check_by_relation_.find(r);
        return it == check_by_relation_.end() ? nullptr : it->second;
    }
    [[nodiscard]] const engine::Program& program() const { return program_; }

    // ---- queries over a rule's body ----

    /// Solutions of `body` with `b`'s variables bound: each a complete binding of the variables
    /// the body binds. At most `most` of them (sorted, so the choice is stable).
    std::vector<Binding> solve(const std::vector<Literal>& body, std::uint32_t var_count, const std::vector<std::string>& names,
                               const Binding& b, std::size_t most) {
        engine::Query q;
        q.var_count = var_count;
        q.var_names = names;
        q.var_names.resize(var_count);
        std::vector<char> seen(var_count, 0);
        for (VarId v = 0; v < var_count && v < b.size(); ++v)
            if (b[v]) {
                q.body.push_back(binder(v, *b[v]));
                seen[v] = 1;
            }
        std::vector<VarId> vars;
        for (const auto& l : body) binding_variables(l, vars);
        for (VarId v : vars)
            if (v < var_count && !seen[v]) {
                seen[v] = 1;
                q.columns.push_back(v);
            }
        q.body.insert(q.body.end(), body.begin(), body.end());
        std::vector<engine::Problem> problems;
        auto rows = engine::run_query(s_.database, q, s_.symbols, s_.limits(), problems);
        if (!problems.empty()) {
            problems_.insert(problems_.end(), problems.begin(), problems.end());
            if (s_.cancel) stopped_ = true;
        }
        if (rows.size() > max_candidate_rows) rows.resize(max_candidate_rows);
        std::sort(rows.begin(), rows.end(), [&](const auto& x, const auto& y) {
            return std::lexicographical_compare(x.begin(), x.end(), y.begin(), y.end(),
                                                [&](Value a, Value c) { return s_.symbols.less(a, c); });
        });
        if (rows.size() > most) rows.resize(most);
        std::vector<Binding> out;
        for (const auto& row : rows) {
            Binding full = b;
            full.resize(var_count);
            for (std::size_t i = 0; i < q.columns.size(); ++i) full[q.columns[i]] = row[i];
            out.push_back(std::move(full));
        }
        return out;
    }

    bool body_holds(const std::vector<Literal>& body, std::uint32_t var_count, const std::vector<std::string>& names, const Binding& b) {
        engine::Query q;
        q.var_count = var_count;
        q.var_names = names;
        q.var_names.resize(var_count);
        for (VarId v = 0; v < var_count && v < b.size(); ++v)
            if (b[v]) q.body.push_back(binder(v, *b[v]));
        q.body.insert(q.body.end(), body.begin(), body.end());
        std::vector<engine::Problem> problems;
        auto rows = engine::run_query(s_.database, q, s_.symbols, s_.limits(), problems);
        if (!problems.empty()) {
            problems_.insert(problems_.end(), problems.begin(), problems.end());
            if (s_.cancel) stopped_ = true;
        }
        return !rows.empty();
    }

    /// Binds the head of `rule` to `p`; false when a constant of the head disagrees.
    static bool bind_head(const Rule& rule, const Binding& p, Binding& b) {
        b.assign(rule.var_count, std::nullopt);
        for (std::size_t i = 0; i < rule.head_args.size() && i < p.size(); ++i) {
            const Term& t = rule.head_args[i];
            if (!p[i]) continue;
            if (!t.is_variable()) {
                if (t.constant != *p[i]) return false;
            } else if (b[t.var] && *b[t.var] != *p[i]) {
                return false;
            } else {
                b[t.var] = p[i];
            }
        }
        return true;
    }

    [[nodiscard]] static Tuple instantiate(const Literal& l, const Binding& b) {
        Tuple t;
        for (const auto& a : l.args) t.push_back(a.is_variable() ? b[a.var].value_or(engine::none_value) : a.constant);
        return t;
    }

    // ---- :why ----

    /// The derivation of a fact that holds, or nullopt when the search gave up.
    std::optional<Derivation> derive(RelationId r, const Tuple& t) {
        std::optional<std::size_t> root;
        for (std::size_t limit : depth_limits) {
            depth_cut_ = false;
            root = explain({r, t}, limit);
            if (root || !depth_cut_ || stopped_) break;
        }
        if (!root) return std::nullopt;
        std::size_t budget = max_tree;
        std::unordered_set<std::size_t> shown;
        return build(*root, budget, shown);
    }

    std::vector<engine::Problem> problems_;

    bool out_of_time() {
        if (s_.cancel || attempts_ >= max_attempts ||
            std::chrono::steady_clock::now() - started_ > s_.options.timeout)
            stopped_ = true;
        return stopped_;
    }

    std::size_t add(Derivation head, std::vector<std::size_t> premises = {}) {
        nodes_.push_back({std::move(head), std::move(premises)});
        return nodes_.size() - 1;
    }

    std::size_t condition(std::string text) { return add(Derivation{std::move(text), false, {}, "", {}}); }

    std::optional<std::size_t> explain(const Fact& f, std::size_t depth) {
        if (auto it = memo_.find(f); it != memo_.end()) return it->second;
        if (auto at = stated(f.relation, f.tuple)) {
            auto n = add(Derivation{fact(f.relation, f.tuple), true, s_.locate(*at), "", {}});
            memo_.emplace(f, n);
            return n;
        }
        if (on_path_.contains(f) || out_of_time()) return std::nullopt;
        ++attempts_;
        std::optional<std::size_t> found;
        on_path_.insert(f);
        if (auto base = closure_base(f.relation)) {
            found = explain_closure(f, *base);
        } else if (depth == 0) {
            depth_cut_ = true;
        } else {
            for (auto i : rules_by_head_[f.relation]) {
                found = by_rule(program_.rules[i], f, depth - 1);
                if (found || stopped_) break;
            }
        }
        on_path_.erase(f);
        if (found) memo_.emplace(f, *found);
        return found;
    }

    std::optional<std::size_t> by_rule(const Rule& rule, const Fact& f, std::size_t depth) {
        Binding pattern(f.tuple.begin(), f.tuple.end());
        Binding b;
        if (!bind_head(rule, pattern, b)) return std::nullopt;
        auto solutions = solve(rule.body, rule.var_count, rule.var_names, b, max_candidate_rows);
        // Prefer solutions whose premises are stated: they give the shallowest trees.
        std::vector<std::pair<std::size_t, std::size_t>> ranked;  // (derived premises, index)
        for (std::size_t i = 0; i < solutions.size(); ++i) {
            std::size_t derived = 0;
            bool cyclic = false;
            for (const auto& l : rule.body) {
                if (l.kind != Literal::Kind::atom) continue;
                Fact premise{l.relation, instantiate(l, solutions[i])};
                if (on_path_.contains(premise)) cyclic = true;
                else if (!memo_.contains(premise) && !stated(premise.relation, premise.tuple)) ++derived;
            }
            if (!cyclic) ranked.emplace_back(derived, i);
        }
        std::stable_sort(ranked.begin(), ranked.end());
        if (ranked.size() > max_solutions) ranked.resize(max_solutions);
        for (const auto& [_, i] : ranked) {
            const Binding& solution = solutions[i];
            std::vector<std::size_t> premises;
            bool ok = true;
            for (const auto& l : rule.body) {
                switch (l.kind) {
                case Literal::Kind::atom: {
                    auto p = explain({l.relation, instantiate(l, solution)}, depth);
                    if (!p) ok = false;
                    else premises.push_back(*p);
                    break;
                }
                case Literal::Kind::negation:
                case Literal::Kind::compare:
                case Literal::Kind::aggregate: premises.push_back(condition(literal(l, solution, rule.var_names))); break;
                case Literal::Kind::is_entity: break;
                }
                if (!ok) break;
            }
            if (stopped_) return std::nullopt;
            if (!ok) continue;
            return add(Derivation{fact(f.relation, f.tuple), false, s_.locate(rule.location), rule_text(rule), {}},
                       std::move(premises));
        }
        return std::nullopt;
    }

    /// `r+(a, c)`: the shortest chain a → … → c along r (ties by identifier); `r*(a, a)`: a's kind.
    std::optional<std::size_t> explain_closure(const Fact& f, RelationId base) {
        const auto& name = program_.relations[f.relation].name;
        if (f.tuple.size() != 2) return std::nullopt;
        const Value from = f.tuple[0], to = f.tuple[1];
        if (name.back() == '*' && from == to) {
            const auto& kinds = s_.database.relations[engine::Program::kind_relation];
            Value key[2] = {from, engine::none_value};
            auto rows = kinds.lookup(1u, key);
            if (rows.empty()) return std::nullopt;
            auto kind = Tuple(kinds.row(rows.front()).begin(), kinds.row(rows.front()).end());
            auto premise = explain({engine::Program::kind_relation, kind}, 1);
            if (!premise) return std::nullopt;
            return add(Derivation{fact(f.relation, f.tuple), false, {},
                                  fmt::format("{}*: every entity reaches itself", program_.relations[base].name), {}},
                       {*premise});
        }
        auto chain = shortest_chain(base, from, to);
        if (chain.size() < 2) return std::nullopt;
        std::vector<std::string> names;
        for (Value v : chain) names.push_back(value(v));
        std::vector<std::size_t> premises;
        for (std::size_t i = 0; i + 1 < chain.size(); ++i) {
            Fact edge{base, {chain[i], chain[i + 1]}};
            auto p = explain(edge, depth_limits[std::size(depth_limits) - 1]);
            if (!p) return std::nullopt;
            premises.push_back(*p);
        }
        return add(Derivation{fact(f.relation, f.tuple), false, {},
                              fmt::format("the chain {} along {}", fmt::join(names, " → "), program_.relations[base].name), {}},
                   std::move(premises));
    }

    /// The shortest path from → … → to along a binary relation, neighbours in identifier order.
    std::vector<Value> shortest_chain(RelationId base, Value from, Value to) {
        const auto& store = s_.database.relations[base];
        std::unordered_map<std::uint32_t, Value> parent;
        std::deque<Value> queue{from};
        parent.emplace(from.bits, from);
        bool found = false;
        while (!queue.empty() && !found) {
            Value x = queue.front();
            queue.pop_front();
            for (Value y : successors(store, x)) {
                if (!parent.emplace(y.bits, x).second) continue;
                if (y == to) {
                    found = true;
                    break;
                }
                queue.push_back(y);
            }
        }
        if (!found) return {};
        std::vector<Value> chain{to};
        for (Value v = to; v != from;) {
            v = parent.at(v.bits);
            chain.push_back(v);
        }
        std::reverse(chain.begin(), chain.end());
        return chain;
    }

    /// Every entity reachable from `from` along `base` (column 0 → 1), or reaching it when
    /// `backwards`, nearest first, ties by identifier; at most `most`, and their number.
    std::pair<std::vector<Value>, std::size_t> reach(RelationId base, Value from, bool backwards, std::size_t most) {
        const auto& store = s_.database.relations[base];
        std::unordered_set<std::uint32_t> seen{from.bits};
        std::deque<Value> queue{from};
        std::vector<Value> out;
        std::size_t total = 0;
        while (!queue.empty()) {
            Value x = queue.front();
            queue.pop_front();
            for (Value y : backwards ? predecessors(store, x) : successors(store, x)) {
                if (!seen.insert(y.bits).second) continue;
                ++total;
                if (out.size() < most) out.push_back(y);
                queue.push_back(y);
            }
        }
        return {out, total};
    }

    [[nodiscard]] std::vector<Value> successors(const engine::Store& store, Value x) const { return neighbours(store, x, 0); }
    [[nodiscard]] std::vector<Value> predecessors(const engine::Store& store, Value x) const { return neighbours(store, x, 1); }

    // ---- :whynot ----

    /// Facts of `r` that agree with `p` in all its given columns but one (else in one of them),
    /// nearest first, each with where it is stated.
    std::vector<std::string> nearest(RelationId r, const Binding& p) {
        const auto& store = s_.database.relations[r];
        std::vector<std::size_t> given;
        for (std::size_t i = 0; i < p.size(); ++i)
            if (p[i]) given.push_back(i);
        if (given.empty() || store.size() == 0) return {};
        Tuple key(p.size(), engine::none_value);
        for (auto i : given) key[i] = *p[i];
        std::vector<std::uint32_t> rows;
        std::unordered_set<std::uint32_t> seen;
        auto matches_all = [&](std::span<const Value> row) {
            return std::all_of(given.begin(), given.end(), [&](std::size_t i) { return row[i] == *p[i]; });
        };
        auto collect = [&](std::uint32_t mask) {
            auto consider = [&](std::uint32_t row) {
                if (rows.size() < max_candidate_rows && !matches_all(store.row(row)) && seen.insert(row).second) rows.push_back(row);
            };
            if (mask == 0) {
                for (std::size_t row = 0; row < store.size() && row < max_candidate_rows; ++row) consider(static_cast<std::uint32_t>(row));
            } else {
                for (auto row : store.lookup(mask, key)) consider(row);
            }
        };
        std::uint32_t all = 0;
        for (auto i : given) all |= 1u << i;
        for (auto i : given) collect(all & ~(1u << i));
        if (rows.empty() && given.size() >= 3)
            for (auto i : given) collect(1u << i);
        std::sort(rows.begin(), rows.end(), [&](std::uint32_t a, std::uint32_t b) {
            auto x = store.row(a), y = store.row(b);
            return std::lexicographical_compare(x.begin(), x.end(), y.begin(), y.end(),
                                                [&](Value u, Value v) { return s_.symbols.less(u, v); });
        });
        std::vector<std::string> out;
        for (auto row : rows) {
            if (out.size() >= max_nearest) {
                out.push_back(fmt::format("… and {} more", rows.size() - max_nearest));
                break;
            }
            auto t = store.row(row);
            std::string text = fact(r, t);
            if (auto at = stated(r, t)) {
                auto w = where(*at);
                if (!w.empty()) text += fmt::format("  ({})", w);
            }
            out.push_back(std::move(text));
        }
        return out;
    }

    /// For one rule that could derive `p`: the first literal that fails, in the order the rule
    /// is written (a literal waits until its variables are bound), and what comes closest.
    std::optional<Blocker> blocker(const Rule& rule, const Binding& p, std::size_t* progress = nullptr) {
        Binding b;
        if (!bind_head(rule, p, b)) return std::nullopt;
        std::vector<Literal> prefix;
        for (std::size_t i : runnable_order(rule.body, b)) {
            const Literal& l = rule.body[i];
            prefix.push_back(l);
            if (progress != nullptr) *progress = prefix.size();
            if (body_holds(prefix, rule.var_count, rule.var_names, b)) continue;
            if (stopped_) return std::nullopt;
            prefix.pop_back();
            // The solutions of what held so far give the failing literal its values.
            std::vector<Literal> probe = prefix;
            auto contexts = solve(probe, rule.var_count, rule.var_names, b, max_nearest);
            Blocker out;
            out.rule = rule_text(rule);
            out.location = s_.locate(rule.location);
            out.failing = literal(l, contexts.size() == 1 ? contexts.front() : b, rule.var_names);
            std::unordered_set<std::string> seen;
            auto note = [&](std::string text) {
                if (out.nearest.size() < max_nearest && seen.insert(text).second) out.nearest.push_back(std::move(text));
            };
            if (contexts.empty()) contexts.push_back(b);
            for (const auto& c : contexts) {
                switch (l.kind) {
                case Literal::Kind::atom: {
                    Binding q;
                    for (const auto& a : l.args) q.push_back(a.is_variable() ? c[a.var] : std::optional<Value>(a.constant));
                    for (auto& n : nearest(l.relation, q)) note(std::move(n));
                    break;
                }
                case Literal::Kind::negation: {
                    Literal positive = l;
                    positive.kind = Literal::Kind::atom;
                    for (const auto& hit : solve({positive}, rule.var_count, rule.var_names, c, max_nearest))
                        note(literal(positive, hit, rule.var_names) + " holds");
                    break;
                }
                case Literal::Kind::compare:
                case Literal::Kind::aggregate: {
                    // The values the comparison saw: its own variables, and the others the rule
                    // had bound by then (not those the fact itself gives).
                    std::vector<VarId> vars;
                    literal_variables(l, vars);
                    for (VarId v = 0; v < c.size(); ++v) vars.push_back(v);
                    std::vector<std::string> values;
                    std::unordered_set<VarId> named;
                    for (VarId v : vars)
                        if (v < c.size() && c[v] && !b[v] && named.insert(v).second && !rule.var_names[v].empty())
                            values.push_back(fmt::format("?{} = {}", rule.var_names[v], value(*c[v])));
                    if (!values.empty()) note(fmt::format("{}", fmt::join(values, ", ")));
                    break;
                }
                case Literal::Kind::is_entity: break;
                }
            }
            if (l.kind == Literal::Kind::atom && out.nearest.empty() && s_.database.relations[l.relation].size() == 0)
                out.nearest.push_back(fmt::format("there are no `{}` facts at all", program_.relations[l.relation].name));
            return out;
        }
        return std::nullopt;  // the body holds: the search for the fact was cut short
    }

    [[nodiscard]] std::vector<Value> neighbours(const engine::Store& store, Value x, std::size_t side) const {
        Value key[2] = {x, x};
        std::vector<Value> out;
        for (auto row : store.lookup(side == 0 ? 1u : 2u, key)) out.push_back(store.row(row)[1 - side]);
        std::sort(out.begin(), out.end(), [&](Value a, Value b) { return s_.symbols.less(a, b); });
        return out;
    }

    /// The body's literals in written order, except that one waits until the variables it
    /// needs bound are (negations, comparisons, aggregates' groups).
    static std::vector<std::size_t> runnable_order(const std::vector<Literal>& body, const Binding& b) {
        std::vector<char> bound(b.size(), 0);
        for (std::size_t v = 0; v < b.size(); ++v) bound[v] = b[v].has_value();
        auto is_bound = [&](VarId v) { return v < bound.size() && bound[v]; };
        auto all_bound = [&](const std::vector<VarId>& vs) { return std::all_of(vs.begin(), vs.end(), is_bound); };
        std::vector<std::size_t> order;
        std::vector<char> done(body.size(), 0);
        while (order.size() < body.size()) {
            std::optional<std::size_t> next;
            for (std::size_t i = 0; i < body.size() && !next; ++i) {
                if (done[i]) continue;
                const Literal& l = body[i];
                std::vector<VarId> vars;
                bool runs = false;
                switch (l.kind) {
                case Literal::Kind::atom: runs = true; break;
                case Literal::Kind::negation:
                case Literal::Kind::is_entity: {
                    // A variable that occurs nowhere else is the negation's own (`_`).
                    literal_variables(l, vars);
                    std::vector<VarId> elsewhere;
                    for (std::size_t j = 0; j < body.size(); ++j)
                        if (j != i) literal_variables(body[j], elsewhere);
                    runs = std::all_of(vars.begin(), vars.end(), [&](VarId v) {
                        return is_bound(v) || std::find(elsewhere.begin(), elsewhere.end(), v) == elsewhere.end();
                    });
                    break;
                }
                case Literal::Kind::aggregate: runs = all_bound(l.group); break;
                case Literal::Kind::compare: {
                    std::vector<VarId> left, right;
                    expr_variables(l.left, left);
                    expr_variables(l.right, right);
                    bool left_var = l.left.kind == engine::Expr::Kind::term && l.left.term.is_variable();
                    bool right_var = l.right.kind == engine::Expr::Kind::term && l.right.term.is_variable();
                    runs = (all_bound(left) && all_bound(right)) ||
                           (l.op == engine::CompareOp::eq && ((left_var && all_bound(right)) || (right_var && all_bound(left))));
                    break;
                }
                }
                if (runs) next = i;
            }
            if (!next) {  // cannot happen in a range-restricted rule; keep the written order
                for (std::size_t i = 0; i < body.size(); ++i)
                    if (!done[i]) order.push_back(i);
                break;
            }
            done[*next] = 1;
            order.push_back(*next);
            std::vector<VarId> vars;
            binding_variables(body[*next], vars);
            for (VarId v : vars)
                if (v < bound.size()) bound[v] = 1;
        }
        return order;
    }

    /// The tree below `node`: repeated facts are shown once (the rest say "shown above"), and
    /// at most max_tree facts in all.
    Derivation build(std::size_t node, std::size_t& budget, std::unordered_set<std::size_t>& shown) {
        Derivation out = nodes_[node].head;
        if (budget > 0) --budget;
        if (nodes_[node].premises.empty()) return out;
        if (!shown.insert(node).second) {
            out.rule = "(shown above)";
            return out;
        }
        for (std::size_t i = 0; i < nodes_[node].premises.size(); ++i) {
            if (budget == 0) {
                out.premises.push_back(Derivation{fmt::format("… ({} more premises left out)", nodes_[node].premises.size() - i),
                                                  false, {}, "", {}});
                break;
            }
            out.premises.push_back(build(nodes_[node].premises[i], budget, shown));
        }
        return out;
    }

private:
    Session::Impl& s_;
    const engine::Program& program_;
    std::vector<std::vector<std::size_t>> rules_by_head_;
    std::unordered_map<RelationId, const engine::Check*> check_by_violations_;
    std::unordered_map<RelationId, const engine::Check*> check_by_relation_;
    std::unordered_map<RelationId, std::vector<std::pair<std::size_t, std::uint32_t>>> stated_;
    std::vector<Node> nodes_;
    std::unordered_map<Fact, std::size_t, FactHash> memo_;
    std::unordered_set<Fact, FactHash> on_path_;
    std::size_t attempts_ = 0;
    bool depth_cut_ = false;
    bool stopped_ = false;
    std::chrono::steady_clock::time_point started_;
};

// ---- the fact asked about ----------------------------------------------------------------------

/// A literal typed after `:why` or `:whynot`: a relation and, per column, its value or nothing
/// (a variable or `_`); columns sharing a variable must be equal.
struct Target {
    RelationId relation = 0;
    Binding pattern;
    std::vector<std::pair<std::size_t, std::size_t>> same;
    lang::Span span;
};

std::optional<Target> parse_target(Session::Impl& s, std::string_view text, std::string_view what,
                                   lang::Diagnostics& diagnostics) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n')) text.remove_suffix(1);
    if (text.empty() || text == "?") {
        diagnostics.error({}, fmt::format("{} needs a fact, such as `reports_to+(FKØ, SSU)`", what));
        return std::nullopt;
    }
    // `r(a, b)` parses as a fact statement (the resolver, not the parser, refuses variables and
    // closures there), `? r(a, b)` as a query: either gives the literal.
    auto statement = s.parse_one(text, fmt::format("<{}>", what), diagnostics);
    if (!statement) return std::nullopt;
    std::vector<lang::ast::Literal> body;
    if (const auto* fact = std::get_if<lang::ast::Fact>(&statement->node)) {
        lang::ast::Literal literal;
        literal.atom = fact->atom;
        literal.span = statement->span;
        body.push_back(std::move(literal));
    } else if (const auto* query = std::get_if<lang::ast::Query>(&statement->node)) {
        body = query->body;
    }
    if (body.size() != 1 || body.front().kind != lang::ast::Literal::Kind::positive) {
        diagnostics.error(statement->span, fmt::format("{} takes one fact, such as `reports_to(FKØ, SDK)`", what),
                          body.size() > 1 ? "ask about one literal at a time" : "");
        return std::nullopt;
    }
    const auto rules_before = s.model.program.rules.size();
    engine::Query lowered;
    if (!lang::lower_query(s.model, s.symbols, s.sources, body, statement->span, lowered, diagnostics)) return std::nullopt;
    // A closure named for the first time adds its rules: evaluate them too.
    if (s.model.program.rules.size() != rules_before && !s.extend(diagnostics)) return std::nullopt;
    if (!s.complete(diagnostics)) return std::nullopt;
    const Literal& l = lowered.body.front();
    Target t;
    t.relation = l.relation;
    t.span = statement->span;
    std::unordered_map<VarId, std::size_t> first;
    for (std::size_t i = 0; i < l.args.size(); ++i) {
        const Term& a = l.args[i];
        if (!a.is_variable()) {
            t.pattern.emplace_back(a.constant);
            continue;
        }
        t.pattern.emplace_back(std::nullopt);
        if (auto [it, fresh] = first.emplace(a.var, i); !fresh) t.same.emplace_back(it->second, i);
    }
    return t;
}

/// The tuples that match `t`, sorted.
std::vector<Tuple> matches(Session::Impl& s, const Target& t, std::size_t most) {
    const auto& store = s.database.relations[t.relation];
    std::uint32_t mask = 0;
    Tuple key(t.pattern.size(), engine::none_value);
    for (std::size_t i = 0; i < t.pattern.size(); ++i)
        if (t.pattern[i]) {
            mask |= 1u << i;
            key[i] = *t.pattern[i];
        }
    std::vector<Tuple> out;
    auto consider = [&](std::size_t row) {
        auto r = store.row(row);
        for (auto [a, b] : t.same)
            if (r[a] != r[b]) return;
        out.emplace_back(r.begin(), r.end());
    };
    if (mask == (1u << t.pattern.size()) - 1) {
        if (auto row = store.find(key); row != SIZE_MAX) consider(row);
    } else if (mask == 0) {
        for (std::size_t row = 0; row < store.size() && out.size() < most; ++row) consider(row);
    } else {
        for (auto row : store.lookup(mask, key)) consider(row);
    }
    std::sort(out.begin(), out.end(), [&](const Tuple& x, const Tuple& y) {
        return std::lexicographical_compare(x.begin(), x.end(), y.begin(), y.end(),
                                            [&](Value a, Value b) { return s.symbols.less(a, b); });
    });
    if (out.size() > most) out.resize(most);
    return out;
}

template <typename T>
Result<T> failed(Session::Impl& s, lang::Diagnostics& diagnostics) {
    Result<T> r;
    static_cast<Status&>(r) = s.finish(diagnostics);
    return r;
}

template <typename T>
Result<T> internal_error(const std::exception& e) {
    Result<T> r;
    Diagnostic d;
    d.message = fmt::format("internal error: {}", e.what());
    r.diagnostics.push_back(std::move(d));
    return r;
}

void add_problems(Session::Impl& s, const Explainer& x, lang::Diagnostics& diagnostics) {
    // Several queries may hit the same limit; one report is enough.
    std::unordered_set<std::string> seen;
    std::vector<engine::Problem> unique;
    for (const auto& p : x.problems_)
        if (seen.insert(p.message).second) unique.push_back(p);
    // Ctrl-C may come between two queries of the search: it stops the search all the same.
    if (s.cancel && !seen.contains("evaluation cancelled")) unique.push_back({"evaluation cancelled", 0, {}});
    s.add_problems(unique, diagnostics);
}

}  // namespace

Result<Derivation> Session::why(std::string_view fact) {
    try {
        auto& s = *impl_;
        s.cancel = false;
        lang::Diagnostics diagnostics;
        auto target = parse_target(s, fact, ":why", diagnostics);
        if (!target) return failed<Derivation>(s, diagnostics);
        Explainer x(s);
        auto found = matches(s, *target, 1);
        if (found.empty()) {
            auto text = x.pattern(target->relation, target->pattern);
            diagnostics.error(target->span, fmt::format("`{}` does not hold", text),
                              fmt::format("`:whynot {}` shows what keeps it from holding", text));
            return failed<Derivation>(s, diagnostics);
        }
        Result<Derivation> result;
        auto derivation = x.derive(target->relation, found.front());
        add_problems(s, x, diagnostics);
        if (derivation) {
            result.value = std::move(*derivation);
        } else {
            result.value.fact = x.fact(target->relation, found.front());
            if (diagnostics.items().empty())
                diagnostics.error(target->span,
                                  fmt::format("`{}` holds, but its derivation was not found within the search limits", result.value.fact));
        }
        static_cast<Status&>(result) = s.finish(diagnostics);
        return result;
    } catch (const std::exception& e) {
        return internal_error<Derivation>(e);
    }
}

Result<std::vector<Blocker>> Session::why_not(std::string_view fact) {
    try {
        auto& s = *impl_;
        s.cancel = false;
        lang::Diagnostics diagnostics;
        auto target = parse_target(s, fact, ":whynot", diagnostics);
        if (!target) return failed<std::vector<Blocker>>(s, diagnostics);
        Explainer x(s);
        const RelationId r = target->relation;
        const auto text = x.pattern(r, target->pattern);
        if (!matches(s, *target, 1).empty()) {
            diagnostics.error(target->span, fmt::format("`{}` holds", text), fmt::format("`:why {}` shows how it follows", text));
            return failed<std::vector<Blocker>>(s, diagnostics);
        }
        Result<std::vector<Blocker>> result;
        const auto& info = x.program().relations[r];
        const auto& p = target->pattern;
        if (auto base = x.closure_base(r); base && p.size() == 2 && p[0] && p[1]) {
            // A closure fails for want of a chain: say how far each end gets.
            const auto& base_name = x.program().relations[*base].name;
            Blocker b;
            b.rule = fmt::format("{} is the {}closure of {}", info.name, info.name.back() == '*' ? "reflexive transitive " : "transitive ", base_name);
            b.location = s.locate(info.declared_at);
            b.failing = fmt::format("no chain of `{}` leads from {} to {}", base_name, x.value(*p[0]), x.value(*p[1]));
            auto describe = [&](Value from, bool backwards) {
                auto [near, total] = x.reach(*base, from, backwards, max_reach);
                std::vector<std::string> names;
                for (Value v : near) names.push_back(x.value(v));
                if (total > near.size()) names.push_back(fmt::format("… ({} in all)", total));
                if (names.empty())
                    return backwards ? fmt::format("nothing reaches {} along `{}`", x.value(from), base_name)
                                     : fmt::format("{} has no `{}` at all", x.value(from), base_name);
                return backwards ? fmt::format("{} is reached from {}", x.value(from), fmt::join(names, ", "))
                                 : fmt::format("{} reaches {}", x.value(from), fmt::join(names, ", "));
            };
            b.nearest.push_back(describe(*p[0], false));
            b.nearest.push_back(describe(*p[1], true));
            result.value.push_back(std::move(b));
        } else {
            // Stated facts: when the relation is only stated, or has facts stated of its own.
            if (x.rules_for(r).empty() || !x.program().facts[r].locations.empty()) {
                Blocker b;
                b.location = s.locate(info.declared_at);
                b.failing = text;
                b.nearest = x.nearest(r, p);
                // §6: an approval may come from a flow's step rather than an `approves` fact.
                const auto flow_kind = s.symbols.find_entity("flow");
                const auto case_kind = s.symbols.find_entity("case");
                const auto& kinds = s.database.relations[engine::Program::kind_relation];
                if (info.name == "approves" && p.size() == 2 && p[1] && p[1]->is_entity()) {
                    const Value what = *p[1];
                    Value as_flow[2] = {what, flow_kind};
                    Value as_case[2] = {what, case_kind};
                    if ((!flow_kind.is_none() && kinds.find(as_flow) != SIZE_MAX) ||
                        (!case_kind.is_none() && kinds.find(as_case) != SIZE_MAX)) {
                        auto answer = query(fmt::format("who approves {}", x.value(what)));
                        if (answer.ok() && answer.value.columns.size() == 2) {
                            std::map<std::string, std::vector<std::string>> by_step;
                            for (const auto& row : answer.value.rows) {
                                auto show = [](const Cell& c) {
                                    if (const auto* e = std::get_if<Entity>(&c)) return e->id;
                                    if (const auto* str = std::get_if<std::string>(&c)) return *str;
                                    if (const auto* i = std::get_if<std::int64_t>(&c)) return std::to_string(*i);
                                    return std::string("none");
                                };
                                by_step[show(row[0])].push_back(show(row[1]));
                            }
                            for (const auto& [step, who] : by_step)
                                b.nearest.push_back(fmt::format("{}'s {} step is performed by {}", x.value(what), step, fmt::join(who, ", ")));
                            if (by_step.empty())
                                b.nearest.push_back(fmt::format("{} has no step that approves or decides", x.value(what)));
                        }
                    }
                }
                if (b.nearest.empty() && s.database.relations[r].size() == 0)
                    b.nearest.push_back(fmt::format("there are no `{}` facts at all", info.name));
                result.value.push_back(std::move(b));
            }
            if (const auto* check = x.check_of(r); check != nullptr && p.size() == 1 && p[0]) {
                // §7: `c(X)` holds for each subject X of a violation. Why none: the violation's
                // literals with X in each place a subject comes from; the places where the
                // literals got furthest are shown.
                std::vector<std::pair<std::size_t, Blocker>> found;
                for (auto i : x.rules_for(r)) {
                    const auto& subject_rule = x.program().rules[i];
                    if (subject_rule.head_args.size() != 1 || !subject_rule.head_args[0].is_variable()) continue;
                    const VarId subject = subject_rule.head_args[0].var;
                    for (auto j : x.rules_for(check->violations)) {
                        const auto& violation = x.program().rules[j];
                        Binding columns(violation.head_args.size());
                        bool bound = false;
                        if (!x.fits(violation, subject, *p[0])) continue;
                        for (std::size_t c = 0; c < violation.head_args.size(); ++c)
                            if (violation.head_args[c].is_variable() && violation.head_args[c].var == subject) {
                                columns[c] = p[0];
                                bound = true;
                            }
                        std::size_t progress = 0;
                        if (!bound) continue;
                        if (auto b = x.blocker(violation, columns, &progress)) found.emplace_back(progress, std::move(*b));
                        if (x.stopped()) break;
                    }
                }
                std::size_t furthest = 0;
                for (const auto& f : found) furthest = std::max(furthest, f.first);
                for (auto& f : found)
                    if (f.first == furthest) result.value.push_back(std::move(f.second));
            } else {
                for (auto i : x.rules_for(r)) {
                    if (auto b = x.blocker(x.program().rules[i], p)) result.value.push_back(std::move(*b));
                    if (x.stopped()) break;
                }
            }
        }
        add_problems(s, x, diagnostics);
        static_cast<Status&>(result) = s.finish(diagnostics);
        return result;
    } catch (const std::exception& e) {
        return internal_error<std::vector<Blocker>>(e);
    }
}

std::string written_name(std::string_view id) {
    return is_identifier(id) ? std::string(id) : "`" + std::string(id) + "`";
}

}  // namespace charter
