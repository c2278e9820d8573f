#include "analysis/access.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace kepumap::analysis {

double decay_weight(Decay decay, double t, double d0) {
  if (!(t <= d0) || !(d0 > 0)) return 0.0;
  if (decay == Decay::Step) {
    if (t <= d0 / 3.0) return 1.0;
    if (t <= 2.0 * d0 / 3.0) return 0.68;
    return 0.22;
  }
  const double e = std::exp(-0.5);
  const double x = t / d0;
  return std::max(0.0, (std::exp(-0.5 * x * x) - e) / (1.0 - e));
}

FloatingCatchment floating_catchment(std::span<const double> people, const ReachLists& reach,
                                     std::span<const double> supply, double d0_s, const Decay* decay) {
  FloatingCatchment out;
  const std::size_t nf = reach.facilities, ni = people.size();
  out.facility_ratio.assign(nf, 0.0);
  out.index.assign(ni, 0.0);
  auto w = [&](double t) { return decay ? decay_weight(*decay, t, d0_s) : (t <= d0_s ? 1.0 : 0.0); };
  for (std::size_t j = 0; j < nf; ++j) {
    double demand = 0.0;
    for (std::uint32_t k = reach.offsets[j]; k < reach.offsets[j + 1]; ++k)
      if (reach.item[k] < ni) demand += people[reach.item[k]] * w(reach.seconds[k]);
    const double s = j < supply.size() ? supply[j] : 1.0;
    out.facility_ratio[j] = demand > 0 ? s / demand : 0.0;
  }
  for (std::size_t j = 0; j < nf; ++j) {
    const double r = out.facility_ratio[j];
    if (r == 0.0) continue;
    for (std::uint32_t k = reach.offsets[j]; k < reach.offsets[j + 1]; ++k)
      if (reach.item[k] < ni) out.index[reach.item[k]] += r * w(reach.seconds[k]);
  }
  double pop = 0.0, sum = 0.0;
  for (std::size_t i = 0; i < ni; ++i)
    if (people[i] > 0) {
      pop += people[i];
      sum += people[i] * out.index[i];
    }
  out.mean = pop > 0 ? sum / pop : 0.0;
  return out;
}

std::vector<std::vector<double>> unit_supply_ratio(std::span<const UnitLevel> levels,
                                                   std::span<const double> unit_people,
                                                   std::span<const double> supply,
                                                   std::span<const core::Id> facility_unit) {
  std::vector<std::vector<double>> ratio(levels.size());
  if (levels.empty()) return ratio;
  std::vector<double> s(levels[0].names.size(), 0.0), p(levels[0].names.size(), 0.0);
  for (std::size_t u = 0; u < p.size() && u < unit_people.size(); ++u) p[u] = unit_people[u];
  for (std::size_t j = 0; j < facility_unit.size() && j < supply.size(); ++j)
    if (facility_unit[j] < s.size()) s[facility_unit[j]] += supply[j];
  for (std::size_t l = 0; l < levels.size(); ++l) {
    ratio[l].resize(s.size());
    for (std::size_t u = 0; u < s.size(); ++u) ratio[l][u] = p[u] > 0 ? s[u] / p[u] : 0.0;
    if (l + 1 == levels.size()) break;
    std::vector<double> s2(levels[l + 1].names.size(), 0.0), p2(s2.size(), 0.0);
    for (std::size_t u = 0; u < s.size(); ++u) {
      const core::Id up = u < levels[l].parent.size() ? levels[l].parent[u] : core::INVALID_ID;
      if (up >= s2.size()) continue;
      s2[up] += s[u];
      p2[up] += p[u];
    }
    s = std::move(s2);
    p = std::move(p2);
  }
  return ratio;
}

UnitMeans unit_means(std::span<const UnitLevel> levels, std::span<const double> people,
                     std::span<const std::int32_t> item_unit, std::span<const double> value) {
  UnitMeans out;
  out.value.resize(levels.size());
  out.people.resize(levels.size());
  if (levels.empty()) return out;
  std::vector<double> wsum(levels[0].names.size(), 0.0), psum(wsum.size(), 0.0);
  for (std::size_t i = 0; i < people.size() && i < item_unit.size(); ++i) {
    const std::int32_t u = item_unit[i];
    if (u < 0 || static_cast<std::size_t>(u) >= wsum.size() || !(people[i] > 0)) continue;
    psum[u] += people[i];
    wsum[u] += people[i] * (i < value.size() ? value[i] : 0.0);
  }
  for (std::size_t l = 0; l < levels.size(); ++l) {
    out.people[l] = psum;
    out.value[l].resize(psum.size());
    for (std::size_t u = 0; u < psum.size(); ++u) out.value[l][u] = psum[u] > 0 ? wsum[u] / psum[u] : 0.0;
    if (l + 1 == levels.size()) break;
    std::vector<double> w2(levels[l + 1].names.size(), 0.0), p2(w2.size(), 0.0);
    for (std::size_t u = 0; u < psum.size(); ++u) {
      const core::Id up = u < levels[l].parent.size() ? levels[l].parent[u] : core::INVALID_ID;
      if (up >= w2.size()) continue;
      w2[up] += wsum[u];
      p2[up] += psum[u];
    }
    wsum = std::move(w2);
    psum = std::move(p2);
  }
  return out;
}

std::vector<LorenzPoint> lorenz_curve(std::span<const double> values, std::span<const double> weights) {
  std::vector<std::size_t> idx;
  double w = 0.0, wx = 0.0;
  for (std::size_t i = 0; i < values.size() && i < weights.size(); ++i)
    if (weights[i] > 0) {
      idx.push_back(i);
      w += weights[i];
      wx += weights[i] * values[i];
    }
  if (!(w > 0) || !(wx > 0)) return {};
  std::stable_sort(idx.begin(), idx.end(),
                   [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  std::vector<LorenzPoint> out{{0.0, 0.0}};
  double cw = 0.0, cwx = 0.0;
  for (std::size_t i : idx) {
    cw += weights[i];
    cwx += weights[i] * values[i];
    out.push_back({cw / w, cwx / wx});
  }
  out.back() = {1.0, 1.0};
  return out;
}

AccessEquity access_equity(std::span<const double> unit_index, std::span<const double> unit_people,
                           const UnitFacts& facts, double border_limit_m, std::size_t n_lowest) {
  AccessEquity eq;
  eq.gini = weighted_gini(unit_index, unit_people);
  eq.lorenz = lorenz_curve(unit_index, unit_people);
  double ps = 0, os = 0, bs = 0, is = 0;
  for (std::size_t u = 0; u < unit_index.size() && u < unit_people.size(); ++u) {
    const double p = unit_people[u];
    if (!(p > 0)) continue;
    const bool pastoral = u < facts.pastoral.size() && facts.pastoral[u] >= 0.5;
    const bool border = u < facts.border_distance_m.size() && facts.border_distance_m[u] <= border_limit_m;
    (pastoral ? eq.pastoral_people : eq.other_people) += p;
    (pastoral ? ps : os) += p * unit_index[u];
    (border ? eq.border_people : eq.interior_people) += p;
    (border ? bs : is) += p * unit_index[u];
  }
  eq.pastoral = eq.pastoral_people > 0 ? ps / eq.pastoral_people : 0.0;
  eq.other = eq.other_people > 0 ? os / eq.other_people : 0.0;
  eq.border = eq.border_people > 0 ? bs / eq.border_people : 0.0;
  eq.interior = eq.interior_people > 0 ? is / eq.interior_people : 0.0;
  for (std::size_t u = 0; u < unit_index.size() && u < unit_people.size(); ++u)
    if (unit_people[u] > 0) eq.lowest.push_back(static_cast<core::Id>(u));
  std::stable_sort(eq.lowest.begin(), eq.lowest.end(),
                   [&](core::Id a, core::Id b) { return unit_index[a] < unit_index[b]; });
  if (eq.lowest.size() > n_lowest) eq.lowest.resize(n_lowest);
  return eq;
}

}  // namespace kepumap::analysis
