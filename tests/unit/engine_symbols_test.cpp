// NameIndex: names found by index across growth and erasure, short names by their bytes, long
// ones by hash and comparison, each with a tag; Symbols' read-ahead guesses are only hints;
// EntityNames keeps short and long names.
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

TEST_CASE("growing in place keeps every live name findable and drops the erased ones") {
    // Every third name is erased before the index grows again, so each growth re-places
    // entries among tombstones and across the table's wrap-around; names of both kinds (short
    // keys, long hashed names) share the table.
    auto names = numbered(60'000, "b");
    for (std::size_t i = 0; i < names.size(); i += 2) names[i] = "a-longer-name-" + names[i];
    NameIndex index;
    std::vector<bool> live(names.size(), false);
    for (std::uint32_t i = 0; i < names.size(); ++i) {
        index.insert(names[i], i);
        live[i] = true;
        if (i % 3 == 1) {
            index.erase(names[i - 1], i - 1);
            live[i - 1] = false;
        }
    }
    bool all = true;
    for (std::uint32_t i = 0; i < names.size(); ++i)
        all = all && index.find(names[i], names) == (live[i] ? i : NameIndex::absent);
    CHECK(all);
}

TEST_CASE("growing in place keeps a probe chain that wrapped around the table's end") {
    // In a table of 16 slots, y and then z both have home 15, so z wraps around to slot 0. After
    // growing to 32, z's home stays 15 and y's becomes 31: were the entries simply taken out
    // and put back in slot order, z (slot 0, first) would go to 16 past y, y would then leave 15
    // for 31, and the hole at 15 would hide z.
    auto name_with = [](std::uint32_t low_bits, std::size_t from) {
        for (std::size_t i = from;; ++i)
            if (std::string name = "n" + std::to_string(i); (NameIndex::hash(name) & 31) == low_bits) return name;
    };
    std::vector<std::string> names{name_with(31, 0), name_with(15, 0)};
    for (std::size_t i = 0; names.size() < 12; ++i)  // homes 2 to 9 in either size: no interference
        if (std::string name = "m" + std::to_string(i); (NameIndex::hash(name) & 31) >= 2 && (NameIndex::hash(name) & 31) <= 9)
            names.push_back(name);
    NameIndex index;
    for (std::uint32_t i = 0; i < names.size(); ++i) index.insert(names[i], i);  // grows at the 9th
    for (std::uint32_t i = 0; i < names.size(); ++i) CHECK(index.find(names[i], names) == i);
}

TEST_CASE("short names are keys themselves; long ones are compared when their hashes match") {
    // Short: 1 to 8 bytes without a NUL byte. Everything else goes by hash and comparison.
    CHECK(NameIndex::short_key("a") == 'a');
    CHECK(NameIndex::short_key("ab") == ('a' | 'b' << 8));
    CHECK(NameIndex::short_key("p1974614") != 0);
    CHECK(NameIndex::short_key("p19746140") == 0);
    CHECK(NameIndex::short_key("") == 0);
    CHECK(NameIndex::short_key(std::string_view("a\0", 2)) == 0);
    CHECK(NameIndex::short_key(std::string_view("\0a", 2)) == 0);
    for (std::size_t n = 1; n <= 8; ++n) {  // distinct for every length and every byte
        const std::string name(n, 'q');
        const std::string padded = name + "more bytes after the name";
        CHECK(NameIndex::short_key(name) == NameIndex::short_key(std::string_view(padded).substr(0, n)));
        CHECK(NameIndex::short_key(name) != NameIndex::short_key(std::string(n - 1, 'q')));
        for (std::size_t at = 0; at < n; ++at) {
            std::string other = name;
            other[at] = 'r';
            CHECK(NameIndex::short_key(other) != NameIndex::short_key(name));
        }
    }
    // "a" and "a\0" share their zero-padded bytes; only the short one is a key, so the index
    // keeps them apart.
    const std::vector<std::string> names = {"a", std::string("a\0", 2), "", "a-much-longer-name", std::string("a\0\0", 3)};
    NameIndex index;
    for (std::uint32_t i = 0; i < names.size(); ++i) index.insert(names[i], i);
    for (std::uint32_t i = 0; i < names.size(); ++i) CHECK(index.find(names[i], names) == i);
    CHECK(index.find(std::string("a\0\0\0", 4), names) == NameIndex::absent);

    // Growing places a short name by the hash of its key alone: the same hash as its bytes',
    // at every length, or a name entered before growing is not found after.
    std::vector<std::string> grown;
    for (std::size_t n = 1; n <= 8; ++n)
        for (char c : {'a', 'z', '~', '\x80', '\xff'}) grown.push_back(std::string(n - 1, 'k') + c);
    const std::size_t first = grown.size();
    for (int i = 0; i < 3000; ++i) grown.push_back("g" + std::to_string(i));
    NameIndex growing;
    for (std::uint32_t i = 0; i < grown.size(); ++i) growing.insert(grown[i], i);
    for (std::uint32_t i = 0; i < first; ++i) CHECK(growing.find(grown[i], grown) == i);
}

TEST_CASE("a guess is what the home slot of a long name holds for the hash bits, not a compared name") {
    // Three long names entered with the same hash bits 42: a lookup compares names, a guess
    // does not. A short name is never guessed: its lookup reads no name to fetch ahead.
    const std::vector<std::string> names = {"long-name-x", "long-name-y", "long-name-z", "s"};
    NameIndex index;
    for (std::uint32_t i = 0; i < 3; ++i) index.insert_hashed(names[i], 42, i);
    CHECK(index.guess(42) == 0);
    CHECK(index.guess(43) == NameIndex::absent);
    CHECK(index.find(names[0], names) == NameIndex::absent);  // it hashes elsewhere
    index.insert(names[0], 0);
    CHECK(index.find(names[0], names) == 0);
    index.insert(names[3], 3);
    CHECK(index.guess(NameIndex::hash("s")) == NameIndex::absent);
    CHECK(index.find("s", names) == 3);
}

TEST_CASE("a tag stays with its name across growth, erasure and clearing") {
    const auto names = numbered(5'000, "tagged-name-");  // long names
    auto shorts = numbered(5'000, "t");                  // short ones
    std::vector<std::string> all = names;
    all.insert(all.end(), shorts.begin(), shorts.end());
    NameIndex index;
    for (std::uint32_t i = 0; i < 100; ++i) index.insert(all[i], i);
    index.set_tag(NameIndex::hash(all[7]), 7, 70);
    index.set_tag(NameIndex::hash(all[50]), 50, NameIndex::max_tag);
    for (std::uint32_t i = 100; i < all.size(); ++i) index.insert(all[i], i);  // grows many times
    index.set_tag(NameIndex::hash(all[6000]), 6000, 3);
    index.erase(all[8], 8);
    CHECK(index.find_hashed(all[7], NameIndex::hash(all[7]), all).tag == 70);
    CHECK(index.find_hashed(all[50], NameIndex::hash(all[50]), all).tag == NameIndex::max_tag);
    CHECK(index.find_hashed(all[6000], NameIndex::hash(all[6000]), all).tag == 3);
    CHECK(index.find_hashed(all[6000], NameIndex::hash(all[6000]), all).index == 6000);
    CHECK(index.tag(NameIndex::hash(all[9]), 9) == 0);
    CHECK(index.find(all[8], all) == NameIndex::absent);
    CHECK_THROWS(index.set_tag(NameIndex::hash(all[7]), 7, NameIndex::max_tag + 1));
    index.clear_tags();
    CHECK(index.find_hashed(all[7], NameIndex::hash(all[7]), all).tag == 0);
    CHECK(index.find(all[7], all) == 7);  // clearing tags keeps which names are long
    CHECK(index.find(all[6000], all) == 6000);
}

TEST_CASE("read-ahead hints name the entity of a long name's hash, or nothing") {
    Symbols symbols;
    const std::string name = "a-long-entity-name";
    symbols.prefetch_entity(NameIndex::hash(name));  // an empty index: nothing to fetch
    CHECK(symbols.prefetch_entity_name(NameIndex::hash(name)) == NameIndex::absent);
    const Value a = symbols.entity(name);
    const Value b = symbols.entity("b");
    symbols.prefetch_entity(NameIndex::hash(name));
    CHECK(symbols.prefetch_entity_name(NameIndex::hash(name)) == a.index());
    CHECK(symbols.prefetch_entity_name(NameIndex::hash("b")) == NameIndex::absent);  // nothing to read
    CHECK(symbols.find_entity(name) == a);
    CHECK(symbols.find_entity("b") == b);
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
    CHECK(symbols.find_entity("b7", NameIndex::hash("b7")).entity == known);
    CHECK(symbols.find_entity("b8", NameIndex::hash("b8")).entity.is_none());
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
    CHECK(copy.entity_name(values[15]) == names[15]);  // the longest kept inside its record
    CHECK(copy.entity_name(values[16]) == names[16]);  // the shortest kept apart
    CHECK(copy.find_entity(names[30], NameIndex::hash(names[30])).tag == 9);
    CHECK(symbols.find_entity(names[30], NameIndex::hash(names[30])).tag == 0);
}
