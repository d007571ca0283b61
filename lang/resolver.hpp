// The resolver's internals, shared by its implementation files:
//   resolve_declarations.cpp  kinds, relations, entities (the names everything else uses)
//   lower_statements.cpp      entity blocks, facts, seat rules, flows, cases, data files
//   lower_rules.cpp           rules, checks, queries, expectations; closures r+ and r*
#pragma once

#include "resolve.hpp"

#include <algorithm>
#include <optional>
#include <set>

namespace charter::lang {

class Resolver {
public:
    Resolver(SourceManager& sources, const PathPolicy& policy, engine::Symbols& symbols,
             Diagnostics& diagnostics, Model& model)
        : sources_(sources), policy_(policy), symbols_(symbols), diags_(diagnostics), model_(model) {}

    void run(const std::vector<ParsedFile>& files);

    // ---- declarations (resolve_declarations.cpp)
    void declare_builtins();
    void declare_kinds(const std::vector<ParsedFile>& files);
    void declare_relations(const std::vector<ParsedFile>& files);
    /// An error for each user relation or rule that takes the name of a stdlib helper.
    void check_std_helpers(const std::vector<ParsedFile>& files);
    void declare_entities(const std::vector<ParsedFile>& files);
    /// Declares an entity of kind `kind` (an error if it was declared with another); its value.
    engine::Value declare_entity(std::string_view id, std::string_view kind, Span where);
    /// declare_entity for a name that symbols_.find_entity did not find (a data file's new
    /// entity); `hash` is its engine::NameIndex::hash.
    engine::Value declare_new_entity(std::string_view id, std::uint32_t hash, std::string_view kind, Span where);
    /// Notes a newly declared entity's kind beside its name (Symbols::set_entity_tag: the index
    /// of the kind's own entity value), where a data file's lookup of the name finds it in the
    /// same read (Symbols::find_entity); returns the entity. resolve() clears the tags first, so
    /// a tag of 0 means the name is no entity declared in this model.
    engine::Value record_kind(engine::Value entity, std::string_view kind);
    /// What record_kind keeps for `kind`: the index of the kind's own entity value.
    std::uint32_t kind_id(std::string_view kind);
    engine::RelationId declare_relation(engine::RelationInfo info);
    /// The relation of this name, or an error with a suggestion.
    std::optional<engine::RelationId> relation(const ast::Name& name);
    /// The entity value of a declared entity, or an error with a suggestion (kinds fitting
    /// `expected_kind` suggested first).
    std::optional<engine::Value> entity(const ast::Name& name, std::string_view expected_kind = {});
    bool kind_exists(const ast::Name& name, bool report = true);
    [[nodiscard]] bool admits(const engine::ParamType& type, engine::Value value) const;
    [[nodiscard]] std::string describe_type(const engine::ParamType& type) const;
    [[nodiscard]] std::string describe_value(engine::Value value) const;
    engine::LocationId location(Span span);

    // ---- statements (lower_statements.cpp)
    void lower_statements(const std::vector<ParsedFile>& files);
    void lower_entity(const ast::Phrase& phrase, const std::string& id, Span span);
    void lower_block(const ast::Block& block, const std::string& owner);
    void lower_block_relation(const ast::Phrase& phrase, const std::string& owner, Span span);
    void lower_case_statement(const ast::Phrase& phrase, const std::string& owner, Span span);
    void lower_seats(const ast::Seats& seats, const std::string& owner, Span span);
    void lower_size(const ast::Phrase& phrase, const std::string& owner, Span span);
    void lower_flow(const ast::Flow& flow, Span span);
    /// `at` of every flow case names a step of its flow (§6); run after all flows are known.
    void check_case_positions();
    void lower_fact(const ast::Atom& atom, Span span);
    void load_facts_file(const ast::FactsFrom& facts, SourceId from, Span span);
    struct EntityColumn;  // facts_file.cpp
    EntityColumn entity_column(const engine::ParamType& type, const ast::FactsFrom& facts);
    /// A constant argument of a fact for parameter `param` of `relation`.
    std::optional<engine::Value> constant(const ast::Term& term, engine::RelationId relation,
                                          std::size_t param);
    void add_fact(engine::RelationId relation, const std::vector<engine::Value>& tuple, Span span);
    void add_fact(engine::RelationId relation, const std::vector<engine::Value>& tuple, engine::LocationId at);
    /// Adds a fact of a std relation by name (flows, cases, seats); an error if std is missing.
    void add_std_fact(std::string_view relation, const std::vector<engine::Value>& tuple, Span span);

    // ---- rules (lower_rules.cpp)
    void lower_rule(const ast::Rule& rule, Span span);
    /// A rule `head :- literals` whose head is given (a step's `when`, §6).
    void lower_condition(engine::RelationId head, std::vector<engine::Value> head_args,
                         const std::vector<ast::Literal>& literals, Span span);
    void lower_check(const ast::Check& check, Span span);
    void lower_expect(const ast::Expect& expect, Span span);
    void lower_query_statement(const ast::Query& query, Span span);
    void lower_question_statement(const ast::Question& question, Span span);
    /// The relation `r+` or `r*` of a binary relation, created with its rules on first use.
    std::optional<engine::RelationId> closure(const ast::Atom& atom, engine::RelationId base);

    struct Scope;  // variables of one rule or query
    bool lower_body(const std::vector<ast::Literal>& literals, Scope& scope,
                    std::vector<engine::Literal>& out);
    std::optional<engine::Literal> lower_atom(const ast::Atom& atom, Scope& scope, bool negated);
    std::optional<engine::Expr> lower_expr(const ast::Term& term, Scope& scope);
    std::optional<engine::Term> lower_term(const ast::Term& term, Scope& scope,
                                           engine::RelationId relation, std::size_t param);
    bool check_range_restriction(const std::vector<engine::Literal>& body,
                                 const std::vector<engine::Term>& head, const Scope& scope, Span span);
    bool lower_query(const std::vector<ast::Literal>& body, Span span, engine::Query& out);

    SourceManager& sources_;
    const PathPolicy& policy_;
    engine::Symbols& symbols_;
    Diagnostics& diags_;
    Model& model_;
    NameTables& names() { return model_.names; }
    /// The declared entities, by name.
    EntityTable::View entities() const { return model_.names.entities.in(symbols_); }
    engine::Program& program() { return model_.program; }
    std::map<std::string, Span> relation_spans_;
    std::set<std::string> std_relations_missing_reported_;
    std::map<std::string, Span> case_at_spans_;
    std::int64_t next_seat_rule_ = 1;
    // The last kind kind_id was given and its entity's index: a data file declares its
    // entities a column, and so a kind, at a time.
    std::string last_kind_;
    std::uint32_t last_kind_id_ = 0;
};

}  // namespace charter::lang
