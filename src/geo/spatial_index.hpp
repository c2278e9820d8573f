#pragma once
// Spatial index over a layer's features (packed static R-tree over bounding boxes) and a
// prepared point-in-polygon locator on top of it.
#include <cstdint>
#include <vector>

#include "core/geometry.hpp"

namespace kepumap::geo {

/// Static index of feature bounding boxes; build once, query many times. Thread-safe reads.
/// Packed Hilbert R-tree: features sorted along a Hilbert curve by box centre, then grouped
/// 16 to a node, level by level. Keeps a pointer to the geometries, which must outlive it
/// (and not change) while the index is used. Features without geometry are not indexed.
class SpatialIndex {
 public:
  SpatialIndex() = default;
  explicit SpatialIndex(const core::Geometries& g);
  /// Not from a temporary: the index points into the geometries.
  explicit SpatialIndex(const core::Geometries&& g) = delete;
  /// Features whose box intersects `box` (ascending ids).
  std::vector<core::FeatureId> query(const core::BBox& box) const;
  /// The feature nearest to p by true distance to its geometry (INVALID_ID if the layer is
  /// empty); `distance` receives it in coordinate units. Polygons containing p are at 0; ties
  /// go to the lowest id.
  core::FeatureId nearest(core::Vec2 p, double* distance = nullptr) const;
  /// Number of indexed features.
  std::size_t size() const { return m_leaf_count; }

 private:
  const core::Geometries* m_geom = nullptr;
  std::size_t m_leaf_count = 0;
  std::vector<core::BBox> m_boxes;         // every node: leaves first, then each level up, root last
  std::vector<std::uint32_t> m_items;      // leaf: feature id; inner node: index of first child
  std::vector<std::uint32_t> m_level_end;  // end index in m_boxes of each level
  static constexpr std::uint32_t m_node_size = 16;
};

/// Distance from p to feature f of g (coordinate units): 0 inside a polygon, else the
/// shortest distance to its rings, lines or points; infinity for a feature without geometry.
double point_feature_distance(const core::Geometries& g, core::FeatureId f, core::Vec2 p);

/// Finds the polygon containing a point (the first by id if polygons overlap).
class PolygonLocator {
 public:
  explicit PolygonLocator(const core::Geometries& polys);
  /// Not from a temporary: the locator points into the geometries.
  explicit PolygonLocator(const core::Geometries&& polys) = delete;
  /// The feature containing p, or INVALID_ID. `polys` must outlive the locator.
  core::FeatureId locate(core::Vec2 p) const;

 private:
  const core::Geometries* m_geom;
  SpatialIndex m_index;
};

}  // namespace kepumap::geo
