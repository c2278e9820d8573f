#pragma once
// Isolines (isochrones) of a raster by marching squares. Plain data, std only.
#include <atomic>
#include <span>
#include <vector>

#include "core/geometry.hpp"
#include "core/grid.hpp"

namespace kepumap::analysis {

/// The isochrone levels the app and reports draw: 15, 30, 60 and 120 minutes, in seconds.
inline constexpr double ISOCHRONE_LEVELS_S[4] = {900.0, 1800.0, 3600.0, 7200.0};

/// Lines of one level: feature i of `lines` (GeomKind::Line, metres in the grid's CRS) holds
/// every polyline of `levels[i]`; a closed polyline repeats its first point at the end.
struct Isolines {
  std::vector<double> levels;
  core::Geometries lines;
};

/// Marching squares over the cell centres of `g`: for each level, the polylines where the
/// surface crosses it (linear interpolation along cell edges). Cells that are not finite (or
/// equal `g.nodata` when it is finite) break the lines. Saddles are resolved by the mean of
/// the four corners. Levels in the grid's value unit (seconds for a travel-time surface).
/// When `cancel` is given and becomes true, the trace stops within one row and returns no lines.
Isolines isolines(const core::GridF& g, std::span<const double> levels,
                  const std::atomic<bool>* cancel = nullptr);

}  // namespace kepumap::analysis
