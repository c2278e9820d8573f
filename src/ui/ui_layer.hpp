#pragma once
// Per-layer state of the app (panel settings, style) and the caches picking and labels need.
#include <optional>
#include <string>
#include <vector>

#include "core/document.hpp"
#include "core/layer_style.hpp"
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
  std::vector<std::string> initials;           ///< pinyin initials of names (made by the first search)
};

using core::k_max_categories;

/// The whole of what `style` draws as a layer's own style: colours, widths, symbol, opacity and
/// labels of `style`, kind, field, method, classes, breaks, ramp, category colours and label
/// field of `choice` (kind "" = "single", or "graduated" when `style` has a choropleth).
core::LayerStyleSpec capture_style(const core::LayerStyle& style, const core::LayerStyleSpec& choice);

/// Manual class breaks as the planner types them ("0, 30, 60, 120"; commas, 、，; or spaces
/// between): 1 to 8 ascending finite numbers into `out`. False (`out` untouched) otherwise.
bool parse_breaks(const std::string& text, std::vector<double>& out);
/// Breaks as the breaks field shows them ("0, 30, 60, 120").
std::string breaks_text(const std::vector<double>& breaks);
/// Gives category `value` of `spec` the colour `hex` ("#rrggbb"), category_colors kept sorted.
void set_category_colour(core::LayerStyleSpec& spec, const std::string& value, const std::string& hex);

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
