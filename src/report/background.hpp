#pragma once
// Images under a map's layers: the quiet land/water background drawn from the lakes, rivers and
// borders of data/background/physical.gpkg (io::load_background reads them), and the placing
// of pre-rendered basemap images on a printed map (MapSpec::backgrounds).
#include <string>

#include "core/document.hpp"
#include "core/image.hpp"
#include "core/style.hpp"
#include "report/map_render.hpp"

namespace kepumap::report {

/// The quiet background's layers, metres in the analysis CRS (any may be null).
struct QuietLayers {
  const core::Layer* lakes = nullptr;
  const core::Layer* rivers = nullptr;
  const core::Layer* borders = nullptr;
};

/// Draws the quiet background over `extent` (metres in the analysis CRS) into a width × height
/// image: land transparent (the map's background colour shows), lakes filled, rivers and borders
/// as thin lines in `style.quiet`'s colours; `px_scale` multiplies the line widths (print
/// resolution). Straight alpha.
core::ImageRgba render_quiet_background(const QuietLayers& layers, const core::Style& style,
                                        const core::BBox& extent, int width_px, int height_px,
                                        double px_scale = 1.0);

/// The area a printed map of `spec` on a page of width × height points can show: `spec.extent`
/// grown to the page's shape with a margin, so an image rendered for it covers the map's frame
/// wherever the legend and notes put it (metres in the analysis CRS).
core::BBox print_cover_extent(const MapSpec& spec, double width_pt, double height_pt);

/// Adds `bg` under the layers of `spec`, and its attribution to the data-sources note (a note of
/// its own when the map has none).
void add_background(MapSpec& spec, MapBackground bg);

}  // namespace kepumap::report
