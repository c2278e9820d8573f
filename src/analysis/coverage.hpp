#pragma once
// Coverage and gaps: who is within reach of what, per unit, weighted toward pastoral and border
// areas. Plain functions over grids in the analysis CRS; the travel-time surfaces come from the
// travel engine, the demand from the population raster or the villages' populations.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/grid.hpp"
#include "core/types.hpp"

namespace kepumap::analysis {

/// Administrative units in levels, finest first (village → township → banner, or county →
/// league → region). Each unit of level i has a parent index in level i+1 (INVALID_ID at the top).
struct UnitLevel {
  std::string name;                ///< "village", "township", "banner", "county", "league"
  std::vector<std::string> names;  ///< unit names (中文)
  std::vector<std::string> codes;  ///< unit codes (may be empty strings)
  std::vector<core::Id> parent;    ///< index in the next level, INVALID_ID at the top level
};

/// Where people live: people per cell, and which finest-level unit each cell belongs to.
struct Demand {
  core::GridF people;  ///< people per cell (analysis CRS)
  core::GridI unit;    ///< index of the finest-level unit per cell, -1 outside every unit
};

/// One service kind in the account: a fixed facility type reached by travel time, or a mobile
/// service (caravan, expert tour) that reaches a finest-level unit by visits per year.
struct ServiceInput {
  std::string facility;  ///< role or service name ("museum", "education_base", "caravan")
  std::string label;     ///< 中文 label for tables
  bool mobile = false;
  // Fixed facilities: the travel-time surface from all facilities of this kind.
  double standard_s = 0.0;                  ///< covered when time ≤ standard, seconds
  const core::GridF* time = nullptr;        ///< seconds to the nearest facility, +inf unreachable
  const core::GridI* nearest = nullptr;     ///< index of that facility per cell, -1 if none
  std::vector<std::string> facility_names;  ///< by facility index
  std::vector<core::Vec2> facility_points;  ///< by facility index, analysis CRS metres
  // Mobile services: visits per year to each finest-level unit, and the visits that count.
  std::vector<int> visits;  ///< per finest-level unit
  int visits_required = 1;
};

/// How priority is weighted (documented in README): priority = 1 + pastoral_weight * pastoral
/// + border_weight * band weight + remoteness_weight * min(1, remoteness_s / remoteness_scale_s).
struct PriorityParams {
  double pastoral_weight = 1.0;
  double border_weight = 1.0;
  std::vector<double> border_bands_m{50'000.0, 100'000.0};  ///< band limits, metres from the border
  std::vector<double> border_band_weights{1.0, 0.5};        ///< weight inside each band
  double remoteness_weight = 1.0;
  double remoteness_scale_s = 3.0 * 3600.0;  ///< remoteness counted in full beyond this
};

/// Per finest-level unit facts used for priority and equity.
struct UnitFacts {
  std::vector<double> pastoral;  ///< 0..1: pastoral flag or share of herding households
  std::vector<double>
      border_distance_m;  ///< metres from the unit's nearest populated cell to the border (+inf if none)
  /// Metres from each populated cell's centre to the border (+inf elsewhere or without a border),
  /// in the demand frame; empty when the project has no border. When present, the border band
  /// of priorities and the border/interior equity groups are counted per cell, where people live.
  core::GridF border_cell_m;
  std::vector<double> remoteness_s;  ///< seconds to the banner/county seat (or 0 if unknown)
  std::vector<core::Vec2> seat;      ///< representative point of each unit (analysis CRS)
  /// Where each seat joins the travel grid (analysis::point_time's anchor): the cell (c + r *
  /// width of the model's frame, -1 if the seat is off every passable cell) and the seconds from
  /// the seat to that cell. Empty when not filled (then the seat's own cell is used, no access).
  std::vector<std::int64_t> seat_cell;
  std::vector<double> seat_access_s;
};

/// Figures for one service kind in one unit.
struct ServiceFigures {
  double population = 0.0;
  double covered = 0.0;
  double uncovered() const { return population - covered; }
  double share() const { return population > 0 ? covered / population : 0.0; }
  double mean_s = 0.0;       ///< population-weighted mean time, seconds (reachable people)
  double median_s = 0.0;     ///< population-weighted median, seconds (1-minute resolution)
  double p90_s = 0.0;        ///< population-weighted 90th percentile, seconds (1-minute resolution)
  double unreachable = 0.0;  ///< people with no route to any facility of this kind
  // Nearest facility from the unit's representative point (finest level only).
  core::Id nearest = core::INVALID_ID;
  double nearest_time_s = 0.0;
  double nearest_distance_m = 0.0;  ///< straight-line, metres in the analysis CRS
};

/// Figures for one unit.
struct UnitFigures {
  double population = 0.0;
  std::vector<ServiceFigures> service;  ///< by service kind, as given
  double covered_any = 0.0;             ///< covered by at least one kind (fixed or mobile)
  double share_any() const { return population > 0 ? covered_any / population : 0.0; }
  double priority = 1.0;  ///< population-weighted for coarser levels
  double gap = 0.0;       ///< uncovered (by any kind) × priority, summed upward
};

/// Coverage and time for one group of people (pastoral, border, ...).
struct GroupFigures {
  std::string name;
  double population = 0.0;
  double covered_any = 0.0;
  double mean_s = 0.0;  ///< mean time to the nearest fixed facility of any kind, seconds
  double share() const { return population > 0 ? covered_any / population : 0.0; }
};

/// The "imbalance" the plans worry about, as numbers.
struct Equity {
  GroupFigures pastoral, other, border, interior;
  double gini_time = 0.0;  ///< population-weighted Gini of time to the nearest fixed facility
};

/// Everything compute_coverage returns.
struct CoverageResult {
  std::vector<std::vector<UnitFigures>> levels;  ///< by level (as in the input), by unit
  UnitFigures total;                             ///< the whole study area
  Equity equity;
  core::GridF gap;        ///< people not covered by any kind × priority, per cell
  core::GridF best_time;  ///< seconds to the nearest fixed facility of any kind, per cell
};

/// Priority of each finest-level unit (formula in PriorityParams). With `demand` and a
/// per-cell border distance in `facts`, a unit's border term is the people-weighted mean band
/// weight of its cells; otherwise the band of the unit's border distance.
std::vector<double> unit_priority(const UnitFacts& facts, const PriorityParams& params,
                                  const Demand* demand = nullptr);

/// Spread each unit's population over its cells (the rule when there is no population
/// raster): `seat_share` of it in the cell of its seat, the rest evenly over its cells that
/// are not marked in `water` (one byte per cell of the frame; empty = none), or over all its
/// cells when every one is water. Units with no cell put all their people at their seat.
core::GridF spread_population(const core::GridI& unit, std::span<const double> population,
                              std::span<const core::Vec2> seat, double seat_share = 0.0,
                              std::span<const std::uint8_t> water = {});

/// Computes every figure. All grids share one frame. Same input, same output.
CoverageResult compute_coverage(const Demand& demand, std::span<const UnitLevel> levels,
                                std::span<const ServiceInput> services, const UnitFacts& facts,
                                const PriorityParams& params);

/// Population-weighted Gini coefficient of `values` (0 = equal, →1 = concentrated).
double weighted_gini(std::span<const double> values, std::span<const double> weights);

}  // namespace kepumap::analysis
