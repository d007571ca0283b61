// MappedVector: a vector of plain values whose large storage grows by moving its mapping.
#include "engine/mapped_vector.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <numeric>
#include <vector>

using charter::engine::MappedVector;

namespace {
struct Entry {
    std::uint32_t kind = 7;  // a default that is not zero
    std::uint32_t at = 0;
};
}  // namespace

TEST_CASE("a mapped vector keeps its values as it grows from malloc's storage into a mapping of its own") {
    MappedVector<std::uint64_t> v;
    CHECK(v.empty());
    // 8 MiB of values: past the mapping threshold (256 KiB) and past huge pages (4 MiB).
    const std::size_t n = std::size_t{1} << 20;
    for (std::uint64_t i = 0; i < n; ++i) v.push_back(i * 3);
    REQUIRE(v.size() == n);
    CHECK(v.capacity() >= n);
    bool same = true;
    for (std::uint64_t i = 0; i < n; ++i) same = same && v[i] == i * 3;
    CHECK(same);
    CHECK(v.front() == 0);
    CHECK(v.back() == (n - 1) * 3);
    CHECK(std::accumulate(v.begin(), v.end(), std::uint64_t{0}) == 3 * (n * (n - 1) / 2));
}

TEST_CASE("a mapped vector's push_back of one of its own values survives the move of its storage") {
    MappedVector<std::uint32_t> v;
    v.push_back(42);
    for (int i = 0; i < 200000; ++i) v.push_back(v[0]);  // the storage moves several times meanwhile
    CHECK(v.size() == 200001);
    CHECK(std::all_of(v.begin(), v.end(), [](std::uint32_t x) { return x == 42; }));
}

TEST_CASE("a mapped vector resizes with its type's default or a given value, and shrinks") {
    MappedVector<Entry> v;
    v.resize(3);
    CHECK(v[2].kind == 7);
    v.resize(100000, Entry{1, 2});  // into a mapping
    CHECK(v[2].kind == 7);
    CHECK(v[99999].kind == 1);
    CHECK(v[99999].at == 2);
    v.resize(10);
    CHECK(v.size() == 10);
    v.resize(20);
    CHECK(v[15].kind == 7);  // regrown values are written afresh
    v.clear();
    CHECK(v.empty());
}

TEST_CASE("a mapped vector copies, moves, erases and pops") {
    MappedVector<std::uint32_t> big;
    for (std::uint32_t i = 0; i < 100000; ++i) big.push_back(i);
    MappedVector<std::uint32_t> copy = big;
    copy[0] = 99;
    CHECK(big[0] == 0);
    CHECK(copy.size() == big.size());
    CHECK(copy[99999] == 99999);
    MappedVector<std::uint32_t> moved = std::move(copy);
    CHECK(moved.size() == 100000);
    CHECK(copy.empty());  // NOLINT: a moved-from vector is empty
    moved.erase(moved.begin() + 1);
    CHECK(moved[1] == 2);
    CHECK(moved.size() == 99999);
    moved.pop_back();
    CHECK(moved.back() == 99998);
    MappedVector<std::uint32_t> small;
    small.push_back(5);
    small = big;  // assignment over a small one
    CHECK(small.size() == 100000);
    big = MappedVector<std::uint32_t>{};
    CHECK(big.empty());
    CHECK(small[123] == 123);
}

TEST_CASE("a mapped vector inserts a range anywhere, growing as needed") {
    MappedVector<std::uint32_t, charter::engine::Pages::huge> v;
    const std::vector<std::uint32_t> none;
    v.insert(v.end(), none.begin(), none.end());  // nothing into nothing (no storage yet)
    CHECK(v.empty());
    const std::vector<std::uint32_t> tail{7, 8, 9};
    v.insert(v.end(), tail.begin(), tail.end());
    const std::uint32_t head[] = {1, 2};
    v.insert(v.begin(), std::begin(head), std::end(head));
    v.insert(v.begin() + 2, tail.begin(), tail.begin() + 1);
    CHECK(std::vector<std::uint32_t>(v.begin(), v.end()) == std::vector<std::uint32_t>{1, 2, 7, 7, 8, 9});
    std::vector<std::uint32_t> many(3u << 20, 5);  // 12 MiB: into a mapping with huge pages asked for
    v.insert(v.begin() + 1, many.begin(), many.end());
    CHECK(v.size() == 6 + many.size());
    CHECK(v[0] == 1);
    CHECK(v[1] == 5);
    CHECK(v[many.size()] == 5);
    CHECK(v[many.size() + 1] == 2);
    CHECK(v.back() == 9);
}
