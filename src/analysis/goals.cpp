#include "analysis/goals.hpp"

#include <algorithm>
#include <limits>

namespace kepumap::analysis {

namespace {

// The level a scope refers to, or -1.
int scope_level(core::Scope scope, std::span<const UnitLevel> levels) {
  if (levels.empty()) return -1;
  const std::string_view name = core::scope_info(scope).level;
  if (name.empty()) return static_cast<int>(levels.size()) - 1;  // banner, region: the top level
  for (std::size_t l = 0; l < levels.size(); ++l)
    if (levels[l].name == name) return static_cast<int>(l);
  // "every_banner"/"every_county" are the same level in county-level projects.
  for (std::size_t l = 0; l < levels.size(); ++l)
    if ((name == "county" && levels[l].name == "banner") || (name == "banner" && levels[l].name == "county"))
      return static_cast<int>(l);
  return -1;
}

// Maps each finest-level unit to its ancestor at `level`.
std::vector<core::Id> ancestors(std::span<const UnitLevel> levels, int level) {
  const std::size_t n = levels[0].names.size();
  std::vector<core::Id> up(n);
  for (std::size_t u = 0; u < n; ++u) {
    core::Id id = static_cast<core::Id>(u);
    for (int l = 0; l < level && id != core::INVALID_ID; ++l)
      id = id < levels[l].parent.size() ? levels[l].parent[id] : core::INVALID_ID;
    up[u] = id;
  }
  return up;
}

int service_index(std::span<const ServiceInput> services, const std::string& facility) {
  for (std::size_t s = 0; s < services.size(); ++s)
    if (services[s].facility == facility) return static_cast<int>(s);
  return -1;
}

}  // namespace

std::vector<TargetResult> evaluate_targets(std::span<const core::Target> targets, const GoalInputs& in) {
  std::vector<TargetResult> out;
  for (const core::Target& t : targets) {
    TargetResult r;
    r.target = &t;
    const int level = scope_level(t.scope, in.levels);
    if (level < 0) {
      r.reason =
          "scope '" + std::string(core::scope_name(t.scope)) + "' has no matching unit level in this project";
      out.push_back(std::move(r));
      continue;
    }
    const UnitLevel& lv = in.levels[level];
    const std::size_t nunits = lv.names.size();
    r.units = nunits;
    std::vector<double> value(nunits, 0.0);
    const std::vector<core::Id> up = ancestors(in.levels, level);
    const int s = service_index(in.services, t.facility);

    using M = core::Metric;
    const M m = t.metric;
    if (m == M::CoverageShare || m == M::PopulationShare) {
      if (!in.coverage || (s < 0 && t.facility != "any")) {
        r.reason = "no coverage figures for '" + t.facility + "'";
        out.push_back(std::move(r));
        continue;
      }
      for (std::size_t u = 0; u < nunits; ++u) {
        const UnitFigures& f = in.coverage->levels[level][u];
        value[u] = s < 0 ? f.share_any() : f.service[s].share();
      }
    } else if (m == M::FacilityCount || m == M::VenueArea) {
      for (const FacilityFact& f : in.facilities) {
        if (f.role != t.facility || (!t.level.empty() && f.level != t.level)) continue;
        if (f.unit == core::INVALID_ID || f.unit >= up.size() || up[f.unit] == core::INVALID_ID) continue;
        value[up[f.unit]] += m == M::VenueArea ? f.floor_area_m2 : 1.0;
      }
    } else if (m == M::CaravanVisits || m == M::UnitsReachedShare) {
      if (s < 0) {
        r.reason = "no service '" + t.facility + "' in this project";
        out.push_back(std::move(r));
        continue;
      }
      const ServiceInput& sv = in.services[s];
      if (m == M::CaravanVisits) {
        if (!sv.mobile) {
          r.reason = "'" + t.facility + "' is not a mobile service with visits";
          out.push_back(std::move(r));
          continue;
        }
        for (std::size_t u = 0; u < up.size() && u < sv.visits.size(); ++u)
          if (up[u] != core::INVALID_ID) value[up[u]] += sv.visits[u];
      } else {
        // One figure for the whole scope: the share of its units reached.
        std::size_t reached = 0;
        for (std::size_t u = 0; u < nunits; ++u) {
          bool ok = false;
          if (sv.mobile) {
            double v = 0;
            for (std::size_t c = 0; c < up.size() && c < sv.visits.size(); ++c)
              if (up[c] == u) v += sv.visits[c];
            ok = v >= sv.visits_required;
          } else if (in.coverage) {
            ok = in.coverage->levels[level][u].service[s].share() > 0.5;
          }
          if (ok)
            ++reached;
          else
            r.failing.push_back(lv.names[u]);
        }
        r.evaluated = true;
        r.value = nunits ? static_cast<double>(reached) / static_cast<double>(nunits) : 0.0;
        r.pass = r.value >= t.threshold;
        if (r.pass) r.failing.clear();
        out.push_back(std::move(r));
        continue;
      }
    } else {  // AccessIndex, CapacityCoverageShare
      const AccessFigures* af = nullptr;
      for (const auto& a : in.access)
        if (a.facility == t.facility) af = &a;
      const auto* table = af ? (m == M::AccessIndex ? &af->relative : &af->capacity_share) : nullptr;
      if (!table || static_cast<std::size_t>(level) >= table->size()) {
        r.reason = "no access figures for '" + t.facility +
                   "' (a fixed [[standard]] with facilities and people is needed)";
        out.push_back(std::move(r));
        continue;
      }
      for (std::size_t u = 0; u < nunits && u < (*table)[level].size(); ++u) value[u] = (*table)[level][u];
    }
    r.evaluated = true;
    r.value = nunits ? *std::min_element(value.begin(), value.end()) : 0.0;
    for (std::size_t u = 0; u < nunits; ++u)
      if (value[u] < t.threshold) r.failing.push_back(lv.names[u]);
    r.pass = nunits > 0 && r.failing.empty();
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace kepumap::analysis
