// Every syntax error a user can meet, in one list: one message per must<> point (and per rule
// raised by hand) of grammar.hpp, and the control that records them as Diagnostics.
// `{found}` in a message becomes what the parser found there: "`party`", "end of line", ….
#pragma once

#include "grammar.hpp"

namespace charter::lang::grammar {

template <typename> inline constexpr const char* error_message = nullptr;
template <typename> inline constexpr const char* error_hint = "";

// ---- lexical
template <> inline constexpr auto error_message<nesting_too_deep> = "nesting too deep";
template <> inline constexpr auto error_hint<nesting_too_deep> = "brackets and blocks may nest at most 100 deep";
template <> inline constexpr auto error_message<identifier_too_long> = "identifier longer than 64 KiB";
template <> inline constexpr auto error_message<string_too_long> = "string longer than 64 KiB";
template <> inline constexpr auto error_message<integer_out_of_range> = "integer literal out of range";
template <> inline constexpr auto error_hint<integer_out_of_range> =
    "integers are signed 64-bit: -9223372036854775808 to 9223372036854775807";
template <> inline constexpr auto error_message<backtick_text> = "expected a name between backticks, found {found}";
template <> inline constexpr auto error_message<backtick_close> = "expected a closing backtick, found {found}";
template <> inline constexpr auto error_hint<backtick_close> = "a backtick name ends on the line it starts";
template <> inline constexpr auto error_message<escaped_char> =
    "expected `\"`, `\\` or `n` after `\\` in a string, found {found}";
template <> inline constexpr auto error_message<string_close> = "expected `\"` to close the string, found {found}";
template <> inline constexpr auto error_hint<string_close> =
    "a string ends on the line it starts; write a line break as `\\n`";

// ---- atoms, literals, expressions
template <> inline constexpr auto error_message<argument_value> = "expected a value after `:`, found {found}";
template <> inline constexpr auto error_message<argument> = "expected an argument after `,`, found {found}";
template <> inline constexpr auto error_message<close_arguments> =
    "expected `)` to close the argument list, found {found}";
template <> inline constexpr auto error_message<expression> =
    "expected a value or an arithmetic expression, found {found}";
template <> inline constexpr auto error_message<close_parenthesis> = "expected `)` to close the parenthesis, found {found}";
template <> inline constexpr auto error_message<factor> = "expected a value after `*`, found {found}";
template <> inline constexpr auto error_message<product> = "expected a value after `+` or `-`, found {found}";
template <> inline constexpr auto error_message<literal_list> =
    "expected a literal (`r(…)`, `not r(…)` or a comparison), found {found}";
template <> inline constexpr auto error_message<literal> = "expected a literal after `,`, found {found}";
template <> inline constexpr auto error_message<aggregate_variables> =
    "expected the variables to aggregate, as in `count(?x : …)`, found {found}";
template <> inline constexpr auto error_message<variable> = "expected a variable like `?x` after `,`, found {found}";
template <> inline constexpr auto error_message<aggregate_colon> =
    "expected `:` and the literals to aggregate over, found {found}";
template <> inline constexpr auto error_message<close_aggregate> = "expected `)` to close the aggregate, found {found}";
template <> inline constexpr auto error_message<negated_atom> =
    "expected a relation like `r(…)` after `not`, found {found}";

// ---- declarations
template <> inline constexpr auto error_message<import_target> =
    "expected `std` or a quoted path after `import`, found {found}";
template <> inline constexpr auto error_message<kind_name> = "expected a kind name after `kind`, found {found}";
template <> inline constexpr auto error_message<super_kind> = "expected the super-kind after `:`, found {found}";
template <> inline constexpr auto error_message<relation_name> =
    "expected a relation name after `relation`, found {found}";
template <> inline constexpr auto error_message<parameters> =
    "expected `(` and the parameter list after the relation name, found {found}";
template <> inline constexpr auto error_message<parameter> =
    "expected a parameter like `name: type` after `,`, found {found}";
template <> inline constexpr auto error_message<parameter_colon> =
    "expected `:` and a type after the parameter name, found {found}";
template <> inline constexpr auto error_message<parameter_type> =
    "expected a type (a kind, `string`, `int` or `any`) after `:`, found {found}";
template <> inline constexpr auto error_message<default_value> = "expected a default value after `=`, found {found}";
template <> inline constexpr auto error_message<close_parameters> =
    "expected `)` to close the parameter list, found {found}";
template <> inline constexpr auto error_message<facts_relation> =
    "expected a relation name after `facts`, found {found}";
template <> inline constexpr auto error_message<facts_from> = "expected `from` and a quoted file name, found {found}";
template <> inline constexpr auto error_message<facts_path> = "expected a quoted file name after `from`, found {found}";
template <> inline constexpr auto error_message<declared_kinds> = "expected a kind after `declare`, found {found}";
template <> inline constexpr auto error_message<declared_kind> = "expected a kind after `,`, found {found}";

// ---- rules and checks
template <> inline constexpr auto error_message<rule_head> =
    "expected the rule's head, a relation like `r(?x)`, found {found}";
template <> inline constexpr auto error_message<check_name> = "expected a check name after `check`, found {found}";
template <> inline constexpr auto error_message<check_block> =
    "expected `{` and the check's `violation` clause, found {found}";
template <> inline constexpr auto error_message<check_clause> =
    "expected `violation`, `subjects` or `message` in a check, found {found}";
template <> inline constexpr auto error_message<subject_list> =
    "expected the subjects after `subjects`, found {found}";
template <> inline constexpr auto error_message<term> = "expected a value after `,`, found {found}";
template <> inline constexpr auto error_message<message_text> = "expected the message as a quoted string, found {found}";
template <> inline constexpr auto error_message<close_check> = "expected `}` to close the check, found {found}";

// ---- flows and seats
template <> inline constexpr auto error_message<tag_list> = "expected a tag after `:`, found {found}";
template <> inline constexpr auto error_message<tag> = "expected a tag after `,`, found {found}";
template <> inline constexpr auto error_message<step_name> = "expected a step name after `step`, found {found}";
template <> inline constexpr auto error_message<step_by> = "expected `by` and the step's performer, found {found}";
template <> inline constexpr auto error_message<performer> = "expected the step's performer, found {found}";
template <> inline constexpr auto error_hint<performer> =
    "a performer is an entity, `owner`, `each K`, `any K`, or `chair`, `vice_chair`, `members`, `sponsors` or "
    "`secretariat` followed by `of X`";
template <> inline constexpr auto error_message<performer_target> =
    "expected an entity or `owner` after `of`, found {found}";
template <> inline constexpr auto error_message<performer_kind> =
    "expected a kind after `each` or `any`, found {found}";
template <> inline constexpr auto error_message<duration_amount> =
    "expected a number of days or weeks after `within`, found {found}";
template <> inline constexpr auto error_message<duration_unit> =
    "expected `days` or `weeks` after the number, found {found}";
template <> inline constexpr auto error_message<not_a_step> =
    "a flow block holds only `step` statements, found {found}";
template <> inline constexpr auto error_hint<not_a_step> = "write `step NAME by PERFORMER`";
template <> inline constexpr auto error_message<close_flow> = "expected `}` to close the flow, found {found}";
template <> inline constexpr auto error_message<seat_rule> = "expected a seat rule like `2..3 from X`, found {found}";
template <> inline constexpr auto error_message<seat_source> =
    "expected a party, kind or group after `from`, found {found}";
template <> inline constexpr auto error_message<seat_group> = "expected a group after `in`, found {found}";
template <> inline constexpr auto error_message<filter_relation> =
    "expected `role` or a relation after `with`, found {found}";
template <> inline constexpr auto error_message<filter_value> =
    "expected a value after the relation in `with`, found {found}";
template <> inline constexpr auto error_message<close_seats> = "expected `}` to close the seat rules, found {found}";
template <> inline constexpr auto error_message<seats_block> =
    "expected `{` and the seat rules after `seats`, found {found}";

// ---- blocks, questions, tests, proposals, statements
template <> inline constexpr auto error_message<block_statement> = "expected a statement, found {found}";
template <> inline constexpr auto error_message<close_block> = "expected `}` to close the block, found {found}";
template <> inline constexpr auto error_message<question_subject> =
    "expected a flow, case or entity name, found {found}";
template <> inline constexpr auto error_message<who_approves> = "expected `approves` after `who`, found {found}";
template <> inline constexpr auto error_message<path_relation> = "expected a relation name after `path`, found {found}";
template <> inline constexpr auto error_message<path_from> = "expected the entity the path starts from, found {found}";
template <> inline constexpr auto error_message<path_to> = "expected the entity the path leads to, found {found}";
template <> inline constexpr auto error_message<expect_body> =
    "expected `?`, `none ?`, `violation NAME` or `no violations` after `expect`, found {found}";
template <> inline constexpr auto error_message<expect_question_mark> =
    "expected `?` and a query after `expect none`, found {found}";
template <> inline constexpr auto error_message<expected_check> =
    "expected a check name after `violation`, found {found}";
template <> inline constexpr auto error_message<expect_subject> = "expected an entity after `on`, found {found}";
template <> inline constexpr auto error_message<expect_violations_word> =
    "expected `violations` after `expect no`, found {found}";
template <> inline constexpr auto error_message<amends_path> = "expected a quoted path after `amends`, found {found}";
template <> inline constexpr auto error_message<removed> =
    "expected a fact like `r(a, b)` or an entity after `remove`, found {found}";
template <> inline constexpr auto error_message<rename_old> = "expected the entity to rename, found {found}";
template <> inline constexpr auto error_message<rename_to> = "expected `to` and the new name, found {found}";
template <> inline constexpr auto error_message<rename_new> = "expected the new name after `to`, found {found}";
template <> inline constexpr auto error_message<top_level_only> = "{found} is only allowed at the top level";
template <> inline constexpr auto error_hint<top_level_only> = "move it out of the block";
template <> inline constexpr auto error_message<seats_only_in_blocks> = "`seats` is only allowed inside a block";
template <> inline constexpr auto error_hint<seats_only_in_blocks> = "write it in a body's block: `body X { seats { … } }`";
template <> inline constexpr auto error_message<statement_end> = "expected the end of the statement, found {found}";
template <> inline constexpr auto error_hint<statement_end> = "a statement ends at a line break or `;`";
template <> inline constexpr auto error_message<statement> = "expected a statement, found {found}";

/// The control: PEGTL's normal<>, except that raise records the Diagnostic before it throws
/// (try_catch<> in the grammar then resumes at the next statement).
template <typename Rule>
struct control : normal<Rule> {
    // must<> matches with rewind_mode::dontcare, which leaves the input wherever the rule gave
    // up; rewinding instead makes an error point at the start of what is missing.
    template <apply_mode A, rewind_mode M, template <typename...> class Action,
              template <typename...> class Control, typename ParseInput, typename... States>
    [[nodiscard]] static bool match(ParseInput& in, States&&... st) {
        constexpr rewind_mode rewind = M == rewind_mode::dontcare ? rewind_mode::required : M;
        return normal<Rule>::template match<A, rewind, Action, Control>(in, st...);
    }

    template <typename ParseInput, typename... States>
    [[noreturn]] static void raise(const ParseInput& in, States&&... st) {
        static_assert(error_message<Rule> != nullptr, "this must<> point has no message in grammar_errors.hpp");
        state_of(st...).syntax_error(byte_of(in), error_message<Rule>, error_hint<Rule>);
        throw parse_error(error_message<Rule>, in);
    }
};

}  // namespace charter::lang::grammar
