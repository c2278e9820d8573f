#pragma once
// Saving the [[scenario]] entries of project.toml from the app (scenarios created, edited or
// deleted in the scenario window): entries kept get only their changed keys rewritten, deleted
// ones are removed with their lines, new ones are appended after the last [[scenario]] entry (or
// at the end of the file). Every other line stays as the user wrote it.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/project.hpp"

namespace kepumap::io {

/// The keys of a [[scenario]] entry in the documented order, each with its value as the file
/// should hold it, nullopt when the key is not given (left out).
std::vector<std::pair<std::string, std::optional<std::string>>> scenario_values(const core::Scenario& s);

/// `text` with its [[scenario]] entries as `scenarios` says. `old` is the config parsed from
/// `text`; entries are matched by name.
std::string edit_project_scenarios(std::string_view text, const core::ProjectConfig& old,
                                   const std::vector<core::Scenario>& scenarios);

}  // namespace kepumap::io
