/// Charter's public API: load governance models, ask questions, run checks and tests, try
/// hypothetical changes. Values in, values out: nothing here throws, prints or exits on bad
/// input; problems come back as diagnostics and the session stays usable. No global state:
/// use one Session per thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace charter {

enum class Severity { error, warning, note };

/// A problem with a place: `file:line:column: error: message`, the line, a caret, a hint.
struct Diagnostic {
    Severity severity = Severity::error;
    std::string file;            // "" when the problem has no place (e.g. a missing argument)
    std::uint32_t line = 0;      // 1-based; 0 when there is no place
    std::uint32_t column = 0;    // 1-based, in code points
    std::uint32_t length = 0;    // code points under the caret (0: one caret)
    std::string message;
    std::string hint;
    std::string source_line;     // the text of `line`, for the excerpt: printable, and a long
                                 // line cut to a window around the column, `…` at each cut
    std::vector<Diagnostic> notes;
    std::uint32_t excerpt_column = 1;  // the column that source_line's first code point shows
};

/// The diagnostic as the command line prints it, excerpt and hint included.
std::string format(const Diagnostic& diagnostic, bool colour = false);

struct Status {
    std::vector<Diagnostic> diagnostics;  // errors and warnings, in source order
    [[nodiscard]] bool ok() const;        // no error-level diagnostic
};

template <typename T>
struct Result : Status {
    T value{};
};

struct None {
    friend bool operator==(None, None) { return true; }
};
struct Entity {
    std::string id;
    friend bool operator==(const Entity&, const Entity&) = default;
};
using Cell = std::variant<None, std::int64_t, std::string, Entity>;

/// Every query form answers a table (§9): named columns, rows sorted.
struct Table {
    std::vector<std::string> columns;
    std::vector<std::vector<Cell>> rows;
};

struct Location {
    std::string file;
    std::uint32_t line = 0;
    std::uint32_t column = 0;
};

struct Violation {
    std::string check;
    Severity severity = Severity::error;
    std::string message;
    std::vector<std::string> subjects;  // entity identifiers
    Location location;
};

/// The outcome of one `expect` statement.
struct Expectation {
    Location location;
    std::string statement;  // the expect statement as written
    bool passed = false;
    std::string expected;   // what was expected, when it failed
    std::string found;      // what was found instead
};

/// A `?` or question statement found in a loaded file, with its answer.
struct FileQuery {
    Location location;
    std::string text;
    Table answer;
};

/// How a fact follows (`:why`): stated at a location, or derived by a rule from premises.
struct Derivation {
    std::string fact;                    // as Charter text: `reports_to+(FKØ, SDK)`
    bool stated = false;
    Location location;                   // the statement (stated) or the rule (derived)
    std::string rule;                    // the rule's text, for a derived fact
    std::vector<Derivation> premises;    // the facts the rule used, each explained in turn
};

/// What keeps a fact from holding (`:whynot`): for each rule that could derive it, the first
/// literal that fails and the nearest facts that would have matched.
struct Blocker {
    std::string rule;                    // the rule's text ("" when the fact could only be stated)
    Location location;
    std::string failing;                 // the literal that fails, with the fact's values bound
    std::vector<std::string> nearest;    // facts that come closest to matching it
};

/// One relation's tuples that a change added or removed.
struct RelationChange {
    std::string relation;
    std::vector<std::vector<Cell>> added;
    std::vector<std::vector<Cell>> removed;
};

/// Before → after: what a reorganisation changes (`charter diff`, `:diff`).
struct ModelDiff {
    std::vector<Violation> violations_added;
    std::vector<Violation> violations_removed;
    std::vector<RelationChange> relations;   // stated and derived, sorted by relation name
    struct Answer {
        std::string question;                // `who approves revision_track3`
        Table before;
        Table after;
    };
    std::vector<Answer> approvals;           // `who approves F` for every flow whose answer changed
    std::vector<Answer> reporting_chains;    // `? reports_to+(B, ?up)` for every body whose chain changed
};

struct Options {
    std::uint64_t max_tuples = 50'000'000;        // derived tuples in one evaluation
    std::chrono::milliseconds timeout{60'000};    // one evaluation's wall time
    /// Resident memory of the process (MiB) past which an evaluation stops; 0: three quarters
    /// of the machine's memory (or of the container's limit).
    std::uint64_t max_memory_mb = 0;
    /// Directories besides the working directory, the loaded files' own and the stdlib from
    /// which imports and data files may be read (§2).
    std::vector<std::filesystem::path> allowed_paths;
    bool colour = false;                          // ANSI colour in formatted messages
    /// true: loading evaluates the whole model, so that every later question reads it. false:
    /// loading stops after resolving; a query then evaluates only what it reads (closures by
    /// graph walks), and the first check, test, explanation, diff, drawing or governance
    /// question evaluates the rest. `charter query` loads this way.
    bool evaluate_on_load = true;
};

/// A model (the files loaded so far, plus statements added) and hypothetical changes to it.
class Session {
public:
    explicit Session(Options options = {});
    Session(Session&&) noexcept;
    Session& operator=(Session&&) noexcept;
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;
    ~Session();

    /// Adds a file (and what it imports) to the model and re-evaluates.
    Status load_file(const std::filesystem::path& path);
    /// Adds several files as one model (they may name each other's entities) and evaluates once.
    Status load_files(const std::vector<std::filesystem::path>& paths);
    /// Adds source text under `name` (used in diagnostics) and re-evaluates.
    Status load_string(std::string_view text, std::string_view name = "<input>");
    /// Drops every loaded file and statement, then loads the files again from disk.
    Status reload();

    /// Runs `? literals`, `who approves X`, `next C`, `route C` or `path r A B`.
    Result<Table> query(std::string_view question);
    /// Violations of every check, most severe first, then by location.
    Result<std::vector<Violation>> check();
    /// Runs every `expect` of the loaded files.
    Result<std::vector<Expectation>> test();
    /// Every `?` and question statement of the loaded files, answered.
    Result<std::vector<FileQuery>> file_queries();

    /// A hypothetical change: `add FACT` or `remove FACT`. Kept until reset().
    Status assume(std::string_view change);
    void reset();

    /// The derivation of a ground fact, down to stated facts (`:why`).
    Result<Derivation> why(std::string_view fact);
    /// Why a ground fact does not hold (`:whynot`).
    Result<std::vector<Blocker>> why_not(std::string_view fact);
    /// What the assumptions change against the loaded model (`:diff`).
    Result<ModelDiff> diff_assumptions();
    /// What `after` changes against `before` (`charter diff`).
    static Result<ModelDiff> diff(Session& before, Session& after);
    /// Loads a proposal (`amends "model.charter"`, then `remove`, `rename`, new statements) as
    /// this session's model: the amended model with the proposal's changes applied.
    Status load_proposal(const std::filesystem::path& path);
    /// Graphviz DOT of the model: entities as nodes (nested ones as clusters), one edge style
    /// per relation; `relations` empty means the standard organisational ones. With `flow`, the
    /// flow's steps and performers instead.
    Result<std::string> dot(const std::vector<std::string>& relations = {}, std::string_view flow = {});

    /// Stops a running evaluation or query soon; safe to call from another thread or a signal
    /// handler. The interrupted call returns an error diagnostic "evaluation cancelled".
    void cancel() noexcept;

    /// Names for completion and listings, sorted.
    [[nodiscard]] std::vector<std::string> entities() const;
    [[nodiscard]] std::vector<std::string> relations() const;
    [[nodiscard]] std::vector<std::string> kinds() const;
    [[nodiscard]] std::vector<std::filesystem::path> loaded_files() const;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace charter
