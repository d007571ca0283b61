// The evaluated model: every relation's tuples, stated and derived, each with the location of
// the statement it rests on. Read by queries, checks, explanations and diffs.
#pragma once

#include "prefetch.hpp"
#include "program.hpp"
#include "symbols.hpp"

#include <algorithm>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace charter::engine {

/// The rows of a binary relation of entities as adjacency lists (compressed sparse rows): per
/// entity, by its value's index, the other column's entities of its rows, in row order. A walk
/// (closure_walk.hpp) reads one node's next nodes as one stretch of memory instead of through
/// a hash lookup and a row each.
struct Adjacency {
    std::vector<std::uint32_t> offsets;  // entity index i: its list is targets[offsets[i], offsets[i + 1])
    std::vector<Value> targets;
    [[nodiscard]] std::span<const Value> of(Value v) const {
        const std::uint32_t i = v.index();
        if (v.tag() != ValueTag::entity || i + 1 >= offsets.size()) return {};
        return {targets.data() + offsets[i], offsets[i + 1] - offsets[i]};
    }
    /// One past the largest entity index in the relation: a bound for arrays indexed by node.
    [[nodiscard]] std::size_t nodes() const { return offsets.empty() ? 0 : offsets.size() - 1; }
    /// Read-ahead for of(v), in two steps some walks apart: the first brings v's list bounds
    /// into the cache, the second (which reads them) the start of its list.
    void prefetch_bounds(Value v) const {
        if (v.tag() == ValueTag::entity && v.index() + 1 < offsets.size()) prefetch(&offsets[v.index()]);
    }
    void prefetch_list(Value v) const {
        if (v.tag() == ValueTag::entity && v.index() + 1 < offsets.size() && offsets[v.index()] < targets.size())
            prefetch(&targets[offsets[v.index()]]);
    }
};

/// The row numbers a lookup returns, ascending: a list, or a range of consecutive rows. A group
/// whose rows were stored one after another (as a data file's rows about one subject are)
/// needs no list, so reading it costs no miss on one.
class RowList {
public:
    class iterator {
    public:
        using iterator_category = std::random_access_iterator_tag;
        using value_type = std::uint32_t;
        using difference_type = std::ptrdiff_t;
        using pointer = void;
        using reference = std::uint32_t;
        iterator() = default;
        std::uint32_t operator*() const { return list_ != nullptr ? list_[at_] : first_ + at_; }
        std::uint32_t operator[](difference_type d) const { return *(*this + d); }
        iterator& operator++() { return ++at_, *this; }
        iterator operator++(int) { iterator old = *this; return ++at_, old; }
        iterator& operator--() { return --at_, *this; }
        iterator operator--(int) { iterator old = *this; return --at_, old; }
        iterator& operator+=(difference_type d) { return at_ = static_cast<std::uint32_t>(at_ + d), *this; }
        iterator& operator-=(difference_type d) { return *this += -d; }
        friend iterator operator+(iterator it, difference_type d) { return it += d; }
        friend iterator operator+(difference_type d, iterator it) { return it += d; }
        friend iterator operator-(iterator it, difference_type d) { return it -= d; }
        friend difference_type operator-(const iterator& a, const iterator& b) {
            return static_cast<difference_type>(a.at_) - static_cast<difference_type>(b.at_);
        }
        friend bool operator==(const iterator& a, const iterator& b) { return a.at_ == b.at_; }
        friend auto operator<=>(const iterator& a, const iterator& b) { return a.at_ <=> b.at_; }

    private:
        friend class RowList;
        iterator(const std::uint32_t* list, std::uint32_t first, std::uint32_t at) : list_(list), first_(first), at_(at) {}
        const std::uint32_t* list_ = nullptr;
        std::uint32_t first_ = 0;
        std::uint32_t at_ = 0;
    };

    RowList() = default;
    static RowList list(const std::uint32_t* rows, std::uint32_t size) { return {rows, 0, size}; }
    static RowList range(std::uint32_t first, std::uint32_t size) { return {nullptr, first, size}; }
    [[nodiscard]] std::size_t size() const { return size_; }
    [[nodiscard]] bool empty() const { return size_ == 0; }
    [[nodiscard]] std::uint32_t operator[](std::size_t i) const { return begin()[static_cast<std::ptrdiff_t>(i)]; }
    [[nodiscard]] std::uint32_t front() const { return (*this)[0]; }
    [[nodiscard]] iterator begin() const { return {list_, first_, 0}; }
    [[nodiscard]] iterator end() const { return {list_, first_, size_}; }

private:
    RowList(const std::uint32_t* list, std::uint32_t first, std::uint32_t size) : list_(list), first_(first), size_(size) {}
    const std::uint32_t* list_ = nullptr;  // null: the rows first_, first_ + 1, …
    std::uint32_t first_ = 0;
    std::uint32_t size_ = 0;
};

/// The tuples of one relation, row-major, deduplicated, with lazily built hash indexes for the
/// column sets that lookups bind.
class Store {
public:
    explicit Store(std::uint32_t arity = 0);
    Store(Store&&) noexcept;
    Store& operator=(Store&&) noexcept;
    ~Store();
    /// A copy, indexes included (copying is explicit: a store can hold millions of tuples).
    [[nodiscard]] Store clone() const;
    /// A store of these rows (arity values each, repeats dropped), taking their memory over.
    /// It has no dedup set until an insert or find needs one (made then in one pass): most
    /// relations of stated facts are only scanned and looked up.
    static Store of_rows(std::uint32_t arity, MappedVector<Value> values, MappedVector<LocationId> locations);

    [[nodiscard]] std::uint32_t arity() const { return arity_; }
    [[nodiscard]] std::size_t size() const;
    [[nodiscard]] std::span<const Value> row(std::size_t i) const;
    [[nodiscard]] LocationId location(std::size_t i) const;
    /// Inserts unless present; returns true when the tuple is new.
    bool insert(std::span<const Value> tuple, LocationId location);
    [[nodiscard]] bool contains(std::span<const Value> tuple) const;
    /// The row number of `tuple`, or SIZE_MAX when absent (a lookup binding every column,
    /// answered by the dedup table without building an index).
    [[nodiscard]] std::size_t find(std::span<const Value> tuple) const;
    /// A hint that lookup(mask, key) comes soon, or with every column in `mask` an insert or
    /// find of `key`: prefetches the table slot it will probe first (an index not built yet
    /// is not built for this).
    void prefetch(std::uint32_t mask, std::span<const Value> key) const;
    /// The second step of that hint, some rows after the first: reads the index slot (which
    /// the first step fetched) and, when its hash bits match the key's, prefetches the first
    /// row of its group and that row's location, which the lookup compares and its caller
    /// reads. A guess: the key is not compared, later slots are not probed.
    void prefetch_rows(std::uint32_t mask, std::span<const Value> key) const;
    /// Row numbers of tuples whose columns in `mask` (bit i = column i) equal `key`'s values in
    /// those columns (other entries of `key` are ignored). Builds the index on first use.
    [[nodiscard]] RowList lookup(std::uint32_t mask, std::span<const Value> key) const;
    /// The columns of `mask` that lookups binding `mask` should look up by; the caller checks
    /// the others row by row. All of them, except in a large store where an index on some of
    /// them (an existing one, or else one column's, the first that qualifies) returns on
    /// average at most `max_rows_per_lookup` rows: then one index serves several column sets
    /// (`member` by body and person, by body and party) instead of one near-unique index
    /// each, which at millions of rows cost hundreds of MB. May build that one column's index,
    /// and drops it again when its lookups would return too many rows.
    [[nodiscard]] std::uint32_t lookup_mask(std::uint32_t mask) const;
    /// One past the largest entity index among the values when every value is an entity (an
    /// array indexed by entity covers them all), else nothing.
    [[nodiscard]] std::optional<std::size_t> entity_bound() const;
    /// For a relation of arity 2, the adjacency lists from `from_column` (0 or 1) to the other,
    /// built on first use and dropped by the next insert; null when a value in it is not an
    /// entity (walks then use lookup).
    [[nodiscard]] const Adjacency* adjacency(std::uint32_t from_column) const;
    static constexpr std::size_t narrowing_rows = 1u << 16;  // below this, every column set its own index
    static constexpr double max_rows_per_lookup = 16;

private:
    struct Impl;
    std::uint32_t arity_;
    std::unique_ptr<Impl> impl_;
};

struct Database {
    std::vector<Store> relations;  // indexed by RelationId
    /// Per stratum of the program's stratification, whether its rules have run: evaluate
    /// runs them all, evaluate_for those a question needs (evaluate.hpp).
    std::vector<char> strata_done;
    /// Whether evaluate_for walked closures for rules: their derived tuples are right, but may
    /// rest on their rule's location rather than their latest premise's.
    bool walked = false;

    [[nodiscard]] bool complete() const {
        return std::all_of(strata_done.begin(), strata_done.end(), [](char done) { return done != 0; });
    }
};

}  // namespace charter::engine
