// A case-handling system asks Charter where a case goes: load a model, route a case, check it.
//   route_case MODEL CASE      e.g.  route_case examples/syddanmark/model.charter Spor3Eksempel
#include <charter/charter.hpp>

#include <iostream>
#include <string>
#include <variant>

namespace {

std::string text(const charter::Cell& cell) {
    if (const auto* e = std::get_if<charter::Entity>(&cell)) return e->id;
    if (const auto* s = std::get_if<std::string>(&cell)) return *s;
    if (const auto* i = std::get_if<std::int64_t>(&cell)) return std::to_string(*i);
    return "none";
}

bool report(const charter::Status& status) {
    for (const auto& d : status.diagnostics) std::cerr << charter::format(d);
    return status.ok();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: route_case MODEL CASE\n";
        return 2;
    }
    charter::Session session;
    if (!report(session.load_file(argv[1]))) return 2;

    auto route = session.query(std::string("route ") + argv[2]);
    if (!report(route)) return 2;
    std::cout << "route of " << argv[2] << ":\n";
    for (const auto& row : route.value.rows) {
        std::cout << "  ";
        for (std::size_t i = 0; i < row.size(); ++i) std::cout << (i ? "  " : "") << text(row[i]);
        std::cout << "\n";
    }

    // Bad input comes back as diagnostics; the session stays usable.
    auto bad = session.query("who approves NoSuchFlow");
    std::cout << "a bad question: " << (bad.ok() ? "answered" : bad.diagnostics.front().message) << "\n";

    auto violations = session.check();
    if (!report(violations)) return 2;
    std::size_t errors = 0;
    for (const auto& v : violations.value) errors += v.severity == charter::Severity::error;
    std::cout << errors << " error-level violations\n";
    return 0;
}
