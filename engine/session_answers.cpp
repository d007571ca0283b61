// Answers from the evaluated database: queries as tables, violations of the checks, outcomes
// of `expect`, and the diagnostic text the front ends print.
#include "session_impl.hpp"

#include "lang/parser.hpp"

#include <fmt/format.h>
#include <set>

namespace charter {

using engine::Value;
using engine::ValueTag;

// ---- values ------------------------------------------------------------------------------

Cell Session::Impl::cell(Value v) const {
    switch (v.tag()) {
    case ValueTag::none: return None{};
    case ValueTag::integer: return symbols.integer_value(v);
    case ValueTag::string: return std::string(symbols.string_text(v));
    case ValueTag::entity: return Entity{std::string(symbols.entity_name(v))};
    }
    return None{};
}

std::string Session::Impl::show(Value v) const {
    if (v.is_entity() && engine::Program::label_relation < database.relations.size()) {
        const auto& labels = database.relations[engine::Program::label_relation];
        Value key[2] = {v, {}};
        auto rows = labels.lookup(1u, key);
        if (!rows.empty()) return std::string(symbols.string_text(labels.row(rows.front())[1]));
    }
    return symbols.display(v);
}

namespace {
int rank(const Cell& c) {
    return std::visit([](const auto& x) -> int {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, None>) return 0;
        else if constexpr (std::is_same_v<T, std::int64_t>) return 1;
        else if constexpr (std::is_same_v<T, std::string>) return 2;
        else return 3;
    }, c);
}
bool cell_less(const Cell& a, const Cell& b) {
    if (rank(a) != rank(b)) return rank(a) < rank(b);
    if (const auto* i = std::get_if<std::int64_t>(&a)) return *i < std::get<std::int64_t>(b);
    if (const auto* s = std::get_if<std::string>(&a)) return *s < std::get<std::string>(b);
    if (const auto* e = std::get_if<Entity>(&a)) return e->id < std::get<Entity>(b).id;
    return false;
}
}  // namespace

void Session::Impl::sort_rows(Table& table) const {
    std::sort(table.rows.begin(), table.rows.end(), [](const auto& x, const auto& y) {
        return std::lexicographical_compare(x.begin(), x.end(), y.begin(), y.end(), cell_less);
    });
}

// ---- queries -----------------------------------------------------------------------------

std::optional<lang::ast::Statement> Session::Impl::parse_one(std::string_view text, std::string_view name,
                                                             lang::Diagnostics& diagnostics) {
    lang::SourceId id = sources.add(std::string(name), "", std::string(text));
    auto file = lang::parse(sources, id, diagnostics);
    if (diagnostics.has_errors()) return std::nullopt;
    if (file.statements.size() != 1) {
        diagnostics.error({id, 0, static_cast<std::uint32_t>(text.size())},
                          file.statements.empty() ? "nothing to run" : "expected one statement");
        return std::nullopt;
    }
    return std::move(file.statements.front());
}

Result<Table> Session::Impl::answer(const engine::Query& query) {
    Result<Table> result;
    for (auto v : query.columns) result.value.columns.push_back(query.var_names[v]);
    lang::Diagnostics diagnostics;
    if (!evaluate_for(query, diagnostics)) {
        static_cast<Status&>(result) = finish(diagnostics);
        return result;
    }
    std::vector<engine::Problem> problems;
    cancel = false;
    auto rows = engine::run_query(database, query, symbols, limits(), problems, &walkable);
    add_problems(problems, diagnostics);
    for (const auto& row : rows) {
        std::vector<Cell> cells;
        for (Value v : row) cells.push_back(cell(v));
        result.value.rows.push_back(std::move(cells));
    }
    sort_rows(result.value);
    static_cast<Status&>(result) = finish(diagnostics);
    return result;
}

Result<Table> Session::query(std::string_view question) {
    try {
        lang::Diagnostics diagnostics;
        auto statement = impl_->parse_one(question, "<query>", diagnostics);
        if (!statement) {
            Result<Table> r;
            static_cast<Status&>(r) = impl_->finish(diagnostics);
            return r;
        }
        if (const auto* q = std::get_if<lang::ast::Query>(&statement->node)) {
            const auto rules_before = impl_->model.program.rules.size();
            engine::Query lowered;
            if (!lang::lower_query(impl_->model, impl_->symbols, impl_->sources, q->body, statement->span, lowered, diagnostics)) {
                Result<Table> r;
                static_cast<Status&>(r) = impl_->finish(diagnostics);
                return r;
            }
            // A closure used for the first time (`r+`) adds relations and rules.
            if (impl_->model.program.rules.size() != rules_before && !impl_->extend(diagnostics)) {
                Result<Table> r;
                static_cast<Status&>(r) = impl_->finish(diagnostics);
                return r;
            }
            return impl_->answer(lowered);
        }
        if (const auto* q = std::get_if<lang::ast::Question>(&statement->node)) return impl_->run_question(*q, statement->span);
        diagnostics.error(statement->span, "expected a query: `? literals`, `who approves X`, `next C`, `route C` or `path r A B`");
        Result<Table> r;
        static_cast<Status&>(r) = impl_->finish(diagnostics);
        return r;
    } catch (const std::exception& e) {
        Result<Table> r;
        r.diagnostics.push_back({Severity::error, "", 0, 0, 0, fmt::format("internal error: {}", e.what()), "", "", {}});
        return r;
    }
}

Result<std::vector<FileQuery>> Session::file_queries() {
    Result<std::vector<FileQuery>> result;
    const auto& program = impl_->model.program;
    for (std::size_t i = 0; i < program.queries.size(); ++i) {
        auto answer = impl_->answer(program.queries[i]);
        result.diagnostics.insert(result.diagnostics.end(), answer.diagnostics.begin(), answer.diagnostics.end());
        result.value.push_back({impl_->locate(program.queries[i].location), impl_->model.names.query_texts[i], std::move(answer.value)});
    }
    for (const auto& q : impl_->model.names.questions) {
        auto answer = query(q.text);
        result.diagnostics.insert(result.diagnostics.end(), answer.diagnostics.begin(), answer.diagnostics.end());
        auto where = impl_->sources.locate(q.span);
        result.value.push_back({{where.file, where.line, where.column}, q.text, std::move(answer.value)});
    }
    std::stable_sort(result.value.begin(), result.value.end(), [](const FileQuery& a, const FileQuery& b) {
        return std::tie(a.location.file, a.location.line, a.location.column) < std::tie(b.location.file, b.location.line, b.location.column);
    });
    return result;
}

// ---- checks ------------------------------------------------------------------------------

Result<std::vector<Violation>> Session::Impl::violations() {
    Result<std::vector<Violation>> result;
    const auto& program = model.program;
    lang::Diagnostics diagnostics;
    if (!complete(diagnostics)) {
        static_cast<Status&>(result) = finish(diagnostics);
        return result;
    }
    for (std::size_t c = 0; c < program.checks.size(); ++c) {
        const auto& check = program.checks[c];
        const auto& store = database.relations[check.violations];
        for (std::size_t row = 0; row < store.size(); ++row) {
            auto tuple = store.row(row);
            Violation v;
            v.check = check.name;
            v.severity = check.warning ? Severity::warning : Severity::error;
            // A violation that binds `?severity` to "warning" is a warning (`seats warning`, §5).
            for (std::size_t i = 0; i < check.var_names.size(); ++i)
                if (check.var_names[i] == "severity" && tuple[i].tag() == ValueTag::string)
                    v.severity = symbols.string_text(tuple[i]) == "warning" ? Severity::warning : Severity::error;
            v.location = locate(store.location(row));
            // §7: subjects are the entities bound to the check's variables, in order, unless the
            // check lists them (`subjects ?v : literals`).
            std::vector<Value> subjects;
            auto add_subject = [&](Value s) {
                if (s.is_entity() && std::find(subjects.begin(), subjects.end(), s) == subjects.end()) subjects.push_back(s);
            };
            const auto& subject_vars = model.names.check_subject_vars[c];
            const auto& subject_body = model.names.check_subjects[c];
            const auto& columns = model.names.check_columns[c];
            if (subject_body.empty()) {
                for (auto var : subject_vars)
                    for (std::size_t i = 0; i < columns.size(); ++i)
                        if (columns[i].var == var) add_subject(tuple[i]);
            } else {
                engine::Query q;
                q.var_count = model.names.check_subject_var_counts[c];
                q.var_names.assign(q.var_count, "");
                q.columns = subject_vars;
                q.body = subject_body;
                // Bind the violation's variables: `?v = value` literals first.
                for (std::size_t i = 0; i < columns.size(); ++i) {
                    engine::Literal bind;
                    bind.kind = engine::Literal::Kind::compare;
                    bind.left.term = columns[i];
                    bind.right.term = engine::Term::of(tuple[i]);
                    q.body.insert(q.body.begin(), bind);
                }
                std::vector<engine::Problem> problems;
                auto rows = engine::run_query(database, q, symbols, limits(), problems);
                add_problems(problems, diagnostics);
                std::sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) {
                    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                                        [&](Value x, Value y) { return symbols.less(x, y); });
                });
                for (const auto& r : rows)
                    for (Value s : r) add_subject(s);
            }
            for (Value s : subjects) v.subjects.emplace_back(symbols.entity_name(s));
            // Interpolate `{?var}`, by label where the entity has one.
            const std::string& m = check.message;
            for (std::size_t i = 0; i < m.size();) {
                if (m[i] == '{' && i + 1 < m.size() && m[i + 1] == '?') {
                    auto close = m.find('}', i);
                    if (close != std::string::npos) {
                        std::string name = m.substr(i + 2, close - i - 2);
                        auto it = std::find(check.var_names.begin(), check.var_names.end(), name);
                        if (it != check.var_names.end()) {
                            v.message += show(tuple[static_cast<std::size_t>(it - check.var_names.begin())]);
                            i = close + 1;
                            continue;
                        }
                    }
                }
                v.message += m[i++];
            }
            result.value.push_back(std::move(v));
        }
    }
    std::sort(result.value.begin(), result.value.end(), [](const Violation& a, const Violation& b) {
        return std::tie(a.severity, a.location.file, a.location.line, a.location.column, a.check, a.message) <
               std::tie(b.severity, b.location.file, b.location.line, b.location.column, b.check, b.message);
    });
    static_cast<Status&>(result) = finish(diagnostics);
    return result;
}

Result<std::vector<Violation>> Session::check() {
    try {
        return impl_->violations();
    } catch (const std::exception& e) {
        Result<std::vector<Violation>> r;
        r.diagnostics.push_back({Severity::error, "", 0, 0, 0, fmt::format("internal error: {}", e.what()), "", "", {}});
        return r;
    }
}

// ---- tests -------------------------------------------------------------------------------

namespace {
std::string describe_rows(const Table& t, std::size_t most = 5) {
    if (t.rows.empty()) return "no answer";
    std::string out;
    for (std::size_t i = 0; i < t.rows.size() && i < most; ++i) {
        if (i > 0) out += "; ";
        std::vector<std::string> cells;
        for (std::size_t c = 0; c < t.rows[i].size(); ++c) {
            std::string value = std::visit([](const auto& x) -> std::string {
                using T = std::decay_t<decltype(x)>;
                if constexpr (std::is_same_v<T, None>) return "none";
                else if constexpr (std::is_same_v<T, std::int64_t>) return std::to_string(x);
                else if constexpr (std::is_same_v<T, std::string>) return fmt::format("\"{}\"", x);
                else return x.id;
            }, t.rows[i][c]);
            cells.push_back(fmt::format("?{} = {}", t.columns[c], value));
        }
        out += cells.empty() ? "yes" : fmt::format("{}", fmt::join(cells, ", "));
    }
    if (t.rows.size() > most) out += fmt::format("; … ({} answers)", t.rows.size());
    return out;
}
}  // namespace

Result<std::vector<Expectation>> Session::test() {
    Result<std::vector<Expectation>> result;
    try {
        const auto& program = impl_->model.program;
        auto violations = impl_->violations();
        result.diagnostics = violations.diagnostics;
        for (std::size_t i = 0; i < program.expectations.size(); ++i) {
            const auto& e = program.expectations[i];
            Expectation out;
            out.location = impl_->locate(e.location);
            out.statement = impl_->model.names.expectation_texts[i];
            using F = engine::Expectation::Form;
            switch (e.form) {
            case F::holds:
            case F::none: {
                auto answer = impl_->answer(e.query);
                result.diagnostics.insert(result.diagnostics.end(), answer.diagnostics.begin(), answer.diagnostics.end());
                bool holds = !answer.value.rows.empty();
                out.passed = e.form == F::holds ? holds : !holds;
                if (!out.passed) {
                    out.expected = e.form == F::holds ? "at least one answer" : "no answer";
                    out.found = describe_rows(answer.value);
                }
                break;
            }
            case F::violation: {
                std::string on = e.on ? std::string(impl_->symbols.entity_name(*e.on)) : "";
                std::vector<std::string> found;
                for (const auto& v : violations.value) {
                    if (v.check != e.check) continue;
                    found.push_back(v.message);
                    if (on.empty() || std::find(v.subjects.begin(), v.subjects.end(), on) != v.subjects.end()) out.passed = true;
                }
                if (!out.passed) {
                    out.expected = on.empty() ? fmt::format("a `{}` violation", e.check) : fmt::format("a `{}` violation on {}", e.check, on);
                    out.found = found.empty() ? fmt::format("no `{}` violation", e.check)
                                              : fmt::format("{}", fmt::join(found, "; "));
                }
                break;
            }
            case F::no_violations: {
                out.passed = violations.value.empty();
                if (!out.passed) {
                    out.expected = "no violations";
                    std::vector<std::string> found;
                    for (const auto& v : violations.value) found.push_back(fmt::format("[{}] {}", v.check, v.message));
                    out.found = fmt::format("{}", fmt::join(found, "; "));
                }
                break;
            }
            }
            result.value.push_back(std::move(out));
        }
    } catch (const std::exception& e) {
        result.diagnostics.push_back({Severity::error, "", 0, 0, 0, fmt::format("internal error: {}", e.what()), "", "", {}});
    }
    return result;
}

// ---- diagnostics as text -----------------------------------------------------------------

std::string format(const Diagnostic& d, bool colour) {
    auto paint = [&](std::string_view code, std::string_view text) {
        return colour ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : std::string(text);
    };
    std::string_view severity = d.severity == Severity::error ? "error" : d.severity == Severity::warning ? "warning" : "note";
    std::string_view severity_colour = d.severity == Severity::error ? "1;31" : d.severity == Severity::warning ? "1;35" : "1;36";
    std::string out;
    if (!d.file.empty() && d.line > 0) out += paint("1", fmt::format("{}:{}:{}: ", d.file, d.line, d.column));
    out += paint(severity_colour, fmt::format("{}:", severity));
    out += fmt::format(" {}\n", d.message);
    if (!d.file.empty() && d.line > 0) {
        std::string number = std::to_string(d.line);
        std::size_t width = std::max<std::size_t>(4, number.size());
        out += fmt::format("{:>{}} | {}\n", number, width, d.source_line);
        // The caret sits under the column, counted in code points; tabs stay tabs.
        std::string pad;
        std::uint32_t cp = d.excerpt_column > 0 ? d.excerpt_column - 1 : 0;
        std::uint32_t shown = 0;  // code points of the excerpt
        for (std::size_t i = 0; i < d.source_line.size(); ++i) {
            auto c = static_cast<unsigned char>(d.source_line[i]);
            if ((c & 0xC0) == 0x80) continue;
            ++shown;
            if (cp + 1 >= d.column) continue;
            pad += c == '\t' ? '\t' : ' ';
            ++cp;
        }
        // The underline stops at the excerpt's end (a long line is cut).
        const std::int64_t room = std::int64_t{d.excerpt_column} + shown - d.column;
        const std::uint32_t length = room < d.length ? static_cast<std::uint32_t>(std::max<std::int64_t>(room, 1)) : d.length;
        std::string marker = "^" + std::string(length > 1 ? length - 1 : 0, '~');
        out += fmt::format("{:>{}} | {}{}\n", "", width, pad, paint(severity_colour, marker));
    }
    if (!d.hint.empty()) out += fmt::format("{} {}\n", paint("1;36", "hint:"), d.hint);
    for (const auto& n : d.notes) out += format(n, colour);
    return out;
}

}  // namespace charter
