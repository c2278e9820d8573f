#pragma once
// Typed errors at the file and project boundary: each carries the problem (file, layer,
// feature, field) so the command line prints one clear line per problem and exits 2.
#include <stdexcept>
#include <utility>
#include <vector>

#include "core/diagnostics.hpp"

namespace kepumap::io {

/// Bad input data: a file that cannot be read, a project with mistakes, a layer that cannot be
/// used. `problem` is the first (or only) error; `problems` holds every problem found (errors
/// and warnings, in order), so a caller can print all of them.
struct DataError : std::runtime_error {
  core::Problem problem;
  std::vector<core::Problem> problems;

  explicit DataError(core::Problem p) : std::runtime_error(p.to_line()), problem(p), problems{std::move(p)} {}
  DataError(core::Problem first, std::vector<core::Problem> all)
      : std::runtime_error(first.to_line()), problem(std::move(first)), problems(std::move(all)) {}
};

/// Throws DataError built from the diagnostics if they hold an error (all problems attached).
inline void throw_if_errors(const core::Diagnostics& diag) {
  for (const auto& p : diag.problems)
    if (p.severity == core::Severity::Error) throw DataError(p, diag.problems);
}

}  // namespace kepumap::io
