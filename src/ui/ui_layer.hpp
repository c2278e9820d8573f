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
  /// The layer's own style (project.toml `style`, the properties window); kind "" = its role's.
  core::LayerStyleSpec spec;
  std::optional<core::Choropleth> choropleth;  ///< with breaks, for the legend
  std::vector<core::BBox> bbox;                ///< per feature, metres in the analysis CRS
  std::vector<core::Vec2> anchor;              ///< label point per feature (inside polygons)
  std::vector<double> weight;                  ///< label tie-break: area (m²) or 0
  std::vector<std::string> names;              ///< label text per feature
};

/// The style a layer is drawn with: its role's style `role` with the layer's own style `spec`
/// over it. "categories": each distinct value of the field (sorted, at most k_max_categories)
/// gets colour i of core::category_colour; "graduated": a core::Choropleth on the field
/// (quantile or equal classes) over the role's choropleth ramp, else a yellow to red ramp.
core::LayerStyle layer_style(const core::LayerStyle& role, const core::LayerStyleSpec& spec,
                             const core::Layer& layer);
inline constexpr std::size_t k_max_categories = 12;

/// The whole of what `style` draws as a layer's own style: colours, widths, symbol, opacity and
/// labels of `style`, kind, field, method, classes and label field of `choice` (kind "" =
/// "single", or "graduated" when `style` has a choropleth).
core::LayerStyleSpec capture_style(const core::LayerStyle& style, const core::LayerStyleSpec& choice);

/// "#rrggbb" when opaque, else "#rrggbbaa".
std::string short_hex(core::Rgba c);

/// Fills bbox, anchor, weight and names of `ui` from the layer.
void compute_layer_cache(const core::Layer& layer, LayerUi& ui);

/// A point inside polygon part `part` of g: the middle of the widest span of the horizontal
/// line through the part's centroid (metres in the analysis CRS).
core::Vec2 interior_point(const core::Geometries& g, std::uint32_t part);

/// Distance from p to feature f (lines: to the nearest segment; points: to the nearest point),
/// units of the coordinates.
double distance_to_feature(const core::Geometries& g, std::size_t f, core::Vec2 p);

}  // namespace kepumap::ui
