// NameIndex: names found by index whether added one by one or many at once, across growth and
// erasure; Symbols' read-ahead guesses are only hints.
#include "engine/symbols.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace charter::engine;

namespace {

std::vector<std::string> numbered(std::size_t n, std::string_view prefix) {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < n; ++i) names.push_back(std::string(prefix) + std::to_string(i));
    return names;
}

}  // namespace

TEST_CASE("names added many at once are found like names added one by one") {
    const auto names = numbered(50'000, "b");
    NameIndex one_by_one;
    NameIndex many;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> hashed;
    for (std::uint32_t i = 0; i < names.size(); ++i) {
        one_by_one.insert(names[i], i);
        hashed.emplace_back(NameIndex::hash(names[i]), i);
    }
    // Half first, then the rest on top of them (the table grows in between).
    many.insert_many({hashed.begin(), hashed.begin() + 25'000});
    many.insert_many({hashed.begin() + 25'000, hashed.end()});
    for (std::uint32_t i = 0; i < names.size(); ++i) {
        CHECK(one_by_one.find(names[i], names) == i);
        REQUIRE(many.find(names[i], names) == i);
    }
    CHECK(many.find("b50000", names) == NameIndex::absent);
    CHECK(many.find("", names) == NameIndex::absent);

    many.erase(names[7], 7);
    CHECK(many.find(names[7], names) == NameIndex::absent);
    CHECK(many.find(names[8], names) == 8);
}

TEST_CASE("a guess is what the home slot holds for the hash bits, not a compared name") {
    // Three entries with the same hash bits 42: a lookup compares names, a guess does not.
    const std::vector<std::string> names = {"x", "y", "z"};
    NameIndex index;
    index.insert_many({{42, 0}, {42, 1}, {42, 2}});
    CHECK(index.guess(42) == 0);
    CHECK(index.guess(43) == NameIndex::absent);
    CHECK(index.find("x", names) == NameIndex::absent);  // "x" hashes elsewhere
    index.insert_hashed(NameIndex::hash("x"), 0);
    CHECK(index.find("x", names) == 0);
}

TEST_CASE("read-ahead hints name the entity of a hash, or nothing") {
    Symbols symbols;
    symbols.prefetch_entity(NameIndex::hash("a"));  // an empty index: nothing to fetch
    CHECK(symbols.prefetch_entity_name(NameIndex::hash("a")) == NameIndex::absent);
    const Value a = symbols.entity("a");
    symbols.prefetch_entity(NameIndex::hash("a"));
    CHECK(symbols.prefetch_entity_name(NameIndex::hash("a")) == a.index());
    CHECK(symbols.find_entity("a") == a);
}
