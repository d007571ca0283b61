// A value in a tuple: 32 bits, a 2-bit tag and a 30-bit index into the session's Symbols.
// Equal values have equal bits (everything is interned), so tuples hash and compare as plain
// integers; only ordering and arithmetic need the Symbols.
#pragma once

#include <cstdint>

namespace charter::engine {

enum class ValueTag : std::uint32_t { none = 0, entity = 1, string = 2, integer = 3 };

struct Value {
    std::uint32_t bits = 0;  // 0 is `none`

    static constexpr std::uint32_t index_bits = 30;
    static constexpr std::uint32_t max_index = (1u << index_bits) - 1;

    static constexpr Value make(ValueTag tag, std::uint32_t index) {
        return Value{(static_cast<std::uint32_t>(tag) << index_bits) | index};
    }
    [[nodiscard]] constexpr ValueTag tag() const { return static_cast<ValueTag>(bits >> index_bits); }
    [[nodiscard]] constexpr std::uint32_t index() const { return bits & max_index; }
    [[nodiscard]] constexpr bool is_none() const { return bits == 0; }
    [[nodiscard]] constexpr bool is_entity() const { return tag() == ValueTag::entity; }

    friend constexpr bool operator==(Value a, Value b) { return a.bits == b.bits; }
    friend constexpr bool operator!=(Value a, Value b) { return a.bits != b.bits; }
};

inline constexpr Value none_value{};

}  // namespace charter::engine
