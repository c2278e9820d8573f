#pragma once
// Capacity-limited coverage and accessibility indices of a project's facility set, over the
// travel engine and the study area (the `kepumap access` verb and the targets read this).
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "analysis/access.hpp"
#include "analysis/capacity.hpp"
#include "analysis/evaluation.hpp"

namespace kepumap::analysis {

enum class AccessMethod : std::uint8_t { TwoStep, Enhanced, Ratio, Capacity };

/// "2sfca", "e2sfca", "ratio", "capacity" and back; nullopt-like false on an unknown name.
bool access_method_from_name(const std::string& s, AccessMethod& m);
const char* access_method_name(AccessMethod m);

/// What to compute.
struct AccessRequest {
  AccessMethod method = AccessMethod::TwoStep;
  double minutes = 0.0;           ///< catchment; 0 = the standard's minutes
  Decay decay = Decay::Gaussian;  ///< E2SFCA only
  std::string
      supply;  ///< "capacity", "area", "one"; empty = capacity if mapped, else area if known, else one
};

/// The index the access_index targets and the report's accessibility page read: E2SFCA with
/// Gaussian decay over the standard's minutes, supply as `kepumap access` chooses by default.
inline AccessRequest index_request() {
  AccessRequest r;
  r.method = AccessMethod::Enhanced;
  r.decay = Decay::Gaussian;
  return r;
}

/// Result for one fixed facility set.
struct AccessOutcome {
  std::size_t set = 0;  ///< index into Evaluation::sets
  AccessRequest request;
  double catchment_s = 0.0;
  std::string supply;  ///< the supply actually used ("capacity", "area", "one")
  std::vector<double> facility_supply;
  /// Per cell (the study area's frame): supply per person (indices) or the share of people
  /// served within capacity (capacity method); NaN where nobody lives.
  core::GridF index;
  double mean = 0.0;        ///< population-weighted region mean of `index`
  UnitMeans units;          ///< per level and unit: population-weighted mean of `index`, and people
  FloatingCatchment fca;    ///< 2SFCA / E2SFCA: per facility ratio (items = cells with people)
  CapacityResult capacity;  ///< capacity method (items = cells with people)
  std::vector<std::uint32_t> item_cell;  ///< frame cell of each item
  core::GridI catchment;                 ///< capacity method: facility that took most of each cell, -1
  std::vector<std::vector<double>> unit_served, unit_reach;  ///< capacity method: by level, by unit
  AccessEquity equity;                                       ///< over the finest units, on `index` / `mean`
};

/// Computes one method for fixed set `set` of `pe`. Returns an empty string, or one line saying
/// what is wrong (no people, a set with no facilities, a mobile service, ...).
std::string compute_access(const ProjectEvaluation& pe, std::size_t set, const AccessRequest& req,
                           AccessOutcome& out);

/// Gives the reach lists of `points` within `limit_s` seconds over the frame cells with
/// `wanted[cell] != 0` (item indices are frame cells), as facility_reach does.
using ReachSource = std::function<ReachLists(std::span<const core::Vec2> points, double limit_s,
                                             std::span<const std::uint8_t> wanted)>;
/// compute_access with the reach lists from `reach` (a cache of earlier searches: LiveAccess).
std::string compute_access(const ProjectEvaluation& pe, std::size_t set, const AccessRequest& req,
                           AccessOutcome& out, const ReachSource& reach);
/// The same over the parts of a project evaluation: figures `ev` of study area `area` with
/// `priority` (a what-if drag step's own copy of the figures).
std::string compute_access(const Evaluation& ev, const StudyArea& area, const PriorityParams& priority,
                           std::size_t set, const AccessRequest& req, AccessOutcome& out,
                           const ReachSource& reach);

/// The capacity view and the E2SFCA index of one fixed set kept current under what-if edits (the
/// app's coverage panel): each facility's reach list is kept by its place and catchment, so after
/// a move or an addition only that facility is searched again. The figures are compute_access's
/// exactly (the same code runs on the cached lists).
class LiveAccess {
 public:
  /// Brings the views up to date with set `set` of `pe` (its current places, capacities and
  /// standard): E2SFCA (Gaussian decay over the standard's minutes, the default supply, as the
  /// access_index targets) always, capacity-limited coverage when the set has capacities.
  /// Returns "" or one line saying why there are no figures (then both views are empty).
  std::string update(const ProjectEvaluation& pe, std::size_t set);
  /// Forgets every cached search (a new evaluation: another travel model or study area).
  void reset();
  bool ready() const { return m_ready; }
  bool has_capacity() const { return m_has_capacity; }
  const AccessOutcome& index() const { return m_index; }
  const AccessOutcome& capacity() const { return m_capacity; }  ///< only when has_capacity()
  /// Facilities searched by the last update (0 when every place was cached).
  std::size_t searched() const { return m_searched; }
  /// Wall time of the last update, milliseconds.
  double last_ms() const { return m_ms; }

 private:
  struct Cached {
    core::Vec2 at{};
    double limit_s = 0.0;
    std::vector<std::uint32_t> item;
    std::vector<float> seconds;
    bool used = false;
  };
  ReachLists reach(const TravelModel& m, std::span<const core::Vec2> points, double limit_s,
                   std::span<const std::uint8_t> wanted);
  const TravelModel* m_model = nullptr;
  std::vector<Cached> m_cache;
  AccessOutcome m_index, m_capacity;
  bool m_ready = false, m_has_capacity = false;
  std::size_t m_searched = 0;
  double m_ms = 0.0;
};

/// The index of the fixed set `facility` in `ev.sets`, or (empty name) the first fixed set with
/// capacities, else the first fixed set; -1 if none.
int access_set(const Evaluation& ev, const std::string& facility);

}  // namespace kepumap::analysis
