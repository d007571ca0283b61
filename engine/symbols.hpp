// Interned entity names, strings and integers of one session. Values index into these tables.
#pragma once

#include "huge_pages.hpp"
#include "prefetch.hpp"
#include "value.hpp"

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

/// The index of each distinct name in a vector of names, by open addressing (linear probing):
/// a slot is the name's index plus one (0: empty) beside 32 bits of its hash, so a probe
/// rarely reads a name it does not match and the names themselves are stored once, by the
/// caller. Large data files intern millions of entity names; a node-based map cost a malloc
/// and a second copy of the name for each.
class NameIndex {
public:
    /// The index of `name` in `names` (where names[i] reads as a std::string_view), or `absent`.
    static constexpr std::uint32_t absent = UINT32_MAX;
    template <typename Names>
    [[nodiscard]] std::uint32_t find(std::string_view name, const Names& names) const {
        return find_hashed(name, hash(name), names);
    }
    /// The same with the name's hash() already computed.
    template <typename Names>
    [[nodiscard]] std::uint32_t find_hashed(std::string_view name, std::uint32_t h, const Names& names) const {
        if (slots_.empty()) return absent;
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = h & mask;; i = (i + 1) & mask) {
            const Slot& slot = slots_[i];
            if (slot.index_plus_one == 0) return absent;
            if (slot.hash == h && slot.index_plus_one != erased && std::string_view(names[slot.index_plus_one - 1]) == name)
                return slot.index_plus_one - 1;
        }
    }
    /// Asks for the home slot of a name with this hash() to be brought into the cache, for a
    /// lookup some steps later (see Symbols::prefetch_entity).
    void prefetch(std::uint32_t h) const {
        if (!slots_.empty()) engine::prefetch(&slots_[h & (slots_.size() - 1)]);
    }
    /// The index that the home slot of a name with this hash() holds, if that slot's hash bits
    /// match, else absent: a guess (the name is not compared, later slots are not probed).
    [[nodiscard]] std::uint32_t guess(std::uint32_t h) const {
        if (slots_.empty()) return absent;
        const Slot& slot = slots_[h & (slots_.size() - 1)];
        return slot.hash == h && slot.index_plus_one != 0 && slot.index_plus_one != erased ? slot.index_plus_one - 1 : absent;
    }
    /// Records that `names[index]` (not yet in the index) has this name.
    void insert(std::string_view name, std::uint32_t index) { insert_hashed(hash(name), index); }
    /// The same with the name's hash() already computed.
    void insert_hashed(std::uint32_t hash, std::uint32_t index);
    /// Forgets `index`, which has this name (a tombstone keeps the probe chains that pass it).
    void erase(std::string_view name, std::uint32_t index);
    /// Room for `count` names without growing.
    void reserve(std::size_t count);

    /// 32 bits of the name's hash: its home slot and a cheap filter before comparing names.
    /// A multiply-mix over 8 bytes at a time: names are short and hashed once per cell of a
    /// data file, where std::hash (murmur, byte tails) cost about twice as much.
    static std::uint32_t hash(std::string_view name) {
        std::uint64_t h = 0x9E3779B97F4A7C15ull ^ name.size();
        const char* at = name.data();
        std::size_t left = name.size();
        auto mix = [&h](std::uint64_t word) {
            h = (h ^ word) * 0xBF58476D1CE4E5B9ull;
            h ^= h >> 31;
        };
        for (; left > 8; left -= 8, at += 8) mix(load(at, 8));
        if (left > 0) mix(load_tail(at, left));
        h *= 0x94D049BB133111EBull;
        return static_cast<std::uint32_t>(h ^ (h >> 32));
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
    struct Slot {
        std::uint32_t index_plus_one = 0;
        std::uint32_t hash = 0;
    };
    static constexpr std::uint32_t erased = UINT32_MAX;  // index_plus_one of a tombstone
    // A power of two in size, at most half full (tombstones count): a name not in the index
    // (every new entity of a data file) is looked up before it is added, and linear probing
    // reads ~8 slots to miss at 3/4 full, ~2.5 at 1/2.
    HugePageVector<Slot> slots_;
    std::size_t count_ = 0;
    void grow(std::size_t capacity);
};

/// The names of the entities, by index, each beside a 32-bit tag that the names' user keeps
/// with it (the resolver: the entity's kind). A record is 16 bytes, one quarter of a cache line:
/// a name of up to 11 bytes lies inside it, a longer one in a list of its own. A data file's
/// lookup of a known name then reads one line for the name and its kind together, where a
/// std::string (32 bytes) and a separate array of kinds cost two lines and twice the memory.
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
    [[nodiscard]] std::uint32_t tag(std::size_t i) const { return records_[i].tag; }
    void set_tag(std::size_t i, std::uint32_t tag) { records_[i].tag = tag; }
    /// Sets every tag to 0.
    void clear_tags() {
        for (Record& r : records_) r.tag = 0;
    }
    /// The record of name i, for a prefetch.
    [[nodiscard]] const void* address(std::size_t i) const { return &records_[i]; }

private:
    static constexpr std::uint8_t max_short = 11;
    static constexpr std::uint8_t long_name = 0xFF;
    struct Record {
        char bytes[max_short];     // a short name; else the index of a long one in long_names_
        std::uint8_t short_size;   // a short name's length, or long_name
        std::uint32_t tag;
    };
    static_assert(sizeof(Record) == 16);
    HugePageVector<Record> records_;
    std::deque<std::string> long_names_;  // a deque: a view of a name stays valid as it grows
};

class Symbols {
public:
    Symbols();

    Value entity(std::string_view name);   // interns
    /// Interns a name that find_entity just did not find (a data file's new entity), without
    /// looking for it again; `hash` is its NameIndex::hash.
    Value new_entity(std::string_view name, std::uint32_t hash);
    Value string(std::string_view text);   // interns
    Value integer(std::int64_t n);         // interns

    /// Read-ahead for find_entity, in two steps some lookups apart, for a caller that knows the
    /// names it will look up (a data file's loader): the first brings the slot of a name with
    /// this NameIndex::hash into the cache, the second the name that slot points at. The second
    /// returns the index of the entity it guesses the name to be (NameIndex::guess), or
    /// NameIndex::absent. At a million entities neither the index nor the names fit the
    /// caches, and a lookup waits for memory twice in turn unless both were asked for early.
    void prefetch_entity(std::uint32_t hash) const { entity_index_.prefetch(hash); }
    std::uint32_t prefetch_entity_name(std::uint32_t hash) const {
        const std::uint32_t guess = entity_index_.guess(hash);
        if (guess != NameIndex::absent) engine::prefetch(entity_names_.address(guess));  // the name and its tag
        return guess;
    }
    /// The entity of this name if it was ever interned, else none.
    [[nodiscard]] Value find_entity(std::string_view name) const { return find_entity(name, NameIndex::hash(name)); }
    /// The same with the name's NameIndex::hash already computed (a loader needs it twice).
    [[nodiscard]] Value find_entity(std::string_view name, std::uint32_t hash) const;

    [[nodiscard]] std::string_view entity_name(Value v) const { return entity_names_[v.index()]; }
    [[nodiscard]] std::string_view string_text(Value v) const { return strings_[v.index()]; }
    [[nodiscard]] std::int64_t integer_value(Value v) const { return integers_[v.index()]; }
    [[nodiscard]] std::size_t entity_count() const { return entity_names_.size(); }

    /// A 32-bit tag kept with each entity's name (EntityNames), 0 until set: the resolver keeps
    /// an entity's kind there, so that a data file's cell finds the entity and its kind in one
    /// read. Only the resolver's: it clears them before resolving a model.
    [[nodiscard]] std::uint32_t entity_tag(Value v) const { return entity_names_.tag(v.index()); }
    void set_entity_tag(Value v, std::uint32_t tag) { entity_names_.set_tag(v.index(), tag); }
    void clear_entity_tags() { entity_names_.clear_tags(); }

    /// Identifier for entities, the text for strings, decimal for integers, `none`.
    [[nodiscard]] std::string display(Value v) const;
    /// Total order used to sort answers: none < integers (numeric) < strings < entities (bytes).
    [[nodiscard]] bool less(Value a, Value b) const;

private:
    EntityNames entity_names_;  // read at random by every lookup
    NameIndex entity_index_;
    HugePageVector<std::string> strings_;
    NameIndex string_index_;
    std::vector<std::int64_t> integers_;
    std::unordered_map<std::int64_t, std::uint32_t> integer_index_;
};

}  // namespace charter::engine
