#pragma once
// Real reference layers around a demo study area (issue 13): GSHHG lakes, WDBII rivers and the
// WDBII international border from ../shared/data/physical, clipped to the study area grown by
// REFERENCE_MARGIN_M.
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "core/geometry.hpp"
#include "geo/crs.hpp"
#include "make_demo/gdal_io.hpp"

namespace kepumap::make_demo {

/// How far beyond the study area the reference layers reach, metres. The travel grid reaches
/// 20 km beyond the banner along rows and columns and up to 28 km diagonally (it grows the
/// banner by 8-neighbour rings), so no river or border line ends inside it.
inline constexpr double REFERENCE_MARGIN_M = 30'000.0;

/// Attribution written into every real reference feature's `source` field.
inline constexpr const char* SOURCE_GSHHG =
    "GSHHG 2.3.7 high resolution, level 2 (lakes); GSHHG/WDBII (c) The GMT Team, LGPL-3.0-or-later";
inline constexpr const char* SOURCE_WDBII_RIVERS =
    "WDBII rivers (CIA World Data Bank II, public domain) from GSHHG 2.3.7 high resolution; GSHHG/WDBII "
    "(c) The GMT Team, LGPL-3.0-or-later";
inline constexpr const char* SOURCE_WDBII_BORDER =
    "WDBII national border (CIA World Data Bank II, public domain) from GSHHG 2.3.7 high resolution; "
    "GSHHG/WDBII (c) The GMT Team, LGPL-3.0-or-later";

/// The study area (polygons, lon/lat WGS84) grown by REFERENCE_MARGIN_M in `tf`'s metric CRS,
/// as one polygon feature in lon/lat.
core::Geometries margin_area_ll(const core::Geometries& study_ll, const geo::Transform& tf);

/// Real water around a study area, as output layers (both may have no features).
struct ReferenceWater {
  OutLayer lakes;         ///< polygons: GSHHG lakes cut to the margin area (role water)
  OutLayer dried;         ///< polygons: GSHHG lakes that SOURCES.md says are dry land today (role other)
  OutLayer rivers;        ///< lines: WDBII rivers and canals cut to the margin area (role water)
  OutLayer intermittent;  ///< lines: WDBII intermittent rivers (classes 5-7; role other)
  std::vector<std::string> lake_lines;                            ///< one description per lake of `lakes`
  std::vector<std::string> dried_lines;                           ///< one description per feature of `dried`
  double river_km = 0.0;                                          ///< length of `rivers`, geodesic
  double intermittent_km = 0.0;                                   ///< length of `intermittent`, geodesic
  std::vector<std::pair<std::string, double>> river_km_by_class;  ///< class name -> km, class order
};

/// The lakes of `lakes_src` (lakes_gshhg.geojson) and the rivers of `rivers_src`
/// (rivers_wdbii.geojson) inside `area_ll`; `tf` measures areas.
ReferenceWater reference_water(const SourceLayer& lakes_src, const SourceLayer& rivers_src,
                               const core::Geometries& area_ll, const geo::Transform& tf);

/// The WDBII border lines (borders_wdbii.geojson) whose `border` code is one of `codes`, cut to
/// `area_ll`, as one line feature (every piece a part).
core::Geometries wdbii_border(const SourceLayer& borders_src, const std::vector<std::string>& codes,
                              const core::Geometries& area_ll);

/// Geodesic length of every ring of a lon/lat line geometry, metres.
double geodesic_length_m(const core::Geometries& lines_ll);

}  // namespace kepumap::make_demo
