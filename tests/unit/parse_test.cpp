// The parser: every statement form of LANGUAGE.md parses to the right AST, every syntax error
// message is produced at the right place, and hostile input gives errors, not crashes.
#include "lang/grammar_errors.hpp"
#include "lang/parser.hpp"

#include <doctest/doctest.h>
#include <tao/pegtl/contrib/analyze.hpp>

#include <string>
#include <vector>

using namespace charter::lang;

namespace {

struct Parsed {
    SourceManager sources;
    ast::File file;
    std::vector<Diagnostic> diagnostics;

    /// "line:col: message" of every diagnostic, in order.
    [[nodiscard]] std::vector<std::string> errors() const {
        std::vector<std::string> out;
        for (const auto& d : diagnostics) {
            const auto where = sources.locate(d.span);
            out.push_back(std::to_string(where.line) + ":" + std::to_string(where.column) + ": " + d.message);
        }
        return out;
    }
    [[nodiscard]] std::string_view text(Span span) const { return sources.text(span); }
};

Parsed parse_text(std::string text) {
    Parsed p;
    const SourceId id = p.sources.add("test.charter", "", std::move(text));
    Diagnostics diagnostics;
    p.file = parse(p.sources, id, diagnostics);
    p.diagnostics = diagnostics.take();
    return p;
}

/// Parses a text that must hold exactly one statement and no error.
Parsed parse_one(std::string text) {
    Parsed p = parse_text(std::move(text));
    INFO(p.text(Span{0, 0, UINT32_MAX}));
    for (const auto& e : p.errors()) INFO(e);
    REQUIRE(p.diagnostics.empty());
    REQUIRE(p.file.statements.size() == 1);
    return p;
}

template <typename T>
const T& as(const ast::Statement& s) {
    REQUIRE(std::holds_alternative<T>(s.node));
    return std::get<T>(s.node);
}

template <typename T>
const T& first(const Parsed& p) {
    return as<T>(p.file.statements.at(0));
}

/// The single error of parsing `text`, as "line:col: message".
std::string error_of(std::string text) {
    Parsed p = parse_text(std::move(text));
    const auto errors = p.errors();
    INFO(p.text(Span{0, 0, UINT32_MAX}));
    REQUIRE(errors.size() == 1);
    return errors.front();
}

}  // namespace

// ---- lexical --------------------------------------------------------------------------------

TEST_CASE("an empty file, or one of blanks and comments, gives an empty File") {
    for (const char* text : {"", "\n\n", "# only a comment", "  # comment\n\t\n;;\n", "\xEF\xBB\xBF"}) {
        Parsed p = parse_text(text);
        CHECK(p.diagnostics.empty());
        CHECK(p.file.statements.empty());
        CHECK(p.file.source == 0);
    }
}

TEST_CASE("identifiers take Latin-1 and Latin Extended letters") {
    Parsed p = parse_one("reports_to(FKØ, KateBøgh, Sundhedsdirektørkredsen, Łódź_2, _x, ÆØÅæøå)");
    const auto& atom = first<ast::Fact>(p).atom;
    REQUIRE(atom.arguments.size() == 6);
    CHECK(atom.arguments[0].value.text == "FKØ");
    CHECK(atom.arguments[1].value.text == "KateBøgh");
    CHECK(atom.arguments[2].value.text == "Sundhedsdirektørkredsen");
    CHECK(atom.arguments[3].value.text == "Łódź_2");
    CHECK(atom.arguments[4].value.text == "_x");
    CHECK(atom.arguments[5].value.text == "ÆØÅæøå");
    for (const auto& a : atom.arguments) CHECK(a.value.kind == ast::Term::Kind::name);
    CHECK(p.text(atom.arguments[1].value.span) == "KateBøgh");
}

TEST_CASE("a character that is no letter is not part of an identifier") {
    CHECK(error_of("party A€") == "1:8: expected the end of the statement, found `€`");
    CHECK(error_of("party 3abc") == "1:7: expected the end of the statement, found `3abc`");
}

TEST_CASE("backtick names drop the backticks and dotted names are one Name") {
    Parsed p = parse_one("reports_to(`PLO-Syddanmark`.bestyrelse, SDK.formandskab, `a b`)");
    const auto& atom = first<ast::Fact>(p).atom;
    CHECK(atom.arguments[0].value.text == "PLO-Syddanmark.bestyrelse");
    CHECK(p.text(atom.arguments[0].value.span) == "`PLO-Syddanmark`.bestyrelse");
    CHECK(atom.arguments[1].value.text == "SDK.formandskab");
    CHECK(atom.arguments[2].value.text == "a b");
}

TEST_CASE("terms: variables, anonymous, none, strings with escapes, integers and ranges") {
    Parsed p = parse_one(R"(r(?body, _, none, "say \"hi\"\\\n", 42, -7, 2..3, 4.., ..9, -9223372036854775808, 9223372036854775807))");
    const auto& args = first<ast::Fact>(p).atom.arguments;
    REQUIRE(args.size() == 11);
    using K = ast::Term::Kind;
    CHECK(args[0].value.kind == K::variable);
    CHECK(args[0].value.text == "body");
    CHECK(p.text(args[0].value.span) == "?body");
    CHECK(args[1].value.kind == K::anonymous);
    CHECK(args[2].value.kind == K::none);
    CHECK(args[3].value.kind == K::string);
    CHECK(args[3].value.text == "say \"hi\"\\\n");
    CHECK(args[4].value.kind == K::integer);
    CHECK(args[4].value.integer == 42);
    CHECK(args[5].value.integer == -7);
    CHECK(args[6].value.kind == K::range);
    CHECK(args[6].value.range.low == 2);
    CHECK(args[6].value.range.high == 3);
    CHECK(args[7].value.range.low == 4);
    CHECK_FALSE(args[7].value.range.high.has_value());
    CHECK_FALSE(args[8].value.range.low.has_value());
    CHECK(args[8].value.range.high == 9);
    CHECK(args[9].value.integer == INT64_MIN);
    CHECK(args[10].value.integer == INT64_MAX);
}

TEST_CASE("names that start like keywords are names") {
    Parsed p = parse_one("r(nonesuch, _a, notable, ?none)");
    const auto& args = first<ast::Fact>(p).atom.arguments;
    CHECK(args[0].value.kind == ast::Term::Kind::name);
    CHECK(args[1].value.kind == ast::Term::Kind::name);
    CHECK(args[2].value.text == "notable");
    CHECK(args[3].value.kind == ast::Term::Kind::variable);
}

TEST_CASE("statements end at a newline or a semicolon, and CRLF counts as a newline") {
    Parsed p = parse_text("party A; party B\r\nparty C # comment\r\n\r\n;party D");
    CHECK(p.diagnostics.empty());
    REQUIRE(p.file.statements.size() == 4);
    CHECK(first<ast::Phrase>(p).arguments[0].text == "A");
    CHECK(as<ast::Phrase>(p.file.statements[3]).arguments[0].text == "D");
    CHECK(p.text(p.file.statements[2].span) == "party C");
}

// ---- declarations ---------------------------------------------------------------------------

TEST_CASE("import std and import of a file") {
    Parsed p = parse_text("import std\nimport \"clusters.charter\"");
    REQUIRE(p.diagnostics.empty());
    REQUIRE(p.file.statements.size() == 2);
    CHECK(first<ast::Import>(p).is_std);
    const auto& file = as<ast::Import>(p.file.statements[1]);
    CHECK_FALSE(file.is_std);
    CHECK(file.path == "clusters.charter");
    CHECK(p.text(file.path_span) == "\"clusters.charter\"");
    CHECK(p.text(p.file.statements[1].span) == "import \"clusters.charter\"");
}

TEST_CASE("kind declarations with and without super-kind and doc") {
    Parsed p = parse_one("kind municipality : party \"A Danish municipality\"   # comment");
    const auto& k = first<ast::KindDecl>(p);
    CHECK(k.name.text == "municipality");
    REQUIRE(k.super.has_value());
    CHECK(k.super->text == "party");
    CHECK(k.doc == "A Danish municipality");
    CHECK(p.text(p.file.statements[0].span) == "kind municipality : party \"A Danish municipality\"");
    Parsed q = parse_one("kind cluster");
    CHECK_FALSE(first<ast::KindDecl>(q).super.has_value());
    CHECK_FALSE(first<ast::KindDecl>(q).doc.has_value());
}

TEST_CASE("relation declarations with types, defaults and doc") {
    Parsed p = parse_one("relation member(body: body, person: person, role: role = member,\n"
                         "                for: party) \"A person sits in a body\"");
    const auto& r = first<ast::RelationDecl>(p);
    CHECK(r.name.text == "member");
    REQUIRE(r.parameters.size() == 4);
    CHECK(r.parameters[0].name.text == "body");
    CHECK(r.parameters[0].type.text == "body");
    CHECK(r.parameters[2].name.text == "role");
    REQUIRE(r.parameters[2].default_value.has_value());
    CHECK(r.parameters[2].default_value->text == "member");
    CHECK_FALSE(r.parameters[3].default_value.has_value());
    CHECK(r.parameters[3].name.text == "for");
    CHECK(p.text(r.parameters[3].name.span) == "for");
    CHECK(r.doc == "A person sits in a body");
    CHECK(first<ast::RelationDecl>(parse_one("relation flag()")).parameters.empty());
}

TEST_CASE("facts from a file, with declare") {
    Parsed p = parse_one("facts member from \"m.tsv\" declare person, role");
    const auto& f = first<ast::FactsFrom>(p);
    CHECK(f.relation.text == "member");
    CHECK(f.path == "m.tsv");
    CHECK(p.text(f.path_span) == "\"m.tsv\"");
    REQUIRE(f.declare_kinds.size() == 2);
    CHECK(f.declare_kinds[1].text == "role");
    CHECK(first<ast::FactsFrom>(parse_one("facts r from \"r.csv\"")).declare_kinds.empty());
}

// ---- entities and facts ---------------------------------------------------------------------

TEST_CASE("an entity phrase with label, tags and a block of nested statements") {
    Parsed p = parse_one("body SSS \"Strategisk Sundhedsstyregruppe\" : administrative, top {\n"
                         "    supports SSU\n"
                         "    secretariat Koordinationsgruppen   # comment\n"
                         "    body formandskab \"Formandskabet\"\n"
                         "    member KateBøgh role chair for Odense\n"
                         "    reports_to(SSS, TSS)\n"
                         "}");
    const auto& b = first<ast::Phrase>(p);
    CHECK(b.head.text == "body");
    REQUIRE(b.arguments.size() == 2);
    CHECK(b.arguments[0].text == "SSS");
    CHECK(b.arguments[1].kind == ast::Term::Kind::string);
    CHECK(b.arguments[1].text == "Strategisk Sundhedsstyregruppe");
    REQUIRE(b.tags.size() == 2);
    CHECK(b.tags[0].text == "administrative");
    CHECK(b.tags[1].text == "top");
    CHECK(b.has_block);
    REQUIRE(b.block.size() == 5);
    const auto& supports = as<ast::Phrase>(b.block[0]);
    CHECK(supports.head.text == "supports");
    CHECK(supports.arguments.at(0).text == "SSU");
    CHECK(p.text(b.block[1].span) == "secretariat Koordinationsgruppen");
    const auto& nested = as<ast::Phrase>(b.block[2]);
    CHECK(nested.arguments.at(1).text == "Formandskabet");
    CHECK_FALSE(nested.has_block);
    const auto& member = as<ast::Phrase>(b.block[3]);
    REQUIRE(member.arguments.size() == 5);
    CHECK(member.arguments[4].text == "Odense");
    CHECK(as<ast::Fact>(b.block[4]).atom.relation.text == "reports_to");
    CHECK(p.text(p.file.statements[0].span).substr(0, 9) == "body SSS ");
    CHECK(p.text(p.file.statements[0].span).back() == '}');
}

TEST_CASE("blocks on one line: `}` may follow a statement") {
    Parsed p = parse_one("municipality Odense { belongs_to Fyn }");
    const auto& m = first<ast::Phrase>(p);
    REQUIRE(m.block.size() == 1);
    CHECK(p.text(m.block[0].span) == "belongs_to Fyn");
    Parsed c = parse_one("case C17 \"Revision af demensaftalen\" { flow revision_track3; at qualify; owner TovholderDemens }");
    const auto& k = first<ast::Phrase>(c);
    REQUIRE(k.block.size() == 3);
    CHECK(as<ast::Phrase>(k.block[0]).head.text == "flow");
    CHECK(as<ast::Phrase>(k.block[0]).arguments.at(0).text == "revision_track3");
    CHECK(as<ast::Phrase>(k.block[1]).head.text == "at");
    CHECK(as<ast::Phrase>(k.block[2]).head.text == "owner");
    CHECK(first<ast::Phrase>(parse_one("body E {}")).has_block);
    CHECK(first<ast::Phrase>(parse_one("body E {}")).block.empty());
}

TEST_CASE("phrases: size with ranges and warning, plain entities") {
    Parsed p = parse_one("body FKØ { size 4..8; size warning 5 }");
    const auto& b = first<ast::Phrase>(p);
    REQUIRE(b.block.size() == 2);
    const auto& size = as<ast::Phrase>(b.block[0]);
    CHECK(size.head.text == "size");
    CHECK(size.arguments.at(0).kind == ast::Term::Kind::range);
    const auto& soft = as<ast::Phrase>(b.block[1]);
    CHECK(soft.arguments.at(0).text == "warning");
    CHECK(soft.arguments.at(1).integer == 5);
    Parsed e = parse_one("party RegionSyddanmark \"Region Syddanmark\" : public");
    CHECK(first<ast::Phrase>(e).tags.at(0).text == "public");
    CHECK_FALSE(first<ast::Phrase>(e).has_block);
}

TEST_CASE("a plain fact with positional and named arguments") {
    Parsed p = parse_one("member(SSS, KateBøgh, role: chair, for: Odense)");
    const auto& a = first<ast::Fact>(p).atom;
    CHECK(a.relation.text == "member");
    CHECK(a.closure == ast::Closure::none);
    REQUIRE(a.arguments.size() == 4);
    CHECK_FALSE(a.arguments[0].parameter.has_value());
    REQUIRE(a.arguments[2].parameter.has_value());
    CHECK(a.arguments[2].parameter->text == "role");
    CHECK(a.arguments[2].value.text == "chair");
    CHECK(a.arguments[3].parameter->text == "for");
    CHECK(p.text(a.span) == "member(SSS, KateBøgh, role: chair, for: Odense)");
}

TEST_CASE("a fact may spread over lines inside its parentheses") {
    Parsed p = parse_one("reports_to(\n  FKØ,   # from\n  SDK.formandskab\n)");
    const auto& a = first<ast::Fact>(p).atom;
    REQUIRE(a.arguments.size() == 2);
    CHECK(a.arguments[1].value.text == "SDK.formandskab");
    CHECK(p.sources.locate(p.file.statements[0].span).line == 1);
}

TEST_CASE("`kind(…)` and other keywords followed by `(` are facts") {
    Parsed p = parse_text("kind(X, body)\npath(A, B)\nseats(X, 3)");
    CHECK(p.diagnostics.empty());
    REQUIRE(p.file.statements.size() == 3);
    for (const auto& s : p.file.statements) CHECK(std::holds_alternative<ast::Fact>(s.node));
}

// ---- rules ----------------------------------------------------------------------------------

TEST_CASE("rules: atoms, negation, anonymous variables and a rule without body") {
    Parsed p = parse_text("rule chain(?a, ?c) :- reports_to(?a, ?b), chain(?b, ?c)\n"
                          "rule unsponsored(?g) :- kind(?g, workgroup), not sponsor(?g, _, _)\n"
                          "rule n(0)");
    REQUIRE(p.diagnostics.empty());
    REQUIRE(p.file.statements.size() == 3);
    const auto& chain = first<ast::Rule>(p);
    CHECK(chain.head.relation.text == "chain");
    REQUIRE(chain.body.size() == 2);
    CHECK(chain.body[0].kind == ast::Literal::Kind::positive);
    CHECK(chain.body[1].atom.relation.text == "chain");
    CHECK(p.text(chain.body[1].span) == "chain(?b, ?c)");
    const auto& uns = as<ast::Rule>(p.file.statements[1]);
    CHECK(uns.body[1].kind == ast::Literal::Kind::negative);
    CHECK(uns.body[1].atom.relation.text == "sponsor");
    CHECK(uns.body[1].atom.arguments[1].value.kind == ast::Term::Kind::anonymous);
    CHECK(p.text(uns.body[1].span) == "not sponsor(?g, _, _)");
    CHECK(as<ast::Rule>(p.file.statements[2]).body.empty());
}

TEST_CASE("closures r+ and r*") {
    Parsed p = parse_one("? reports_to+(FKØ, ?top), part_of*(?x, ?top)");
    const auto& q = first<ast::Query>(p);
    REQUIRE(q.body.size() == 2);
    CHECK(q.body[0].atom.closure == ast::Closure::plus);
    CHECK(q.body[0].atom.relation.text == "reports_to");
    CHECK(q.body[1].atom.closure == ast::Closure::star);
}

TEST_CASE("comparisons with arithmetic: precedence, parentheses, left association") {
    Parsed p = parse_one("rule x(?a) :- n(?b), ?a = 1 + 2 * (3 - ?b) - 4, ?b >= -4, ?a != ?b, ?a < 2, ?a <= 2, ?a > 1");
    const auto& body = first<ast::Rule>(p).body;
    REQUIRE(body.size() == 7);
    const auto& eq = body[1];
    CHECK(eq.kind == ast::Literal::Kind::comparison);
    CHECK(eq.left.text == "a");
    CHECK(eq.op == "=");
    // ((1 + (2 * (3 - ?b))) - 4)
    const auto& minus = eq.right;
    REQUIRE(minus.kind == ast::Term::Kind::arithmetic);
    REQUIRE(minus.arithmetic.size() == 1);
    CHECK(minus.arithmetic[0].op == '-');
    CHECK(minus.arithmetic[0].operands.at(1).integer == 4);
    const auto& plus = minus.arithmetic[0].operands.at(0);
    CHECK(plus.arithmetic.at(0).op == '+');
    CHECK(plus.arithmetic[0].operands.at(0).integer == 1);
    const auto& times = plus.arithmetic[0].operands.at(1);
    CHECK(times.arithmetic.at(0).op == '*');
    const auto& inner = times.arithmetic[0].operands.at(1);
    CHECK(inner.arithmetic.at(0).op == '-');
    CHECK(inner.arithmetic[0].operands.at(1).text == "b");
    CHECK(p.text(minus.span) == "1 + 2 * (3 - ?b) - 4");
    CHECK(p.text(eq.span) == "?a = 1 + 2 * (3 - ?b) - 4");
    CHECK(body[2].op == ">=");
    CHECK(body[2].right.integer == -4);
    CHECK(body[3].op == "!=");
    CHECK(body[4].op == "<");
    CHECK(body[5].op == "<=");
    CHECK(body[6].op == ">");
}

TEST_CASE("aggregates count, sum, min and max") {
    Parsed p = parse_one("rule seats(?b, ?n) :- kind(?b, body), ?n = count(?p : member(?b, ?p, _, _)),\n"
                         "    ?s = sum(?x, ?y : m(?x, ?y), not q(?x)), ?lo = min(?x : m(?x, _)), ?hi = max(?x : m(?x, _))");
    const auto& body = first<ast::Rule>(p).body;
    REQUIRE(body.size() == 5);
    const auto& count = body[1];
    CHECK(count.kind == ast::Literal::Kind::comparison);
    CHECK(count.left.text == "n");
    CHECK(count.op == "=");
    REQUIRE(count.aggregate.has_value());
    CHECK(count.aggregate->function.text == "count");
    REQUIRE(count.aggregate->variables.size() == 1);
    CHECK(count.aggregate->variables[0].text == "p");
    REQUIRE(count.aggregate->body.size() == 1);
    CHECK(count.aggregate->body[0].atom.relation.text == "member");
    CHECK(p.text(count.aggregate->span) == "count(?p : member(?b, ?p, _, _))");
    const auto& sum = *body[2].aggregate;
    CHECK(sum.function.text == "sum");
    CHECK(sum.variables.size() == 2);
    CHECK(sum.body.size() == 2);
    CHECK(sum.body[1].kind == ast::Literal::Kind::negative);
    CHECK(body[3].aggregate->function.text == "min");
    CHECK(body[4].aggregate->function.text == "max");
}

TEST_CASE("a rule continues over lines after `:-`, after a trailing comma and inside parentheses") {
    Parsed p = parse_text("rule r(?a, ?b) :-\n"
                          "    reports_to(?a,\n"
                          "               ?x),   # comment\n"
                          "\n"
                          "    ?n = count(?p :\n"
                          "        member(?a, ?p, _, _),\n"
                          "        ?p != ?a\n"
                          "    ),\n"
                          "    ?b = (?n\n"
                          "          + 1)\n"
                          "party After");
    for (const auto& e : p.errors()) INFO(e);
    REQUIRE(p.diagnostics.empty());
    REQUIRE(p.file.statements.size() == 2);
    const auto& r = first<ast::Rule>(p);
    REQUIRE(r.body.size() == 3);
    CHECK(r.body[1].aggregate->body.size() == 2);
    CHECK(r.body[2].right.kind == ast::Term::Kind::arithmetic);
    CHECK(p.sources.locate(p.file.statements[1].span).line == 11);
}

// ---- checks ---------------------------------------------------------------------------------

TEST_CASE("a check with warning, doc, violation over several lines and message") {
    Parsed p = parse_one("check sponsor_sits warning \"Sponsors are drawn from the body\" {\n"
                         "    violation sponsor(?g, ?p, _),\n"
                         "              established_by(?g, ?b), not member(?b, ?p, _, _)\n"
                         "    message \"{?p} sponsors {?g} but is not a member of {?b}\"\n"
                         "}");
    const auto& c = first<ast::Check>(p);
    CHECK(c.name.text == "sponsor_sits");
    CHECK(c.warning);
    CHECK(c.doc == "Sponsors are drawn from the body");
    REQUIRE(c.violation.size() == 3);
    CHECK(c.violation[2].kind == ast::Literal::Kind::negative);
    CHECK(p.text(c.violation_span) ==
          "sponsor(?g, ?p, _),\n              established_by(?g, ?b), not member(?b, ?p, _, _)");
    CHECK(c.message == "{?p} sponsors {?g} but is not a member of {?b}");
    CHECK(p.text(c.message_span) == "\"{?p} sponsors {?g} but is not a member of {?b}\"");
    CHECK_FALSE(c.has_subjects);
}

TEST_CASE("a check on one line, without message, and with subjects") {
    Parsed p = parse_one("check c { violation a(?x); subjects ?x, ?y : b(?x, ?y) }");
    const auto& c = first<ast::Check>(p);
    CHECK_FALSE(c.warning);
    CHECK_FALSE(c.message.has_value());
    CHECK(c.has_subjects);
    REQUIRE(c.subjects.size() == 2);
    CHECK(c.subjects[1].text == "y");
    REQUIRE(c.subjects_body.size() == 1);
    CHECK(c.subjects_body[0].atom.relation.text == "b");
    Parsed q = parse_one("check d {\n  violation a(?x)\n  subjects ?x\n}");
    CHECK(first<ast::Check>(q).subjects.size() == 1);
    CHECK(first<ast::Check>(q).subjects_body.empty());
}

// ---- flows ----------------------------------------------------------------------------------

TEST_CASE("a flow with every performer form, actions, docs, when and within") {
    Parsed p = parse_one("flow revision_track3 \"Revision af samarbejdsaftale, spor 3\" : revision {\n"
                         "    step draft    by owner                  \"drafts the terms of reference\"\n"
                         "    step qualify  by sponsors of owner\n"
                         "    step approve  by SSS.formandskab        approves\n"
                         "    step execute  by any workgroup\n"
                         "    step all      by each municipality      approves within 2 weeks\n"
                         "    step lead     by chair of SSS           decides \"the chair\" when urgent(?c), not closed(?c) within 10 days\n"
                         "    step second   by vice_chair of owner\n"
                         "    step sit      by members of SSU         advises\n"
                         "    step write    by secretariat of SSS     informs within 1 day\n"
                         "}");
    const auto& f = first<ast::Flow>(p);
    using Form = ast::Performer::Form;
    CHECK(f.name.text == "revision_track3");
    CHECK(f.label == "Revision af samarbejdsaftale, spor 3");
    REQUIRE(f.tags.size() == 1);
    CHECK(f.tags[0].text == "revision");
    REQUIRE(f.steps.size() == 9);
    CHECK(f.steps[0].name.text == "draft");
    CHECK(f.steps[0].performer.form == Form::owner);
    CHECK(f.steps[0].performer.target.text == "owner");
    CHECK(f.steps[0].doc == "drafts the terms of reference");
    CHECK_FALSE(f.steps[0].action.has_value());
    CHECK(f.steps[1].performer.form == Form::sponsors_of);
    CHECK(f.steps[1].performer.target.text == "owner");
    CHECK(p.text(f.steps[1].performer.span) == "sponsors of owner");
    CHECK(f.steps[2].performer.form == Form::entity);
    CHECK(f.steps[2].performer.target.text == "SSS.formandskab");
    CHECK(f.steps[2].action->text == "approves");
    CHECK(f.steps[3].performer.form == Form::any);
    CHECK(f.steps[3].performer.target.text == "workgroup");
    CHECK(f.steps[4].performer.form == Form::each);
    CHECK(f.steps[4].within_days == 14);
    CHECK(f.steps[5].performer.form == Form::chair_of);
    CHECK(f.steps[5].action->text == "decides");
    CHECK(f.steps[5].doc == "the chair");
    REQUIRE(f.steps[5].when.size() == 2);
    CHECK(f.steps[5].when[1].kind == ast::Literal::Kind::negative);
    CHECK(f.steps[5].within_days == 10);
    CHECK(f.steps[6].performer.form == Form::vice_chair_of);
    CHECK(f.steps[7].performer.form == Form::members_of);
    CHECK(f.steps[7].action->text == "advises");
    CHECK(f.steps[8].performer.form == Form::secretariat_of);
    CHECK(f.steps[8].within_days == 1);
}

TEST_CASE("a flow on one line, and a flow nested in a block") {
    Parsed p = parse_one("flow economic_decision { step decide by SSS decides; step approve by each municipality approves }");
    CHECK(first<ast::Flow>(p).steps.size() == 2);
    Parsed q = parse_one("body B { flow F { step s by B } }");
    const auto& b = first<ast::Phrase>(q);
    REQUIRE(b.block.size() == 1);
    CHECK(as<ast::Flow>(b.block[0]).steps.at(0).performer.target.text == "B");
}

// ---- seats ----------------------------------------------------------------------------------

TEST_CASE("seat rules in every form, on several lines and separated by semicolons") {
    Parsed p = parse_one("body SamordningNord { seats { 1 from each municipality in PlanNord; 3..5 from hospital\n"
                         "                               1 from hospital with role direction; 1.. with area children_youth } }");
    const auto& b = first<ast::Phrase>(p);
    REQUIRE(b.block.size() == 1);
    const auto& s = as<ast::Seats>(b.block[0]);
    CHECK_FALSE(s.warning);
    REQUIRE(s.rules.size() == 4);
    CHECK(s.rules[0].count.low == 1);
    CHECK(s.rules[0].count.high == 1);
    CHECK(s.rules[0].has_from);
    CHECK(s.rules[0].each);
    CHECK(s.rules[0].from.text == "municipality");
    REQUIRE(s.rules[0].in.has_value());
    CHECK(s.rules[0].in->text == "PlanNord");
    CHECK(p.text(s.rules[0].span) == "1 from each municipality in PlanNord");
    CHECK(s.rules[1].count.low == 3);
    CHECK(s.rules[1].count.high == 5);
    CHECK_FALSE(s.rules[1].each);
    CHECK(s.rules[1].from.text == "hospital");
    REQUIRE(s.rules[2].filters.size() == 1);
    CHECK(s.rules[2].filters[0].relation.text == "role");
    CHECK(s.rules[2].filters[0].value.text == "direction");
    CHECK_FALSE(s.rules[3].has_from);
    CHECK(s.rules[3].count.low == 1);
    CHECK_FALSE(s.rules[3].count.high.has_value());
    CHECK(s.rules[3].filters[0].relation.text == "area");
    CHECK(s.rules[3].filters[0].value.text == "children_youth");
}

TEST_CASE("seats warning and several filters") {
    Parsed p = parse_one("body K {\n    seats warning {\n        2..3 from RegionSyddanmark with role member with area \"x\"\n    }\n}");
    const auto& s = as<ast::Seats>(first<ast::Phrase>(p).block.at(0));
    CHECK(s.warning);
    REQUIRE(s.rules.size() == 1);
    REQUIRE(s.rules[0].filters.size() == 2);
    CHECK(s.rules[0].filters[1].value.kind == ast::Term::Kind::string);
}

// ---- queries, questions, tests, proposals ---------------------------------------------------

TEST_CASE("queries and the built-in questions") {
    Parsed p = parse_text("? reports_to+(FKØ, ?top)\nwho approves revision_track3\nnext C17\nroute C17\npath reports_to FKØ SDK");
    REQUIRE(p.diagnostics.empty());
    REQUIRE(p.file.statements.size() == 5);
    CHECK(first<ast::Query>(p).body.size() == 1);
    using Form = ast::Question::Form;
    const auto& who = as<ast::Question>(p.file.statements[1]);
    CHECK(who.form == Form::who_approves);
    CHECK(who.arguments.at(0).text == "revision_track3");
    CHECK(as<ast::Question>(p.file.statements[2]).form == Form::next);
    CHECK(as<ast::Question>(p.file.statements[3]).form == Form::route);
    const auto& path = as<ast::Question>(p.file.statements[4]);
    CHECK(path.form == Form::path);
    REQUIRE(path.arguments.size() == 3);
    CHECK(path.arguments[0].text == "reports_to");
    CHECK(path.arguments[2].text == "SDK");
}

TEST_CASE("every form of expect") {
    Parsed p = parse_text("expect ? chain(FKØ, SDK)\nexpect none ? reporting_cycle(_)\n"
                          "expect violation seats on FKØ\nexpect violation orphan_body\nexpect no violations");
    REQUIRE(p.diagnostics.empty());
    REQUIRE(p.file.statements.size() == 5);
    using Form = ast::Expect::Form;
    CHECK(first<ast::Expect>(p).form == Form::holds);
    CHECK(first<ast::Expect>(p).query.at(0).atom.relation.text == "chain");
    CHECK(as<ast::Expect>(p.file.statements[1]).form == Form::none);
    CHECK(as<ast::Expect>(p.file.statements[1]).query.size() == 1);
    const auto& v = as<ast::Expect>(p.file.statements[2]);
    CHECK(v.form == Form::violation);
    CHECK(v.check->text == "seats");
    CHECK(v.on->text == "FKØ");
    CHECK_FALSE(as<ast::Expect>(p.file.statements[3]).on.has_value());
    CHECK(as<ast::Expect>(p.file.statements[4]).form == Form::no_violations);
}

TEST_CASE("proposal statements: amends, remove a fact or an entity, rename") {
    Parsed p = parse_text("amends \"model.charter\"\nremove reports_to(FKØ, SSS)\nremove FKØ\nrename SSS to SSS2");
    REQUIRE(p.diagnostics.empty());
    REQUIRE(p.file.statements.size() == 4);
    CHECK(first<ast::Amends>(p).path == "model.charter");
    CHECK(p.text(first<ast::Amends>(p).path_span) == "\"model.charter\"");
    const auto& fact = as<ast::Remove>(p.file.statements[1]);
    REQUIRE(fact.fact.has_value());
    CHECK(fact.fact->relation.text == "reports_to");
    CHECK_FALSE(fact.entity.has_value());
    const auto& entity = as<ast::Remove>(p.file.statements[2]);
    CHECK(entity.entity->text == "FKØ");
    CHECK_FALSE(entity.fact.has_value());
    const auto& rename = as<ast::Rename>(p.file.statements[3]);
    CHECK(rename.from.text == "SSS");
    CHECK(rename.to.text == "SSS2");
}

TEST_CASE("spans are byte offsets of names, terms and whole statements") {
    Parsed p = parse_text("# header\nparty KateBøgh \"Kate\" : x   # trailing\n");
    REQUIRE(p.file.statements.size() == 1);
    const auto& s = p.file.statements[0];
    CHECK(s.span.begin == 9);
    CHECK(p.text(s.span) == "party KateBøgh \"Kate\" : x");
    const auto& phrase = as<ast::Phrase>(s);
    CHECK(phrase.head.span.begin == 9);
    CHECK(phrase.head.span.end == 14);
    CHECK(phrase.arguments[0].span.begin == 15);
    CHECK(phrase.arguments[0].span.end == 24);  // `ø` is two bytes
    CHECK(p.text(phrase.arguments[1].span) == "\"Kate\"");
    CHECK(p.text(phrase.tags[0].span) == "x");
}

TEST_CASE("parse_snippet parses one statement like a file") {
    SourceManager sources;
    const SourceId id = sources.add("<snippet>", "", "who approves C17");
    Diagnostics diagnostics;
    auto file = parse_snippet(sources, id, diagnostics);
    CHECK_FALSE(diagnostics.has_errors());
    REQUIRE(file.statements.size() == 1);
    CHECK(std::holds_alternative<ast::Question>(file.statements[0].node));
}

// ---- errors ---------------------------------------------------------------------------------

TEST_CASE("every syntax error message, at its line and column") {
    const std::string long_name(64 * 1024 + 1, 'a');
    struct Case {
        std::string text;
        std::string error;
    };
    const std::vector<Case> cases = {
        {"party " + long_name, "1:7: identifier longer than 64 KiB"},
        {"party `" + long_name + "`", "1:8: identifier longer than 64 KiB"},
        {"party X \"" + long_name + "\"", "1:10: string longer than 64 KiB"},
        {"size 9223372036854775808", "1:6: integer literal out of range"},
        {"size -9223372036854775809", "1:6: integer literal out of range"},
        {"party ``", "1:8: expected a name between backticks, found a backtick"},
        {"party `abc\nparty B", "1:11: expected a closing backtick, found end of line"},
        {"party X \"a\\tb\"", "1:12: expected `\"`, `\\` or `n` after `\\` in a string, found `tb`"},
        {"party X \"abc", "1:13: expected `\"` to close the string, found end of file"},
        {"r(a: )", "1:6: expected a value after `:`, found `)`"},
        {"r(a, )", "1:6: expected an argument after `,`, found `)`"},
        {"r(a b)", "1:5: expected `)` to close the argument list, found `b`"},
        {"reports_to(A, B\nparty C", "1:16: expected `)` to close the argument list, found end of line"},
        {"? ?x = *", "1:8: expected a value or an arithmetic expression, found `*`"},
        {"? ?x = (1 + 2", "1:14: expected `)` to close the parenthesis, found end of file"},
        {"? ?x = 2 * )", "1:12: expected a value after `*`, found `)`"},
        {"? ?x = 2 + )", "1:12: expected a value after `+` or `-`, found `)`"},
        {"? )", "1:3: expected a literal (`r(…)`, `not r(…)` or a comparison), found `)`"},
        {"? a(x), )", "1:9: expected a literal after `,`, found `)`"},
        {"? ?n = count(: a(?x))", "1:14: expected the variables to aggregate, as in `count(?x : …)`, found `:`"},
        {"? ?n = count(?x, y : a(?x))", "1:18: expected a variable like `?x` after `,`, found `y`"},
        {"? ?n = count(?x a(?x))", "1:17: expected `:` and the literals to aggregate over, found `a`"},
        {"? ?n = count(?x : a(?x) b)", "1:25: expected `)` to close the aggregate, found `b`"},
        {"? not ?x", "1:7: expected a relation like `r(…)` after `not`, found `?x`"},
        {"import foo", "1:8: expected `std` or a quoted path after `import`, found `foo`"},
        {"kind 3", "1:6: expected a kind name after `kind`, found `3`"},
        {"kind a : 3", "1:10: expected the super-kind after `:`, found `3`"},
        {"relation 3", "1:10: expected a relation name after `relation`, found `3`"},
        {"relation r", "1:11: expected `(` and the parameter list after the relation name, found end of file"},
        {"relation r(a: T, 3)", "1:18: expected a parameter like `name: type` after `,`, found `3`"},
        {"relation r(a T)", "1:14: expected `:` and a type after the parameter name, found `T`"},
        {"relation r(a: 3)", "1:15: expected a type (a kind, `string`, `int` or `any`) after `:`, found `3`"},
        {"relation r(a: T = )", "1:19: expected a default value after `=`, found `)`"},
        {"relation r(a: T b)", "1:17: expected `)` to close the parameter list, found `b`"},
        {"facts 3", "1:7: expected a relation name after `facts`, found `3`"},
        {"facts r in \"x\"", "1:9: expected `from` and a quoted file name, found `in`"},
        {"facts r from x", "1:14: expected a quoted file name after `from`, found `x`"},
        {"facts r from \"x\" declare 3", "1:26: expected a kind after `declare`, found `3`"},
        {"facts r from \"x\" declare a, 3", "1:29: expected a kind after `,`, found `3`"},
        {"rule foo", "1:6: expected the rule's head, a relation like `r(?x)`, found `foo`"},
        {"check 3", "1:7: expected a check name after `check`, found `3`"},
        {"check c", "1:8: expected `{` and the check's `violation` clause, found end of file"},
        {"check c { foo }", "1:11: expected `violation`, `subjects` or `message` in a check, found `foo`"},
        {"check c { violation a(?x); subjects }", "1:37: expected the subjects after `subjects`, found `}`"},
        {"check c { violation a(?x); subjects ?x, }", "1:41: expected a value after `,`, found `}`"},
        {"check c { violation a(?x); message x }", "1:36: expected the message as a quoted string, found `x`"},
        {"check c { violation a(?x)", "1:26: expected `}` to close the check, found end of file"},
        {"party X (", "1:9: expected the end of the statement, found `(`"},
        {"party X : 3", "1:11: expected a tag after `:`, found `3`"},
        {"party X : a, 3", "1:14: expected a tag after `,`, found `3`"},
        {"flow F { step 3 }", "1:15: expected a step name after `step`, found `3`"},
        {"flow F { step s with X }", "1:17: expected `by` and the step's performer, found `with`"},
        {"flow F { step s by 3 }", "1:20: expected the step's performer, found `3`"},
        {"flow F { step s by chair of 3 }", "1:29: expected an entity or `owner` after `of`, found `3`"},
        {"flow F { step s by each 3 }", "1:25: expected a kind after `each` or `any`, found `3`"},
        {"flow F { step s by X within soon }", "1:29: expected a number of days or weeks after `within`, found `soon`"},
        {"flow F { step s by X within 3 months }", "1:31: expected `days` or `weeks` after the number, found `months`"},
        {"flow F { party X }", "1:10: a flow block holds only `step` statements, found `party`"},
        {"flow F { step s by X", "1:21: expected `}` to close the flow, found end of file"},
        {"body B { seats { many from X } }", "1:18: expected a seat rule like `2..3 from X`, found `many`"},
        {"body B { seats { 1 from 3 } }", "1:25: expected a party, kind or group after `from`, found `3`"},
        {"body B { seats { 1 from each K in 3 } }", "1:35: expected a group after `in`, found `3`"},
        {"body B { seats { 1 with 3 } }", "1:25: expected `role` or a relation after `with`, found `3`"},
        {"body B { seats { 1 with role } }", "1:30: expected a value after the relation in `with`, found `}`"},
        {"body B { seats { 1 from X", "1:26: expected `}` to close the seat rules, found end of file"},
        {"body B { seats 3 }", "1:16: expected `{` and the seat rules after `seats`, found `3`"},
        {"body B { 3 }", "1:10: expected a statement, found `3`"},
        {"body B { party X", "1:17: expected `}` to close the block, found end of file"},
        {"next 3", "1:6: expected a flow, case or entity name, found `3`"},
        {"who is X", "1:5: expected `approves` after `who`, found `is`"},
        {"path 3", "1:6: expected a relation name after `path`, found `3`"},
        {"path r 3", "1:8: expected the entity the path starts from, found `3`"},
        {"path r A 3", "1:10: expected the entity the path leads to, found `3`"},
        {"expect foo", "1:8: expected `?`, `none ?`, `violation NAME` or `no violations` after `expect`, found `foo`"},
        {"expect none foo", "1:13: expected `?` and a query after `expect none`, found `foo`"},
        {"expect violation 3", "1:18: expected a check name after `violation`, found `3`"},
        {"expect violation c on 3", "1:23: expected an entity after `on`, found `3`"},
        {"expect no problems", "1:11: expected `violations` after `expect no`, found `problems`"},
        {"amends x", "1:8: expected a quoted path after `amends`, found `x`"},
        {"remove 3", "1:8: expected a fact like `r(a, b)` or an entity after `remove`, found `3`"},
        {"rename 3", "1:8: expected the entity to rename, found `3`"},
        {"rename A B", "1:10: expected `to` and the new name, found `B`"},
        {"rename A to 3", "1:13: expected the new name after `to`, found `3`"},
        {"body B {\n  rule r(?x)\n}", "2:3: `rule` is only allowed at the top level"},
        {"body B { ? a(?x) }", "1:10: `?` is only allowed at the top level"},
        {"seats { 1 }", "1:1: `seats` is only allowed inside a block"},
        {"3 parties", "1:1: expected a statement, found `3`"},
        {"}", "1:1: expected a statement, found `}`"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.text.substr(0, 60));
        CHECK(error_of(c.text) == c.error);
    }
}

TEST_CASE("statements that parse but cannot stand are reported and left out") {
    CHECK(error_of("check c { message \"m\" }") == "1:7: check `c` has no `violation` clause");
    CHECK(error_of("check c { violation a(?x); violation b(?x) }") == "1:28: check `c` has a second `violation` clause");
    CHECK(error_of("flow F { step s by X within 9223372036854775807 weeks }") == "1:29: duration out of range");
    CHECK(error_of("flow F { step s by X within -1 days }") == "1:29: duration out of range");
    std::string sum = "? ?x = 1";
    for (int i = 0; i < 300; ++i) sum += " + 1";
    CHECK(error_of(sum) == "1:8: arithmetic expression with more than 256 operators");
}

TEST_CASE("errors carry hints where one helps") {
    Parsed p = parse_text("party X \"abc\nbody B { rule r(?x) }");
    REQUIRE(p.diagnostics.size() == 2);
    CHECK(p.diagnostics[0].hint == "a string ends on the line it starts; write a line break as `\\n`");
    CHECK(p.diagnostics[1].hint == "move it out of the block");
}

TEST_CASE("recovery reports every bad statement and keeps the good ones") {
    Parsed p = parse_text("party A\n"
                          "reports_to(A, B\n"
                          "party C\n"
                          "rule x(?a) :- y(?a),\n"
                          "   z(?a) d\n"
                          "body D {\n"
                          "  member A (\n"
                          "  supports E\n"
                          "}\n"
                          "party F");
    const std::vector<std::string> expected = {
        "2:16: expected `)` to close the argument list, found end of line",
        "5:10: expected the end of the statement, found `d`",
        "7:12: expected the end of the statement, found `(`",
    };
    CHECK(p.errors() == expected);
    REQUIRE(p.file.statements.size() == 4);
    CHECK(first<ast::Phrase>(p).arguments.at(0).text == "A");
    CHECK(as<ast::Phrase>(p.file.statements[1]).arguments.at(0).text == "C");
    const auto& d = as<ast::Phrase>(p.file.statements[2]);
    CHECK(d.arguments.at(0).text == "D");
    REQUIRE(d.block.size() == 1);  // the unclosed `(` does not swallow the next line
    CHECK(as<ast::Phrase>(d.block[0]).arguments.at(0).text == "E");
    CHECK(as<ast::Phrase>(p.file.statements[3]).arguments.at(0).text == "F");
}

TEST_CASE("recovery skips a bracket that goes on over deeper indented lines, but not an unclosed one") {
    Parsed p = parse_text("rule r(?x) :- a(?x,\n"
                          "      ?y ?z,\n"
                          "      ?w)\n"
                          "party A (\n"
                          "party B (\n"
                          "party C = (1,\n"
                          "  2)\n"
                          "party D");
    const std::vector<std::string> expected = {
        "2:10: expected `)` to close the argument list, found `?z`",
        "4:9: expected the end of the statement, found `(`",
        "5:9: expected the end of the statement, found `(`",
        "6:9: expected the end of the statement, found `=`",
    };
    CHECK(p.errors() == expected);
    REQUIRE(p.file.statements.size() == 1);
    CHECK(first<ast::Phrase>(p).arguments.at(0).text == "D");
}

TEST_CASE("a block's `{` must be on the line of its phrase") {
    Parsed p = parse_text("body X\n{\n  supports Y\n}\nparty Z");
    CHECK(p.errors() == std::vector<std::string>{"2:1: expected a statement, found `{`"});
    REQUIRE(p.file.statements.size() == 2);
    CHECK_FALSE(first<ast::Phrase>(p).has_block);
    CHECK(as<ast::Phrase>(p.file.statements[1]).arguments.at(0).text == "Z");
}

TEST_CASE("recovery inside a block resumes at the block's next statement") {
    Parsed p = parse_text("body B {\n  supports X = Y\n  supports Z\n  rule r(?x)\n}\nflow F { step a by X; party Q; step b by Y }");
    const std::vector<std::string> expected = {
        "2:14: expected the end of the statement, found `=`",
        "4:3: `rule` is only allowed at the top level",
        "6:23: a flow block holds only `step` statements, found `party`",
    };
    CHECK(p.errors() == expected);
    REQUIRE(p.file.statements.size() == 2);
    const auto& b = first<ast::Phrase>(p);
    REQUIRE(b.block.size() == 1);
    CHECK(as<ast::Phrase>(b.block[0]).arguments.at(0).text == "Z");
    CHECK(as<ast::Flow>(p.file.statements[1]).steps.size() == 2);
}

TEST_CASE("an unclosed block reports once, at the end of the file") {
    Parsed p = parse_text("party A\nbody B {\n  supports C\n");
    CHECK(p.errors() == std::vector<std::string>{"4:1: expected `}` to close the block, found end of file"});
    REQUIRE(p.file.statements.size() == 1);
}

TEST_CASE("100,000 nested parentheses or blocks give an error, not a stack overflow") {
    const std::size_t n = 100000;
    Parsed parens = parse_text("? ?x = " + std::string(n, '(') + "1" + std::string(n, ')') + "\nparty After");
    CHECK(parens.errors() == std::vector<std::string>{"1:108: nesting too deep"});
    REQUIRE(parens.file.statements.size() == 1);
    CHECK(as<ast::Phrase>(parens.file.statements[0]).arguments.at(0).text == "After");

    std::string blocks;
    for (std::size_t i = 0; i < n; ++i) blocks += "a {";
    Parsed braces = parse_text(blocks);
    CHECK(braces.errors() == std::vector<std::string>{"1:303: nesting too deep"});

    std::string closed_blocks = blocks + std::string(n, '}');
    Parsed closed = parse_text(closed_blocks);
    CHECK(closed.errors() == std::vector<std::string>{"1:303: nesting too deep"});

    Parsed args = parse_text("r" + std::string(n, '('));
    CHECK(args.errors().size() == 2);
    CHECK(args.errors()[0] == "1:3: expected `)` to close the argument list, found `(`");
    CHECK(args.errors()[1] == "1:102: nesting too deep");
}

TEST_CASE("nesting up to the limit is fine") {
    Parsed p = parse_one("? ?x = " + std::string(grammar::max_nesting, '(') + "1" + std::string(grammar::max_nesting, ')'));
    CHECK(first<ast::Query>(p).body.size() == 1);
}

TEST_CASE("invalid UTF-8 and NUL bytes are errors at their byte") {
    Parsed p = parse_text("party A\nparty B\xff\nparty \"x\xc3\"\n# comment \xed\xa0\x80\nparty C\nparty D");
    const std::vector<std::string> expected = {
        "2:8: invalid UTF-8 byte 0xff",
        "3:9: invalid UTF-8 byte 0xc3",
        "4:11: invalid UTF-8 byte 0xed",
    };
    CHECK(p.errors() == expected);
    REQUIRE(p.file.statements.size() == 3);
    CHECK(as<ast::Phrase>(p.file.statements[2]).arguments.at(0).text == "D");

    Parsed nul = parse_text(std::string("party A\nparty B\0C\nparty D", 23));
    CHECK(nul.errors() == std::vector<std::string>{"2:8: unexpected NUL byte"});
    CHECK(nul.file.statements.size() == 2);

    Parsed truncated = parse_text("party \xe2\x82");
    CHECK(truncated.errors() == std::vector<std::string>{"1:7: invalid UTF-8 byte 0xe2"});
}

TEST_CASE("hostile input never crashes or hangs") {
    const std::vector<std::string> inputs = {
        std::string(100000, ')'), std::string(100000, '{'), std::string(100000, '}'), std::string(100000, '"'),
        std::string(100000, '`'), std::string(100000, ','), std::string(100000, '\xff'), std::string(1000, '\0'),
        "rule a(?x) :- " + std::string(50000, '('), "body B {" + std::string(50000, '\n'),
        "? " + std::string(10000, '?'), "party " + std::string(1000000, 'x'),
    };
    for (const auto& text : inputs) {
        Parsed p = parse_text(text);
        CHECK_FALSE(p.diagnostics.empty());
    }
}

TEST_CASE("the grammar has no left recursion or loop without progress") {
    CHECK(tao::pegtl::analyze<grammar::file>(-1) == 0);
}
