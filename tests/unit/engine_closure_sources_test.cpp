// ClosureWalk::sources: every first-column value once; over entities, in walk order (a node
// after its successor's subtree began), which keeps each walk's path in the cache.
#include "engine/closure_walk.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

using namespace charter::engine;

namespace {
Value ent(std::uint32_t i) { return Value::make(ValueTag::entity, i); }
Value num(std::uint32_t i) { return Value::make(ValueTag::integer, i); }

std::vector<Value> sorted(std::vector<Value> values) {
    std::sort(values.begin(), values.end(), [](Value a, Value b) { return a.bits < b.bits; });
    return values;
}
}  // namespace

TEST_CASE("the sources of a forest come depth first from its roots, each once") {
    // 1 <- 2 <- 4, 1 <- 3 <- 5, 2 <- 6 (child -> parent), listed parents-last in row order,
    // plus the cycle 7 -> 8 -> 7, which has no root.
    Store edges(2);
    for (auto [child, parent] : {std::pair{5u, 3u}, {4u, 2u}, {6u, 2u}, {2u, 1u}, {3u, 1u}, {7u, 8u}, {8u, 7u}})
        edges.insert(std::vector<Value>{ent(child), ent(parent)}, 0);
    ClosureWalk walker;
    const std::vector<Value> sources = walker.sources(edges);
    CHECK(sorted(sources) == sorted({ent(2), ent(3), ent(4), ent(5), ent(6), ent(7), ent(8)}));
    // Each source of the forest comes after its parent unless the parent is the root 1, which
    // is no source (it has no parent).
    auto at = [&](std::uint32_t i) { return std::find(sources.begin(), sources.end(), ent(i)) - sources.begin(); };
    CHECK(at(4) > at(2));
    CHECK(at(6) > at(2));
    CHECK(at(5) > at(3));
    // A subtree is not interleaved with its sibling's: 2's descendants are together.
    CHECK(std::abs(at(4) - at(6)) == 1);
    // The walks from them all still find every ancestor.
    CHECK(sorted(walker.forward(edges, ent(4))) == sorted({ent(2), ent(1)}));
    CHECK(sorted(walker.forward(edges, ent(7))) == sorted({ent(8), ent(7)}));
}

TEST_CASE("the sources of a relation that is not all entities come in row order") {
    Store edges(2);
    for (auto [a, b] : {std::pair{3u, 1u}, {2u, 1u}, {3u, 2u}}) edges.insert(std::vector<Value>{num(a), num(b)}, 0);
    ClosureWalk walker;
    CHECK(walker.sources(edges) == std::vector<Value>{num(3), num(2)});
}

TEST_CASE("each_source walks every source in sources() order, and stops when asked") {
    // A chain 0 <- 1 <- … <- 39 (child -> parent): longer than the read-ahead, so the sources
    // near the end are read ahead of their walks too.
    Store edges(2);
    for (std::uint32_t i = 1; i < 40; ++i) edges.insert(std::vector<Value>{ent(i), ent(i - 1)}, 0);
    ClosureWalk walker;
    const std::vector<Value> sources = walker.sources(edges);
    std::vector<Value> visited;
    std::size_t pairs = 0;
    walker.each_source(edges, [&](Value source, const std::vector<Value>& reached) {
        visited.push_back(source);
        CHECK(reached.size() == source.index());  // i reaches i-1 … 0
        pairs += reached.size();
        return true;
    });
    CHECK(visited == sources);
    CHECK(pairs == 39 * 40 / 2);

    std::size_t calls = 0;
    walker.each_source(edges, [&](Value, const std::vector<Value>&) { return ++calls < 3; });
    CHECK(calls == 3);
}
