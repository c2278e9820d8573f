#pragma once
// The what-if scenarios file beside a project (NAME.scenarios.toml): named lists of edits that
// move, add or delete a facility of a type, or set a service standard. The project's data are
// never changed by it.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "core/geometry.hpp"

namespace kepumap::io {

/// One edit as saved: the facility type by name (it survives reordered layers).
struct SavedEdit {
  std::string kind;         ///< "move", "add", "delete", "rename" or "standard"
  std::string facility;     ///< facility type, as in [[standard]] ("education_base")
  std::size_t index = 0;    ///< facility index in its type (add: where it is inserted)
  core::Vec2 to{};          ///< move/add: the new place; delete: where it stood (analysis CRS metres)
  bool has_to = false;      ///< the file gave `to`
  std::string name, level;  ///< add/rename: the facility's name and level
  double floor_area_m2 = 0.0;
  double minutes = 0.0;  ///< standard: the new standard, minutes
  int line = 0;          ///< line in the file (for messages), 0 if not read from one
};

/// A named scenario: its edits in order.
struct SavedScenario {
  std::string name;
  std::vector<SavedEdit> edits;
};

/// Reads a scenarios file. A missing file is no scenarios; a file that does not parse, or an
/// edit with an unknown kind or missing field, is `error` (one line naming file, line and key)
/// and nothing is returned.
std::vector<SavedScenario> read_scenarios(const std::filesystem::path& file, std::string& error);

/// The file's text for `list` (TOML, numbers written exactly).
std::string scenarios_text(const std::vector<SavedScenario>& list);

/// Writes `list` to `file` atomically (temporary file renamed into place); false with `error`.
bool write_scenarios(const std::filesystem::path& file, const std::vector<SavedScenario>& list,
                     std::string& error);

/// The scenarios file of a project file: beside it, NAME.scenarios.toml.
std::filesystem::path scenarios_file_of(const std::filesystem::path& project);

}  // namespace kepumap::io
