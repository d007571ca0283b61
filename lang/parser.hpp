// Text → syntax tree. One call parses one source; syntax errors go to `diagnostics` and
// parsing resumes at the next statement, so one run reports all of them.
#pragma once

#include "ast.hpp"
#include "diagnostic.hpp"
#include "source.hpp"

namespace charter::lang {

/// Parses the whole text of `source`. Statements with syntax errors are left out of the result.
ast::File parse(const SourceManager& sources, SourceId source, Diagnostics& diagnostics);

/// Parses one statement typed at the REPL or given to the API (`add reports_to(A, B)` is
/// handled by the caller); same as `parse` on a one-statement file.
inline ast::File parse_snippet(const SourceManager& sources, SourceId source,
                               Diagnostics& diagnostics) {
    return parse(sources, source, diagnostics);
}

}  // namespace charter::lang
