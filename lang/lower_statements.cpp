// Stated things → facts: entity declarations and their blocks (§3), plain facts, seat and
// size rules (§5), flows and cases (§6). The resolver's driver `run` is here too.
#include "resolver.hpp"

#include <fmt/format.h>

namespace charter::lang {

using engine::RelationId;
using engine::Value;

Model resolve(SourceManager& sources, const std::vector<ParsedFile>& files, const PathPolicy& policy,
              engine::Symbols& symbols, Diagnostics& diagnostics) {
    Model model;
    // The kinds kept beside the names (Resolver::record_kind) are those of the model resolved
    // before, whose entities this one need not declare.
    symbols.clear_entity_tags();
    Resolver(sources, policy, symbols, diagnostics, model).run(files);
    return model;
}

void Resolver::run(const std::vector<ParsedFile>& loaded) {
    // The stdlib is lowered first: location ids grow in lowering order, and a derived fact rests
    // on its latest premise, which should be the user's statement, not the vocabulary's.
    std::vector<ParsedFile> files = loaded;
    std::stable_partition(files.begin(), files.end(), [&](const ParsedFile& f) {
        return sources_.file(f.source).path.starts_with("<std>/");
    });
    declare_builtins();
    declare_kinds(files);
    declare_relations(files);
    declare_entities(files);
    // Defaults of declared relations, now that entities are known.
    for (const auto& file : files)
        for (const auto& statement : file.ast.statements)
            if (const auto* decl = std::get_if<ast::RelationDecl>(&statement.node)) {
                auto it = names().relations.find(decl->name.text);
                if (it == names().relations.end()) continue;
                auto& info = program().relations[it->second];
                if (info.parameters.size() != decl->parameters.size()) continue;
                for (std::size_t i = 0; i < decl->parameters.size(); ++i)
                    if (decl->parameters[i].default_value)
                        if (auto v = constant(*decl->parameters[i].default_value, it->second, i)) info.defaults[i] = *v;
            }
    lower_statements(files);
    check_case_positions();
}

void Resolver::lower_statements(const std::vector<ParsedFile>& files) {
    // Data files that declare entities come first, so that everything else can name them.
    for (int pass = 0; pass < 2; ++pass)
        for (const auto& file : files)
            for (const auto& statement : file.ast.statements)
                if (const auto* facts = std::get_if<ast::FactsFrom>(&statement.node))
                    if (facts->declare_kinds.empty() == (pass == 1)) load_facts_file(*facts, file.source, statement.span);

    for (const auto& file : files) {
        for (const auto& statement : file.ast.statements) {
            const auto& node = statement.node;
            if (const auto* phrase = std::get_if<ast::Phrase>(&node)) {
                if (!kind_exists(phrase->head, false)) {
                    std::vector<std::string> kinds;
                    for (const auto& [k, _] : names().kinds) kinds.push_back(k);
                    std::string hint = did_you_mean(suggest(phrase->head.text, kinds));
                    if (names().relations.contains(phrase->head.text))
                        hint = fmt::format("`{}` is a relation: outside a block, state it as `{}(…)`",
                                           phrase->head.text, phrase->head.text);
                    else if (hint.empty() && !names().kinds.contains("body"))
                        hint = "the standard kinds (party, body, person, …) come with `import std`";
                    diags_.error(phrase->head.span, fmt::format("unknown kind `{}`", phrase->head.text), hint);
                    continue;
                }
                const ast::Term* id = phrase->arguments.empty() ? nullptr : &phrase->arguments[0];
                if (id == nullptr || id->kind != ast::Term::Kind::name) {
                    diags_.error(id ? id->span : phrase->head.span,
                                 fmt::format("expected the name of the new {} after `{}`", phrase->head.text, phrase->head.text));
                    continue;
                }
                lower_entity(*phrase, id->text, statement.span);
            } else if (const auto* fact = std::get_if<ast::Fact>(&node)) {
                lower_fact(fact->atom, statement.span);
            } else if (const auto* flow = std::get_if<ast::Flow>(&node)) {
                lower_flow(*flow, statement.span);
            } else if (const auto* rule = std::get_if<ast::Rule>(&node)) {
                lower_rule(*rule, statement.span);
            } else if (const auto* check = std::get_if<ast::Check>(&node)) {
                lower_check(*check, statement.span);
            } else if (const auto* query = std::get_if<ast::Query>(&node)) {
                lower_query_statement(*query, statement.span);
            } else if (const auto* question = std::get_if<ast::Question>(&node)) {
                lower_question_statement(*question, statement.span);
            } else if (const auto* expect = std::get_if<ast::Expect>(&node)) {
                lower_expect(*expect, statement.span);
            } else if (std::holds_alternative<ast::Seats>(node)) {
                diags_.error(statement.span, "`seats` belongs inside a body's block",
                             "write it as `body B { seats { … } }`");
            } else if (std::holds_alternative<ast::Amends>(node) || std::holds_alternative<ast::Remove>(node) ||
                       std::holds_alternative<ast::Rename>(node)) {
                diags_.error(statement.span, "proposal statements (`amends`, `remove`, `rename`) are only read by `charter diff`");
            }
            // Import, KindDecl, RelationDecl and FactsFrom were handled before.
        }
    }
}

void Resolver::lower_entity(const ast::Phrase& phrase, const std::string& id, Span span) {
    Value self = symbols_.entity(id);
    Span id_span = phrase.arguments[0].span;
    // kind(e, k) for the declared kind and every super-kind (§2: a sub-kind's entities belong
    // to its super-kinds too).
    std::string kind = phrase.head.text;
    for (std::size_t guard = 0; !kind.empty() && guard <= names().kinds.size(); ++guard) {
        add_fact(engine::Program::kind_relation, {self, symbols_.entity(kind)}, id_span);
        kind = names().kinds[kind].super;
    }
    for (std::size_t i = 1; i < phrase.arguments.size(); ++i) {
        const auto& a = phrase.arguments[i];
        if (i == 1 && a.kind == ast::Term::Kind::string) {
            add_fact(engine::Program::label_relation, {self, symbols_.string(a.text)}, a.span);
        } else {
            diags_.error(a.span, fmt::format("unexpected `{}` after the declaration of `{}`", sources_.text(a.span), id),
                         "an entity declaration is `KIND Id \"label\" : tag, … { … }`");
        }
    }
    for (const auto& tag : phrase.tags) add_fact(engine::Program::tag_relation, {self, symbols_.entity(tag.text)}, tag.span);
    if (auto dot = id.rfind('.'); dot != std::string::npos && entities().contains(id.substr(0, dot)))
        add_fact(engine::Program::part_of_relation, {self, symbols_.entity(id.substr(0, dot))}, id_span);
    (void)span;  // an entity's facts rest on its name, its label and its tags
    lower_block(phrase.block, id);
}

void Resolver::lower_block(const ast::Block& block, const std::string& owner) {
    const auto owner_entity = entities().find(owner);
    // (Both arms string_views: with "" on one side the other would be copied into a temporary
    // std::string, and the view would dangle.)
    const std::string_view owner_kind =
        owner_entity == entities().end() ? std::string_view{} : std::string_view(owner_entity->second.kind);
    bool is_case = names().is_subkind(owner_kind, "case");
    for (const auto& statement : block) {
        const auto& node = statement.node;
        if (const auto* phrase = std::get_if<ast::Phrase>(&node)) {
            const std::string& head = phrase->head.text;
            if (is_case && (head == "flow" || head == "at" || head == "owner" || head == "topic")) {
                lower_case_statement(*phrase, owner, statement.span);
            } else if (head == "size" && (names().check_names.contains("size") || !names().relations.contains("size"))) {
                lower_size(*phrase, owner, statement.span);
            } else if (names().kinds.contains(head)) {
                const ast::Term* id = phrase->arguments.empty() ? nullptr : &phrase->arguments[0];
                if (id == nullptr || id->kind != ast::Term::Kind::name) {
                    diags_.error(phrase->head.span, fmt::format("expected the name of the new {} after `{}`", head, head));
                    continue;
                }
                lower_entity(*phrase, owner + "." + id->text, statement.span);
            } else {
                lower_block_relation(*phrase, owner, statement.span);
            }
        } else if (const auto* seats = std::get_if<ast::Seats>(&node)) {
            lower_seats(*seats, owner, statement.span);
        } else if (const auto* fact = std::get_if<ast::Fact>(&node)) {
            lower_fact(fact->atom, statement.span);
        } else if (const auto* flow = std::get_if<ast::Flow>(&node)) {
            lower_flow(*flow, statement.span);
        } else {
            diags_.error(statement.span, "this statement is not allowed inside a block");
        }
    }
}

void Resolver::add_fact(RelationId relation, const std::vector<Value>& tuple, Span span) {
    add_fact(relation, tuple, location(span));
}

void Resolver::add_fact(RelationId relation, const std::vector<Value>& tuple, engine::LocationId at) {
    auto& facts = program().facts[relation];
    facts.values.insert(facts.values.end(), tuple.begin(), tuple.end());
    facts.locations.push_back(at);
}

void Resolver::add_std_fact(std::string_view relation, const std::vector<Value>& tuple, Span span) {
    auto it = names().relations.find(std::string(relation));
    if (it == names().relations.end() || program().relations[it->second].arity() != tuple.size()) {
        if (std_relations_missing_reported_.insert(std::string(relation)).second)
            diags_.error(span, fmt::format("this needs the standard relation `{}`", relation), "add `import std`");
        return;
    }
    add_fact(it->second, tuple, span);
}

void Resolver::lower_block_relation(const ast::Phrase& phrase, const std::string& owner, Span span) {
    auto relation_id = names().relations.find(phrase.head.text);
    if (relation_id == names().relations.end()) {
        std::vector<std::string> candidates;
        for (const auto& [r, _] : names().relations)
            if (r.find_first_of("/+*") == std::string::npos) candidates.push_back(r);
        for (const auto& [k, _] : names().kinds) candidates.push_back(k);
        diags_.error(phrase.head.span, fmt::format("unknown relation or kind `{}`", phrase.head.text),
                     did_you_mean(suggest(phrase.head.text, candidates)));
        return;
    }
    if (phrase.has_block || !phrase.tags.empty()) {
        diags_.error(phrase.head.span, fmt::format("`{}` is a relation: it takes no tags or block", phrase.head.text));
        return;
    }
    RelationId r = relation_id->second;
    const auto& info = program().relations[r];
    std::vector<std::optional<Value>> filled(info.arity());
    std::vector<bool> taken(info.arity(), false);
    // `name value` pairs fill parameters by name (§3).
    std::vector<const ast::Term*> positional;
    for (std::size_t i = 0; i < phrase.arguments.size(); ++i) {
        const auto& a = phrase.arguments[i];
        if (a.kind == ast::Term::Kind::name && i + 1 < phrase.arguments.size()) {
            auto p = std::find(info.parameters.begin(), info.parameters.end(), a.text);
            if (p != info.parameters.end() && !taken[static_cast<std::size_t>(p - info.parameters.begin())]) {
                auto index = static_cast<std::size_t>(p - info.parameters.begin());
                taken[index] = true;
                filled[index] = constant(phrase.arguments[i + 1], r, index);
                if (!filled[index]) return;
                ++i;
                continue;
            }
        }
        positional.push_back(&a);
    }
    // The block's entity fills the first free parameter whose type admits it.
    Value self = symbols_.entity(owner);
    bool placed = false;
    for (std::size_t i = 0; i < info.arity() && !placed; ++i)
        if (!taken[i] && admits(info.types[i], self)) {
            filled[i] = self;
            taken[i] = true;
            placed = true;
        }
    if (!placed) {
        auto owner_entity = entities().find(owner);
        diags_.error(phrase.head.span, fmt::format("`{}` cannot take `{}` ({}) in any free parameter", phrase.head.text, owner,
                                                   owner_entity == entities().end() ? "" : owner_entity->second.kind));
        return;
    }
    // Positional arguments fill the remaining parameters in order.
    std::size_t next = 0;
    for (const ast::Term* a : positional) {
        while (next < info.arity() && taken[next]) ++next;
        if (next == info.arity()) {
            diags_.error(a->span, fmt::format("too many arguments for `{}`", phrase.head.text),
                         fmt::format("`{}` has parameters {}", phrase.head.text, fmt::join(info.parameters, ", ")));
            return;
        }
        filled[next] = constant(*a, r, next);
        if (!filled[next]) return;
        taken[next] = true;
    }
    std::vector<Value> tuple;
    for (std::size_t i = 0; i < info.arity(); ++i) tuple.push_back(filled[i].value_or(info.defaults[i].value_or(engine::none_value)));
    add_fact(r, tuple, span);
}

void Resolver::lower_fact(const ast::Atom& atom, Span span) {
    if (atom.closure != ast::Closure::none) {
        diags_.error(atom.relation.span, "a closure `r+` or `r*` is derived: it cannot be stated as a fact");
        return;
    }
    auto r = relation(atom.relation);
    if (!r) return;
    const auto& info = program().relations[*r];
    std::vector<std::optional<Value>> filled(info.arity());
    std::size_t position = 0;
    for (const auto& argument : atom.arguments) {
        std::size_t index = position;
        if (argument.parameter) {
            auto p = std::find(info.parameters.begin(), info.parameters.end(), argument.parameter->text);
            if (p == info.parameters.end()) {
                diags_.error(argument.parameter->span,
                             fmt::format("`{}` has no parameter `{}`", info.name, argument.parameter->text),
                             did_you_mean(suggest(argument.parameter->text, info.parameters)));
                return;
            }
            index = static_cast<std::size_t>(p - info.parameters.begin());
        } else {
            ++position;
        }
        if (index >= info.arity()) {
            diags_.error(argument.value.span, fmt::format("`{}` takes {} argument{}, not more", info.name, info.arity(),
                                                          info.arity() == 1 ? "" : "s"),
                         fmt::format("its parameters are {}", fmt::join(info.parameters, ", ")));
            return;
        }
        if (filled[index]) {
            diags_.error(argument.value.span, fmt::format("parameter `{}` of `{}` is given twice", info.parameters[index], info.name));
            return;
        }
        filled[index] = constant(argument.value, *r, index);
        if (!filled[index]) return;
    }
    std::vector<Value> tuple;
    for (std::size_t i = 0; i < info.arity(); ++i) tuple.push_back(filled[i].value_or(info.defaults[i].value_or(engine::none_value)));
    add_fact(*r, tuple, span);
}

std::optional<Value> Resolver::constant(const ast::Term& term, RelationId relation, std::size_t param) {
    const auto& info = program().relations[relation];
    Value value;
    switch (term.kind) {
    case ast::Term::Kind::name:
        if (relation == engine::Program::kind_relation && param == 1) {
            if (!kind_exists({term.text, term.span})) return std::nullopt;
            return symbols_.entity(term.text);
        }
        if (relation == engine::Program::tag_relation && param == 1) return symbols_.entity(term.text);
        {
            std::string expected = info.types[param].kind == engine::ParamType::Kind::entity
                                       ? std::string(symbols_.entity_name(info.types[param].entity_kind)) : "";
            auto e = entity({term.text, term.span}, expected);
            if (!e) return std::nullopt;
            value = *e;
        }
        break;
    case ast::Term::Kind::string: value = symbols_.string(term.text); break;
    case ast::Term::Kind::integer: value = symbols_.integer(term.integer); break;
    case ast::Term::Kind::none: return engine::none_value;
    case ast::Term::Kind::variable:
    case ast::Term::Kind::anonymous:
        diags_.error(term.span, "a fact cannot hold a variable", "variables belong in rules and queries");
        return std::nullopt;
    case ast::Term::Kind::range:
        diags_.error(term.span, "a range is only allowed in seat rules and `size`");
        return std::nullopt;
    case ast::Term::Kind::arithmetic:
        diags_.error(term.span, "arithmetic is only allowed in rules and queries");
        return std::nullopt;
    }
    if (!admits(info.types[param], value)) {
        diags_.error(term.span,
                     fmt::format("{} cannot be the `{}` of `{}`", describe_value(value), info.parameters[param], info.name),
                     fmt::format("`{}` takes {}", info.parameters[param], describe_type(info.types[param])));
        return std::nullopt;
    }
    return value;
}

void Resolver::lower_case_statement(const ast::Phrase& phrase, const std::string& owner, Span span) {
    const std::string& head = phrase.head.text;
    if (phrase.arguments.size() != 1 || phrase.arguments[0].kind != ast::Term::Kind::name) {
        diags_.error(phrase.head.span, fmt::format("`{}` in a case takes one name", head));
        return;
    }
    const auto& arg = phrase.arguments[0];
    CaseInfo& info = names().cases[owner];
    if (auto it = entities().find(owner); it != entities().end()) info.declared = it->second.declared;
    Value self = symbols_.entity(owner);
    if (head == "flow") {
        info.has_flow = true;
        auto it = entities().find(arg.text);
        if (it == entities().end() || !names().is_subkind(it->second.kind, "flow")) {
            std::vector<std::string> flows;
            for (const auto& [f, _] : names().flows) flows.push_back(f);
            for (const auto& [e, i] : entities())
                if (names().is_subkind(i.kind, "flow")) flows.emplace_back(e);
            diags_.error(arg.span, fmt::format("`{}` is not a flow", arg.text), did_you_mean(suggest(arg.text, flows)));
            return;
        }
        info.flow = arg.text;
        add_std_fact("case_flow", {self, symbols_.entity(arg.text)}, span);
    } else if (head == "at") {
        // A step of the case's flow or, for a topic case, a body: decided once every
        // statement of the block is known (check_case_positions).
        info.at = arg.text;
        case_at_spans_[owner] = arg.span;
    } else if (head == "owner") {
        auto e = entity({arg.text, arg.span});
        if (!e) return;
        info.owner = arg.text;
        add_std_fact("case_owner", {self, *e}, span);
    } else {  // topic
        auto it = entities().find(arg.text);
        if (it == entities().end() || !names().is_subkind(it->second.kind, "topic")) {
            std::vector<std::string> topics;
            for (const auto& [e, i] : entities())
                if (names().is_subkind(i.kind, "topic")) topics.emplace_back(e);
            diags_.error(arg.span, fmt::format("`{}` is not a topic", arg.text),
                         topics.empty() ? fmt::format("declare it: `topic {}`", arg.text) : did_you_mean(suggest(arg.text, topics)));
            return;
        }
        info.topic = arg.text;
        add_std_fact("case_topic", {self, symbols_.entity(arg.text)}, span);
    }
}

void Resolver::lower_size(const ast::Phrase& phrase, const std::string& owner, Span span) {
    bool warning = false;
    const ast::Term* count = nullptr;
    for (const auto& a : phrase.arguments) {
        if (a.kind == ast::Term::Kind::name && a.text == "warning" && count == nullptr) warning = true;
        else if ((a.kind == ast::Term::Kind::range || a.kind == ast::Term::Kind::integer) && count == nullptr) count = &a;
        else {
            diags_.error(a.span, "`size` takes a count or a range: `size 4..8`, `size warning 9`");
            return;
        }
    }
    if (count == nullptr) {
        diags_.error(phrase.head.span, "`size` takes a count or a range: `size 4..8`, `size warning 9`");
        return;
    }
    auto low = count->kind == ast::Term::Kind::integer ? std::optional(count->integer) : count->range.low;
    auto high = count->kind == ast::Term::Kind::integer ? std::optional(count->integer) : count->range.high;
    add_std_fact("size_rule", {symbols_.entity(owner), symbols_.integer(low.value_or(0)),
                               high ? symbols_.integer(*high) : engine::none_value,
                               symbols_.string(warning ? "warning" : "error"), symbols_.string(sources_.text(count->span))}, span);
}

}  // namespace charter::lang
