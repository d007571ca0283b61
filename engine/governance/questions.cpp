// The built-in questions (§6, §9): `who approves X`, `next C`, `route C` are Charter queries
// over the stdlib's flow relations (stdlib/std/flows.charter); `path r A B` is a shortest
// path by breadth-first search, ties broken by identifier.
#include "engine/session_impl.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <fmt/format.h>
#include <deque>

namespace charter {

namespace {

std::string backticked(std::string_view id) { return fmt::format("`{}`", id); }

Result<Table> failure(Session::Impl& impl, lang::Diagnostics& diagnostics) {
    Result<Table> r;
    static_cast<Status&>(r) = impl.finish(diagnostics);
    return r;
}

/// Keeps the named columns of `table`, in the order given, and drops duplicate rows.
Table project(const Table& table, const std::vector<std::string>& columns) {
    std::vector<std::size_t> index;
    for (const auto& c : columns)
        index.push_back(static_cast<std::size_t>(std::find(table.columns.begin(), table.columns.end(), c) - table.columns.begin()));
    Table out{columns, {}};
    for (const auto& row : table.rows) {
        std::vector<Cell> cells;
        for (auto i : index) cells.push_back(row.at(i));
        if (out.rows.empty() || out.rows.back() != cells) out.rows.push_back(std::move(cells));
    }
    return out;
}

}  // namespace

Result<Table> Session::Impl::run_question(const lang::ast::Question& question, lang::Span where) {
    lang::Diagnostics diagnostics;
    if (!complete(diagnostics)) return failure(*this, diagnostics);
    using Form = lang::ast::Question::Form;
    const auto& args = question.arguments;
    const auto& names = model.names;
    // Every argument names a declared entity (the relation of `path` aside).
    for (std::size_t i = question.form == Form::path ? 1 : 0; i < args.size(); ++i) {
        if (names.entities.in(symbols).contains(args[i].text)) continue;
        std::vector<std::string> all;
        for (const auto& [e, _] : names.entities.in(symbols)) all.emplace_back(e);
        diagnostics.error(args[i].span, fmt::format("unknown entity `{}`", args[i].text), lang::did_you_mean(lang::suggest(args[i].text, all)));
    }
    if (diagnostics.has_errors()) return failure(*this, diagnostics);
    if (!names.relations.contains("performs") && question.form != Form::path) {
        diagnostics.error(where, "questions about flows need the standard library", "add `import std`");
        return failure(*this, diagnostics);
    }

    auto ask = [&](const std::string& text, const std::vector<std::string>& columns) -> Result<Table> {
        auto statement = parse_one(text, "<question>", diagnostics);
        if (!statement) return failure(*this, diagnostics);
        const auto& body = std::get<lang::ast::Query>(statement->node).body;
        engine::Query lowered;
        if (!lang::lower_query(model, symbols, sources, body, where, lowered, diagnostics)) return failure(*this, diagnostics);
        auto answer_table = answer(lowered);
        answer_table.value = project(answer_table.value, columns);
        sort_rows(answer_table.value);
        return answer_table;
    };

    const std::string x = args.empty() ? "" : backticked(args[0].text);
    switch (question.form) {
    case Form::who_approves: {
        const std::string& kind = names.entities.in(symbols).at(args[0].text).kind;
        if (names.is_subkind(kind, "flow") || names.is_subkind(kind, "case"))
            return ask(fmt::format("? flow_of({0}, ?f), approving_step(?f, ?i), step(?f, ?i, ?step, _), performs({0}, ?i, ?approver)", x),
                       {"step", "approver"});
        return ask(fmt::format("? approves(?approver, {})", x), {"approver"});
    }
    case Form::next:
    case Form::route: {
        auto c = names.cases.find(args[0].text);
        if (c == names.cases.end()) {
            diagnostics.error(args[0].span, fmt::format("`{}` is not a case", args[0].text),
                              "declare it as `case C { flow F; at STEP; owner X }` or `case C { topic T; at BODY }`");
            return failure(*this, diagnostics);
        }
        if (c->second.flow.empty()) {
            if (question.form == Form::route)
                return ask(fmt::format("? escalation_target({}, ?body), ?n = 1", x), {"n", "body"});
            return ask(fmt::format("? escalation_target({}, ?body)", x), {"body"});
        }
        if (question.form == Form::next)
            return ask(fmt::format("? case_at({0}, ?at), flow_of({0}, ?f), step(?f, ?i, ?at, _), "
                                   "?j = min(?k : step_applies(?f, ?k), ?k > ?i), step(?f, ?j, ?step, _), performs({0}, ?j, ?performer)", x),
                       {"step", "performer"});
        return ask(fmt::format("? case_at({0}, ?at), flow_of({0}, ?f), step(?f, ?i, ?at, _), step(?f, ?j, ?step, _), ?j > ?i, "
                               "step_applies(?f, ?j), ?n = count(?k : step_applies(?f, ?k), ?k > ?i, ?k <= ?j), performs({0}, ?j, ?performer)", x),
                   {"n", "step", "performer"});
    }
    case Form::path: break;
    }

    // path r A B: breadth-first search backwards from B gives every node's distance to B; the
    // walk from A then takes, at each step, the smallest identifier one step closer.
    auto r = names.relations.find(args[0].text);
    if (r == names.relations.end()) {
        std::vector<std::string> all;
        for (const auto& [name, _] : names.relations) all.push_back(name);
        diagnostics.error(args[0].span, fmt::format("unknown relation `{}`", args[0].text), lang::did_you_mean(lang::suggest(args[0].text, all)));
        return failure(*this, diagnostics);
    }
    if (model.program.relations[r->second].arity() != 2) {
        diagnostics.error(args[0].span, fmt::format("`path` follows a binary relation; `{}` takes {} arguments", args[0].text,
                                                    model.program.relations[r->second].arity()));
        return failure(*this, diagnostics);
    }
    const auto& store = database.relations[r->second];
    std::unordered_map<std::uint32_t, std::size_t> vertex;
    std::vector<engine::Value> values;
    auto vertex_of = [&](engine::Value v) {
        auto [it, fresh] = vertex.emplace(v.bits, values.size());
        if (fresh) values.push_back(v);
        return it->second;
    };
    std::vector<std::pair<std::size_t, std::size_t>> edges;
    for (std::size_t i = 0; i < store.size(); ++i) {
        auto row = store.row(i);
        edges.emplace_back(vertex_of(row[0]), vertex_of(row[1]));
    }
    engine::Value from = symbols.entity(args[1].text), to = symbols.entity(args[2].text);
    std::size_t a = vertex_of(from), b = vertex_of(to);
    using Reverse = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
    Reverse reverse(values.size());
    for (auto [u, v] : edges) boost::add_edge(v, u, reverse);
    constexpr std::size_t unreached = SIZE_MAX;
    std::vector<std::size_t> distance(values.size(), unreached);
    distance[b] = 0;
    boost::breadth_first_search(reverse, b, boost::visitor(boost::make_bfs_visitor(
        boost::record_distances(boost::make_iterator_property_map(distance.begin(), boost::get(boost::vertex_index, reverse)),
                                boost::on_tree_edge()))));
    Result<Table> result;
    result.value.columns = {"n", "entity"};
    if (distance[a] == unreached) return result;
    std::vector<std::vector<std::size_t>> forward(values.size());
    for (auto [u, v] : edges) forward[u].push_back(v);
    std::size_t at = a;
    for (std::int64_t n = 1;; ++n) {
        result.value.rows.push_back({n, cell(values[at])});
        if (at == b) break;
        std::size_t best = unreached;
        for (auto next : forward[at])
            if (distance[next] + 1 == distance[at] && (best == unreached || symbols.less(values[next], values[best]))) best = next;
        at = best;
    }
    return result;
}

}  // namespace charter
