// Siting solvers: matrix helpers, validation, the four problems on top of the median core,
// bounds and the marginal table.
#include "optimize/siting.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <string>

#include "optimize/siting_core.hpp"

namespace kepumap::optimize {

const char* status_text(SolveStatus s) {
  switch (s) {
    case SolveStatus::Unset:
      return "";
    case SolveStatus::Ok:
      return "ok";
    case SolveStatus::Optimal:
      return "optimal";
    case SolveStatus::TimeLimit:
      return "time limit";
    case SolveStatus::NoSolution:
      return "time limit, no solution";
    case SolveStatus::Infeasible:
      return "infeasible";
    case SolveStatus::Cancelled:
      return "cancelled";
  }
  return "";
}

using core::ISeconds;
using core::UNREACHABLE;

ISeconds CostMatrix::at(std::size_t i, std::uint32_t j) const {
  for (std::uint32_t k = offsets[i]; k < offsets[i + 1]; ++k)
    if (cand[k] == j) return time[k];
  return UNREACHABLE;
}

void finalize_rows(CostMatrix& m) {
  std::vector<std::pair<ISeconds, std::uint32_t>> row;
  std::vector<std::uint32_t> off{0};
  std::vector<std::uint32_t> cand;
  std::vector<ISeconds> time;
  cand.reserve(m.cand.size());
  time.reserve(m.time.size());
  std::vector<std::uint8_t> seen(m.cols, 0);
  for (std::size_t i = 0; i < m.rows; ++i) {
    row.clear();
    for (std::uint32_t k = m.offsets[i]; k < m.offsets[i + 1]; ++k) row.emplace_back(m.time[k], m.cand[k]);
    std::sort(row.begin(), row.end());
    for (const auto& [t, j] : row) {
      if (seen[j]) continue;  // sorted by time: the first copy is the smallest
      seen[j] = 1;
      cand.push_back(j);
      time.push_back(t);
    }
    for (std::size_t k = off.back(); k < cand.size(); ++k) seen[cand[k]] = 0;
    off.push_back(static_cast<std::uint32_t>(cand.size()));
  }
  m.offsets = std::move(off);
  m.cand = std::move(cand);
  m.time = std::move(time);
}

CostMatrix dense_matrix(std::size_t rows, std::size_t cols, const std::vector<ISeconds>& t) {
  if (t.size() != rows * cols) throw std::invalid_argument("dense_matrix: size is not rows x cols");
  CostMatrix m;
  m.rows = rows;
  m.cols = cols;
  m.offsets.push_back(0);
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < cols; ++j) {
      const ISeconds v = t[i * cols + j];
      if (v == UNREACHABLE || v < 0) continue;
      m.cand.push_back(static_cast<std::uint32_t>(j));
      m.time.push_back(v);
    }
    m.offsets.push_back(static_cast<std::uint32_t>(m.cand.size()));
  }
  finalize_rows(m);
  return m;
}

CostMatrix triplet_matrix(std::size_t rows, std::size_t cols, std::vector<CostEntry> entries) {
  CostMatrix m;
  m.rows = rows;
  m.cols = cols;
  m.offsets.assign(rows + 1, 0);
  for (const CostEntry& e : entries) {
    if (e.demand >= rows || e.candidate >= cols)
      throw std::invalid_argument("triplet_matrix: index out of range");
    ++m.offsets[e.demand + 1];
  }
  for (std::size_t i = 0; i < rows; ++i) m.offsets[i + 1] += m.offsets[i];
  m.cand.resize(entries.size());
  m.time.resize(entries.size());
  std::vector<std::uint32_t> pos(m.offsets.begin(), m.offsets.end() - 1);
  for (const CostEntry& e : entries) {
    const std::uint32_t q = pos[e.demand]++;
    m.cand[q] = e.candidate;
    m.time[q] = e.time;
  }
  finalize_rows(m);
  return m;
}

CostMatrix from_candidate_major(std::size_t demands, std::size_t candidates,
                                const std::vector<std::uint32_t>& offsets,
                                const std::vector<std::uint32_t>& demand,
                                const std::vector<ISeconds>& seconds) {
  if (offsets.size() != candidates + 1 || demand.size() != seconds.size() || offsets.back() != demand.size())
    throw std::invalid_argument("from_candidate_major: inconsistent offsets");
  std::vector<CostEntry> e;
  e.reserve(demand.size());
  for (std::size_t j = 0; j < candidates; ++j)
    for (std::uint32_t k = offsets[j]; k < offsets[j + 1]; ++k)
      if (seconds[k] != UNREACHABLE && seconds[k] >= 0)
        e.push_back({demand[k], static_cast<std::uint32_t>(j), seconds[k]});
  return triplet_matrix(demands, candidates, std::move(e));
}

const char* problem_name(SitingProblem p) {
  switch (p) {
    case SitingProblem::Lscp:
      return "lscp";
    case SitingProblem::Mclp:
      return "mclp";
    case SitingProblem::PMedian:
      return "pmedian";
    case SitingProblem::PCenter:
      return "pcenter";
  }
  return "?";
}

std::vector<std::string> validate(const SitingInstance& inst) {
  std::vector<std::string> bad;
  const CostMatrix& t = inst.times;
  const std::size_t n = t.rows, m = t.cols;
  if (inst.population.size() != n)
    bad.push_back("population has " + std::to_string(inst.population.size()) + " values for " +
                  std::to_string(n) + " demand points");
  if (!inst.priority.empty() && inst.priority.size() != n)
    bad.push_back("priority size differs from demand count");
  if (!inst.cost.empty() && inst.cost.size() != m) bad.push_back("cost size differs from candidate count");
  if (!inst.capacity.empty() && inst.capacity.size() != m)
    bad.push_back("capacity size differs from candidate count");
  if (!inst.group.empty() && inst.group.size() != m) bad.push_back("group size differs from candidate count");
  if (t.offsets.size() != n + 1 || t.cand.size() != t.time.size() || t.offsets.empty() ||
      t.offsets.back() != t.cand.size()) {
    bad.push_back("travel-time matrix offsets are inconsistent");
    return bad;
  }
  for (std::size_t i = 0; i < n && bad.size() < 20; ++i) {
    if (i < inst.population.size() && inst.population[i] < 0)
      bad.push_back("demand " + std::to_string(i) + ": negative population");
    if (!inst.priority.empty() && i < inst.priority.size() && inst.priority[i] < 0)
      bad.push_back("demand " + std::to_string(i) + ": negative priority");
    for (std::uint32_t k = t.offsets[i]; k < t.offsets[i + 1]; ++k) {
      if (t.cand[k] >= m) {
        bad.push_back("demand " + std::to_string(i) + ": candidate index out of range");
        break;
      }
      if (t.time[k] < 0 || t.time[k] == UNREACHABLE) {
        bad.push_back("demand " + std::to_string(i) + ": travel time must be 0.." +
                      std::to_string(UNREACHABLE - 1));
        break;
      }
      if (k > t.offsets[i] && t.time[k] < t.time[k - 1]) {
        bad.push_back("demand " + std::to_string(i) + ": row not sorted by time (call finalize_rows)");
        break;
      }
    }
  }
  for (std::size_t j = 0; j < inst.cost.size(); ++j)
    if (inst.cost[j] < 0) {
      bad.push_back("candidate " + std::to_string(j) + ": negative cost");
      break;
    }
  for (std::size_t j = 0; j < inst.capacity.size(); ++j)
    if (inst.capacity[j] < 0) {
      bad.push_back("candidate " + std::to_string(j) + ": negative capacity");
      break;
    }
  for (core::Id e : inst.existing)
    if (e >= m) {
      bad.push_back("existing facility " + std::to_string(e) + " is not a candidate index");
      break;
    }
  return bad;
}

namespace {

using Clock = std::chrono::steady_clock;

/// p-center counts demand points with people that some candidate reaches at all; the others
/// would pin the worst time at the unreachable cost whatever is built (they are reported as
/// unserved instead).
bool counts_for_center(const SitingInstance& inst, std::size_t i) {
  return inst.population[i] > 0 && inst.times.offsets[i] < inst.times.offsets[i + 1];
}

std::vector<std::int64_t> population_weights(const SitingInstance& inst) { return inst.population; }

std::vector<std::int64_t> priority_weights(const SitingInstance& inst) {
  std::vector<std::int64_t> w(inst.population.size());
  for (std::size_t i = 0; i < w.size(); ++i)
    w[i] = inst.population[i] * (inst.priority.empty() ? PRIORITY_SCALE : inst.priority[i]);
  return w;
}

std::int64_t resolve_unreachable(const SitingInstance& inst, const SitingOptions& opt) {
  if (opt.unreachable_cost > 0) return opt.unreachable_cost;
  std::int64_t mx = 0;
  for (ISeconds v : inst.times.time) mx = std::max<std::int64_t>(mx, v);
  return mx + 1;
}

/// Time from each demand to its nearest open site (UNREACHABLE when none).
std::vector<ISeconds> nearest_open(const SitingInstance& inst, const std::vector<core::Id>& new_sites) {
  std::vector<std::uint8_t> open(inst.num_candidates(), 0);
  for (core::Id e : inst.existing) open[e] = 1;
  for (core::Id s : new_sites) open[s] = 1;
  const CostMatrix& t = inst.times;
  std::vector<ISeconds> best(t.rows, UNREACHABLE);
  for (std::size_t i = 0; i < t.rows; ++i)
    for (std::uint32_t k = t.offsets[i]; k < t.offsets[i + 1]; ++k)
      if (open[t.cand[k]]) {
        best[i] = t.time[k];
        break;
      }
  return best;
}

}  // namespace

double detail::gap_of(double objective, double bound) {
  if (objective == bound) return 0.0;
  const double den = std::max(std::fabs(objective), 1e-12);
  return std::fabs(objective - bound) / den * 100.0;
}

namespace {
using detail::gap_of;

std::vector<core::Id> chosen_of(const detail::CoreSolution& s) { return s.chosen; }

int count_groups_needed(const SitingInstance& inst) {
  if (inst.group.empty()) return 0;
  std::size_t ng = 0;
  for (core::Id g : inst.group)
    if (g != core::INVALID_ID) ng = std::max<std::size_t>(ng, std::size_t{g} + 1);
  std::vector<std::uint8_t> present(ng, 0), has(ng, 0);
  for (core::Id g : inst.group)
    if (g != core::INVALID_ID) present[g] = 1;
  for (core::Id e : inst.existing)
    if (inst.group[e] != core::INVALID_ID) has[inst.group[e]] = 1;
  int need = 0;
  for (std::size_t g = 0; g < ng; ++g) need += present[g] && !has[g];
  return need;
}

struct Solved {
  std::vector<core::Id> chosen;
  std::int64_t objective = 0;
  double bound = 0.0;
  bool proven = false;
  SolveStatus status = SolveStatus::Ok;
  std::string method;
};

Solved solve_mclp(const SitingInstance& inst, const SitingOptions& opt) {
  const std::vector<std::int64_t> w = priority_weights(inst);
  std::int64_t total = 0;
  for (std::int64_t v : w) total += v;
  detail::Core c = detail::make_core(inst, opt, w, opt.standard, 1);
  const detail::CoreAnswer a =
      detail::solve_core_with_bound(c, opt.lagrangian_iterations, opt.cancel, opt.progress);
  const detail::CoreSolution& s = a.solution;
  const double lb = a.lower_bound;
  Solved r;
  r.chosen = chosen_of(s);
  r.objective = total - s.objective;
  r.bound = static_cast<double>(total - detail::ceil_bound(lb));
  r.proven = detail::ceil_bound(lb) >= s.objective;
  r.method = "greedy (CELF) + fast interchange; Lagrangian upper bound";
  if (!s.feasible) r.status = SolveStatus::Infeasible;
  return r;
}

Solved solve_pmedian(const SitingInstance& inst, const SitingOptions& opt) {
  const std::int64_t M = resolve_unreachable(inst, opt);
  detail::Core c = detail::make_core(inst, opt, population_weights(inst), -1, M);
  const detail::CoreAnswer a =
      detail::solve_core_with_bound(c, opt.lagrangian_iterations, opt.cancel, opt.progress);
  const detail::CoreSolution& s = a.solution;
  const double lb = a.lower_bound;
  Solved r;
  r.chosen = chosen_of(s);
  r.objective = s.objective;
  r.bound = static_cast<double>(std::min(detail::ceil_bound(lb), s.objective));
  r.proven = detail::ceil_bound(lb) >= s.objective;
  r.method = "greedy (CELF) + fast interchange; Lagrangian lower bound";
  if (!s.feasible) r.status = SolveStatus::Infeasible;
  return r;
}

Solved solve_lscp(const SitingInstance& inst, const SitingOptions& opt) {
  const std::vector<std::int64_t> w = population_weights(inst);
  std::int64_t total = 0, coverable = 0;
  for (std::size_t i = 0; i < w.size(); ++i) {
    total += w[i];
    const CostMatrix& t = inst.times;
    if (t.offsets[i] < t.offsets[i + 1] && t.time[t.offsets[i]] <= opt.standard) coverable += w[i];
  }
  Solved r;
  std::int64_t target =
      static_cast<std::int64_t>(std::ceil(opt.target_share * static_cast<double>(total) - 1e-9));
  target = std::clamp<std::int64_t>(target, 0, total);
  if (target > coverable) {
    r.status = SolveStatus::Infeasible;
    target = coverable;  // cover everyone who can be covered
  }
  const std::int64_t allowed = total - target;  // uncovered people we may leave
  SitingOptions o = opt;
  o.budget = -1;
  detail::Core c = detail::make_core(inst, o, w, opt.standard, 1);
  const int groups_needed = opt.one_per_group ? count_groups_needed(inst) : 0;
  // Greedy over all candidates; the shortest prefix of its order that meets the target.
  c.p = static_cast<int>(c.m);
  const detail::CoreSolution g = detail::greedy_core(c, false, opt.cancel);
  std::vector<std::int64_t> best(c.n, 1);
  std::int64_t uncovered = 0;
  for (std::size_t i = 0; i < c.n; ++i) uncovered += c.w[i];
  auto apply = [&](std::size_t j) {
    for (std::uint32_t k = c.coff[j]; k < c.coff[j + 1]; ++k) {
      const std::uint32_t i = c.cdem[k];
      uncovered -= c.w[i] * best[i];
      best[i] = 0;
    }
  };
  for (std::size_t j = 0; j < c.m; ++j)
    if (c.fixed[j]) apply(j);
  std::vector<std::int64_t> prefix{uncovered};  // prefix[k]: uncovered people after k greedy sites
  std::size_t k_prefix = 0;
  while (k_prefix < g.chosen.size() &&
         (prefix.back() > allowed || static_cast<int>(k_prefix) < groups_needed)) {
    apply(g.chosen[k_prefix++]);
    prefix.push_back(uncovered);
  }
  std::vector<core::Id> best_sites(g.chosen.begin(),
                                   g.chosen.begin() + static_cast<std::ptrdiff_t>(k_prefix));
  int k_best = static_cast<int>(k_prefix);
  if (!g.feasible) r.status = SolveStatus::Infeasible;
  // Fewer sites through the MCLP local search, one less at a time.
  std::vector<std::int64_t> ub_at(static_cast<std::size_t>(k_best) + 1, -1);
  for (int k = k_best - 1; k >= groups_needed; --k) {
    if (opt.cancel && opt.cancel->load()) break;
    c.p = k;
    const detail::CoreSolution s = detail::solve_core_heuristic(c, opt.cancel);
    ub_at[static_cast<std::size_t>(k)] = s.objective;
    if (!s.feasible || s.objective > allowed) break;
    best_sites = s.chosen;
    k_best = k;
  }
  // Lower bound: k sites are impossible when the Lagrangian bound on the people left uncovered
  // exceeds what we may leave; impossible at k implies impossible at every smaller k.
  int lo = 0, hi = k_best - 1, proven_k = -1;
  while (lo <= hi && !(opt.cancel && opt.cancel->load())) {
    const int mid = (lo + hi) / 2;
    const auto um = static_cast<std::size_t>(mid);
    c.p = mid;
    std::int64_t ub =
        um < ub_at.size() && ub_at[um] >= 0 ? ub_at[um] : (um < prefix.size() ? prefix[um] : allowed + 1);
    ub = std::max(ub, allowed + 1);
    const double lb =
        detail::lagrangian_lower_bound(c, ub, opt.lagrangian_iterations, opt.cancel, {}, opt.progress);
    if (detail::ceil_bound(lb) > allowed) {
      proven_k = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  const int bound = std::max(proven_k + 1, groups_needed);
  r.chosen = best_sites;
  r.objective = k_best;
  r.bound = std::min(bound, k_best);
  r.proven = bound >= k_best;
  r.method = "greedy (CELF) + fast interchange per site count; Lagrangian (MCLP) lower bound";
  return r;
}

Solved solve_pcenter(const SitingInstance& inst, const SitingOptions& opt) {
  const std::int64_t M = resolve_unreachable(inst, opt);
  const CostMatrix& t = inst.times;
  std::vector<std::int64_t> w(t.rows, 0);
  std::int64_t lb0 = 0;
  for (std::size_t i = 0; i < t.rows; ++i) {
    if (!counts_for_center(inst, i)) continue;
    w[i] = 1;
    const std::int64_t first =
        t.offsets[i] < t.offsets[i + 1] ? std::min<std::int64_t>(t.time[t.offsets[i]], M) : M;
    lb0 = std::max(lb0, first);
  }
  std::vector<std::int64_t> radii;
  for (ISeconds v : t.time)
    if (v >= lb0 && v < M) radii.push_back(v);
  radii.push_back(M);
  std::sort(radii.begin(), radii.end());
  radii.erase(std::unique(radii.begin(), radii.end()), radii.end());
  auto actual = [&](const std::vector<core::Id>& sites) {
    const std::vector<ISeconds> near = nearest_open(inst, sites);
    std::int64_t mx = 0;
    for (std::size_t i = 0; i < t.rows; ++i)
      if (w[i])
        mx = std::max<std::int64_t>(mx, near[i] == UNREACHABLE ? M : std::min<std::int64_t>(near[i], M));
    return mx;
  };
  Solved r;
  std::vector<core::Id> best_sites;
  std::int64_t best_obj = M + 1;
  std::vector<std::int64_t> uncovered_at(radii.size(), -1);
  auto try_radius = [&](std::size_t q) {
    detail::Core c = detail::make_core(inst, opt, w, radii[q], 1);
    detail::CoreSolution s = detail::solve_core_heuristic(c, opt.cancel);
    uncovered_at[q] = s.objective;
    if (s.feasible && s.objective == 0) {
      const std::int64_t a = actual(s.chosen);
      if (a < best_obj) {
        best_obj = a;
        best_sites = s.chosen;
      }
      return true;
    }
    return false;
  };
  // Heuristic: smallest radius at which p sites cover every demand point.
  std::size_t lo = 0, hi = radii.size() - 1;
  if (!try_radius(hi)) {
    // Even the largest radius fails: only possible through the group constraint.
    r.status = SolveStatus::Infeasible;
  }
  while (lo < hi && !(opt.cancel && opt.cancel->load())) {
    const std::size_t mid = (lo + hi) / 2;
    if (try_radius(mid))
      hi = mid;
    else
      lo = mid + 1;
  }
  if (best_sites.empty() && best_obj > M) best_obj = actual({});
  // Bound: the largest radius proven impossible by the covering Lagrangian bound.
  std::size_t blo = 0, bhi = static_cast<std::size_t>(std::lower_bound(radii.begin(), radii.end(), best_obj) -
                                                      radii.begin());
  std::int64_t bound = lb0;
  while (blo < bhi && !(opt.cancel && opt.cancel->load())) {
    const std::size_t mid = (blo + bhi) / 2;
    detail::Core c = detail::make_core(inst, opt, w, radii[mid], 1);
    std::int64_t ub = uncovered_at[mid];
    if (ub < 0) {
      if (try_radius(mid)) {
        bhi = std::min<std::size_t>(
            mid,
            static_cast<std::size_t>(std::lower_bound(radii.begin(), radii.end(), best_obj) - radii.begin()));
        continue;
      }
      ub = uncovered_at[mid];
    }
    const double lb = detail::lagrangian_lower_bound(c, std::max<std::int64_t>(ub, 1),
                                                     opt.lagrangian_iterations, opt.cancel, {}, opt.progress);
    if (detail::ceil_bound(lb) > 0) {
      bound = std::max(bound, radii[mid + 1]);
      blo = mid + 1;
    } else {
      bhi = mid;
    }
  }
  r.chosen = best_sites;
  r.objective = best_obj;
  r.bound = static_cast<double>(std::min(bound, best_obj));
  r.proven = bound >= best_obj;
  r.method = "covering search (greedy + fast interchange per radius); Lagrangian covering lower bound";
  return r;
}

/// The marginal table under capacities: each step the site that improves the capacitated
/// objective most; added people from the capacitated cover.
std::vector<MarginalRow> capacitated_marginal_table(const SitingInstance& inst, const SitingOptions& opt,
                                                    std::vector<core::Id>& chosen) {
  const bool mclp = opt.problem == SitingProblem::Mclp;
  std::vector<core::Id> order;
  std::vector<std::uint8_t> used(chosen.size(), 0);
  std::vector<MarginalRow> rows;
  detail::CapacitatedCover prev = detail::capacitated_cover(inst, opt.standard, {});
  for (std::size_t step = 0; step < chosen.size(); ++step) {
    std::size_t bq = chosen.size();
    std::int64_t bv = 0;
    for (std::size_t q = 0; q < chosen.size(); ++q) {
      if (used[q]) continue;
      order.push_back(chosen[q]);
      const std::int64_t v = detail::capacitated_objective(inst, opt, order);
      order.pop_back();
      if (bq == chosen.size() || (mclp ? v > bv : v < bv)) {
        bv = v;
        bq = q;
      }
    }
    used[bq] = 1;
    order.push_back(chosen[bq]);
    const detail::CapacitatedCover now = detail::capacitated_cover(inst, opt.standard, order);
    MarginalRow row;
    row.candidate = chosen[bq];
    row.added_population = now.people - prev.people;
    row.added_weighted = now.weighted - prev.weighted;
    row.objective_after = bv;
    rows.push_back(row);
    prev = now;
  }
  chosen = order;
  return rows;
}

/// Orders the chosen sites greedily by what each adds to the problem's objective (p-center by
/// weighted time, as the worst time rarely moves site by site).
std::vector<MarginalRow> marginal_table(const SitingInstance& inst, const SitingOptions& opt,
                                        std::vector<core::Id>& chosen) {
  const CostMatrix& t = inst.times;
  const std::size_t n = t.rows, m = t.cols;
  const std::int64_t M = resolve_unreachable(inst, opt);
  const std::vector<std::int64_t> wp = priority_weights(inst);
  // Columns of the matrix restricted to the chosen sites.
  std::vector<std::vector<std::pair<std::uint32_t, ISeconds>>> col(chosen.size());
  std::vector<std::uint32_t> pos(m, core::INVALID_ID);
  for (std::size_t q = 0; q < chosen.size(); ++q) pos[chosen[q]] = static_cast<std::uint32_t>(q);
  for (std::size_t i = 0; i < n; ++i)
    for (std::uint32_t k = t.offsets[i]; k < t.offsets[i + 1]; ++k)
      if (pos[t.cand[k]] != core::INVALID_ID)
        col[pos[t.cand[k]]].emplace_back(static_cast<std::uint32_t>(i), t.time[k]);
  std::vector<ISeconds> cur = nearest_open(inst, {});
  const bool cover = opt.problem == SitingProblem::Mclp || opt.problem == SitingProblem::Lscp;
  auto within = [&](ISeconds v) { return opt.standard >= 0 && v != UNREACHABLE && v <= opt.standard; };
  auto capped = [&](ISeconds v) { return v == UNREACHABLE ? M : std::min<std::int64_t>(v, M); };
  std::vector<std::uint8_t> used(chosen.size(), 0);
  std::vector<MarginalRow> rows;
  std::vector<core::Id> order;
  for (std::size_t step = 0; step < chosen.size(); ++step) {
    std::size_t bq = chosen.size();
    std::int64_t bv = -1;
    for (std::size_t q = 0; q < chosen.size(); ++q) {
      if (used[q]) continue;
      std::int64_t v = 0;
      for (const auto& [i, ti] : col[q]) {
        if (cover) {
          if (within(ti) && !within(cur[i]))
            v += opt.problem == SitingProblem::Mclp ? wp[i] : inst.population[i];
        } else if (capped(ti) < capped(cur[i])) {
          v += inst.population[i] * (capped(cur[i]) - capped(ti));
        }
      }
      if (v > bv) {
        bv = v;
        bq = q;
      }
    }
    used[bq] = 1;
    MarginalRow row;
    row.candidate = chosen[bq];
    for (const auto& [i, ti] : col[bq]) {
      if (within(ti) && !within(cur[i])) {
        row.added_population += inst.population[i];
        row.added_weighted += wp[i];
      }
      if (cur[i] == UNREACHABLE || ti < cur[i]) cur[i] = ti;
    }
    std::int64_t obj = 0;
    for (std::size_t i = 0; i < n; ++i) {
      switch (opt.problem) {
        case SitingProblem::Mclp:
          obj += within(cur[i]) ? wp[i] : 0;
          break;
        case SitingProblem::Lscp:
          obj += within(cur[i]) ? inst.population[i] : 0;
          break;
        case SitingProblem::PMedian:
          obj += inst.population[i] * capped(cur[i]);
          break;
        case SitingProblem::PCenter:
          if (counts_for_center(inst, i)) obj = std::max(obj, capped(cur[i]));
          break;
      }
    }
    row.objective_after = obj;
    rows.push_back(row);
    order.push_back(chosen[bq]);
  }
  chosen = order;
  return rows;
}

/// False when no candidate's capacity is below the people who could ever be assigned to it
/// (within the standard for MCLP, below the unreachable cost for p-median): the capacitated
/// problem is then the uncapacitated one, site set by site set.
bool capacities_bind(const SitingInstance& inst, const SitingOptions& opt) {
  const CostMatrix& t = inst.times;
  const std::int64_t M = resolve_unreachable(inst, opt);
  std::vector<std::int64_t> reach(t.cols, 0);
  for (std::size_t i = 0; i < t.rows; ++i) {
    if (inst.population[i] <= 0) continue;
    for (std::uint32_t k = t.offsets[i]; k < t.offsets[i + 1]; ++k) {
      if (opt.problem == SitingProblem::Mclp ? t.time[k] > opt.standard : t.time[k] >= M) break;
      reach[t.cand[k]] += inst.population[i];
    }
  }
  for (std::size_t j = 0; j < t.cols; ++j)
    if (inst.capacity[j] < reach[j]) return true;
  return false;
}

}  // namespace

std::int64_t evaluate_sites(const SitingInstance& inst, const SitingOptions& opt,
                            const std::vector<core::Id>& new_sites) {
  if (opt.problem == SitingProblem::Lscp) return static_cast<std::int64_t>(new_sites.size());
  if (!inst.capacity.empty() && capacities_apply(opt.problem))
    return detail::capacitated_objective(inst, opt, new_sites);
  const std::vector<ISeconds> near = nearest_open(inst, new_sites);
  const std::int64_t M = resolve_unreachable(inst, opt);
  std::int64_t v = 0;
  for (std::size_t i = 0; i < near.size(); ++i) {
    const std::int64_t t = near[i] == UNREACHABLE ? M : std::min<std::int64_t>(near[i], M);
    switch (opt.problem) {
      case SitingProblem::PMedian:
        v += inst.population[i] * t;
        break;
      case SitingProblem::PCenter:
        if (counts_for_center(inst, i)) v = std::max(v, t);
        break;
      case SitingProblem::Mclp:
        if (near[i] != UNREACHABLE && near[i] <= opt.standard)
          v += inst.population[i] * (inst.priority.empty() ? PRIORITY_SCALE : inst.priority[i]);
        break;
      case SitingProblem::Lscp:
        break;
    }
  }
  return v;
}

namespace detail {
void fill_common(const SitingInstance& inst, const SitingOptions& opt, SitingResult& r) {
  r.problem = opt.problem;
  const std::vector<ISeconds> before = nearest_open(inst, {});
  const std::vector<ISeconds> after = nearest_open(inst, r.chosen);
  r.total_population = r.covered_population = r.covered_weighted = r.covered_before = r.unserved_demands = 0;
  r.uncoverable.clear();
  const CostMatrix& t = inst.times;
  for (std::size_t i = 0; i < t.rows; ++i) {
    const std::int64_t pop = inst.population[i];
    r.total_population += pop;
    if (pop > 0 && after[i] == UNREACHABLE) ++r.unserved_demands;
    if (opt.standard < 0) continue;
    if (after[i] != UNREACHABLE && after[i] <= opt.standard) {
      r.covered_population += pop;
      r.covered_weighted += pop * (inst.priority.empty() ? PRIORITY_SCALE : inst.priority[i]);
    }
    if (before[i] != UNREACHABLE && before[i] <= opt.standard) r.covered_before += pop;
    const ISeconds best = t.offsets[i] < t.offsets[i + 1] ? t.time[t.offsets[i]] : UNREACHABLE;
    if (pop > 0 && (best == UNREACHABLE || best > opt.standard))
      r.uncoverable.push_back({static_cast<core::Id>(i), pop, best});
  }
  if (!inst.capacity.empty() && capacities_apply(opt.problem)) {
    if (opt.standard >= 0) {
      const CapacitatedCover now = capacitated_cover(inst, opt.standard, r.chosen);
      r.covered_population = now.people;
      r.covered_weighted = now.weighted;
      r.covered_before = capacitated_cover(inst, opt.standard, {}).people;
    }
    r.marginal = capacitated_marginal_table(inst, opt, r.chosen);
  } else {
    r.marginal = marginal_table(inst, opt, r.chosen);
  }
  r.gap_percent = gap_of(static_cast<double>(r.objective), r.bound);
}
}  // namespace detail

SitingResult solve_siting(const SitingInstance& inst, const SitingOptions& opt) {
  const std::vector<std::string> bad = validate(inst);
  if (!bad.empty()) throw std::invalid_argument(bad.front());
  if ((opt.problem == SitingProblem::Lscp || opt.problem == SitingProblem::Mclp) && opt.standard < 0)
    throw std::invalid_argument(std::string(problem_name(opt.problem)) +
                                " needs a service standard (seconds)");
  if (opt.budget < 0 && opt.p < 0) throw std::invalid_argument("p must be >= 0");
  if (!inst.capacity.empty() && !capacities_apply(opt.problem))
    throw std::invalid_argument(CAPACITY_PROBLEMS);
  if (opt.exact) return solve_siting_exact(inst, opt);
  const auto t0 = Clock::now();
  Solved s;
  const bool capacitated = !inst.capacity.empty() && capacities_bind(inst, opt);
  if (capacitated) {
    const detail::CapacitatedAnswer a = detail::solve_capacitated(inst, opt);
    s.chosen = a.chosen;
    s.objective = a.objective;
    s.bound = a.bound;
    s.proven = a.proven;
    s.method = a.method;
    if (!a.feasible) s.status = SolveStatus::Infeasible;
  } else {
    switch (opt.problem) {
      case SitingProblem::Lscp:
        s = solve_lscp(inst, opt);
        break;
      case SitingProblem::Mclp:
        s = solve_mclp(inst, opt);
        break;
      case SitingProblem::PMedian:
        s = solve_pmedian(inst, opt);
        break;
      case SitingProblem::PCenter:
        s = solve_pcenter(inst, opt);
        break;
    }
  }
  if (!inst.capacity.empty() && !capacitated) s.method += " (capacities never bind: uncapacitated solver)";
  SitingResult r;
  r.chosen = s.chosen;
  r.objective = s.objective;
  r.bound = s.bound;
  r.proven_optimal = s.proven;
  r.status = (opt.cancel && opt.cancel->load()) ? SolveStatus::Cancelled : s.status;
  r.method = s.method;
  detail::fill_common(inst, opt, r);
  r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return r;
}

}  // namespace kepumap::optimize
