// NameIndex: names found by index across growth and erasure; Symbols' read-ahead guesses are
// only hints; EntityNames keeps short and long names and a tag beside each.
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

TEST_CASE("names are found across growth and erasure") {
    const auto names = numbered(50'000, "b");
    NameIndex index;
    for (std::uint32_t i = 0; i < names.size(); ++i) index.insert(names[i], i);
    for (std::uint32_t i = 0; i < names.size(); ++i) REQUIRE(index.find(names[i], names) == i);
    CHECK(index.find("b50000", names) == NameIndex::absent);
    CHECK(index.find("", names) == NameIndex::absent);

    index.erase(names[7], 7);
    CHECK(index.find(names[7], names) == NameIndex::absent);
    CHECK(index.find(names[8], names) == 8);
}

TEST_CASE("a guess is what the home slot holds for the hash bits, not a compared name") {
    // Three entries with the same hash bits 42: a lookup compares names, a guess does not.
    const std::vector<std::string> names = {"x", "y", "z"};
    NameIndex index;
    for (std::uint32_t i = 0; i < 3; ++i) index.insert_hashed(42, i);
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

TEST_CASE("entity names of every length are kept, each with a tag that copies with it") {
    Symbols symbols;
    std::vector<Value> values;
    std::vector<std::string> names;
    for (std::size_t length = 0; length <= 40; ++length) {
        std::string name(length, 'x');
        if (length > 0) name[length - 1] = static_cast<char>('a' + length % 26);
        names.push_back(name);
        values.push_back(symbols.entity(name));
    }
    for (std::size_t i = 0; i < names.size(); ++i) {
        CHECK(symbols.entity_name(values[i]) == names[i]);
        CHECK(symbols.entity_tag(values[i]) == 0);
        CHECK(symbols.find_entity(names[i]) == values[i]);
    }
    const std::string_view long_view = symbols.entity_name(values[40]);
    for (int i = 0; i < 5000; ++i) symbols.entity("grow" + std::to_string(i) + std::string(20, 'y'));
    CHECK(long_view == names[40]);  // a long name's view outlives growth

    symbols.set_entity_tag(values[3], 7);
    symbols.set_entity_tag(values[30], 9);
    Symbols copy = symbols;
    symbols.clear_entity_tags();
    CHECK(symbols.entity_tag(values[3]) == 0);
    CHECK(copy.entity_tag(values[3]) == 7);
    CHECK(copy.entity_tag(values[30]) == 9);
    CHECK(copy.entity_name(values[30]) == names[30]);
    CHECK(copy.entity_name(values[11]) == names[11]);  // the longest kept inside its record
    CHECK(copy.entity_name(values[12]) == names[12]);  // the shortest kept apart
}
