#pragma once
// Saving project.toml from the app: the file's text is edited in place, entry by entry and key
// by key, so that comments, blank lines, key order and every section the app does not change
// stay exactly as the user wrote them.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/project.hpp"

namespace kepumap::io {

/// `s` as a TOML basic string, quotes included (control characters as \uXXXX).
std::string toml_quote(std::string_view s);

/// A FieldMap as a TOML inline table ("{ name = "NAME", code = "CODE" }"), empty if nothing is mapped.
std::string toml_fields(const core::FieldMap& f);

/// A layer's own style as a TOML inline table ("{ kind = "graduated", field = "population", ... }"),
/// keys in the documented order, unset ones left out; empty when the layer has none.
std::string toml_style(const core::LayerStyleSpec& s);

/// The text of project.toml with its [[layer]] entries replaced by `layers`, in that order.
/// `old` is the config parsed from `text` (its LayerSpec::line numbers locate the entries). An
/// entry of `layers` with `line` equal to an old entry's line is that entry kept: only the keys
/// whose value changed are rewritten (a changed line replaced, a new key added after the entry's
/// last key, a key back at its default removed); every other line stays as it was. Old entries
/// missing from `layers` are removed with their lines (comments just above the next section
/// stay); entries with `line == 0` are new and appended after the last [[layer]] entry. Old
/// entries keep their relative order in the file (new ones follow them).
std::string edit_project_layers(std::string_view text, const core::ProjectConfig& old,
                                const std::vector<core::LayerSpec>& layers);

/// `text` with key `key` of the table whose header is at line `line` (1-based; the nearest
/// header at or above it) set to `value` (TOML as written: quoted strings, numbers), only that
/// line changed; the key is added after the table's last key if it is not there.
std::string set_table_key(std::string_view text, int line, const std::string& key, const std::string& value);

/// `text` without key `key` of the table whose header is at or above line `line` (1-based);
/// `text` unchanged when the table has no such key.
std::string remove_table_key(std::string_view text, int line, const std::string& key);

/// `text` without the table (an array entry such as [[scenario]], with its sub-tables) whose
/// header is at or above line `line`; the comments above the next section stay.
std::string remove_table(std::string_view text, int line);

/// A source path as project.toml should hold it for a project file at `project`: relative to
/// the project's folder when the file lies inside it or next to it (as `../x/y.gpkg`), else
/// absolute; connection strings and GDAL virtual paths (anything that is not a file on disk)
/// unchanged.
std::string source_for_project(const std::string& source, const std::filesystem::path& project);

}  // namespace kepumap::io
