#pragma once
// Saving the [[basemap]] entries of project.toml from the app: entries kept get only their
// changed keys rewritten (io::set_table_key), new ones are appended at the end of the file.
#include <string>
#include <string_view>
#include <vector>

#include "core/project.hpp"

namespace kepumap::io {

/// The lines of a new [[basemap]] entry (keys at their default left out).
std::vector<std::string> basemap_block(const core::BasemapSpec& b);

/// `text` with its [[basemap]] entries as `basemaps` says. `old` is the config parsed from
/// `text`: an entry of `basemaps` whose `line` is an old entry's line is that entry, and only
/// its keys whose value changed are rewritten; entries with `line == 0` (or a line no old entry
/// has) are appended after the last line. Old entries missing from `basemaps` stay as written.
std::string edit_project_basemaps(std::string_view text, const core::ProjectConfig& old,
                                  const std::vector<core::BasemapSpec>& basemaps);

}  // namespace kepumap::io
