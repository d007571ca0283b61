// Interned entity names, strings and integers of one session. Values index into these tables.
#pragma once

#include "mapped_vector.hpp"
#include "prefetch.hpp"
#include "value.hpp"

#include <bit>
#include <cstdint>
#include <cstring>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace charter::engine {

struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

/// The index of each distinct name in a vector of names, by open addressing (linear probing).
/// A slot holds the name's index plus one (0: empty) and a 32-bit tag that the index's owner
/// keeps with the name (Symbols: an entity's kind), and a key: a short name itself (1 to 8
/// bytes without a NUL, zero-padded: such names are equal exactly when their keys are), else
/// the name's 32-bit hash. A lookup of a short name therefore reads one slot and no name, and
/// finds the tag there too; a longer name is compared with the caller's copy only when the
/// hash matches. At a million entities every read of a name or a tag elsewhere was a second
/// cache miss per lookup. The names themselves are stored once, by the caller.
class NameIndex {
public:
    /// The index of `name` in `names` (where names[i] reads as a std::string_view), or `absent`.
    static constexpr std::uint32_t absent = UINT32_MAX;
    /// A tag fits in 31 bits.
    static constexpr std::uint32_t max_tag = (1u << 31) - 1;
    struct Found {
        std::uint32_t index = absent;
        std::uint32_t tag = 0;
    };
    template <typename Names>
    [[nodiscard]] std::uint32_t find(std::string_view name, const Names& names) const {
        return find_hashed(name, hash(name), names).index;
    }
    /// The index and tag of `name`, its hash() already computed.
    template <typename Names>
    [[nodiscard]] Found find_hashed(std::string_view name, std::uint32_t h, const Names& names) const {
        if (slots_.empty()) return {};
        const std::uint64_t key = short_key(name);
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = h & mask;; i = (i + 1) & mask) {
            const Slot& slot = slots_[i];
            if (slot.index_plus_one == 0) return {};
            if (slot.index_plus_one == erased) continue;
            const bool match = key != 0 ? slot.key == key && !slot.long_name()
                                        : slot.long_name() && slot.key == h &&
                                              std::string_view(names[slot.index_plus_one - 1]) == name;
            if (match) return {slot.index_plus_one - 1, slot.tag()};
        }
    }
    /// Asks for the home slot of a name with this hash() to be brought into the cache, for a
    /// lookup some steps later (see Symbols::prefetch_entity).
    void prefetch(std::uint32_t h) const {
        if (!slots_.empty()) engine::prefetch(&slots_[h & (slots_.size() - 1)]);
    }
    /// The index that the home slot of a long name with this hash() holds, if that slot holds
    /// a long name with this hash, else absent: a guess (the name is not compared, later slots
    /// are not probed), for a read-ahead of the name a lookup will compare.
    [[nodiscard]] std::uint32_t guess(std::uint32_t h) const {
        if (slots_.empty()) return absent;
        const Slot& slot = slots_[h & (slots_.size() - 1)];
        return slot.long_name() && slot.key == h && slot.index_plus_one != 0 && slot.index_plus_one != erased
                   ? slot.index_plus_one - 1
                   : absent;
    }
    /// Records that `names[index]` (not yet in the index) is `name`, with tag 0.
    void insert(std::string_view name, std::uint32_t index) { insert_hashed(name, hash(name), index); }
    /// The same with the name's hash() already computed, and a tag (at most max_tag).
    void insert_hashed(std::string_view name, std::uint32_t hash, std::uint32_t index, std::uint32_t tag = 0);
    /// Forgets `index`, which has this name (a tombstone keeps the probe chains that pass it).
    void erase(std::string_view name, std::uint32_t index);
    /// The tag kept with `index`, whose name has this hash(); set_tag changes it (at most max_tag).
    [[nodiscard]] std::uint32_t tag(std::uint32_t h, std::uint32_t index) const;
    void set_tag(std::uint32_t h, std::uint32_t index, std::uint32_t tag);
    /// Sets every tag to 0.
    void clear_tags();

    /// 32 bits of the name's hash: its home slot and, for a long name, a cheap filter before
    /// comparing names. A multiply-mix over 8 bytes at a time: names are short and hashed once
    /// per cell of a data file, where std::hash (murmur, byte tails) cost about twice as much.
    static std::uint32_t hash(std::string_view name) {
        std::uint64_t h = seed ^ name.size();
        const char* at = name.data();
        std::size_t left = name.size();
        for (; left > 8; left -= 8, at += 8) h = mix(h, load(at, 8));
        if (left > 0) h = mix(h, load_tail(at, left));
        return finish(h);
    }
    /// A name of 1 to 8 bytes without a NUL byte as one word, its bytes in order from the lowest
    /// and zeros above; 0 for every other name.
    static std::uint64_t short_key(std::string_view name) {
        if (name.empty() || name.size() > 8) return 0;
        const std::size_t n = name.size();
        const std::uint64_t word = n >= 4 ? load(name.data(), 4) | load(name.data() + n - 4, 4) << (8 * (n - 4))
                                          : load_tail(name.data(), n) & spread(n);
        // Any zero byte among the name's n (the bytes above are made nonzero for the test).
        const std::uint64_t filled = word | ~spread(n);
        const bool has_nul = ((filled - 0x0101010101010101ull) & ~filled & 0x8080808080808080ull) != 0;
        return has_nul ? 0 : word;
    }

private:
    static std::uint64_t load(const char* at, std::size_t bytes) {
        std::uint64_t word = 0;
        std::memcpy(&word, at, bytes);
        return word;
    }
    /// The last 1 to 8 bytes of a name as one word, read with loads of fixed size (which may
    /// overlap) straight into registers. Copying a variable number of bytes into a word on the
    /// stack made the next read of the word wait for every store before it to reach the cache,
    /// among them the loader's write of a new name to a line not yet in the cache (perf: most of
    /// Symbols::find_entity's own time at a million entities).
    static std::uint64_t load_tail(const char* at, std::size_t bytes) {
        if (bytes >= 4) return load(at, 4) | load(at + bytes - 4, 4) << 32;
        return std::uint64_t{static_cast<unsigned char>(at[0])} | std::uint64_t{static_cast<unsigned char>(at[bytes / 2])} << 8 |
               std::uint64_t{static_cast<unsigned char>(at[bytes - 1])} << 16;
    }
    /// Ones in the lowest n bytes (1 ≤ n ≤ 8).
    static std::uint64_t spread(std::size_t n) { return n == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * n)) - 1; }
    static constexpr std::uint64_t seed = 0x9E3779B97F4A7C15ull;
    static std::uint64_t mix(std::uint64_t h, std::uint64_t word) {
        h = (h ^ word) * 0xBF58476D1CE4E5B9ull;
        return h ^ (h >> 31);
    }
    static std::uint32_t finish(std::uint64_t h) {
        h *= 0x94D049BB133111EBull;
        return static_cast<std::uint32_t>(h ^ (h >> 32));
    }
    /// The hash() of the short name a key holds, from the key alone (growing reads no name):
    /// the word load_tail would read, taken from the key's bytes.
    static std::uint32_t hash_of_key(std::uint64_t key) {
        const std::size_t n = (64 - static_cast<std::size_t>(std::countl_zero(key)) + 7) / 8;
        auto byte = [key](std::size_t i) { return (key >> (8 * i)) & 0xFF; };
        const std::uint64_t word = n >= 4 ? (key & 0xFFFFFFFF) | ((key >> (8 * (n - 4))) & 0xFFFFFFFF) << 32
                                          : byte(0) | byte(n / 2) << 8 | byte(n - 1) << 16;
        return finish(mix(seed ^ n, word));
    }
    struct Slot {
        std::uint64_t key = 0;             // the short name, or the long name's hash
        std::uint32_t index_plus_one = 0;  // 0: empty; erased: a tombstone
        std::uint32_t tag_bits = 0;        // the tag, and long_bit for a long name
        [[nodiscard]] bool long_name() const { return (tag_bits & long_bit) != 0; }
        [[nodiscard]] std::uint32_t tag() const { return tag_bits & ~long_bit; }
        [[nodiscard]] std::uint32_t home_hash() const {
            return long_name() ? static_cast<std::uint32_t>(key) : hash_of_key(key);
        }
    };
    static_assert(sizeof(Slot) == 16);
    static constexpr std::uint32_t long_bit = 1u << 31;
    static constexpr std::uint32_t erased = UINT32_MAX;  // index_plus_one of a tombstone
    // A power of two in size, at most half full (tombstones count): a name not in the index
    // (every new entity of a data file) is looked up before it is added, and linear probing
    // reads ~8 slots to miss at 3/4 full, ~2.5 at 1/2.
    MappedVector<Slot, Pages::huge> slots_;
    std::size_t count_ = 0;
    void grow(std::size_t capacity);
    [[nodiscard]] std::size_t slot_of(std::uint32_t h, std::uint32_t index) const;
};

/// The names of the entities, by index. A record is 16 bytes, one quarter of a cache line: a
/// name of up to 15 bytes lies inside it, a longer one in a list of its own (where a
/// std::string costs 32 bytes, and a heap block past 15).
class EntityNames {
public:
    [[nodiscard]] std::size_t size() const { return records_.size(); }
    [[nodiscard]] std::string_view operator[](std::size_t i) const {
        const Record& r = records_[i];
        if (r.short_size != long_name) return {r.bytes, r.short_size};
        std::uint32_t k = 0;
        std::memcpy(&k, r.bytes, sizeof k);
        return long_names_[k];
    }
    void push_back(std::string_view name);
    /// The record of name i, for a prefetch.
    [[nodiscard]] const void* address(std::size_t i) const { return &records_[i]; }

private:
    static constexpr std::uint8_t max_short = 15;
    static constexpr std::uint8_t long_name = 0xFF;
    struct Record {
        char bytes[max_short];     // a short name; else the index of a long one in long_names_
        std::uint8_t short_size;   // a short name's length, or long_name
    };
    static_assert(sizeof(Record) == 16);
    MappedVector<Record> records_;
    std::deque<std::string> long_names_;  // a deque: a view of a name stays valid as it grows
};

class Symbols {
public:
    Symbols();

    Value entity(std::string_view name);   // interns
    /// Interns a name that find_entity just did not find (a data file's new entity), without
    /// looking for it again; `hash` is its NameIndex::hash, `tag` its entity_tag.
    Value new_entity(std::string_view name, std::uint32_t hash, std::uint32_t tag = 0);
    Value string(std::string_view text);   // interns
    Value integer(std::int64_t n);         // interns

    /// Read-ahead for find_entity, in two steps some lookups apart, for a caller that knows the
    /// names it will look up (a data file's loader): the first brings the slot of a name with
    /// this NameIndex::hash into the cache, the second, for a long name, the name that slot
    /// points at. The second returns the index of the entity it guesses the name to be
    /// (NameIndex::guess), or NameIndex::absent. At a million entities the index does not fit
    /// the caches, and a lookup waits for memory unless it was asked for early.
    void prefetch_entity(std::uint32_t hash) const { entity_index_.prefetch(hash); }
    std::uint32_t prefetch_entity_name(std::uint32_t hash) const {
        const std::uint32_t guess = entity_index_.guess(hash);
        if (guess != NameIndex::absent) engine::prefetch(entity_names_.address(guess));
        return guess;
    }
    /// The entity of this name if it was ever interned, else none.
    [[nodiscard]] Value find_entity(std::string_view name) const { return find_entity(name, NameIndex::hash(name)).entity; }
    /// The same with the name's NameIndex::hash already computed (a loader needs it twice), and
    /// the entity's tag (see entity_tag), found in the same read.
    struct FoundEntity {
        Value entity;           // none when not found
        std::uint32_t tag = 0;  // 0 when not found
    };
    [[nodiscard]] FoundEntity find_entity(std::string_view name, std::uint32_t hash) const;

    [[nodiscard]] std::string_view entity_name(Value v) const { return entity_names_[v.index()]; }
    [[nodiscard]] std::string_view string_text(Value v) const { return strings_[v.index()]; }
    [[nodiscard]] std::int64_t integer_value(Value v) const { return integers_[v.index()]; }
    [[nodiscard]] std::size_t entity_count() const { return entity_names_.size(); }

    /// A tag of up to 31 bits kept with each entity's name in the index, 0 until set: the
    /// resolver keeps an entity's kind there, so that a data file's cell finds the entity and
    /// its kind in one read. Only the resolver's: it clears them before resolving a model.
    [[nodiscard]] std::uint32_t entity_tag(Value v) const;
    void set_entity_tag(Value v, std::uint32_t tag);
    void clear_entity_tags() { entity_index_.clear_tags(); }

    /// Identifier for entities, the text for strings, decimal for integers, `none`.
    [[nodiscard]] std::string display(Value v) const;
    /// Total order used to sort answers: none < integers (numeric) < strings < entities (bytes).
    [[nodiscard]] bool less(Value a, Value b) const;

private:
    EntityNames entity_names_;  // read at random by every lookup
    NameIndex entity_index_;
    std::vector<std::string> strings_;
    NameIndex string_index_;
    std::vector<std::int64_t> integers_;
    std::unordered_map<std::int64_t, std::uint32_t> integer_index_;
};

}  // namespace charter::engine
