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
#include "core/image.hpp"
#include "core/style.hpp"

typedef struct _cairo cairo_t;

namespace kepumap::report {

/// One vector layer on the map, drawn with `style`; `values` (one per feature, NaN = no data)
/// colour polygons by `style.choropleth` when both are set.
struct MapLayer {
  const core::Layer* layer = nullptr;
  core::LayerStyle style;
  std::vector<double> values;
  /// Categories (`style.categories`): the category colour of each feature (others `style.fill`),
  /// filled by categorize(); empty = none. The legend lists the categories.
  std::vector<core::Rgba> fills;
  int label_column = -1;     ///< attribute column with the label text, -1 for none
  int label_priority = 5;    ///< smaller labels win collisions
  std::string legend_label;  ///< legend entry; empty = not in the legend
};

/// Fills `ml.values` (graduated: the choropleth's field, its breaks computed from them) or
/// `ml.fills` (categories) from the layer's attributes, as the app's map colours the layer.
void categorize(MapLayer& ml);

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

/// A pre-rendered image under every layer (a basemap or the quiet background, rendered by the
/// caller, e.g. through io::render_basemap), placed at its extent.
struct MapBackground {
  core::ImageRgba image;    ///< straight alpha; image.extent in the analysis CRS
  float opacity = 1.0f;     ///< 0..1
  std::string attribution;  ///< printed in the sources note (report::add_background)
};

/// A whole map: what to draw and where.
struct MapSpec {
  std::string title;
  core::BBox extent;                ///< area to show, metres in the analysis CRS
  core::BBox study_area;            ///< the study area's bounds (kept clear of the legend); empty = extent
  std::vector<MapLayer> layers;     ///< bottom to top
  std::optional<MapRaster> raster;  ///< drawn above the first polygon layer
  core::Rgba background{1, 1, 1, 1};
  std::vector<MapBackground> backgrounds;  ///< drawn over `background`, under the layers, bottom first
  std::string font = "Noto Sans CJK SC";
  bool english = false;  ///< legend furniture in English
  /// Lines printed in a strip under the map, inside its frame (示意图, sources, 审图号).
  std::vector<std::string> notes;
  /// Printed above the map by write_map (a map of a view, `kepumap map`); empty = no heading.
  std::string heading;
};

/// A label as drawn: text, baseline start and font size, page points.
struct DrawnLabel {
  std::string text;
  double x = 0, y = 0, size = 0;
};

/// Where draw_map put things, page points (y down).
struct MapLayout {
  core::BBox frame;               ///< the map's rectangle
  core::BBox study_area;          ///< the study area's bounding box on the page
  core::BBox legend;              ///< the legend box (empty when there is no legend)
  bool legend_in_margin = false;  ///< no corner was clear, so the map was shrunk to make a margin
  std::vector<DrawnLabel> labels;
  std::vector<DrawnLabel> notes;  ///< spec.notes as drawn, in the strip under the map
};

/// Draws the map in the rectangle (x, y, w, h), points: frame, layers, labels, legend, scale bar,
/// north arrow. The legend goes in a corner clear of the study area's bounding box, or in a
/// margin beside the map when no corner is clear. With `draw_labels` false the labels are not
/// drawn (their positions are still returned), for writers that emit them as text themselves.
MapLayout draw_map_layout(cairo_t* cr, double x, double y, double w, double h, const MapSpec& spec,
                          bool draw_labels = true);
/// draw_map_layout's drawing; returns the number of labels placed.
int draw_map(cairo_t* cr, double x, double y, double w, double h, const MapSpec& spec);

/// Writes the map alone as PNG (at `dpi`), SVG or PDF, chosen by the extension; temp file + rename.
/// In SVG the labels are <text> elements (font-family of `spec.font`), not glyph outlines.
/// Throws std::runtime_error naming the file on failure. Returns the layout drawn.
MapLayout write_map(const MapSpec& spec, const std::filesystem::path& out, double width_pt, double height_pt,
                    double dpi = 150.0);

/// A "nice" scale-bar length (1, 2 or 5 × 10^k metres) not longer than `max_m`.
double nice_length(double max_m);

}  // namespace kepumap::report
