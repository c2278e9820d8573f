#pragma once
// A siting instance built from a loaded project: demand blocks from the study area's people grid,
// candidate sites from point layers (or a regular grid), the existing facilities of one travel-time
// [[standard]] as fixed sites, and candidate -> demand times from the project's travel engine.
// Used by `kepumap site project.toml` and the app's siting panel, so both solve the same instance.
#include <atomic>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "analysis/evaluation.hpp"
#include "core/document.hpp"
#include "core/geometry.hpp"
#include "optimize/siting.hpp"

namespace kepumap::optimize {

/// What to build.
struct ProjectSitingSpec {
  std::string facility = "education_base";  ///< facility kind of a travel-time [[standard]]
  /// Candidate point layers by name, comma-separated, or "grid:METRES" (analysis CRS spacing);
  /// empty = the village and township seat point layers.
  std::string candidates;
  double radius_min = -1.0;  ///< longest trip in the matrix, minutes (<= 0: 3 x standard, >= 2 h)
  SitingProblem problem = SitingProblem::PMedian;  ///< covering problems bound times by the standard
  bool one_per_group = false;                      ///< fill `instance.group` with each candidate's township
  /// Keep candidates that lie outside the study area (core::StudyArea::contains); by default
  /// they are excluded and counted in ProjectSiting::excluded_outside.
  bool keep_outside = false;
  /// Converts points from metres in the analysis CRS to WGS84 lon/lat degrees in place (false on
  /// failure): grid candidates and demand blocks are named by their unit and lon/lat with it
  /// ("别力古台镇 114.97°E 44.02°N"). Empty: named by their unit only.
  std::function<bool(std::vector<core::Vec2>&)> to_lonlat;
};

/// The instance and how to map its candidates back to the map.
struct ProjectSiting {
  SitingInstance instance;                   ///< candidate names in instance.candidate_names
  std::vector<core::Vec2> candidate_points;  ///< by candidate index, analysis CRS metres
  std::vector<core::Vec2> demand_points;     ///< by demand index (block centres), analysis CRS metres
  std::size_t new_candidates = 0;            ///< candidates [0, new_candidates) are new; the rest existing
  std::size_t set_index = 0;                 ///< index of the facility set in ProjectEvaluation::ev.sets
  int block_cells = 1;                       ///< demand block size in people-grid cells (b x b)
  double limit_s = 0.0;                      ///< longest trip stored in the matrix, seconds
  core::ISeconds standard = 0;               ///< the facility's service standard, whole seconds
  core::ISeconds unreachable_cost = -1;      ///< p-median/p-center cost of an unreached demand (-1: unused)
  std::size_t excluded_outside = 0;          ///< candidates left out because they lie outside the study area
  std::int64_t people_total = 0;             ///< people in the demand blocks (sum of instance.population)
};

/// Builds the instance; nullopt with a one-line `error` (naming `project_path`) on bad input.
/// `cancel` (optional) stops the travel-time matrix midway: when it is true on return, the
/// instance is incomplete and must be discarded. `sets` (optional) are the facility sets to
/// site against instead of `pe.ev.sets` (the app's what-if edits, copied for a worker thread).
std::optional<ProjectSiting> build_project_siting(const core::Document& doc,
                                                  const analysis::ProjectEvaluation& pe,
                                                  const ProjectSitingSpec& spec,
                                                  const std::string& project_path, std::string& error,
                                                  const std::atomic<bool>* cancel = nullptr,
                                                  const std::vector<analysis::FacilitySet>* sets = nullptr);

/// The project's evaluation with the chosen candidates added to the facility set
/// (`ps.set_index`), through the same evaluate() the coverage figures use.
analysis::Evaluation evaluate_with_sites(const core::Document& doc, const analysis::ProjectEvaluation& pe,
                                         const ProjectSiting& ps, const std::vector<core::Id>& chosen,
                                         const std::vector<analysis::FacilitySet>* sets = nullptr);

}  // namespace kepumap::optimize
