#include "core/diagnostics.hpp"

namespace kepumap::core {

std::string Problem::to_line() const {
  std::string s = severity == Severity::Error ? "error: " : "warning: ";
  if (!file.empty()) {
    s += file;
    if (line > 0) s += ":" + std::to_string(line);
    s += ": ";
  }
  if (!layer.empty()) s += "layer " + layer + ": ";
  if (feature >= 0) s += "feature " + std::to_string(feature) + ": ";
  if (!field.empty()) s += "field " + field + ": ";
  s += what;
  return s;
}

}  // namespace kepumap::core
