// EntityTable: declared entities by their value's index, read by name through the Symbols that
// interned them, listed in name order however they were declared, erased, and copied.
#include "lang/resolve.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using charter::engine::Symbols;
using charter::engine::Value;
using charter::lang::EntityTable;
using charter::lang::Span;

TEST_CASE("declared entities are found by name, listed in name order and erased") {
    Symbols symbols;
    EntityTable table;
    CHECK(table.declare(symbols.entity("zeta"), "body", Span{}));
    for (int i = 0; i < 3000; ++i) table.declare(symbols.entity("n" + std::to_string(i)), i % 2 ? "body" : "person", Span{});
    const Value undeclared = symbols.entity("interned but not declared");
    REQUIRE(table.size() == 3001);
    const auto by_name = table.in(symbols);
    CHECK(by_name.contains("n0"));
    CHECK(by_name.contains("n2999"));
    CHECK(by_name.at("n1").kind == "body");
    CHECK(by_name.at("n2").kind == "person");
    CHECK_THROWS_AS((void)by_name.at("n3000"), std::out_of_range);
    CHECK(!by_name.contains("n3000"));
    CHECK(!by_name.contains("interned but not declared"));
    CHECK(!table.declared(undeclared));
    CHECK(!table.info(undeclared));
    CHECK(!table.declared(symbols.string("n0")));  // a string, not the entity
    CHECK(by_name.contains("zeta"));

    // Declared twice: refused, and the first declaration stands.
    const Value alpha = symbols.entity("alpha");
    CHECK(table.declare(alpha, "body", Span{{}, 1, 2}));
    CHECK(!table.declare(alpha, "person", Span{}));
    CHECK(table.info(alpha)->kind == "body");
    CHECK(table.info(alpha)->declared.begin == 1);
    CHECK(table.in(symbols).find("alpha")->second.kind == "body");

    // Name order, whatever the order of declaration; erasing keeps it.
    CHECK(table.in(symbols).begin()->first == "alpha");
    CHECK(table.in(symbols).lower_bound("n29")->first == "n29");
    CHECK(table.erase(symbols.entity("n29")));
    CHECK(!table.erase(symbols.entity("n29")));
    CHECK(!table.in(symbols).contains("n29"));
    CHECK(table.in(symbols).lower_bound("n29")->first == "n290");
    CHECK(table.size() == 3001);
    std::vector<std::string> listed;
    for (const auto& [name, info] : table.in(symbols)) listed.emplace_back(name);
    CHECK(listed.size() == table.size());
    CHECK(std::is_sorted(listed.begin(), listed.end()));
    CHECK(listed.back() == "zeta");
    CHECK(table.in(symbols).lower_bound("zz") == table.in(symbols).end());

    // A copy, with a copy of its Symbols, answers alike and goes its own way.
    const Value beta = symbols.entity("beta");
    table.declare(beta, "body", Span{});
    EntityTable copy = table;
    Symbols copied_symbols = symbols;
    CHECK(copy.in(copied_symbols).contains("beta"));
    CHECK(copy.erase(copied_symbols.find_entity("beta")));
    CHECK(!copy.in(copied_symbols).contains("beta"));
    CHECK(table.in(symbols).contains("beta"));
    CHECK(copy.size() + 1 == table.size());
}
