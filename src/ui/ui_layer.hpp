#pragma once
// Per-layer state of the app (panel settings, style) and the caches picking and labels need.
#include <optional>
#include <string>
#include <vector>

#include "core/document.hpp"
#include "core/style.hpp"

namespace kepumap::ui {

struct LayerUi {
  bool visible = true;
  std::string title;  ///< display name (project.toml `title`); "" = the layer's name
  float opacity = 1.0f;
  core::LayerStyle style;
  std::optional<core::Choropleth> choropleth;  ///< with breaks, for the legend
  std::vector<core::BBox> bbox;                ///< per feature, metres in the analysis CRS
  std::vector<core::Vec2> anchor;              ///< label point per feature (inside polygons)
  std::vector<double> weight;                  ///< label tie-break: area (m²) or 0
  std::vector<std::string> names;              ///< label text per feature
};

/// Fills bbox, anchor, weight and names of `ui` from the layer.
void compute_layer_cache(const core::Layer& layer, LayerUi& ui);

/// A point inside polygon part `part` of g: the middle of the widest span of the horizontal
/// line through the part's centroid (metres in the analysis CRS).
core::Vec2 interior_point(const core::Geometries& g, std::uint32_t part);

/// Distance from p to feature f (lines: to the nearest segment; points: to the nearest point),
/// units of the coordinates.
double distance_to_feature(const core::Geometries& g, std::size_t f, core::Vec2 p);

}  // namespace kepumap::ui
