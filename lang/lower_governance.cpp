// Seat rules (§5) and flows (§6) → facts of the std relations that the stdlib's checks and the
// governance questions read (stdlib/std/seats.charter, stdlib/std/flows.charter).
#include "resolver.hpp"

#include <fmt/format.h>

namespace charter::lang {

using engine::Value;

void Resolver::lower_seats(const ast::Seats& seats, const std::string& owner, Span span) {
    (void)span;
    Value body = symbols_.entity(owner);
    Value severity = symbols_.string(seats.warning ? "warning" : "error");
    for (const auto& rule : seats.rules) {
        Value id = symbols_.integer(next_seat_rule_++);
        std::optional<Value> target, each, in;
        if (rule.has_from) {
            if (rule.each) {
                if (!kind_exists(rule.from)) continue;
                each = symbols_.entity(rule.from.text);
                if (rule.in) {
                    auto g = entity(*rule.in);
                    if (!g) continue;
                    in = *g;
                }
            } else if (entities().contains(rule.from.text)) {
                target = symbols_.entity(rule.from.text);
            } else if (names().kinds.contains(rule.from.text)) {
                target = symbols_.entity(rule.from.text);  // a kind: members sitting for any party of it
            } else {
                std::vector<std::string> all;
                for (const auto& [e, _] : entities()) all.emplace_back(e);
                for (const auto& [k, _] : names().kinds) all.push_back(k);
                diags_.error(rule.from.span, fmt::format("`{}` is neither an entity nor a kind", rule.from.text),
                             did_you_mean(suggest(rule.from.text, all)));
                continue;
            }
        }
        // `with role R` and `with REL V` become rules: seat_passes(B, id, i, ?p) :- … (§5).
        auto passes = names().relations.find("seat_passes");
        auto member = names().relations.find("member");
        std::vector<engine::Rule> filter_rules;
        bool ok = passes != names().relations.end() && member != names().relations.end();
        for (std::size_t i = 0; ok && i < rule.filters.size(); ++i) {
            const auto& filter = rule.filters[i];
            using engine::Term;
            Value index = symbols_.integer(static_cast<std::int64_t>(i + 1));
            engine::Rule passes_rule{passes->second, {Term::of(body), Term::of(id), Term::of(index), Term::variable(0)}, {}, 2,
                                     {"p", ""}, location(filter.relation.span), false};
            if (filter.relation.text == "role") {
                auto role = entity({filter.value.text, filter.value.span}, "role");
                if (!role) { ok = false; break; }
                passes_rule.body.push_back(engine::Literal::positive(member->second, {Term::of(body), Term::variable(0), Term::of(*role), Term::variable(1)}));
            } else {
                auto r = relation(filter.relation);
                if (!r) { ok = false; break; }
                if (program().relations[*r].arity() != 2) {
                    diags_.error(filter.relation.span, fmt::format("`with {} V` needs a relation {}(person, value)", filter.relation.text,
                                                                   filter.relation.text),
                                 fmt::format("`{}` takes {} arguments", filter.relation.text, program().relations[*r].arity()));
                    ok = false;
                    break;
                }
                auto v = constant(filter.value, *r, 1);
                if (!v) { ok = false; break; }
                passes_rule.body.push_back(engine::Literal::positive(*r, {Term::variable(0), Term::of(*v)}));
            }
            filter_rules.push_back(std::move(passes_rule));
        }
        if (!ok) continue;
        Value low = symbols_.integer(rule.count.low.value_or(0));
        Value high = rule.count.high ? symbols_.integer(*rule.count.high) : engine::none_value;
        Value text = symbols_.string(sources_.text(rule.span));
        add_std_fact("seat_rule", {body, id, low, high, severity, text}, rule.span);
        if (target) add_std_fact("seat_from", {body, id, *target}, rule.span);
        if (each) add_std_fact("seat_each", {body, id, *each, in.value_or(engine::none_value)}, rule.span);
        for (std::size_t i = 0; i < filter_rules.size(); ++i) {
            add_std_fact("seat_filter", {body, id, symbols_.integer(static_cast<std::int64_t>(i + 1))}, rule.span);
            program().rules.push_back(std::move(filter_rules[i]));
        }
    }
}

namespace {
std::string_view form_name(ast::Performer::Form form) {
    using F = ast::Performer::Form;
    switch (form) {
    case F::entity: return "entity";
    case F::each: return "each";
    case F::any: return "any";
    case F::chair_of: return "chair_of";
    case F::vice_chair_of: return "vice_chair_of";
    case F::members_of: return "members_of";
    case F::sponsors_of: return "sponsors_of";
    case F::secretariat_of: return "secretariat_of";
    case F::owner: return "owner";
    }
    return "entity";
}
}  // namespace

void Resolver::lower_flow(const ast::Flow& flow, Span span) {
    (void)span;
    Value self = symbols_.entity(flow.name.text);
    add_fact(engine::Program::kind_relation, {self, symbols_.entity("flow")}, flow.name.span);
    if (!names().kinds.contains("flow")) {
        diags_.error(flow.name.span, "a flow needs the standard kinds and relations", "add `import std`");
        return;
    }
    if (flow.label) add_fact(engine::Program::label_relation, {self, symbols_.string(*flow.label)}, flow.name.span);
    for (const auto& tag : flow.tags) add_fact(engine::Program::tag_relation, {self, symbols_.entity(tag.text)}, tag.span);
    FlowInfo& info = names().flows[flow.name.text];
    info.declared = flow.name.span;
    std::int64_t index = 0;
    for (const auto& step : flow.steps) {
        ++index;
        for (const auto& earlier : info.steps)
            if (earlier.name == step.name.text)
                diags_.error(step.name.span, fmt::format("flow `{}` has two steps named `{}`", flow.name.text, step.name.text));
        info.steps.push_back({step.name.text, step.action ? step.action->text : "", step.performer});
        Value i = symbols_.integer(index);
        add_std_fact("step", {self, i, symbols_.string(step.name.text),
                              step.action ? symbols_.string(step.action->text) : engine::none_value}, step.name.span);
        const auto& performer = step.performer;
        Value target = engine::none_value;  // `owner`
        using F = ast::Performer::Form;
        if (performer.form == F::each || performer.form == F::any) {
            if (!kind_exists(performer.target)) continue;
            target = symbols_.entity(performer.target.text);
        } else if (performer.form != F::owner && performer.target.text != "owner") {
            // A performer that names no entity is a `missing_target` violation, not an error (§7).
            target = entities().contains(performer.target.text) ? symbols_.entity(performer.target.text)
                                                                       : symbols_.string(performer.target.text);
        }
        add_std_fact("step_performer", {self, i, symbols_.string(form_name(performer.form)), target}, performer.span);
        if (step.within_days) add_std_fact("step_within", {self, i, symbols_.integer(*step.within_days)}, step.name.span);
        if (!step.when.empty()) {
            // `when LITERALS`: the step applies only while the literals hold (§6).
            add_std_fact("conditional_step", {self, i}, step.name.span);
            if (auto holds = names().relations.find("step_condition_holds"); holds != names().relations.end())
                lower_condition(holds->second, {self, i}, step.when, step.name.span);
        }
    }
}

void Resolver::check_case_positions() {
    for (auto& [name, info] : names().cases) {
        auto span = case_at_spans_.find(name);
        if (span == case_at_spans_.end()) continue;
        Value self = symbols_.entity(name);
        if (info.has_flow && info.flow.empty()) continue;  // the bad flow is reported already
        if (info.flow.empty()) {
            if (auto body = entity({info.at, span->second}, "body")) add_std_fact("case_at", {self, *body}, span->second);
            continue;
        }
        auto flow = names().flows.find(info.flow);
        if (flow == names().flows.end()) continue;
        std::vector<std::string> steps;
        for (const auto& s : flow->second.steps) steps.push_back(s.name);
        if (std::find(steps.begin(), steps.end(), info.at) == steps.end())
            diags_.error(span->second, fmt::format("flow `{}` has no step `{}`", info.flow, info.at),
                         steps.empty() ? "" : did_you_mean(suggest(info.at, steps)).empty()
                             ? fmt::format("its steps are {}", fmt::join(steps, ", "))
                             : did_you_mean(suggest(info.at, steps)));
        else
            add_std_fact("case_at", {self, symbols_.string(info.at)}, span->second);
    }
}

}  // namespace charter::lang
