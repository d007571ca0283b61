// The tuples of one relation (database.hpp): row-major values, an open-addressing set of row
// numbers for deduplication, and one hash index per column mask, built on first lookup and
// kept current by every later insert; for a binary relation of entities, adjacency lists for
// walks, built on first walk and dropped by the next insert.
#include "database.hpp"
#include "prefetch.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <optional>

namespace charter::engine {

namespace {

// Murmur3's 64-bit finaliser: the per-value combine below is cheap, this makes it avalanche.
constexpr std::uint64_t finish_hash(std::uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

constexpr std::uint64_t combine(std::uint64_t h, Value v) {
    return (h ^ v.bits) * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL;
}

// A slot of an open-addressing table: the 32-bit hash above, the entry number + 1 below; 0 is
// empty. Keeping the hash in the slot makes probing and growing cheap (no re-hashing rows).
using Slot = std::uint64_t;
constexpr Slot make_slot(std::uint32_t hash, std::uint32_t entry) {
    return (static_cast<Slot>(hash) << 32) | (static_cast<Slot>(entry) + 1);
}
constexpr std::uint32_t slot_hash(Slot s) { return static_cast<std::uint32_t>(s >> 32); }
constexpr std::uint32_t slot_entry(Slot s) { return static_cast<std::uint32_t>(s) - 1; }

// Doubles `slots` (or creates it, or makes it at least `least` slots) and re-places every entry
// by its stored hash. Strong exception guarantee: the table changes only once the new one is
// complete.
void grow(std::vector<Slot>& slots, std::size_t least = 0) {
    std::vector<Slot> bigger(std::max(slots.empty() ? 16 : slots.size() * 2, std::bit_ceil(least)), 0);
    const std::size_t mask = bigger.size() - 1;
    for (Slot s : slots) {
        if (s == 0) continue;
        std::size_t i = slot_hash(s) & mask;
        while (bigger[i] != 0) i = (i + 1) & mask;
        bigger[i] = s;
    }
    slots.swap(bigger);
}

// Visits rows 0 … n-1 in order as visit(row, hash(row)), having computed each row's hash
// `ahead` rows earlier and asked for the table slot `slot_of(hash)` then: a loop of lookups
// into a table larger than the caches would otherwise wait for memory at every row. The rows
// ahead must not change before they are visited; the table may (the slot is only a hint).
template <typename Hash, typename SlotOf, typename Visit>
void with_read_ahead(std::size_t n, Hash&& hash, SlotOf&& slot_of, Visit&& visit) {
    constexpr std::size_t ahead = 16;
    std::array<std::uint32_t, ahead> hashes{};
    auto ask = [&](std::size_t r) {
        hashes[r % ahead] = hash(r);
        engine::prefetch(slot_of(hashes[r % ahead]));
    };
    for (std::size_t r = 0; r < n && r < ahead; ++r) ask(r);
    for (std::size_t r = 0; r < n; ++r) {
        const std::uint32_t h = hashes[r % ahead];
        if (r + ahead < n) ask(r + ahead);
        visit(r, h);
    }
}

}  // namespace

/// Rows with equal values in the mask's columns, in insertion (so ascending row) order. The
/// open-addressing bucket of a group holds its first row, so a group of one (common: keys that
/// are nearly unique) needs no more memory and one cache miss less. So does a group of rows
/// that follow one another (common too: a data file lists one subject after another); its
/// bucket's offset is 0. Another group's rows are contiguous in `pool`, after a word holding
/// its capacity; a full group moves to the end of the pool with twice the room, so appends are
/// amortised O(1) and at most half the pool is slack.
struct Index {
    struct Bucket {
        std::uint32_t hash = 0;
        std::uint32_t first_row = 0;  // holds the group's key
        std::uint32_t offset = 0;     // in pool, or 0: the rows first_row, first_row + 1, …
        std::uint32_t size = 0;       // 0: an empty bucket
        [[nodiscard]] RowList rows(const std::vector<std::uint32_t>& pool) const {
            return offset == 0 ? RowList::range(first_row, size) : RowList::list(pool.data() + offset, size);
        }
    };
    std::uint32_t mask = 0;
    std::vector<std::uint32_t> columns;
    std::vector<Bucket> buckets;
    std::size_t groups = 0;
    std::vector<std::uint32_t> pool;
    // The rows a lookup of a stored row's key returns, on average over the rows (the sum of
    // the squared group sizes over the rows), as built: what narrowing a lookup to this index
    // would cost (Store::lookup_mask).
    double rows_per_lookup = 0;

    void grow() {
        std::vector<Bucket> bigger(buckets.empty() ? 16 : buckets.size() * 2, Bucket{});
        const std::size_t wrap = bigger.size() - 1;
        for (const Bucket& b : buckets) {
            if (b.size == 0) continue;
            std::size_t i = b.hash & wrap;
            while (bigger[i].size != 0) i = (i + 1) & wrap;
            bigger[i] = b;
        }
        buckets.swap(bigger);
    }
    /// Room for the rows of a group of `size`, with capacity `size`; the offset of its rows.
    std::uint32_t allocate(std::uint32_t size) {
        pool.push_back(size);
        const auto offset = static_cast<std::uint32_t>(pool.size());
        pool.resize(pool.size() + size);
        return offset;
    }
};

struct Store::Impl {
    std::uint32_t arity = 0;
    MappedVector<Value> values;
    MappedVector<LocationId> locations;
    std::vector<Slot> slots;  // the dedup set over row numbers
    std::vector<Index> indexes;
    /// The index on these columns, if built (one per mask).
    [[nodiscard]] const Index* index_on(std::uint32_t mask) const {
        for (const Index& index : indexes)
            if (index.mask == mask) return &index;
        return nullptr;
    }
    std::uint32_t spread_columns = 0;  // single columns whose index returned too many rows per lookup
    // Store::adjacency, per from-column; `tried` once built or found not to be all entities.
    std::array<std::optional<Adjacency>, 2> adjacency;
    std::array<bool, 2> adjacency_tried{false, false};
    void forget_adjacency() {
        adjacency = {};
        adjacency_tried = {false, false};
    }

    [[nodiscard]] std::size_t size() const { return locations.size(); }
    [[nodiscard]] const Value* row(std::size_t i) const { return values.data() + i * arity; }

    /// The dedup set, made on first need after of_rows (the rows are distinct already).
    void ensure_slots() {
        if (!slots.empty() || size() == 0) return;
        grow(slots, (size() + 1) * 2);
        const std::size_t mask = slots.size() - 1;
        for (std::size_t r = 0; r < size(); ++r) {
            const std::uint32_t hash = hash_row(row(r));
            std::size_t i = hash & mask;
            while (slots[i] != 0) i = (i + 1) & mask;
            slots[i] = make_slot(hash, static_cast<std::uint32_t>(r));
        }
    }

    [[nodiscard]] std::uint32_t hash_row(const Value* v) const {
        std::uint64_t h = arity;
        for (std::uint32_t c = 0; c < arity; ++c) h = combine(h, v[c]);
        return static_cast<std::uint32_t>(finish_hash(h));
    }
    [[nodiscard]] bool same_row(const Value* a, const Value* b) const {
        return std::equal(a, a + arity, b);
    }

    // The position in `table` (the dedup set, or a set of of_rows' kept rows) of the slot
    // holding this tuple's row, or of the empty slot where it would go.
    [[nodiscard]] std::size_t probe(const std::vector<Slot>& table, const Value* tuple, std::uint32_t hash) const {
        const std::size_t mask = table.size() - 1;
        std::size_t i = hash & mask;
        while (table[i] != 0) {
            if (slot_hash(table[i]) == hash && same_row(row(slot_entry(table[i])), tuple)) break;
            i = (i + 1) & mask;
        }
        return i;
    }
    [[nodiscard]] std::size_t probe(const Value* tuple, std::uint32_t hash) const { return probe(slots, tuple, hash); }

    static std::uint32_t hash_key(const Index& index, const Value* key) {
        std::uint64_t h = index.mask;
        for (std::uint32_t c : index.columns) h = combine(h, key[c]);
        return static_cast<std::uint32_t>(finish_hash(h));
    }
    [[nodiscard]] bool same_key(const Index& index, const Value* row_values,
                                const Value* key) const {
        for (std::uint32_t c : index.columns)
            if (row_values[c] != key[c]) return false;
        return true;
    }
    // The bucket of the group whose key equals `key`'s projection, or the empty one where it
    // would go.
    [[nodiscard]] std::size_t probe_key(const Index& index, const Value* key,
                                        std::uint32_t hash) const {
        const std::size_t wrap = index.buckets.size() - 1;
        std::size_t i = hash & wrap;
        while (index.buckets[i].size != 0) {
            const Index::Bucket& b = index.buckets[i];
            if (b.hash == hash && same_key(index, row(b.first_row), key)) break;
            i = (i + 1) & wrap;
        }
        return i;
    }

    void add_to_index(Index& index, std::uint32_t row_number) {
        const Value* key = row(row_number);
        const std::uint32_t hash = hash_key(index, key);
        if ((index.groups + 1) * 2 > index.buckets.size()) index.grow();
        Index::Bucket& b = index.buckets[probe_key(index, key, hash)];
        if (b.size == 0) {
            b = {hash, row_number, 0, 1};
            ++index.groups;
            return;
        }
        if (b.offset == 0) {
            if (row_number == b.first_row + b.size) {  // still one row after another
                ++b.size;
                return;
            }
            b.offset = index.allocate(2 * b.size);
            for (std::uint32_t i = 0; i < b.size; ++i) index.pool[b.offset + i] = b.first_row + i;
        } else if (const std::uint32_t capacity = index.pool[b.offset - 1]; b.size == capacity) {
            if (b.offset + capacity == index.pool.size()) {
                index.pool.resize(index.pool.size() + capacity);  // the last group grows in place
                index.pool[b.offset - 1] = capacity * 2;
            } else {
                const std::uint32_t offset = index.allocate(capacity * 2);
                std::copy_n(index.pool.begin() + b.offset, b.size, index.pool.begin() + offset);
                b.offset = offset;
            }
        }
        index.pool[b.offset + b.size++] = row_number;
    }

    // of_rows' ways of dropping repeated rows among rows [0, n), in place, each keeping the
    // first of equal rows and returning how many it kept; keep_row moves row r to `kept`,
    // keep_if_new does so unless `seen` (the kept rows' slots) has the row already.
    std::size_t drop_repeats_in_runs(std::size_t n);
    std::size_t drop_repeats_hashed(std::size_t n);
    std::size_t keep_row(std::size_t r, std::size_t kept);
    std::size_t keep_if_new(std::vector<Slot>& seen, std::size_t r, std::uint32_t hash, std::size_t kept);

    // Builds the index in passes so that every group starts exactly sized and contiguous.
    Index& build_index(std::uint32_t mask) {
        Index index;
        index.mask = mask;
        for (std::uint32_t c = 0; c < arity && c < 32; ++c)
            if (mask & (1u << c)) index.columns.push_back(c);
        const std::size_t n = size();
        // Growing from 16 re-placed every group about log2(n) times; from n/4 at most three
        // times, and a key of few distinct values wastes at most n/4 buckets.
        index.buckets.assign(std::max<std::size_t>(16, std::bit_ceil(n / 4 + 1)), Index::Bucket{});
        // Each row's group by number (in order of first appearance), kept in the bucket's
        // `offset` until the pool is laid out, with a bit for a group whose rows do not follow
        // one another.
        constexpr std::uint32_t scattered = 1u << 31;
        std::vector<std::uint32_t> group_of(n);
        with_read_ahead(
            n, [&](std::size_t r) { return hash_key(index, row(r)); },
            [&](std::uint32_t hash) { return &index.buckets[hash & (index.buckets.size() - 1)]; },
            [&](std::size_t r, std::uint32_t hash) {
                if ((index.groups + 1) * 2 > index.buckets.size()) index.grow();
                Index::Bucket& b = index.buckets[probe_key(index, row(r), hash)];
                if (b.size == 0) b = {hash, static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(index.groups++), 0};
                else if (r != b.first_row + b.size) b.offset |= scattered;
                ++b.size;
                group_of[r] = b.offset & ~scattered;
            });
        // The pool, for the scattered groups only, reserved at once (no doubling); then per
        // such group where its next row goes (0: none).
        std::size_t pool_size = 0;
        double squares = 0;
        for (const Index::Bucket& b : index.buckets) {
            squares += static_cast<double>(b.size) * b.size;
            if ((b.offset & scattered) != 0) pool_size += 1 + b.size;
        }
        index.pool.reserve(pool_size);
        std::vector<std::uint32_t> cursor(pool_size == 0 ? 0 : index.groups, 0);
        for (Index::Bucket& b : index.buckets) {
            const bool is_scattered = (b.offset & scattered) != 0;
            const std::uint32_t group = b.offset & ~scattered;
            b.offset = 0;
            if (is_scattered) cursor[group] = b.offset = index.allocate(b.size);
        }
        if (pool_size > 0)
            for (std::size_t r = 0; r < n; ++r)
                if (std::uint32_t& at = cursor[group_of[r]]; at != 0) index.pool[at++] = static_cast<std::uint32_t>(r);
        index.rows_per_lookup = n == 0 ? 0 : squares / static_cast<double>(n);
        indexes.push_back(std::move(index));
        return indexes.back();
    }
};

Store::Store(std::uint32_t arity) : arity_(arity), impl_(std::make_unique<Impl>()) {
    impl_->arity = arity;
}
Store::Store(Store&&) noexcept = default;

namespace {

// Whether equal values in column 0 of rows [0, n) lie in runs (no value comes back after a
// different one), checked with a bit per value seen, by tag and index. Data files are most
// often written one subject after another, and the kind facts of a file's entities are
// added one entity after another.
bool first_column_in_runs(const Value* values, std::uint32_t arity, std::size_t n) {
    std::array<std::vector<std::uint64_t>, 4> seen;  // by ValueTag
    for (std::size_t r = 0; r < n; ++r) {
        const Value v = values[r * arity];
        if (r > 0 && v == values[(r - 1) * arity]) continue;
        std::vector<std::uint64_t>& bits = seen[static_cast<std::size_t>(v.tag())];
        const std::size_t word = v.index() / 64;
        if (word >= bits.size()) bits.resize(std::max(word + 1, bits.size() * 2), 0);
        const std::uint64_t bit = std::uint64_t{1} << (v.index() % 64);
        if ((bits[word] & bit) != 0) return false;
        bits[word] |= bit;
    }
    return true;
}

}  // namespace

std::size_t Store::Impl::keep_row(std::size_t r, std::size_t kept) {
    if (kept != r) {
        std::copy_n(row(r), arity, values.begin() + static_cast<std::ptrdiff_t>(kept * arity));
        locations[kept] = locations[r];
    }
    return kept + 1;
}

std::size_t Store::Impl::drop_repeats_in_runs(std::size_t n) {
    // A repeat lies in its first's run: each run is checked alone, a short one row against row,
    // a longer one with a table for its rows only, so that nothing is read at random from a
    // table as large as the relation (docs/performance.md, change 21).
    constexpr std::size_t short_run = 16;
    std::vector<Slot> seen;
    std::size_t kept = 0;
    for (std::size_t begin = 0, end = 0; begin < n; begin = end) {
        for (end = begin + 1; end < n && row(end)[0] == row(begin)[0];) ++end;
        const std::size_t first_kept = kept;
        if (end - begin <= short_run) {
            for (std::size_t r = begin; r < end; ++r) {
                bool repeat = false;
                for (std::size_t k = first_kept; k < kept && !repeat; ++k) repeat = same_row(row(k), row(r));
                if (!repeat) kept = keep_row(r, kept);
            }
            continue;
        }
        seen.assign(std::bit_ceil(2 * (end - begin)), 0);
        for (std::size_t r = begin; r < end; ++r) kept = keep_if_new(seen, r, hash_row(row(r)), kept);
    }
    return kept;
}

std::size_t Store::Impl::keep_if_new(std::vector<Slot>& seen, std::size_t r, std::uint32_t hash, std::size_t kept) {
    Slot& slot = seen[probe(seen, row(r), hash)];
    if (slot != 0) return kept;  // a repeat
    slot = make_slot(hash, static_cast<std::uint32_t>(kept));
    return keep_row(r, kept);
}

std::size_t Store::Impl::drop_repeats_hashed(std::size_t n) {
    // A set of the kept rows' numbers over all rows.
    std::vector<Slot> seen;
    grow(seen, (n + 1) * 2);
    const std::size_t mask = seen.size() - 1;
    std::size_t kept = 0;
    // Rows ahead are read before they move: a row only moves back, to `kept` ≤ its number.
    with_read_ahead(
        n, [&](std::size_t r) { return hash_row(row(r)); }, [&](std::uint32_t hash) { return &seen[hash & mask]; },
        [&](std::size_t r, std::uint32_t hash) { kept = keep_if_new(seen, r, hash, kept); });
    return kept;
}

Store Store::of_rows(std::uint32_t arity, MappedVector<Value> values, MappedVector<LocationId> locations) {
    Store store(arity);
    Impl& s = *store.impl_;
    const std::size_t n = std::min(locations.size(), arity == 0 ? 1 : values.size() / arity);
    s.values = std::move(values);
    s.locations = std::move(locations);
    // Drop repeated rows in place, keeping each one's first.
    const std::size_t kept = arity > 0 && first_column_in_runs(s.values.data(), arity, n) ? s.drop_repeats_in_runs(n)
                                                                                           : s.drop_repeats_hashed(n);
    s.values.resize(kept * arity);
    s.locations.resize(kept);
    return store;
}

Store Store::clone() const {
    Store copy(arity_);
    *copy.impl_ = *impl_;
    return copy;
}
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

std::size_t Store::size() const { return impl_ ? impl_->size() : 0; }

std::span<const Value> Store::row(std::size_t i) const { return {impl_->row(i), arity_}; }

LocationId Store::location(std::size_t i) const { return impl_->locations[i]; }

bool Store::insert(std::span<const Value> tuple, LocationId location) {
    Impl& s = *impl_;
    if (tuple.size() != arity_) return false;
    if (arity_ > 0 && tuple.data() >= s.values.data() &&
        tuple.data() < s.values.data() + s.values.size()) {
        const std::vector<Value> copy(tuple.begin(), tuple.end());  // one of our own rows
        return insert(copy, location);
    }
    const std::uint32_t hash = s.hash_row(tuple.data());
    s.ensure_slots();
    if ((s.size() + 1) * 2 > s.slots.size()) grow(s.slots);
    const std::size_t at = s.probe(tuple.data(), hash);
    if (s.slots[at] != 0) return false;
    const auto row_number = static_cast<std::uint32_t>(s.size());
    // Allocate first, so that running out of memory leaves the store as it was.
    s.values.insert(s.values.end(), tuple.begin(), tuple.end());
    try {
        s.locations.push_back(location);
    } catch (...) {
        s.values.resize(s.values.size() - arity_);
        throw;
    }
    s.slots[at] = make_slot(hash, row_number);
    s.forget_adjacency();
    for (std::size_t i = 0; i < s.indexes.size(); ++i) {
        try {
            s.add_to_index(s.indexes[i], row_number);
        } catch (...) {
            // Indexes are built on demand: dropping the half-updated ones keeps lookups right.
            s.indexes.erase(s.indexes.begin() + static_cast<std::ptrdiff_t>(i),
                            s.indexes.end());
            throw;
        }
    }
    return true;
}

bool Store::contains(std::span<const Value> tuple) const { return find(tuple) != SIZE_MAX; }

std::size_t Store::find(std::span<const Value> tuple) const {
    Impl& s = *impl_;
    s.ensure_slots();
    if (tuple.size() != arity_ || s.slots.empty()) return SIZE_MAX;
    const Slot slot = s.slots[s.probe(tuple.data(), s.hash_row(tuple.data()))];
    return slot == 0 ? SIZE_MAX : slot_entry(slot);
}

void Store::prefetch(std::uint32_t mask, std::span<const Value> key) const {
    const Impl& s = *impl_;
    if (key.size() != arity_) return;
    const std::uint32_t all = arity_ >= 32 ? ~0u : (1u << arity_) - 1;
    mask &= all;
    if (mask == all && arity_ <= 32) {
        if (!s.slots.empty())
            engine::prefetch(&s.slots[s.hash_row(key.data()) & (s.slots.size() - 1)]);
        return;
    }
    if (const Index* index = s.index_on(mask); index != nullptr && !index->buckets.empty())
        engine::prefetch(&index->buckets[Impl::hash_key(*index, key.data()) & (index->buckets.size() - 1)]);
}

void Store::prefetch_rows(std::uint32_t mask, std::span<const Value> key) const {
    const Impl& s = *impl_;
    if (key.size() != arity_ || arity_ > 32) return;
    mask &= arity_ == 32 ? ~0u : (1u << arity_) - 1;
    const Index* index = s.index_on(mask);
    if (index == nullptr || index->buckets.empty()) return;
    const std::uint32_t hash = Impl::hash_key(*index, key.data());
    const Index::Bucket& b = index->buckets[hash & (index->buckets.size() - 1)];
    if (b.size == 0 || b.hash != hash) return;
    engine::prefetch(s.row(b.first_row));
    engine::prefetch(&s.locations[b.first_row]);
    if (b.offset != 0) engine::prefetch(&index->pool[b.offset]);
}

RowList Store::lookup(std::uint32_t mask, std::span<const Value> key) const {
    Impl& s = *impl_;
    if (arity_ < 32) mask &= (1u << arity_) - 1;
    if (s.size() == 0) return {};
    const Index* index = s.index_on(mask);
    if (index == nullptr) index = &s.build_index(mask);
    if (key.size() < arity_) return {};  // a key must cover the row (unmasked entries ignored)
    const Index::Bucket& b =
        index->buckets[s.probe_key(*index, key.data(), Impl::hash_key(*index, key.data()))];
    return b.rows(index->pool);
}

std::optional<std::size_t> Store::entity_bound() const {
    std::size_t bound = 0;
    for (const Value v : impl_->values) {
        if (!v.is_entity()) return std::nullopt;
        bound = std::max<std::size_t>(bound, std::size_t{v.index()} + 1);
    }
    return bound;
}

const Adjacency* Store::adjacency(std::uint32_t from_column) const {
    Impl& s = *impl_;
    if (arity_ != 2 || from_column > 1) return nullptr;
    if (s.adjacency_tried[from_column]) return s.adjacency[from_column] ? &*s.adjacency[from_column] : nullptr;
    s.adjacency_tried[from_column] = true;
    const std::optional<std::size_t> bound = entity_bound();
    if (!bound) return nullptr;
    // A counting sort of the rows by their from-entity: sizes, starts, then the targets.
    Adjacency a;
    a.offsets.assign(*bound + 1, 0);
    const std::size_t n = s.size();
    for (std::size_t r = 0; r < n; ++r) ++a.offsets[s.row(r)[from_column].index() + 1];
    for (std::size_t i = 1; i < a.offsets.size(); ++i) a.offsets[i] += a.offsets[i - 1];
    std::vector<std::uint32_t> next(a.offsets.begin(), a.offsets.end() - 1);
    a.targets.resize(n);
    for (std::size_t r = 0; r < n; ++r) a.targets[next[s.row(r)[from_column].index()]++] = s.row(r)[1 - from_column];
    s.adjacency[from_column] = std::move(a);
    return &*s.adjacency[from_column];
}

std::uint32_t Store::lookup_mask(std::uint32_t mask) const {
    Impl& s = *impl_;
    if (arity_ < 32) mask &= (1u << arity_) - 1;
    if (s.size() < narrowing_rows || std::popcount(mask) < 2) return mask;
    const Index* best = nullptr;
    for (const Index& index : s.indexes) {
        if (index.mask == mask) return mask;
        if ((index.mask & ~mask) == 0 && index.rows_per_lookup <= max_rows_per_lookup &&
            (best == nullptr || index.rows_per_lookup < best->rows_per_lookup))
            best = &index;
    }
    if (best != nullptr) return best->mask;
    for (std::uint32_t column = 0; column < 32 && column < arity_; ++column) {
        const std::uint32_t single = 1u << column;
        if ((mask & single) == 0 || (s.spread_columns & single) != 0 ||
            s.index_on(single) != nullptr)
            continue;  // not asked for, or found wanting above
        if (s.build_index(single).rows_per_lookup <= max_rows_per_lookup) return single;
        s.indexes.pop_back();  // too many rows per lookup: not worth its memory
        s.spread_columns |= single;
    }
    return mask;
}

}  // namespace charter::engine
