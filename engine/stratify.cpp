// Stratification: the dependency graph of the rules, cut into strongly connected components
// in evaluation order; a negation or aggregate inside a component is a bad cycle (§4).
#include "evaluate.hpp"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/strong_components.hpp>
#include <deque>
#include <map>
#include <set>
#include <tuple>
#include <utility>

namespace charter::engine {

namespace {

// vecS: relation ids are dense, so vertex_index is free. Edges run head → body relation;
// strong_components numbers sinks first, so ascending component number is evaluation order.
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS,
                                    boost::no_property, DependencyEdge>;

// A simple cycle through the edge head → body: that edge, then a shortest path (BFS, targets
// in id order) from body back to head inside the component, rotated to start at its smallest id.
std::vector<RelationId> cycle_through(RelationId head, RelationId body,
                                      const std::vector<std::vector<RelationId>>& successors,
                                      const std::vector<int>& component) {
    std::vector<RelationId> cycle{head};
    if (head != body) {
        std::map<RelationId, RelationId> parent{{body, body}};  // BFS tree, also the seen set
        std::deque<RelationId> queue{body};
        while (!queue.empty() && !parent.contains(head)) {
            const RelationId at = queue.front();
            queue.pop_front();
            for (RelationId next : successors[at]) {
                if (component[next] != component[head] || !parent.emplace(next, at).second)
                    continue;
                queue.push_back(next);
            }
        }
        std::vector<RelationId> back;  // head's predecessors on the path, back to body
        for (RelationId v = head; v != body;) {
            v = parent.at(v);
            back.push_back(v);
        }
        cycle.insert(cycle.end(), back.rbegin(), back.rend());
    }
    std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
    return cycle;
}

}  // namespace

std::vector<DependencyEdge> dependency_edges(const Program& program) {
    std::vector<DependencyEdge> edges;
    std::set<std::tuple<RelationId, RelationId, bool>> seen;
    const auto relation_count = program.relations.size();
    // An explicit stack: aggregates may nest deeply, and the depth is the user's input.
    std::vector<std::pair<const Literal*, bool>> pending;
    for (const Rule& rule : program.rules) {
        for (const Literal& literal : rule.body) pending.emplace_back(&literal, false);
        while (!pending.empty()) {
            auto [literal, inside_aggregate] = pending.back();
            pending.pop_back();
            if (literal->kind == Literal::Kind::aggregate) {
                for (const Literal& inner : literal->body) pending.emplace_back(&inner, true);
                continue;
            }
            if (literal->kind != Literal::Kind::atom && literal->kind != Literal::Kind::negation)
                continue;
            if (literal->relation >= relation_count || rule.head >= relation_count) continue;
            const bool negative = inside_aggregate || literal->kind == Literal::Kind::negation;
            if (seen.emplace(literal->relation, rule.head, negative).second)
                edges.push_back({literal->relation, rule.head, negative, rule.location});
        }
    }
    return edges;
}

Stratification stratify(std::size_t relation_count, const std::vector<DependencyEdge>& edges) {
    Graph graph(relation_count);
    std::vector<std::vector<RelationId>> successors(relation_count);
    for (const DependencyEdge& edge : edges) {
        if (edge.head >= relation_count || edge.body >= relation_count) continue;
        boost::add_edge(edge.head, edge.body, edge, graph);
        successors[edge.head].push_back(edge.body);
    }
    for (auto& list : successors) {
        std::sort(list.begin(), list.end());
        list.erase(std::unique(list.begin(), list.end()), list.end());
    }

    std::vector<int> component(relation_count);
    const int count = relation_count == 0
                          ? 0
                          : boost::strong_components(
                                graph, boost::make_iterator_property_map(
                                           component.begin(), boost::get(boost::vertex_index, graph)));

    Stratification result;
    result.strata.resize(static_cast<std::size_t>(count));
    for (std::size_t r = 0; r < relation_count; ++r)
        result.strata[static_cast<std::size_t>(component[r])].push_back(
            static_cast<RelationId>(r));

    std::set<std::vector<RelationId>> reported;
    for (const DependencyEdge& edge : edges) {
        if (!edge.through_negation || edge.head >= relation_count ||
            edge.body >= relation_count || component[edge.head] != component[edge.body])
            continue;
        auto cycle = cycle_through(edge.head, edge.body, successors, component);
        if (!reported.insert(cycle).second) continue;
        result.bad_cycles.push_back(std::move(cycle));
        result.bad_cycle_locations.push_back(edge.location);
    }
    return result;
}

Stratification stratify(const Program& program) {
    return stratify(program.relations.size(), dependency_edges(program));
}

}  // namespace charter::engine
