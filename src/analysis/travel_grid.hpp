#pragma once
// Off-road friction for the travel-time engine: a pace grid (seconds per metre) over the
// project at a chosen cell size. Plain data, std only.
#include <cstdint>
#include <limits>
#include <span>
#include <utility>
#include <vector>

#include "analysis/travel_roads.hpp"
#include "core/geometry.hpp"
#include "core/grid.hpp"

namespace kepumap::analysis {

/// Pace of an impassable cell (water, the international border, outside the study area).
inline constexpr float IMPASSABLE = std::numeric_limits<float>::infinity();

/// A land-cover class and the off-road speed across it (km/h; 0 = impassable).
struct LandCoverSpeed {
  double value = 0.0;  ///< class value in the land-cover raster
  double kmh = 0.0;
};

/// What the friction grid is made of. Every geometry is in metres in the analysis CRS.
struct FrictionInputs {
  core::BBox extent;           ///< area to cover; grown by `outside_buffer_m` when a region is given
  double cell_size_m = 500.0;  ///< cell size, metres
  double offroad_kmh = 25.0;   ///< motor vehicle across open grassland, km/h
  const core::Geometries* region = nullptr;  ///< study-area polygons (the banner); null = whole extent
  double outside_buffer_m = 20'000.0;  ///< how far beyond the region travel may go (not across the border)
  const core::Geometries* water = nullptr;  ///< polygons (lakes): impassable unless a road crosses them
  const core::Geometries* rivers =
      nullptr;  ///< lines: every cell they touch is impassable, except at roads and fords
  std::span<const core::Vec2>
      fords;         ///< points where a river is crossed off-road (the cell and its 8 neighbours)
  bool ice = false;  ///< lakes and rivers frozen: crossed off-road on the ice
  const core::Geometries* border = nullptr;   ///< lines: every cell they touch is impassable
  const core::GridF* landcover = nullptr;     ///< optional class raster (any frame in the analysis CRS)
  std::vector<LandCoverSpeed> landcover_kmh;  ///< class -> speed; classes not listed use offroad_kmh
  const RoadNetwork* roads = nullptr;         ///< two-way roads are burned in at their speed
};

/// Builds the pace grid (seconds per metre; IMPASSABLE where travel is not possible). Order:
/// grassland (or land cover) → lakes impassable → river cells impassable except around fords
/// (neither when `ice`) → two-way roads burned in (a road crossing water is a bridge) → border cells
/// impassable → cells outside the study area impassable. The study area is the region's cells grown by
/// `outside_buffer_m` (8-neighbour rings) without crossing border cells, so the far side of the border stays
/// out.
core::GridF build_pace_grid(const FrictionInputs& in);

/// Marks (value 1) every cell of `mask` (any grid frame) that water blocks: cells whose centre
/// lies in a lake polygon and cells a river line touches.
void mark_water(core::Grid<std::uint8_t>& mask, const core::Geometries* lakes,
                const core::Geometries* rivers);

/// Grid frame covering `extent` with cells of `cell` metres, aligned to multiples of `cell`.
core::GridF grid_frame(const core::BBox& extent, double cell, float fill);

/// Calls f(col, row) for every cell the segment a-b passes through (4-connected supercover,
/// cells outside the grid skipped). Coordinates in the grid's CRS.
template <class T, class F>
void for_each_cell_on_segment(const core::Grid<T>& g, core::Vec2 a, core::Vec2 b, F&& f);

/// Sets every cell whose centre lies inside polygon feature(s) of `polys` to `value`
/// (even-odd per feature over all its rings).
template <class T>
void fill_polygons(core::Grid<T>& g, const core::Geometries& polys, T value);

}  // namespace kepumap::analysis

#include "analysis/travel_grid_impl.hpp"
