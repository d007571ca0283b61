// `:assume add|remove FACT` and `:reset` (§9): hypothetical changes to the stated facts. An
// assumption changes one relation's facts in the resolved program and evaluates again only the
// strata that derive from that relation; the session as it was before the first assumption is
// kept (`baseline`), so that :diff compares with it and :reset returns to it at once.
#include "session_impl.hpp"

#include "engine/evaluate.hpp"

namespace charter {

std::unique_ptr<Session::Impl> Session::Impl::snapshot() const {
    auto copy = std::make_unique<Impl>(options);
    copy->sources = sources;
    copy->root_files = root_files;
    copy->roots = roots;
    copy->parsed = parsed;
    copy->symbols = symbols;
    copy->model = model;
    copy->strata = strata;
    copy->walkable = walkable;
    copy->database.relations.reserve(database.relations.size());
    for (const auto& store : database.relations) copy->database.relations.push_back(store.clone());
    copy->database.strata_done = database.strata_done;
    copy->database.walked = database.walked;
    copy->warnings = warnings;
    copy->assumptions = assumptions;
    copy->proposal = proposal;
    return copy;
}

void Session::Impl::remove_stated(engine::RelationId relation, const std::vector<engine::Value>& tuple) {
    auto& facts = model.program.facts[relation];
    const std::size_t arity = model.program.relations[relation].arity();
    std::size_t kept = 0;
    for (std::size_t row = 0; row < facts.locations.size(); ++row) {
        auto first = facts.values.begin() + static_cast<std::ptrdiff_t>(row * arity);
        if (std::equal(tuple.begin(), tuple.end(), first)) continue;
        std::copy_n(first, arity, facts.values.begin() + static_cast<std::ptrdiff_t>(kept * arity));
        facts.locations[kept++] = facts.locations[row];
    }
    facts.values.resize(kept * arity);
    facts.locations.resize(kept);
}

bool Session::Impl::apply_assumption(const Assumption& a, lang::Span where, lang::Diagnostics& diagnostics) {
    restore_facts();
    if (!baseline) baseline = snapshot();
    auto& program = model.program;
    if (a.add) {
        const auto at = program.add_location({where.source, where.begin, where.end});
        auto& facts = program.facts[a.relation];
        facts.values.insert(facts.values.end(), a.tuple.begin(), a.tuple.end());
        facts.locations.push_back(at);
    } else {
        remove_stated(a.relation, a.tuple);
    }
    // What may change: the relation and everything derived from it. Their stores start again
    // from the stated facts, and the strata that hold them run again.
    const auto changed = engine::dependents(program, {a.relation});
    assumed.resize(changed.size(), 0);
    for (std::size_t r = 0; r < changed.size(); ++r) {
        if (!changed[r]) continue;
        assumed[r] = 1;
        database.relations[r] = engine::stated_store(program, static_cast<engine::RelationId>(r));
    }
    for (std::size_t i = 0; i < strata.strata.size() && i < database.strata_done.size(); ++i)
        for (auto r : strata.strata[i])
            if (changed[r]) database.strata_done[i] = 0;
    return complete(diagnostics);
}

namespace {
/// The relation and constant tuple of a fact, lowered as a one-atom query; nothing when the
/// fact is not one (variables, missing arguments): the full resolver then says why.
std::optional<std::pair<engine::RelationId, std::vector<engine::Value>>> fact_tuple(
    Session::Impl& impl, const lang::ast::Fact& fact, lang::Span span, lang::Diagnostics& diagnostics) {
    auto r = impl.model.names.relations.find(fact.atom.relation.text);
    if (r == impl.model.names.relations.end()) {
        diagnostics.error(fact.atom.relation.span, fmt::format("unknown relation `{}`", fact.atom.relation.text));
        return std::nullopt;
    }
    std::vector<lang::ast::Literal> body{{lang::ast::Literal::Kind::positive, fact.atom, {}, "", {}, std::nullopt, span}};
    engine::Query q;
    if (!lang::lower_query(impl.model, impl.symbols, impl.sources, body, span, q, diagnostics)) return std::nullopt;
    if (q.body.size() != 1 || q.body.front().relation != r->second) return std::nullopt;
    std::vector<engine::Value> tuple;
    for (const auto& t : q.body.front().args) {
        if (t.is_variable()) return std::nullopt;
        tuple.push_back(t.constant);
    }
    if (tuple.size() != impl.model.program.relations[r->second].arity()) return std::nullopt;
    return std::pair{r->second, std::move(tuple)};
}
}  // namespace

Status Session::assume(std::string_view change) {
    return guarded([&]() -> Status {
        auto& s = *impl_;
        s.restore_facts();
        lang::Diagnostics diagnostics;
        std::string_view text = change;
        while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
        const bool add = text.starts_with("add ");
        if (!add && !text.starts_with("remove ")) {
            diagnostics.error({}, fmt::format("an assumption is `add FACT` or `remove FACT`, not `{}`", change));
            return s.finish(diagnostics);
        }
        text.remove_prefix(add ? 4 : 7);
        auto name = fmt::format("<assume {}>", s.assumptions.size() + 1);
        auto statement = s.parse_one(text, name, diagnostics);
        if (!statement) return s.finish(diagnostics);
        const auto* fact = std::get_if<lang::ast::Fact>(&statement->node);
        if (fact == nullptr) {
            diagnostics.error(statement->span, "an assumption adds or removes one fact: `add r(a, b)`");
            return s.finish(diagnostics);
        }
        Impl::Assumption a;
        a.add = add;
        a.source = statement->span.source;
        // An added fact that does not lower as a plain tuple goes through the whole resolver,
        // which reports what is wrong with it.
        lang::Diagnostics lowering;
        auto lowered = fact_tuple(s, *fact, statement->span, add ? lowering : diagnostics);
        if (!lowered && !add) return s.finish(diagnostics);
        if (lowered) {
            a.relation = lowered->first;
            a.tuple = std::move(lowered->second);
        }
        if (!add) {
            const auto& facts = s.model.program.facts[a.relation];
            const std::size_t arity = a.tuple.size();
            bool stated = false;
            for (std::size_t row = 0; row < facts.locations.size() && !stated; ++row)
                stated = std::equal(a.tuple.begin(), a.tuple.end(), facts.values.begin() + static_cast<std::ptrdiff_t>(row * arity));
            if (!stated) {
                diagnostics.error(statement->span, "no such stated fact to remove",
                                  "only stated facts can be removed; derived ones follow from them");
                return s.finish(diagnostics);
            }
        }
        s.assumptions.push_back(a);
        if (add) s.parsed.push_back({a.source, lang::ast::File{a.source, {*statement}}});
        bool applied = false;
        if (lowered) {
            applied = s.apply_assumption(a, statement->span, diagnostics);
        } else if (s.rebuild(diagnostics)) {
            applied = true;
            s.assumed.assign(s.model.program.relations.size(), 1);  // evaluated anew: anything may differ
        }
        Status status = s.finish(diagnostics);
        if (!applied) {
            // A limit, Ctrl-C or a bad fact: the session goes back to the assumptions it had.
            if (add) s.parsed.pop_back();
            s.assumptions.pop_back();
            if (s.assumptions.empty() && s.baseline) {
                auto base = std::move(s.baseline);
                impl_ = std::move(base);  // `s` is gone from here on
            } else {
                lang::Diagnostics ignored;
                s.rebuild(ignored);
                s.assumed.assign(s.model.program.relations.size(), 1);
            }
        }
        return status;
    });
}

void Session::reset() {
    if (impl_->baseline) {
        auto base = std::move(impl_->baseline);
        impl_ = std::move(base);
        return;
    }
    for (const auto& a : impl_->assumptions)
        if (a.add)
            std::erase_if(impl_->parsed, [&](const lang::ParsedFile& f) { return f.source == a.source; });
    impl_->assumptions.clear();
    impl_->assumed.clear();
    lang::Diagnostics ignored;
    if (!impl_->parsed.empty()) impl_->rebuild(ignored);
}

}  // namespace charter
