#include "analysis/access_project.hpp"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>

namespace kepumap::analysis {

bool access_method_from_name(const std::string& s, AccessMethod& m) {
  if (s == "2sfca")
    m = AccessMethod::TwoStep;
  else if (s == "e2sfca")
    m = AccessMethod::Enhanced;
  else if (s == "ratio")
    m = AccessMethod::Ratio;
  else if (s == "capacity")
    m = AccessMethod::Capacity;
  else
    return false;
  return true;
}

const char* access_method_name(AccessMethod m) {
  switch (m) {
    case AccessMethod::TwoStep:
      return "2sfca";
    case AccessMethod::Enhanced:
      return "e2sfca";
    case AccessMethod::Ratio:
      return "ratio";
    case AccessMethod::Capacity:
      return "capacity";
  }
  return "";
}

int access_set(const Evaluation& ev, const std::string& facility) {
  int first = -1;
  for (std::size_t k = 0; k < ev.sets.size(); ++k) {
    const FacilitySet& s = ev.sets[k];
    if (s.mobile) continue;
    if (!facility.empty()) {
      if (s.facility == facility) return static_cast<int>(k);
      continue;
    }
    if (s.has_capacity) return static_cast<int>(k);
    if (first < 0) first = static_cast<int>(k);
  }
  return first;
}

std::string compute_access(const ProjectEvaluation& pe, std::size_t set, const AccessRequest& req,
                           AccessOutcome& out) {
  const TravelModel& model = pe.travel.model;
  return compute_access(
      pe, set, req, out,
      [&](std::span<const core::Vec2> points, double limit_s, std::span<const std::uint8_t> wanted) {
        return facility_reach(model, points, limit_s, wanted);
      });
}

std::string compute_access(const ProjectEvaluation& pe, std::size_t set, const AccessRequest& req,
                           AccessOutcome& out, const ReachSource& reach_source) {
  return compute_access(pe.ev, pe.area, pe.priority, set, req, out, reach_source);
}

std::string compute_access(const Evaluation& ev, const StudyArea& area, const PriorityParams& priority,
                           std::size_t set, const AccessRequest& req, AccessOutcome& out,
                           const ReachSource& reach_source) {
  if (set >= ev.sets.size() || ev.sets[set].mobile) return "not a fixed facility set";
  const FacilitySet& fs = ev.sets[set];
  out = AccessOutcome{};
  out.set = set;
  out.request = req;
  out.catchment_s = req.minutes > 0 ? req.minutes * 60.0 : fs.standard_s;
  if (!(out.catchment_s > 0)) return "standard for '" + fs.facility + "' has no minutes; give --minutes";
  if (fs.points.empty()) return "no facilities of '" + fs.facility + "' in the project";

  // Supply.
  bool any_area = false;
  for (double a : fs.floor_area_m2) any_area = any_area || a > 0;
  out.supply = req.supply.empty() ? (fs.has_capacity ? "capacity" : any_area ? "area" : "one") : req.supply;
  if (out.supply == "capacity" && !fs.has_capacity)
    return "no capacity field mapped on the layers of '" + fs.facility + "'";
  if (out.supply == "area" && !any_area) return "no floor_area_m2 on the facilities of '" + fs.facility + "'";
  out.facility_supply.resize(fs.points.size());
  for (std::size_t j = 0; j < fs.points.size(); ++j)
    out.facility_supply[j] = out.supply == "capacity" ? fs.capacity[j]
                             : out.supply == "area"   ? fs.floor_area_m2[j]
                                                      : 1.0;
  if (out.supply == "capacity" && req.method != AccessMethod::Capacity)
    for (double& v : out.facility_supply)
      if (!std::isfinite(v)) v = 0.0;

  // Items: the cells where people live.
  const core::GridF& pg = area.demand.people;
  std::vector<std::uint8_t> wanted(pg.data.size(), 0);
  std::vector<double> people;
  std::vector<std::int32_t> item_unit;
  std::vector<std::uint32_t> item_of(pg.data.size(), 0);
  double total = 0.0;
  for (std::size_t i = 0; i < pg.data.size(); ++i) {
    if (!(pg.data[i] > 0)) continue;
    wanted[i] = 1;
    item_of[i] = static_cast<std::uint32_t>(people.size());
    out.item_cell.push_back(static_cast<std::uint32_t>(i));
    people.push_back(pg.data[i]);
    item_unit.push_back(area.demand.unit.data[i]);
    total += pg.data[i];
  }
  if (!(total > 0)) {
    // Say where people were looked for, so the planner knows which layer or field to fix.
    std::string line = "zero demand (无人口): nobody lives in the study area (demand: " +
                       (area.demand_rule.empty() ? std::string("no population source") : area.demand_rule) +
                       ")";
    if (area.finest)
      line += "; finest unit layer '" + area.finest->name + "' (" + area.finest->report.source + ")" +
              (area.finest->column(area.finest->fields.population) >= 0
                   ? " maps population '" + area.finest->fields.population + "' but every value is 0"
                   : " maps no population field");
    return line +
           ". Map a population raster (role = \"population\"), a population field on the unit layer or on "
           "town/village points";
  }

  std::vector<double> value(people.size(), 0.0);
  if (req.method == AccessMethod::Ratio) {
    std::vector<core::Id> fu(fs.points.size(), core::INVALID_ID);
    const core::GridI& ug = area.demand.unit;
    for (std::size_t j = 0; j < fs.points.size(); ++j) {
      const int c = ug.col_of(fs.points[j].x), r = ug.row_of(fs.points[j].y);
      if (ug.in_bounds(c, r) && ug.at(c, r) >= 0) fu[j] = static_cast<core::Id>(ug.at(c, r));
    }
    UnitMeans base = unit_means(area.levels, people, item_unit, value);
    const auto ratio = unit_supply_ratio(
        area.levels, base.people.empty() ? std::vector<double>{} : base.people[0], out.facility_supply, fu);
    for (std::size_t i = 0; i < people.size(); ++i)
      if (item_unit[i] >= 0 && !ratio.empty()) value[i] = ratio[0][item_unit[i]];
    out.units = std::move(base);
    out.units.value = ratio;
    double s = 0.0;
    for (std::size_t j = 0; j < fu.size(); ++j)
      if (fu[j] != core::INVALID_ID) s += out.facility_supply[j];
    out.mean = s / total;
  } else {
    ReachLists reach = reach_source(fs.points, out.catchment_s, wanted);
    for (auto& it : reach.item) it = item_of[it];
    reach.items = people.size();
    if (req.method == AccessMethod::Capacity) {
      CapacityParams cp;
      cp.standard_s = out.catchment_s;
      cp.capacity = fs.capacity;
      if (fs.capacity_order == "population")
        cp.order = CapacityOrder::Population;
      else if (fs.capacity_order == "field")
        cp.order = CapacityOrder::Given, cp.order_key = fs.order_key;
      out.capacity = capacity_coverage(people, reach, cp);
      for (std::size_t i = 0; i < people.size(); ++i) value[i] = out.capacity.served[i] / people[i];
      out.mean = out.capacity.total_realised / total;
      // Means of the per-person shares times the people are the sums of people.
      std::vector<double> reach_share(people.size());
      for (std::size_t i = 0; i < people.size(); ++i) reach_share[i] = out.capacity.reach[i] / people[i];
      const UnitMeans served = unit_means(area.levels, people, item_unit, value);
      const UnitMeans reached = unit_means(area.levels, people, item_unit, reach_share);
      out.unit_served.resize(area.levels.size());
      out.unit_reach.resize(area.levels.size());
      for (std::size_t l = 0; l < area.levels.size(); ++l) {
        // unit_means gives means per person; times people gives the sums.
        out.unit_served[l].resize(served.value[l].size());
        out.unit_reach[l].resize(served.value[l].size());
        for (std::size_t u = 0; u < served.value[l].size(); ++u) {
          out.unit_served[l][u] = served.value[l][u] * served.people[l][u];
          out.unit_reach[l][u] = reached.value[l][u] * reached.people[l][u];
        }
      }
      out.catchment = core::GridI(pg.width, pg.height, pg.origin_x, pg.origin_y, pg.cell, -1);
      for (std::size_t i = 0; i < people.size(); ++i)
        out.catchment.data[out.item_cell[i]] = out.capacity.catchment[i];
    } else {
      const Decay d = req.decay;
      out.fca = floating_catchment(people, reach, out.facility_supply, out.catchment_s,
                                   req.method == AccessMethod::Enhanced ? &d : nullptr);
      value = out.fca.index;
      out.mean = out.fca.mean;
    }
    out.units = unit_means(area.levels, people, item_unit, value);
  }
  out.index = core::GridF(pg.width, pg.height, pg.origin_x, pg.origin_y, pg.cell,
                          std::numeric_limits<float>::quiet_NaN());
  for (std::size_t i = 0; i < people.size(); ++i)
    out.index.data[out.item_cell[i]] = static_cast<float>(value[i]);

  if (!area.levels.empty() && out.mean > 0) {
    std::vector<double> norm(out.units.value[0].size());
    for (std::size_t u = 0; u < norm.size(); ++u) norm[u] = out.units.value[0][u] / out.mean;
    const double border_limit = priority.border_bands_m.empty() ? 0.0 : priority.border_bands_m.back();
    out.equity = access_equity(norm, out.units.people[0], area.facts, border_limit, 10);
    // The border zone is the people in cells within the outer band, as coverage's equity counts
    // it (compute_coverage), not whole units whose seat is within it: both outputs say 边境带.
    const core::GridF& bc = area.facts.border_cell_m;
    if (!bc.data.empty() && bc.data.size() == pg.data.size()) {
      double bp = 0, bs = 0, ip = 0, is = 0;
      for (std::size_t i = 0; i < people.size(); ++i) {
        const bool border = bc.data[out.item_cell[i]] <= border_limit;
        (border ? bp : ip) += people[i];
        (border ? bs : is) += people[i] * value[i] / out.mean;
      }
      out.equity.border_people = bp;
      out.equity.interior_people = ip;
      out.equity.border = bp > 0 ? bs / bp : 0.0;
      out.equity.interior = ip > 0 ? is / ip : 0.0;
    }
  }
  return {};
}

void LiveAccess::reset() {
  m_model = nullptr;
  m_cache.clear();
  m_ready = m_has_capacity = false;
  m_index = AccessOutcome{};
  m_capacity = AccessOutcome{};
}

ReachLists LiveAccess::reach(const TravelModel& m, std::span<const core::Vec2> points, double limit_s,
                             std::span<const std::uint8_t> wanted) {
  // Which places are cached; search the others together.
  std::vector<std::size_t> slot(points.size(), SIZE_MAX);
  std::vector<core::Vec2> missing;
  std::vector<std::size_t> missing_of;
  for (std::size_t j = 0; j < points.size(); ++j) {
    for (std::size_t c = 0; c < m_cache.size(); ++c)
      if (m_cache[c].at.x == points[j].x && m_cache[c].at.y == points[j].y && m_cache[c].limit_s == limit_s) {
        slot[j] = c;
        break;
      }
    if (slot[j] == SIZE_MAX) {
      missing.push_back(points[j]);
      missing_of.push_back(j);
    }
  }
  if (!missing.empty()) {
    const ReachLists found = facility_reach(m, missing, limit_s, wanted);
    for (std::size_t q = 0; q < missing.size(); ++q) {
      Cached c;
      c.at = missing[q];
      c.limit_s = limit_s;
      c.item.assign(found.item.begin() + found.offsets[q], found.item.begin() + found.offsets[q + 1]);
      c.seconds.assign(found.seconds.begin() + found.offsets[q],
                       found.seconds.begin() + found.offsets[q + 1]);
      slot[missing_of[q]] = m_cache.size();
      m_cache.push_back(std::move(c));
    }
  }
  m_searched += missing.size();
  ReachLists out;
  out.facilities = points.size();
  out.items = static_cast<std::size_t>(m.width) * static_cast<std::size_t>(m.height);
  for (std::size_t j = 0; j < points.size(); ++j) {
    Cached& c = m_cache[slot[j]];
    c.used = true;
    out.item.insert(out.item.end(), c.item.begin(), c.item.end());
    out.seconds.insert(out.seconds.end(), c.seconds.begin(), c.seconds.end());
    out.offsets.push_back(static_cast<std::uint32_t>(out.item.size()));
  }
  return out;
}

std::string LiveAccess::update(const ProjectEvaluation& pe, std::size_t set) {
  const auto t0 = std::chrono::steady_clock::now();
  if (m_model != &pe.travel.model) {
    reset();
    m_model = &pe.travel.model;
  }
  m_searched = 0;
  m_ready = m_has_capacity = false;
  for (auto& c : m_cache) c.used = false;
  const ReachSource source = [&](std::span<const core::Vec2> points, double limit_s,
                                 std::span<const std::uint8_t> wanted) {
    return reach(pe.travel.model, points, limit_s, wanted);
  };
  AccessRequest req;
  req.method = AccessMethod::Enhanced;
  req.decay = Decay::Gaussian;
  std::string err = compute_access(pe, set, req, m_index, source);
  if (err.empty() && set < pe.ev.sets.size() && pe.ev.sets[set].has_capacity) {
    AccessRequest cap;
    cap.method = AccessMethod::Capacity;
    err = compute_access(pe, set, cap, m_capacity, source);
    m_has_capacity = err.empty();
  }
  m_ready = err.empty();
  // Keep only the lists of the places in use: a drag leaves one stale list per move.
  std::erase_if(m_cache, [](const Cached& c) { return !c.used; });
  m_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return err;
}

}  // namespace kepumap::analysis
