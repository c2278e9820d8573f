#pragma once
// Problems found in input: each says what is wrong and where (file, layer, feature, field).
#include <cstdint>
#include <string>
#include <vector>

namespace kepumap::core {

enum class Severity : std::uint8_t { Warning, Error };

/// One problem with the input, printed as one line.
struct Problem {
  Severity severity = Severity::Error;
  std::string file;        ///< path or connection string; empty if not about a file
  std::string layer;       ///< layer name in the project or in the source
  long long feature = -1;  ///< feature index in the source (0-based), -1 if not about one feature
  std::string field;       ///< attribute or project key
  int line = 0;            ///< line in a text file (project.toml, CSV), 0 if none
  std::string what;        ///< what is wrong, in plain words
  std::string target;      ///< [[target]] id in project.toml, if about one target (last: brace inits)

  /// "error: data/x.gpkg: layer roads: feature 12: field speed: not a number"
  std::string to_line() const;
};

/// Problems collected while loading; errors make the load fail, warnings do not.
struct Diagnostics {
  std::vector<Problem> problems;
  void warn(Problem p) {
    p.severity = Severity::Warning;
    problems.push_back(std::move(p));
  }
  void error(Problem p) {
    p.severity = Severity::Error;
    problems.push_back(std::move(p));
  }
  bool has_errors() const {
    for (const auto& p : problems)
      if (p.severity == Severity::Error) return true;
    return false;
  }
};

}  // namespace kepumap::core
