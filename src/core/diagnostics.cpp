#include "core/diagnostics.hpp"

namespace kepumap::core {

std::string Problem::to_line() const {
  // Built with append(): GCC 12 at -O3 warns falsely (-Wrestrict) on operator+ chains.
  std::string s(severity == Severity::Error ? "error: " : "warning: ");
  if (!file.empty()) {
    s.append(file);
    if (line > 0) s.append(":").append(std::to_string(line));
    s.append(": ");
  }
  if (!layer.empty()) s.append("layer ").append(layer).append(": ");
  if (!target.empty()) s.append("target ").append(target).append(": ");
  if (feature >= 0) s.append("feature ").append(std::to_string(feature)).append(": ");
  if (!field.empty()) s.append("field ").append(field).append(": ");
  s.append(what);
  return s;
}

}  // namespace kepumap::core
