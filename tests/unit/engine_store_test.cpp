// Store: dedup, locations, and lazily built per-mask indexes that stay right under inserts.
#include "engine/database.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <set>
#include <vector>

using namespace charter::engine;

namespace {

Value ent(std::uint32_t i) { return Value::make(ValueTag::entity, i); }

std::vector<std::uint32_t> rows_of(const Store& store, std::uint32_t mask,
                                   std::vector<Value> key) {
    auto rows = store.lookup(mask, key);
    return {rows.begin(), rows.end()};
}

// Every row whose masked columns equal the key's, by a plain scan.
std::vector<std::uint32_t> scan(const Store& store, std::uint32_t mask,
                                const std::vector<Value>& key) {
    std::vector<std::uint32_t> out;
    for (std::uint32_t r = 0; r < store.size(); ++r) {
        auto row = store.row(r);
        bool ok = true;
        for (std::uint32_t c = 0; c < store.arity(); ++c)
            if ((mask & (1u << c)) && row[c] != key[c]) ok = false;
        if (ok) out.push_back(r);
    }
    return out;
}

}  // namespace

TEST_CASE("a store keeps each tuple once with the location of its first insert") {
    Store store(2);
    CHECK(store.arity() == 2);
    CHECK(store.size() == 0);
    std::vector<Value> a{ent(1), ent(2)};
    std::vector<Value> b{ent(2), ent(1)};
    CHECK(store.insert(a, 7));
    CHECK(store.insert(b, 3));
    CHECK_FALSE(store.insert(a, 9));
    CHECK(store.size() == 2);
    CHECK(store.location(0) == 7);
    CHECK(store.location(1) == 3);
    CHECK(store.contains(a));
    CHECK(store.contains(b));
    CHECK_FALSE(store.contains(std::vector<Value>{ent(1), ent(1)}));
    CHECK(store.find(a) == 0);
    CHECK(store.find(b) == 1);
    CHECK(store.find(std::vector<Value>{ent(1), ent(1)}) == SIZE_MAX);
    CHECK(store.find(std::vector<Value>{ent(1)}) == SIZE_MAX);  // wrong arity
    CHECK(std::vector<Value>(store.row(1).begin(), store.row(1).end()) == b);
}

TEST_CASE("a store of arity 0 holds the empty tuple at most once") {
    Store store(0);
    CHECK_FALSE(store.contains({}));
    CHECK(store.lookup(0, {}).empty());
    CHECK(store.insert({}, 4));
    CHECK_FALSE(store.insert({}, 5));
    CHECK(store.size() == 1);
    CHECK(store.contains({}));
    CHECK(store.lookup(0, {}).size() == 1);
    CHECK(store.location(0) == 4);
}

TEST_CASE("lookups by several masks find the matching rows in insertion order") {
    Store store(3);
    for (std::uint32_t i = 0; i < 50; ++i)
        store.insert(std::vector<Value>{ent(i % 5), ent(i % 7), ent(i)}, i);
    std::vector<Value> key{ent(2), ent(3), ent(0)};
    for (std::uint32_t mask : {0u, 1u, 2u, 3u, 4u, 5u, 7u}) {
        CAPTURE(mask);
        CHECK(rows_of(store, mask, key) == scan(store, mask, key));
    }
    CHECK(rows_of(store, 1, key).size() == 10);
    CHECK(rows_of(store, 3, key) == std::vector<std::uint32_t>{17});  // 17 % 5 == 2, 17 % 7 == 3
    CHECK(rows_of(store, 7, std::vector<Value>{ent(1), ent(1), ent(99)}).empty());
}

TEST_CASE("indexes built before inserts stay correct after them") {
    Store store(2);
    std::vector<Value> key{ent(1), ent(0)};
    CHECK(store.lookup(1, key).empty());  // no rows yet
    store.insert(std::vector<Value>{ent(1), ent(1)}, 1);
    CHECK(rows_of(store, 1, key) == std::vector<std::uint32_t>{0});
    CHECK(rows_of(store, 2, std::vector<Value>{ent(0), ent(1)}) == std::vector<std::uint32_t>{0});
    // Both indexes now exist; grow groups past several relocations and add new keys.
    std::mt19937 random(42);
    for (std::uint32_t i = 0; i < 3000; ++i) {
        std::uint32_t x = random() % 40 + 1;
        std::uint32_t y = random() % 300 + 1;
        store.insert(std::vector<Value>{ent(x), ent(y)}, i);
    }
    for (std::uint32_t x = 0; x <= 41; ++x) {
        std::vector<Value> k{ent(x), ent(x)};
        CHECK(rows_of(store, 1, k) == scan(store, 1, k));
        CHECK(rows_of(store, 2, k) == scan(store, 2, k));
        CHECK(rows_of(store, 3, k) == scan(store, 3, k));
        CHECK(rows_of(store, 0, k) == scan(store, 0, k));
    }
    std::set<std::pair<std::uint32_t, std::uint32_t>> seen;
    for (std::uint32_t r = 0; r < store.size(); ++r)
        CHECK(seen.emplace(store.row(r)[0].bits, store.row(r)[1].bits).second);
}

TEST_CASE("columns past the ones a mask can name are ignored by the mask") {
    Store store(40);
    std::vector<Value> t(40, ent(1));
    store.insert(t, 1);
    t[35] = ent(2);
    store.insert(t, 2);
    CHECK(store.size() == 2);
    CHECK(store.contains(t));
    CHECK(store.lookup(1, t).size() == 2);
}

TEST_CASE("a moved store keeps its tuples and indexes") {
    Store store(1);
    store.insert(std::vector<Value>{ent(3)}, 1);
    CHECK(store.lookup(1, std::vector<Value>{ent(3)}).size() == 1);
    Store moved = std::move(store);
    CHECK(moved.size() == 1);
    moved.insert(std::vector<Value>{ent(4)}, 2);
    CHECK(moved.lookup(1, std::vector<Value>{ent(4)}).size() == 1);
    Store other(1);
    other = std::move(moved);
    CHECK(other.contains(std::vector<Value>{ent(4)}));
}

TEST_CASE("a large store advises looking up by a column whose groups are small") {
    // 70,000 rows (a, b, c): a has groups of 7, b is unique, c has 2 values.
    Store store(3);
    const std::uint32_t n = 70'000;
    for (std::uint32_t r = 0; r < n; ++r) store.insert(std::vector<Value>{ent(r / 7 + 1), ent(r + 1), ent(r % 2 + 1)}, r);
    REQUIRE(store.size() >= Store::narrowing_rows);
    CHECK(store.lookup_mask(0b001) == 0b001);  // one column: nothing to narrow
    CHECK(store.lookup_mask(0b011) == 0b001);  // a's index: 7 rows a lookup
    CHECK(store.lookup_mask(0b110) == 0b010);  // b is unique: b's index
    CHECK(store.lookup_mask(0b101) == 0b001);  // a's again (it exists now)
    // A lookup by the advised column returns a superset of the rows that match all of them.
    const std::vector<Value> key{ent(3), ent(15), ent(2)};
    const auto narrowed = rows_of(store, 0b001, key);
    CHECK(narrowed.size() == 7);
    CHECK(scan(store, 0b011, key) == std::vector<std::uint32_t>{14});
    CHECK(std::find(narrowed.begin(), narrowed.end(), 14u) != narrowed.end());

    // A small store: every column set gets its own index.
    Store small(2);
    for (std::uint32_t r = 0; r < 1000; ++r) small.insert(std::vector<Value>{ent(r / 7 + 1), ent(r + 1)}, r);
    CHECK(small.lookup_mask(0b11) == 0b11);
}

TEST_CASE("a large store keeps the full index when no column has small groups") {
    Store store(2);
    const std::uint32_t n = 70'000;
    // (r mod 256, r div 256): every pair once, every value of either column in ~256 rows.
    for (std::uint32_t r = 0; r < n; ++r) store.insert(std::vector<Value>{ent(r % 256 + 1), ent(r / 256 + 1000)}, r);
    REQUIRE(store.size() == n);
    CHECK(store.lookup_mask(0b11) == 0b11);
    CHECK(store.lookup_mask(0b11) == 0b11);  // decided again without trying the columns again
    CHECK(rows_of(store, 0b11, {ent(5), ent(1003)}) == std::vector<std::uint32_t>{3 * 256 + 4});
}

TEST_CASE("adjacency lists follow the rows, in row order, and are rebuilt after an insert") {
    Store store(2);
    store.insert(std::vector<Value>{ent(1), ent(2)}, 0);
    store.insert(std::vector<Value>{ent(1), ent(5)}, 0);
    store.insert(std::vector<Value>{ent(3), ent(1)}, 0);
    const Adjacency* forward = store.adjacency(0);
    REQUIRE(forward != nullptr);
    auto list = [](const Adjacency& a, Value v) { return std::vector<Value>(a.of(v).begin(), a.of(v).end()); };
    CHECK(list(*forward, ent(1)) == std::vector<Value>{ent(2), ent(5)});
    CHECK(list(*forward, ent(2)).empty());
    CHECK(list(*forward, ent(99)).empty());  // past the largest index
    CHECK(list(*forward, Value::make(ValueTag::integer, 1)).empty());
    CHECK(list(*store.adjacency(1), ent(1)) == std::vector<Value>{ent(3)});

    store.insert(std::vector<Value>{ent(1), ent(7)}, 0);
    CHECK(list(*store.adjacency(0), ent(1)) == std::vector<Value>{ent(2), ent(5), ent(7)});

    // Not every value an entity, or not binary: none.
    store.insert(std::vector<Value>{ent(1), Value::make(ValueTag::integer, 4)}, 0);
    CHECK(store.adjacency(0) == nullptr);
    Store ternary(3);
    ternary.insert(std::vector<Value>{ent(1), ent(2), ent(3)}, 0);
    CHECK(ternary.adjacency(0) == nullptr);
}

TEST_CASE("read-ahead hints change nothing, whatever the store's state") {
    // prefetch and prefetch_rows only read; under the sanitizers this checks that they stay in
    // bounds on an empty store, without an index, with one, and with a key of the wrong size.
    Store store(2);
    const std::vector<Value> key{ent(1), ent(0)};
    store.prefetch(1, key);
    store.prefetch_rows(1, key);
    for (std::uint32_t i = 0; i < 100; ++i) store.insert(std::vector<Value>{ent(i % 7), ent(i)}, i);
    store.prefetch_rows(1, key);  // no index on column 0 yet: nothing to read
    const auto before = rows_of(store, 1, key);
    for (std::uint32_t i = 0; i < 10; ++i) {
        store.prefetch(1, std::vector<Value>{ent(i), ent(0)});
        store.prefetch_rows(1, std::vector<Value>{ent(i), ent(0)});
        store.prefetch_rows(3, std::vector<Value>{ent(i), ent(i)});
    }
    store.prefetch_rows(1, std::vector<Value>{ent(1)});  // too short: ignored
    CHECK(rows_of(store, 1, key) == before);
    CHECK(before == scan(store, 1, key));
    CHECK(before.size() == 15);  // i = 1, 8, …, 99
}

TEST_CASE("of_rows keeps each row's first occurrence") {
    for (std::uint32_t distinct : {1000u, 3u, 20000u, 1u, 700u}) {
        MappedVector<Value> values;
        MappedVector<LocationId> locations;
        for (std::uint32_t i = 0; i < distinct * 2; ++i) {  // every row twice, the second later
            values.push_back(ent(i % distinct));
            values.push_back(ent(i % distinct + 1));
            locations.push_back(i);
        }
        const Store store = Store::of_rows(2, std::move(values), std::move(locations));
        REQUIRE(store.size() == distinct);
        for (std::uint32_t i = 0; i < distinct; ++i) {
            CHECK(store.row(i)[0] == ent(i));
            CHECK(store.location(i) == i);  // the first occurrence's
        }
    }
}

TEST_CASE("an index built over many rows finds each group's rows in row order") {
    // Column 0 nearly unique (the buckets grow while the index is built), column 1 of few
    // values (large groups), column 2 of many small groups and groups of one.
    std::mt19937 random(7);
    Store store(3);
    for (std::uint32_t i = 0; i < 30000; ++i)
        store.insert(std::vector<Value>{ent(i), ent(random() % 5), ent(random() % 20000)}, i);
    for (std::uint32_t mask : {1u, 2u, 4u, 6u}) {
        for (std::uint32_t probe = 0; probe < 300; ++probe) {
            const auto row = store.row(random() % store.size());
            const std::vector<Value> key(row.begin(), row.end());
            CHECK(rows_of(store, mask, key) == scan(store, mask, key));
        }
        CHECK(rows_of(store, mask, {ent(40000), ent(9), ent(40000)}).empty());
    }
}

TEST_CASE("of_rows drops repeats alike whether or not the first column comes in runs") {
    // Reference: each row's first occurrence, in order, with its location (row i's is i + 1)
    // as a last value.
    auto expected = [](const std::vector<std::vector<Value>>& rows) {
        std::vector<std::vector<Value>> out;
        std::set<std::vector<std::uint32_t>> seen;
        for (std::size_t i = 0; i < rows.size(); ++i) {
            std::vector<std::uint32_t> bits;
            for (Value v : rows[i]) bits.push_back(v.bits);
            if (!seen.insert(bits).second) continue;
            out.push_back(rows[i]);
            out.back().push_back(Value{static_cast<std::uint32_t>(i + 1)});
        }
        return out;
    };
    auto stored = [](const std::vector<std::vector<Value>>& rows) {
        MappedVector<Value> values;
        MappedVector<LocationId> locations;
        for (std::size_t i = 0; i < rows.size(); ++i) {
            values.insert(values.end(), rows[i].begin(), rows[i].end());
            locations.push_back(static_cast<LocationId>(i + 1));
        }
        const Store store = Store::of_rows(3, std::move(values), std::move(locations));
        std::vector<std::vector<Value>> out;
        for (std::size_t r = 0; r < store.size(); ++r) {
            out.emplace_back(store.row(r).begin(), store.row(r).end());
            out.back().push_back(Value{store.location(r)});
        }
        return out;
    };
    std::mt19937 random(11);
    // Runs of 1 to 60 rows (short ones compared row by row, long ones through a table), first
    // values of three tags with equal indexes, repeats at random within each run.
    std::vector<std::vector<Value>> runs;
    for (std::uint32_t subject = 0; subject < 300; ++subject) {
        const auto tag = static_cast<ValueTag>(1 + subject % 3);
        const Value first = Value::make(tag, subject / 3);
        const std::uint32_t length = 1 + random() % 60;
        for (std::uint32_t i = 0; i < length; ++i) runs.push_back({first, ent(random() % 8), ent(random() % 4)});
    }
    CHECK(stored(runs) == expected(runs));
    // The same rows with one first value coming back: dropped through the one table instead.
    auto not_runs = runs;
    not_runs.push_back(runs.front());
    not_runs.push_back({runs.front()[0], ent(100), ent(100)});
    CHECK(stored(not_runs) == expected(not_runs));
    CHECK(stored(not_runs).size() == expected(runs).size() + 1);
}

TEST_CASE("groups whose rows follow one another are ranges, and stay right as rows are added") {
    // Subjects 0-99 with runs of 1 to 9 rows (ranges), then subjects 100-109 whose rows
    // alternate (lists); then inserts that extend the last run, start new groups, and break
    // runs that were ranges.
    std::mt19937 random(5);
    Store store(2);
    std::uint32_t n = 0;
    for (std::uint32_t subject = 0; subject < 100; ++subject)
        for (std::uint32_t i = 0, length = 1 + random() % 9; i < length; ++i) store.insert(std::vector<Value>{ent(subject), ent(n++)}, 1);
    for (std::uint32_t i = 0; i < 40; ++i) store.insert(std::vector<Value>{ent(100 + i % 10), ent(n++)}, 1);
    auto all_match = [&] {
        bool same = true;
        for (std::uint32_t subject = 0; subject < 112; ++subject) {
            const std::vector<Value> key{ent(subject), none_value};
            const auto rows = store.lookup(1, key);
            same = same && rows_of(store, 1, key) == scan(store, 1, key) && rows.size() == scan(store, 1, key).size();
            if (!rows.empty()) same = same && rows.front() == scan(store, 1, key).front() && rows[rows.size() - 1] == scan(store, 1, key).back();
        }
        return same;
    };
    CHECK(all_match());  // builds the index
    store.insert(std::vector<Value>{ent(109), ent(n++)}, 2);  // the last group goes on
    store.insert(std::vector<Value>{ent(110), ent(n++)}, 2);  // a new group
    store.insert(std::vector<Value>{ent(110), ent(n++)}, 2);  // … a run of two
    store.insert(std::vector<Value>{ent(3), ent(n++)}, 2);    // a run broken
    store.insert(std::vector<Value>{ent(3), ent(n++)}, 2);
    store.insert(std::vector<Value>{ent(110), ent(n++)}, 2);  // the new run broken
    store.insert(std::vector<Value>{ent(111), ent(n++)}, 2);
    CHECK(all_match());
    // A lookup's rows are a sorted list: a window of them is found by binary search.
    const std::vector<Value> key{ent(3), none_value};
    const auto rows = store.lookup(1, key);
    const auto it = std::lower_bound(rows.begin(), rows.end(), n - 4);  // the first of the two added
    REQUIRE(it != rows.end());
    CHECK(*it == n - 4);
    CHECK(rows.end() - it == 2);
}
