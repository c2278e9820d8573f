#pragma once
// Accessibility indices (README "Capacity and balance"): two-step floating catchment (2SFCA,
// Luo & Wang 2003), enhanced 2SFCA with distance decay (E2SFCA, Luo & Qi 2009) and the plain
// supply-to-demand ratio per unit, with the equity of the result (Gini, Lorenz curve, groups,
// the units farthest below the mean). Plain data in, plain data out.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "analysis/coverage.hpp"
#include "analysis/travel.hpp"

namespace kepumap::analysis {

/// Distance decay of E2SFCA inside a catchment of d0 seconds (0 beyond d0):
/// Step: the catchment in thirds weighted 1, 0.68, 0.22 (Luo & Qi 2009);
/// Gaussian: (exp(-½(t/d0)²) − exp(-½)) / (1 − exp(-½)), 1 at the facility, 0 at d0 (Dai 2010).
enum class Decay : std::uint8_t { Step, Gaussian };

/// Weight of a trip of `t` seconds in a catchment of `d0` seconds (t ≤ d0 counts).
double decay_weight(Decay decay, double t, double d0);

/// Two-step floating catchment over reach lists (items = cells or demand points):
/// step 1, each facility's supply per person R_j = S_j / Σ_i P_i w(t_ij) over the items within
/// d0 (0 when nobody is within d0); step 2, each item's index A_i = Σ_j R_j w(t_ij).
/// `decay` empty = 2SFCA (w = 1 inside d0); else E2SFCA with that decay.
struct FloatingCatchment {
  std::vector<double> facility_ratio;  ///< R_j, supply per person, by facility
  std::vector<double> index;           ///< A_i, supply per person, by item
  double mean = 0.0;                   ///< population-weighted mean of A over the items
};
FloatingCatchment floating_catchment(std::span<const double> people, const ReachLists& reach,
                                     std::span<const double> supply, double d0_s, const Decay* decay);

/// Supply-to-demand ratio per unit: the supply of the facilities standing in each finest unit
/// over its people (supply per person); coarser levels sum supply and people upward.
/// `facility_unit[j]` is the finest unit of facility j (INVALID_ID outside every unit).
std::vector<std::vector<double>> unit_supply_ratio(std::span<const UnitLevel> levels,
                                                   std::span<const double> unit_people,
                                                   std::span<const double> supply,
                                                   std::span<const core::Id> facility_unit);

/// Population-weighted mean of an item value per unit at every level: `item_unit[i]` is the
/// finest unit of item i (-1 outside). Units without people get 0. Also the people per unit.
struct UnitMeans {
  std::vector<std::vector<double>> value;   ///< by level, by unit
  std::vector<std::vector<double>> people;  ///< by level, by unit
};
UnitMeans unit_means(std::span<const UnitLevel> levels, std::span<const double> people,
                     std::span<const std::int32_t> item_unit, std::span<const double> value);

/// One point of a Lorenz curve: the poorest `population` share of people hold `index` share of
/// the total (index × people).
struct LorenzPoint {
  double population = 0.0;
  double index = 0.0;
};
/// The Lorenz curve of `values` weighted by `weights`, from (0,0) to (1,1), places sorted by
/// value ascending. Empty when the weights or the weighted total are not positive.
std::vector<LorenzPoint> lorenz_curve(std::span<const double> values, std::span<const double> weights);

/// Equity of an index over the finest units (values normalised so the region's mean is 1).
struct AccessEquity {
  double gini = 0.0;  ///< population-weighted Gini over the finest units
  std::vector<LorenzPoint> lorenz;
  double pastoral = 0.0, other = 0.0;   ///< population-weighted mean index of each group
  double border = 0.0, interior = 0.0;  ///< border: within the last border band (PriorityParams)
  double pastoral_people = 0.0, other_people = 0.0, border_people = 0.0, interior_people = 0.0;
  std::vector<core::Id> lowest;  ///< finest units with people, lowest index first (up to `n_lowest`)
};
AccessEquity access_equity(std::span<const double> unit_index, std::span<const double> unit_people,
                           const UnitFacts& facts, double border_limit_m, std::size_t n_lowest);

}  // namespace kepumap::analysis
