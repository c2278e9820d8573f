#pragma once
// Synthetic-but-plausible pieces of the demo projects: seeded random numbers, site placement,
// Voronoi partitions inside real outlines, integer population allocation, a population grid and
// road polylines. Every function is deterministic for a given seed.
#include <cstdint>
#include <string>
#include <vector>

#include "core/geometry.hpp"
#include "core/grid.hpp"
#include "geo/crs.hpp"

namespace kepumap::make_demo {

/// SplitMix64: a small PRNG whose output is the same on every platform and compiler
/// (std:: distributions are implementation-defined, so they are not used).
struct Rng {
  std::uint64_t state;
  explicit Rng(std::uint64_t seed) : state(seed) {}
  std::uint64_t next();
  /// Uniform in [0, 1).
  double uniform();
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
};

/// Copies feature f of `src` to the end of `dst` (same kind).
void append_feature(core::Geometries& dst, const core::Geometries& src, core::FeatureId f);
/// Copies every coordinate of g through the transform (forward, or inverse when `inverse`).
core::Geometries transformed(const core::Geometries& g, const geo::Transform& tf, bool inverse = false);
/// The rings of polygon feature(s) as one line feature (each ring a part).
core::Geometries boundary_lines(const core::Geometries& polys);
/// An axis-aligned rectangle as a one-feature polygon.
core::Geometries rect_polygon(const core::BBox& b);
/// Total area of all features (square units of the coordinates).
double total_area(const core::Geometries& g);
double dist(core::Vec2 a, core::Vec2 b);

/// Places n sites inside polygon feature 0 of `poly_m` by best-candidate sampling: each new site
/// is, among `candidates` random points inside, the one farthest from the existing sites
/// (`fixed` and the ones already placed) and, at half weight, from the boundary. Points closer
/// than `keep_away` metres to any of `avoid` are rejected. Metres in the analysis CRS.
std::vector<core::Vec2> spread_sites(const core::Geometries& poly_m, int n,
                                     const std::vector<core::Vec2>& fixed,
                                     const std::vector<core::Vec2>& avoid, double keep_away, Rng& rng,
                                     int candidates = 40);

/// Lloyd relaxation: `iterations` times, moves every site with movable[i] to the centroid of its
/// Voronoi cell within polygon feature 0 of `poly_m` (kept where the centroid falls outside the
/// polygon), so cells become closer to equal area. Metres in the analysis CRS.
void relax_sites(const core::Geometries& poly_m, std::vector<core::Vec2>& sites,
                 const std::vector<bool>& movable, int iterations);

/// Partition of a parent polygon: the Voronoi cells of `sites_m` (metres), merged by `group`
/// (group[i] in [0, ngroups)), taken to lon/lat through `tf` (inverse) and clipped to feature 0
/// of `parent_ll`. One feature per group, lon/lat degrees.
core::Geometries partition(const std::vector<core::Vec2>& sites_m, const std::vector<int>& group, int ngroups,
                           const core::Geometries& parent_ll, const geo::Transform& tf);

/// Splits `total` into integers proportional to `weights` (largest remainder, ties by index);
/// the parts sum exactly to `total`. Every weight must be >= 0 and the sum > 0.
std::vector<std::int64_t> allocate(std::int64_t total, const std::vector<double>& weights);

/// How the people of a village-level unit are spread over its cells.
enum class Settlement {
  Urban,     ///< community (社区) in a town: every cell, denser toward the town seat
  Farming,   ///< farming village (村): a compact settlement around the village centre
  Pastoral,  ///< gachaa (嘎查): dispersed homesteads, denser near the seats
};

/// One village-level unit to spread over the grid (metres in the analysis CRS).
struct GridUnit {
  core::FeatureId feature;  ///< polygon feature in the villages' metre geometry
  std::int64_t population;
  Settlement settlement;
  core::Vec2 centre;     ///< the village centre
  core::Vec2 town_seat;  ///< its township's seat
};

/// Result of spreading population: the grid (people per cell, -1 outside every unit) and
/// the cells of each unit (by cell-centre-in-polygon; every cell belongs to at most one unit).
struct PopulationGrid {
  core::Grid<std::int32_t> grid;
  std::vector<std::vector<std::size_t>> unit_cells;
};

/// Builds a north-up grid of `cell_m` metres over the villages (metres) and spreads each unit's
/// people over its own cells; each unit's cells sum exactly to its population. Throws if a unit
/// has no cell centre inside it.
PopulationGrid spread_population(const core::Geometries& villages_m, const std::vector<GridUnit>& units,
                                 double cell_m, Rng& rng);

/// A road polyline from a to b (metres) with gentle seeded meanders of up to `wiggle` times
/// the length, a vertex about every `step_m`; the end points are exactly a and b.
std::vector<core::Vec2> road_line(core::Vec2 a, core::Vec2 b, double wiggle, double step_m, Rng& rng);

}  // namespace kepumap::make_demo
