#include "core/study_area.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace kepumap::core {

namespace {

double segment_distance2(Vec2 p, Vec2 a, Vec2 b) {
  const double dx = b.x - a.x, dy = b.y - a.y;
  const double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0.0;
  t = std::clamp(t, 0.0, 1.0);
  const double ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y;
  return ex * ex + ey * ey;
}

}  // namespace

bool StudyArea::contains(Vec2 p) const {
  if (!defined() || area.feature_count() == 0) return true;
  BBox grown = bbox;
  grown.add(Vec2{bbox.min_x - STUDY_AREA_EDGE_M, bbox.min_y - STUDY_AREA_EDGE_M});
  grown.add(Vec2{bbox.max_x + STUDY_AREA_EDGE_M, bbox.max_y + STUDY_AREA_EDGE_M});
  if (!grown.contains(p)) return false;
  for (FeatureId f = 0; f < area.feature_count(); ++f)
    if (feature_contains(area, f, p)) return true;
  const double edge2 = STUDY_AREA_EDGE_M * STUDY_AREA_EDGE_M;
  for (std::uint32_t r = 0; r < area.ring_count(); ++r) {
    const auto ring = area.ring(r);
    for (std::size_t i = 1; i < ring.size(); ++i)
      if (segment_distance2(p, ring[i - 1], ring[i]) <= edge2) return true;
  }
  return false;
}

BBox grow_lonlat(const BBox& b, double km) {
  if (b.empty() || !(km > 0)) return b;
  const double dlat = km / 111.32;
  const double lat = std::min(89.0, std::max(std::abs(b.min_y), std::abs(b.max_y)) + dlat);
  const double dlon = std::min(180.0, km / (111.32 * std::cos(lat * 3.14159265358979323846 / 180.0)));
  BBox g;
  g.add(Vec2{std::max(-180.0, b.min_x - dlon), std::max(-90.0, b.min_y - dlat)});
  g.add(Vec2{std::min(180.0, b.max_x + dlon), std::min(90.0, b.max_y + dlat)});
  return g;
}

std::string describe(const StudyArea& s) {
  char box[160];
  std::snprintf(box, sizeof box, "%.2f–%.2f°E, %.2f–%.2f°N", s.lonlat.min_x, s.lonlat.max_x, s.lonlat.min_y,
                s.lonlat.max_y);
  char margin[64];
  std::snprintf(margin, sizeof margin, "%g", s.margin_km);
  switch (s.from) {
    case StudyArea::From::Units:
      return "研究区 study area: the units of layer '" + s.layer + "' (" + box +
             "); reference layers kept within " + margin + " km of its box ([project] margin_km)";
    case StudyArea::From::Extent:
      return std::string("研究区 study area: [project] extent (") + box + "); reference layers kept within " +
             margin + " km of it ([project] margin_km)";
    case StudyArea::From::None:
      break;
  }
  return "研究区 study area: none (no banner/township/village polygons and no [project] extent); the extent "
         "of "
         "the places, facilities and population plus the margin is used, never a reference layer's";
}

}  // namespace kepumap::core
