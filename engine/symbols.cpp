// Interning of entity names, strings and integers.
#include "symbols.hpp"

#include <stdexcept>

namespace charter::engine {

namespace {
// Looks the key up as given (a string_view finds a std::string key without a copy, §C++20
// heterogeneous lookup) and copies it only when it is new.
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
    entity_names_.emplace_back("");  // index 0 unused so that no entity value has bits 0 in index
    strings_.emplace_back("");
    string_index_.emplace("", 0);
}

Value Symbols::entity(std::string_view name) {
    return Value::make(ValueTag::entity, intern(name, entity_index_, entity_names_));
}

Value Symbols::string(std::string_view text) {
    return Value::make(ValueTag::string, intern(text, string_index_, strings_));
}

Value Symbols::integer(std::int64_t n) {
    return Value::make(ValueTag::integer, intern(n, integer_index_, integers_));
}

Value Symbols::find_entity(std::string_view name) const {
    auto it = entity_index_.find(name);
    return it == entity_index_.end() ? none_value : Value::make(ValueTag::entity, it->second);
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
