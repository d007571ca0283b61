// Proposals (§9 `charter diff`): `amends "model.charter"`, then new statements, `remove FACT`,
// `remove ENTITY` and `rename OLD to NEW`. Renames rewrite the amended model's syntax trees (and
// data files) before resolving; removals drop stated tuples from the resolved program before
// evaluating. The result is an ordinary session: queries, checks and diffs read it as any model.
#include "session_impl.hpp"

#include "lang/parser.hpp"

#include <fmt/format.h>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <unordered_set>
#include <utility>

namespace charter {

namespace fs = std::filesystem;
namespace ast = lang::ast;
using engine::Value;

namespace {

constexpr std::string_view stdlib_prefix = "<std>/";

/// Renames `from` in `text`: the name itself, and the names nested in it (`from.x`).
bool rename_text(std::string& text, const std::string& from, const std::string& to) {
    if (text == from) {
        text = to;
        return true;
    }
    if (text.size() > from.size() && text.starts_with(from) && text[from.size()] == '.') {
        text = to + text.substr(from.size());
        return true;
    }
    return false;
}

std::string parent_of(const std::string& id) {
    auto dot = id.rfind('.');
    return dot == std::string::npos ? std::string() : id.substr(0, dot);
}

/// `rename OLD to NEW` over one syntax tree: every place a statement names an entity (fact and
/// rule arguments, seat rules, step performers, questions, `expect … on`), and the declaration
/// itself — for a nested entity, its short name inside the parent's block. Relation, kind,
/// parameter and step names and tags are other namespaces and stay as they are.
class Renamer {
public:
    Renamer(const std::string& from, const std::string& to, const std::map<std::string, std::string>& kinds)
        : from_(from), to_(to), kinds_(kinds) {
        auto dot = to.rfind('.');
        to_short_ = dot == std::string::npos ? to : to.substr(dot + 1);
    }

    void file(ast::File& f) {
        for (auto& s : f.statements) statement(s, nullptr, false);
    }

private:
    [[nodiscard]] bool is_case(std::string kind) const {
        for (std::size_t guard = 0; !kind.empty() && guard <= kinds_.size(); ++guard) {
            if (kind == "case") return true;
            auto it = kinds_.find(kind);
            if (it == kinds_.end()) return false;
            kind = it->second;
        }
        return false;
    }
    void name(ast::Name& n) { rename_text(n.text, from_, to_); }
    void term(ast::Term& t) {
        if (t.kind == ast::Term::Kind::name) rename_text(t.text, from_, to_);
        for (auto& a : t.arithmetic)
            for (auto& o : a.operands) term(o);
    }
    void atom(ast::Atom& a) {
        for (auto& argument : a.arguments) term(argument.value);
    }
    void literals(std::vector<ast::Literal>& ls) {
        for (auto& l : ls) {
            atom(l.atom);
            term(l.left);
            term(l.right);
            if (l.aggregate) literals(l.aggregate->body);
        }
    }

    void phrase(ast::Phrase& p, const std::string* owner, bool owner_is_case) {
        const std::string& head = p.head.text;
        if (owner != nullptr && owner_is_case && (head == "flow" || head == "at" || head == "owner" || head == "topic")) {
            for (auto& a : p.arguments) term(a);
            return;
        }
        // At the top level a phrase declares an entity; in a block, when its head is a kind.
        const bool declares = owner == nullptr || kinds_.contains(head);
        if (!declares || p.arguments.empty() || p.arguments[0].kind != ast::Term::Kind::name) {
            for (auto& a : p.arguments) term(a);
            return;
        }
        std::string original = owner == nullptr ? p.arguments[0].text : *owner + "." + p.arguments[0].text;
        if (owner == nullptr) term(p.arguments[0]);
        else if (original == from_) p.arguments[0].text = to_short_;
        for (std::size_t i = 1; i < p.arguments.size(); ++i) term(p.arguments[i]);
        const bool case_block = is_case(head);
        for (auto& s : p.block) statement(s, &original, case_block);
    }

    void statement(ast::Statement& s, const std::string* owner, bool owner_is_case) {
        auto& node = s.node;
        if (auto* p = std::get_if<ast::Phrase>(&node)) {
            phrase(*p, owner, owner_is_case);
        } else if (auto* f = std::get_if<ast::Fact>(&node)) {
            atom(f->atom);
        } else if (auto* r = std::get_if<ast::Rule>(&node)) {
            atom(r->head);
            literals(r->body);
        } else if (auto* c = std::get_if<ast::Check>(&node)) {
            literals(c->violation);
            for (auto& t : c->subjects) term(t);
            literals(c->subjects_body);
        } else if (auto* seats = std::get_if<ast::Seats>(&node)) {
            for (auto& rule : seats->rules) {
                if (rule.has_from && !rule.each) name(rule.from);
                if (rule.in) name(*rule.in);
                for (auto& filter : rule.filters) term(filter.value);
            }
        } else if (auto* flow = std::get_if<ast::Flow>(&node)) {
            for (auto& step : flow->steps) {
                using Form = ast::Performer::Form;
                if (step.performer.form != Form::each && step.performer.form != Form::any) name(step.performer.target);
                literals(step.when);
            }
        } else if (auto* q = std::get_if<ast::Query>(&node)) {
            literals(q->body);
        } else if (auto* question = std::get_if<ast::Question>(&node)) {
            for (std::size_t i = question->form == ast::Question::Form::path ? 1 : 0; i < question->arguments.size(); ++i)
                name(question->arguments[i]);
        } else if (auto* e = std::get_if<ast::Expect>(&node)) {
            literals(e->query);
            if (e->on) name(*e->on);
        } else if (auto* decl = std::get_if<ast::RelationDecl>(&node)) {
            for (auto& parameter : decl->parameters)
                if (parameter.default_value) term(*parameter.default_value);
        }
        // Import, KindDecl, FactsFrom and the proposal statements name no entity.
    }

    const std::string& from_;
    const std::string& to_;
    std::string to_short_;
    const std::map<std::string, std::string>& kinds_;
};

/// One line of a data file with renamed cells, or nullopt when no cell names a renamed entity.
std::optional<std::string> rename_row(std::string_view line, bool csv,
                                      const std::vector<std::pair<std::string, std::string>>& renames) {
    const char separator = csv ? ',' : '\t';
    struct Cell {
        std::string text;
        bool quoted = false;
    };
    std::vector<Cell> cells;
    std::size_t i = 0;
    while (true) {
        Cell cell;
        if (csv && i < line.size() && line[i] == '"') {
            cell.quoted = true;
            ++i;
            while (i < line.size()) {
                if (line[i] == '"') {
                    if (i + 1 < line.size() && line[i + 1] == '"') {
                        cell.text += '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                cell.text += line[i++];
            }
            if (i < line.size() && line[i] != separator) return std::nullopt;  // malformed: left for the reader to report
        } else {
            while (i < line.size() && line[i] != separator) cell.text += line[i++];
        }
        cells.push_back(std::move(cell));
        if (i >= line.size()) break;
        ++i;
    }
    bool changed = false;
    for (auto& cell : cells)
        for (const auto& [from, to] : renames) changed = rename_text(cell.text, from, to) || changed;
    if (!changed) return std::nullopt;
    std::string out;
    for (std::size_t c = 0; c < cells.size(); ++c) {
        if (c > 0) out += separator;
        if (!cells[c].quoted) {
            out += cells[c].text;
            continue;
        }
        out += '"';
        for (char ch : cells[c].text) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
        out += '"';
    }
    return out;
}

/// The data files (`facts r from "…"`) of `files`, read with renamed cells into `sources` ahead
/// of the resolver, which then finds them there (read_source looks a path up first).
void rename_data_files(lang::SourceManager& sources, const std::vector<lang::ParsedFile>& files,
                       const lang::PathPolicy& policy, const std::vector<std::pair<std::string, std::string>>& renames) {
    for (const auto& file : files) {
        const lang::SourceFile& importer = sources.file(file.source);
        if (importer.path.empty() || importer.path.starts_with(stdlib_prefix)) continue;
        for (const auto& statement : file.ast.statements) {
            const auto* facts = std::get_if<ast::FactsFrom>(&statement.node);
            if (facts == nullptr) continue;
            const std::string extension = fs::path(facts->path).extension().string();
            if (extension != ".tsv" && extension != ".csv") continue;
            fs::path admitted = policy.admit(fs::path(importer.path).parent_path() / facts->path);
            if (admitted.empty() || sources.find_path(admitted.string()) != lang::no_source) continue;
            std::ifstream in(admitted, std::ios::binary);
            if (!in) continue;  // the resolver reports it
            std::ostringstream read;
            read << in.rdbuf();
            const std::string text = std::move(read).str();
            std::string out;
            bool changed = false;
            for (std::size_t begin = 0; begin < text.size();) {
                auto newline = text.find('\n', begin);
                std::size_t end = newline == std::string::npos ? text.size() : newline;
                std::string_view line(text.data() + begin, end - begin);
                const bool cr = !line.empty() && line.back() == '\r';
                if (cr) line.remove_suffix(1);
                if (auto renamed = rename_row(line, extension == ".csv", renames)) {
                    out += *renamed;
                    changed = true;
                } else {
                    out += line;
                }
                if (cr) out += '\r';
                if (newline != std::string::npos) out += '\n';
                begin = end + 1;
            }
            if (!changed) continue;
            std::string shown = (fs::path(importer.name).parent_path() / facts->path).lexically_normal().string();
            sources.add(std::move(shown), admitted.string(), std::move(out));
        }
    }
}

bool is_stdlib(const lang::SourceManager& sources, lang::SourceId id) {
    return sources.file(id).path.starts_with(stdlib_prefix);
}

/// Checks every `rename` against the amended model's names (resolved on their own, in scratch
/// copies): OLD is an entity, NEW is not, a nested entity stays in its parent.
void check_renames(const Session::Impl& impl, const std::vector<lang::ParsedFile>& model_files,
                   const std::vector<ast::Statement>& renames, lang::Diagnostics& diagnostics) {
    lang::SourceManager sources = impl.sources;
    engine::Symbols symbols;
    lang::Diagnostics ignored;  // the model's own problems are reported when it is resolved for real
    const lang::Model model = lang::resolve(sources, model_files, impl.policy(), symbols, ignored);
    std::set<std::string> declared;
    for (const auto& [id, _] : model.names.entities.in(symbols)) declared.emplace(id);
    for (const auto& statement : renames) {
        const auto& rename = std::get<ast::Rename>(statement.node);
        const std::string& from = rename.from.text;
        const std::string& to = rename.to.text;
        if (!declared.contains(from)) {
            std::string hint;
            if (model.names.relations.contains(from)) hint = fmt::format("`rename` renames entities; `{}` is a relation", from);
            else if (model.names.kinds.contains(from)) hint = fmt::format("`rename` renames entities; `{}` is a kind", from);
            else hint = lang::did_you_mean(lang::suggest(from, {declared.begin(), declared.end()}));
            diagnostics.error(rename.from.span, fmt::format("unknown entity `{}`", from), hint);
            continue;
        }
        if (declared.contains(to)) {
            diagnostics.error(rename.to.span, fmt::format("`{}` is already declared", to),
                              "rename to a name the model does not use yet");
            continue;
        }
        if (parent_of(from) != parent_of(to)) {
            std::string parent = parent_of(from);
            diagnostics.error(rename.to.span,
                              parent.empty() ? fmt::format("`{}` is not nested, so its new name cannot be `{}`", from, to)
                                             : fmt::format("`{}` is nested in `{}`, so its new name must be too", from, parent),
                              parent.empty() ? fmt::format("rename it to a name without a dot: `rename {} to NEW`", from)
                                             : fmt::format("rename it within its parent: `rename {} to {}.NEW`", from, parent));
            continue;
        }
        std::set<std::string> next;
        for (std::string id : declared) {
            rename_text(id, from, to);
            next.insert(std::move(id));
        }
        declared = std::move(next);
    }
}

/// Back to an empty session (load_proposal starts from one). The sources go too: the stdlib's
/// would otherwise count as read and not be parsed again.
void start_over(Session::Impl& impl) {
    impl.sources = {};
    impl.symbols = {};
    impl.parsed.clear();
    impl.roots.clear();
    impl.root_files.clear();
    impl.proposal.reset();
    impl.model = {};
    impl.database = {};
}

Status failed(Session::Impl& impl, lang::Diagnostics& diagnostics) {
    Status status = impl.finish(diagnostics);
    start_over(impl);
    return status;
}

Status load(Session::Impl& impl, const fs::path& path) {
    lang::Diagnostics diagnostics;
    if (!impl.roots.empty() || impl.proposal) {
        diagnostics.error({}, "a proposal is loaded into a new session; this one already holds a model");
        return impl.finish(diagnostics);
    }
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(path, ec);
    if (ec) canonical = path;
    const lang::SourceId id = lang::read_source(impl.sources, canonical, path.string(), {}, diagnostics);
    if (id == lang::no_source) return impl.finish(diagnostics);
    impl.root_files.push_back(canonical);  // §2: the proposal's directory is allowed

    // `amends "…"` is the first statement, and the only one.
    lang::Diagnostics scratch;  // syntax errors are reported when the file is parsed for real below
    const auto file = lang::parse(impl.sources, id, scratch);
    const ast::Amends* amends = nullptr;
    bool seen = false;
    for (std::size_t i = 0; i < file.statements.size(); ++i) {
        const auto* a = std::get_if<ast::Amends>(&file.statements[i].node);
        if (a == nullptr) continue;
        if (std::exchange(seen, true)) diagnostics.error(file.statements[i].span, "a proposal amends one model; this is a second `amends`");
        else if (i > 0) diagnostics.error(file.statements[i].span, "`amends` comes first in a proposal",
                                          "move it above every other statement");
        else amends = a;
    }
    lang::SourceId model_id = lang::no_source;
    if (amends != nullptr) {
        fs::path admitted = impl.policy().admit(canonical.parent_path() / amends->path);
        if (admitted.empty()) {
            diagnostics.error(amends->path_span, fmt::format("`{}` lies outside the model's directories", amends->path),
                              "allow its directory with --allow-path DIR");
        } else if (admitted == canonical) {
            diagnostics.error(amends->path_span, "a proposal cannot amend itself", "`amends` names the model it changes");
        } else {
            std::string shown = (fs::path(impl.sources.file(id).name).parent_path() / amends->path).lexically_normal().string();
            model_id = lang::read_source(impl.sources, admitted, shown, amends->path_span, diagnostics);
            if (model_id != lang::no_source) impl.root_files.insert(impl.root_files.begin(), admitted);
        }
    }

    // The amended model first, as `load_file` would parse it, then the proposal and its imports.
    if (model_id != lang::no_source) {
        impl.roots.push_back(model_id);
        lang::parse_with_imports(impl.sources, model_id, impl.policy(), impl.parsed, diagnostics);
    }
    const std::size_t model_files = impl.parsed.size();
    impl.roots.push_back(id);
    lang::parse_with_imports(impl.sources, id, impl.policy(), impl.parsed, diagnostics);
    if (amends == nullptr && !diagnostics.has_errors())
        diagnostics.error({id, 0, 0}, fmt::format("`{}` is not a proposal: it does not start with `amends \"model.charter\"`",
                                                  impl.sources.file(id).name),
                          "a proposal names the model it changes first; a whole model is loaded as a file");
    for (std::size_t i = 0; i < model_files; ++i)
        if (impl.parsed[i].source == model_id)
            for (const auto& statement : impl.parsed[i].ast.statements)
                if (std::holds_alternative<ast::Amends>(statement.node))
                    diagnostics.error(amends->path_span, fmt::format("`{}` is itself a proposal", amends->path),
                                      "`amends` names a whole model, not another proposal");
    if (diagnostics.has_errors()) return failed(impl, diagnostics);

    // Take the proposal statements out of the proposal's tree; the rest is new model text.
    Session::Impl::Proposal proposal;
    proposal.source = id;
    proposal.amended = model_id;
    std::vector<ast::Statement> renames;
    for (auto& parsed : impl.parsed) {
        if (parsed.source != id) continue;
        auto& statements = parsed.ast.statements;
        for (auto& statement : statements) {
            if (std::holds_alternative<ast::Remove>(statement.node)) proposal.removals.push_back(statement);
            else if (std::holds_alternative<ast::Rename>(statement.node)) renames.push_back(statement);
        }
        std::erase_if(statements, [](const ast::Statement& s) {
            return std::holds_alternative<ast::Amends>(s.node) || std::holds_alternative<ast::Remove>(s.node) ||
                   std::holds_alternative<ast::Rename>(s.node);
        });
    }

    if (!renames.empty()) {
        std::vector<lang::ParsedFile> model_part(impl.parsed.begin(), impl.parsed.begin() + static_cast<std::ptrdiff_t>(model_files));
        check_renames(impl, model_part, renames, diagnostics);
        if (diagnostics.has_errors()) return failed(impl, diagnostics);
        std::map<std::string, std::string> kinds;  // kind → super-kind, to tell declarations in blocks
        for (const auto& parsed : impl.parsed)
            for (const auto& statement : parsed.ast.statements)
                if (const auto* k = std::get_if<ast::KindDecl>(&statement.node)) kinds[k->name.text] = k->super ? k->super->text : "";
        for (const auto& statement : renames) {
            const auto& rename = std::get<ast::Rename>(statement.node);
            proposal.renames.emplace_back(rename.from.text, rename.to.text);
        }
        for (std::size_t i = 0; i < model_files; ++i) {
            if (is_stdlib(impl.sources, impl.parsed[i].source)) continue;
            for (const auto& [from, to] : proposal.renames) Renamer(from, to, kinds).file(impl.parsed[i].ast);
        }
        model_part.assign(impl.parsed.begin(), impl.parsed.begin() + static_cast<std::ptrdiff_t>(model_files));
        rename_data_files(impl.sources, model_part, impl.policy(), proposal.renames);
    }

    impl.proposal = std::move(proposal);
    impl.baseline.reset();
    if (!impl.rebuild(diagnostics)) return failed(impl, diagnostics);
    return impl.finish(diagnostics);
}

}  // namespace

bool Session::Impl::apply_proposal(lang::Diagnostics& diagnostics) {
    if (!proposal) return true;
    auto& program = model.program;
    auto& names = model.names;
    const std::size_t errors_before = diagnostics.error_count();

    // `remove FACT`: every stated tuple the fact matches (`_` and variables match anything).
    for (const auto& statement : proposal->removals) {
        const auto& remove = std::get<ast::Remove>(statement.node);
        if (!remove.fact) continue;
        const ast::Atom& atom = *remove.fact;
        if (atom.closure != ast::Closure::none) {
            diagnostics.error(atom.relation.span, "a closure `r+` or `r*` is derived: only stated facts can be removed");
            continue;
        }
        auto relation = names.relations.find(atom.relation.text);
        if (relation == names.relations.end()) {
            std::vector<std::string> all;
            for (const auto& [name, _] : names.relations)
                if (name.find_first_of("/+*") == std::string::npos) all.push_back(name);
            diagnostics.error(atom.relation.span, fmt::format("unknown relation `{}`", atom.relation.text),
                              lang::did_you_mean(lang::suggest(atom.relation.text, all)));
            continue;
        }
        std::vector<ast::Literal> body{{ast::Literal::Kind::positive, atom, {}, "", {}, std::nullopt, statement.span}};
        engine::Query query;
        if (!lang::lower_query(model, symbols, sources, body, statement.span, query, diagnostics)) continue;
        const engine::RelationId r = relation->second;
        const std::size_t arity = program.relations[r].arity();
        std::vector<std::optional<Value>> pattern(arity);
        for (const auto& literal : query.body)
            if (literal.kind == engine::Literal::Kind::atom && literal.relation == r)
                for (std::size_t i = 0; i < arity && i < literal.args.size(); ++i)
                    if (!literal.args[i].is_variable()) pattern[i] = literal.args[i].constant;
        auto& facts = program.facts[r];
        std::size_t kept = 0;
        const std::size_t rows = facts.locations.size();
        for (std::size_t row = 0; row < rows; ++row) {
            const Value* tuple = facts.values.data() + row * arity;
            bool matches = true;
            for (std::size_t i = 0; i < arity && matches; ++i) matches = !pattern[i] || *pattern[i] == tuple[i];
            if (matches) continue;
            if (kept != row) {
                std::copy(tuple, tuple + arity, facts.values.begin() + static_cast<std::ptrdiff_t>(kept * arity));
                facts.locations[kept] = facts.locations[row];
            }
            ++kept;
        }
        if (kept == rows) {
            diagnostics.error(statement.span, "no such stated fact to remove",
                              "only stated facts can be removed; derived ones follow from them");
            continue;
        }
        facts.values.resize(kept * arity);
        facts.locations.resize(kept);
    }

    // `remove ENTITY`: the entity, the entities nested in it, and every stated fact naming one.
    std::unordered_set<std::uint32_t> removed;
    std::vector<std::string> removed_names;
    for (const auto& statement : proposal->removals) {
        const auto& remove = std::get<ast::Remove>(statement.node);
        if (!remove.entity) continue;
        const std::string& id = remove.entity->text;
        const auto entities = names.entities.in(symbols);
        if (!entities.contains(id)) {
            std::vector<std::string> all;
            for (const auto& [e, _] : entities) all.emplace_back(e);
            std::string hint = names.relations.contains(id)
                                   ? fmt::format("`{}` is a relation: remove one of its facts with `remove {}(…)`", id, id)
                                   : lang::did_you_mean(lang::suggest(id, all));
            diagnostics.error(remove.entity->span, fmt::format("unknown entity `{}`", id), hint);
            continue;
        }
        const std::string prefix = id + ".";
        removed_names.push_back(id);
        for (auto it = entities.lower_bound(prefix); it != entities.end() && it->first.starts_with(prefix); ++it)
            removed_names.emplace_back(it->first);
    }
    for (const auto& id : removed_names) removed.insert(symbols.entity(id).bits);
    if (!removed.empty()) {
        for (std::size_t r = 0; r < program.facts.size(); ++r) {
            auto& facts = program.facts[r];
            const std::size_t arity = program.relations[r].arity();
            if (arity == 0) continue;
            std::size_t kept = 0;
            const std::size_t rows = facts.locations.size();
            for (std::size_t row = 0; row < rows; ++row) {
                const Value* tuple = facts.values.data() + row * arity;
                if (std::any_of(tuple, tuple + arity, [&](Value v) { return removed.contains(v.bits); })) continue;
                if (kept != row) {
                    std::copy(tuple, tuple + arity, facts.values.begin() + static_cast<std::ptrdiff_t>(kept * arity));
                    facts.locations[kept] = facts.locations[row];
                }
                ++kept;
            }
            facts.values.resize(kept * arity);
            facts.locations.resize(kept);
        }
        for (const auto& id : removed_names) {
            names.entities.erase(symbols.find_entity(id));
            names.flows.erase(id);
            names.cases.erase(id);
        }
    }
    return diagnostics.error_count() == errors_before;
}

Status Session::load_proposal(const fs::path& path) {
    try {
        return load(*impl_, path);
    } catch (const std::bad_alloc&) {
        Status s;
        s.diagnostics.push_back({Severity::error, "", 0, 0, 0, "out of memory", "", "", {}});
        return s;
    } catch (const std::exception& e) {
        Status s;
        s.diagnostics.push_back({Severity::error, "", 0, 0, 0, fmt::format("internal error: {}", e.what()), "", "", {}});
        return s;
    }
}

}  // namespace charter
