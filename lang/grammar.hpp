// The Charter grammar (LANGUAGE.md §1–§9) as PEGTL 3.2.7 rules, written bottom-up like PEGTL's
// contrib/json.hpp. parser.cpp runs it into a parse tree (the rules listed in `selector` become
// nodes) and turns that tree into the AST; grammar_errors.hpp names every must<> point.
#pragma once

#include "source.hpp"

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <type_traits>
#include <vector>

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze_traits.hpp>
#include <tao/pegtl/contrib/parse_tree.hpp>

namespace charter::lang {
class Diagnostics;
}

namespace charter::lang::grammar {

using namespace tao::pegtl;  // NOLINT(google-build-using-namespace): the grammar is PEGTL's language

/// Brackets and blocks nested deeper than this are an error, not a stack overflow (§9).
inline constexpr std::size_t max_nesting = 100;
/// An identifier or string longer than 64 KiB is an error (§1).
inline constexpr std::size_t max_token_bytes = 64 * 1024;

/// What the grammar's custom rules share during one parse: nesting depth, whether newlines are
/// blanks here, and where the last syntax error was (recovery resumes after it). The member
/// functions are defined in parse_errors.cpp.
class State {
public:
    State(std::string_view text, SourceId source, Diagnostics& diagnostics);

    /// Records a syntax error raised at `byte` (see grammar_errors.hpp for the messages).
    void syntax_error(std::size_t byte, std::string_view message, std::string_view hint);
    /// Where recovery from a failed statement that began at `from` stops: the next newline,
    /// `;` (or, in a block, `}`) at bracket depth 0 after the error. Always past `from`.
    std::size_t recovery_end(std::size_t from, bool in_block);
    /// Reports invalid UTF-8, NUL bytes and too deep nesting anywhere in the text.
    void check_lexical();

    std::size_t depth = 0;        // brackets and blocks entered
    std::size_t paren_depth = 0;  // `(` and `[` entered inside the innermost block
    std::size_t outer_paren_at = 0;  // byte of the outermost of them

private:
    [[nodiscard]] bool known_error_at(std::size_t byte) const;

    std::string_view text_;
    SourceId source_;
    Diagnostics& diagnostics_;
    std::size_t error_at_ = 0;                  // the last raise, after moving back over blanks
    std::size_t error_paren_depth_ = 0;         // brackets the parser was inside there
    std::size_t error_paren_at_ = 0;            // and where the outermost of them opened
    std::optional<std::size_t> recovered_to_;   // errors at or before this are consequences
    std::vector<std::size_t> lexical_errors_;   // bytes already reported by check_lexical
    bool nesting_reported_ = false;
};

/// The State among a rule's states (the parse tree adds its own).
template <typename First, typename... Rest>
State& state_of(First&& first, Rest&&... rest) {
    if constexpr (std::is_same_v<std::decay_t<First>, State>) {
        return first;
    } else {
        static_assert(sizeof...(Rest) > 0, "the parse needs a grammar::State");
        return state_of(rest...);
    }
}

template <typename ParseInput>
std::size_t byte_of(const ParseInput& in) {
    return in.iterator().byte;
}

// ---- custom rules ---------------------------------------------------------------------------

/// Error markers: never matched, only raised (each has a message in grammar_errors.hpp).
struct nesting_too_deep : failure {};
struct identifier_too_long : failure {};
struct string_too_long : failure {};
struct integer_out_of_range : failure {};

/// `Open Rules…` one level deeper: raises nesting_too_deep past max_nesting. Inside `(` and `[`
/// newlines are blanks (`gap`); a `{` block makes them statement ends again.
template <char Open, typename... Rules>
struct nest {
    using rule_t = nest;
    using subs_t = type_list<seq<one<Open>, Rules...>>;

    struct guard {
        State& s;
        std::size_t saved_paren_depth;
        std::size_t saved_outer_paren_at;
        guard(State& state, std::size_t at)
            : s(state), saved_paren_depth(state.paren_depth), saved_outer_paren_at(state.outer_paren_at) {
            ++s.depth;
            if (Open != '{' && s.paren_depth == 0) s.outer_paren_at = at;
            s.paren_depth = Open == '{' ? 0 : s.paren_depth + 1;
        }
        guard(const guard&) = delete;
        guard& operator=(const guard&) = delete;
        ~guard() {
            --s.depth;
            s.paren_depth = saved_paren_depth;
            s.outer_paren_at = saved_outer_paren_at;
        }
    };

    template <apply_mode A, rewind_mode M, template <typename...> class Action,
              template <typename...> class Control, typename ParseInput, typename... States>
    [[nodiscard]] static bool match(ParseInput& in, States&&... st) {
        if (in.empty() || in.peek_char() != Open) return false;
        const guard g(state_of(st...), byte_of(in));
        if (g.s.depth > max_nesting) Control<nesting_too_deep>::raise(in, st...);
        return Control<seq<one<Open>, Rules...>>::template match<A, M, Action, Control>(in, st...);
    }
};

/// Rule, then `Check::valid(matched text)` or raise Error at the start of the match.
template <typename Rule, typename Check, typename Error>
struct checked {
    using rule_t = checked;
    using subs_t = type_list<Rule>;

    template <apply_mode A, rewind_mode M, template <typename...> class Action,
              template <typename...> class Control, typename ParseInput, typename... States>
    [[nodiscard]] static bool match(ParseInput& in, States&&... st) {
        const auto begin = in.iterator();
        if (!Control<Rule>::template match<A, M, Action, Control>(in, st...)) return false;
        if (!Check::valid(std::string_view(begin.data, static_cast<std::size_t>(in.current() - begin.data)))) {
            in.iterator() = begin;
            Control<Error>::raise(in, st...);
        }
        return true;
    }
};

struct within_token_limit {
    static bool valid(std::string_view text) { return text.size() <= max_token_bytes; }
};

struct fits_int64 {
    static bool valid(std::string_view text) {
        std::int64_t value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        return error == std::errc() && end == text.data() + text.size();
    }
};

struct sp;
struct ws;

/// Blanks between the tokens of a statement: newlines too inside `(` and `[` (§1).
struct gap {
    using rule_t = gap;
    using subs_t = type_list<sp, ws>;

    template <apply_mode A, rewind_mode M, template <typename...> class Action,
              template <typename...> class Control, typename ParseInput, typename... States>
    [[nodiscard]] static bool match(ParseInput& in, States&&... st) {
        if (state_of(st...).paren_depth > 0) return Control<ws>::template match<A, M, Action, Control>(in, st...);
        return Control<sp>::template match<A, M, Action, Control>(in, st...);
    }
};

/// Error recovery after a failed statement: skips to where the next one can start.
template <bool InBlock>
struct recover {
    using rule_t = recover;
    using subs_t = empty_list;

    template <apply_mode, rewind_mode, template <typename...> class Action,
              template <typename...> class Control, typename ParseInput, typename... States>
    [[nodiscard]] static bool match(ParseInput& in, States&&... st) {
        const std::size_t from = byte_of(in);
        in.bump(state_of(st...).recovery_end(from, InBlock) - from);
        return true;
    }
};

// ---- lexical (§1) ---------------------------------------------------------------------------

template <typename Word> struct keyword;

struct newline : sor<one<'\n'>, string<'\r', '\n'>> {};
struct blank : one<' ', '\t'> {};
struct comment_char : utf8::ranges<0x01, 0x09, 0x0B, 0x10FFFF> {};
struct comment : seq<one<'#'>, star<comment_char>> {};
struct sp : star<sor<blank, comment>> {};
struct ws : star<sor<blank, comment, newline>> {};
struct separators : star<sor<blank, comment, newline, one<';'>>> {};

struct ident_first : sor<ranges<'a', 'z', 'A', 'Z', '_'>, utf8::ranges<0xC0, 0xD6, 0xD8, 0xF6, 0xF8, 0x24F>> {};
struct ident_rest : sor<ident_first, digit> {};
struct identifier_chars : seq<ident_first, star<ident_rest>> {};
struct identifier : checked<identifier_chars, within_token_limit, identifier_too_long> {};

template <typename Word> struct keyword : seq<Word, not_at<ident_rest>> {};

struct backtick_char : utf8::ranges<0x01, 0x09, 0x0B, 0x0C, 0x0E, 0x5F, 0x61, 0x10FFFF> {};
struct backtick_text : checked<plus<backtick_char>, within_token_limit, identifier_too_long> {};
struct backtick_close : one<'`'> {};
struct backtick_id : seq<one<'`'>, must<backtick_text>, must<backtick_close>> {};
struct name_part : sor<identifier, backtick_id> {};
struct name : list<name_part, one<'.'>> {};

struct variable : seq<one<'?'>, identifier> {};
struct anonymous : seq<one<'_'>, not_at<ident_rest>> {};
struct none_value : keyword<TAO_PEGTL_STRING("none")> {};

struct string_char : utf8::ranges<0x01, 0x09, 0x0B, 0x0C, 0x0E, 0x21, 0x23, 0x5B, 0x5D, 0x10FFFF> {};
struct escaped_char : one<'"', '\\', 'n'> {};
struct escape : seq<one<'\\'>, must<escaped_char>> {};
struct string_text : checked<star<sor<plus<string_char>, escape>>, within_token_limit, string_too_long> {};
struct string_close : one<'"'> {};
struct string_literal : seq<one<'"'>, string_text, must<string_close>> {};

struct integer_digits : seq<opt<one<'-'>>, plus<digit>, not_at<ident_rest>> {};
struct integer : checked<integer_digits, fits_int64, integer_out_of_range> {};
struct dots : string<'.', '.'> {};
struct range_low : seq<integer> {};
struct range_high : seq<integer> {};
struct range : sor<seq<range_low, dots, opt<range_high>>, seq<dots, range_high>> {};

struct term : sor<variable, anonymous, none_value, string_literal, range, integer, name> {};

// ---- keywords -------------------------------------------------------------------------------

struct kw_amends : keyword<TAO_PEGTL_STRING("amends")> {};
struct kw_any : keyword<TAO_PEGTL_STRING("any")> {};
struct kw_approves : keyword<TAO_PEGTL_STRING("approves")> {};
struct kw_by : keyword<TAO_PEGTL_STRING("by")> {};
struct kw_check : keyword<TAO_PEGTL_STRING("check")> {};
struct kw_declare : keyword<TAO_PEGTL_STRING("declare")> {};
struct kw_each : keyword<TAO_PEGTL_STRING("each")> {};
struct kw_expect : keyword<TAO_PEGTL_STRING("expect")> {};
struct kw_facts : keyword<TAO_PEGTL_STRING("facts")> {};
struct kw_flow : keyword<TAO_PEGTL_STRING("flow")> {};
struct kw_from : keyword<TAO_PEGTL_STRING("from")> {};
struct kw_import : keyword<TAO_PEGTL_STRING("import")> {};
struct kw_in : keyword<TAO_PEGTL_STRING("in")> {};
struct kw_kind : keyword<TAO_PEGTL_STRING("kind")> {};
struct kw_message : keyword<TAO_PEGTL_STRING("message")> {};
struct kw_next : keyword<TAO_PEGTL_STRING("next")> {};
struct kw_no : keyword<TAO_PEGTL_STRING("no")> {};
struct kw_none : keyword<TAO_PEGTL_STRING("none")> {};
struct kw_not : keyword<TAO_PEGTL_STRING("not")> {};
struct kw_of : keyword<TAO_PEGTL_STRING("of")> {};
struct kw_on : keyword<TAO_PEGTL_STRING("on")> {};
struct kw_path : keyword<TAO_PEGTL_STRING("path")> {};
struct kw_relation : keyword<TAO_PEGTL_STRING("relation")> {};
struct kw_remove : keyword<TAO_PEGTL_STRING("remove")> {};
struct kw_rename : keyword<TAO_PEGTL_STRING("rename")> {};
struct kw_route : keyword<TAO_PEGTL_STRING("route")> {};
struct kw_rule : keyword<TAO_PEGTL_STRING("rule")> {};
struct kw_seats : keyword<TAO_PEGTL_STRING("seats")> {};
struct kw_std : keyword<TAO_PEGTL_STRING("std")> {};
struct kw_step : keyword<TAO_PEGTL_STRING("step")> {};
struct kw_subjects : keyword<TAO_PEGTL_STRING("subjects")> {};
struct kw_to : keyword<TAO_PEGTL_STRING("to")> {};
struct kw_violation : keyword<TAO_PEGTL_STRING("violation")> {};
struct kw_violations : keyword<TAO_PEGTL_STRING("violations")> {};
struct kw_warning : keyword<TAO_PEGTL_STRING("warning")> {};
struct kw_when : keyword<TAO_PEGTL_STRING("when")> {};
struct kw_who : keyword<TAO_PEGTL_STRING("who")> {};
struct kw_with : keyword<TAO_PEGTL_STRING("with")> {};
struct kw_within : keyword<TAO_PEGTL_STRING("within")> {};

// ---- atoms and literals (§4) ----------------------------------------------------------------

struct comma : seq<ws, one<','>, ws> {};               // inside brackets
struct list_comma : seq<sp, one<','>, ws> {};          // a trailing `,` continues the line
struct argument_value : seq<term> {};
struct named_argument : seq<identifier, ws, one<':'>, not_at<one<'-'>>, ws, must<argument_value>> {};
struct argument : sor<named_argument, term> {};
struct argument_list : list_must<argument, comma> {};
struct close_arguments : one<')'> {};
struct arguments : nest<'(', ws, opt<argument_list>, ws, must<close_arguments>> {};
struct closure : one<'+', '*'> {};
struct atom : seq<name, opt<closure>, arguments> {};

struct expression;
struct close_parenthesis : one<')'> {};
struct parenthesized : nest<'(', ws, must<expression>, ws, must<close_parenthesis>> {};
struct factor : sor<parenthesized, term> {};
struct multiplicative_op : one<'*'> {};
struct additive_op : one<'+', '-'> {};
struct product : seq<factor, star<gap, multiplicative_op, gap, must<factor>>> {};
struct expression : seq<product, star<gap, additive_op, gap, must<product>>> {};
struct comparison_operator : sor<string<'!', '='>, string<'<', '='>, string<'>', '='>, one<'=', '<', '>'>> {};
struct comparison : seq<term, gap, comparison_operator, gap, must<expression>> {};

struct literal;
struct literal_comma : seq<gap, one<','>, ws> {};
struct literal_list : list_must<literal, literal_comma> {};
struct aggregate_function : sor<keyword<TAO_PEGTL_STRING("count")>, keyword<TAO_PEGTL_STRING("sum")>,
                                keyword<TAO_PEGTL_STRING("min")>, keyword<TAO_PEGTL_STRING("max")>> {};
struct aggregate_variables : list_must<variable, comma> {};
struct aggregate_colon : one<':'> {};
struct close_aggregate : one<')'> {};
struct aggregate : seq<aggregate_function, nest<'(', ws, must<aggregate_variables>, ws, must<aggregate_colon>, ws,
                                                must<literal_list>, ws, must<close_aggregate>>> {};
struct aggregate_literal : seq<term, gap, one<'='>, gap, aggregate> {};
struct negated_atom : seq<atom> {};
struct negation : seq<kw_not, gap, must<negated_atom>> {};
struct literal : sor<negation, atom, aggregate_literal, comparison> {};

// ---- declarations (§2) ----------------------------------------------------------------------

struct import_std : seq<kw_std> {};
struct import_target : sor<import_std, string_literal> {};
struct import_statement : seq<kw_import, sp, must<import_target>> {};

struct kind_name : seq<name> {};
struct super_kind : seq<name> {};
struct kind_super : seq<one<':'>, sp, must<super_kind>> {};
struct kind_declaration : seq<kw_kind, sp, must<kind_name>, opt<sp, kind_super>, opt<sp, string_literal>> {};

struct relation_name : seq<name> {};
struct parameter_colon : one<':'> {};
struct parameter_type : seq<name> {};
struct default_value : seq<term> {};
struct parameter_default : seq<ws, one<'='>, ws, must<default_value>> {};
struct parameter : seq<identifier, ws, must<parameter_colon>, ws, must<parameter_type>, opt<parameter_default>> {};
struct parameter_list : list_must<parameter, comma> {};
struct close_parameters : one<')'> {};
struct parameters : nest<'(', ws, opt<parameter_list>, ws, must<close_parameters>> {};
struct relation_declaration : seq<kw_relation, sp, must<relation_name>, sp, must<parameters>, opt<sp, string_literal>> {};

struct facts_relation : seq<name> {};
struct facts_from : seq<kw_from> {};
struct facts_path : seq<string_literal> {};
struct declared_kind : seq<name> {};
struct declared_kinds : list_must<declared_kind, list_comma> {};
struct declare_clause : seq<kw_declare, sp, must<declared_kinds>> {};
struct facts_statement : seq<kw_facts, sp, must<facts_relation>, sp, must<facts_from>, sp, must<facts_path>,
                             opt<sp, declare_clause>> {};

// ---- rules and checks (§4, §7) --------------------------------------------------------------

struct rule_head : seq<atom> {};
struct rule_body : seq<string<':', '-'>, ws, must<literal_list>> {};
struct rule_statement : seq<kw_rule, sp, must<rule_head>, opt<sp, rule_body>> {};

struct check_name : seq<name> {};
struct warning_flag : seq<kw_warning> {};
struct violation_clause : seq<kw_violation, gap, must<literal_list>> {};
struct subject_list : list_must<term, list_comma> {};
struct subjects_condition : seq<sp, one<':'>, ws, must<literal_list>> {};
struct subjects_clause : seq<kw_subjects, sp, must<subject_list>, opt<subjects_condition>> {};
struct message_text : seq<string_literal> {};
struct message_clause : seq<kw_message, sp, must<message_text>> {};
struct check_clause : sor<violation_clause, subjects_clause, message_clause> {};
struct statement_end : sor<one<';'>, newline, eof, at<one<'}'>>> {};
struct check_item : seq<must<check_clause>, sp, must<statement_end>> {};
struct close_check : one<'}'> {};
struct check_block : nest<'{', separators, star<not_at<one<'}'>>, not_at<eof>, check_item, separators>,
                          must<close_check>> {};
struct check_statement : seq<kw_check, sp, must<check_name>, opt<sp, warning_flag>, opt<sp, string_literal>, sp,
                             must<check_block>> {};

// ---- flows (§6) -----------------------------------------------------------------------------

struct tag : seq<name> {};
struct tag_list : list_must<tag, list_comma> {};
struct tags : seq<one<':'>, not_at<one<'-'>>, sp, must<tag_list>> {};

struct step_name : seq<name> {};
struct step_by : seq<kw_by> {};
struct performer_role : sor<keyword<TAO_PEGTL_STRING("chair")>, keyword<TAO_PEGTL_STRING("vice_chair")>,
                            keyword<TAO_PEGTL_STRING("members")>, keyword<TAO_PEGTL_STRING("sponsors")>,
                            keyword<TAO_PEGTL_STRING("secretariat")>> {};
struct performer_target : seq<name> {};
struct performer_kind : seq<name> {};
struct performer_of : seq<performer_role, sp, kw_of, sp, must<performer_target>> {};
struct performer_each : seq<kw_each, sp, must<performer_kind>> {};
struct performer_any : seq<kw_any, sp, must<performer_kind>> {};
struct performer_owner : keyword<TAO_PEGTL_STRING("owner")> {};
struct performer : sor<performer_of, performer_each, performer_any, performer_owner, name> {};
struct step_action : seq<not_at<sor<kw_when, kw_within>>, identifier> {};
struct step_when : seq<kw_when, gap, must<literal_list>> {};
struct duration_amount : seq<integer> {};
struct duration_unit : sor<keyword<TAO_PEGTL_STRING("days")>, keyword<TAO_PEGTL_STRING("day")>,
                           keyword<TAO_PEGTL_STRING("weeks")>, keyword<TAO_PEGTL_STRING("week")>> {};
struct step_within : seq<kw_within, sp, must<duration_amount>, sp, must<duration_unit>> {};
struct step : seq<kw_step, sp, must<step_name>, sp, must<step_by>, sp, must<performer>, opt<sp, step_action>,
                  opt<sp, string_literal>, opt<sp, step_when>, opt<sp, step_within>> {};
struct not_a_step : failure {};
struct flow_item : seq<sor<step, raise<not_a_step>>, sp, must<statement_end>> {};
struct close_flow : one<'}'> {};
struct flow_block : nest<'{', separators, star<not_at<one<'}'>>, not_at<eof>, sor<try_catch<flow_item>, recover<true>>,
                                               separators>,
                         must<close_flow>> {};
struct flow_statement : seq<kw_flow, sp, name, opt<sp, string_literal>, opt<sp, tags>, sp, flow_block> {};

// ---- seat rules (§5) ------------------------------------------------------------------------

struct seat_count : sor<range, integer> {};
struct from_each : seq<kw_each> {};
struct seat_source : seq<name> {};
struct seat_group : seq<name> {};
struct seat_in : seq<kw_in, sp, must<seat_group>> {};
struct seat_from : seq<kw_from, sp, opt<from_each, sp>, must<seat_source>, opt<sp, seat_in>> {};
struct filter_relation : seq<name> {};
struct filter_value : seq<term> {};
struct seat_filter : seq<kw_with, sp, must<filter_relation>, sp, must<filter_value>> {};
struct seat_rule : seq<seat_count, opt<sp, seat_from>, star<sp, seat_filter>> {};
struct seat_item : seq<must<seat_rule>, sp, must<statement_end>> {};
struct close_seats : one<'}'> {};
struct seats_block : nest<'{', separators, star<not_at<one<'}'>>, not_at<eof>, sor<try_catch<seat_item>, recover<true>>,
                                                separators>,
                          must<close_seats>> {};
struct seats_statement : seq<kw_seats, opt<sp, warning_flag>, sp, must<seats_block>> {};

// ---- entities, facts and blocks (§3) --------------------------------------------------------

struct statement;
struct block_statement;
struct fact : seq<atom> {};
struct block_item : seq<must<block_statement>, sp, must<statement_end>> {};
struct close_block : one<'}'> {};
struct block : nest<'{', separators, star<not_at<one<'}'>>, not_at<eof>, sor<try_catch<block_item>, recover<true>>,
                                          separators>,
                    must<close_block>> {};
struct phrase : seq<identifier, star<sp, term>, opt<sp, tags>, opt<sp, block>> {};

// ---- queries, tests and proposals (§9) ------------------------------------------------------

struct query_statement : seq<one<'?'>, sp, must<literal_list>> {};
struct question_subject : seq<name> {};
struct who_approves : seq<kw_approves> {};
struct who_statement : seq<kw_who, sp, must<who_approves>, sp, must<question_subject>> {};
struct next_statement : seq<kw_next, sp, must<question_subject>> {};
struct route_statement : seq<kw_route, sp, must<question_subject>> {};
struct path_relation : seq<name> {};
struct path_from : seq<name> {};
struct path_to : seq<name> {};
struct path_statement : seq<kw_path, sp, must<path_relation>, sp, must<path_from>, sp, must<path_to>> {};

struct expect_question_mark : one<'?'> {};
struct expect_holds : seq<one<'?'>, sp, must<literal_list>> {};
struct expect_none : seq<kw_none, sp, must<expect_question_mark>, sp, must<literal_list>> {};
struct expected_check : seq<name> {};
struct expect_subject : seq<name> {};
struct expect_on : seq<kw_on, sp, must<expect_subject>> {};
struct expect_violation : seq<kw_violation, sp, must<expected_check>, opt<sp, expect_on>> {};
struct expect_violations_word : seq<kw_violations> {};
struct expect_no_violations : seq<kw_no, sp, must<expect_violations_word>> {};
struct expect_body : sor<expect_holds, expect_none, expect_violation, expect_no_violations> {};
struct expect_statement : seq<kw_expect, sp, must<expect_body>> {};

struct amends_path : seq<string_literal> {};
struct amends_statement : seq<kw_amends, sp, must<amends_path>> {};
struct removed : sor<atom, name> {};
struct remove_statement : seq<kw_remove, sp, must<removed>> {};
struct rename_old : seq<name> {};
struct rename_to : seq<kw_to> {};
struct rename_new : seq<name> {};
struct rename_statement : seq<kw_rename, sp, must<rename_old>, sp, must<rename_to>, sp, must<rename_new>> {};

// ---- statements and the file ----------------------------------------------------------------

struct top_level_keyword : sor<kw_import, kw_kind, kw_relation, kw_facts, kw_rule, kw_check, kw_expect, kw_who,
                               kw_next, kw_route, kw_path, kw_amends, kw_remove, kw_rename, one<'?'>> {};
struct top_level_only : failure {};
struct misplaced_statement : seq<at<top_level_keyword>, raise<top_level_only>> {};
struct seats_only_in_blocks : failure {};
struct misplaced_seats : seq<at<kw_seats>, raise<seats_only_in_blocks>> {};

struct block_statement : sor<fact, flow_statement, seats_statement, misplaced_statement, phrase> {};
struct statement : sor<fact, import_statement, kind_declaration, relation_declaration, facts_statement,
                       rule_statement, check_statement, flow_statement, expect_statement, who_statement,
                       next_statement, route_statement, path_statement, amends_statement, remove_statement,
                       rename_statement, query_statement, misplaced_seats, phrase> {};
struct top_item : seq<must<statement>, sp, must<statement_end>> {};
struct file : seq<opt<utf8::bom>, separators, star<not_at<eof>, sor<try_catch<top_item>, recover<false>>, separators>,
                  eof> {};

/// The rules that become parse-tree nodes; parser.cpp builds the AST from them.
template <typename Rule>
using selector = parse_tree::selector<
    Rule,
    parse_tree::store_content::on<
        identifier, backtick_text, name, variable, anonymous, none_value, string_literal, range, range_low,
        range_high, integer, closure, named_argument, atom, parenthesized, multiplicative_op, additive_op, product,
        expression, comparison_operator, comparison, aggregate_function, aggregate, aggregate_literal, negation,
        import_std, import_statement, super_kind, kind_declaration, parameter, relation_declaration, declare_clause,
        facts_statement, rule_statement, warning_flag, violation_clause, subjects_condition, subjects_clause,
        message_clause, check_statement, tag, performer_role, performer_of, performer_each, performer_any,
        performer_owner, performer, step_action, step_when, duration_unit, step_within, step, flow_statement,
        from_each, seat_in, seat_from, seat_filter, seat_rule, seats_statement, fact, block, phrase,
        query_statement, who_statement, next_statement, route_statement, path_statement, expect_holds,
        expect_none, expect_on, expect_violation, expect_no_violations, expect_statement, amends_statement,
        remove_statement, rename_statement>>;

}  // namespace charter::lang::grammar

// The custom rules' shape for pegtl::analyze (a doctest checks analyze<file>(-1) == 0).
namespace tao::pegtl {

template <typename Name, char Open, typename... Rules>
struct analyze_traits<Name, charter::lang::grammar::nest<Open, Rules...>>
    : analyze_traits<Name, typename seq<one<Open>, Rules...>::rule_t> {};

template <typename Name, typename Rule, typename Check, typename Error>
struct analyze_traits<Name, charter::lang::grammar::checked<Rule, Check, Error>>
    : analyze_traits<Name, typename Rule::rule_t> {};

template <typename Name>
struct analyze_traits<Name, charter::lang::grammar::gap>
    : analyze_opt_traits<charter::lang::grammar::sp, charter::lang::grammar::ws> {};

template <typename Name, bool InBlock>
struct analyze_traits<Name, charter::lang::grammar::recover<InBlock>> : analyze_any_traits<> {};

}  // namespace tao::pegtl
