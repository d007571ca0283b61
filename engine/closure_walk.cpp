// Breadth-first walks over a binary relation's hash index, and its cycles by Boost.Graph.
#include "closure_walk.hpp"

#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/strong_components.hpp>

#include <algorithm>
#include <unordered_map>

namespace charter::engine {

// ---- ValueSet --------------------------------------------------------------------------------

namespace {
constexpr std::uint32_t hash_bits(std::uint32_t bits) {
    std::uint64_t h = bits * 0x9e3779b97f4a7c15ULL;
    return static_cast<std::uint32_t>(h >> 32);
}
}  // namespace

void ValueSet::clear() {
    size_ = 0;
    if (++epoch_ == 0) {  // wrapped: old stamps could look current
        std::fill(epochs_.begin(), epochs_.end(), 0);
        epoch_ = 1;
    }
}

bool ValueSet::insert(Value v) {
    if ((size_ + 1) * 2 > keys_.size()) grow();
    const std::size_t mask = keys_.size() - 1;
    for (std::size_t i = hash_bits(v.bits) & mask;; i = (i + 1) & mask) {
        if (epochs_[i] != epoch_) {
            epochs_[i] = epoch_;
            keys_[i] = v.bits;
            ++size_;
            return true;
        }
        if (keys_[i] == v.bits) return false;
    }
}

bool ValueSet::contains(Value v) const {
    if (keys_.empty()) return false;
    const std::size_t mask = keys_.size() - 1;
    for (std::size_t i = hash_bits(v.bits) & mask;; i = (i + 1) & mask) {
        if (epochs_[i] != epoch_) return false;
        if (keys_[i] == v.bits) return true;
    }
}

void ValueSet::grow() {
    std::vector<std::uint32_t> old_keys;
    std::vector<std::uint32_t> old_epochs;
    old_keys.swap(keys_);
    old_epochs.swap(epochs_);
    const std::uint32_t current = epoch_;
    keys_.assign(old_keys.empty() ? 64 : old_keys.size() * 2, 0);
    epochs_.assign(keys_.size(), 0);
    epoch_ = 1;
    size_ = 0;
    for (std::size_t i = 0; i < old_keys.size(); ++i)
        if (old_epochs[i] == current) insert(Value{old_keys[i]});
}

// ---- walks -----------------------------------------------------------------------------------

const std::vector<Value>& ClosureWalk::walk(const Store& base, Value start, std::uint32_t from_column,
                                            Value stop_at, bool* found) {
    reached_.clear();
    if (const Adjacency* graph = base.adjacency(from_column)) return walk_lists(*graph, start, stop_at, found);
    visited_.clear();
    const std::uint32_t to_column = 1 - from_column;
    const std::uint32_t mask = 1u << from_column;
    // reached_ is the queue as well: [next, size) are the nodes not expanded yet.
    Value node = start;
    for (std::size_t next = 0;; node = reached_[next++]) {
        key_[from_column] = node;
        for (std::uint32_t row : base.lookup(mask, key_)) {
            const Value v = base.row(row)[to_column];
            if (!visited_.insert(v)) continue;
            reached_.push_back(v);
            if (found != nullptr && v == stop_at) {
                *found = true;
                return reached_;
            }
        }
        if (next == reached_.size()) break;
    }
    return reached_;
}

const std::vector<Value>& ClosureWalk::walk_lists(const Adjacency& graph, Value start, Value stop_at, bool* found) {
    if (marks_.size() != graph.nodes() || ++mark_ == 0) {  // another graph, or the stamps wrapped
        marks_.assign(graph.nodes(), 0);
        mark_ = 1;
    }
    Value node = start;
    for (std::size_t next = 0;; node = reached_[next++]) {
        for (const Value v : graph.of(node)) {
            std::uint32_t& mark = marks_[v.index()];
            if (mark == mark_) continue;
            mark = mark_;
            reached_.push_back(v);
            if (found != nullptr && v == stop_at) {
                *found = true;
                return reached_;
            }
        }
        if (next == reached_.size()) break;
    }
    return reached_;
}

const std::vector<Value>& ClosureWalk::forward(const Store& base, Value start) {
    return walk(base, start, 0, none_value, nullptr);
}

const std::vector<Value>& ClosureWalk::backward(const Store& base, Value end) {
    return walk(base, end, 1, none_value, nullptr);
}

bool ClosureWalk::reaches(const Store& base, Value from, Value to) {
    bool found = false;
    walk(base, from, 0, to, &found);
    return found;
}

const std::vector<Value>& ClosureWalk::sources(const Store& base) {
    if (sources_of_ == &base && sources_size_ == base.size()) return sources_;
    sources_.clear();
    const Adjacency* forward = base.adjacency(0);
    const Adjacency* backward = forward != nullptr ? base.adjacency(1) : nullptr;
    if (backward != nullptr) {
        sources_in_walk_order(*forward, *backward);
    } else {
        ValueSet seen;
        seen.clear();
        for (std::size_t row = 0; row < base.size(); ++row)
            if (seen.insert(base.row(row)[0])) sources_.push_back(base.row(row)[0]);
    }
    sources_of_ = &base;
    sources_size_ = base.size();
    return sources_;
}

void ClosureWalk::sources_in_walk_order(const Adjacency& forward, const Adjacency& backward) {
    // Depth first along the reversed edges from each node without a successor (the roots of a
    // reporting forest), then from any node not yet reached (a cycle has no such root). A node
    // comes right after its successor or its successor's other descendants, so the walk from it
    // finds most of its path in the cache: at a million bodies, walks in row order read the
    // nodes of every path from memory.
    const std::size_t nodes = std::max(forward.nodes(), backward.nodes());
    std::vector<char> reached(nodes, 0);
    std::vector<std::uint32_t> stack;
    auto entity = [](std::size_t i) { return Value::make(ValueTag::entity, static_cast<std::uint32_t>(i)); };
    auto from = [&](std::size_t root) {
        reached[root] = 1;
        stack.push_back(static_cast<std::uint32_t>(root));
        while (!stack.empty()) {
            const Value node = entity(stack.back());
            stack.pop_back();
            if (!forward.of(node).empty()) sources_.push_back(node);
            for (const Value before : backward.of(node))
                if (!reached[before.index()]) {
                    reached[before.index()] = 1;
                    stack.push_back(before.index());
                }
        }
    };
    for (std::size_t i = 0; i < nodes; ++i)
        if (!reached[i] && forward.of(entity(i)).empty() && !backward.of(entity(i)).empty()) from(i);
    for (std::size_t i = 0; i < nodes; ++i)
        if (!reached[i] && !forward.of(entity(i)).empty()) from(i);
}

const std::vector<Value>& ClosureWalk::on_cycles(const Store& base) {
    if (cycles_of_ == &base && cycles_size_ == base.size()) return cycles_;
    cycles_.clear();
    // Number the nodes densely, in order of first appearance: through an array over the
    // values' indexes when every value is an entity (usual, and no hashing), else a hash map.
    const std::optional<std::size_t> bound = base.entity_bound();
    const bool entities = bound.has_value();
    std::vector<std::uint32_t> by_index(bound.value_or(0), UINT32_MAX);
    std::unordered_map<std::uint32_t, std::uint32_t> number;
    std::vector<Value> node;
    auto id = [&](Value v) {
        const auto next = static_cast<std::uint32_t>(node.size());
        std::uint32_t& known = entities ? by_index[v.index()] : number.try_emplace(v.bits, UINT32_MAX).first->second;
        if (known == UINT32_MAX) {
            known = next;
            node.push_back(v);
        }
        return known;
    };
    // Compressed sparse rows: the edges counting-sorted into one array, where an adjacency_list
    // allocated a vector per node (a million mallocs at a million bodies).
    using Graph = boost::compressed_sparse_row_graph<boost::directedS>;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;
    edges.reserve(base.size());
    std::vector<char> self_loop;
    for (std::size_t row = 0; row < base.size(); ++row) {
        const auto from = id(base.row(row)[0]);
        const auto to = id(base.row(row)[1]);
        edges.emplace_back(from, to);
        if (from == to) {
            if (self_loop.size() <= from) self_loop.resize(node.size(), 0);
            self_loop[from] = 1;
        }
    }
    self_loop.resize(node.size(), 0);
    Graph graph(boost::edges_are_unsorted_multi_pass, edges.begin(), edges.end(), node.size());
    std::vector<std::uint32_t> component(node.size());
    const auto count = boost::strong_components(
        graph, boost::make_iterator_property_map(component.begin(), boost::get(boost::vertex_index, graph)));
    std::vector<std::uint32_t> members(count, 0);
    for (auto c : component) ++members[c];
    for (std::size_t v = 0; v < node.size(); ++v)
        if (members[component[v]] > 1 || self_loop[v]) cycles_.push_back(node[v]);
    cycles_of_ = &base;
    cycles_size_ = base.size();
    return cycles_;
}

}  // namespace charter::engine
