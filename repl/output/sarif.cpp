// SARIF 2.1.0 output of `charter check` (§9): one result per violation, ruleId the check.
#include "repl/output/sarif.hpp"

#include "repl/output/json.hpp"
#include "repl/version.hpp"

#include <cctype>
#include <cstdint>
#include <map>

namespace charter::repl {

std::string uri_reference(std::string_view path) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (char c : path) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
            out += c;
        } else {
            out += '%';
            out += hex[byte >> 4];
            out += hex[byte & 0xF];
        }
    }
    return out;
}

std::string violations_sarif(const std::vector<Violation>& violations) {
    Json rules = Json::array();
    std::map<std::string, std::int64_t> rule_index;
    Json results = Json::array();
    for (const auto& v : violations) {
        auto [it, added] = rule_index.try_emplace(v.check, static_cast<std::int64_t>(rules.size()));
        if (added) {
            Json rule = Json::object();
            rule["id"] = v.check;
            rules.push_back(std::move(rule));
        }
        Json result = Json::object();
        result["ruleId"] = v.check;
        result["ruleIndex"] = it->second;
        result["level"] = severity_name(v.severity);
        result["message"] = Json{{"text", v.message}};
        Json locations = Json::array();
        if (!v.location.file.empty()) {
            Json artifact = Json::object();
            const bool absolute = v.location.file.starts_with('/');
            artifact["uri"] = absolute ? "file://" + uri_reference(v.location.file)
                                       : uri_reference(v.location.file);
            if (!absolute)
                artifact["uriBaseId"] = "%SRCROOT%";
            Json region = Json::object();
            if (v.location.line > 0)
                region["startLine"] = v.location.line;
            if (v.location.column > 0)
                region["startColumn"] = v.location.column;
            Json physical = Json::object();
            physical["artifactLocation"] = std::move(artifact);
            if (!region.empty())
                physical["region"] = std::move(region);
            locations.push_back(Json{{"physicalLocation", std::move(physical)}});
        }
        result["locations"] = std::move(locations);
        result["properties"] = Json{{"subjects", v.subjects}};
        results.push_back(std::move(result));
    }

    Json driver = Json::object();
    driver["name"] = "charter";
    driver["version"] = std::string(version);
    driver["rules"] = std::move(rules);
    Json run = Json::object();
    run["tool"] = Json{{"driver", std::move(driver)}};
    run["columnKind"] = "unicodeCodePoints"; // Diagnostic and Location columns count code points
    run["results"] = std::move(results);
    Json log = Json::object();
    log["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
    log["version"] = "2.1.0";
    log["runs"] = Json::array({std::move(run)});
    return json_pretty(log) + "\n";
}

} // namespace charter::repl
