// The median core of the siting solvers: greedy with lazy evaluation (CELF), fast interchange
// (Whitaker's swap with Resende-Werneck gain / loss / extra tables) and a Lagrangian bound.
#include "optimize/siting_core.hpp"

#include <algorithm>
#include <cmath>
#include <queue>
#include <stdexcept>

namespace kepumap::optimize::detail {

namespace {
bool cancelled(const std::atomic<bool>* cancel) { return cancel && cancel->load(std::memory_order_relaxed); }
}  // namespace

std::int64_t ceil_bound(double lb) {
  const double tol = 1e-9 * std::max(1.0, std::fabs(lb)) + 1e-7;
  return static_cast<std::int64_t>(std::ceil(lb - tol));
}

Core make_core(const SitingInstance& inst, const SitingOptions& opt, const std::vector<std::int64_t>& weight,
               std::int64_t radius, std::int64_t M) {
  Core c;
  const CostMatrix& t = inst.times;
  c.m = t.cols;
  c.M = radius >= 0 ? 1 : M;
  c.p = opt.p;
  c.budget = opt.budget;
  c.one_per_group = opt.one_per_group;
  c.fixed.assign(c.m, 0);
  for (core::Id e : inst.existing) c.fixed[e] = 1;
  c.allowed.assign(c.m, 1);
  for (std::size_t j = 0; j < c.m; ++j)
    if (c.fixed[j]) c.allowed[j] = 0;
  c.cost = inst.cost.empty() ? std::vector<std::int64_t>(c.m, 1) : inst.cost;
  if (!inst.group.empty()) {
    c.group = inst.group;
    for (core::Id g : c.group)
      if (g != core::INVALID_ID) c.num_groups = std::max<std::size_t>(c.num_groups, std::size_t{g} + 1);
  } else {
    c.group.assign(c.m, core::INVALID_ID);
  }
  c.roff.push_back(0);
  for (std::size_t i = 0; i < t.rows; ++i) {
    if (weight[i] <= 0) continue;
    c.w.push_back(weight[i]);
    c.demand_index.push_back(static_cast<core::Id>(i));
    for (std::uint32_t k = t.offsets[i]; k < t.offsets[i + 1]; ++k) {
      const std::int64_t s = t.time[k];
      if (radius >= 0) {
        if (s > radius) break;  // rows are sorted by time
        c.rcand.push_back(t.cand[k]);
        c.rcost.push_back(0);
      } else {
        if (s >= c.M) break;
        c.rcand.push_back(t.cand[k]);
        c.rcost.push_back(s);
      }
    }
    c.roff.push_back(static_cast<std::uint32_t>(c.rcand.size()));
  }
  c.n = c.w.size();
  // Columns by counting.
  c.coff.assign(c.m + 1, 0);
  for (std::uint32_t j : c.rcand) ++c.coff[j + 1];
  for (std::size_t j = 0; j < c.m; ++j) c.coff[j + 1] += c.coff[j];
  c.cdem.resize(c.rcand.size());
  c.ccost.resize(c.rcand.size());
  std::vector<std::uint32_t> pos(c.coff.begin(), c.coff.end() - 1);
  for (std::size_t i = 0; i < c.n; ++i)
    for (std::uint32_t k = c.roff[i]; k < c.roff[i + 1]; ++k) {
      const std::uint32_t q = pos[c.rcand[k]]++;
      c.cdem[q] = static_cast<std::uint32_t>(i);
      c.ccost[q] = c.rcost[k];
    }
  return c;
}

std::int64_t core_objective(const Core& c, const std::vector<std::uint8_t>& open) {
  std::int64_t total = 0;
  for (std::size_t i = 0; i < c.n; ++i) {
    std::int64_t best = c.M;
    for (std::uint32_t k = c.roff[i]; k < c.roff[i + 1]; ++k)
      if (open[c.rcand[k]] || c.fixed[c.rcand[k]]) {
        best = std::min(best, c.rcost[k]);
        break;  // sorted
      }
    total += c.w[i] * best;
  }
  return total;
}

namespace {

/// Gain of opening j given each demand's current best cost.
std::int64_t open_gain(const Core& c, const std::vector<std::int64_t>& best, std::size_t j) {
  std::int64_t g = 0;
  for (std::uint32_t k = c.coff[j]; k < c.coff[j + 1]; ++k) {
    const std::uint32_t i = c.cdem[k];
    if (c.ccost[k] < best[i]) g += c.w[i] * (best[i] - c.ccost[k]);
  }
  return g;
}

void apply_open(const Core& c, std::vector<std::int64_t>& best, std::size_t j) {
  for (std::uint32_t k = c.coff[j]; k < c.coff[j + 1]; ++k) {
    const std::uint32_t i = c.cdem[k];
    best[i] = std::min(best[i], c.ccost[k]);
  }
}

/// Greedy with lazy evaluation. ratio: rank by gain / cost (budget mode).
}  // namespace

CoreSolution greedy_core(const Core& c, bool ratio, const std::atomic<bool>* cancel,
                         const std::vector<core::Id>& start) {
  CoreSolution s;
  s.open.assign(c.m, 0);
  std::vector<std::int64_t> best(c.n, c.M);
  for (std::size_t j = 0; j < c.m; ++j)
    if (c.fixed[j]) {
      s.open[j] = 1;
      apply_open(c, best, j);
    }
  const bool budget_mode = c.budget >= 0;
  std::int64_t spent = 0;
  auto can_add = [&](std::size_t j) {
    if (!c.allowed[j] || s.open[j]) return false;
    if (budget_mode) return spent + c.cost[j] <= c.budget;
    return static_cast<int>(s.chosen.size()) < c.p;
  };
  auto add = [&](std::size_t j) {
    s.open[j] = 1;
    s.chosen.push_back(static_cast<core::Id>(j));
    spent += c.cost[j];
    apply_open(c, best, j);
  };
  for (core::Id j : start)
    if (j < c.m && can_add(j)) add(j);
  // Groups first: every group without an open site gets its best candidate.
  if (c.one_per_group && c.num_groups > 0) {
    std::vector<std::uint8_t> has(c.num_groups, 0), can(c.num_groups, 0);
    for (std::size_t j = 0; j < c.m; ++j) {
      if (c.group[j] == core::INVALID_ID) continue;
      if (s.open[j]) has[c.group[j]] = 1;
      if (c.allowed[j]) can[c.group[j]] = 1;
    }
    for (std::size_t g = 0; g < c.num_groups; ++g)
      if (!has[g] && !can[g]) {
        // A group id with no candidate at all is not a constraint; only flag real groups.
        bool any = false;
        for (std::size_t j = 0; j < c.m; ++j) any = any || c.group[j] == g;
        if (any) s.feasible = false;
        has[g] = 1;
      }
    for (;;) {
      std::size_t bj = c.m;
      double bv = -1.0;
      for (std::size_t j = 0; j < c.m; ++j) {
        if (c.group[j] == core::INVALID_ID || has[c.group[j]] || !can_add(j)) continue;
        const double g = static_cast<double>(open_gain(c, best, j));
        const double v = ratio ? g / static_cast<double>(std::max<std::int64_t>(1, c.cost[j])) : g;
        if (v > bv) {
          bv = v;
          bj = j;
        }
      }
      if (bj == c.m) break;
      add(bj);
      has[c.group[bj]] = 1;
    }
    for (std::size_t g = 0; g < c.num_groups; ++g)
      if (!has[g]) s.feasible = false;
  }
  // CELF: gains only shrink as sites open (submodular), so a stale upper bound that still tops
  // the heap after re-evaluation is the true best.
  struct Entry {
    double key;
    std::int64_t gain;
    std::uint32_t j;
    std::uint32_t stamp;
    bool operator<(const Entry& o) const { return key < o.key || (key == o.key && j > o.j); }
  };
  std::priority_queue<Entry> heap;
  auto key_of = [&](std::int64_t g, std::size_t j) {
    return ratio ? static_cast<double>(g) / static_cast<double>(std::max<std::int64_t>(1, c.cost[j]))
                 : static_cast<double>(g);
  };
  for (std::size_t j = 0; j < c.m; ++j)
    if (c.allowed[j] && !s.open[j]) {
      const std::int64_t g = open_gain(c, best, j);
      heap.push(Entry{key_of(g, j), g, static_cast<std::uint32_t>(j), 0});
    }
  std::uint32_t round = 0;
  while (!heap.empty() && !cancelled(cancel)) {
    if (!budget_mode && static_cast<int>(s.chosen.size()) >= c.p) break;
    Entry e = heap.top();
    heap.pop();
    if (!can_add(e.j)) continue;  // over budget now: remaining budget only shrinks
    if (e.stamp == round) {
      if (budget_mode && e.gain <= 0) break;  // never spend money for nothing
      add(e.j);
      ++round;
      continue;
    }
    e.gain = open_gain(c, best, e.j);
    e.key = key_of(e.gain, e.j);
    e.stamp = round;
    heap.push(e);
  }
  s.objective = 0;
  for (std::size_t i = 0; i < c.n; ++i) s.objective += c.w[i] * best[i];
  return s;
}

CoreSolution fast_interchange(const Core& c, CoreSolution s, const std::atomic<bool>* cancel) {
  const std::size_t n = c.n, m = c.m;
  const bool budget_mode = c.budget >= 0;
  constexpr std::uint32_t NONE = core::INVALID_ID;
  std::vector<std::uint8_t> open = s.open;
  // Slots: each open new site owns one row of the extra table.
  std::vector<std::uint32_t> slot_of(m, NONE);
  std::vector<std::uint32_t> site_of;
  for (core::Id j : s.chosen) {
    slot_of[j] = static_cast<std::uint32_t>(site_of.size());
    site_of.push_back(j);
  }
  // Budget mode may add sites later, so reserve a slot for every affordable candidate count.
  std::size_t max_slots = site_of.size();
  if (budget_mode) {
    std::vector<std::int64_t> costs;
    for (std::size_t j = 0; j < m; ++j)
      if (c.allowed[j]) costs.push_back(c.cost[j]);
    std::sort(costs.begin(), costs.end());
    std::int64_t sum = 0;
    std::size_t k = 0;
    while (k < costs.size() && sum + costs[k] <= c.budget) sum += costs[k++];
    max_slots = std::max(max_slots, k);
  }
  if (max_slots == 0) return s;
  std::vector<std::uint32_t> free_slots;
  for (std::size_t q = site_of.size(); q < max_slots; ++q)
    free_slots.push_back(static_cast<std::uint32_t>(q));
  site_of.resize(max_slots, NONE);

  std::vector<std::uint32_t> f1(n, NONE), f2(n, NONE);
  std::vector<std::int64_t> d1(n, c.M), d2(n, c.M);
  std::vector<std::int64_t> gain(m, 0), loss(m, 0);
  std::vector<std::int64_t> extra(max_slots * m, 0);

  auto is_open = [&](std::uint32_t j) { return open[j] != 0; };
  auto find_two = [&](std::size_t i) {
    f1[i] = f2[i] = NONE;
    d1[i] = d2[i] = c.M;
    for (std::uint32_t k = c.roff[i]; k < c.roff[i + 1]; ++k) {
      const std::uint32_t j = c.rcand[k];
      if (!is_open(j)) continue;
      if (f1[i] == NONE) {
        f1[i] = j;
        d1[i] = c.rcost[k];
      } else {
        f2[i] = j;
        d2[i] = c.rcost[k];
        break;
      }
    }
  };
  auto contribute = [&](std::size_t i, std::int64_t sign) {
    const std::int64_t wi = c.w[i] * sign;
    const std::uint32_t a = f1[i];
    const bool removable = a != NONE && slot_of[a] != NONE;
    if (removable) loss[a] += wi * (d2[i] - d1[i]);
    std::int64_t* ex = removable ? &extra[std::size_t{slot_of[a]} * m] : nullptr;
    for (std::uint32_t k = c.roff[i]; k < c.roff[i + 1]; ++k) {
      const std::int64_t cij = c.rcost[k];
      if (cij >= d2[i]) break;
      const std::uint32_t j = c.rcand[k];
      if (is_open(j)) continue;
      if (cij < d1[i]) gain[j] += wi * (d1[i] - cij);
      if (ex) ex[j] += wi * (d2[i] - std::max(cij, d1[i]));
    }
  };
  for (std::size_t i = 0; i < n; ++i) {
    find_two(i);
    contribute(i, +1);
  }
  std::int64_t objective = 0;
  for (std::size_t i = 0; i < n; ++i) objective += c.w[i] * d1[i];

  std::int64_t spent = 0;
  for (core::Id j : s.chosen) spent += c.cost[j];
  std::vector<int> group_count(c.num_groups, 0);
  if (c.one_per_group)
    for (std::size_t j = 0; j < m; ++j)
      if (open[j] && c.group[j] != core::INVALID_ID) ++group_count[c.group[j]];

  std::vector<std::uint32_t> mark(n, 0);
  std::uint32_t epoch = 0;
  std::vector<std::uint32_t> affected;
  for (int iter = 0; iter < 100000 && !cancelled(cancel); ++iter) {
    // Best move: swap (close g, open f) or, with budget room, add f.
    std::int64_t best = 0;
    std::uint32_t bg = NONE, bf = NONE;
    for (std::size_t q = 0; q < max_slots; ++q) {
      const std::uint32_t g = site_of[q];
      if (g == NONE) continue;
      const bool group_locked =
          c.one_per_group && c.group[g] != core::INVALID_ID && group_count[c.group[g]] <= 1;
      const std::int64_t* ex = &extra[q * m];
      for (std::size_t f = 0; f < m; ++f) {
        if (!c.allowed[f] || open[f]) continue;
        const std::int64_t v = gain[f] - loss[g] + ex[f];
        if (v <= best) continue;
        if (group_locked && c.group[f] != c.group[g]) continue;
        if (budget_mode && spent - c.cost[g] + c.cost[f] > c.budget) continue;
        best = v;
        bg = g;
        bf = static_cast<std::uint32_t>(f);
      }
    }
    if (budget_mode && !free_slots.empty())
      for (std::size_t f = 0; f < m; ++f) {
        if (!c.allowed[f] || open[f] || spent + c.cost[f] > c.budget) continue;
        if (gain[f] > best) {
          best = gain[f];
          bg = NONE;
          bf = static_cast<std::uint32_t>(f);
        }
      }
    if (bf == NONE) break;
    // Demands whose contributions change: those with an entry for g or f.
    ++epoch;
    affected.clear();
    auto collect = [&](std::uint32_t j) {
      for (std::uint32_t k = c.coff[j]; k < c.coff[j + 1]; ++k) {
        const std::uint32_t i = c.cdem[k];
        if (mark[i] != epoch) {
          mark[i] = epoch;
          affected.push_back(i);
        }
      }
    };
    if (bg != NONE) collect(bg);
    collect(bf);
    for (std::uint32_t i : affected) contribute(i, -1);
    std::uint32_t slot;
    if (bg != NONE) {
      slot = slot_of[bg];
      open[bg] = 0;
      slot_of[bg] = NONE;
      spent -= c.cost[bg];
      if (c.one_per_group && c.group[bg] != core::INVALID_ID) --group_count[c.group[bg]];
    } else {
      slot = free_slots.back();
      free_slots.pop_back();
    }
    open[bf] = 1;
    slot_of[bf] = slot;
    site_of[slot] = bf;
    spent += c.cost[bf];
    if (c.one_per_group && c.group[bf] != core::INVALID_ID) ++group_count[c.group[bf]];
    for (std::uint32_t i : affected) {
      objective -= c.w[i] * d1[i];
      find_two(i);
      objective += c.w[i] * d1[i];
      contribute(i, +1);
    }
  }
  s.open = open;
  s.chosen.clear();
  for (std::size_t q = 0; q < max_slots; ++q)
    if (site_of[q] != NONE) s.chosen.push_back(site_of[q]);
  s.objective = objective;
  return s;
}

CoreSolution solve_core_heuristic(const Core& c, const std::atomic<bool>* cancel) {
  CoreSolution best = fast_interchange(c, greedy_core(c, false, cancel), cancel);
  if (c.budget >= 0) {
    // Budget: cost-effectiveness greedy as well, keep the better (Leskovec et al.'s CELF rule).
    CoreSolution other = fast_interchange(c, greedy_core(c, true, cancel), cancel);
    if ((other.feasible && !best.feasible) ||
        (other.feasible == best.feasible && other.objective < best.objective))
      best = std::move(other);
  }
  return best;
}

CoreAnswer solve_core_with_bound(const Core& c, int iterations, const std::atomic<bool>* cancel,
                                 const std::function<void(int, int)>& progress) {
  CoreAnswer a;
  a.solution = solve_core_heuristic(c, cancel);
  // Each Lagrangian try costs about one interchange run: allow fewer on big instances.
  const int max_tries = c.rcand.size() > 2000000 ? 6 : 40;
  int tries = 0;
  auto primal = [&](const std::vector<core::Id>& sites) {
    if (tries >= max_tries || cancelled(cancel)) return a.solution.objective;
    ++tries;
    CoreSolution s = fast_interchange(c, greedy_core(c, false, cancel, sites), cancel);
    if ((s.feasible && !a.solution.feasible) ||
        (s.feasible == a.solution.feasible && s.objective < a.solution.objective))
      a.solution = std::move(s);
    return a.solution.objective;
  };
  a.lower_bound = lagrangian_lower_bound(c, a.solution.objective, iterations, cancel, primal, progress);
  return a;
}

double lagrangian_lower_bound(const Core& c, std::int64_t ub, int iterations, const std::atomic<bool>* cancel,
                              const std::function<std::int64_t(const std::vector<core::Id>&)>& primal,
                              const std::function<void(int, int)>& progress) {
  const std::size_t n = c.n, m = c.m;
  const bool budget_mode = c.budget >= 0;
  // Start: lambda_i = w_i * (smallest cost of demand i), a common and safe start.
  std::vector<double> lambda(n), g(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t cmin = c.roff[i] < c.roff[i + 1] ? c.rcost[c.roff[i]] : c.M;
    lambda[i] = static_cast<double>(c.w[i]) * static_cast<double>(cmin);
  }
  // Fixed sites: a demand whose best fixed site has cost b never pays more than b; those demands
  // are handled exactly inside the relaxation by letting the fixed site cap the cost.
  double best_lb = 0.0;
  {
    // Trivial bound: every demand pays its smallest cost.
    for (std::size_t i = 0; i < n; ++i) best_lb += lambda[i];
  }
  std::vector<double> rho(m);
  std::vector<std::uint32_t> order;
  std::vector<double> y(m, 0.0);
  double theta = 2.0;
  int since_improve = 0;
  double ubd = static_cast<double>(ub);
  std::vector<core::Id> sites, last_sites;
  for (int it = 0; it < iterations && !cancelled(cancel); ++it) {
    if (progress) progress(it, iterations);
    double L = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      const double v = static_cast<double>(c.w[i]) * static_cast<double>(c.M) - lambda[i];
      L += lambda[i] + std::min(0.0, v);
      g[i] = v < 0.0 ? 0.0 : 1.0;  // 1 - u_i
    }
    // Rows are sorted by cost, so the entries with w_i c_ij < lambda_i form a prefix of row i:
    // scanning prefixes costs far less than scanning every column in full.
    std::fill(rho.begin(), rho.end(), 0.0);
    std::fill(y.begin(), y.end(), 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      const double wi = static_cast<double>(c.w[i]), li = lambda[i];
      for (std::uint32_t k = c.roff[i]; k < c.roff[i + 1]; ++k) {
        const double v = wi * static_cast<double>(c.rcost[k]) - li;
        if (v >= 0.0) break;
        rho[c.rcand[k]] += v;
      }
    }
    for (std::size_t j = 0; j < m; ++j)
      if (!c.fixed[j] && !c.allowed[j]) rho[j] = 0.0;
    order.clear();
    for (std::size_t j = 0; j < m; ++j) {
      if (c.fixed[j]) {
        L += rho[j];
        y[j] = 1.0;
      } else if (c.allowed[j] && rho[j] < 0.0) {
        order.push_back(static_cast<std::uint32_t>(j));
      }
    }
    if (!budget_mode) {
      const std::size_t k = std::min<std::size_t>(order.size(), static_cast<std::size_t>(std::max(0, c.p)));
      std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                        [&](std::uint32_t a, std::uint32_t b) { return rho[a] < rho[b]; });
      for (std::size_t q = 0; q < k; ++q) {
        L += rho[order[q]];
        y[order[q]] = 1.0;
      }
    } else {
      // Fractional knapsack: a relaxation of the binary choice, so still a valid bound.
      std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        const double ca = static_cast<double>(c.cost[a]), cb = static_cast<double>(c.cost[b]);
        if (ca <= 0.0 || cb <= 0.0) return ca <= 0.0 && cb > 0.0;
        return rho[a] / ca < rho[b] / cb;
      });
      double room = static_cast<double>(c.budget);
      for (std::uint32_t j : order) {
        const double cj = static_cast<double>(c.cost[j]);
        double take = 1.0;
        if (cj > 0.0) take = std::min(1.0, room / cj);
        if (take <= 0.0) break;
        L += take * rho[j];
        y[j] = take;
        room -= take * cj;
      }
    }
    if (primal && it % 5 == 0) {
      sites.clear();
      for (std::size_t j = 0; j < m; ++j)
        if (!c.fixed[j] && y[j] >= 1.0) sites.push_back(static_cast<core::Id>(j));
      if (sites != last_sites) {
        ub = std::min(ub, primal(sites));
        ubd = static_cast<double>(ub);
        last_sites = sites;
      }
    }
    if (L > best_lb) {
      best_lb = L;
      since_improve = 0;
    } else if (++since_improve >= 20) {
      theta *= 0.5;
      since_improve = 0;
    }
    if (ceil_bound(best_lb) >= ub || theta < 1e-3) break;
    // Subgradient of the relaxed constraints sum_j x_ij + u_i = 1.
    for (std::size_t i = 0; i < n; ++i) {
      const double wi = static_cast<double>(c.w[i]), li = lambda[i];
      for (std::uint32_t k = c.roff[i]; k < c.roff[i + 1]; ++k) {
        if (wi * static_cast<double>(c.rcost[k]) - li >= 0.0) break;
        g[i] -= y[c.rcand[k]];
      }
    }
    double norm = 0.0;
    for (std::size_t i = 0; i < n; ++i) norm += g[i] * g[i];
    if (norm <= 0.0) break;
    const double step = theta * std::max(ubd - L, 0.01 * std::max(1.0, std::fabs(ubd))) / norm;
    for (std::size_t i = 0; i < n; ++i) {
      const double hi = static_cast<double>(c.w[i]) * static_cast<double>(c.M);
      lambda[i] = std::clamp(lambda[i] + step * g[i], 0.0, hi);
    }
  }
  return best_lb;
}

}  // namespace kepumap::optimize::detail
