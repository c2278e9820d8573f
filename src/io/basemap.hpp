#pragma once
// Basemaps ([[basemap]] in project.toml, README "Basemaps"): any raster GDAL opens (GeoTIFF,
// MBTiles, GeoPackage tiles), XYZ tile services and local tile folders ({z}/{x}/{y} templates,
// turned into a GDAL_WMS description with a disk cache), WMS/WMTS connection strings and 天地图,
// rendered into an RGBA image for a map extent in the analysis CRS. Also the quiet land/water
// background drawn when a project has no basemap (data/background/physical.gpkg).
#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

#include "core/document.hpp"
#include "core/image.hpp"
#include "core/project.hpp"

namespace kepumap::io {

using core::basemap_kind;
using core::tianditu_layer_known;
using core::tianditu_layer_names;
/// The attribution to show: the entry's `attribution`, else the service's own (OpenStreetMap,
/// 天地图 with its 审图号, 高德), else "" (a file says nothing; the project names it).
std::string basemap_attribution(const core::BasemapSpec& spec);
/// XDG_CACHE_HOME/kepumap/tiles (else ~/.cache/kepumap/tiles): where tiles are cached by default.
std::filesystem::path default_tile_cache_dir();

/// How an opened basemap fetches tiles.
struct BasemapOptions {
  double timeout_s = 10.0;         ///< whole request (GDAL_HTTP_TIMEOUT)
  double connect_timeout_s = 4.0;  ///< connection (GDAL_HTTP_CONNECTTIMEOUT)
  /// A local file may make GDAL reach the network (a WMS .xml file, a VRT): only when the
  /// project allows network sources ([limits] allow_network_sources). Tile services given as a
  /// URL or a 天地图 layer always may: that is what they are.
  bool allow_network_files = false;
};

/// An opened basemap: the GDAL dataset and what is needed to render it. Safe to share between
/// threads (one render at a time; others wait).
class Basemap;

/// open_basemap's answer: a handle, or one line saying what is wrong (the 天地图 key is never in it).
struct BasemapOpen {
  std::shared_ptr<Basemap> handle;
  std::string error;
};

/// Opens a basemap entry; relative file paths are resolved against `project_file`'s folder.
/// Never throws and never waits on the network beyond the options' timeouts.
BasemapOpen open_basemap(const core::BasemapSpec& spec, const std::filesystem::path& project_file,
                         const BasemapOptions& options = {});

/// render_basemap's answer. `image.extent` is the extent asked for.
struct BasemapRender {
  core::ImageRgba image;  ///< straight (not premultiplied) alpha; transparent where the source has no data
  std::string error;      ///< one line when the render failed ("" = success)
  bool cancelled = false;
};

/// Renders `extent` (metres in `analysis_crs`, any PROJ definition or WKT) into a width × height
/// image: GDAL warps the source level (overview, zoom level) nearest the output resolution,
/// bilinear, through kepumap's own transforms (with the GCJ-02 shift when the entry has one: the
/// output pixel at WGS84 position p takes the source's content at gcj02(p)). `cancel` (may be
/// null) stops it between tiles; then `cancelled` is set and the image is empty.
BasemapRender render_basemap(Basemap& basemap, const core::BBox& extent, const std::string& analysis_crs,
                             int width_px, int height_px, const std::atomic<bool>* cancel = nullptr);

/// The spec a basemap was opened from.
const core::BasemapSpec& basemap_spec(const Basemap& basemap);

/// data/background/physical.gpkg of the source tree, or $KEPUMAP_BACKGROUND when set.
std::filesystem::path default_background_file();

/// The quiet background's layers in the analysis CRS: lakes (polygons), rivers and borders (lines).
struct BackgroundLayers {
  core::Layer lakes, rivers, borders;
  std::string attribution;  ///< the file's attribution metadata
};

/// Reads the quiet background from `file` (layers lakes, rivers, borders) into `analysis_crs`.
/// False with one line in `error` when it cannot.
bool load_background(const std::filesystem::path& file, const std::string& analysis_crs,
                     BackgroundLayers& out, std::string& error);

}  // namespace kepumap::io
