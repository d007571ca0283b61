// `charter check --format sarif` against the SARIF 2.1.0 schema (OASIS, sarif-schema-2.1.0.json):
// the real binary's output for several models is held to the schema's structure — the required
// properties, the enumerations, the numeric minimums, the URI references, the cross-reference
// between a result's ruleIndex and its ruleId, and no property the schema does not define on the
// objects the log uses (the schema says `additionalProperties: false` for them).
//
// There is no network here, and the schema is not vendored, so the schema's rules for the
// objects Charter writes are restated below, from the 2.1.0 text. (An npm JSON-schema validator,
// ajv, is on the registry, but no npm package carries the SARIF schema itself; see
// docs/reorganisations.md, "SARIF".)
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

const fs::path source_root = fs::path(__FILE__).parent_path().parent_path().parent_path();

/// The charter binary beside this test's build folder (build/tests/unit_tests → build/charter).
fs::path charter_binary() {
    std::error_code ec;
    fs::path self = fs::read_symlink("/proc/self/exe", ec);
    return self.parent_path().parent_path() / "charter";
}

/// Runs `charter check --format sarif FILE` in `dir`; stdout and the exit code.
std::pair<std::string, int> run_check(const fs::path& dir, const std::string& file) {
    const std::string command = "cd '" + dir.string() + "' && NO_COLOR=1 '" + charter_binary().string() +
                                "' check --format sarif '" + file + "' 2>/dev/null";
    FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string out;
    std::array<char, 4096> buffer{};
    while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
    const int status = ::pclose(pipe);
    return {out, WIFEXITED(status) ? WEXITSTATUS(status) : -1};
}

/// The property names the schema defines for each object type Charter writes.
const std::set<std::string> sarif_log_keys = {"$schema", "version", "runs", "inlineExternalProperties", "properties"};
const std::set<std::string> run_keys = {
    "tool", "invocations", "conversion", "language", "versionControlProvenance", "originalUriBaseIds", "artifacts",
    "logicalLocations", "graphs", "results", "automationDetails", "runAggregates", "baselineGuid", "redactionTokens",
    "defaultEncoding", "defaultSourceLanguage", "newlineSequences", "columnKind", "externalPropertyFileReferences",
    "threadFlowLocations", "taxonomies", "addresses", "translations", "policies", "webRequests", "webResponses",
    "specialLocations", "properties"};
const std::set<std::string> tool_keys = {"driver", "extensions", "properties"};
const std::set<std::string> tool_component_keys = {
    "guid", "name", "organization", "product", "productSuite", "shortDescription", "fullDescription", "fullName",
    "version", "semanticVersion", "dottedQuadFileVersion", "releaseDateUtc", "downloadUri", "informationUri",
    "globalMessageStrings", "notifications", "rules", "taxa", "locations", "language", "contents", "isComprehensive",
    "localizedDataSemanticVersion", "minimumRequiredLocalizedDataSemanticVersion", "associatedComponent",
    "translationMetadata", "supportedTaxonomies", "properties"};
const std::set<std::string> reporting_descriptor_keys = {
    "id", "deprecatedIds", "guid", "deprecatedGuids", "name", "deprecatedNames", "shortDescription", "fullDescription",
    "messageStrings", "defaultConfiguration", "helpUri", "help", "relationships", "properties"};
const std::set<std::string> result_keys = {
    "ruleId", "ruleIndex", "rule", "kind", "level", "message", "analysisTarget", "locations", "guid", "correlationGuid",
    "occurrenceCount", "partialFingerprints", "fingerprints", "stacks", "codeFlows", "graphs", "graphTraversals",
    "relatedLocations", "suppressions", "baselineState", "rank", "attachments", "hostedViewerUri", "workItemUris",
    "provenance", "fixes", "taxa", "webRequest", "webResponse", "properties"};
const std::set<std::string> message_keys = {"text", "markdown", "id", "arguments", "properties"};
const std::set<std::string> location_keys = {"id", "physicalLocation", "logicalLocations", "message", "annotations",
                                             "relationships", "properties"};
const std::set<std::string> physical_location_keys = {"address", "artifactLocation", "region", "contextRegion", "properties"};
const std::set<std::string> artifact_location_keys = {"uri", "uriBaseId", "index", "description", "properties"};
const std::set<std::string> region_keys = {"startLine", "startColumn", "endLine", "endColumn", "charOffset", "charLength",
                                           "byteOffset", "byteLength", "snippet", "message", "sourceLanguage", "properties"};

void only_schema_keys(const Json& object, const std::set<std::string>& allowed, const char* type) {
    REQUIRE_MESSAGE(object.is_object(), type << " is an object");
    for (const auto& [key, _] : object.items()) CHECK_MESSAGE(allowed.contains(key), type << " has no property `" << key << "`");
}

/// RFC 3986 URI reference: unreserved, reserved and percent-encoded characters only.
bool is_uri_reference(const std::string& uri) {
    static const std::string allowed = "-._~:/?#[]@!$&'()*+,;=";
    for (std::size_t i = 0; i < uri.size(); ++i) {
        const auto c = static_cast<unsigned char>(uri[i]);
        if (c == '%') {
            if (i + 2 >= uri.size() || !std::isxdigit(static_cast<unsigned char>(uri[i + 1])) ||
                !std::isxdigit(static_cast<unsigned char>(uri[i + 2])))
                return false;
            i += 2;
        } else if (!(std::isalnum(c) || allowed.find(static_cast<char>(c)) != std::string::npos)) {
            return false;
        }
    }
    return true;
}

void property_bag(const Json& object) {
    if (object.contains("properties")) CHECK(object["properties"].is_object());
}

/// The SARIF 2.1.0 schema's rules for every object `charter check --format sarif` writes.
void validate(const Json& log) {
    only_schema_keys(log, sarif_log_keys, "sarifLog");
    REQUIRE(log.contains("version"));                         // required
    CHECK(log["version"] == "2.1.0");                         // enum ["2.1.0"]
    REQUIRE(log.contains("$schema"));
    CHECK(log["$schema"].is_string());
    CHECK(is_uri_reference(log["$schema"].get<std::string>()));
    REQUIRE(log.contains("runs"));                            // required
    REQUIRE(log["runs"].is_array());
    for (const auto& run : log["runs"]) {
        only_schema_keys(run, run_keys, "run");
        property_bag(run);
        REQUIRE(run.contains("tool"));                        // required
        only_schema_keys(run["tool"], tool_keys, "tool");
        REQUIRE(run["tool"].contains("driver"));              // required
        const auto& driver = run["tool"]["driver"];
        only_schema_keys(driver, tool_component_keys, "toolComponent");
        REQUIRE(driver.contains("name"));                     // required
        CHECK(driver["name"].is_string());
        CHECK(driver["name"] == "charter");
        if (driver.contains("version")) CHECK(driver["version"].is_string());
        std::vector<std::string> rule_ids;
        if (driver.contains("rules")) {
            REQUIRE(driver["rules"].is_array());
            for (const auto& rule : driver["rules"]) {
                only_schema_keys(rule, reporting_descriptor_keys, "reportingDescriptor");
                REQUIRE(rule.contains("id"));                 // required
                REQUIRE(rule["id"].is_string());
                rule_ids.push_back(rule["id"]);
            }
            CHECK(std::set<std::string>(rule_ids.begin(), rule_ids.end()).size() == rule_ids.size());  // uniqueItems
        }
        if (run.contains("columnKind")) {
            const std::set<std::string> kinds = {"utf16CodeUnits", "unicodeCodePoints"};
            CHECK(kinds.contains(run["columnKind"].get<std::string>()));
        }
        REQUIRE(run.contains("results"));
        REQUIRE(run["results"].is_array());
        for (const auto& result : run["results"]) {
            only_schema_keys(result, result_keys, "result");
            property_bag(result);
            REQUIRE(result.contains("message"));              // required
            only_schema_keys(result["message"], message_keys, "message");
            REQUIRE(result["message"].contains("text"));      // anyOf text | id
            CHECK(result["message"]["text"].is_string());
            REQUIRE(result.contains("ruleId"));
            CHECK(result["ruleId"].is_string());
            REQUIRE(result.contains("level"));
            const std::set<std::string> levels = {"none", "note", "warning", "error"};  // enum
            CHECK(levels.contains(result["level"].get<std::string>()));
            if (result.contains("kind")) {
                const std::set<std::string> kinds = {"notApplicable", "pass", "fail", "review", "open", "informational"};
                CHECK(kinds.contains(result["kind"].get<std::string>()));
            }
            if (result.contains("ruleIndex")) {               // integer, minimum -1
                REQUIRE(result["ruleIndex"].is_number_integer());
                const auto index = result["ruleIndex"].get<std::int64_t>();
                CHECK(index >= -1);
                REQUIRE(index >= 0);
                REQUIRE(static_cast<std::size_t>(index) < rule_ids.size());
                CHECK(rule_ids[static_cast<std::size_t>(index)] == result["ruleId"]);  // §3.27.6
            }
            REQUIRE(result.contains("locations"));
            REQUIRE(result["locations"].is_array());
            for (const auto& location : result["locations"]) {
                only_schema_keys(location, location_keys, "location");
                REQUIRE(location.contains("physicalLocation"));
                const auto& physical = location["physicalLocation"];
                only_schema_keys(physical, physical_location_keys, "physicalLocation");
                REQUIRE(physical.contains("artifactLocation"));
                const auto& artifact = physical["artifactLocation"];
                only_schema_keys(artifact, artifact_location_keys, "artifactLocation");
                REQUIRE(artifact.contains("uri"));
                REQUIRE(artifact["uri"].is_string());
                CHECK(is_uri_reference(artifact["uri"].get<std::string>()));
                if (artifact.contains("uriBaseId")) CHECK(artifact["uriBaseId"].is_string());
                REQUIRE(physical.contains("region"));
                const auto& region = physical["region"];
                only_schema_keys(region, region_keys, "region");
                REQUIRE(region.contains("startLine"));
                REQUIRE(region["startLine"].is_number_integer());
                CHECK(region["startLine"].get<std::int64_t>() >= 1);      // minimum 1
                REQUIRE(region.contains("startColumn"));
                REQUIRE(region["startColumn"].is_number_integer());
                CHECK(region["startColumn"].get<std::int64_t>() >= 1);    // minimum 1
            }
        }
    }
}

Json checked_log(const fs::path& dir, const std::string& file, int expected_exit) {
    REQUIRE_MESSAGE(fs::exists(charter_binary()), "the charter binary beside the tests: " << charter_binary());
    auto [out, exit_code] = run_check(dir, file);
    CHECK(exit_code == expected_exit);
    Json log = Json::parse(out, nullptr, false);
    REQUIRE_MESSAGE(!log.is_discarded(), "the output is JSON: " << out);
    validate(log);
    return log;
}

}  // namespace

TEST_CASE("SARIF of violations, errors and warnings, holds to the SARIF 2.1.0 schema") {
    auto log = checked_log(source_root / "tests/golden/cli", "check_violations.charter", 1);
    const auto& results = log["runs"][0]["results"];
    CHECK(results.size() >= 2);
    std::set<std::string> levels;
    for (const auto& r : results) levels.insert(r["level"]);
    CHECK(levels == std::set<std::string>{"error", "warning"});
}

TEST_CASE("SARIF of every standard check holds to the schema") {
    checked_log(source_root / "tests/golden/checks", "standard_checks.charter", 1);
}

TEST_CASE("SARIF with no violations holds to the schema: empty results") {
    auto log = checked_log(source_root / "tests/golden/checks", "clean.charter", 0);
    CHECK(log["runs"][0]["results"].empty());
}

TEST_CASE("SARIF of a file with spaces and non-ASCII in its absolute path: a file URI, percent-encoded") {
    const fs::path dir = fs::temp_directory_path() / ("charter sarif ø " + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path model = dir / "FKØ model.charter";
    std::ofstream(model) << "import std\nbody FKØ \"Fælleskommunal Økonomigruppe\"\n";
    auto log = checked_log(source_root, model.string(), 1);  // run elsewhere: the path stays absolute
    const auto& results = log["runs"][0]["results"];
    REQUIRE(results.size() == 1);
    const std::string uri = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    CHECK(uri.starts_with("file:///"));
    CHECK(uri.ends_with("/FK%C3%98%20model.charter"));
    fs::remove_all(dir);
}

TEST_CASE("SARIF of every example organisation holds to the schema") {
    for (const char* organisation : {"syddanmark", "hovedstaden", "midtjylland", "kl"}) {
        CAPTURE(organisation);
        auto [out, exit_code] = run_check(source_root / "examples" / organisation, "model.charter");
        CHECK((exit_code == 0 || exit_code == 1));
        Json log = Json::parse(out, nullptr, false);
        REQUIRE(!log.is_discarded());
        validate(log);
    }
}
