// Interned entity names, strings and integers of one session. Values index into these tables.
#pragma once

#include "value.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace charter::engine {

struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

class Symbols {
public:
    Symbols();

    Value entity(std::string_view name);   // interns
    Value string(std::string_view text);   // interns
    Value integer(std::int64_t n);         // interns

    /// The entity of this name if it was ever interned, else none.
    [[nodiscard]] Value find_entity(std::string_view name) const;

    [[nodiscard]] std::string_view entity_name(Value v) const { return entity_names_[v.index()]; }
    [[nodiscard]] std::string_view string_text(Value v) const { return strings_[v.index()]; }
    [[nodiscard]] std::int64_t integer_value(Value v) const { return integers_[v.index()]; }
    [[nodiscard]] std::size_t entity_count() const { return entity_names_.size(); }

    /// Identifier for entities, the text for strings, decimal for integers, `none`.
    [[nodiscard]] std::string display(Value v) const;
    /// Total order used to sort answers: none < integers (numeric) < strings < entities (bytes).
    [[nodiscard]] bool less(Value a, Value b) const;

private:
    std::vector<std::string> entity_names_;
    std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> entity_index_;
    std::vector<std::string> strings_;
    std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> string_index_;
    std::vector<std::int64_t> integers_;
    std::unordered_map<std::int64_t, std::uint32_t> integer_index_;
};

}  // namespace charter::engine
