#pragma once
// A project from a folder (`kepumap init FOLDER`, the app's 新建项目): every data file in the
// folder is read, each layer's role, field mapping, CRS and encoding are guessed, and a
// commented project.toml is written and loaded to prove it works.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/project.hpp"

namespace kepumap::io {

/// What init guessed for one layer of one file.
struct InitLayer {
  core::LayerSpec spec;          ///< name, role, source (relative to the folder), layer, encoding, fields
  bool include = true;           ///< false: written commented out (it cannot be loaded as guessed)
  std::string kind;              ///< "polygon", "line", "point" or "raster"
  std::size_t features = 0;      ///< features read (0 for a raster)
  std::string source_crs;        ///< the source CRS as read ("EPSG:4326 WGS 84", "none (assumed WGS84)")
  std::string encoding;          ///< attribute encoding as read ("UTF-8", "GB18030 (detected ...)")
  std::vector<std::string> why;  ///< why the role was chosen (one short reason each)
  std::vector<std::string> undecided;  ///< what init could not decide about this layer
  std::vector<std::string> notes;      ///< other remarks written as comments (CRS, encoding, OSM)
};

/// What init found in a folder and what it did.
struct InitResult {
  std::filesystem::path folder;
  std::filesystem::path project_file;  ///< FOLDER/project.toml
  std::string project_name;            ///< [project] name chosen
  std::string region;                  ///< [project] region (the single banner's code), or empty
  std::vector<InitLayer> layers;       ///< in file order, then layer order
  std::vector<std::string> skipped;    ///< files not used, each "file: why"
  std::vector<std::string> undecided;  ///< project-level open questions
  std::string toml;                    ///< the project.toml text
  bool written = false;                ///< project.toml was written (and loaded without errors)
  std::size_t loaded_layers = 0;       ///< layers the written project loaded
  std::string analysis_crs_name;       ///< the loaded project's analysis CRS, short name
  /// Errors (nothing written: the folder is missing or empty, project.toml exists, a file cannot
  /// be read, or the written project does not load) and the loaded project's warnings.
  core::Diagnostics diagnostics;
};

/// Reads every file in `folder` (not its subfolders) and guesses the project: no file is
/// written. Shapefiles, GeoPackages (every layer), GeoJSON, TopoJSON, KML, GPX, FlatGeobuf, CSV
/// point tables with longitude/latitude columns, OSM XML/PBF (the highway ways of `lines` as
/// roads) and GeoTIFF population grids. Problems that stop init are errors in the diagnostics.
InitResult guess_project(const std::filesystem::path& folder);

/// guess_project, then writes FOLDER/project.toml (through a temporary file, never over an
/// existing project.toml) and loads it as `kepumap info` would. `written` says whether it was
/// written; on any error nothing is left behind.
InitResult init_project(const std::filesystem::path& folder);

}  // namespace kepumap::io
