#pragma once
// The study area (研究区): the banner/township/village units of the project, or its
// `[project] extent`. The analysis extent and the "auto" CRS come from it, never from reference
// layers (border, water, roads, places); reference layers are clipped to its box plus
// `[project] margin_km`, and points outside it are counted and skipped (README "The study area").
#include <cstdint>
#include <string>

#include "core/geometry.hpp"
#include "core/project.hpp"

namespace kepumap::core {

/// Points this close to the study area's outline (metres in the analysis CRS) count as inside:
/// town points and unit outlines from different sources are often a few hundred metres apart
/// (GCJ-02 outlines against WGS84 points).
inline constexpr double STUDY_AREA_EDGE_M = 1000.0;

/// Where the analysis happens. Filled by io::load_project.
struct StudyArea {
  enum class From : std::uint8_t { None, Units, Extent };
  From from = From::None;  ///< None: no unit polygons and no extent (Document::analysis_extent is used)
  std::string layer;       ///< From::Units: the project name of the unit layer whose polygons are the area
  BBox lonlat;             ///< the area's box, WGS84 degrees (x = lon, y = lat)
  double margin_km = 0.0;  ///< how far beyond the area's box reference layers are kept, km
  BBox clip_lonlat;  ///< `lonlat` grown by the margin, WGS84 degrees (reference layers are clipped to it)
  Geometries area;   ///< the area's polygons, metres in the analysis CRS
  BBox bbox;         ///< box of `area`, metres in the analysis CRS
  BBox frame;        ///< `bbox` grown by the margin, metres in the analysis CRS: the analysis extent

  bool defined() const { return from != From::None; }
  /// True if `p` (metres in the analysis CRS) lies in the area or within STUDY_AREA_EDGE_M of its
  /// outline; always true when no study area is defined.
  bool contains(Vec2 p) const;
};

/// Reference roles (border, water, road, other, caravan_route): never the study area; clipped to
/// its box plus the margin.
inline bool is_reference_role(Role r) {
  return r == Role::Border || r == Role::Water || r == Role::Road || r == Role::Other ||
         r == Role::CaravanRoute;
}
/// Roles whose features (by their point or seat) are counted when outside the study area and
/// skipped by the verbs that list them: towns, villages, facilities, caravan depots and stops.
inline bool counted_outside_role(Role r) {
  return r == Role::Town || r == Role::Village || r == Role::Museum || r == Role::EducationBase ||
         r == Role::CaravanDepot || r == Role::CaravanStop;
}

/// Lon/lat box `b` (degrees) grown by `km` kilometres on every side (at the box's widest
/// latitude, so the grown box holds every point within `km` of `b`; clamped to ±180°/±90°).
BBox grow_lonlat(const BBox& b, double km);

/// The study area's Chinese-first one-line description for `kepumap info`, e.g.
/// "研究区 study area: layer 'banner' (113.44–116.19°E, 41.58–45.51°N), margin 20 km".
std::string describe(const StudyArea& s);

}  // namespace kepumap::core
