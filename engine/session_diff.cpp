// Diffs (§9 `charter diff`, `:diff`): two evaluated sessions compared by the texts of their values
// (each session interns its own Symbols) — every relation's tuples, the violations, the answers
// to `who approves F` for every flow and `? reports_to+(B, ?up)` for every body. Queries over the
// two databases, nothing the evaluator knows about.
#include "session_impl.hpp"

#include <fmt/format.h>
#include <map>
#include <set>
#include <unordered_map>

namespace charter {

using engine::Value;
using engine::ValueTag;

namespace {

using Renames = std::vector<std::pair<std::string, std::string>>;

/// `id` as the after side names it: the proposal's renames applied in order.
std::string renamed(std::string id, const Renames& renames) {
    for (const auto& [from, to] : renames) {
        if (id == from) id = to;
        else if (id.size() > from.size() && id.starts_with(from) && id[from.size()] == '.') id = to + id.substr(from.size());
    }
    return id;
}

/// Renames inside a message: whole identifiers only (`SSS` in "SSS is …", not in "SSSU").
std::string renamed_in_text(const std::string& text, const Renames& renames) {
    auto identifier_byte = [](char c) {
        auto b = static_cast<unsigned char>(c);
        return std::isalnum(b) || c == '_' || b >= 0x80;
    };
    std::string out = text;
    for (const auto& [from, to] : renames) {
        std::string next;
        for (std::size_t i = 0; i < out.size();) {
            const bool starts = out.compare(i, from.size(), from) == 0 && (i == 0 || !identifier_byte(out[i - 1]));
            const std::size_t end = i + from.size();
            if (starts && (end == out.size() || !identifier_byte(out[end]))) {
                next += to;
                i = end;
            } else {
                next += out[i++];
            }
        }
        out = std::move(next);
    }
    return out;
}

Cell renamed_cell(const Cell& cell, const Renames& renames) {
    if (const auto* e = std::get_if<Entity>(&cell)) return Entity{renamed(e->id, renames)};
    return cell;
}

/// Values of two sessions in one space, so that tuples compare as integers. An entity's id is
/// its index in BEFORE's symbols (no work for that side); AFTER's entities are found there by
/// name — by the same index first, which holds whenever both sides read the same files in the
/// same order — and the names BEFORE lacks get ids past its end. Strings and integers, far
/// fewer, are interned by text. Each side caches its symbol indexes' ids.
class Canon {
public:
    struct Side {
        const engine::Symbols* symbols = nullptr;
        bool before = false;
        std::vector<std::uint32_t> entity, string, integer;
    };
    static constexpr std::uint32_t unset = UINT32_MAX;

    explicit Canon(const engine::Symbols& before) : before_(before), next_entity_(static_cast<std::uint32_t>(before.entity_count())) {}

    Value map(Side& side, Value v) {
        const auto index = v.index();
        switch (v.tag()) {
        case ValueTag::none: return v;
        case ValueTag::entity:
            if (side.before) return v;
            return Value::make(ValueTag::entity, lookup(side.entity, index, [&] { return after_entity(side, v); }));
        case ValueTag::string: return Value::make(ValueTag::string, lookup(side.string, index, [&] {
            return intern(strings_, side.symbols->string_text(v));
        }));
        case ValueTag::integer: return Value::make(ValueTag::integer, lookup(side.integer, index, [&] {
            auto [it, fresh] = integers_.try_emplace(side.symbols->integer_value(v), static_cast<std::uint32_t>(integers_.size()));
            return it->second;
        }));
        }
        return v;
    }

private:
    std::uint32_t after_entity(const Side& side, Value v) {
        const std::string_view name = side.symbols->entity_name(v);
        if (v.index() < before_.entity_count() && before_.entity_name(v) == name) return v.index();
        if (Value b = before_.find_entity(name); !b.is_none()) return b.index();
        return next_entity_++;
    }
    template <typename F>
    static std::uint32_t lookup(std::vector<std::uint32_t>& cache, std::uint32_t index, F&& make) {
        if (index >= cache.size()) cache.resize(std::max<std::size_t>(index + 1, cache.size() * 2), unset);
        if (cache[index] == unset) cache[index] = make();
        return cache[index];
    }
    static std::uint32_t intern(std::unordered_map<std::string, std::uint32_t, engine::StringHash, std::equal_to<>>& table,
                                std::string_view text) {
        auto it = table.find(text);
        if (it != table.end()) return it->second;
        auto id = static_cast<std::uint32_t>(table.size());
        table.emplace(std::string(text), id);
        return id;
    }
    const engine::Symbols& before_;
    std::uint32_t next_entity_;
    std::unordered_map<std::string, std::uint32_t, engine::StringHash, std::equal_to<>> strings_;
    std::unordered_map<std::int64_t, std::uint32_t> integers_;
};

std::uint64_t mix(std::uint64_t x) {  // splitmix64's finaliser
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/// One store's rows in the shared value space: a hash per row and an order-independent
/// 128-bit fingerprint of the set (two sums of row hashes). The rows themselves are kept only
/// when asked for, for a relation whose two sides' fingerprints differ.
struct CanonRows {
    std::size_t arity = 0;
    std::vector<Value> values;
    std::vector<std::uint64_t> hashes;
    std::uint64_t sum = 0, sum2 = 0;

    CanonRows(Canon& canon, Canon::Side& side, const engine::Store& store, bool keep) : arity(store.arity()) {
        const std::size_t rows = store.size();
        if (keep) {
            values.resize(rows * arity);
            hashes.resize(rows);
        }
        for (std::size_t r = 0; r < rows; ++r) {
            auto row = store.row(r);
            std::uint64_t h = 0x9e3779b97f4a7c15ULL * (arity + 1);
            for (std::size_t c = 0; c < arity; ++c) {
                Value v = canon.map(side, row[c]);
                if (keep) values[r * arity + c] = v;
                h = mix(h ^ (v.bits + 0x9e3779b97f4a7c15ULL * (c + 1)));
            }
            if (keep) hashes[r] = h;
            sum += h;
            sum2 += mix(h ^ 0x5851f42d4c957f2dULL);
        }
    }
    [[nodiscard]] bool same_set(const CanonRows& other, std::size_t size, std::size_t other_size) const {
        return size == other_size && sum == other.sum && sum2 == other.sum2;
    }
    /// Rows in (hash, values) order: equal rows of two sides line up.
    [[nodiscard]] std::vector<std::pair<std::uint64_t, std::uint32_t>> order() const {
        std::vector<std::pair<std::uint64_t, std::uint32_t>> rows(hashes.size());
        for (std::uint32_t i = 0; i < rows.size(); ++i) rows[i] = {hashes[i], i};
        std::sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) {
            return a.first != b.first ? a.first < b.first : tie_less(*this, a.second, *this, b.second);
        });
        return rows;
    }
    static bool tie_less(const CanonRows& x, std::uint32_t a, const CanonRows& y, std::uint32_t b) {
        for (std::size_t c = 0; c < x.arity; ++c) {
            auto va = x.values[a * x.arity + c].bits, vb = y.values[b * y.arity + c].bits;
            if (va != vb) return va < vb;
        }
        return false;
    }
};

/// Rows of store `a` missing from `b` and rows of `b` missing from `a` (stores hold no
/// duplicates): equal fingerprints mean equal sets; otherwise both sides sorted and merged.
void set_difference(Canon& canon, Canon::Side& side_a, const engine::Store& a, Canon::Side& side_b, const engine::Store& b,
                    std::vector<std::uint32_t>& only_a, std::vector<std::uint32_t>& only_b) {
    {
        CanonRows fa(canon, side_a, a, false), fb(canon, side_b, b, false);
        if (fa.same_set(fb, a.size(), b.size())) return;
    }
    CanonRows ra(canon, side_a, a, true), rb(canon, side_b, b, true);
    auto oa = ra.order(), ob = rb.order();
    auto less = [](const CanonRows& x, const std::pair<std::uint64_t, std::uint32_t>& p, const CanonRows& y,
                   const std::pair<std::uint64_t, std::uint32_t>& q) {
        return p.first != q.first ? p.first < q.first : CanonRows::tie_less(x, p.second, y, q.second);
    };
    std::size_t i = 0, j = 0;
    while (i < oa.size() || j < ob.size()) {
        if (j == ob.size() || (i < oa.size() && less(ra, oa[i], rb, ob[j]))) only_a.push_back(oa[i++].second);
        else if (i == oa.size() || less(rb, ob[j], ra, oa[i])) only_b.push_back(ob[j++].second);
        else ++i, ++j;
    }
}

std::vector<std::vector<Cell>> rows_as_cells(const Session::Impl& impl, const engine::Store& store,
                                             const std::vector<std::uint32_t>& rows) {
    Table t;
    for (auto r : rows) {
        std::vector<Cell> cells;
        for (Value v : store.row(r)) cells.push_back(impl.cell(v));
        t.rows.push_back(std::move(cells));
    }
    impl.sort_rows(t);
    return std::move(t.rows);
}

std::string violation_key(const Violation& v, const Renames& renames) {
    std::string key = fmt::format("{}\x1f{}\x1f{}", static_cast<int>(v.severity), v.check, renamed_in_text(v.message, renames));
    for (const auto& s : v.subjects) key += "\x1f" + renamed(s, renames);
    return key;
}

Table who_approves(Session::Impl& impl, const std::string& flow, Status& status) {
    Table none{{"step", "approver"}, {}};
    if (!impl.model.names.entities.in(impl.symbols).contains(flow) || !impl.model.names.relations.contains("performs")) return none;
    lang::ast::Question question;
    question.form = lang::ast::Question::Form::who_approves;
    question.arguments.push_back({flow, {}});
    auto answer = impl.run_question(question, {});
    status.diagnostics.insert(status.diagnostics.end(), answer.diagnostics.begin(), answer.diagnostics.end());
    return answer.ok() ? std::move(answer.value) : none;
}

std::set<std::string> flows_of(const Session::Impl& impl) {
    std::set<std::string> out;
    for (const auto& [id, info] : impl.model.names.entities.in(impl.symbols))
        if (impl.model.names.is_subkind(info.kind, "flow")) out.emplace(id);
    return out;
}

Table renamed_table(const Session::Impl& impl, Table t, const Renames& renames) {
    for (auto& row : t.rows)
        for (auto& cell : row) cell = renamed_cell(cell, renames);
    impl.sort_rows(t);
    return t;
}

Table chain(const Session::Impl& impl, engine::RelationId closure, const std::string& body) {
    Table t{{"up"}, {}};
    Value b = impl.symbols.find_entity(body);
    if (b.is_none()) return t;
    const auto& store = impl.database.relations[closure];
    Value key[2] = {b, {}};
    for (auto row : store.lookup(1u, key)) t.rows.push_back({impl.cell(store.row(row)[1])});
    impl.sort_rows(t);
    return t;
}

/// What changes from `before` to `after`. With `may_differ` (per relation of `after`), the
/// relations not marked in it are known to be equal and are not compared.
ModelDiff compare(Session::Impl& before, Session::Impl& after, Status& status,
                  const std::vector<char>* may_differ = nullptr) {
    static const Renames no_renames;
    const Renames& renames = after.proposal ? after.proposal->renames : no_renames;
    Renames reverse;
    for (auto it = renames.rbegin(); it != renames.rend(); ++it) reverse.emplace_back(it->second, it->first);
    ModelDiff diff;

    // `? reports_to+(B, ?up)` reads the closure: make it where no query has yet.
    lang::Diagnostics diagnostics;
    auto chain_before = before.closure_of("reports_to", diagnostics);
    auto chain_after = after.closure_of("reports_to", diagnostics);
    for (const auto& d : diagnostics.take()) status.diagnostics.push_back(after.convert(d));

    // Violations, compared by check, severity, message and subjects (not by location: a moved
    // statement is no new problem), read with the proposal's renames applied — on both sides,
    // since a message may quote source text (a seat rule's) that still has the old name.
    auto violations_before = before.violations();
    auto violations_after = after.violations();
    for (auto* r : {&violations_before, &violations_after})
        status.diagnostics.insert(status.diagnostics.end(), r->diagnostics.begin(), r->diagnostics.end());
    std::unordered_map<std::string, int> count_before, count_after;
    for (const auto& v : violations_before.value) ++count_before[violation_key(v, renames)];
    for (const auto& v : violations_after.value) ++count_after[violation_key(v, renames)];
    for (const auto& v : violations_after.value)
        if (int& n = count_before[violation_key(v, renames)]; n > 0) --n;
        else diff.violations_added.push_back(v);
    for (const auto& v : violations_before.value)
        if (int& n = count_after[violation_key(v, renames)]; n > 0) --n;
        else diff.violations_removed.push_back(v);

    // Every relation, stated and derived: the tuples of each side that the other lacks.
    Canon canon(before.symbols);
    Canon::Side side_before{&before.symbols, true, {}, {}, {}}, side_after{&after.symbols, false, {}, {}, {}};
    side_after.entity.assign(after.symbols.entity_count(), Canon::unset);
    std::map<std::string, std::pair<std::optional<engine::RelationId>, std::optional<engine::RelationId>>> relations;
    for (const auto& [name, id] : before.model.names.relations)
        if (name.find('/') == std::string::npos && id < before.database.relations.size()) relations[name].first = id;
    for (const auto& [name, id] : after.model.names.relations)
        if (name.find('/') == std::string::npos && id < after.database.relations.size()) relations[name].second = id;
    std::set<std::string> chain_bodies;
    for (const auto& [name, ids] : relations) {
        const bool closure = name.ends_with('+') || name.ends_with('*');
        if (closure && (!ids.first || !ids.second)) continue;  // made by a query on one side only
        if (may_differ != nullptr && ids.second && (*ids.second >= may_differ->size() || !(*may_differ)[*ids.second]))
            continue;
        RelationChange change{name, {}, {}};
        static const engine::Store empty;
        const engine::Store& a = ids.first ? before.database.relations[*ids.first] : empty;
        const engine::Store& b = ids.second ? after.database.relations[*ids.second] : empty;
        std::vector<std::uint32_t> only_a, only_b;
        if (a.arity() != b.arity() && a.size() > 0 && b.size() > 0) {
            for (std::uint32_t r = 0; r < a.size(); ++r) only_a.push_back(r);
            for (std::uint32_t r = 0; r < b.size(); ++r) only_b.push_back(r);
        } else {
            set_difference(canon, side_before, a, side_after, b, only_a, only_b);
        }
        if (only_a.empty() && only_b.empty()) continue;
        change.removed = rows_as_cells(before, a, only_a);
        change.added = rows_as_cells(after, b, only_b);
        if (name == "reports_to+") {
            for (const auto& row : change.removed)
                if (const auto* e = std::get_if<Entity>(&row.front())) chain_bodies.insert(renamed(e->id, renames));
            for (const auto& row : change.added)
                if (const auto* e = std::get_if<Entity>(&row.front())) chain_bodies.insert(e->id);
        }
        diff.relations.push_back(std::move(change));
    }

    // `who approves F` for every flow of either side whose answer changed.
    std::set<std::string> flows = flows_of(after);
    for (const auto& f : flows_of(before)) flows.insert(renamed(f, renames));
    for (const auto& f : flows) {
        Table old_answer = who_approves(before, renamed(f, reverse), status);
        Table new_answer = who_approves(after, f, status);
        if (renamed_table(before, old_answer, renames).rows == new_answer.rows) continue;
        diff.approvals.push_back({fmt::format("who approves {}", written_name(f)), std::move(old_answer), std::move(new_answer)});
    }

    // `? reports_to+(B, ?up)` for every body whose chain changed (renames aside).
    if (chain_before && chain_after) {
        for (const auto& body : chain_bodies) {
            Table old_chain = chain(before, *chain_before, renamed(body, reverse));
            Table new_chain = chain(after, *chain_after, body);
            if (renamed_table(before, old_chain, renames).rows == new_chain.rows) continue;
            diff.reporting_chains.push_back({fmt::format("? reports_to+({}, ?up)", written_name(body)), std::move(old_chain),
                                             std::move(new_chain)});
        }
    }
    return diff;
}

}  // namespace

std::optional<engine::RelationId> Session::Impl::closure_of(const std::string& relation, lang::Diagnostics& diagnostics) {
    if (auto it = model.names.relations.find(relation + "+"); it != model.names.relations.end()) return it->second;
    auto base = model.names.relations.find(relation);
    if (base == model.names.relations.end() || model.program.relations[base->second].arity() != 2) return std::nullopt;
    lang::ast::Atom atom;
    atom.relation.text = relation;
    atom.closure = lang::ast::Closure::plus;
    for (const char* v : {"a", "b"}) {
        lang::ast::Term t;
        t.kind = lang::ast::Term::Kind::variable;
        t.text = v;
        atom.arguments.push_back({std::nullopt, t});
    }
    std::vector<lang::ast::Literal> body{{lang::ast::Literal::Kind::positive, atom, {}, "", {}, std::nullopt, {}}};
    engine::Query query;
    lang::Diagnostics scratch;  // a relation whose two parameters differ in type has no closure: no chains then
    if (!lang::lower_query(model, symbols, sources, body, {}, query, scratch)) return std::nullopt;
    if (!extend(diagnostics) || !complete(diagnostics)) return std::nullopt;
    auto it = model.names.relations.find(relation + "+");
    return it == model.names.relations.end() ? std::nullopt : std::optional(it->second);
}

Result<ModelDiff> Session::diff(Session& before, Session& after) {
    return guarded([&] {
        Result<ModelDiff> result;
        lang::Diagnostics diagnostics;
        if (!before.impl_->complete(diagnostics) || !after.impl_->complete(diagnostics)) {
            static_cast<Status&>(result) = after.impl_->finish(diagnostics);
            return result;
        }
        result.value = compare(*before.impl_, *after.impl_, result);
        return result;
    });
}

Result<ModelDiff> Session::diff_assumptions() {
    return guarded([&] {
        Result<ModelDiff> result;
        if (impl_->assumptions.empty()) return result;
        if (impl_->baseline) {
            lang::Diagnostics diagnostics;
            if (!impl_->baseline->complete(diagnostics) || !impl_->complete(diagnostics)) {
                static_cast<Status&>(result) = impl_->finish(diagnostics);
                return result;
            }
            result.value = compare(*impl_->baseline, *impl_, result, &impl_->assumed);
            return result;
        }
        // The model without its assumptions, rebuilt in a second session from the same sources.
        Session base(impl_->options);
        auto& b = *base.impl_;
        b.sources = impl_->sources;
        b.symbols = impl_->symbols;
        b.root_files = impl_->root_files;
        b.roots = impl_->roots;
        b.proposal = impl_->proposal;
        for (const auto& file : impl_->parsed)
            if (std::none_of(impl_->assumptions.begin(), impl_->assumptions.end(),
                             [&](const Impl::Assumption& a) { return a.add && a.source == file.source; }))
                b.parsed.push_back(file);
        lang::Diagnostics diagnostics;
        const bool built = b.parsed.empty() || (b.rebuild(diagnostics) &&
                                                b.complete(diagnostics) && impl_->complete(diagnostics));
        if (!built) {
            static_cast<Status&>(result) = b.finish(diagnostics);
            return result;
        }
        result.value = compare(b, *impl_, result);
        return result;
    });
}

}  // namespace charter
