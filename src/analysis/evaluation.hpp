#pragma once
// From a loaded project to coverage figures and target verdicts: the units and their demand in
// the travel model's grid frame, the facility sets under each service standard, the travel
// surfaces, and a what-if update that recomputes only what an edit touches.
#include <atomic>
#include <span>
#include <string>
#include <vector>

#include "analysis/coverage.hpp"
#include "analysis/goals.hpp"
#include "analysis/travel.hpp"
#include "analysis/travel_project.hpp"
#include "analysis/whatif.hpp"
#include "core/document.hpp"

namespace kepumap::analysis {

/// Units, demand and unit facts of a project in one grid frame (built once per document).
struct StudyArea {
  std::vector<UnitLevel> levels;                 ///< finest first
  std::vector<const core::Layer*> level_layers;  ///< polygons of each level (nullptr if none)
  const core::Layer* finest = nullptr;           ///< the layer of the finest units
  Demand demand;                                 ///< people and finest unit per cell
  UnitFacts facts;                               ///< pastoral, border distance, remoteness, seats
  std::string demand_rule;                       ///< how demand was built (for reports and `info`)
};

/// One service under a standard: fixed facilities reached by travel time, or a mobile service
/// (caravan, expert tours) that reaches units by visits.
struct FacilitySet {
  std::string facility;  ///< role or service name, as in [[standard]]
  std::string label;     ///< 中文 label
  bool mobile = false;
  double standard_s = 0.0;         ///< seconds (fixed)
  int visits_required = 1;         ///< visits per year that count (mobile)
  std::vector<core::Vec2> points;  ///< facility locations, analysis CRS metres
  std::vector<std::string> names;
  std::vector<std::string> levels;    ///< level attribute per facility (may be empty strings)
  std::vector<double> floor_area_m2;  ///< per facility, 0 if unknown
  /// Per facility: the `capacity` field (people per year, visitors per year or seats: the
  /// standard's capacity_unit), +inf where the facility's layer maps no capacity field.
  std::vector<double> capacity;
  std::vector<double> order_key;  ///< per facility: the standard's order_field (+inf if none)
  bool has_capacity = false;      ///< some layer of this role maps a capacity field
  std::string capacity_unit;      ///< as the standard declares it (may be empty)
  std::string capacity_order = "capacity";
  std::vector<int> visits;  ///< mobile: visits per year per finest unit
};

/// Problems with the capacities (and the order field) of the facilities under `standard`:
/// a capacity that is missing on some facilities, not a number or negative; one problem per
/// feature naming the file, layer, feature and field.
std::vector<core::Problem> capacity_problems(const core::Document& doc,
                                             const core::ServiceStandard& standard);

/// Builds the study area in the frame of `frame` (any grid with the travel model's frame).
/// Levels: village → township → banner when the project has those layers; counties → leagues
/// (a `league` column) → region for region projects. Demand: the population raster summed into
/// the frame, or else each finest unit's population field spread evenly over its cells.
StudyArea build_study_area(const core::Document& doc, const core::GridF& frame, core::Diagnostics& diag);

/// How demand will be built for `doc`, in words, before any grid exists (for `kepumap info`):
/// the population raster, or the populated town/village points and the [demand] split of each
/// finest unit's total between its seat and its land (lakes excluded).
std::string describe_demand(const core::Document& doc);

/// Remoteness of each finest unit: people-weighted mean travel time from its populated cells (its seat
/// when it has none) to the nearest town (role town),
/// seconds; 0 when the project has no towns.
void fill_remoteness(StudyArea& area, const core::Document& doc, const TravelModel& model);
/// Where each unit's seat joins the travel grid and the seconds of that access leg
/// (UnitFacts::seat_cell, seat_access_s); fill_remoteness calls it.
void fill_seat_access(StudyArea& area, const TravelModel& model);

/// The facility sets named by the project's [[standard]] entries.
std::vector<FacilitySet> facility_sets(const core::Document& doc, const StudyArea& area);

/// Surfaces, coverage and targets for a set of facility sets.
struct Evaluation {
  std::vector<FacilitySet> sets;
  std::vector<TravelSurface> surfaces;  ///< one per set (empty grids for mobile sets)
  std::vector<ServiceInput> services;   ///< one per set, pointing into `surfaces`
  CoverageResult coverage;
  std::vector<TargetResult> targets;
};

/// Computes every surface, the coverage and the targets. When `cancel` is given and becomes
/// true, the remaining surfaces are skipped and the figures are not computed: the caller must
/// discard the result.
Evaluation evaluate(const core::Document& doc, const StudyArea& area, const TravelModel& model,
                    std::vector<FacilitySet> sets, const PriorityParams& priority,
                    const std::atomic<bool>* cancel = nullptr);

/// Makes `to` a copy of `from` whose services point into `to`'s own surfaces (a plain copy
/// points into `from`'s), reusing `to`'s storage.
void copy_evaluation(Evaluation& to, const Evaluation& from);
/// The same when `to` already holds figures that differ from `from` only in set `set` (its
/// places and surface) and in the figures computed from the sets (services, coverage, targets),
/// as two steps of one drag do: only those are copied.
void copy_evaluation(Evaluation& to, const Evaluation& from, std::size_t set);

/// Coverage and targets again from the surfaces and sets as they are (after a standard, a
/// facility's level or name changed; update_set and drag_update end with it).
void recompute_figures(Evaluation& ev, const core::Document& doc, const StudyArea& area,
                       const PriorityParams& priority);

/// What-if: after editing `ev.sets[k]` (moved, added or removed facilities), recomputes that
/// set's surface and then the coverage and targets. `ws` is reused between calls.
void update_set(Evaluation& ev, std::size_t k, const core::Document& doc, const StudyArea& area,
                const TravelModel& model, SearchWorkspace& ws, const PriorityParams& priority);

/// What-if drag step: facility `i` of set `k` moved to `p` (analysis CRS metres), its set's
/// surface taken from `drag` (made when the drag started), then coverage and targets recomputed.
void drag_update(Evaluation& ev, std::size_t k, std::size_t i, core::Vec2 p, const FacilityDrag& drag,
                 const core::Document& doc, const StudyArea& area, const TravelModel& model,
                 SearchWorkspace& ws, const PriorityParams& priority);

/// Facts about facilities that targets count (role, level, unit, floor area): for a role with a
/// fixed set in `sets` the set's facilities (what-if edits and accepted sites included), for the
/// other roles the document's.
std::vector<FacilityFact> facility_facts(const core::Document& doc, const StudyArea& area,
                                         std::span<const FacilitySet> sets = {});

/// A project evaluated end to end: travel engine, study area, coverage and targets.
struct ProjectEvaluation {
  ProjectTravel travel;
  StudyArea area;
  Evaluation ev;
  PriorityParams priority;
};

/// Evaluates the targets with metric access_index or capacity_coverage_share (they need a
/// search per facility, so they are computed here and not in what-if updates, where such a
/// target reads "not evaluated" until the next full evaluation).
void add_access_targets(ProjectEvaluation& pe, const core::Document& doc);
/// The same over the parts of a project evaluation: figures `ev` made with `model`, `area` and
/// `priority` (a what-if drag step's own copy of the figures).
void add_access_targets(Evaluation& ev, const TravelModel& model, const StudyArea& area,
                        const PriorityParams& priority, const core::Document& doc);

/// Builds the travel engine for `scenario` (empty = base settings; an unknown name is an error in
/// `diag`), the study area and every figure. Problems go to `diag`; check has_errors().
/// `cancel` (optional): when it becomes true the evaluation stops at the next stage or facility
/// surface; the result is then incomplete and the caller must discard it (check the flag).
ProjectEvaluation evaluate_project(const core::Document& doc, const std::string& scenario,
                                   core::Diagnostics& diag, const std::atomic<bool>* cancel = nullptr);

}  // namespace kepumap::analysis
