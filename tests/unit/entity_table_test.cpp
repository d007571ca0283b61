// EntityTable: declared entities by name, in name order, with the names a data file appends
// (emplace_new) indexed on the first lookup after them.
#include "lang/resolve.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using charter::lang::EntityTable;
using charter::lang::Span;

TEST_CASE("entities appended without lookups are found, listed in order and erased") {
    EntityTable table;
    CHECK(table.emplace("zeta", "body", Span{}).second);
    for (int i = 0; i < 3000; ++i) table.emplace_new("n" + std::to_string(i), i % 2 ? "body" : "person", Span{});
    REQUIRE(table.size() == 3001);
    CHECK(table.contains("n0"));
    CHECK(table.contains("n2999"));
    CHECK(table.at("n1").kind == "body");
    CHECK(table.at("n2").kind == "person");
    CHECK(!table.contains("n3000"));
    CHECK(table.contains("zeta"));

    // More appended after a lookup, then the one declared twice is refused.
    table.emplace_new("alpha", "body", Span{});
    auto [it, fresh] = table.emplace("alpha", "person", Span{});
    CHECK(!fresh);
    CHECK(it->second.kind == "body");

    CHECK(table.begin()->first == "alpha");
    CHECK(table.lower_bound("n29")->first == "n29");
    CHECK(table.erase("n29") == 1);
    CHECK(!table.contains("n29"));
    CHECK(table.lower_bound("n29")->first == "n290");
    CHECK(table.size() == 3001);

    // A copy answers alike, whichever of the two caught up.
    table.emplace_new("beta", "body", Span{});
    const EntityTable copy = table;
    CHECK(copy.contains("beta"));
    CHECK(table.contains("beta"));
    CHECK(copy.size() == table.size());
}
