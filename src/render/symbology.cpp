#include "render/symbology.hpp"

#include <cmath>

namespace kepumap::render {

int style_column(const core::Layer& layer, const std::string& attribute) {
  const core::FieldMap& m = layer.fields;
  const std::pair<const char*, const std::string*> keys[] = {{"name", &m.name},
                                                             {"name_en", &m.name_en},
                                                             {"code", &m.code},
                                                             {"population", &m.population},
                                                             {"level", &m.level},
                                                             {"capacity", &m.capacity},
                                                             {"road_class", &m.road_class},
                                                             {"speed", &m.speed},
                                                             {"pastoral", &m.pastoral},
                                                             {"oneway", &m.oneway}};
  for (const auto& [key, mapped] : keys)
    if (attribute == key && !mapped->empty()) {
      int c = layer.attrs.find(*mapped);
      if (c >= 0) return c;
    }
  return layer.attrs.find(attribute);
}

std::optional<core::Choropleth> resolve_choropleth(const core::Layer& layer, const core::LayerStyle& style) {
  if (!style.choropleth) return std::nullopt;
  int col = style_column(layer, style.choropleth->attribute);
  if (col < 0) return std::nullopt;
  core::Choropleth ch = *style.choropleth;
  const core::Column& c = layer.attrs.columns[static_cast<std::size_t>(col)];
  std::vector<double> values(c.size(), NAN);
  for (std::size_t i = 0; i < c.size(); ++i)
    if (auto v = c.number(i)) values[i] = *v;
  ch.compute_breaks(values);
  return ch;
}

std::vector<core::Rgba> feature_fill_colours(const core::Layer& layer, const core::LayerStyle& style) {
  std::size_t n = layer.geom.feature_count();
  std::vector<core::Rgba> out(n, style.fill);
  if (!style.categories.empty()) {
    const int col = style_column(layer, style.category_field);
    if (col < 0) return out;
    const core::Column& c = layer.attrs.columns[static_cast<std::size_t>(col)];
    for (std::size_t f = 0; f < n && f < c.size(); ++f) {
      const std::string v = c.text(f);
      for (const auto& [value, colour] : style.categories)
        if (value == v) {
          out[f] = colour;
          break;
        }
    }
    return out;
  }
  auto ch = resolve_choropleth(layer, style);
  if (!ch) return out;
  const core::Column& c = layer.attrs.columns[static_cast<std::size_t>(style_column(layer, ch->attribute))];
  for (std::size_t f = 0; f < n && f < c.size(); ++f)
    if (auto v = c.number(f)) out[f] = ch->class_colour(ch->class_of(*v));
  return out;
}

std::vector<FeatureLine> feature_lines(const core::Layer& layer, const core::LayerStyle& style) {
  std::size_t n = layer.geom.feature_count();
  std::vector<FeatureLine> out(n, FeatureLine{style.line, style.line_width_px});
  if (style.line_classes.empty() || style.class_field.empty()) return out;
  int col = style_column(layer, style.class_field);
  if (col < 0) return out;
  const core::Column& c = layer.attrs.columns[static_cast<std::size_t>(col)];
  for (std::size_t f = 0; f < n && f < c.size(); ++f) {
    std::string v = c.text(f);
    for (const auto& lc : style.line_classes)
      if (lc.value == v) {
        out[f] = {lc.line, lc.width_px};
        break;
      }
  }
  return out;
}

std::string feature_name(const core::Layer& layer, std::size_t f) {
  int col = style_column(layer, "name");
  if (col < 0) return {};
  const core::Column& c = layer.attrs.columns[static_cast<std::size_t>(col)];
  return f < c.size() ? c.text(f) : std::string();
}

}  // namespace kepumap::render
