#pragma once
// What colour each feature gets from a style (choropleth classes, line classes): plain data,
// shared by the map renderer and the legend.
#include <optional>
#include <string>
#include <vector>

#include "core/document.hpp"
#include "core/style.hpp"

namespace kepumap::render {

/// Column of `layer` an attribute in a style means: a mapped field key ("population" -> the
/// column project.toml maps it to) or a column name; -1 if neither exists.
int style_column(const core::Layer& layer, const std::string& attribute);

/// The style's choropleth with breaks computed from the layer's values, or nullopt when the
/// style has none or the layer lacks the attribute.
std::optional<core::Choropleth> resolve_choropleth(const core::Layer& layer, const core::LayerStyle& style);

/// Fill colour of every feature (category colour, choropleth class colour or the plain fill;
/// NULL values and values without a category get the plain fill).
std::vector<core::Rgba> feature_fill_colours(const core::Layer& layer, const core::LayerStyle& style);

/// Line colour and width (pixels) of every feature: the line class matching the class field,
/// else the plain line style.
struct FeatureLine {
  core::Rgba colour;
  float width_px = 1.0f;
};
std::vector<FeatureLine> feature_lines(const core::Layer& layer, const core::LayerStyle& style);

/// The label text of feature f (the mapped name field; empty if none).
std::string feature_name(const core::Layer& layer, std::size_t f);

}  // namespace kepumap::render
