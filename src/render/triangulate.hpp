#pragma once
// Polygon triangulation by ear clipping, holes joined to the outer ring by bridges.
#include <cstdint>
#include <span>
#include <vector>

#include "core/geometry.hpp"

namespace kepumap::render {

/// Triangulates one polygon: rings[0] the exterior, the rest holes (any orientation; closing
/// duplicate point optional). Appends triangles to `out` as indices into the concatenation of
/// the rings as given (ring 0 first, then each hole, each ring's points in order). For a valid
/// polygon the triangles partition it: their areas add up to the polygon's area.
void triangulate_polygon(std::span<const std::span<const core::Vec2>> rings, std::vector<std::uint32_t>& out);

/// Triangles of every polygon part of a layer: indices into `g.coords` (closing coordinates are
/// never referenced). `feature_first[f]` .. `feature_first[f+1]` is the index range (into `out`)
/// of feature f's triangles.
struct LayerTriangles {
  std::vector<std::uint32_t> indices;
  std::vector<std::uint32_t> feature_first;  ///< size feature_count() + 1
};
LayerTriangles triangulate_layer(const core::Geometries& g);

/// Sum of the areas of triangles (indices into pts), square units of the coordinates.
double triangles_area(std::span<const core::Vec2> pts, std::span<const std::uint32_t> tri);

}  // namespace kepumap::render
