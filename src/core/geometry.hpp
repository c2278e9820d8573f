#pragma once
// Flat geometry storage: one coordinate array with offsets per ring, part and feature.
#include <cstdint>
#include <span>
#include <vector>

#include "core/types.hpp"

namespace kepumap::core {

/// A 2-D coordinate: metres in the analysis CRS, or degrees (x = lon, y = lat) where stated.
struct Vec2 {
  double x = 0.0;
  double y = 0.0;
  friend constexpr bool operator==(const Vec2&, const Vec2&) = default;
};

/// Axis-aligned box; empty() until a point is added.
struct BBox {
  double min_x = 1e300, min_y = 1e300, max_x = -1e300, max_y = -1e300;
  bool empty() const { return min_x > max_x; }
  void add(Vec2 p) {
    if (p.x < min_x) min_x = p.x;
    if (p.y < min_y) min_y = p.y;
    if (p.x > max_x) max_x = p.x;
    if (p.y > max_y) max_y = p.y;
  }
  void add(const BBox& b) {
    if (b.empty()) return;
    add(Vec2{b.min_x, b.min_y});
    add(Vec2{b.max_x, b.max_y});
  }
  bool contains(Vec2 p) const { return p.x >= min_x && p.x <= max_x && p.y >= min_y && p.y <= max_y; }
  bool intersects(const BBox& b) const {
    return !(b.min_x > max_x || b.max_x < min_x || b.min_y > max_y || b.max_y < min_y);
  }
  double width() const { return empty() ? 0.0 : max_x - min_x; }
  double height() const { return empty() ? 0.0 : max_y - min_y; }
  Vec2 center() const { return {(min_x + max_x) / 2, (min_y + max_y) / 2}; }
};

/// The kind of geometry a layer holds. Multi-geometries are features with several parts.
enum class GeomKind : std::uint8_t { None, Point, Line, Polygon };

/// Geometries of a whole layer, flat (DESIGN.md: one coordinate array plus offsets):
///   feature f has parts [feature_parts[f], feature_parts[f+1])
///   part p (a point, a linestring or a polygon) has rings [part_rings[p], part_rings[p+1])
///   ring r has coordinates [ring_coords[r], ring_coords[r+1])
/// For polygons ring 0 of a part is the exterior (counter-clockwise), the others holes
/// (clockwise); rings are closed (first coordinate repeated last). A point part has one ring
/// with one coordinate. A feature with zero parts has no geometry.
struct Geometries {
  GeomKind kind = GeomKind::None;
  std::vector<Vec2> coords;
  std::vector<std::uint32_t> ring_coords{0};
  std::vector<std::uint32_t> part_rings{0};
  std::vector<std::uint32_t> feature_parts{0};

  std::size_t feature_count() const { return feature_parts.size() - 1; }
  std::size_t part_count() const { return part_rings.size() - 1; }
  std::size_t ring_count() const { return ring_coords.size() - 1; }

  std::uint32_t parts_begin(FeatureId f) const { return feature_parts[f]; }
  std::uint32_t parts_end(FeatureId f) const { return feature_parts[f + 1]; }
  std::uint32_t rings_begin(std::uint32_t part) const { return part_rings[part]; }
  std::uint32_t rings_end(std::uint32_t part) const { return part_rings[part + 1]; }
  /// Coordinates of ring r.
  std::span<const Vec2> ring(std::uint32_t r) const {
    return {coords.data() + ring_coords[r], coords.data() + ring_coords[r + 1]};
  }
  bool has_geometry(FeatureId f) const { return parts_end(f) > parts_begin(f); }

  /// Appending: call add_ring for each ring of a part, end_part after each part,
  /// end_feature after each feature (a feature may have no parts).
  void add_ring(std::span<const Vec2> ring_pts) {
    coords.insert(coords.end(), ring_pts.begin(), ring_pts.end());
    ring_coords.push_back(static_cast<std::uint32_t>(coords.size()));
  }
  void end_part() { part_rings.push_back(static_cast<std::uint32_t>(ring_coords.size() - 1)); }
  void end_feature() { feature_parts.push_back(static_cast<std::uint32_t>(part_rings.size() - 1)); }
  void add_point_feature(Vec2 p) {
    add_ring(std::span<const Vec2>(&p, 1));
    end_part();
    end_feature();
  }

  /// Bounding box of feature f (empty if it has no geometry).
  BBox feature_bbox(FeatureId f) const;
  /// Bounding box of every coordinate.
  BBox bbox() const;
  /// The first coordinate of feature f's first part (points: the point itself).
  Vec2 first_point(FeatureId f) const { return coords[ring_coords[part_rings[feature_parts[f]]]]; }
};

/// Signed area of a closed ring (shoelace; positive when counter-clockwise), square units.
double ring_signed_area(std::span<const Vec2> ring);
/// Area of polygon feature f: exteriors minus holes, square units of the coordinates.
double feature_area(const Geometries& g, FeatureId f);
/// Length of line feature f (sum over parts), units of the coordinates.
double feature_length(const Geometries& g, FeatureId f);
/// Area-weighted centroid of polygon feature f; for lines and points the mean of coordinates.
Vec2 feature_centroid(const Geometries& g, FeatureId f);
/// Even-odd point-in-polygon over every ring of feature f (exact for valid polygons).
bool feature_contains(const Geometries& g, FeatureId f, Vec2 p);
/// The point that stands for feature f (a unit's seat, a village's place in travel tables): the
/// point itself for points; for polygons the centroid when it lies inside, else the middle of the
/// widest inside stretch of the horizontal line through the centroid (or through the middle of
/// the bounding box when that line misses); for lines the mean of the coordinates.
Vec2 representative_point(const Geometries& g, FeatureId f);

}  // namespace kepumap::core
