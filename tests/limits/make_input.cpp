// Writes one hostile input for the limits tests (STYLE.md §7, LANGUAGE.md §9): inputs too big,
// too deep or too binary to keep in the repository as golden files.
//
//   make_input CASE DIR    writes DIR/model/ (the model's directory; the test runs there) and,
//                          for the path cases, files beside it that the model must not reach.
#include <sys/stat.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <string>

namespace {

namespace fs = std::filesystem;

std::string repeat(std::string_view s, std::size_t n) {
    std::string out;
    out.reserve(s.size() * n);
    for (std::size_t i = 0; i < n; ++i) out += s;
    return out;
}

void write(const fs::path& path, std::string_view text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

/// Deterministic bytes that look like a compiled binary: a header, then noise with NULs.
std::string binary(std::size_t size) {
    std::string out("\x7f" "ELF\x02\x01\x01", 7);
    std::uint32_t x = 12345;
    while (out.size() < size) {
        x = x * 1103515245u + 12345u;
        out += static_cast<char>((x >> 16) & 0xFF);
    }
    return out;
}

constexpr std::size_t deep = 100'000;  // §9: 100,000 nested brackets or blocks must not overflow

using Case = std::function<void(const fs::path& model, const fs::path& outside)>;

const std::map<std::string, Case>& cases() {
    static const std::map<std::string, Case> all = {
        // ---- nesting ----------------------------------------------------------------------
        {"nesting_parens", [](const fs::path& m, const fs::path&) {
             write(m / "nesting_parens.charter", "relation b(x: any)\nrule a(?x) :- b(" + repeat("(", deep) + "?x" +
                                                     repeat(")", deep) + ")\n");
         }},
        {"nesting_brackets", [](const fs::path& m, const fs::path&) {
             write(m / "nesting_brackets.charter", "? x(" + repeat("[", deep) + repeat("]", deep) + ")\n");
         }},
        {"nesting_blocks", [](const fs::path& m, const fs::path&) {
             write(m / "nesting_blocks.charter", "import std\nbody A " + repeat("{ body B ", deep) + repeat("}", deep) + "\n");
         }},
        {"nesting_blocks_lines", [](const fs::path& m, const fs::path&) {
             std::string text = "import std\n";
             for (std::size_t i = 0; i < deep; ++i) text += std::string(i % 64, ' ') + "body B" + std::to_string(i) + " {\n";
             write(m / "nesting_blocks_lines.charter", text + repeat("}\n", deep));
         }},
        {"nesting_unclosed", [](const fs::path& m, const fs::path&) {
             write(m / "nesting_unclosed.charter", "import std\nbody A\n" + repeat("reports_to(", deep) + "\nbody B\n");
         }},
        {"nesting_aggregates", [](const fs::path& m, const fs::path&) {
             write(m / "nesting_aggregates.charter", "relation b(x: any)\nrule a(?x) :- ?x = " + repeat("count(?y : ", deep) +
                                                         "b(?y)" + repeat(")", deep) + "\n");
         }},
        {"nesting_negation", [](const fs::path& m, const fs::path&) {
             write(m / "nesting_negation.charter", "relation b(x: any)\nb(1)\nrule a(?x) :- b(?x), " + repeat("not ", deep) +
                                                       "b(?x)\n");
         }},
        {"nesting_minus", [](const fs::path& m, const fs::path&) {
             write(m / "nesting_minus.charter", "relation b(x: int)\nb(1)\nrule a(?x) :- b(?y), ?x = " + repeat("-", deep) + "?y\n");
         }},
        // ---- size ---------------------------------------------------------------------------
        {"long_string", [](const fs::path& m, const fs::path&) {
             write(m / "long_string.charter", "import std\nbody A \"" + std::string(1 << 20, 'x') + "\"\n");
         }},
        {"long_line", [](const fs::path& m, const fs::path&) {  // 1 MiB of statements on one line
             write(m / "long_line.charter", "import std\nbody A\n" + repeat("reports_to(A, A) ", 62'000) + "\n");
         }},
        {"long_identifier", [](const fs::path& m, const fs::path&) {
             write(m / "long_identifier.charter", "import std\nbody " + std::string(100'000, 'a') + "\n");
         }},
        {"long_backtick_name", [](const fs::path& m, const fs::path&) {
             write(m / "long_backtick_name.charter", "import std\nbody `" + std::string(100'000, 'a') + "`\n");
         }},
        {"long_variable", [](const fs::path& m, const fs::path&) {
             write(m / "long_variable.charter", "relation b(x: any)\nrule a(?" + std::string(100'000, 'v') + ") :- b(?w)\n");
         }},
        {"huge_integer", [](const fs::path& m, const fs::path&) {
             write(m / "huge_integer.charter", "relation n(x: int)\nn(" + std::string(100'000, '9') + ")\n");
         }},
        {"many_lines", [](const fs::path& m, const fs::path&) {  // 300,000 short statements, 5 MB
             write(m / "many_lines.charter", "import std\nbody A\n" + repeat("reports_to(A, A)\n", 300'000));
         }},
        {"many_errors", [](const fs::path& m, const fs::path&) {  // an unknown name on each of 100,000 lines
             std::string text = "import std\n";
             for (int i = 0; i < 100'000; ++i) text += "reports_to(X" + std::to_string(i) + ", Y)\n";
             write(m / "many_errors.charter", text);
         }},
        {"many_unknown_names", [](const fs::path& m, const fs::path&) {  // did-you-mean over 50,000 names
             std::string text = "import std\n";
             for (int i = 0; i < 50'000; ++i) text += "body E" + std::to_string(i) + "\n";
             for (int i = 0; i < 50'000; ++i) text += "reports_to(E" + std::to_string(i) + ", F" + std::to_string(i) + ")\n";
             write(m / "many_unknown_names.charter", text);
         }},
        {"long_rule_body", [](const fs::path& m, const fs::path&) {
             std::string text = "relation b(x: int)\nb(1)\nrule a(?x) :- b(?x)";
             for (int i = 0; i < 100'000; ++i) text += ", b(?x)";
             write(m / "long_rule_body.charter", text + "\n? a(?x)\n");
         }},
        {"wide_relation", [](const fs::path& m, const fs::path&) {
             std::string text = "relation w(";
             for (int i = 0; i < 100'000; ++i) text += (i ? ", p" : "p") + std::to_string(i) + ": int";
             text += ")\nw(" + repeat("1, ", 99'999) + "1)\n";
             write(m / "wide_relation.charter", text);
         }},
        {"kind_chain", [](const fs::path& m, const fs::path&) {  // 30,000 kinds, each a sub-kind of the next
             std::string text = "kind k30000\n";
             for (int i = 0; i < 30'000; ++i) text += "kind k" + std::to_string(i) + " : k" + std::to_string(i + 1) + "\n";
             text += "relation r(x: k30000)\n";
             for (int i = 0; i < 30'000; ++i) text += "k0 E" + std::to_string(i) + "\nr(E" + std::to_string(i) + ")\n";
             write(m / "kind_chain.charter", text + "? r(E0)\n");
         }},
        {"nested_entities_dotted", [](const fs::path& m, const fs::path&) {  // a dotted name of 100,000 parts
             std::string text = "import std\nbody A { body A }\nreports_to(A.A";
             for (int i = 0; i < 100'000; ++i) text += ".A";
             write(m / "nested_entities_dotted.charter", text + ", A)\n");
         }},
        {"repl_huge_input", [](const fs::path& m, const fs::path&) {  // 33 MiB typed as one statement
             write(m / "repl_huge_input.stdin", "import std\nbody A\nreports_to(A" + repeat(", A", 11'600'000) + ")\n? reports_to(A, ?x)\n");
         }},
        // ---- bytes --------------------------------------------------------------------------
        {"invalid_utf8", [](const fs::path& m, const fs::path&) {
             write(m / "invalid_utf8.charter", "import std\nbody Caf\xe9 \"Caf\xe9\"\n");
         }},
        {"overlong_utf8", [](const fs::path& m, const fs::path&) {
             write(m / "overlong_utf8.charter", "import std\nbody A\xc0\xaf\n");
         }},
        {"surrogate_utf8", [](const fs::path& m, const fs::path&) {
             write(m / "surrogate_utf8.charter", "import std\nbody A \"\xed\xa0\x80\"\n");
         }},
        {"truncated_utf8", [](const fs::path& m, const fs::path&) {
             write(m / "truncated_utf8.charter", "import std\nbody A\xc3");
         }},
        {"stray_continuation", [](const fs::path& m, const fs::path&) {
             write(m / "stray_continuation.charter", "import std\n\x80\x80 body A\n");
         }},
        {"nul_byte", [](const fs::path& m, const fs::path&) {
             write(m / "nul_byte.charter", std::string("import std\nbody A\0B\n", 20));
         }},
        {"binary", [](const fs::path& m, const fs::path&) { write(m / "binary.charter", binary(1 << 20)); }},
        {"utf16", [](const fs::path& m, const fs::path&) {
             write(m / "utf16.charter", std::string("\xff\xfei\0m\0p\0o\0r\0t\0 \0s\0t\0d\0\n\0", 24));
         }},
        // ---- files --------------------------------------------------------------------------
        {"empty", [](const fs::path& m, const fs::path&) { write(m / "empty.charter", ""); }},
        {"directory", [](const fs::path& m, const fs::path&) { fs::create_directories(m / "directory.charter"); }},
        {"fifo", [](const fs::path& m, const fs::path&) { ::mkfifo((m / "fifo.charter").c_str(), 0600); }},
        {"huge_file", [](const fs::path& m, const fs::path&) {  // sparse: 300 MiB of nothing on disk
             write(m / "huge_file.charter", "");
             fs::resize_file(m / "huge_file.charter", 300ull << 20);
         }},
        {"import_directory", [](const fs::path& m, const fs::path&) {
             fs::create_directories(m / "sub");
             write(m / "import_directory.charter", "import std\nimport \"sub\"\nbody A\n");
         }},
        {"import_binary", [](const fs::path& m, const fs::path&) {
             write(m / "tool.charter", binary(4 << 20));
             write(m / "import_binary.charter", "import std\nimport \"tool.charter\"\nbody A\n");
         }},
        {"import_huge", [](const fs::path& m, const fs::path&) {
             write(m / "big.charter", "");
             fs::resize_file(m / "big.charter", 300ull << 20);
             write(m / "import_huge.charter", "import std\nimport \"big.charter\"\nbody A\n");
         }},
        {"import_empty", [](const fs::path& m, const fs::path&) {
             write(m / "nothing.charter", "");
             write(m / "import_empty.charter", "import std\nimport \"nothing.charter\"\nbody A\n");
         }},
        {"import_self_dir", [](const fs::path& m, const fs::path&) {
             write(m / "import_self_dir.charter", "import \".\"\nimport \"\"\n");
         }},
        // ---- paths (§2): the model is DIR/model; DIR/outside.charter lies outside -----------
        {"import_dotdot", [](const fs::path& m, const fs::path&) {
             write(m / "import_dotdot.charter", "import std\nimport \"../outside.charter\"\nbody A\n");
         }},
        {"import_dotdot_allowed", [](const fs::path& m, const fs::path&) {
             write(m / "import_dotdot_allowed.charter", "import std\nimport \"../outside.charter\"\nbody A { reports_to Outside }\n");
         }},
        {"import_dotdot_inside", [](const fs::path& m, const fs::path&) {  // `..` that comes back in
             fs::create_directories(m / "sub");
             write(m / "sub" / "x.charter", "body X\n");
             write(m / "import_dotdot_inside.charter", "import std\nimport \"sub/../sub/x.charter\"\nbody A { reports_to X }\n");
         }},
        {"import_absolute", [](const fs::path& m, const fs::path&) {
             write(m / "import_absolute.charter", "import std\nimport \"/etc/passwd\"\nbody A\n");
         }},
        {"import_symlink", [](const fs::path& m, const fs::path&) {
             fs::create_symlink("../outside.charter", m / "link.charter");
             write(m / "import_symlink.charter", "import std\nimport \"link.charter\"\nbody A\n");
         }},
        {"import_symlink_dir", [](const fs::path& m, const fs::path&) {
             fs::create_directory_symlink("..", m / "up");
             write(m / "import_symlink_dir.charter", "import std\nimport \"up/outside.charter\"\nbody A\n");
         }},
        {"facts_dotdot", [](const fs::path& m, const fs::path&) {
             write(m / "facts_dotdot.charter", "import std\nrelation r(x: string)\nfacts r from \"../outside.csv\"\n");
         }},
        {"facts_symlink", [](const fs::path& m, const fs::path&) {
             fs::create_symlink("../outside.csv", m / "data.csv");
             write(m / "facts_symlink.charter", "import std\nrelation r(x: string)\nfacts r from \"data.csv\"\n");
         }},
        {"facts_binary", [](const fs::path& m, const fs::path&) {
             write(m / "data.csv", binary(1 << 20));
             write(m / "facts_binary.charter", "import std\nrelation r(x: string)\nfacts r from \"data.csv\"\n");
         }},
        {"facts_huge", [](const fs::path& m, const fs::path&) {
             write(m / "data.csv", "");
             fs::resize_file(m / "data.csv", 300ull << 20);
             write(m / "facts_huge.charter", "import std\nrelation r(x: string)\nfacts r from \"data.csv\"\n");
         }},
        {"facts_ragged", [](const fs::path& m, const fs::path&) {
             // 1.2 million rows (over 16 MiB: mapped, its pages let go while read) of new and
             // known entities, and now and then a row the loader's read-ahead must not trip on:
             // too few or too many cells, empty, CRLF, a trailing tab, no final line break.
             std::string text;
             for (int i = 0; i < 1'200'000; ++i) {
                 const std::string row = "b" + std::to_string(i) + "\tb" + std::to_string(i / 3);
                 switch (i % 100'003) {
                 case 7: text += "b" + std::to_string(i) + "\n"; break;
                 case 11: text += row + "\tb1\n"; break;
                 case 13: text += "\n\n"; break;
                 case 17: text += row + "\r\n"; break;
                 case 19: text += row + "\t\n"; break;
                 case 23: text += "\t\t\t\n"; break;
                 default: text += row + "\n";
                 }
             }
             text += "b0\tb1";
             write(m / "data.tsv", text);
             write(m / "facts_ragged.charter", "kind body\nrelation r(a: body, b: body)\nfacts r from \"data.tsv\" declare body\n");
         }},
        {"facts_directory", [](const fs::path& m, const fs::path&) {
             fs::create_directories(m / "data.csv");
             write(m / "facts_directory.charter", "import std\nrelation r(x: string)\nfacts r from \"data.csv\"\n");
         }},
        // ---- evaluation ---------------------------------------------------------------------
        {"closure_explosion", [](const fs::path& m, const fs::path&) {  // 10^10 pairs; stops at --max-tuples
             std::string text = "relation n(x: int)\nrule n(0)\nrule n(?m) :- n(?k), ?m = ?k + 1, ?m < 100000\n"
                                "rule pair(?a, ?b) :- n(?a), n(?b)\n";
             write(m / "closure_explosion.charter", text);
         }},
        {"wide_tuples", [](const fs::path& m, const fs::path&) {  // tuples of 200 values, without end
             std::string params, vars, body;
             for (int i = 0; i < 200; ++i) {
                 params += (i ? ", p" : "p") + std::to_string(i) + ": int";
                 vars += (i ? ", ?v" : "?v") + std::to_string(i);
                 body += (i ? ", n(?v" : "n(?v") + std::to_string(i) + ")";
             }
             write(m / "wide_tuples.charter", "relation n(x: int)\nrule n(0)\nrule n(?m) :- n(?k), ?m = ?k + 1, ?m < 1000\n"
                                              "relation w(" + params + ")\nrule w(" + vars + ") :- " + body + "\n");
         }},
        {"blank_lines_in_brackets", [](const fs::path& m, const fs::path&) {  // 1,000,000 blank lines inside `(`
             write(m / "blank_lines_in_brackets.charter", "import std\nbody A\nreports_to(A,\n" + repeat("\n", 1'000'000) +
                                                              "  A)\nreports_to(A,\n" + repeat("\n", 1'000'000) + "  B C)\n");
         }},
        {"many_arguments", [](const fs::path& m, const fs::path&) {  // a rule head of 100,000 arguments
             write(m / "many_arguments.charter", "relation b(x: int)\nb(1)\nrule h(" + repeat("?x, ", 99'999) + "?x) :- b(?x)\n");
         }},
        {"integer_overflow", [](const fs::path& m, const fs::path&) {
             write(m / "integer_overflow.charter",
                   "relation n(x: int)\nn(9223372036854775807)\nrule m(?y) :- n(?x), ?y = ?x * ?x\n? m(?y)\n");
         }},
    };
    return all;
}

}  // namespace

/// `make_input --digest DIR`: one line per regular file under DIR, its path and a hash of its
/// bytes, so that the runner can tell that Charter wrote to none of its inputs.
int digest(const fs::path& dir) {
    std::map<std::string, std::uint64_t> files;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        if (!entry.is_regular_file() || entry.is_symlink()) continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::uint64_t hash = 1469598103934665603ull;  // FNV-1a
        char buffer[1 << 16];
        while (in.read(buffer, sizeof buffer) || in.gcount() > 0)
            for (std::streamsize i = 0; i < in.gcount(); ++i)
                hash = (hash ^ static_cast<unsigned char>(buffer[i])) * 1099511628211ull;
        files[fs::relative(entry.path(), dir).string()] = hash;
    }
    for (const auto& [path, hash] : files) std::printf("%s %016llx\n", path.c_str(), static_cast<unsigned long long>(hash));
    return 0;
}

int main(int argc, char** argv) {
    if (argc == 3 && std::string(argv[1]) == "--digest") return digest(argv[2]);
    if (argc != 3) {
        std::fprintf(stderr, "usage: make_input CASE DIR | make_input --digest DIR\n");
        return 2;
    }
    const auto& all = cases();
    const auto it = all.find(argv[1]);
    if (it == all.end()) {
        std::fprintf(stderr, "make_input: no case `%s`\n", argv[1]);
        return 2;
    }
    const fs::path dir = argv[2];
    std::error_code ec;
    fs::remove_all(dir, ec);
    fs::create_directories(dir / "model");
    write(dir / "outside.charter", "body Outside\n");
    write(dir / "outside.csv", "x\nsecret\n");
    it->second(dir / "model", dir);
    return 0;
}
