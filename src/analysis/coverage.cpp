#include "analysis/coverage.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace kepumap::analysis {

namespace {

// Times are binned by whole minutes for quantiles and the Gini coefficient; the last bin
// holds everything at or beyond a day.
constexpr int k_bins = 24 * 60 + 1;

int minute_bin(double seconds) {
  const int m = static_cast<int>(seconds / 60.0);
  return std::clamp(m, 0, k_bins - 1);
}

// Running sums for one service kind in one unit.
struct Acc {
  double population = 0, covered = 0, reach_pop = 0, time_sum = 0, unreachable = 0;
  std::vector<double> hist;  // people per minute bin (fixed services only)
};

double hist_quantile(const std::vector<double>& hist, double total, double q) {
  if (total <= 0 || hist.empty()) return 0.0;
  const double want = q * total;
  double run = 0.0;
  for (int b = 0; b < k_bins; ++b) {
    run += hist[b];
    if (run >= want) return (b + 0.5) * 60.0;
  }
  return (k_bins - 0.5) * 60.0;
}

double hist_gini(const std::vector<double>& hist) {
  // Gini of a binned distribution, each bin at its mid time: G = sum_i sum_j w_i w_j |x_i-x_j| / (2 W^2
  // mean).
  double w = 0, wx = 0;
  for (int b = 0; b < k_bins; ++b) {
    w += hist[b];
    wx += hist[b] * (b + 0.5);
  }
  if (w <= 0 || wx <= 0) return 0.0;
  // Sorted bins: sum_{i<j} w_i w_j (x_j - x_i) computed in one pass.
  double cum_w = 0, cum_wx = 0, pair_sum = 0;
  for (int b = 0; b < k_bins; ++b) {
    if (hist[b] == 0) continue;
    const double x = b + 0.5;
    pair_sum += hist[b] * (x * cum_w - cum_wx);
    cum_w += hist[b];
    cum_wx += hist[b] * x;
  }
  const double mean = wx / w;
  return pair_sum / (w * w * mean);
}

void finish(const Acc& a, ServiceFigures& f, bool mobile) {
  f.population = a.population;
  f.covered = a.covered;
  f.unreachable = a.unreachable;
  if (!mobile && a.reach_pop > 0) {
    f.mean_s = a.time_sum / a.reach_pop;
    f.median_s = hist_quantile(a.hist, a.reach_pop, 0.5);
    f.p90_s = hist_quantile(a.hist, a.reach_pop, 0.9);
  }
}

void merge(Acc& into, const Acc& from) {
  into.population += from.population;
  into.covered += from.covered;
  into.reach_pop += from.reach_pop;
  into.time_sum += from.time_sum;
  into.unreachable += from.unreachable;
  if (!from.hist.empty()) {
    if (into.hist.empty()) into.hist.assign(k_bins, 0.0);
    for (int b = 0; b < k_bins; ++b) into.hist[b] += from.hist[b];
  }
}

struct GroupAcc {
  double population = 0, covered = 0, reach_pop = 0, time_sum = 0;
  void add(double p, bool covered_any, double t) {
    population += p;
    if (covered_any) covered += p;
    if (std::isfinite(t)) {
      reach_pop += p;
      time_sum += p * t;
    }
  }
  GroupFigures figures(std::string name) const {
    GroupFigures g;
    g.name = std::move(name);
    g.population = population;
    g.covered_any = covered;
    g.mean_s = reach_pop > 0 ? time_sum / reach_pop : 0.0;
    return g;
  }
};

}  // namespace

namespace {

double band_weight(const PriorityParams& params, double d) {
  for (std::size_t b = 0; b < params.border_bands_m.size() && b < params.border_band_weights.size(); ++b)
    if (d <= params.border_bands_m[b]) return params.border_band_weights[b];
  return 0.0;
}

}  // namespace

std::vector<double> unit_priority(const UnitFacts& facts, const PriorityParams& params,
                                  const Demand* demand) {
  const std::size_t n = facts.pastoral.size();
  std::vector<double> pr(n, 1.0);
  // People-weighted border band per unit, from the cells.
  std::vector<double> band_sum, band_pop;
  const bool per_cell = demand && !facts.border_cell_m.data.empty() &&
                        facts.border_cell_m.data.size() == demand->people.data.size() &&
                        demand->unit.data.size() == demand->people.data.size();
  if (per_cell) {
    band_sum.assign(n, 0.0);
    band_pop.assign(n, 0.0);
    for (std::size_t i = 0; i < demand->people.data.size(); ++i) {
      const double p = demand->people.data[i];
      const std::int32_t u = demand->unit.data[i];
      if (!(p > 0) || u < 0 || static_cast<std::size_t>(u) >= n) continue;
      band_sum[u] += p * band_weight(params, facts.border_cell_m.data[i]);
      band_pop[u] += p;
    }
  }
  for (std::size_t u = 0; u < n; ++u) {
    double p = 1.0 + params.pastoral_weight * std::clamp(facts.pastoral[u], 0.0, 1.0);
    if (per_cell && band_pop[u] > 0)
      p += params.border_weight * band_sum[u] / band_pop[u];
    else if (u < facts.border_distance_m.size())
      p += params.border_weight * band_weight(params, facts.border_distance_m[u]);
    if (u < facts.remoteness_s.size() && params.remoteness_scale_s > 0)
      p += params.remoteness_weight *
           std::min(1.0, std::max(0.0, facts.remoteness_s[u]) / params.remoteness_scale_s);
    pr[u] = p;
  }
  return pr;
}

core::GridF spread_population(const core::GridI& unit, std::span<const double> population,
                              std::span<const core::Vec2> seat, double seat_share,
                              std::span<const std::uint8_t> water) {
  core::GridF people(unit.width, unit.height, unit.origin_x, unit.origin_y, unit.cell, 0.0f);
  const bool has_water = water.size() == unit.data.size();
  std::vector<std::size_t> cells(population.size(), 0), land(population.size(), 0);
  for (std::size_t i = 0; i < unit.data.size(); ++i) {
    const std::int32_t u = unit.data[i];
    if (u < 0 || static_cast<std::size_t>(u) >= cells.size()) continue;
    ++cells[u];
    if (!has_water || !water[i]) ++land[u];
  }
  std::vector<double> at_seat(population.size(), 0.0);
  for (std::size_t u = 0; u < population.size(); ++u)
    at_seat[u] = cells[u] > 0 ? population[u] * seat_share : population[u];
  for (std::size_t i = 0; i < unit.data.size(); ++i) {
    const std::int32_t u = unit.data[i];
    if (u < 0 || static_cast<std::size_t>(u) >= cells.size()) continue;
    const bool use_land = land[u] > 0;
    if (use_land && has_water && water[i]) continue;
    const double spread = population[u] - at_seat[u];
    people.data[i] = static_cast<float>(spread / static_cast<double>(use_land ? land[u] : cells[u]));
  }
  for (std::size_t u = 0; u < population.size(); ++u) {
    if (!(at_seat[u] > 0) || u >= seat.size()) continue;
    const int c = unit.col_of(seat[u].x), r = unit.row_of(seat[u].y);
    if (unit.in_bounds(c, r)) people.at(c, r) += static_cast<float>(at_seat[u]);
  }
  return people;
}

CoverageResult compute_coverage(const Demand& demand, std::span<const UnitLevel> levels,
                                std::span<const ServiceInput> services, const UnitFacts& facts,
                                const PriorityParams& params) {
  CoverageResult res;
  const std::size_t ns = services.size();
  const std::size_t nu = levels.empty() ? 0 : levels[0].names.size();
  const std::vector<double> priority = unit_priority(facts, params, &demand);
  const bool border_per_cell =
      !facts.border_cell_m.data.empty() && facts.border_cell_m.data.size() == demand.people.data.size();
  const auto prio = [&](std::int32_t u) {
    return static_cast<std::size_t>(u) < priority.size() ? priority[u] : 1.0;
  };

  // Mobile reach per finest unit: reached by any mobile service.
  std::vector<std::uint8_t> mobile_reached(nu, 0);
  for (const auto& s : services)
    if (s.mobile)
      for (std::size_t u = 0; u < nu && u < s.visits.size(); ++u)
        if (s.visits[u] >= s.visits_required) mobile_reached[u] = 1;

  std::vector<Acc> acc(nu * ns);
  for (std::size_t u = 0; u < nu; ++u)
    for (std::size_t s = 0; s < ns; ++s)
      if (!services[s].mobile) acc[u * ns + s].hist.assign(k_bins, 0.0);
  std::vector<double> unit_pop(nu, 0.0), unit_cov_any(nu, 0.0), unit_gap(nu, 0.0);
  std::vector<double> best_hist(k_bins, 0.0);
  GroupAcc g_pastoral, g_other, g_border, g_interior;
  const double border_limit = params.border_bands_m.empty() ? 0.0 : params.border_bands_m.back();

  const core::GridF& people = demand.people;
  res.gap = core::GridF(people.width, people.height, people.origin_x, people.origin_y, people.cell, 0.0f);
  res.best_time = core::GridF(people.width, people.height, people.origin_x, people.origin_y, people.cell,
                              std::numeric_limits<float>::infinity());
  const std::size_t cells = people.data.size();
  for (std::size_t i = 0; i < cells; ++i) {
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t s = 0; s < ns; ++s)
      if (!services[s].mobile && services[s].time)
        best = std::min(best, static_cast<double>(services[s].time->data[i]));
    res.best_time.data[i] = static_cast<float>(best);
    const double p = people.data[i];
    const std::int32_t u = demand.unit.data[i];
    if (!(p > 0) || u < 0 || static_cast<std::size_t>(u) >= nu) continue;
    bool any = mobile_reached[u] != 0;
    for (std::size_t s = 0; s < ns; ++s) {
      const ServiceInput& sv = services[s];
      Acc& a = acc[u * ns + s];
      a.population += p;
      if (sv.mobile) {
        if (static_cast<std::size_t>(u) < sv.visits.size() && sv.visits[u] >= sv.visits_required)
          a.covered += p;
        continue;
      }
      const double t = sv.time ? sv.time->data[i] : std::numeric_limits<double>::infinity();
      if (!std::isfinite(t)) {
        a.unreachable += p;
        continue;
      }
      a.reach_pop += p;
      a.time_sum += p * t;
      a.hist[minute_bin(t)] += p;
      if (t <= sv.standard_s) {
        a.covered += p;
        any = true;
      }
    }
    unit_pop[u] += p;
    if (any)
      unit_cov_any[u] += p;
    else {
      const double g = p * prio(u);
      unit_gap[u] += g;
      res.gap.data[i] = static_cast<float>(g);
    }
    if (std::isfinite(best)) best_hist[minute_bin(best)] += p;
    const bool pastoral = static_cast<std::size_t>(u) < facts.pastoral.size() && facts.pastoral[u] >= 0.5;
    (pastoral ? g_pastoral : g_other).add(p, any, best);
    const bool border = border_per_cell ? facts.border_cell_m.data[i] <= border_limit
                                        : static_cast<std::size_t>(u) < facts.border_distance_m.size() &&
                                              facts.border_distance_m[u] <= border_limit;
    (border ? g_border : g_interior).add(p, any, best);
  }

  // Finest level, then each coarser level by merging children.
  res.levels.resize(levels.size());
  std::vector<std::vector<Acc>> level_acc(levels.size());
  level_acc[0] = std::move(acc);
  struct Sums {
    double pop = 0, cov = 0, gap = 0, prio_pop = 0;
  };
  std::vector<std::vector<Sums>> sums(levels.size());
  sums[0].resize(nu);
  for (std::size_t u = 0; u < nu; ++u)
    sums[0][u] = {unit_pop[u], unit_cov_any[u], unit_gap[u],
                  unit_pop[u] * prio(static_cast<std::int32_t>(u))};
  for (std::size_t l = 1; l < levels.size(); ++l) {
    const std::size_t n = levels[l].names.size();
    level_acc[l].resize(n * ns);
    sums[l].resize(n);
    const UnitLevel& child = levels[l - 1];
    for (std::size_t c = 0; c < child.names.size(); ++c) {
      const core::Id parent = c < child.parent.size() ? child.parent[c] : core::INVALID_ID;
      if (parent == core::INVALID_ID || parent >= n) continue;
      for (std::size_t s = 0; s < ns; ++s) merge(level_acc[l][parent * ns + s], level_acc[l - 1][c * ns + s]);
      Sums& t = sums[l][parent];
      const Sums& f = sums[l - 1][c];
      t.pop += f.pop;
      t.cov += f.cov;
      t.gap += f.gap;
      t.prio_pop += f.prio_pop;
    }
  }
  std::vector<Acc> total_acc(ns);
  Sums total_sums;
  for (std::size_t l = 0; l < levels.size(); ++l) {
    const std::size_t n = levels[l].names.size();
    res.levels[l].resize(n);
    for (std::size_t u = 0; u < n; ++u) {
      UnitFigures& f = res.levels[l][u];
      f.service.resize(ns);
      for (std::size_t s = 0; s < ns; ++s) finish(level_acc[l][u * ns + s], f.service[s], services[s].mobile);
      f.population = sums[l][u].pop;
      f.covered_any = sums[l][u].cov;
      f.gap = sums[l][u].gap;
      f.priority = l == 0 ? prio(static_cast<std::int32_t>(u))
                          : (sums[l][u].pop > 0 ? sums[l][u].prio_pop / sums[l][u].pop : 1.0);
    }
  }
  for (std::size_t u = 0; u < nu; ++u) {
    for (std::size_t s = 0; s < ns; ++s) merge(total_acc[s], level_acc[0][u * ns + s]);
    total_sums.pop += sums[0][u].pop;
    total_sums.cov += sums[0][u].cov;
    total_sums.gap += sums[0][u].gap;
    total_sums.prio_pop += sums[0][u].prio_pop;
  }
  res.total.service.resize(ns);
  for (std::size_t s = 0; s < ns; ++s) finish(total_acc[s], res.total.service[s], services[s].mobile);
  res.total.population = total_sums.pop;
  res.total.covered_any = total_sums.cov;
  res.total.gap = total_sums.gap;
  res.total.priority = total_sums.pop > 0 ? total_sums.prio_pop / total_sums.pop : 1.0;

  // Nearest facility of each fixed kind from each finest unit's representative point.
  if (!levels.empty())
    for (std::size_t u = 0; u < nu && u < facts.seat.size(); ++u) {
      // The time from the seat itself, as analysis::point_time gives it (travel/times.csv): the
      // time at the cell the seat joins the grid at plus the seat's own access leg.
      const core::Vec2 pt = facts.seat[u];
      int c = people.col_of(pt.x), r = people.row_of(pt.y);
      double access_s = 0.0;
      if (u < facts.seat_cell.size() && u < facts.seat_access_s.size()) {
        if (facts.seat_cell[u] < 0) continue;
        c = static_cast<int>(facts.seat_cell[u] % people.width);
        r = static_cast<int>(facts.seat_cell[u] / people.width);
        access_s = facts.seat_access_s[u];
      }
      if (!people.in_bounds(c, r)) continue;
      for (std::size_t s = 0; s < ns; ++s) {
        const ServiceInput& sv = services[s];
        if (sv.mobile || !sv.time || !sv.nearest) continue;
        ServiceFigures& f = res.levels[0][u].service[s];
        const std::int32_t fac = sv.nearest->at(c, r);
        if (fac < 0) continue;
        f.nearest = static_cast<core::Id>(fac);
        f.nearest_time_s = sv.time->at(c, r) + access_s;
        if (static_cast<std::size_t>(fac) < sv.facility_points.size()) {
          const core::Vec2 q = sv.facility_points[fac];
          f.nearest_distance_m = std::hypot(q.x - pt.x, q.y - pt.y);
        }
      }
    }

  res.equity.pastoral = g_pastoral.figures("pastoral");
  res.equity.other = g_other.figures("other");
  res.equity.border = g_border.figures("border");
  res.equity.interior = g_interior.figures("interior");
  res.equity.gini_time = hist_gini(best_hist);
  return res;
}

double weighted_gini(std::span<const double> values, std::span<const double> weights) {
  std::vector<std::size_t> idx(values.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  double cum_w = 0, cum_wx = 0, pair_sum = 0, w = 0, wx = 0;
  for (std::size_t i : idx) {
    const double wi = weights[i], x = values[i];
    pair_sum += wi * (x * cum_w - cum_wx);
    cum_w += wi;
    cum_wx += wi * x;
  }
  w = cum_w;
  wx = cum_wx;
  if (w <= 0 || wx <= 0) return 0.0;
  return pair_sum / (w * wx);
}

}  // namespace kepumap::analysis
