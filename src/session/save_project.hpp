#pragma once
// Saving the session as a project (the app's 保存 / 另存为): project.toml edited in place with
// what the app changed, and the edited facilities written as data files beside it.
//
// What is written:
// - [[layer]] entries: layers removed in the app are removed, layers added are appended (their
//   source relative to the project's folder), each layer's `visible` and `draw_order`.
// - Facility edits (moves, deletions, renames of facilities read from a layer): that layer is
//   written, every feature and attribute kept, as NAME.LAYER.geojson beside project.toml, and its
//   [[layer]] entry points at the new file; the original data file is never changed.
// - Facilities added in the app (accepted siting results, 添加) go to one layer per facility
//   type, "LABEL新址" in NAME.TYPE_sites.geojson, with the type's role (a later save appends to it).
// - Service-standard edits: the [[standard]]'s `minutes`.
// - [[basemap]] entries: basemaps added in the app are appended, each one's `visible` and `opacity`.
// - [[scenario]] entries: travel scenarios created in the app are appended after the last one,
//   deleted ones removed, changed ones get their changed keys rewritten.
// Then project.toml is written through a temporary file; if anything fails nothing is left behind.
#include <filesystem>
#include <string>
#include <vector>

#include "core/project.hpp"
#include "session/session.hpp"

namespace kepumap::session {

/// How the app shows a document layer, saved with the project.
struct LayerLook {
  bool visible = true;
  std::string title;           ///< display name; "" = the layer's name
  int draw_order = 0;          ///< 1 = drawn at the bottom; 0 = the default order
  core::LayerStyleSpec style;  ///< the layer's own style (the properties window); kind "" = its role's
};

/// What a save wrote.
struct SaveReport {
  std::filesystem::path project_file;          ///< project.toml written
  std::vector<std::filesystem::path> written;  ///< data files written beside it
  std::string text;                            ///< the project.toml text written
};

/// The [[layer]] entries the saved project has: the document's entries in file order (layers
/// removed in the session left out, layers that failed to load kept as written), then the
/// layers added in the session; `looks` per document layer (empty = as loaded). Sources are
/// written relative to `file`'s folder.
std::vector<core::LayerSpec> saved_layer_specs(const Session& s, const std::filesystem::path& file,
                                               const std::vector<LayerLook>& looks);

/// Saves the session's project to `file` (the project's own project.toml, or another one:
/// 另存为). Facility edits need the evaluation installed (ready()). `basemaps`: the [[basemap]]
/// entries as the app has them (added ones with line 0; null = as in the project); file sources
/// are written relative to `file`'s folder. False with one line in `error` naming the file when
/// something cannot be written; then no file was changed.
bool save_project(const Session& s, const std::filesystem::path& file, const std::vector<LayerLook>& looks,
                  SaveReport& report, std::string& error,
                  const std::vector<core::BasemapSpec>* basemaps = nullptr);

}  // namespace kepumap::session
