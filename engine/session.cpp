// charter::Session: the pipeline on one screen — read, parse, resolve and lower, stratify,
// evaluate — with rollback on errors, so that a bad statement never loses a session's state.
#include "session_impl.hpp"

#include "lang/parser.hpp"

#include <fmt/format.h>

namespace charter {

namespace fs = std::filesystem;

bool Status::ok() const {
    return std::none_of(diagnostics.begin(), diagnostics.end(),
                        [](const Diagnostic& d) { return d.severity == Severity::error; });
}

Session::Session(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;
Session::~Session() = default;

// ---- the pipeline ------------------------------------------------------------------------

lang::PathPolicy Session::Impl::policy() const {
    lang::PathPolicy policy;
    std::error_code ec;
    policy.allowed_roots.push_back(fs::weakly_canonical(fs::current_path(ec), ec));
    for (const auto& f : root_files) policy.allowed_roots.push_back(f.parent_path());
    for (const auto& p : options.allowed_paths) policy.allowed_roots.push_back(fs::weakly_canonical(p, ec));
    return policy;
}

engine::Limits Session::Impl::limits() const {
    engine::Limits l;
    l.max_tuples = options.max_tuples;
    l.timeout = options.timeout;
    l.max_memory = std::min<std::uint64_t>(options.max_memory_mb, UINT64_MAX >> 20) << 20;
    l.cancel = &cancel;
    return l;
}

lang::Span Session::Impl::span_of(engine::LocationId id) const {
    const auto place = model.program.place(id);
    if (place.line != 0) return sources.line_span(place.location.source, place.line);
    const auto& l = place.location;
    return {l.source, l.begin, l.end};
}

Location Session::Impl::locate(engine::LocationId id) const {
    auto where = sources.locate(span_of(id));
    return {where.file, where.line, where.column};
}

Diagnostic Session::Impl::convert(const lang::Diagnostic& d) const {
    Diagnostic out;
    out.severity = d.severity == lang::Severity::error ? Severity::error
                 : d.severity == lang::Severity::warning ? Severity::warning : Severity::note;
    out.message = d.message;
    out.hint = d.hint;
    if (d.span.source != lang::no_source) {
        auto where = sources.locate(d.span);
        out.file = where.file;
        out.line = where.line;
        out.column = where.column;
        out.length = where.length;
        auto excerpt = lang::excerpt(sources.line_text(d.span.source, where.line), where.column);
        out.source_line = std::move(excerpt.text);
        out.excerpt_column = excerpt.first_column;
    }
    for (const auto& n : d.notes) out.notes.push_back(convert(n));
    return out;
}

void Session::Impl::add_problems(const std::vector<engine::Problem>& problems, lang::Diagnostics& diagnostics) const {
    for (const auto& p : problems) diagnostics.error(span_of(p.location), p.message, p.hint);
}

Status Session::Impl::finish(lang::Diagnostics& diagnostics) {
    Status status;
    for (const auto& d : diagnostics.take()) status.diagnostics.push_back(convert(d));
    return status;
}

bool Session::Impl::evaluate(lang::Diagnostics& diagnostics) {
    const auto& program = model.program;
    strata = engine::stratify(program);
    for (std::size_t i = 0; i < strata.bad_cycles.size(); ++i) {
        std::vector<std::string> cycle;
        for (auto r : strata.bad_cycles[i]) cycle.push_back(program.relations[r].name);
        cycle.push_back(cycle.front());
        diagnostics.error(span_of(strata.bad_cycle_locations[i]),
                          fmt::format("negation or aggregate inside recursion: {}", fmt::join(cycle, " → ")),
                          "a relation cannot depend on itself through `not` or an aggregate (stratified negation)");
    }
    if (diagnostics.has_errors()) return false;
    walkable = engine::walkable_closures(program, strata);
    if (!options.evaluate_on_load) {
        // The stated facts move into the stores, relation by relation, so that they are never
        // held twice (a million-body organisation has 15 million of them); restore_facts()
        // brings them back for what reads the program's facts.
        database = {};
        facts_in_stores.assign(program.relations.size(), 0);
        for (engine::RelationId r = 0; r < program.relations.size(); ++r) {
            const auto arity = static_cast<std::uint32_t>(program.relations[r].arity());
            if (r >= model.program.facts.size()) {
                database.relations.emplace_back(arity);
                continue;
            }
            auto& facts = model.program.facts[r];
            database.relations.push_back(engine::Store::of_rows(arity, std::move(facts.values), std::move(facts.locations)));
            facts = {};
            facts_in_stores[r] = static_cast<std::uint32_t>(database.relations[r].size()) + 1;
        }
        database.strata_done.assign(strata.strata.size(), 0);
        return true;
    }
    std::vector<engine::Problem> problems;
    cancel = false;
    database = engine::evaluate(program, strata, symbols, limits(), problems);
    add_problems(problems, diagnostics);
    return problems.empty();
}

bool Session::Impl::extend(lang::Diagnostics& diagnostics) {
    const auto& program = model.program;
    std::vector<char> done(program.relations.size(), 0);
    for (std::size_t i = 0; i < strata.strata.size() && i < database.strata_done.size(); ++i)
        if (database.strata_done[i])
            for (auto r : strata.strata[i]) done[r] = 1;
    strata = engine::stratify(program);
    if (!strata.bad_cycles.empty()) return evaluate(diagnostics);  // reports them
    walkable = engine::walkable_closures(program, strata);
    for (auto r = database.relations.size(); r < program.relations.size(); ++r)
        database.relations.emplace_back(static_cast<std::uint32_t>(program.relations[r].arity()));
    database.strata_done.assign(strata.strata.size(), 0);
    for (std::size_t i = 0; i < strata.strata.size(); ++i)
        database.strata_done[i] = std::all_of(strata.strata[i].begin(), strata.strata[i].end(),
                                              [&](engine::RelationId r) { return done[r] != 0; });
    return true;
}

bool Session::Impl::evaluate_for(const engine::Query& query, lang::Diagnostics& diagnostics) {
    if (database.complete()) return true;
    // The query walks its closures itself; the rules walk theirs only when the session is
    // lazy (Options::evaluate_on_load off), since walks leave derived tuples' locations rough.
    std::vector<engine::RelationId> reads;
    for (auto r : engine::query_relations(query))
        reads.push_back(r < walkable.size() && walkable[r] != engine::no_relation ? walkable[r] : r);
    std::vector<engine::Problem> problems;
    cancel = false;
    engine::evaluate_for(model.program, strata, options.evaluate_on_load ? nullptr : &walkable, reads, database,
                         symbols, limits(), problems);
    add_problems(problems, diagnostics);
    return problems.empty();
}

void Session::Impl::restore_facts() {
    for (engine::RelationId r = 0; r < facts_in_stores.size(); ++r) {
        if (facts_in_stores[r] == 0) continue;
        const auto& store = database.relations[r];
        auto& facts = model.program.facts[r];
        for (std::size_t row = 0; row + 1 < facts_in_stores[r]; ++row) {
            auto tuple = store.row(row);
            facts.values.insert(facts.values.end(), tuple.begin(), tuple.end());
            facts.locations.push_back(store.location(row));
        }
    }
    facts_in_stores.clear();
}

bool Session::Impl::complete(lang::Diagnostics& diagnostics) {
    restore_facts();
    if (database.complete()) return true;
    std::vector<engine::Problem> problems;
    cancel = false;
    if (database.walked)
        database = engine::evaluate(model.program, strata, symbols, limits(), problems);
    else
        engine::evaluate_rest(model.program, strata, database, symbols, limits(), problems);
    add_problems(problems, diagnostics);
    return problems.empty();
}

bool Session::Impl::rebuild(lang::Diagnostics& diagnostics) {
    facts_in_stores.clear();  // a new model, with its facts
    model = lang::resolve(sources, parsed, policy(), symbols, diagnostics);
    if (diagnostics.has_errors()) return false;
    // A proposal's `remove`s and renames; then the hypothetical changes (`:assume`): added
    // facts are parsed sources already, removals drop the stated tuple.
    if (proposal && !apply_proposal(diagnostics)) return false;
    for (const auto& a : assumptions)
        if (!a.add) remove_stated(a.relation, a.tuple);
    return evaluate(diagnostics);
}

Status Session::Impl::add_roots(const std::vector<lang::SourceId>& added, lang::Diagnostics& diagnostics) {
    // The model changes under the assumptions: :diff and :reset evaluate the base again.
    baseline.reset();
    const auto parsed_before = parsed.size();
    const auto roots_before = roots.size();
    for (auto source : added) {
        roots.push_back(source);
        lang::parse_with_imports(sources, source, policy(), parsed, diagnostics);
    }
    if (diagnostics.has_errors() || !rebuild(diagnostics)) {
        // Roll back: the session keeps the model it had.
        parsed.resize(parsed_before);
        roots.resize(roots_before);
        lang::Diagnostics ignored;
        if (!parsed.empty()) rebuild(ignored);
        else {
            model = {};
            database = {};
        }
    }
    return finish(diagnostics);
}

// ---- loading -----------------------------------------------------------------------------


Status Session::load_file(const fs::path& path) { return load_files({path}); }

Status Session::load_files(const std::vector<fs::path>& paths) {
    return guarded([&]() -> Status {
        lang::Diagnostics diagnostics;
        const auto files_before = impl_->root_files.size();
        std::vector<lang::SourceId> added;
        for (const auto& path : paths) {
            std::error_code ec;
            fs::path canonical = fs::weakly_canonical(path, ec);
            if (ec) canonical = path;
            lang::SourceId id = lang::read_source(impl_->sources, canonical, path.string(), {}, diagnostics);
            if (id == lang::no_source) continue;
            if (std::find(impl_->roots.begin(), impl_->roots.end(), id) != impl_->roots.end() ||
                std::find(added.begin(), added.end(), id) != added.end())
                continue;
            impl_->root_files.push_back(canonical);
            added.push_back(id);
        }
        if (diagnostics.has_errors()) {
            impl_->root_files.resize(files_before);
            return impl_->finish(diagnostics);
        }
        if (added.empty()) return impl_->finish(diagnostics);
        Status status = impl_->add_roots(added, diagnostics);
        if (!status.ok()) impl_->root_files.resize(files_before);
        return status;
    });
}

Status Session::load_string(std::string_view text, std::string_view name) {
    return guarded([&]() -> Status {
        lang::Diagnostics diagnostics;
        lang::SourceId id = impl_->sources.add(std::string(name), "", std::string(text));
        return impl_->add_roots({id}, diagnostics);
    });
}

Status Session::reload() {
    return guarded([&]() -> Status {
        auto files = impl_->root_files;
        auto options = impl_->options;
        impl_ = std::make_unique<Impl>(std::move(options));
        return load_files(files);
    });
}

// ---- names -------------------------------------------------------------------------------

std::vector<std::string> Session::entities() const {
    std::vector<std::string> out;
    for (const auto& [name, _] : impl_->model.names.entities.in(impl_->symbols)) out.emplace_back(name);
    return out;
}

std::vector<std::string> Session::relations() const {
    std::vector<std::string> out;
    for (const auto& r : impl_->model.program.relations)
        if (r.name.find('/') == std::string::npos) out.push_back(r.name);
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::string> Session::kinds() const {
    std::vector<std::string> out;
    for (const auto& [name, _] : impl_->model.names.kinds) out.push_back(name);
    return out;
}

std::vector<fs::path> Session::loaded_files() const { return impl_->root_files; }

}  // namespace charter

namespace charter {
void Session::cancel() noexcept { impl_->cancel = true; }
}  // namespace charter
