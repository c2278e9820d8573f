#include "core/layer_style.hpp"

#include <set>
#include <utility>

namespace kepumap::core {

int style_field_column(const Layer& layer, const std::string& field) {
  if (field.empty()) return -1;
  for (const auto& k : field_keys(layer.fields))
    if (field == k.key && !k.value->empty()) {
      const int c = layer.attrs.find(*k.value);
      if (c >= 0) return c;
    }
  return layer.attrs.find(field);
}

LayerStyle resolve_layer_style(const LayerStyle& role, const LayerStyleSpec& spec, const Layer& layer,
                               const Style& st) {
  LayerStyle out = role;
  if (!spec.given()) return out;
  if (auto c = parse_colour(spec.fill)) out.fill = *c;
  if (auto c = parse_colour(spec.line)) out.line = *c;
  if (spec.width >= 0) out.line_width_px = static_cast<float>(spec.width);
  if (auto sym = symbol_from_name(spec.symbol)) out.symbol = *sym;
  if (spec.size > 0) out.symbol_size_px = static_cast<float>(spec.size);
  if (spec.opacity >= 0) out.opacity = static_cast<float>(spec.opacity);
  if (spec.labels >= 0) out.labels = spec.labels == 1;
  out.label_field = spec.label_field;
  out.categories.clear();
  out.category_field.clear();
  if (spec.kind == "graduated") {
    Choropleth ch;
    ch.attribute = spec.field;
    ch.method = spec.method.empty() ? "quantile" : spec.method;
    ch.classes = spec.classes > 0 ? spec.classes : 5;
    if (ch.method == "manual") {
      ch.breaks = spec.breaks;
      ch.classes = static_cast<int>(ch.breaks.size()) + 1;
    }
    if (std::vector<Rgba> named = named_ramp(st, spec.ramp); !named.empty())
      ch.ramp = std::move(named);
    else if (role.choropleth && !role.choropleth->ramp.empty())
      ch.ramp = role.choropleth->ramp;
    else
      ch.ramp = {*parse_colour("#ffffcc"), *parse_colour("#fd8d3c"), *parse_colour("#bd0026")};
    out.choropleth = std::move(ch);
  } else {
    out.choropleth.reset();
  }
  if (spec.kind == "categories") {
    out.category_field = spec.field;
    const int col = style_field_column(layer, spec.field);
    if (col >= 0) {
      const Column& c = layer.attrs.columns[static_cast<std::size_t>(col)];
      std::set<std::string> values;
      for (std::size_t f = 0; f < c.size(); ++f)
        if (std::string v = c.text(f); !v.empty()) values.insert(std::move(v));
      std::size_t i = 0;
      for (const auto& v : values) {
        if (i == k_max_categories) break;
        Rgba colour = category_colour(i++);
        for (const auto& [value, hex] : spec.category_colors)
          if (value == v)
            if (auto chosen = parse_colour(hex)) colour = *chosen;
        out.categories.emplace_back(v, colour);
      }
    }
  }
  return out;
}

}  // namespace kepumap::core
