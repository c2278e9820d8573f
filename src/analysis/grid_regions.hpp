#pragma once
// Polygons of labelled grid cells (the capacity catchments of `kepumap access`): each label's
// cells traced along the cell edges into rings, so a polygon's area is exactly its cell count
// times the cell area and polygons of different labels never overlap.
#include <cstdint>

#include "core/geometry.hpp"
#include "core/grid.hpp"

namespace kepumap::analysis {

/// One polygon feature per label 0..count-1 (GeomKind::Polygon, the grid's CRS): the union of
/// the cells whose value is that label, traced on cell edges; straight runs are merged into one
/// segment. Exteriors counter-clockwise, holes clockwise. Two cells of one label that touch only
/// at a corner become separate parts (they meet at that point). A label with no cells gives a
/// feature with no parts. Values outside 0..count-1 are ignored.
core::Geometries grid_regions(const core::GridI& labels, int count);

}  // namespace kepumap::analysis
