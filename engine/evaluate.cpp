// Bottom-up evaluation (evaluate.hpp): every rule is compiled into join plans (greedy literal
// order), strata run in order, semi-naive within a stratum; queries run through the same plans.
#include "evaluate.hpp"

#include "closure_walk.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <utility>

namespace charter::engine {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t no_literal = static_cast<std::size_t>(-1);
// How many join steps pass between two looks at the clock and the cancel flag.
constexpr std::uint64_t steps_between_checks = 4096;

// --- Distinct tuples -----------------------------------------------------------------------

constexpr std::uint64_t finish_hash(std::uint64_t h) {  // Murmur3's 64-bit finaliser
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/// A set of fixed-width tuples (aggregate solutions, memo keys, query rows): flat values and an
/// open-addressing table of entry numbers. clear() keeps the memory, so reuse allocates nothing.
class TupleSet {
public:
    void reset(std::uint32_t width) {
        width_ = width;
        values_.clear();
        slots_.clear();
        count_ = 0;
    }
    [[nodiscard]] std::uint32_t size() const { return count_; }
    [[nodiscard]] const Value* at(std::uint32_t i) const {
        return values_.data() + static_cast<std::size_t>(i) * width_;
    }

    /// The entry number of `tuple` (width values) and whether it was new.
    std::pair<std::uint32_t, bool> insert(const Value* tuple) {
        if ((static_cast<std::size_t>(count_) + 1) * 2 > slots_.size()) grow();
        const std::uint32_t hash = hash_of(tuple);
        const std::size_t mask = slots_.size() - 1;
        std::size_t i = hash & mask;
        while (slots_[i] != 0) {
            const std::uint32_t entry = static_cast<std::uint32_t>(slots_[i]) - 1;
            if (static_cast<std::uint32_t>(slots_[i] >> 32) == hash &&
                std::equal(tuple, tuple + width_, at(entry)))
                return {entry, false};
            i = (i + 1) & mask;
        }
        slots_[i] = (static_cast<std::uint64_t>(hash) << 32) | (count_ + 1ULL);
        values_.insert(values_.end(), tuple, tuple + width_);
        return {count_++, true};
    }

    void clear() {
        if (count_ == 0) return;
        if (static_cast<std::size_t>(count_) * 4 < slots_.size()) {
            // Few entries in a big table: remove them newest first, so that every removed
            // entry's probe path is still intact (cost proportional to the entries, not slots).
            const std::size_t mask = slots_.size() - 1;
            for (std::uint32_t e = count_; e-- > 0;) {
                std::size_t i = hash_of(at(e)) & mask;
                while (static_cast<std::uint32_t>(slots_[i]) != e + 1) i = (i + 1) & mask;
                slots_[i] = 0;
            }
        } else {
            std::fill(slots_.begin(), slots_.end(), 0);
        }
        values_.clear();
        count_ = 0;
    }

private:
    [[nodiscard]] std::uint32_t hash_of(const Value* tuple) const {
        std::uint64_t h = width_;
        for (std::uint32_t c = 0; c < width_; ++c)
            h = (h ^ tuple[c].bits) * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL;
        return static_cast<std::uint32_t>(finish_hash(h));
    }
    void grow() {
        std::vector<std::uint64_t> old;
        old.swap(slots_);
        slots_.assign(old.empty() ? 16 : old.size() * 2, 0);
        const std::size_t mask = slots_.size() - 1;
        for (std::uint64_t s : old) {
            if (s == 0) continue;
            std::size_t i = static_cast<std::uint32_t>(s >> 32) & mask;
            while (slots_[i] != 0) i = (i + 1) & mask;
            slots_[i] = s;
        }
    }

    std::uint32_t width_ = 0;
    std::uint32_t count_ = 0;
    std::vector<Value> values_;
    std::vector<std::uint64_t> slots_;  // hash << 32 | entry + 1; 0 is empty
};

// --- Plans -----------------------------------------------------------------------------------

/// Which rows of a relation an atom reads in a semi-naive round: all of them, those known
/// before the last round (`old`), or those the last round added (`delta`).
enum class Range : std::uint8_t { all, old, delta };

/// An expression in postfix form, so evaluating a deep expression needs no recursion.
struct Code {
    enum class Op : std::uint8_t { push, add, subtract, multiply };
    struct Instruction {
        Op op = Op::push;
        Term term;
    };
    std::vector<Instruction> instructions;
    bool valid = true;
};

struct ColumnTerm {
    std::uint32_t column;
    Term term;
};
struct ColumnPair {
    std::uint32_t column;
    std::uint32_t other;
};
struct ColumnVar {
    std::uint32_t column;
    VarId var;
};

struct Plan;

struct Aggregate {
    AggregateFunction function = AggregateFunction::count;
    VarId result = 0;
    bool result_bound = false;
    std::vector<VarId> key;  // the outside variables the body reads: the memo key
    std::vector<Value> key_buffer;
    std::unique_ptr<Plan> body;
    // When the `over` variables include every variable the body binds, each solution of the
    // body is a distinct binding already (each atom's rows are distinct): the body then feeds
    // the accumulators directly. Otherwise its solutions go through the set first.
    bool streaming = false;
    TupleSet solutions;       // distinct bindings of the `over` variables
    std::uint64_t count = 0;  // accumulators, over distinct bindings
    std::int64_t sum = 0;
    Value best;               // min or max so far; none before the first integer
    TupleSet memo_keys;
    std::vector<Value> memo_results;  // per memo key; none when there is no binding
    // The memo pays only when keys repeat: it is dropped for the rest of a run when, by its
    // memo_trial-th miss, it has hit less than one time in eight.
    static constexpr std::uint32_t memo_trial = 1024;
    bool memoise = true;
    std::uint32_t misses = 0;
    std::uint32_t hits = 0;

    Aggregate();
    ~Aggregate();
};

struct Step {
    enum class Kind : std::uint8_t { scan, negation, test, bind, aggregate, is_entity, walk };
    Kind kind = Kind::scan;

    // scan, negation
    RelationId relation = 0;
    Range range = Range::all;
    bool matchable = true;  // false when the relation is unknown or its arity differs
    // A positive atom of the rule: the location of its row counts toward the derived tuple's
    // (the latest one; or, for the first positive atom of a rule located by it, the only one).
    enum class Locates : std::uint8_t { no, latest, only };
    Locates locates = Locates::no;
    std::uint32_t mask = 0;
    std::vector<ColumnTerm> key;     // bound columns in the mask
    std::vector<ColumnTerm> checks;  // bound columns past the 32 a mask can name
    std::vector<ColumnPair> same;    // a variable repeated within the atom
    std::vector<ColumnVar> binds;
    std::vector<Value> key_buffer;
    bool whole = false;  // every column bound: answered by Store::find, no index needed
    // The lookups right after this scan whose keys it can form for a row a few ahead, from
    // constants, variables bound before it and columns of its row: the next step's, and past
    // steps that bind nothing (a negation, a test) the one after too. The scan forms each key
    // for the row `ahead` and prefetches the slot its lookup will probe: the probes are cache
    // misses. (W2 at 1M: `approver_of(?y, ?z), not approver(?y), reports_to(?x, ?y)` prefetched
    // only for the small `approver`, and waited on every `reports_to` bucket.)
    struct KeyPart {
        std::uint32_t column = 0;  // in the later step's key
        std::uint32_t from_column = UINT32_MAX;  // this step's row, or else `term`
        Term term;
    };
    struct Lookahead {
        std::size_t step = 0;  // the later step, in the plan
        std::vector<KeyPart> key;
        std::vector<Value> key_buffer;
    };
    std::vector<Lookahead> lookaheads;

    // test, bind
    CompareOp op = CompareOp::eq;
    Code left;
    Code right;
    VarId var = 0;  // bind: the variable bound to `right`; is_entity: the variable tested

    std::unique_ptr<Aggregate> aggregate;

    // walk: `r+(from, to)` answered over the graph of `relation` (r). A bound side is a
    // constant or a variable bound before; an unbound `to` equal to `from` asks for cycles.
    // `negated`: the step passes when the walk finds nothing (unbound sides are wildcards).
    Term from;
    Term to;
    bool from_bound = false;
    bool to_bound = false;
    bool negated = false;
    std::unique_ptr<ClosureWalk> walker;
};

/// A conjunction in join order and what to do with each solution: derive a head tuple, collect
/// the distinct bindings of some variables (query rows, aggregate solutions), append them
/// (query rows known to be distinct), or feed them to an aggregate's accumulators.
struct Plan {
    enum class Sink : std::uint8_t { derive, collect, append, accumulate };
    Sink sink = Sink::collect;
    std::vector<Step> steps;
    bool has_premise = false;
    LocationId location = 0;
    std::uint32_t var_count = 0;
    RelationId head = 0;
    std::vector<Term> head_args;  // derive
    std::vector<VarId> columns;   // collect
    TupleSet* target = nullptr;   // collect
    std::vector<Value>* rows = nullptr;  // append: flat, columns.size() values per row
    std::size_t row_count = 0;           // append
    Aggregate* into = nullptr;    // accumulate
    std::vector<Value> buffer;
};

Aggregate::Aggregate() = default;
Aggregate::~Aggregate() = default;

// --- Variables of literals --------------------------------------------------------------------

void expr_vars(const Expr& expr, std::vector<VarId>& out) {
    std::vector<const Expr*> pending{&expr};
    while (!pending.empty()) {
        const Expr* e = pending.back();
        pending.pop_back();
        if (e->kind == Expr::Kind::term) {
            if (e->term.is_variable()) out.push_back(e->term.var);
        } else {
            for (const Expr& operand : e->operands) pending.push_back(&operand);
        }
    }
}

/// The variables a literal names itself (an aggregate: result, over and group, not its body).
void literal_vars(const Literal& literal, std::vector<VarId>& out) {
    out.clear();
    switch (literal.kind) {
    case Literal::Kind::atom:
    case Literal::Kind::negation:
        for (const Term& t : literal.args)
            if (t.is_variable()) out.push_back(t.var);
        break;
    case Literal::Kind::compare:
        expr_vars(literal.left, out);
        expr_vars(literal.right, out);
        break;
    case Literal::Kind::aggregate:
        out.push_back(literal.result);
        out.insert(out.end(), literal.over.begin(), literal.over.end());
        out.insert(out.end(), literal.group.begin(), literal.group.end());
        break;
    case Literal::Kind::is_entity: out.push_back(literal.var); break;
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
}

/// Every variable in `body`, through nested aggregates.
std::vector<VarId> body_vars(const std::vector<Literal>& body) {
    std::vector<VarId> all;
    std::vector<VarId> one;
    std::vector<const Literal*> pending;
    for (const Literal& l : body) pending.push_back(&l);
    while (!pending.empty()) {
        const Literal* l = pending.back();
        pending.pop_back();
        literal_vars(*l, one);
        all.insert(all.end(), one.begin(), one.end());
        for (const Literal& inner : l->body) pending.push_back(&inner);
    }
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    return all;
}

Code compile_expr(const Expr& expr) {
    Code code;
    std::vector<std::pair<const Expr*, bool>> pending{{&expr, false}};  // (expr, operands done)
    while (!pending.empty()) {
        auto [e, operands_done] = pending.back();
        pending.pop_back();
        if (e->kind == Expr::Kind::term) {
            code.instructions.push_back({Code::Op::push, e->term});
            continue;
        }
        if (e->operands.size() != 2) {
            code.valid = false;
            return code;
        }
        if (operands_done) {
            const Code::Op op = e->kind == Expr::Kind::add        ? Code::Op::add
                                : e->kind == Expr::Kind::subtract ? Code::Op::subtract
                                                                  : Code::Op::multiply;
            code.instructions.push_back({op, {}});
        } else {
            pending.emplace_back(e, true);
            pending.emplace_back(&e->operands[1], false);
            pending.emplace_back(&e->operands[0], false);
        }
    }
    return code;
}

// --- Compiling a conjunction into a plan --------------------------------------------------

enum class CompileError { none, unbound, too_deep };

/// Orders literals greedily: a delta atom (if any) first; then, repeatedly, every filter whose
/// variables are bound (negation, comparison, is_entity, aggregate with its group bound, a
/// binding `?x = expr`), else the atom with the most bound arguments.
class Compiler {
public:
    Compiler(const std::vector<Store>& stores, const Limits& limits,
             const Walkable* walkable = nullptr)
        : stores_(stores), limits_(limits), walkable_(walkable) {}

    /// Counts, for a rule or query, the literals (and the head or the columns) each variable
    /// occurs in: a variable met only in one negation is a wildcard there.
    void prepare(const std::vector<Literal>& body, const std::vector<VarId>& outside,
                 std::uint32_t var_count) {
        occurrences_.assign(var_count, 0);
        auto count = [this](VarId v) {
            if (v >= occurrences_.size()) occurrences_.resize(v + 1, 0);
            ++occurrences_[v];
        };
        for (VarId v : outside) count(v);
        std::vector<VarId> vars;
        std::vector<const Literal*> pending;
        for (const Literal& l : body) pending.push_back(&l);
        while (!pending.empty()) {
            const Literal* l = pending.back();
            pending.pop_back();
            literal_vars(*l, vars);
            for (VarId v : vars) count(v);
            for (const Literal& inner : l->body) pending.push_back(&inner);
        }
    }
    [[nodiscard]] std::uint32_t var_count() const {
        return static_cast<std::uint32_t>(occurrences_.size());
    }

    /// The literal whose matched row alone locates a derived tuple; null: the latest premise.
    const Literal* first_premise = nullptr;

    /// Appends the steps of `body` to `plan`; `bound` (one flag per variable) is updated.
    /// `ranges` gives each atom's Range (null: all), `delta` the literal to start with.
    CompileError compile(Plan& plan, const std::vector<Literal>& body, std::vector<char>& bound,
                         std::size_t delta, const std::vector<Range>* ranges, bool premises,
                         std::uint32_t depth) {
        error_ = CompileError::none;
        if (depth > limits_.max_depth) return CompileError::too_deep;
        if (bound.size() < occurrences_.size()) bound.resize(occurrences_.size(), 0);
        std::vector<char> done(body.size(), 0);
        std::size_t remaining = body.size();
        auto range_of = [&](std::size_t i) { return ranges ? (*ranges)[i] : Range::all; };
        if (delta != no_literal) {
            add_atom(plan, body[delta], bound, range_of(delta), premises, false);
            done[delta] = 1;
            --remaining;
        }
        while (remaining > 0) {
            for (bool again = true; again;) {
                again = false;
                // Atoms with every argument bound are membership tests (one probe of the dedup
                // table, and usually selective): they go before the other filters.
                for (std::size_t i = 0; i < body.size(); ++i) {
                    if (done[i] || body[i].kind != Literal::Kind::atom || !all_bound(body[i], bound))
                        continue;
                    add_atom(plan, body[i], bound, range_of(i), premises, false);
                    done[i] = 1;
                    --remaining;
                }
                for (std::size_t i = 0; i < body.size(); ++i) {
                    if (done[i] || body[i].kind == Literal::Kind::atom) continue;
                    auto status = add_filter(plan, body[i], bound, depth);
                    if (status == Added::error) return error_;
                    if (status == Added::no) continue;
                    done[i] = 1;
                    --remaining;
                    again = true;
                }
            }
            if (remaining == 0) break;
            std::size_t best = no_literal;
            std::size_t best_score = 0;
            for (std::size_t i = 0; i < body.size(); ++i) {
                if (done[i] || body[i].kind != Literal::Kind::atom) continue;
                std::size_t score = 0;
                for (const Term& t : body[i].args)
                    if (!t.is_variable() || is_bound(bound, t.var)) ++score;
                if (best == no_literal || score > best_score ||
                    (score == best_score && size_of(body[i]) < size_of(body[best]))) {
                    best = i;
                    best_score = score;
                }
            }
            if (best == no_literal) return CompileError::unbound;
            add_atom(plan, body[best], bound, range_of(best), premises, false);
            done[best] = 1;
            --remaining;
        }
        plan_prefetches(plan);
        return CompileError::none;
    }

    /// Gives each scan the later lookups whose keys it can form for a row ahead (Lookahead).
    static void plan_prefetches(Plan& plan) {
        for (std::size_t i = 0; i < plan.steps.size(); ++i) {
            Step& step = plan.steps[i];
            step.lookaheads.clear();
            if (step.kind != Step::Kind::scan || !step.matchable) continue;
            for (std::size_t j = i + 1; j < plan.steps.size(); ++j) {
                const Step& later = plan.steps[j];
                if ((later.kind == Step::Kind::scan || later.kind == Step::Kind::negation) && later.matchable &&
                    later.mask != 0) {
                    Step::Lookahead lookahead{j, {}, std::vector<Value>(later.key_buffer.size(), none_value)};
                    for (const ColumnTerm& k : later.key) {
                        Step::KeyPart part{k.column, UINT32_MAX, k.term};
                        if (k.term.is_variable())
                            for (const ColumnVar& b : step.binds)
                                if (b.var == k.term.var) part.from_column = b.column;
                        lookahead.key.push_back(part);
                    }
                    step.lookaheads.push_back(std::move(lookahead));
                }
                // A later step may read what this one binds, which a row ahead does not give.
                if (later.kind != Step::Kind::negation && later.kind != Step::Kind::test) break;
            }
        }
    }

    static bool is_bound(const std::vector<char>& bound, VarId v) {
        return v < bound.size() && bound[v] != 0;
    }
    static bool all_bound(const Literal& atom, const std::vector<char>& bound) {
        return std::all_of(atom.args.begin(), atom.args.end(), [&](const Term& t) {
            return !t.is_variable() || is_bound(bound, t.var);
        });
    }

private:
    enum class Added { no, yes, error };

    [[nodiscard]] std::size_t size_of(const Literal& atom) const {
        // A walked closure is not in the database: rank it as the largest, so that its
        // arguments are bound by other atoms first when they can be.
        if (walk_base(atom) != no_relation) return SIZE_MAX;
        return atom.relation < stores_.size() ? stores_[atom.relation].size() : 0;
    }

    [[nodiscard]] RelationId walk_base(const Literal& atom) const {
        if (walkable_ == nullptr || atom.relation >= walkable_->size() || atom.args.size() != 2)
            return no_relation;
        const RelationId base = (*walkable_)[atom.relation];
        return base < stores_.size() && stores_[base].arity() == 2 ? base : no_relation;
    }

    void add_walk(Plan& plan, const Literal& literal, std::vector<char>& bound, bool negated) {
        Step step;
        step.kind = Step::Kind::walk;
        step.relation = walk_base(literal);
        step.negated = negated;
        step.from = literal.args[0];
        step.to = literal.args[1];
        auto known = [&](const Term& t) { return !t.is_variable() || is_bound(bound, t.var); };
        step.from_bound = known(step.from);
        step.to_bound = known(step.to);
        step.walker = std::make_unique<ClosureWalk>();
        if (!negated) {
            if (!step.from_bound) bound[step.from.var] = 1;
            if (!step.to_bound) bound[step.to.var] = 1;
        }
        plan.steps.push_back(std::move(step));
    }

    void add_atom(Plan& plan, const Literal& literal, std::vector<char>& bound, Range range,
                  bool premises, bool negated) {
        if (walk_base(literal) != no_relation) {
            add_walk(plan, literal, bound, negated);
            return;
        }
        Step step;
        step.kind = negated ? Step::Kind::negation : Step::Kind::scan;
        step.relation = literal.relation;
        step.range = range;
        if (premises && !negated)
            step.locates = &literal == first_premise ? Step::Locates::only
                           : first_premise != nullptr ? Step::Locates::no
                                                      : Step::Locates::latest;
        step.matchable = literal.relation < stores_.size() &&
                         stores_[literal.relation].arity() == literal.args.size();
        std::vector<std::pair<VarId, std::uint32_t>> fresh;  // unbound variable → first column
        for (std::uint32_t column = 0; column < literal.args.size(); ++column) {
            const Term& t = literal.args[column];
            if (!t.is_variable() || is_bound(bound, t.var)) {
                if (column < 32) {
                    step.mask |= 1u << column;
                    step.key.push_back({column, t});
                } else {
                    step.checks.push_back({column, t});
                }
                continue;
            }
            auto seen = std::find_if(fresh.begin(), fresh.end(),
                                     [&](const auto& f) { return f.first == t.var; });
            if (seen != fresh.end()) {
                step.same.push_back({column, seen->second});
            } else {
                fresh.emplace_back(t.var, column);
                if (!negated) step.binds.push_back({column, t.var});
            }
        }
        if (!negated)
            for (const auto& f : fresh) bound[f.first] = 1;
        step.key_buffer.assign(literal.args.size(), none_value);
        step.whole = step.key.size() == literal.args.size();
        if (!step.whole && step.matchable) narrow_lookup(step, stores_[literal.relation]);
        plan.has_premise = plan.has_premise || step.locates != Step::Locates::no;
        plan.steps.push_back(std::move(step));
    }

    /// Looks up by the columns the store advises (Store::lookup_mask) and checks the other
    /// bound columns row by row.
    static void narrow_lookup(Step& step, const Store& store) {
        const std::uint32_t use = store.lookup_mask(step.mask);
        if (use == step.mask) return;
        std::vector<ColumnTerm> key;
        for (const ColumnTerm& k : step.key) ((use >> k.column) & 1u ? key : step.checks).push_back(k);
        step.key = std::move(key);
        step.mask = use;
    }

    Added add_filter(Plan& plan, const Literal& literal, std::vector<char>& bound,
                     std::uint32_t depth) {
        switch (literal.kind) {
        case Literal::Kind::atom: return Added::no;
        case Literal::Kind::negation:
            for (const Term& t : literal.args)
                if (t.is_variable() && !is_bound(bound, t.var) && occurrences_[t.var] > 1)
                    return Added::no;
            add_atom(plan, literal, bound, Range::all, false, true);
            return Added::yes;
        case Literal::Kind::is_entity: {
            if (!is_bound(bound, literal.var)) return Added::no;
            Step step;
            step.kind = Step::Kind::is_entity;
            step.var = literal.var;
            plan.steps.push_back(std::move(step));
            return Added::yes;
        }
        case Literal::Kind::compare: return add_compare(plan, literal, bound);
        case Literal::Kind::aggregate: return add_aggregate(plan, literal, bound, depth);
        }
        return Added::no;
    }

    Added add_compare(Plan& plan, const Literal& literal, std::vector<char>& bound) {
        std::vector<VarId> vars;
        expr_vars(literal.left, vars);
        const bool left_bound = std::all_of(vars.begin(), vars.end(),
                                            [&](VarId v) { return is_bound(bound, v); });
        vars.clear();
        expr_vars(literal.right, vars);
        const bool right_bound = std::all_of(vars.begin(), vars.end(),
                                             [&](VarId v) { return is_bound(bound, v); });
        auto lone_unbound = [&](const Expr& e) {
            return e.kind == Expr::Kind::term && e.term.is_variable() &&
                   !is_bound(bound, e.term.var);
        };
        Step step;
        if (left_bound && right_bound) {
            step.kind = Step::Kind::test;
            step.op = literal.op;
            step.left = compile_expr(literal.left);
            step.right = compile_expr(literal.right);
        } else if (literal.op == CompareOp::eq && right_bound && lone_unbound(literal.left)) {
            step.kind = Step::Kind::bind;
            step.var = literal.left.term.var;
            step.right = compile_expr(literal.right);
        } else if (literal.op == CompareOp::eq && left_bound && lone_unbound(literal.right)) {
            step.kind = Step::Kind::bind;
            step.var = literal.right.term.var;
            step.right = compile_expr(literal.left);
        } else {
            return Added::no;
        }
        if (step.kind == Step::Kind::bind) bound[step.var] = 1;
        plan.steps.push_back(std::move(step));
        return Added::yes;
    }

    Added add_aggregate(Plan& plan, const Literal& literal, std::vector<char>& bound,
                        std::uint32_t depth) {
        for (VarId v : literal.group)
            if (!is_bound(bound, v)) return Added::no;
        auto aggregate = std::make_unique<Aggregate>();
        aggregate->function = literal.function;
        aggregate->result = literal.result;
        aggregate->result_bound = is_bound(bound, literal.result);
        // The memo key: every variable of the body already bound outside (the group, and any
        // shared variable the group list missed).
        for (VarId v : body_vars(literal.body))
            if (is_bound(bound, v)) aggregate->key.push_back(v);
        aggregate->key_buffer.assign(aggregate->key.size(), none_value);
        aggregate->memo_keys.reset(static_cast<std::uint32_t>(aggregate->key.size()));
        aggregate->solutions.reset(static_cast<std::uint32_t>(literal.over.size()));
        aggregate->body = std::make_unique<Plan>();
        Plan& body = *aggregate->body;
        body.sink = Plan::Sink::collect;
        body.columns = literal.over;
        body.buffer.assign(literal.over.size(), none_value);
        body.target = &aggregate->solutions;
        body.location = plan.location;
        std::vector<char> body_bound = bound;
        const CompileError error =
            compile(body, literal.body, body_bound, no_literal, nullptr, false, depth + 1);
        if (error == CompileError::none) {
            for (VarId v : literal.over)
                if (!is_bound(body_bound, v)) error_ = CompileError::unbound;
        } else {
            error_ = error;
        }
        if (error != CompileError::none || error_ != CompileError::none) return Added::error;
        aggregate->streaming = true;
        for (VarId v = 0; v < body_bound.size(); ++v)
            if (body_bound[v] && !is_bound(bound, v) &&
                std::find(literal.over.begin(), literal.over.end(), v) == literal.over.end())
                aggregate->streaming = false;
        if (aggregate->streaming) {
            body.sink = Plan::Sink::accumulate;
            body.into = aggregate.get();
        }
        bound[literal.result] = 1;
        Step step;
        step.kind = Step::Kind::aggregate;
        step.aggregate = std::move(aggregate);
        plan.steps.push_back(std::move(step));
        return Added::yes;
    }

    const std::vector<Store>& stores_;
    const Limits& limits_;
    const Walkable* walkable_;
    std::vector<std::uint32_t> occurrences_;
    CompileError error_ = CompileError::none;
};

// --- Running plans ----------------------------------------------------------------------------

/// The tuples a round derived for one relation, in derivation order, not yet in the relation.
/// Appending is all the join does per solution; duplicates and tuples already known are weeded
/// out when the round's tuples are merged, or earlier (compact) when the buffer grows large, so
/// memory stays proportional to the new tuples.
struct Derived {
    std::uint32_t arity = 0;
    std::vector<Value> values;
    std::vector<LocationId> locations;
    std::size_t compact_at = std::size_t{1} << 20;  // rows

    [[nodiscard]] std::size_t size() const { return locations.size(); }
    [[nodiscard]] const Value* row(std::size_t i) const { return values.data() + i * arity; }
    void clear() {
        values.clear();
        locations.clear();
    }
};

/// Runs plans depth-first, one step per literal: the recursion is as deep as a rule is long
/// (times the aggregate nesting), never as deep as the data.
class Executor {
public:
    Executor(const std::vector<Store>& stores, Symbols& symbols, const Limits& limits,
             std::vector<Problem>& problems)
        : stores_(stores), symbols_(symbols), limits_(limits), problems_(problems),
          start_(Clock::now()) {
        lo.assign(stores.size(), 0);
        hi.assign(stores.size(), 0);
    }

    // The semi-naive window: `old` rows are [0, lo), `delta` rows [lo, hi).
    std::vector<std::uint32_t> lo;
    std::vector<std::uint32_t> hi;
    std::vector<Derived>* derived = nullptr;  // derive: this round's tuples per relation
    std::uint64_t derived_count = 0;          // new tuples so far, all relations together

    /// Adds one round's tuples to `store` in derivation order (so each keeps the location of
    /// its first derivation); false when the max_tuples limit stopped it.
    bool merge(Store& store, Derived& fresh) {
        // Inserting probes the table at random: ask for the slots a few rows ahead.
        constexpr std::size_t ahead = 8;
        for (std::size_t i = 0; i < fresh.size(); ++i) {
            // A round can hold tens of millions of tuples: a limit hit (or hit meanwhile) stops
            // the merge too, not only the joins.
            if (i % (steps_between_checks * 16) == 0 && !check_limits()) {
                fresh.clear();
                return false;
            }
            if (i + ahead < fresh.size()) store.prefetch(~0u, {fresh.row(i + ahead), fresh.arity});
            if (!store.insert({fresh.row(i), fresh.arity}, fresh.locations[i])) continue;
            if (++derived_count > limits_.max_tuples) {
                stop_at_max_tuples();
                fresh.clear();
                return false;
            }
        }
        fresh.clear();
        return true;
    }

    void run(Plan& plan) {
        if (stopped_) return;
        running_ = plan.location;
        env_.assign(plan.var_count, none_value);
        forget_memos(plan);
        execute(plan, 0, 0);
    }

    [[nodiscard]] bool stopped() const { return stopped_; }

    void stop(std::string message, LocationId location, std::string hint = {}) {
        if (stopped_) return;
        stopped_ = true;
        problems_.push_back({std::move(message), location, std::move(hint)});
    }

    /// Looks at the cancel flag and the clock; false once evaluation must stop.
    bool check_limits() {
        if (stopped_) return false;
        if (limits_.cancel != nullptr && limits_.cancel->load(std::memory_order_relaxed)) {
            stop("evaluation cancelled", 0);
        } else if (std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start_) >
                   limits_.timeout) {
            stop("evaluation stopped after " + std::to_string(limits_.timeout.count()) +
                     " ms (raise the limit with --timeout)",
                 running_);
        } else if (memory_exceeded()) {
            stop("evaluation stopped: more than " + std::to_string(max_memory() >> 20) +
                     " MiB of memory in use (raise the limit with --max-memory)",
                 running_);
        }
        return !stopped_;
    }

private:
    [[nodiscard]] std::uint64_t max_memory() const {
        return limits_.max_memory != 0 ? limits_.max_memory : default_max_memory();
    }

    /// Reads the resident memory (a /proc read) at most every 10 ms.
    bool memory_exceeded() {
        const auto now = Clock::now();
        if (now - memory_checked_ < std::chrono::milliseconds(10)) return false;
        memory_checked_ = now;
        return resident_memory() > max_memory();
    }

    bool tick() {
        if (stopped_) return false;
        if (++steps_ % steps_between_checks != 0) return true;
        return check_limits();
    }

    static void forget_memos(Plan& plan) {
        for (Step& step : plan.steps) {
            if (!step.aggregate) continue;
            Aggregate& a = *step.aggregate;
            a.memo_keys.clear();
            a.memo_results.clear();
            a.memoise = true;
            a.misses = 0;
            a.hits = 0;
            forget_memos(*step.aggregate->body);
        }
    }

    [[nodiscard]] Value value(const Term& t) const {
        return t.is_variable() ? env_[t.var] : t.constant;
    }

    void execute(Plan& plan, std::size_t at, LocationId location) {
        if (at == plan.steps.size()) {
            emit(plan, location);
            return;
        }
        Step& step = plan.steps[at];
        switch (step.kind) {
        case Step::Kind::scan: scan(plan, at, location); return;
        case Step::Kind::negation:
            if (!exists(step)) execute(plan, at + 1, location);
            return;
        case Step::Kind::test: {
            Value a;
            Value b;
            if (evaluate(step.left, a, plan.location) && evaluate(step.right, b, plan.location) &&
                compare(step.op, a, b))
                execute(plan, at + 1, location);
            return;
        }
        case Step::Kind::bind: {
            Value v;
            if (!evaluate(step.right, v, plan.location)) return;
            env_[step.var] = v;
            execute(plan, at + 1, location);
            return;
        }
        case Step::Kind::is_entity:
            if (env_[step.var].is_entity()) execute(plan, at + 1, location);
            return;
        case Step::Kind::walk:
            if (step.negated) {
                if (!walk_finds(step)) execute(plan, at + 1, location);
            } else {
                walk(plan, at, location);
            }
            return;
        case Step::Kind::aggregate: {
            Value result = aggregate(*step.aggregate, plan.location);
            if (stopped_ || result.is_none()) return;
            Aggregate& a = *step.aggregate;
            if (a.result_bound) {
                if (env_[a.result] != result) return;
            } else {
                env_[a.result] = result;
            }
            execute(plan, at + 1, location);
            return;
        }
        }
    }

    void scan(Plan& plan, std::size_t at, LocationId location) {
        Step& step = plan.steps[at];
        if (!step.matchable || !tick()) return;
        const Store& store = stores_[step.relation];
        std::uint32_t first = 0;
        auto last = static_cast<std::uint32_t>(store.size());
        if (step.range == Range::old) {
            last = lo[step.relation];
        } else if (step.range == Range::delta) {
            first = lo[step.relation];
            last = hi[step.relation];
        }
        if (first >= last) return;
        if (step.whole) {
            for (const ColumnTerm& k : step.key) step.key_buffer[k.column] = value(k.term);
            const std::size_t row = store.find(step.key_buffer);
            if (row >= first && row < last)
                visit(plan, at, store, static_cast<std::uint32_t>(row), location);
            return;
        }
        if (step.mask == 0) {
            for (std::uint32_t row = first; row < last; ++row) {
                if (!step.lookaheads.empty())
                    read_ahead(plan, step, store, [&](std::uint32_t d) { return row + d < last ? row + d : no_row; });
                if (!visit(plan, at, store, row, location)) return;
            }
            return;
        }
        for (const ColumnTerm& k : step.key) step.key_buffer[k.column] = value(k.term);
        const RowList rows = store.lookup(step.mask, step.key_buffer);
        // Index lists are in insertion order, so a window of rows is a sub-range of them.
        auto it = first == 0 ? rows.begin() : std::lower_bound(rows.begin(), rows.end(), first);
        for (; it != rows.end() && *it < last; ++it) {
            if (!step.lookaheads.empty())
                read_ahead(plan, step, store, [&](std::uint32_t d) { return rows.end() - it > d && it[d] < last ? it[d] : no_row; });
            if (!visit(plan, at, store, *it, location)) return;
        }
    }

    // Read-ahead for the lookups that follow a scan (Step::Lookahead), in two steps: the slot
    // for the row `2 * lookup_ahead` further on, and the first row of the group in the slot
    // (fetched by then) for the row `lookup_ahead` further on. `row_ahead(d)` is the scan's
    // row d further on, or no_row past its end.
    static constexpr std::uint32_t lookup_ahead = 6;
    static constexpr std::uint32_t no_row = UINT32_MAX;
    template <typename RowAhead>
    void read_ahead(Plan& plan, Step& step, const Store& store, RowAhead&& row_ahead) {
        if (const std::uint32_t row = row_ahead(2 * lookup_ahead); row != no_row) prefetch_lookups(plan, step, store, row, false);
        if (const std::uint32_t row = row_ahead(lookup_ahead); row != no_row) prefetch_lookups(plan, step, store, row, true);
    }
    void prefetch_lookups(Plan& plan, Step& step, const Store& store, std::uint32_t row, bool rows) {
        const Value* values = store.row(row).data();
        for (Step::Lookahead& lookahead : step.lookaheads) {
            for (const Step::KeyPart& part : lookahead.key)
                lookahead.key_buffer[part.column] = part.from_column != UINT32_MAX ? values[part.from_column] : value(part.term);
            const Step& later = plan.steps[lookahead.step];
            if (rows) stores_[later.relation].prefetch_rows(later.mask, lookahead.key_buffer);
            else stores_[later.relation].prefetch(later.mask, lookahead.key_buffer);
        }
    }

    bool visit(Plan& plan, std::size_t at, const Store& store, std::uint32_t row,
               LocationId location) {
        if (!tick()) return false;
        const Step& step = plan.steps[at];
        const Value* values = store.row(row).data();
        for (const ColumnTerm& c : step.checks)
            if (values[c.column] != value(c.term)) return true;
        for (const ColumnPair& p : step.same)
            if (values[p.column] != values[p.other]) return true;
        for (const ColumnVar& b : step.binds) env_[b.var] = values[b.column];
        switch (step.locates) {
        case Step::Locates::no: break;
        case Step::Locates::latest: location = std::max(location, store.location(row)); break;
        case Step::Locates::only: location = store.location(row); break;
        }
        execute(plan, at + 1, location);
        return !stopped_;
    }

    /// Runs the rest of the plan for each pair of `r+` the walk step's bound sides allow.
    /// Each walk's result is a list owned by the step's walker, which no deeper step uses.
    void walk(Plan& plan, std::size_t at, LocationId location) {
        Step& step = plan.steps[at];
        if (!tick()) return;
        const Store& base = stores_[step.relation];
        ClosureWalk& walker = *step.walker;
        auto each = [&](const std::vector<Value>& values, VarId var) {
            for (Value v : values) {
                if (!tick()) return false;
                env_[var] = v;
                execute(plan, at + 1, location);
                if (stopped_) return false;
            }
            return true;
        };
        if (step.from_bound && step.to_bound) {
            if (walker.reaches(base, value(step.from), value(step.to))) execute(plan, at + 1, location);
        } else if (step.from_bound) {
            each(walker.forward(base, value(step.from)), step.to.var);
        } else if (step.to_bound) {
            each(walker.backward(base, value(step.to)), step.from.var);
        } else if (step.from.var == step.to.var) {
            each(walker.on_cycles(base), step.from.var);
        } else {
            // Every pair: the sources' walks one after another.
            walker.each_source(base, [&](Value source, const std::vector<Value>& reached) {
                env_[step.from.var] = source;
                return each(reached, step.to.var);
            });
        }
    }

    /// Whether a negated walk step has a solution; its unbound sides are wildcards.
    bool walk_finds(Step& step) {
        const Store& base = stores_[step.relation];
        ClosureWalk& walker = *step.walker;
        if (step.from_bound && step.to_bound) return walker.reaches(base, value(step.from), value(step.to));
        if (step.from_bound) return !walker.forward(base, value(step.from)).empty();
        if (step.to_bound) return !walker.backward(base, value(step.to)).empty();
        if (step.from.is_variable() && step.to.is_variable() && step.from.var == step.to.var)
            return !walker.on_cycles(base).empty();
        return base.size() > 0;
    }

    /// Whether a negated atom has a matching tuple (its unbound variables are wildcards).
    bool exists(Step& step) {
        if (!step.matchable) return false;
        const Store& store = stores_[step.relation];
        auto matches = [&](std::uint32_t row) {
            const Value* values = store.row(row).data();
            for (const ColumnTerm& c : step.checks)
                if (values[c.column] != value(c.term)) return false;
            for (const ColumnPair& p : step.same)
                if (values[p.column] != values[p.other]) return false;
            return true;
        };
        if (step.whole) {
            for (const ColumnTerm& k : step.key) step.key_buffer[k.column] = value(k.term);
            return store.contains(step.key_buffer);
        }
        const bool simple = step.checks.empty() && step.same.empty();
        if (step.mask == 0) {
            if (simple) return store.size() > 0;
            for (std::uint32_t row = 0; row < store.size(); ++row)
                if (matches(row)) return true;
            return false;
        }
        for (const ColumnTerm& k : step.key) step.key_buffer[k.column] = value(k.term);
        const RowList rows = store.lookup(step.mask, step.key_buffer);
        if (simple) return !rows.empty();
        return std::any_of(rows.begin(), rows.end(), matches);
    }

    /// The aggregate's value for the current binding of its key; none when it has none.
    Value aggregate(Aggregate& a, LocationId location) {
        for (std::size_t i = 0; i < a.key.size(); ++i) a.key_buffer[i] = env_[a.key[i]];
        if (a.memoise) {
            const auto [entry, is_new] = a.memo_keys.insert(a.key_buffer.data());
            if (!is_new) {
                ++a.hits;
                return a.memo_results[entry];
            }
            if (++a.misses == Aggregate::memo_trial && a.hits * 7 < a.misses) {
                a.memoise = false;
                a.memo_keys.clear();
                a.memo_results.clear();
            }
        }
        a.count = 0;
        a.sum = 0;
        a.best = none_value;
        if (a.streaming) {
            execute(*a.body, 0, 0);
        } else {
            a.solutions.clear();
            execute(*a.body, 0, 0);
            const bool has_first = !a.body->columns.empty();
            for (std::uint32_t i = 0; i < a.solutions.size() && !stopped_; ++i)
                accumulate(a, has_first ? a.solutions.at(i)[0] : none_value, location);
        }
        if (stopped_) return none_value;
        Value result = a.best;
        if (a.function == AggregateFunction::count)
            result = symbols_.integer(static_cast<std::int64_t>(a.count));
        else if (a.function == AggregateFunction::sum)
            result = symbols_.integer(a.sum);
        if (a.memoise) a.memo_results.push_back(result);
        return result;
    }

    /// Adds one distinct solution, whose first `over` variable holds `first`, to the
    /// accumulators: sum, min and max read integers only (§4).
    void accumulate(Aggregate& a, Value first, LocationId location) {
        ++a.count;
        if (a.function == AggregateFunction::count || first.tag() != ValueTag::integer) return;
        const std::int64_t n = symbols_.integer_value(first);
        switch (a.function) {
        case AggregateFunction::sum:
            if (__builtin_add_overflow(a.sum, n, &a.sum))
                stop("integer overflow in arithmetic", location);
            break;
        case AggregateFunction::min:
            if (a.best.is_none() || n < symbols_.integer_value(a.best)) a.best = first;
            break;
        case AggregateFunction::max:
            if (a.best.is_none() || n > symbols_.integer_value(a.best)) a.best = first;
            break;
        case AggregateFunction::count: break;
        }
    }

    /// Evaluates an expression; false when an operand is not an integer (the literal fails) or
    /// on overflow (which also stops evaluation).
    bool evaluate(const Code& code, Value& out, LocationId location) {
        if (!code.valid || code.instructions.empty()) return false;
        if (code.instructions.size() == 1) {
            out = value(code.instructions[0].term);
            return true;
        }
        stack_.clear();
        for (const Code::Instruction& in : code.instructions) {
            if (in.op == Code::Op::push) {
                const Value v = value(in.term);
                if (v.tag() != ValueTag::integer) return false;
                stack_.push_back(symbols_.integer_value(v));
                continue;
            }
            const std::int64_t b = stack_.back();
            stack_.pop_back();
            std::int64_t& a = stack_.back();
            bool overflow = false;
            switch (in.op) {
            case Code::Op::add: overflow = __builtin_add_overflow(a, b, &a); break;
            case Code::Op::subtract: overflow = __builtin_sub_overflow(a, b, &a); break;
            case Code::Op::multiply: overflow = __builtin_mul_overflow(a, b, &a); break;
            case Code::Op::push: break;
            }
            if (overflow) {
                stop("integer overflow in arithmetic", location);
                return false;
            }
        }
        out = symbols_.integer(stack_.back());
        return true;
    }

    [[nodiscard]] bool compare(CompareOp op, Value a, Value b) const {
        if (op == CompareOp::eq) return a == b;
        if (op == CompareOp::ne) return a != b;
        // One ordering test per comparison: `a <= b` is `not b < a`.
        const bool swap = op == CompareOp::gt || op == CompareOp::le;
        const Value x = swap ? b : a;
        const Value y = swap ? a : b;
        bool x_less;
        if (x.tag() == ValueTag::integer && y.tag() == ValueTag::integer)
            x_less = symbols_.integer_value(x) < symbols_.integer_value(y);
        else
            x_less = symbols_.less(x, y);
        return op == CompareOp::lt || op == CompareOp::gt ? x_less : !x_less;
    }

    void emit(Plan& plan, LocationId location) {
        if (!tick()) return;
        if (plan.sink == Plan::Sink::accumulate) {
            Aggregate& a = *plan.into;
            accumulate(a, plan.columns.empty() ? none_value : env_[plan.columns[0]],
                       plan.location);
            return;
        }
        if (plan.sink == Plan::Sink::append) {
            for (VarId v : plan.columns) plan.rows->push_back(env_[v]);
            if (++plan.row_count > limits_.max_tuples) stop_at_max_tuples();
            return;
        }
        if (plan.sink == Plan::Sink::collect) {
            for (std::size_t i = 0; i < plan.columns.size(); ++i)
                plan.buffer[i] = env_[plan.columns[i]];
            // Query rows and aggregate solutions live in memory too: the same limit bounds them.
            if (plan.target->insert(plan.buffer.data()).second &&
                plan.target->size() > limits_.max_tuples)
                stop_at_max_tuples();
            return;
        }
        Derived& fresh = (*derived)[plan.head];
        for (const Term& t : plan.head_args) fresh.values.push_back(value(t));
        // §4: a derived tuple rests on the latest statement among its premises (or on its
        // first premise: Rule::located_by_first_premise).
        fresh.locations.push_back(plan.has_premise ? location : plan.location);
        if (fresh.size() >= fresh.compact_at) compact(plan.head, fresh);
    }

    /// Drops the tuples the relation already has and repeats within the buffer.
    void compact(RelationId relation, Derived& fresh) {
        const Store& store = stores_[relation];
        seen_.reset(fresh.arity);
        std::size_t kept = 0;
        constexpr std::size_t ahead = 8;
        for (std::size_t i = 0; i < fresh.size(); ++i) {
            const Value* row = fresh.row(i);
            if (i + ahead < fresh.size()) store.prefetch(~0u, {fresh.row(i + ahead), fresh.arity});
            if (store.contains({row, fresh.arity}) || !seen_.insert(row).second) continue;
            std::copy_n(row, fresh.arity, fresh.values.begin() + kept * fresh.arity);
            fresh.locations[kept++] = fresh.locations[i];
        }
        fresh.values.resize(kept * fresh.arity);
        fresh.locations.resize(kept);
        seen_.reset(0);
        fresh.compact_at = std::max(fresh.compact_at, kept * 2);
        if (derived_count + kept > limits_.max_tuples) stop_at_max_tuples();
    }

    /// Located at the rule being run: in a runaway recursion, the recursive rule.
    void stop_at_max_tuples() {
        stop("evaluation stopped: more than " + std::to_string(limits_.max_tuples) +
                 " derived tuples (raise the limit with --max-tuples)",
             running_);
    }

    const std::vector<Store>& stores_;
    Symbols& symbols_;
    const Limits& limits_;
    std::vector<Problem>& problems_;
    Clock::time_point start_;
    std::uint64_t steps_ = 0;
    LocationId running_ = 0;  // the rule being run: where a limit's message points
    Clock::time_point memory_checked_{};
    bool stopped_ = false;
    std::vector<Value> env_;
    std::vector<std::int64_t> stack_;
    TupleSet seen_;
};

// --- Strata -----------------------------------------------------------------------------------

std::string compile_problem(CompileError error, const Limits& limits) {
    if (error == CompileError::too_deep)
        return "evaluation stopped: aggregates nested more than " +
               std::to_string(limits.max_depth) + " deep";
    return "cannot evaluate this rule: a variable is not bound by a positive literal";
}

/// Running out of memory (or of value ids: Symbols holds 2^30 of each kind) ends evaluation
/// like any limit: a problem, and what was derived so far.
std::string stopped_by(const std::exception& e) {
    if (dynamic_cast<const std::bad_alloc*>(&e) != nullptr) return "evaluation stopped: out of memory";
    if (dynamic_cast<const std::length_error*>(&e) != nullptr)
        return "evaluation stopped: too many distinct values";
    return std::string("evaluation stopped: ") + e.what();
}

Database make_database(const Program& program) {
    Database database;
    database.relations.reserve(program.relations.size());
    for (const RelationInfo& info : program.relations)
        database.relations.emplace_back(static_cast<std::uint32_t>(info.arity()));
    return database;
}

/// One rule's plans: [0] reads every relation in full (the first round); [k] reads the k-th
/// recursive atom's delta first, the recursive atoms before it `old`, those after it in full.
struct CompiledRule {
    std::vector<Plan> plans;
    std::vector<RelationId> delta_relation;  // per plan; unused for [0]
};

class Evaluator {
public:
    /// Continues the evaluation of `database`; with `walkable`, closures are walked (for
    /// evaluate_for), not read from the database.
    Evaluator(const Program& program, Database database, Symbols& symbols, const Limits& limits,
              std::vector<Problem>& problems, const Walkable* walkable = nullptr)
        : program_(program), limits_(limits), problems_(problems),
          database_(std::move(database)),
          executor_(database_.relations, symbols, limits, problems),
          compiler_(database_.relations, limits, walkable) {
        rules_by_head_.resize(program.relations.size());
        for (std::size_t i = 0; i < program.rules.size(); ++i)
            if (program.rules[i].head < rules_by_head_.size())
                rules_by_head_[program.rules[i].head].push_back(i);
        in_stratum_.assign(program.relations.size(), 0);
        executor_.derived = &derived_;
    }

    Database run(const Stratification& strata) {
        load_facts();
        database_.strata_done.assign(strata.strata.size(), 0);
        for (std::size_t i = 0; i < strata.strata.size(); ++i) {
            if (!run_stratum(strata.strata[i])) break;
            database_.strata_done[i] = 1;
        }
        return std::move(database_);
    }
    /// Runs the strata marked in `needed` that have not run yet, in order.
    Database run(const Stratification& strata, const std::vector<char>& needed) {
        database_.strata_done.resize(strata.strata.size(), 0);
        for (std::size_t i = 0; i < strata.strata.size(); ++i) {
            if (!needed[i] || database_.strata_done[i]) continue;
            if (!run_stratum(strata.strata[i])) break;
            database_.strata_done[i] = 1;
        }
        return std::move(database_);
    }
    /// The database as it is (after an exception ended run()).
    Database take() { return std::move(database_); }

    /// Puts the stated facts into their relations.
    void load_facts() {
        const std::size_t count = std::min(program_.facts.size(), database_.relations.size());
        for (std::size_t r = 0; r < count; ++r)
            database_.relations[r] = stated_store(program_, static_cast<RelationId>(r));
    }

private:
    bool compile_rule(const Rule& rule, CompiledRule& compiled) {
        std::vector<VarId> head_vars;
        for (const Term& t : rule.head_args)
            if (t.is_variable()) head_vars.push_back(t.var);
        compiler_.prepare(rule.body, head_vars, rule.var_count);
        compiler_.first_premise = nullptr;
        if (rule.located_by_first_premise) {
            auto first = std::find_if(rule.body.begin(), rule.body.end(), [](const Literal& l) {
                return l.kind == Literal::Kind::atom;
            });
            if (first != rule.body.end()) compiler_.first_premise = &*first;
        }
        if (database_.relations[rule.head].arity() != rule.head_args.size()) {
            problems_.push_back({"cannot evaluate this rule: its head has the wrong number of "
                                 "arguments",
                                 rule.location, {}});
            return false;
        }
        std::vector<std::size_t> recursive;
        for (std::size_t i = 0; i < rule.body.size(); ++i) {
            const Literal& l = rule.body[i];
            if (l.kind == Literal::Kind::atom && l.relation < in_stratum_.size() &&
                in_stratum_[l.relation])
                recursive.push_back(i);
        }
        std::vector<Range> ranges(rule.body.size(), Range::all);
        for (std::size_t variant = 0; variant <= recursive.size(); ++variant) {
            std::size_t delta = no_literal;
            if (variant > 0) {
                for (std::size_t k = 0; k < recursive.size(); ++k)
                    ranges[recursive[k]] = k + 1 < variant    ? Range::old
                                           : k + 1 == variant ? Range::delta
                                                              : Range::all;
                delta = recursive[variant - 1];
            }
            Plan plan;
            plan.sink = Plan::Sink::derive;
            plan.location = rule.location;
            plan.head = rule.head;
            plan.head_args = rule.head_args;
            plan.var_count = compiler_.var_count();
            std::vector<char> bound(plan.var_count, 0);
            CompileError error =
                compiler_.compile(plan, rule.body, bound, delta, &ranges, true, 0);
            if (error == CompileError::none)
                for (VarId v : head_vars)
                    if (!Compiler::is_bound(bound, v)) error = CompileError::unbound;
            if (error != CompileError::none) {
                if (error == CompileError::too_deep)
                    executor_.stop(compile_problem(error, limits_), rule.location);
                else
                    problems_.push_back({compile_problem(error, limits_), rule.location, {}});
                return false;
            }
            compiled.plans.push_back(std::move(plan));
            compiled.delta_relation.push_back(delta == no_literal ? 0
                                                                  : rule.body[delta].relation);
        }
        return true;
    }

    /// Moves the tuples derived in a round into their relations; they are the next delta.
    void merge(const std::vector<RelationId>& stratum) {
        for (RelationId r : stratum) {
            Store& full = database_.relations[r];
            executor_.lo[r] = static_cast<std::uint32_t>(full.size());
            if (!executor_.merge(full, derived_[r])) {
                for (RelationId other : stratum) derived_[other].clear();
            }
            executor_.hi[r] = static_cast<std::uint32_t>(full.size());
        }
    }

    bool run_stratum(const std::vector<RelationId>& stratum) {
        std::vector<RelationId> relations;
        for (RelationId r : stratum)
            if (r < database_.relations.size()) relations.push_back(r);
        for (RelationId r : relations) in_stratum_[r] = 1;
        std::vector<CompiledRule> rules;
        bool recursive = false;
        for (RelationId r : relations) {
            for (std::size_t i : rules_by_head_[r]) {
                CompiledRule compiled;
                if (!compile_rule(program_.rules[i], compiled)) continue;
                recursive = recursive || compiled.plans.size() > 1;
                rules.push_back(std::move(compiled));
            }
        }
        for (RelationId r : relations) in_stratum_[r] = 0;
        if (executor_.stopped()) return false;
        if (rules.empty()) return true;

        derived_.resize(database_.relations.size());
        for (RelationId r : relations) derived_[r].arity = database_.relations[r].arity();
        for (CompiledRule& rule : rules) executor_.run(rule.plans[0]);
        merge(relations);
        while (recursive && !executor_.stopped() && executor_.check_limits()) {
            const bool changed = std::any_of(relations.begin(), relations.end(), [&](RelationId r) {
                return executor_.hi[r] > executor_.lo[r];
            });
            if (!changed) break;
            for (CompiledRule& rule : rules) {
                for (std::size_t k = 1; k < rule.plans.size(); ++k) {
                    const RelationId d = rule.delta_relation[k];
                    if (executor_.hi[d] > executor_.lo[d]) executor_.run(rule.plans[k]);
                }
            }
            merge(relations);
        }
        for (RelationId r : relations) derived_[r] = Derived{};  // give the memory back
        return !executor_.stopped();
    }

    const Program& program_;
    const Limits& limits_;
    std::vector<Problem>& problems_;
    Database database_;
    Executor executor_;
    Compiler compiler_;
    std::vector<Derived> derived_;
    std::vector<std::vector<std::size_t>> rules_by_head_;
    std::vector<char> in_stratum_;
};

}  // namespace

Database evaluate(const Program& program, const Stratification& strata, Symbols& symbols,
                  const Limits& limits, std::vector<Problem>& problems) {
    try {
        Evaluator evaluator(program, make_database(program), symbols, limits, problems);
        try {
            return evaluator.run(strata);
        } catch (const std::exception& e) {
            problems.push_back({stopped_by(e), 0, {}});
            return evaluator.take();
        }
    } catch (const std::exception& e) {
        problems.push_back({stopped_by(e), 0, {}});
        return {};
    }
}

Store stated_store(const Program& program, RelationId relation) {
    const auto arity = static_cast<std::uint32_t>(program.relations[relation].arity());
    if (relation >= program.facts.size()) return Store(arity);
    const StatedFacts& facts = program.facts[relation];
    return Store::of_rows(arity, facts.values, facts.locations);
}

std::vector<char> dependents(const Program& program, const std::vector<RelationId>& changed) {
    const std::size_t n = program.relations.size();
    std::vector<std::vector<RelationId>> readers(n);
    for (const DependencyEdge& e : dependency_edges(program))
        if (e.body < n && e.head < n) readers[e.body].push_back(e.head);
    std::vector<char> out(n, 0);
    std::vector<RelationId> pending;
    for (RelationId r : changed)
        if (r < n && !out[r]) {
            out[r] = 1;
            pending.push_back(r);
        }
    while (!pending.empty()) {
        const RelationId r = pending.back();
        pending.pop_back();
        for (RelationId head : readers[r])
            if (!out[head]) {
                out[head] = 1;
                pending.push_back(head);
            }
    }
    return out;
}

Walkable walkable_closures(const Program& program, const Stratification& strata) {
    std::vector<std::size_t> stratum_of(program.relations.size(), SIZE_MAX);
    for (std::size_t i = 0; i < strata.strata.size(); ++i)
        for (RelationId r : strata.strata[i])
            if (r < stratum_of.size()) stratum_of[r] = i;
    Walkable walkable(program.relations.size(), no_relation);
    for (const auto& [plus, base] : program.closures)
        if (plus < walkable.size() && base < walkable.size() && stratum_of[plus] != stratum_of[base])
            walkable[plus] = base;
    return walkable;
}

std::vector<RelationId> query_relations(const Query& query) {
    std::vector<RelationId> out;
    std::vector<const Literal*> pending;
    for (const Literal& l : query.body) pending.push_back(&l);
    while (!pending.empty()) {
        const Literal* l = pending.back();
        pending.pop_back();
        if (l->kind == Literal::Kind::atom || l->kind == Literal::Kind::negation)
            out.push_back(l->relation);
        for (const Literal& inner : l->body) pending.push_back(&inner);
    }
    return out;
}

namespace {
/// Runs the strata marked in `needed` that `database` has not run, with or without walks.
void run_strata(const Program& program, const Stratification& strata, const Walkable* walkable,
                const std::vector<char>& needed, Database& database, Symbols& symbols,
                const Limits& limits, std::vector<Problem>& problems) {
    try {
        Evaluator evaluator(program, std::move(database), symbols, limits, problems, walkable);
        try {
            database = evaluator.run(strata, needed);
        } catch (const std::exception& e) {
            problems.push_back({stopped_by(e), 0, {}});
            database = evaluator.take();
        }
    } catch (const std::exception& e) {
        problems.push_back({stopped_by(e), 0, {}});
    }
}
}  // namespace

void evaluate_rest(const Program& program, const Stratification& strata, Database& database,
                   Symbols& symbols, const Limits& limits, std::vector<Problem>& problems) {
    run_strata(program, strata, nullptr, std::vector<char>(strata.strata.size(), 1), database,
               symbols, limits, problems);
}

void evaluate_for(const Program& program, const Stratification& strata, const Walkable* walkable,
                  const std::vector<RelationId>& relations, Database& database, Symbols& symbols,
                  const Limits& limits, std::vector<Problem>& problems) {
    // The relations needed: those asked for and, through the rules, what they read; a walked
    // closure needs its base relation instead of its own rules.
    const std::size_t n = program.relations.size();
    std::vector<std::vector<RelationId>> reads(n);
    for (const DependencyEdge& e : dependency_edges(program))
        if (e.head < n) reads[e.head].push_back(e.body);
    std::vector<char> needed(n, 0);
    std::vector<RelationId> pending;
    auto need = [&](RelationId r) {
        if (walkable != nullptr && r < walkable->size() && (*walkable)[r] != no_relation) r = (*walkable)[r];
        if (r < n && !needed[r]) {
            needed[r] = 1;
            pending.push_back(r);
        }
    };
    for (RelationId r : relations) need(r);
    while (!pending.empty()) {
        const RelationId r = pending.back();
        pending.pop_back();
        for (RelationId body : reads[r]) need(body);
    }
    std::vector<char> needed_strata(strata.strata.size(), 0);
    database.strata_done.resize(strata.strata.size(), 0);
    for (std::size_t i = 0; i < strata.strata.size(); ++i) {
        for (RelationId r : strata.strata[i])
            if (r < n && needed[r]) needed_strata[i] = 1;
        if (walkable != nullptr && needed_strata[i] && !database.strata_done[i]) database.walked = true;
    }
    run_strata(program, strata, walkable, needed_strata, database, symbols, limits, problems);
}

std::vector<std::vector<Value>> run_query(const Database& database, const Query& query,
                                          Symbols& symbols, const Limits& limits,
                                          std::vector<Problem>& problems,
                                          const Walkable* walkable) {
    TupleSet rows;
    rows.reset(static_cast<std::uint32_t>(query.columns.size()));
    Plan plan;
    plan.sink = Plan::Sink::collect;
    plan.columns = query.columns;
    plan.buffer.assign(query.columns.size(), none_value);
    plan.target = &rows;
    plan.location = query.location;

    Compiler compiler(database.relations, limits, walkable);
    compiler.prepare(query.body, query.columns, query.var_count);
    plan.var_count = compiler.var_count();
    std::vector<char> bound(plan.var_count, 0);
    // A query's rows have no locations: its atoms are no premises.
    CompileError error = compiler.compile(plan, query.body, bound, no_literal, nullptr, false, 0);
    if (error == CompileError::none)
        for (VarId v : query.columns)
            if (!Compiler::is_bound(bound, v)) error = CompileError::unbound;
    if (error != CompileError::none) {
        std::string message = error == CompileError::too_deep
                                  ? compile_problem(error, limits)
                                  : "cannot answer this query: a variable is not bound by a "
                                    "positive literal";
        problems.push_back({std::move(message), query.location, {}});
        return {};
    }

    // When the columns are every variable the body binds, its solutions are distinct rows
    // already (see Aggregate::streaming) and need no set.
    std::vector<Value> flat;
    bool distinct = !query.columns.empty();
    for (VarId v = 0; v < bound.size(); ++v)
        if (bound[v] && std::find(query.columns.begin(), query.columns.end(), v) ==
                            query.columns.end())
            distinct = false;
    if (distinct) {
        plan.sink = Plan::Sink::append;
        plan.rows = &flat;
    }

    Executor executor(database.relations, symbols, limits, problems);
    try {
        executor.run(plan);
    } catch (const std::exception& e) {
        problems.push_back({stopped_by(e), query.location, {}});
        return {};
    }
    std::vector<std::vector<Value>> result;
    const std::size_t width = query.columns.size();
    if (distinct) {
        result.reserve(plan.row_count);
        for (std::size_t i = 0; i < plan.row_count; ++i)
            result.emplace_back(flat.begin() + static_cast<std::ptrdiff_t>(i * width),
                                flat.begin() + static_cast<std::ptrdiff_t>((i + 1) * width));
        return result;
    }
    result.reserve(rows.size());
    for (std::uint32_t i = 0; i < rows.size(); ++i)
        result.emplace_back(rows.at(i), rows.at(i) + width);
    return result;
}

}  // namespace charter::engine
