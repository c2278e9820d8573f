#pragma once
// Spatial index over a layer's features (packed static R-tree over bounding boxes) and a
// prepared point-in-polygon locator on top of it.
#include <vector>

#include "core/geometry.hpp"

namespace kepumap::geo {

/// Static index of feature bounding boxes; build once, query many times. Thread-safe reads.
class SpatialIndex {
 public:
  SpatialIndex() = default;
  explicit SpatialIndex(const core::Geometries& g);
  /// Features whose box intersects `box` (ascending ids).
  std::vector<core::FeatureId> query(const core::BBox& box) const;
  /// The feature nearest to p by true distance to its geometry (INVALID_ID if the layer is
  /// empty); `distance` receives it in coordinate units.
  core::FeatureId nearest(core::Vec2 p, double* distance = nullptr) const;

 private:
  const core::Geometries* m_geom = nullptr;
  struct Node;
  std::vector<core::BBox> m_boxes;  // packed tree levels, leaves first
  std::vector<std::uint32_t> m_level_start;
  std::vector<core::FeatureId> m_order;
  std::size_t m_node_size = 16;
};

/// Finds the polygon containing a point (the first by id if polygons overlap).
class PolygonLocator {
 public:
  explicit PolygonLocator(const core::Geometries& polys);
  /// The feature containing p, or INVALID_ID.
  core::FeatureId locate(core::Vec2 p) const;

 private:
  const core::Geometries* m_geom;
  SpatialIndex m_index;
};

}  // namespace kepumap::geo
