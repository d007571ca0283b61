// The version the command line reports (`charter --version`, SARIF's tool.driver.version).
#pragma once

#include <string_view>

namespace charter::repl {

inline constexpr std::string_view version = "0.1.0"; // keep in step with project(VERSION) in CMake

} // namespace charter::repl
