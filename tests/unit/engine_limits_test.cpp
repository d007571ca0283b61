// The memory limit's measurements (engine/limits.cpp); the limit itself is tested end to end by
// tests/golden/limits/max_memory and tests/limits wide_tuples.
#include "engine/limits.hpp"

#include <doctest/doctest.h>

#include <cstring>
#include <memory>

using namespace charter::engine;

TEST_CASE("resident memory is read and grows with memory in use") {
    const std::uint64_t before = resident_memory();
    REQUIRE(before > 0);
    constexpr std::size_t size = 64u << 20;
    auto block = std::make_unique<char[]>(size);
    std::memset(block.get(), 1, size);  // touched, so resident
    CHECK(resident_memory() >= before + size / 2);
    CHECK(block[size - 1] == 1);
}

TEST_CASE("the default memory limit is three quarters of some memory, and stable") {
    const std::uint64_t limit = default_max_memory();
    CHECK(limit >= (64u << 20));
    CHECK(limit == default_max_memory());
    CHECK(Limits{}.max_memory == 0);  // 0: the default
}
