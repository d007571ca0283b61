// Goal-directed transitive closure: answers `r+(a, ?y)`, `r+(?x, b)`, `r+(a, b)`, `r+(?x, ?y)`
// and `r+(?x, ?x)` by walking the graph of the binary relation `r` instead of deriving every
// pair of `r+`. A question about one body's superiors touches its two dozen ancestors, not the
// organisation's million reporting pairs; the pairs of a whole closure stream out one source at
// a time, without a table to deduplicate them; cycles are strongly connected components.
#pragma once

#include "database.hpp"

#include <cstdint>
#include <vector>

namespace charter::engine {

/// A set of values for one walk at a time: open addressing, cleared in O(1) by an epoch.
class ValueSet {
public:
    /// Starts an empty set.
    void clear();
    /// True when `v` was not in the set.
    bool insert(Value v);
    [[nodiscard]] bool contains(Value v) const;

private:
    void grow();
    std::vector<std::uint32_t> keys_;
    std::vector<std::uint32_t> epochs_;
    std::uint32_t epoch_ = 0;
    std::size_t size_ = 0;
};

/// The walks over one base relation `r` (arity 2). Each call's result stays valid until the
/// next call on the same walker. The base must not change while a walker is in use.
class ClosureWalk {
public:
    /// Every y with r+(start, y), in breadth-first order (by r's row order within a level).
    const std::vector<Value>& forward(const Store& base, Value start);
    /// Every x with r+(x, end).
    const std::vector<Value>& backward(const Store& base, Value end);
    /// Whether r+(from, to) holds; stops at the first path found.
    bool reaches(const Store& base, Value from, Value to);
    /// The distinct first-column values of r: the sources of r+'s pairs. For a relation of
    /// entities, in an order where each source's walk shares most of its path with the walks
    /// just before it (sources_in_walk_order); else in row order.
    const std::vector<Value>& sources(const Store& base);
    /// Calls visit(source, forward(base, source)) for each of sources(base) in order, while
    /// visit returns true: every pair of r+. Reads the next sources' lists ahead: the sources
    /// lie scattered over the node arrays, and at a million nodes the start of each walk
    /// otherwise waits for memory twice (its list bounds, then its list).
    template <typename Visit>
    void each_source(const Store& base, Visit&& visit) {
        const std::vector<Value>& all = sources(base);  // forward() leaves this list alone
        const Adjacency* graph = base.adjacency(0);
        constexpr std::size_t ahead = 8;
        for (std::size_t i = 0; i < all.size(); ++i) {
            if (graph != nullptr && i + 2 * ahead < all.size()) graph->prefetch_bounds(all[i + 2 * ahead]);
            if (graph != nullptr && i + ahead < all.size()) graph->prefetch_list(all[i + ahead]);
            if (!visit(all[i], forward(base, all[i]))) return;
        }
    }
    /// Every x with r+(x, x): the members of r's strongly connected components that have more
    /// than one member or an edge to themselves (Boost.Graph's strong_components).
    const std::vector<Value>& on_cycles(const Store& base);

private:
    const std::vector<Value>& walk(const Store& base, Value start, std::uint32_t from_column,
                                   Value stop_at, bool* found);
    /// walk() over adjacency lists, with a node's visit marked in an array by its index.
    const std::vector<Value>& walk_lists(const Adjacency& graph, Value start, Value stop_at, bool* found);
    void sources_in_walk_order(const Adjacency& forward, const Adjacency& backward);
    std::vector<Value> reached_;
    std::vector<Value> key_{none_value, none_value};
    ValueSet visited_;
    std::vector<std::uint32_t> marks_;  // walk_lists: per node index, the walk that reached it
    std::uint32_t mark_ = 0;            // the current walk's stamp in marks_
    // Cached per base (its address and size identify it while the database does not change).
    const Store* sources_of_ = nullptr;
    std::size_t sources_size_ = 0;
    std::vector<Value> sources_;
    const Store* cycles_of_ = nullptr;
    std::size_t cycles_size_ = 0;
    std::vector<Value> cycles_;
};

}  // namespace charter::engine
