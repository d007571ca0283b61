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

TEST_CASE("a name's hash depends on every byte and on nothing else") {
    // The tail of a name is read with overlapping loads (NameIndex::load_tail): every byte must
    // still count, for every length around the word boundaries, and the bytes beyond the name
    // must not. Distinct names of one length with the same hash would only cost a comparison,
    // but a byte that never counts would put every name differing there in one probe chain.
    for (std::size_t length = 1; length <= 20; ++length) {
        const std::string name(length, 'b');
        std::string padded = name + "tail bytes that are not part of the name";
        CHECK(NameIndex::hash(name) == NameIndex::hash(std::string_view(padded).substr(0, length)));
        for (std::size_t at = 0; at < length; ++at) {
            std::string other = name;
            other[at] = 'c';
            CHECK_MESSAGE(NameIndex::hash(other) != NameIndex::hash(name), "length ", length, ", byte ", at);
        }
    }
    CHECK(NameIndex::hash("") != NameIndex::hash(std::string_view("\0", 1)));
}

TEST_CASE("a lookup with a hash computed beforehand finds what a plain lookup finds") {
    Symbols symbols;
    const Value known = symbols.entity("b7");
    CHECK(symbols.find_entity("b7", NameIndex::hash("b7")) == known);
    CHECK(symbols.find_entity("b8", NameIndex::hash("b8")).is_none());
    const Value added = symbols.new_entity("b8", NameIndex::hash("b8"));
    CHECK(symbols.find_entity("b8") == added);
    CHECK(symbols.entity_name(added) == "b8");
}
