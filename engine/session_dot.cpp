// Graphviz pictures (§9 `charter dot`, `:dot`): the organisation as DOT — entities as nodes
// labelled with their labels, nested entities as clusters inside their parents, one edge style
// per relation — or one flow's steps and performers. Read from the evaluated database; sorted
// by identifier throughout, so the same model always gives the same text.
#include "session_impl.hpp"

#include <fmt/format.h>
#include <map>
#include <set>

namespace charter {

using engine::Value;

namespace {

/// The relations drawn when none are named, each with its edge style (§8's organisational ones).
struct EdgeStyle {
    std::string_view relation;
    std::string_view attributes;
    bool labelled;  // a label with the relation's name on every edge
};
constexpr EdgeStyle standard_styles[] = {
    {"reports_to", "color=\"#303030\", penwidth=1.4", false},
    {"supports", "color=\"#1f6fb2\", style=dashed", true},
    {"peer", "color=\"#7a7a7a\", style=dotted, dir=none", true},
    {"secretariat", "color=\"#2e8b57\", style=dashed, arrowhead=odot", true},
    {"sponsor", "color=\"#b8860b\", arrowhead=diamond", true},
};
// Colours for other relations, in the order they are named.
constexpr std::string_view palette[] = {"#8e44ad", "#c0392b", "#16a085", "#d35400", "#2c3e50", "#7f8c8d"};

std::string dot_string(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out + "\"";
}

std::size_t code_points(std::string_view s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

/// A label broken into lines of about `width` code points at spaces, so long Danish names of
/// bodies make boxes rather than bars.
std::string wrapped(std::string_view text, std::size_t width = 24) {
    std::string out, line;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto space = text.find(' ', start);
        std::string_view word = text.substr(start, space == std::string_view::npos ? std::string_view::npos : space - start);
        if (!line.empty() && code_points(line) + 1 + code_points(word) > width) {
            out += line + "\n";
            line.clear();
        }
        if (!line.empty()) line += ' ';
        line += word;
        if (space == std::string_view::npos) break;
        start = space + 1;
    }
    return out + line;
}

class Drawing {
public:
    explicit Drawing(const Session::Impl& impl) : impl_(impl), db_(impl.database), symbols_(impl.symbols) {}

    [[nodiscard]] std::string name(Value v) const { return symbols_.display(v); }

    [[nodiscard]] std::vector<Value> column(engine::RelationId r, Value first) const {
        std::vector<Value> out;
        if (r >= db_.relations.size()) return out;
        const auto& store = db_.relations[r];
        Value key[2] = {first, {}};
        for (auto row : store.lookup(1u, key)) out.push_back(store.row(row)[1]);
        return out;
    }
    [[nodiscard]] bool has(engine::RelationId r, Value a, Value b) const {
        if (r >= db_.relations.size()) return false;
        Value key[2] = {a, b};
        return db_.relations[r].contains(key);
    }
    [[nodiscard]] std::string label(Value v) const {
        auto labels = column(engine::Program::label_relation, v);
        if (labels.empty() || labels.front().tag() != engine::ValueTag::string) return name(v);
        return std::string(symbols_.string_text(labels.front()));
    }
    [[nodiscard]] bool is(Value v, std::string_view kind) const {
        Value k = symbols_.find_entity(kind);
        return !k.is_none() && has(engine::Program::kind_relation, v, k);
    }
    [[nodiscard]] bool tagged(Value v, std::string_view tag) const {
        Value t = symbols_.find_entity(tag);
        return !t.is_none() && has(engine::Program::tag_relation, v, t);
    }
    [[nodiscard]] std::string node(Value v, std::string_view extra = {}) const {
        std::string shape = is(v, "person") ? "ellipse" : is(v, "party") ? "house" : is(v, "group") ? "folder" : "box";
        std::vector<std::string> style;
        if (shape == "box") style.emplace_back("rounded");
        if (tagged(v, "advisory") || tagged(v, "placeholder")) style.emplace_back("dashed");
        std::string out = fmt::format("{} [label={}, tooltip={}, shape={}", dot_string(name(v)), dot_string(wrapped(label(v))),
                                      dot_string(name(v)), shape);
        if (!style.empty()) out += fmt::format(", style={}", dot_string(fmt::format("{}", fmt::join(style, ","))));
        if (tagged(v, "top")) out += ", penwidth=2";
        if (!extra.empty()) out += fmt::format(", {}", extra);
        return out + "];";
    }
    /// Values sorted by identifier (the answer order), so that output never follows hash order.
    void sort(std::vector<Value>& values) const {
        std::sort(values.begin(), values.end(), [&](Value a, Value b) { return symbols_.less(a, b); });
        values.erase(std::unique(values.begin(), values.end()), values.end());
    }

    const Session::Impl& impl_;
    const engine::Database& db_;
    const engine::Symbols& symbols_;
};

struct Edge {
    Value from, to;
    std::size_t style;  // index into the drawn relations
    std::string label;
};

Result<std::string> failure(Session::Impl& impl, lang::Diagnostics& diagnostics) {
    Result<std::string> r;
    static_cast<Status&>(r) = impl.finish(diagnostics);
    return r;
}

Result<std::string> organisation(Session::Impl& impl, const std::vector<std::string>& requested) {
    lang::Diagnostics diagnostics;
    const auto& names = impl.model.names;
    struct Drawn {
        std::string relation;
        engine::RelationId id;
        std::string attributes;
        bool labelled;
    };
    std::vector<Drawn> drawn;
    auto style_of = [&](const std::string& relation) -> std::pair<std::string, bool> {
        for (const auto& s : standard_styles)
            if (s.relation == relation) return {std::string(s.attributes), s.labelled};
        std::size_t others = static_cast<std::size_t>(std::count_if(drawn.begin(), drawn.end(), [](const Drawn& d) {
            return std::none_of(std::begin(standard_styles), std::end(standard_styles), [&](const EdgeStyle& s) { return s.relation == d.relation; });
        }));
        return {fmt::format("color=\"{}\"", palette[others % std::size(palette)]), true};
    };
    std::vector<std::string> wanted = requested;
    if (wanted.empty())
        for (const auto& s : standard_styles)
            if (names.relations.contains(std::string(s.relation))) wanted.emplace_back(s.relation);
    for (const auto& relation : wanted) {
        if (std::any_of(drawn.begin(), drawn.end(), [&](const Drawn& d) { return d.relation == relation; })) continue;
        std::optional<engine::RelationId> id;
        if (relation.ends_with('+') && names.relations.contains(relation.substr(0, relation.size() - 1)))
            id = impl.closure_of(relation.substr(0, relation.size() - 1), diagnostics);
        else if (auto it = names.relations.find(relation); it != names.relations.end() && relation.find('/') == std::string::npos)
            id = it->second;
        if (!id) {
            std::vector<std::string> all;
            for (const auto& [r, _] : names.relations)
                if (r.find_first_of("/+*") == std::string::npos) all.push_back(r);
            diagnostics.error({}, fmt::format("unknown relation `{}`", relation), lang::did_you_mean(lang::suggest(relation, all)));
            continue;
        }
        const auto& info = impl.model.program.relations[*id];
        if (info.arity() < 2) {
            diagnostics.error({}, fmt::format("`{}` links nothing: it takes {} argument{}, and an edge needs two entities", relation,
                                              info.arity(), info.arity() == 1 ? "" : "s"));
            continue;
        }
        auto [attributes, labelled] = style_of(relation);
        drawn.push_back({relation, *id, attributes, labelled});
    }
    if (diagnostics.has_errors()) return failure(impl, diagnostics);

    Drawing d(impl);
    // Nodes: every body, and whatever an edge links.
    std::vector<Value> nodes;
    // After a failed first load the symbols know std's names but the database is empty.
    if (Value body = impl.symbols.find_entity("body");
        !body.is_none() && engine::Program::kind_relation < impl.database.relations.size()) {
        const auto& kinds = impl.database.relations[engine::Program::kind_relation];
        Value key[2] = {{}, body};
        for (auto row : kinds.lookup(2u, key)) nodes.push_back(kinds.row(row)[0]);
    }
    std::vector<Edge> edges;
    for (std::size_t s = 0; s < drawn.size(); ++s) {
        const auto& store = impl.database.relations[drawn[s].id];
        for (std::size_t r = 0; r < store.size(); ++r) {
            auto row = store.row(r);
            // The first two entities of the tuple are the edge.
            std::vector<std::size_t> entities;
            for (std::size_t c = 0; c < row.size(); ++c)
                if (row[c].is_entity() && entities.size() < 2) entities.push_back(c);
            if (entities.size() < 2) continue;
            // The other values label the edge, except those that only repeat a default (the
            // role `member` of `member`).
            const auto& defaults = impl.model.program.relations[drawn[s].id].defaults;
            std::vector<std::string> rest;
            for (std::size_t c = 0; c < row.size(); ++c) {
                if (c == entities[0] || c == entities[1] || row[c].is_none()) continue;
                if (c < defaults.size() && defaults[c] && *defaults[c] == row[c]) continue;
                rest.push_back(d.name(row[c]));
            }
            std::string label = drawn[s].labelled ? drawn[s].relation : "";
            if (!rest.empty()) label += fmt::format("{}{}", label.empty() ? "" : ": ", fmt::join(rest, ", "));
            edges.push_back({row[entities[0]], row[entities[1]], s, label});
            nodes.push_back(row[entities[0]]);
            nodes.push_back(row[entities[1]]);
        }
    }
    d.sort(nodes);
    std::sort(edges.begin(), edges.end(), [&](const Edge& a, const Edge& b) {
        if (a.style != b.style) return a.style < b.style;
        if (a.from != b.from) return impl.symbols.less(a.from, b.from);
        if (a.to != b.to) return impl.symbols.less(a.to, b.to);
        return a.label < b.label;
    });

    // Clusters: every parent (part_of) of a drawn node, up the nesting.
    std::map<std::uint32_t, Value> parent;  // child bits → parent
    std::set<std::uint32_t> clusters;
    std::vector<Value> pending = nodes;
    std::set<std::uint32_t> seen;
    while (!pending.empty()) {
        Value v = pending.back();
        pending.pop_back();
        if (!seen.insert(v.bits).second) continue;
        auto parents = d.column(engine::Program::part_of_relation, v);
        if (parents.empty()) continue;
        d.sort(parents);
        parent[v.bits] = parents.front();
        clusters.insert(parents.front().bits);
        pending.push_back(parents.front());
    }
    std::set<std::uint32_t> is_node;
    for (Value v : nodes) is_node.insert(v.bits);
    std::map<std::uint32_t, std::vector<Value>> children;  // cluster → nodes and clusters inside it
    std::vector<Value> top;
    std::vector<Value> items = nodes;
    for (auto c : clusters) items.push_back(Value{c});
    d.sort(items);
    for (Value v : items) {
        auto p = parent.find(v.bits);
        if (p == parent.end()) top.push_back(v);
        else children[p->second.bits].push_back(v);
    }

    std::string out;
    out += fmt::format("// charter dot: {}\n", fmt::join(std::vector<std::string>([&] {
        std::vector<std::string> r;
        for (const auto& x : drawn) r.push_back(x.relation);
        return r;
    }()), ", "));
    out += "digraph charter {\n";
    out += "    graph [rankdir=BT, fontname=\"Helvetica\", fontsize=11, newrank=true];\n";
    out += "    node [fontname=\"Helvetica\", fontsize=10];\n";
    out += "    edge [fontname=\"Helvetica\", fontsize=9];\n";
    auto emit = [&](auto& self, Value v, int depth) -> void {
        const std::string indent(static_cast<std::size_t>(depth) * 4, ' ');
        if (!clusters.contains(v.bits)) {
            out += indent + d.node(v) + "\n";
            return;
        }
        out += fmt::format("{}subgraph {} {{\n", indent, dot_string("cluster_" + d.name(v)));
        out += fmt::format("{}    label={}; tooltip={}; style=\"rounded\"; color=\"#9a9a9a\";\n", indent, dot_string(wrapped(d.label(v), 40)),
                           dot_string(d.name(v)));
        if (is_node.contains(v.bits)) out += indent + "    " + d.node(v) + "\n";
        for (Value c : children[v.bits]) self(self, c, depth + 1);
        out += indent + "}\n";
    };
    for (Value v : top) emit(emit, v, 1);
    for (const auto& e : edges) {
        out += fmt::format("    {} -> {} [{}", dot_string(d.name(e.from)), dot_string(d.name(e.to)), drawn[e.style].attributes);
        if (!e.label.empty()) out += fmt::format(", label={}", dot_string(e.label));
        out += fmt::format("];  // {}\n", drawn[e.style].relation);
    }
    out += "}\n";
    Result<std::string> result;
    result.value = std::move(out);
    static_cast<Status&>(result) = impl.finish(diagnostics);
    return result;
}

Result<std::string> flow_picture(Session::Impl& impl, std::string_view flow_name) {
    lang::Diagnostics diagnostics;
    const auto& names = impl.model.names;
    const std::string id(flow_name);
    const auto entities = names.entities.in(impl.symbols);
    auto entity = entities.find(id);
    const bool is_flow = entity != entities.end() && names.is_subkind(entity->second.kind, "flow");
    const bool is_case = entity != entities.end() && names.is_subkind(entity->second.kind, "case");
    if (!is_flow && !is_case) {
        std::vector<std::string> candidates;
        for (const auto& [e, info] : entities)
            if (names.is_subkind(info.kind, "flow") || names.is_subkind(info.kind, "case")) candidates.emplace_back(e);
        if (entity == entities.end())
            diagnostics.error({}, fmt::format("unknown flow `{}`", id), lang::did_you_mean(lang::suggest(id, candidates)));
        else
            diagnostics.error({}, fmt::format("`{}` is a {}, not a flow or a case", id, entity->second.kind),
                              lang::did_you_mean(lang::suggest(id, candidates)));
        return failure(impl, diagnostics);
    }
    auto relation = [&](const char* name) -> std::optional<engine::RelationId> {
        auto it = names.relations.find(name);
        return it == names.relations.end() ? std::nullopt : std::optional(it->second);
    };
    auto step = relation("step"), performer = relation("step_performer"), performs = relation("performs"),
         case_flow = relation("case_flow"), case_at = relation("case_at");
    if (!step || !performer || !performs || !case_flow || !case_at) {
        diagnostics.error({}, "drawing a flow needs the standard library", "add `import std`");
        return failure(impl, diagnostics);
    }
    Drawing d(impl);
    Value x = impl.symbols.find_entity(id);
    Value f = x;
    std::string at;
    if (is_case) {
        auto flows = d.column(*case_flow, x);
        if (flows.empty()) {
            diagnostics.error({}, fmt::format("`{}` follows no flow: it is a topic case", id), "draw a case that has `flow F`");
            return failure(impl, diagnostics);
        }
        f = flows.front();
        for (Value a : d.column(*case_at, x))
            if (a.tag() == engine::ValueTag::string) at = std::string(impl.symbols.string_text(a));
    }
    // Steps by index: step(F, index, name, action).
    struct StepRow {
        std::int64_t index;
        std::string name, action;
        std::vector<Value> who;
        std::string form;  // the performer as written, when it names no one
    };
    std::vector<StepRow> steps;
    const auto& steps_store = impl.database.relations[*step];
    Value key[4] = {f, {}, {}, {}};
    for (auto row : steps_store.lookup(1u, key)) {
        auto t = steps_store.row(row);
        StepRow s{impl.symbols.integer_value(t[1]), d.name(t[2]), t[3].is_none() ? "" : d.name(t[3]), {}, {}};
        steps.push_back(std::move(s));
    }
    std::sort(steps.begin(), steps.end(), [](const StepRow& a, const StepRow& b) { return a.index < b.index; });
    const auto& performs_store = impl.database.relations[*performs];
    const auto& performer_store = impl.database.relations[*performer];
    for (auto& s : steps) {
        Value k[3] = {x, impl.symbols.integer(s.index), {}};
        for (auto row : performs_store.lookup(3u, k)) s.who.push_back(performs_store.row(row)[2]);
        d.sort(s.who);
        Value pk[4] = {f, k[1], {}, {}};
        for (auto row : performer_store.lookup(3u, pk)) {
            auto t = performer_store.row(row);
            std::string form = d.name(t[2]);
            std::string target = t[3].is_none() ? "owner" : d.name(t[3]);
            std::replace(form.begin(), form.end(), '_', ' ');
            s.form = form == "entity" || form == "owner" ? target : fmt::format("{} {}", form, target);
        }
    }

    std::string out = fmt::format("// charter dot --flow {}\n", id);
    out += "digraph flow {\n";
    out += "    graph [rankdir=LR, fontname=\"Helvetica\", fontsize=11, newrank=true";
    out += fmt::format(", label={}, labelloc=t];\n", dot_string(d.label(x) == id ? id : fmt::format("{} ({})", d.label(x), id)));
    out += "    node [fontname=\"Helvetica\", fontsize=10];\n";
    out += "    edge [fontname=\"Helvetica\", fontsize=9];\n";
    std::vector<Value> people;
    for (const auto& s : steps) people.insert(people.end(), s.who.begin(), s.who.end());
    d.sort(people);
    for (const auto& s : steps) {
        std::string label = fmt::format("{}. {}", s.index, s.name);
        if (!s.action.empty()) label += fmt::format("\n({})", s.action);
        std::string extra = s.name == at ? ", style=\"rounded,filled,bold\", fillcolor=\"#fff3b0\"" : ", style=\"rounded\"";
        out += fmt::format("    {} [label={}, shape=box{}];\n", dot_string(fmt::format("#step {}", s.index)), dot_string(label), extra);
    }
    for (Value p : people) out += "    " + d.node(p) + "\n";
    for (const auto& s : steps)
        if (s.who.empty())
            out += fmt::format("    {} [label={}, shape=note, style=dashed];\n", dot_string(fmt::format("#nobody {}", s.index)),
                               dot_string(s.form.empty() ? "no one" : s.form));
    for (std::size_t i = 0; i + 1 < steps.size(); ++i)
        out += fmt::format("    {} -> {} [penwidth=2];\n", dot_string(fmt::format("#step {}", steps[i].index)),
                           dot_string(fmt::format("#step {}", steps[i + 1].index)));
    for (const auto& s : steps) {
        const bool decides = s.action == "approves" || s.action == "decides";
        std::string style = decides ? "color=\"#b03a2e\", penwidth=1.6" : "color=\"#606060\", style=dashed";
        if (s.who.empty())
            out += fmt::format("    {} -> {} [{}];\n", dot_string(fmt::format("#nobody {}", s.index)), dot_string(fmt::format("#step {}", s.index)), style);
        for (Value p : s.who)
            out += fmt::format("    {} -> {} [{}{}];\n", dot_string(d.name(p)), dot_string(fmt::format("#step {}", s.index)), style,
                               s.action.empty() ? "" : fmt::format(", label={}", dot_string(s.action)));
    }
    out += "}\n";
    Result<std::string> result;
    result.value = std::move(out);
    static_cast<Status&>(result) = impl.finish(diagnostics);
    return result;
}

}  // namespace

Result<std::string> Session::dot(const std::vector<std::string>& relations, std::string_view flow) {
    try {
        lang::Diagnostics diagnostics;
        if (!impl_->complete(diagnostics)) return failure(*impl_, diagnostics);
        if (!flow.empty()) return flow_picture(*impl_, flow);
        return organisation(*impl_, relations);
    } catch (const std::exception& e) {
        Result<std::string> r;
        r.diagnostics.push_back({Severity::error, "", 0, 0, 0, fmt::format("internal error: {}", e.what()), "", "", {}});
        return r;
    }
}

}  // namespace charter
