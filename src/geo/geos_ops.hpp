#pragma once
// GEOS operations over flat geometry (reentrant C API, one GEOS context per thread).
// Inputs and outputs are core::Geometries; nothing GEOS crosses this header.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/geometry.hpp"

namespace kepumap::geo {

/// Result of repairing a polygon layer.
struct RepairReport {
  std::vector<core::FeatureId> repaired;  ///< features whose geometry MakeValid changed
  std::vector<core::FeatureId> emptied;   ///< features left with no area after repair (dropped)
};

/// Makes every polygon valid (GEOSMakeValid, keeping only the polygonal parts). Feature count
/// and order are kept; an emptied feature keeps zero parts. Ring orientation is normalised
/// (exteriors counter-clockwise, holes clockwise).
core::Geometries make_valid(const core::Geometries& polys, RepairReport& report);
/// True if feature f is a valid geometry by GEOS (reason filled when invalid).
bool is_valid(const core::Geometries& g, core::FeatureId f, std::string* reason = nullptr);

/// One feature from WKT (for tests and inline data); throws std::invalid_argument on bad WKT.
core::Geometries from_wkt(const std::string& wkt);
std::string to_wkt(const core::Geometries& g, core::FeatureId f);

/// Intersection of every feature of `g` with the union of `clip` (polygons); feature order kept.
core::Geometries clip(const core::Geometries& g, const core::Geometries& clip);
/// Buffer each feature by `distance` (units of the coordinates).
core::Geometries buffer(const core::Geometries& g, double distance);
/// Union of all features into one feature.
core::Geometries union_all(const core::Geometries& g);
/// Voronoi cells of the sites, each clipped to `envelope` (one polygon feature per site, same order).
core::Geometries voronoi(std::span<const core::Vec2> sites, const core::Geometries& envelope);
/// Distance from p to the nearest point of feature f (units of the coordinates).
double distance_to(const core::Geometries& g, core::FeatureId f, core::Vec2 p);
/// A point guaranteed to lie inside (or, for lines, on) feature f (GEOS PointOnSurface), in the
/// coordinates of `g`; nullopt for an empty feature.
std::optional<core::Vec2> point_on_surface(const core::Geometries& g, core::FeatureId f);

}  // namespace kepumap::geo
