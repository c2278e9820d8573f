#include "analysis/facility_layer.hpp"

namespace kepumap::analysis {

core::Layer facility_layer(const FacilitySet& set, core::Role role, const std::string& layer_name) {
  core::Layer l;
  l.name = layer_name;
  l.role = role;
  l.geom.kind = core::GeomKind::Point;
  l.fields.name = "name";
  l.fields.level = "level";
  const int cn = l.attrs.add_column("name", core::FieldType::Text);
  const int cl = l.attrs.add_column("level", core::FieldType::Text);
  const int ca = l.attrs.add_column("floor_area_m2", core::FieldType::Real);
  for (std::size_t i = 0; i < set.points.size(); ++i) {
    l.geom.add_point_feature(set.points[i]);
    l.attrs.columns[static_cast<std::size_t>(cn)].push_text(i < set.names.size() ? set.names[i]
                                                                                 : std::string());
    l.attrs.columns[static_cast<std::size_t>(cl)].push_text(i < set.levels.size() ? set.levels[i]
                                                                                  : std::string());
    l.attrs.columns[static_cast<std::size_t>(ca)].push_real(
        i < set.floor_area_m2.size() ? set.floor_area_m2[i] : 0.0);
    l.source_index.push_back(static_cast<long long>(i));
  }
  return l;
}

bool set_differs_from_document(const FacilitySet& set, const core::Document& doc) {
  if (set.mobile) return false;
  const auto role = core::role_from_name(set.facility);
  if (!role) return false;
  std::size_t i = 0;
  for (const auto& l : doc.layers) {
    if (l.is_raster || l.role != *role) continue;
    const int nc = l.column(l.fields.name);
    for (core::FeatureId f = 0; f < l.geom.feature_count(); ++f) {
      if (!l.geom.has_geometry(f)) continue;
      if (i >= set.points.size()) return true;
      const core::Vec2 p =
          l.geom.kind == core::GeomKind::Point ? l.geom.first_point(f) : core::feature_centroid(l.geom, f);
      if (p.x != set.points[i].x || p.y != set.points[i].y) return true;
      if (nc >= 0 && i < set.names.size() &&
          l.attrs.columns[static_cast<std::size_t>(nc)].text(f) != set.names[i])
        return true;
      ++i;
    }
  }
  return i != set.points.size();
}

}  // namespace kepumap::analysis
