// The names everything else uses: kinds, relations and entities, collected from every file
// before any statement is lowered (declarations are order-independent, §2).
#include "resolver.hpp"

#include <fmt/format.h>

namespace charter::lang {

using engine::ParamType;
using engine::RelationId;
using engine::RelationInfo;
using engine::Value;

bool NameTables::is_subkind(std::string_view kind, std::string_view ancestor) const {
    std::string current(kind);
    for (std::size_t guard = 0; guard <= kinds.size() && !current.empty(); ++guard) {
        if (current == ancestor) return true;
        auto it = kinds.find(current);
        if (it == kinds.end()) return false;
        current = it->second.super;
    }
    return false;
}

engine::LocationId Resolver::location(Span span) {
    return program().add_location({span.source, span.begin, span.end});
}

namespace {
Diagnostic note(Span span, std::string message) {
    Diagnostic d;
    d.severity = Severity::note;
    d.span = span;
    d.message = std::move(message);
    return d;
}
}  // namespace

void Resolver::declare_builtins() {
    auto any = ParamType{};
    auto text = ParamType{ParamType::Kind::string, {}};
    declare_relation({"kind", {"entity", "kind"}, {any, any}, {{}, {}}, "The kinds an entity belongs to", 0, false});
    declare_relation({"label", {"entity", "label"}, {any, text}, {{}, {}}, "An entity's label", 0, false});
    declare_relation({"tag", {"entity", "tag"}, {any, any}, {{}, {}}, "An entity's tags", 0, false});
    declare_relation({"part_of", {"child", "parent"}, {any, any}, {{}, {}}, "A nested entity is part of its parent", 0, false});
}

RelationId Resolver::declare_relation(RelationInfo info) {
    auto id = static_cast<RelationId>(program().relations.size());
    names().relations.emplace(info.name, id);
    program().relations.push_back(std::move(info));
    program().facts.emplace_back();
    return id;
}

void Resolver::declare_kinds(const std::vector<ParsedFile>& files) {
    for (const auto& file : files) {
        for (const auto& statement : file.ast.statements) {
            const auto* decl = std::get_if<ast::KindDecl>(&statement.node);
            if (decl == nullptr) continue;
            std::string super = decl->super ? decl->super->text : "";
            auto [it, fresh] = names().kinds.emplace(decl->name.text, KindInfo{super, decl->name.span});
            if (!fresh && it->second.super != super) {
                auto& d = diags_.error(decl->name.span,
                                       fmt::format("kind `{}` is declared again with another super-kind", decl->name.text));
                d.notes.push_back(note(it->second.declared, "first declared here"));
            }
        }
    }
    // Super-kinds must exist, must not form a cycle, and must not stand more than
    // max_kind_depth deep: every argument's kind check walks up the chain (§9: no hang).
    constexpr std::size_t max_kind_depth = 100;
    for (auto& [name, info] : names().kinds) {
        if (info.super.empty()) continue;
        if (!names().kinds.contains(info.super)) {
            std::vector<std::string> all;
            if (!diags_.saturated())
                for (const auto& [k, _] : names().kinds) all.push_back(k);
            diags_.error(info.declared, fmt::format("kind `{}` is a sub-kind of `{}`, which is not declared", name, info.super),
                         did_you_mean(suggest(info.super, all)));
            info.super.clear();
            continue;
        }
        std::string current = info.super;
        for (std::size_t steps = 0; steps <= names().kinds.size(); ++steps) {
            if (current == name) {
                diags_.error(info.declared, fmt::format("kind `{}` is its own super-kind through `{}`", name, info.super));
                info.super.clear();
                break;
            }
            if (steps == max_kind_depth) {
                diags_.error(info.declared, fmt::format("kind `{}` has more than {} super-kinds above it", name, max_kind_depth),
                             "a kind hierarchy this deep is a mistake: flatten it");
                info.super.clear();
                break;
            }
            auto it = names().kinds.find(current);
            if (it == names().kinds.end() || it->second.super.empty()) break;
            current = it->second.super;
        }
    }
}

bool Resolver::kind_exists(const ast::Name& name, bool report) {
    if (names().kinds.contains(name.text)) return true;
    if (report) {
        std::vector<std::string> all;
        if (!diags_.saturated())  // past max_kept_errors the error is not kept: skip the search
            for (const auto& [k, _] : names().kinds) all.push_back(k);
        std::string hint = did_you_mean(suggest(name.text, all));
        if (hint.empty() && !names().kinds.contains("body"))
            hint = "the standard kinds (party, body, person, …) come with `import std`";
        diags_.error(name.span, fmt::format("unknown kind `{}`", name.text), hint);
    }
    return false;
}

void Resolver::declare_relations(const std::vector<ParsedFile>& files) {
    for (const auto& file : files) {
        for (const auto& statement : file.ast.statements) {
            const auto* decl = std::get_if<ast::RelationDecl>(&statement.node);
            if (decl == nullptr) continue;
            RelationInfo info;
            info.name = decl->name.text;
            info.doc = decl->doc.value_or("");
            info.declared_at = location(decl->name.span);
            bool ok = true;
            for (const auto& p : decl->parameters) {
                info.parameters.push_back(p.name.text);
                ParamType type;
                if (p.type.text == "any") type.kind = ParamType::Kind::any;
                else if (p.type.text == "string") type.kind = ParamType::Kind::string;
                else if (p.type.text == "int") type.kind = ParamType::Kind::integer;
                else if (kind_exists(p.type)) type = {ParamType::Kind::entity, symbols_.entity(p.type.text)};
                else ok = false;
                info.types.push_back(type);
                info.defaults.emplace_back();  // filled once entities are known
            }
            for (std::size_t i = 0; i < decl->parameters.size(); ++i)
                for (std::size_t j = 0; j < i; ++j)
                    if (decl->parameters[i].name.text == decl->parameters[j].name.text) {
                        diags_.error(decl->parameters[i].name.span,
                                     fmt::format("parameter `{}` appears twice", decl->parameters[i].name.text));
                        ok = false;
                    }
            if (!ok) continue;
            if (auto it = names().relations.find(info.name); it != names().relations.end()) {
                const RelationInfo& old = program().relations[it->second];
                bool same = old.parameters == info.parameters && old.types.size() == info.types.size();
                for (std::size_t i = 0; same && i < info.types.size(); ++i)
                    same = old.types[i].kind == info.types[i].kind && old.types[i].entity_kind == info.types[i].entity_kind;
                if (!same) {
                    auto& d = diags_.error(decl->name.span, fmt::format("relation `{}` is declared again differently", info.name));
                    if (auto span = relation_spans_.find(info.name); span != relation_spans_.end())
                        d.notes.push_back(note(span->second, "first declared here"));
                    else
                        d.hint = fmt::format("`{}` is built in", info.name);
                }
                continue;
            }
            relation_spans_.emplace(info.name, decl->name.span);
            declare_relation(std::move(info));
        }
    }
    // Checks are relations too: `c(subject)` (§7).
    for (const auto& file : files)
        for (const auto& statement : file.ast.statements)
            if (const auto* check = std::get_if<ast::Check>(&statement.node)) {
                if (names().relations.contains(check->name.text)) {
                    auto& d = diags_.error(check->name.span, fmt::format("check `{}` has the name of a relation", check->name.text));
                    if (auto span = relation_spans_.find(check->name.text); span != relation_spans_.end())
                        d.notes.push_back(note(span->second, "the relation is declared here"));
                    continue;
                }
                relation_spans_.emplace(check->name.text, check->name.span);
                names().check_names.insert(check->name.text);
                declare_relation({check->name.text, {"subject"}, {ParamType{}}, {{}}, check->doc.value_or(""),
                                  location(check->name.span), false});
            }
    // A rule head relation not declared is declared implicitly, type `any` throughout (§4).
    for (const auto& file : files)
        for (const auto& statement : file.ast.statements) {
            const auto* rule = std::get_if<ast::Rule>(&statement.node);
            if (rule == nullptr || rule->head.closure != ast::Closure::none) continue;
            const auto& head = rule->head;
            if (names().relations.contains(head.relation.text)) continue;
            RelationInfo info;
            info.name = head.relation.text;
            info.implicit = true;
            info.declared_at = location(head.relation.span);
            for (std::size_t i = 0; i < head.arguments.size(); ++i) {
                const auto& a = head.arguments[i];
                info.parameters.push_back(a.parameter ? a.parameter->text : fmt::format("_{}", i + 1));
                info.types.emplace_back();
                info.defaults.emplace_back();
            }
            relation_spans_.emplace(info.name, head.relation.span);
            declare_relation(std::move(info));
        }
    check_std_helpers(files);
}

void Resolver::check_std_helpers(const std::vector<ParsedFile>& files) {
    // The stdlib's own helpers are the relations its rules define without declaring them
    // (`seat_count`, …): not part of the vocabulary (§8), so a user relation or rule of the
    // same name would change a standard check without a word. Say so instead.
    auto from_std = [&](const ParsedFile& f) { return sources_.file(f.source).path.starts_with("<std>/"); };
    std::set<std::string> declared;  // by the stdlib's `relation` and `check` statements
    std::map<std::string, Span> helpers;
    for (const auto& file : files) {
        if (!from_std(file)) continue;
        for (const auto& statement : file.ast.statements) {
            if (const auto* decl = std::get_if<ast::RelationDecl>(&statement.node)) declared.insert(decl->name.text);
            if (const auto* check = std::get_if<ast::Check>(&statement.node)) declared.insert(check->name.text);
            if (const auto* rule = std::get_if<ast::Rule>(&statement.node))
                helpers.emplace(rule->head.relation.text, rule->head.relation.span);
        }
    }
    std::erase_if(helpers, [&](const auto& h) { return declared.contains(h.first); });
    if (helpers.empty()) return;
    auto report = [&](const ast::Name& name) {
        auto helper = helpers.find(name.text);
        if (helper == helpers.end()) return;
        auto& d = diags_.error(name.span, fmt::format("`{}` is a helper of the standard library's checks", name.text),
                               "give your relation another name: a rule of yours would change what the standard checks report");
        d.notes.push_back(note(helper->second, "the standard library defines it here"));
    };
    for (const auto& file : files) {
        if (from_std(file)) continue;
        for (const auto& statement : file.ast.statements) {
            if (const auto* rule = std::get_if<ast::Rule>(&statement.node)) report(rule->head.relation);
            else if (const auto* decl = std::get_if<ast::RelationDecl>(&statement.node)) report(decl->name);
        }
    }
}

Value Resolver::declare_entity(std::string_view id, std::string_view kind, Span where) {
    const Value entity = symbols_.entity(id);
    if (!names().entities.declare(entity, kind, where)) {
        const EntityInfo before = *names().entities.info(entity);
        if (before.kind != kind) {
            auto& d = diags_.error(where, fmt::format("`{}` is declared as a {} here but as a {} before", id, kind, before.kind));
            d.notes.push_back(note(before.declared, fmt::format("first declared here as a {}", before.kind)));
        }
        return entity;
    }
    return record_kind(entity, kind);
}

Value Resolver::declare_new_entity(std::string_view id, std::uint32_t hash, std::string_view kind, Span where) {
    // A name Symbols does not know is not declared either: no need to look for it again, and
    // its kind goes into its new slot (not found again by record_kind).
    const Value entity = symbols_.new_entity(id, hash, kind_id(kind));
    names().entities.declare(entity, kind, where);
    return entity;
}

Value Resolver::record_kind(Value entity, std::string_view kind) {
    symbols_.set_entity_tag(entity, kind_id(kind));
    return entity;
}

std::uint32_t Resolver::kind_id(std::string_view kind) {
    if (last_kind_id_ == 0 || kind != last_kind_) {
        last_kind_ = kind;
        last_kind_id_ = symbols_.entity(kind).index();  // never 0: index 0 is no entity's
    }
    return last_kind_id_;
}

namespace {
/// The declared id of an entity phrase (`body SSS "label"`): its first argument, a name.
const ast::Term* entity_id(const ast::Phrase& phrase) {
    if (phrase.arguments.empty() || phrase.arguments[0].kind != ast::Term::Kind::name) return nullptr;
    return &phrase.arguments[0];
}
}  // namespace

void Resolver::declare_entities(const std::vector<ParsedFile>& files) {
    // Walks entity phrases and their blocks; nested entities are `Parent.Child` (§3).
    struct Walker {
        Resolver& r;
        void block(const ast::Block& statements, const std::string& owner, const std::string& owner_kind) {
            // In a case's block, `flow F`, `at X`, `owner X` and `topic T` are the case's own
            // statements, not nested declarations (§6).
            const bool in_case = r.names().is_subkind(owner_kind, "case");
            for (const auto& s : statements) {
                if (const auto* phrase = std::get_if<ast::Phrase>(&s.node)) {
                    if (!r.names().kinds.contains(phrase->head.text)) continue;
                    const std::string& head = phrase->head.text;
                    if (in_case && (head == "flow" || head == "at" || head == "owner" || head == "topic")) continue;
                    const ast::Term* id = entity_id(*phrase);
                    if (id == nullptr) continue;  // reported when lowered
                    std::string full = owner.empty() ? id->text : owner + "." + id->text;
                    r.declare_entity(full, phrase->head.text, id->span);
                    block(phrase->block, full, phrase->head.text);
                } else if (const auto* flow = std::get_if<ast::Flow>(&s.node)) {
                    std::string full = owner.empty() ? flow->name.text : owner + "." + flow->name.text;
                    r.declare_entity(full, "flow", flow->name.span);
                }
            }
        }
    };
    Walker walker{*this};
    for (const auto& file : files) walker.block(file.ast.statements, "", "");
}

std::optional<RelationId> Resolver::relation(const ast::Name& name) {
    if (auto it = names().relations.find(name.text); it != names().relations.end()) return it->second;
    std::vector<std::string> all;
    if (!diags_.saturated())  // past max_kept_errors the error is not kept: skip the search
        for (const auto& [r, _] : names().relations)
            if (r.find('/') == std::string::npos && r.find('+') == std::string::npos && r.find('*') == std::string::npos)
                all.push_back(r);
    std::string hint = did_you_mean(suggest(name.text, all));
    if (hint.empty() && !names().relations.contains("member"))
        hint = "the standard relations (member, reports_to, …) come with `import std`";
    diags_.error(name.span, fmt::format("unknown relation `{}`", name.text), hint);
    return std::nullopt;
}

std::optional<Value> Resolver::entity(const ast::Name& name, std::string_view expected_kind) {
    if (const Value e = symbols_.find_entity(name.text); names().entities.declared(e)) return e;
    std::vector<std::string> all, preferred;
    if (!diags_.saturated()) {  // past max_kept_errors the error is not kept: skip the search
        for (const auto& [e, info] : entities()) {
            all.emplace_back(e);
            if (!expected_kind.empty() && names().is_subkind(info.kind, expected_kind)) preferred.emplace_back(e);
        }
    }
    diags_.error(name.span, fmt::format("unknown entity `{}`", name.text), did_you_mean(suggest(name.text, all, preferred)));
    return std::nullopt;
}

bool Resolver::admits(const ParamType& type, Value value) const {
    switch (type.kind) {
    case ParamType::Kind::any: return true;
    case ParamType::Kind::string: return value.tag() == engine::ValueTag::string || value.is_none();
    case ParamType::Kind::integer: return value.tag() == engine::ValueTag::integer || value.is_none();
    case ParamType::Kind::entity: {
        if (value.is_none()) return true;
        if (!value.is_entity()) return false;
        const auto info = model_.names.entities.info(value);
        return info && model_.names.is_subkind(info->kind, symbols_.entity_name(type.entity_kind));
    }
    }
    return false;
}

std::string Resolver::describe_type(const ParamType& type) const {
    switch (type.kind) {
    case ParamType::Kind::any: return "any value";
    case ParamType::Kind::string: return "a string";
    case ParamType::Kind::integer: return "an integer";
    case ParamType::Kind::entity: return fmt::format("a {}", symbols_.entity_name(type.entity_kind));
    }
    return {};
}

std::string Resolver::describe_value(Value value) const {
    switch (value.tag()) {
    case engine::ValueTag::none: return "`none`";
    case engine::ValueTag::string: return "a string";
    case engine::ValueTag::integer: return "an integer";
    case engine::ValueTag::entity: {
        const auto info = model_.names.entities.info(value);
        std::string kind = info ? info->kind : "entity";
        return fmt::format("`{}` (a {})", symbols_.entity_name(value), kind);
    }
    }
    return {};
}

}  // namespace charter::lang
