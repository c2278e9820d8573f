#include "analysis/capacity.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace kepumap::analysis {

CapacityResult capacity_coverage(std::span<const double> people, const ReachLists& reach,
                                 const CapacityParams& params) {
  CapacityResult res;
  const std::size_t nf = reach.facilities, ni = people.size();
  const double inf = std::numeric_limits<double>::infinity();
  res.facilities.resize(nf);
  res.served.assign(ni, 0.0);
  res.reach.assign(ni, 0.0);
  res.catchment.assign(ni, -1);
  std::vector<double> best_take(ni, 0.0);
  auto entries = [&](std::size_t j) {
    const std::uint32_t b = reach.offsets[j], e = reach.offsets[j + 1];
    std::uint32_t end = b;
    while (end < e && reach.seconds[end] <= params.standard_s) ++end;
    return std::pair<std::uint32_t, std::uint32_t>{b, end};
  };
  for (std::size_t j = 0; j < nf; ++j) {
    FacilityCapacity& f = res.facilities[j];
    f.capacity = j < params.capacity.size() ? params.capacity[j] : inf;
    const auto [b, e] = entries(j);
    for (std::uint32_t k = b; k < e; ++k) {
      const std::uint32_t i = reach.item[k];
      if (i >= ni) continue;
      f.within_standard += people[i];
      res.reach[i] = people[i];
    }
  }
  for (double r : res.reach) res.total_reach += r;

  res.order.resize(nf);
  std::iota(res.order.begin(), res.order.end(), 0u);
  auto cmp = [&](std::uint32_t a, std::uint32_t b) {
    switch (params.order) {
      case CapacityOrder::Given: {
        const double ka = a < params.order_key.size() ? params.order_key[a] : inf;
        const double kb = b < params.order_key.size() ? params.order_key[b] : inf;
        if (ka != kb) return ka < kb;
        break;
      }
      case CapacityOrder::Population:
        if (res.facilities[a].within_standard != res.facilities[b].within_standard)
          return res.facilities[a].within_standard > res.facilities[b].within_standard;
        break;
      case CapacityOrder::Capacity:
        if (res.facilities[a].capacity != res.facilities[b].capacity)
          return res.facilities[a].capacity > res.facilities[b].capacity;
        break;
    }
    return a < b;
  };
  std::stable_sort(res.order.begin(), res.order.end(), cmp);

  std::vector<double> pool(people.begin(), people.end());
  for (std::uint32_t rank = 0; rank < nf; ++rank) {
    const std::uint32_t j = res.order[rank];
    FacilityCapacity& f = res.facilities[j];
    f.rank = rank;
    double left = f.capacity;
    if (!(left > 0)) continue;  // zero (or NaN) capacity takes nobody
    const auto [b, e] = entries(j);
    std::uint32_t k = b;
    while (k < e && left > 0) {
      // One ring: every item at exactly this time.
      std::uint32_t r_end = k;
      double ring = 0.0;
      while (r_end < e && reach.seconds[r_end] == reach.seconds[k]) {
        if (reach.item[r_end] < ni) ring += pool[reach.item[r_end]];
        ++r_end;
      }
      if (ring > 0) {
        const bool overflow = ring > left;
        const double frac = overflow ? left / ring : 1.0;
        for (std::uint32_t q = k; q < r_end; ++q) {
          const std::uint32_t i = reach.item[q];
          if (i >= ni || !(pool[i] > 0)) continue;
          const double take = overflow ? pool[i] * frac : pool[i];
          pool[i] = overflow ? pool[i] - take : 0.0;
          res.served[i] += take;
          if (take > best_take[i]) {
            best_take[i] = take;
            res.catchment[i] = static_cast<std::int32_t>(j);
          }
        }
        f.catchment_s = reach.seconds[k];
        if (overflow) {
          f.realised = f.capacity;  // exactly the capacity, whatever the rounding of the split
          left = 0.0;
        } else {
          f.realised += ring;
          left -= ring;
        }
      }
      k = r_end;
    }
  }
  for (const auto& f : res.facilities) res.total_realised += f.realised;
  return res;
}

}  // namespace kepumap::analysis
