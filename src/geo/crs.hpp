#pragma once
// Coordinate reference systems: PROJ transforms (one PROJ context per thread), the project's
// analysis CRS, geodesic distances, and the GCJ-02 / BD-09 offset systems PROJ does not know.
#include <memory>
#include <span>
#include <stdexcept>
#include <string>

#include "core/geometry.hpp"

namespace kepumap::geo {

/// A CRS definition could not be understood or a transform could not be built.
struct CrsError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Transforms coordinates between two CRSs. Axis order is always x = easting/longitude,
/// y = northing/latitude, whatever the CRS's official axis order. Definitions are anything
/// PROJ accepts (EPSG:4490, WKT, PROJ strings) plus "GCJ-02" and "BD-09", which mean
/// longitude/latitude in those offset systems (converted through WGS84 by the published
/// formulas; their inverse is iterative). Not thread-safe: one Transform per thread.
class Transform {
 public:
  /// Throws CrsError naming the definition that failed.
  Transform(const std::string& from, const std::string& to);
  ~Transform();
  Transform(Transform&&) noexcept;
  Transform& operator=(Transform&&) noexcept;

  /// Transforms in place; returns false if any point failed (it is set to NaN).
  bool apply(std::span<core::Vec2> pts) const;
  core::Vec2 apply(core::Vec2 p) const;
  /// The inverse direction (to -> from).
  bool apply_inverse(std::span<core::Vec2> pts) const;
  core::Vec2 apply_inverse(core::Vec2 p) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m;
};

/// True for "GCJ-02"/"GCJ02"/"gcj" and "BD-09"/"BD09" spellings (any case).
bool is_gcj02(const std::string& def);
bool is_bd09(const std::string& def);

/// GCJ-02 ("Mars coordinates") from WGS84 longitude/latitude degrees; outside China unchanged.
core::Vec2 wgs84_to_gcj02(core::Vec2 lonlat);
/// WGS84 from GCJ-02 by fixed-point iteration on the forward formula (round trip < 0.5 m).
core::Vec2 gcj02_to_wgs84(core::Vec2 lonlat);
/// BD-09 (Baidu) from GCJ-02 and back.
core::Vec2 gcj02_to_bd09(core::Vec2 lonlat);
core::Vec2 bd09_to_gcj02(core::Vec2 lonlat);

/// The analysis CRS for an area given by its WGS84 extent: an Albers equal-area conic on the
/// WGS84 ellipsoid, standard parallels at 1/6 and 5/6 of the latitude span, centred on the
/// extent, metres. Returns a PROJ string.
std::string analysis_crs_for(const core::BBox& lonlat_extent);
/// A short name for a CRS definition ("EPSG:4490 CGCS2000", "GCJ-02", "Albers 40.1N 114.6E").
std::string crs_short_name(const std::string& def);
/// Ellipsoidal (WGS84) distance in metres between two longitude/latitude points (PROJ geod).
double geodesic_distance(core::Vec2 a_lonlat, core::Vec2 b_lonlat);
/// True if every coordinate of the box is a plausible longitude/latitude.
bool looks_like_lonlat(const core::BBox& b);

}  // namespace kepumap::geo
