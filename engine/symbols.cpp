// Interning of entity names, strings and integers.
#include "symbols.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>

namespace charter::engine {

void NameIndex::insert_hashed(std::string_view name, std::uint32_t h, std::uint32_t index, std::uint32_t tag) {
    if (tag > max_tag) throw std::length_error("a name's tag is too large");
    if ((count_ + 1) * 2 > slots_.size()) grow(std::max<std::size_t>(16, slots_.size() * 2));
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = h & mask;
    while (slots_[i].index_plus_one != 0) i = (i + 1) & mask;
    const std::uint64_t key = short_key(name);
    slots_[i] = key != 0 ? Slot{key, index + 1, tag} : Slot{h, index + 1, long_bit | tag};
    ++count_;
}

std::size_t NameIndex::slot_of(std::uint32_t h, std::uint32_t index) const {
    if (slots_.empty()) return SIZE_MAX;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask; slots_[i].index_plus_one != 0; i = (i + 1) & mask)
        if (slots_[i].index_plus_one == index + 1) return i;
    return SIZE_MAX;
}

void NameIndex::erase(std::string_view name, std::uint32_t index) {
    if (const std::size_t i = slot_of(hash(name), index); i != SIZE_MAX) slots_[i].index_plus_one = erased;
}

std::uint32_t NameIndex::tag(std::uint32_t h, std::uint32_t index) const {
    const std::size_t i = slot_of(h, index);
    return i == SIZE_MAX ? 0 : slots_[i].tag();
}

void NameIndex::set_tag(std::uint32_t h, std::uint32_t index, std::uint32_t tag) {
    if (tag > max_tag) throw std::length_error("a name's tag is too large");
    if (const std::size_t i = slot_of(h, index); i != SIZE_MAX)
        slots_[i].tag_bits = (slots_[i].tag_bits & long_bit) | tag;
}

void NameIndex::clear_tags() {
    for (Slot& slot : slots_) slot.tag_bits &= long_bit;
}

void NameIndex::grow(std::size_t capacity) {
    // In place: the table is extended (its mapping moves, nothing is copied), then every entry
    // of the old part is placed anew. An entry goes to the first slot from its home that is
    // empty or still holds an entry not yet placed, which it displaces and which is placed
    // next; placed entries never move again, so every probe chain stays whole. A slot's
    // position comes from its key alone (a short name or a long one's hash): growing reads no
    // name. At millions of names, allocating a second table touched the old table's pages
    // twice over, each page first touched costing more than the rehash (docs/performance.md).
    const std::size_t old_size = slots_.size();
    slots_.resize(capacity, Slot{});
    const std::size_t mask = capacity - 1;
    std::vector<std::uint64_t> placed((capacity + 63) / 64, 0);
    auto is_placed = [&](std::size_t i) { return (placed[i / 64] >> (i % 64) & 1) != 0; };
    count_ = 0;
    for (std::size_t p = 0; p < old_size; ++p) {
        if (is_placed(p)) continue;
        Slot entry = slots_[p];
        slots_[p] = Slot{};
        while (entry.index_plus_one != 0 && entry.index_plus_one != erased) {  // tombstones are dropped
            std::size_t i = entry.home_hash() & mask;
            while (is_placed(i)) i = (i + 1) & mask;
            std::swap(entry, slots_[i]);  // `entry` is now what was there: nothing, or one to place
            placed[i / 64] |= std::uint64_t{1} << (i % 64);
            ++count_;
        }
    }
}

void EntityNames::push_back(std::string_view name) {
    Record r{};
    if (name.size() <= max_short) {
        std::memcpy(r.bytes, name.data(), name.size());
        r.short_size = static_cast<std::uint8_t>(name.size());
    } else {
        const auto k = static_cast<std::uint32_t>(long_names_.size());
        long_names_.emplace_back(name);
        std::memcpy(r.bytes, &k, sizeof k);
        r.short_size = long_name;
    }
    records_.push_back(r);
}

namespace {
void append(std::vector<std::string>& names, std::string_view name) { names.emplace_back(name); }
void append(EntityNames& names, std::string_view name) { names.push_back(name); }

// Adds a name known to be new, whose NameIndex::hash is `hash`, with this tag.
template <typename Names>
std::uint32_t add(std::string_view name, std::uint32_t hash, NameIndex& index, Names& names, std::uint32_t tag = 0) {
    if (names.size() > Value::max_index) throw std::length_error("too many distinct values");
    auto id = static_cast<std::uint32_t>(names.size());
    append(names, name);
    index.insert_hashed(name, hash, id, tag);
    return id;
}

// Looks the name up without copying it and copies it (once, into `names`) only when it is new.
template <typename Names>
std::uint32_t intern(std::string_view name, NameIndex& index, Names& names) {
    const std::uint32_t hash = NameIndex::hash(name);
    if (auto found = index.find_hashed(name, hash, names).index; found != NameIndex::absent) return found;
    return add(name, hash, index, names);
}

template <typename Key, typename Map, typename Vec>
std::uint32_t intern(const Key& key, Map& index, Vec& values) {
    if (auto it = index.find(key); it != index.end()) return it->second;
    if (values.size() > Value::max_index) throw std::length_error("too many distinct values");
    auto id = static_cast<std::uint32_t>(values.size());
    values.emplace_back(key);
    index.emplace(values.back(), id);
    return id;
}
}  // namespace

Symbols::Symbols() {
    entity_names_.push_back("");  // index 0 unused so that no entity value has bits 0 in index
    strings_.emplace_back("");
    string_index_.insert("", 0);
}

Value Symbols::entity(std::string_view name) {
    return Value::make(ValueTag::entity, intern(name, entity_index_, entity_names_));
}

Value Symbols::new_entity(std::string_view name, std::uint32_t hash, std::uint32_t tag) {
    return Value::make(ValueTag::entity, add(name, hash, entity_index_, entity_names_, tag));
}

Value Symbols::string(std::string_view text) {
    return Value::make(ValueTag::string, intern(text, string_index_, strings_));
}

Value Symbols::integer(std::int64_t n) {
    return Value::make(ValueTag::integer, intern(n, integer_index_, integers_));
}

Symbols::FoundEntity Symbols::find_entity(std::string_view name, std::uint32_t hash) const {
    const NameIndex::Found found = entity_index_.find_hashed(name, hash, entity_names_);
    if (found.index == NameIndex::absent) return {};
    return {Value::make(ValueTag::entity, found.index), found.tag};
}

std::uint32_t Symbols::entity_tag(Value v) const {
    return entity_index_.tag(NameIndex::hash(entity_name(v)), v.index());
}

void Symbols::set_entity_tag(Value v, std::uint32_t tag) {
    entity_index_.set_tag(NameIndex::hash(entity_name(v)), v.index(), tag);
}

std::string Symbols::display(Value v) const {
    switch (v.tag()) {
    case ValueTag::none: return "none";
    case ValueTag::entity: return std::string(entity_name(v));
    case ValueTag::string: return std::string(string_text(v));
    case ValueTag::integer: return std::to_string(integer_value(v));
    }
    return {};
}

bool Symbols::less(Value a, Value b) const {
    // none < integers < strings < entities
    static constexpr int rank[] = {0, 3, 2, 1};
    int ra = rank[static_cast<int>(a.tag())];
    int rb = rank[static_cast<int>(b.tag())];
    if (ra != rb) return ra < rb;
    switch (a.tag()) {
    case ValueTag::none: return false;
    case ValueTag::integer: return integer_value(a) < integer_value(b);
    case ValueTag::string: return string_text(a) < string_text(b);
    case ValueTag::entity: return entity_name(a) < entity_name(b);
    }
    return false;
}

}  // namespace charter::engine
