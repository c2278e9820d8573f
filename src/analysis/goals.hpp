#pragma once
// The plans' targets checked against a coverage result: value, threshold, pass or fail, and the
// units that fail. Plain data in, plain data out.
#include <span>
#include <string>
#include <vector>

#include "analysis/coverage.hpp"
#include "core/project.hpp"

namespace kepumap::analysis {

/// A facility as the targets see it: its role, level and the finest-level unit it stands in.
struct FacilityFact {
  std::string role;                  ///< role name ("education_base", "museum", ...)
  std::string level;                 ///< level attribute (national, region, league, banner), may be empty
  core::Id unit = core::INVALID_ID;  ///< finest-level unit containing it
  double floor_area_m2 = 0.0;        ///< venue floor area, 0 if unknown
};

/// Access figures of one facility set for the access targets (README "Capacity and balance").
struct AccessFigures {
  std::string facility;                       ///< role, as in [[standard]]
  std::vector<std::vector<double>> relative;  ///< by level, unit: E2SFCA index / region mean
  std::vector<std::vector<double>>
      capacity_share;  ///< by level, unit: share of people served within capacity
};

/// Everything the targets read.
struct GoalInputs {
  std::span<const UnitLevel> levels;  ///< finest first, as given to compute_coverage
  const CoverageResult* coverage = nullptr;
  std::span<const ServiceInput> services;  ///< as given to compute_coverage
  std::vector<FacilityFact> facilities;
  std::vector<AccessFigures> access;  ///< for access_index / capacity_coverage_share (may be empty)
};

/// The verdict on one target.
struct TargetResult {
  const core::Target* target = nullptr;
  bool evaluated = false;  ///< false when the project lacks what the metric needs
  std::string reason;      ///< why not evaluated (plain words)
  double value = 0.0;      ///< the figure compared (for every_* scopes: the worst unit)
  bool pass = false;
  std::size_t units = 0;             ///< units in the scope
  std::vector<std::string> failing;  ///< names of the units that miss the threshold
};

/// Evaluates each target. Metrics: coverage_share / population_share (share of people within the
/// standard of `facility`, or "any"), facility_count (facilities of `facility` [and `level`] in
/// each unit), caravan_visits (visits per year of the mobile service `facility` to each unit),
/// units_reached_share (share of the scope's units reached by `facility`), venue_area (floor
/// area of `facility` venues in each unit, m²), access_index (E2SFCA index of `facility` with
/// Gaussian decay over the standard's minutes, relative to the region's mean = 1) and
/// capacity_coverage_share (share of people served within the facilities' capacities). Scopes: banner |
/// region (the top level), every_township | every_village | every_county | every_league (a level by name).
std::vector<TargetResult> evaluate_targets(std::span<const core::Target> targets, const GoalInputs& in);

}  // namespace kepumap::analysis
