#pragma once
// A layer's own style (LayerStyleSpec, project.toml `style = { ... }`) resolved over its role's
// style: the one code path the app's map, its legend and the print maps take.
#include <string>

#include "core/document.hpp"
#include "core/style.hpp"

namespace kepumap::core {

/// The attribute column a style field names: a mapped field key ("population") whose column
/// exists, else the column of that name; -1 if neither.
int style_field_column(const Layer& layer, const std::string& field);

/// Categories get a colour of their own for at most this many distinct values.
inline constexpr std::size_t k_max_categories = 12;

/// The style `layer` is drawn with: `role` (its role's style in `st`) with `spec` over it.
/// "categories": each distinct value of the field (sorted, at most k_max_categories) gets the
/// planner's colour from `spec.category_colors`, else colour i of category_colour;
/// "graduated": a Choropleth on the field (quantile, equal or manual classes) over the ramp
/// `spec.ramp` names in `st` (named_ramp), else the role's choropleth ramp, else yellow to red.
/// The breaks are not computed here (render::resolve_choropleth does it from the values).
LayerStyle resolve_layer_style(const LayerStyle& role, const LayerStyleSpec& spec, const Layer& layer,
                               const Style& st);

}  // namespace kepumap::core
