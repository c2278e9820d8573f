#pragma once
// Print maps with Cairo: layers styled from styles/*.json (the same core::Style the screen
// uses), a raster overlay with a colour ramp, labels that never overlap, legend, scale bar and
// north arrow. Coordinates are metres in the analysis CRS; page units are points (1/72 inch).
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/document.hpp"
#include "core/style.hpp"

typedef struct _cairo cairo_t;

namespace kepumap::report {

/// One vector layer on the map, drawn with `style`; `values` (one per feature, NaN = no data)
/// colour polygons by `style.choropleth` when both are set.
struct MapLayer {
  const core::Layer* layer = nullptr;
  core::LayerStyle style;
  std::vector<double> values;
  int label_column = -1;              ///< attribute column with the label text, -1 for none
  int label_priority = 5;             ///< smaller labels win collisions
  std::string legend_label;           ///< legend entry; empty = not in the legend
  std::string value_format = "%.0f";  ///< choropleth class labels
};

/// A raster drawn over the polygons (travel time, gap, population).
struct MapRaster {
  const core::GridF* grid = nullptr;
  std::vector<core::Rgba> ramp;
  double min = 0.0, max = 1.0;  ///< values mapped to the ends of the ramp (clamped)
  bool log = false;             ///< ramp over log(1 + value)
  float opacity = 0.85f;
  std::string legend_title;
  std::vector<std::pair<double, std::string>> legend_stops;  ///< value, label
};

/// A whole map: what to draw and where.
struct MapSpec {
  std::string title;
  core::BBox extent;                ///< area to show, metres in the analysis CRS
  std::vector<MapLayer> layers;     ///< bottom to top
  std::optional<MapRaster> raster;  ///< drawn above the first polygon layer
  core::Rgba background{1, 1, 1, 1};
  std::string font = "Noto Sans CJK SC";
  bool english = false;  ///< legend furniture in English
};

/// Draws the map in the rectangle (x, y, w, h), points: frame, layers, labels, legend, scale bar,
/// north arrow. Returns the number of labels placed.
int draw_map(cairo_t* cr, double x, double y, double w, double h, const MapSpec& spec);

/// Writes the map alone as PNG (at `dpi`), SVG or PDF, chosen by the extension; temp file + rename.
/// Throws std::runtime_error naming the file on failure.
void write_map(const MapSpec& spec, const std::filesystem::path& out, double width_pt, double height_pt,
               double dpi = 150.0);

/// A "nice" scale-bar length (1, 2 or 5 × 10^k metres) not longer than `max_m`.
double nice_length(double max_m);

}  // namespace kepumap::report
