// libFuzzer target: the parser alone (text → AST and syntax diagnostics), then every diagnostic
// rendered with its excerpt. Any input must parse or fail with diagnostics; never crash or hang.
#include "lang/diagnostic.hpp"
#include "lang/parser.hpp"
#include "lang/source.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace charter::lang;
    SourceManager sources;
    const SourceId id =
        sources.add("fuzz.charter", "", std::string(reinterpret_cast<const char*>(data), size));
    Diagnostics diagnostics;
    const ast::File file = parse(sources, id, diagnostics);
    static_cast<void>(file);
    std::size_t rendered = 0;
    for (const auto& d : diagnostics.take()) rendered += render(d, sources).size();
    static_cast<void>(rendered);
    return 0;
}
