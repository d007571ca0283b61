// libFuzzer target: the whole pipeline through the public API under small limits — parse,
// imports, resolve, lower, stratify, evaluate, then every check, expect and `?` of the model.
// After a line `%%`, each further line is a question (`?`, `who approves`, `next`, `route`,
// `path`), a hypothetical change (`add FACT`, `remove FACT`, `reset`), `:why FACT`,
// `:whynot FACT`, `:diff` or `:dot [FLOW]`, so that the API's other entry points are fuzzed too.
//
// Runs in a scratch directory holding a few files the input may import or load facts from
// (a model, a CSV, a TSV, a binary file, a directory), so that imports are exercised without
// reaching the rest of the disk: the working directory is the only allowed root.
#include <charter/charter.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include <unistd.h>

namespace {

namespace fs = std::filesystem;

void write(const fs::path& path, std::string_view text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

void make_sandbox() {
    fs::path dir = fs::temp_directory_path() / ("charter-fuzz-" + std::to_string(::getpid()));
    fs::create_directories(dir / "sub");
    write(dir / "a.charter",
          "import std\nbody A \"A\" : top { reports_to B }\nbody B\nrelation r(x: body, n: int)\n"
          "facts r from \"r.csv\"\nrule up(?x, ?y) :- reports_to+(?x, ?y)\n");
    write(dir / "sub" / "b.charter", "import \"../a.charter\"\nbody C { reports_to A }\n");
    write(dir / "r.csv", "x,n\nA,1\nB,2\n");
    write(dir / "m.tsv", "A\tB\nB\tA\n");
    static constexpr char binary[] = "\x7f" "ELF\x02\x01\x01\0\0\0\xff\xfe";
    write(dir / "bin.charter", std::string_view(binary, sizeof binary - 1));
    fs::create_directories(dir / "dir.charter");
    fs::current_path(dir);
    static const fs::path sandbox = dir;
    std::atexit([] {
        std::error_code ec;
        fs::remove_all(sandbox, ec);
    });
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    make_sandbox();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    std::string_view model = input;
    std::string_view questions;
    if (auto split = input.find("\n%%\n"); split != std::string_view::npos) {
        model = input.substr(0, split);
        questions = input.substr(split + 4);
    }

    charter::Options options;
    options.max_tuples = 20'000;                       // small: the fuzzer wants many runs
    options.timeout = std::chrono::milliseconds(500);  // well inside libFuzzer's -timeout
    charter::Session session(options);
    for (const auto& d : session.load_string(model, "fuzz.charter").diagnostics)
        static_cast<void>(charter::format(d));
    static_cast<void>(session.check());
    static_cast<void>(session.test());
    static_cast<void>(session.file_queries());

    int asked = 0;
    while (!questions.empty() && asked++ < 8) {
        auto end = questions.find('\n');
        std::string_view line = questions.substr(0, end);
        questions = end == std::string_view::npos ? std::string_view{} : questions.substr(end + 1);
        if (line.starts_with("add ") || line.starts_with("remove "))
            static_cast<void>(session.assume(line));
        else if (line == "reset")
            session.reset();
        else if (line.starts_with(":why "))
            static_cast<void>(session.why(line.substr(5)));
        else if (line.starts_with(":whynot "))
            static_cast<void>(session.why_not(line.substr(8)));
        else if (line == ":diff")
            static_cast<void>(session.diff_assumptions());
        else if (line.starts_with(":dot"))
            static_cast<void>(session.dot({}, line.size() > 5 ? line.substr(5) : std::string_view{}));
        else
            static_cast<void>(session.query(line));
    }
    static_cast<void>(session.check());
    return 0;
}
