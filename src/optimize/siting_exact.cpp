// Exact siting through GLPK's MIP solver (the textbook models, as spopt states them):
//   p-median / capacitated: assignment x_ij <= y_j with an "unserved" option u_i;
//   MCLP / LSCP: compact covering model u_i + sum_{j covers i} y_j >= 1;
//   p-center: the smallest radius whose exact set-covering MIP needs at most p sites.
#include <glpk.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <stdexcept>

#include "optimize/siting.hpp"
#include "optimize/siting_core.hpp"

namespace kepumap::optimize {

namespace {

using Clock = std::chrono::steady_clock;

struct ProbDeleter {
  void operator()(glp_prob* p) const { glp_delete_prob(p); }
};
using Prob = std::unique_ptr<glp_prob, ProbDeleter>;

/// Row builder: collects the constraint matrix as triples (GLPK's 1-based arrays).
struct Model {
  Prob lp{glp_create_prob()};
  std::vector<int> ia{0}, ja{0};
  std::vector<double> ar{0.0};
  int add_col(double lo, double hi, double obj, bool integer) {
    const int j = glp_add_cols(lp.get(), 1);
    if (lo == hi)
      glp_set_col_bnds(lp.get(), j, GLP_FX, lo, hi);
    else
      glp_set_col_bnds(lp.get(), j, GLP_DB, lo, hi);
    glp_set_obj_coef(lp.get(), j, obj);
    if (integer) glp_set_col_kind(lp.get(), j, GLP_IV);
    return j;
  }
  int add_row(int type, double lo, double hi) {
    const int r = glp_add_rows(lp.get(), 1);
    glp_set_row_bnds(lp.get(), r, type, lo, hi);
    return r;
  }
  void set(int r, int c, double v) {
    ia.push_back(r);
    ja.push_back(c);
    ar.push_back(v);
  }
  void load() { glp_load_matrix(lp.get(), static_cast<int>(ia.size()) - 1, ia.data(), ja.data(), ar.data()); }
};

struct MipOutcome {
  bool have_solution = false;
  bool optimal = false;
  double objective = 0.0;   ///< incumbent, in the model's (minimisation) units
  double bound = 0.0;       ///< best lower bound known
  std::vector<double> col;  ///< column values (1-based; [0] unused)
};

struct CallbackInfo {
  double bound = -HUGE_VAL;
  const std::atomic<bool>* cancel = nullptr;
};

void mip_callback(glp_tree* tree, void* info) {
  auto* ci = static_cast<CallbackInfo*>(info);
  const int reason = glp_ios_reason(tree);
  if (reason == GLP_ISELECT || reason == GLP_IBINGO || reason == GLP_IROWGEN) {
    const int node = glp_ios_best_node(tree);
    if (node != 0) ci->bound = std::max(ci->bound, glp_ios_node_bound(tree, node));
  }
  if (ci->cancel && ci->cancel->load()) glp_ios_terminate(tree);
}

/// Solves a minimisation model within the time limit (seconds); lp_only: the LP relaxation only
/// (its optimum is `bound`; no solution).
MipOutcome run_mip(Model& mdl, double seconds, const std::atomic<bool>* cancel, bool lp_only = false) {
  MipOutcome out;
  glp_set_obj_dir(mdl.lp.get(), GLP_MIN);
  mdl.load();
  const auto t0 = Clock::now();
  auto left_ms = [&]() {
    const double used = std::chrono::duration<double>(Clock::now() - t0).count();
    return static_cast<int>(std::max(1.0, (seconds - used) * 1000.0));
  };
  glp_smcp sp;
  glp_init_smcp(&sp);
  sp.msg_lev = GLP_MSG_OFF;
  sp.tm_lim = left_ms();
  sp.meth = GLP_DUALP;  // covering and assignment LPs: the dual simplex is far quicker here
  sp.presolve = GLP_ON;
  const int ncols = glp_get_num_cols(mdl.lp.get());
  out.col.assign(static_cast<std::size_t>(ncols) + 1, 0.0);
  if (glp_simplex(mdl.lp.get(), &sp) != 0 || glp_get_status(mdl.lp.get()) != GLP_OPT) {
    out.bound = -HUGE_VAL;  // LP relaxation not solved in time: no bound
    return out;
  }
  out.bound = glp_get_obj_val(mdl.lp.get());
  if (lp_only) return out;
  CallbackInfo ci;
  ci.bound = out.bound;
  ci.cancel = cancel;
  glp_iocp ip;
  glp_init_iocp(&ip);
  ip.msg_lev = GLP_MSG_OFF;
  ip.tm_lim = left_ms();
  ip.cb_func = mip_callback;
  ip.cb_info = &ci;
  ip.mip_gap = 0.0;
  const int rc = glp_intopt(mdl.lp.get(), &ip);
  const int st = glp_mip_status(mdl.lp.get());
  out.have_solution = st == GLP_OPT || st == GLP_FEAS;
  out.optimal = rc == 0 && st == GLP_OPT;
  if (out.have_solution) {
    out.objective = glp_mip_obj_val(mdl.lp.get());
    for (int j = 1; j <= ncols; ++j) out.col[static_cast<std::size_t>(j)] = glp_mip_col_val(mdl.lp.get(), j);
  }
  out.bound = out.optimal ? out.objective : ci.bound;
  return out;
}

/// The site-choice part shared by every model: y_j columns, p or budget, groups.
struct SiteCols {
  std::vector<int> ycol;  ///< per candidate: column of y_j, 0 when fixed or not allowed
};

SiteCols add_sites(Model& mdl, const detail::Core& c, bool count_row, bool objective_is_count) {
  SiteCols s;
  s.ycol.assign(c.m, 0);
  for (std::size_t j = 0; j < c.m; ++j)
    if (c.allowed[j]) s.ycol[j] = mdl.add_col(0.0, 1.0, objective_is_count ? 1.0 : 0.0, true);
  if (count_row) {
    if (c.budget >= 0) {
      const int r = mdl.add_row(GLP_UP, 0.0, static_cast<double>(c.budget));
      for (std::size_t j = 0; j < c.m; ++j)
        if (s.ycol[j]) mdl.set(r, s.ycol[j], static_cast<double>(c.cost[j]));
    } else {
      const int r = mdl.add_row(GLP_UP, 0.0, static_cast<double>(c.p));
      for (std::size_t j = 0; j < c.m; ++j)
        if (s.ycol[j]) mdl.set(r, s.ycol[j], 1.0);
    }
  }
  if (c.one_per_group && c.num_groups > 0) {
    std::vector<std::uint8_t> has(c.num_groups, 0), present(c.num_groups, 0);
    for (std::size_t j = 0; j < c.m; ++j) {
      if (c.group[j] == core::INVALID_ID) continue;
      present[c.group[j]] = 1;
      if (c.fixed[j]) has[c.group[j]] = 1;
    }
    for (std::size_t g = 0; g < c.num_groups; ++g) {
      if (!present[g] || has[g]) continue;
      const int r = mdl.add_row(GLP_LO, 1.0, 0.0);
      for (std::size_t j = 0; j < c.m; ++j)
        if (c.group[j] == g && s.ycol[j]) mdl.set(r, s.ycol[j], 1.0);
    }
  }
  return s;
}

std::vector<core::Id> chosen_from(const MipOutcome& o, const SiteCols& s) {
  std::vector<core::Id> v;
  if (!o.have_solution) return v;
  for (std::size_t j = 0; j < s.ycol.size(); ++j)
    if (s.ycol[j] && o.col[static_cast<std::size_t>(s.ycol[j])] > 0.5) v.push_back(static_cast<core::Id>(j));
  return v;
}

/// Median core with optional capacities: min sum_i w_i (sum_j c_ij x_ij + M u_i).
MipOutcome median_model(const SitingInstance& inst, const detail::Core& c, double seconds,
                        const std::atomic<bool>* cancel, std::vector<core::Id>& chosen,
                        bool lp_only = false) {
  Model mdl;
  const SiteCols s = add_sites(mdl, c, true, false);
  const bool cap = !inst.capacity.empty();
  std::vector<int> cap_row(c.m, 0);
  if (cap)
    for (std::size_t j = 0; j < c.m; ++j) {
      if (!c.fixed[j] && !c.allowed[j]) continue;
      const double capj = static_cast<double>(inst.capacity[j]);
      if (c.fixed[j]) {
        cap_row[j] = mdl.add_row(GLP_UP, 0.0, capj);
      } else {
        cap_row[j] = mdl.add_row(GLP_UP, 0.0, 0.0);
        mdl.set(cap_row[j], s.ycol[j], -capj);
      }
    }
  for (std::size_t i = 0; i < c.n; ++i) {
    const double wi = static_cast<double>(c.w[i]);
    const double pop = static_cast<double>(inst.population[c.demand_index[i]]);
    const int assign = mdl.add_row(GLP_FX, 1.0, 1.0);
    const int u = mdl.add_col(0.0, 1.0, wi * static_cast<double>(c.M), false);
    mdl.set(assign, u, 1.0);
    for (std::uint32_t k = c.roff[i]; k < c.roff[i + 1]; ++k) {
      const std::size_t j = c.rcand[k];
      if (!c.fixed[j] && !c.allowed[j]) continue;
      const int x = mdl.add_col(0.0, 1.0, wi * static_cast<double>(c.rcost[k]), false);
      mdl.set(assign, x, 1.0);
      if (!c.fixed[j]) {
        const int link = mdl.add_row(GLP_UP, 0.0, 0.0);  // x_ij - y_j <= 0
        mdl.set(link, x, 1.0);
        mdl.set(link, s.ycol[j], -1.0);
      }
      if (cap) mdl.set(cap_row[j], x, pop);
    }
  }
  MipOutcome o = run_mip(mdl, seconds, cancel, lp_only);
  chosen = chosen_from(o, s);
  return o;
}

/// Compact covering core (c_ij = 0 entries only): min sum_i w_i u_i or, for LSCP, min sum y_j
/// with sum_i w_i u_i <= allowed.
MipOutcome covering_model(const detail::Core& c, bool lscp, std::int64_t allowed, double seconds,
                          const std::atomic<bool>* cancel, std::vector<core::Id>& chosen) {
  Model mdl;
  const SiteCols s = add_sites(mdl, c, !lscp, lscp);
  int budget_row = 0;
  if (lscp) budget_row = mdl.add_row(GLP_UP, 0.0, static_cast<double>(allowed));
  for (std::size_t i = 0; i < c.n; ++i) {
    bool by_fixed = false;
    for (std::uint32_t k = c.roff[i]; k < c.roff[i + 1]; ++k) by_fixed = by_fixed || c.fixed[c.rcand[k]];
    if (by_fixed) continue;
    const double wi = static_cast<double>(c.w[i]);
    const int u = mdl.add_col(0.0, 1.0, lscp ? 0.0 : wi, false);
    if (lscp) mdl.set(budget_row, u, wi);
    const int r = mdl.add_row(GLP_LO, 1.0, 0.0);
    mdl.set(r, u, 1.0);
    for (std::uint32_t k = c.roff[i]; k < c.roff[i + 1]; ++k)
      if (c.allowed[c.rcand[k]]) mdl.set(r, s.ycol[c.rcand[k]], 1.0);
  }
  MipOutcome o = run_mip(mdl, seconds, cancel);
  chosen = chosen_from(o, s);
  return o;
}

}  // namespace

double detail::capacitated_lp_bound(const SitingInstance& inst, const detail::Core& c, double seconds,
                                    const std::atomic<bool>* cancel) {
  glp_term_out(GLP_OFF);
  std::vector<core::Id> unused;
  const MipOutcome o = median_model(inst, c, seconds, cancel, unused, true);
  return o.bound;
}

SitingResult solve_siting_exact(const SitingInstance& inst, const SitingOptions& opt) {
  const std::vector<std::string> bad = validate(inst);
  if (!bad.empty()) throw std::invalid_argument(bad.front());
  if ((opt.problem == SitingProblem::Lscp || opt.problem == SitingProblem::Mclp) && opt.standard < 0)
    throw std::invalid_argument(std::string(problem_name(opt.problem)) +
                                " needs a service standard (seconds)");
  if (!inst.capacity.empty() && !capacities_apply(opt.problem))
    throw std::invalid_argument(CAPACITY_PROBLEMS);
  glp_term_out(GLP_OFF);
  const auto t0 = Clock::now();
  auto left = [&]() { return opt.time_limit_s - std::chrono::duration<double>(Clock::now() - t0).count(); };
  SitingResult r;
  r.problem = opt.problem;
  r.method = "GLPK branch and cut (exact MIP)";
  std::int64_t M = opt.unreachable_cost;
  if (M <= 0) {
    M = 0;
    for (core::ISeconds v : inst.times.time) M = std::max<std::int64_t>(M, v);
    M += 1;
  }
  std::vector<std::int64_t> pop = inst.population, wp(inst.population.size());
  for (std::size_t i = 0; i < wp.size(); ++i)
    wp[i] = inst.population[i] * (inst.priority.empty() ? PRIORITY_SCALE : inst.priority[i]);
  bool timed_out = false;
  switch (opt.problem) {
    case SitingProblem::PMedian: {
      const detail::Core c = detail::make_core(inst, opt, pop, -1, M);
      const MipOutcome o = median_model(inst, c, opt.time_limit_s, opt.cancel, r.chosen);
      timed_out = !o.optimal;
      r.objective = o.have_solution ? evaluate_sites(inst, opt, r.chosen) : 0;
      if (!inst.capacity.empty() && o.have_solution)
        r.objective = std::llround(o.objective);  // capacitated assignment
      r.bound = std::isfinite(o.bound) ? static_cast<double>(detail::ceil_bound(o.bound)) : 0.0;
      if (!o.have_solution) r.status = SolveStatus::NoSolution;
      break;
    }
    case SitingProblem::Mclp: {
      std::int64_t total = 0;
      for (std::int64_t v : wp) total += v;
      const detail::Core c = detail::make_core(inst, opt, wp, opt.standard, 1);
      const MipOutcome o = inst.capacity.empty()
                               ? covering_model(c, false, 0, opt.time_limit_s, opt.cancel, r.chosen)
                               : median_model(inst, c, opt.time_limit_s, opt.cancel, r.chosen);
      timed_out = !o.optimal;
      r.objective = o.have_solution ? evaluate_sites(inst, opt, r.chosen) : 0;
      if (!inst.capacity.empty() && o.have_solution)
        r.objective = total - static_cast<std::int64_t>(std::llround(o.objective));  // served within capacity
      r.bound = std::isfinite(o.bound) ? static_cast<double>(total - detail::ceil_bound(o.bound))
                                       : static_cast<double>(total);
      if (!o.have_solution) r.status = SolveStatus::NoSolution;
      break;
    }
    case SitingProblem::Lscp: {
      std::int64_t total = 0, coverable = 0;
      const CostMatrix& t = inst.times;
      for (std::size_t i = 0; i < pop.size(); ++i) {
        total += pop[i];
        if (t.offsets[i] < t.offsets[i + 1] && t.time[t.offsets[i]] <= opt.standard) coverable += pop[i];
      }
      std::int64_t target =
          static_cast<std::int64_t>(std::ceil(opt.target_share * static_cast<double>(total) - 1e-9));
      target = std::clamp<std::int64_t>(target, 0, total);
      if (target > coverable) {
        r.status = SolveStatus::Infeasible;
        target = coverable;
      }
      SitingOptions o2 = opt;
      o2.budget = -1;
      const detail::Core c = detail::make_core(inst, o2, pop, opt.standard, 1);
      const MipOutcome o = covering_model(c, true, total - target, opt.time_limit_s, opt.cancel, r.chosen);
      timed_out = !o.optimal;
      r.objective = static_cast<std::int64_t>(r.chosen.size());
      r.bound = std::isfinite(o.bound) ? static_cast<double>(detail::ceil_bound(o.bound)) : 0.0;
      if (!o.have_solution) r.status = SolveStatus::NoSolution;
      break;
    }
    case SitingProblem::PCenter: {
      // Radii: every distinct time, plus M (always feasible: everyone pays M).
      std::vector<std::int64_t> radii(inst.times.time.begin(), inst.times.time.end());
      radii.push_back(M);
      std::sort(radii.begin(), radii.end());
      radii.erase(std::unique(radii.begin(), radii.end()), radii.end());
      radii.erase(std::remove_if(radii.begin(), radii.end(), [&](std::int64_t v) { return v > M; }),
                  radii.end());
      std::vector<std::int64_t> w(pop.size());
      for (std::size_t i = 0; i < w.size(); ++i)
        w[i] = pop[i] > 0 && inst.times.offsets[i] < inst.times.offsets[i + 1] ? 1 : 0;  // as the heuristic
      // feasible(q): the exact covering MIP at radii[q] needs at most p new sites.
      std::size_t lo = 0, hi = radii.size() - 1, proven_below = 0;
      std::vector<core::Id> best;
      bool have = false;
      while (lo < hi) {
        const std::size_t mid = (lo + hi) / 2;
        const detail::Core c = detail::make_core(inst, opt, w, radii[mid], 1);
        std::vector<core::Id> sites;
        const MipOutcome o = covering_model(c, false, 0, std::max(0.5, left()), opt.cancel, sites);
        if (o.have_solution && o.objective < 0.5) {
          hi = mid;
          best = sites;
          have = true;
        } else if (o.optimal || (std::isfinite(o.bound) && o.bound > 1e-6)) {
          lo = mid + 1;
          proven_below = lo;
        } else {
          timed_out = true;
          lo = mid + 1;
        }
        if (left() <= 0) {
          timed_out = true;
          break;
        }
      }
      if (!have) {
        // The largest radius: everyone reachable at M; any p sites do.
        const detail::Core c = detail::make_core(inst, opt, w, radii[hi], 1);
        std::vector<core::Id> sites;
        const MipOutcome o = covering_model(c, false, 0, std::max(0.5, left()), opt.cancel, sites);
        best = sites;
        if (!o.have_solution) r.status = SolveStatus::NoSolution;
      }
      r.chosen = best;
      r.objective = evaluate_sites(inst, opt, r.chosen);
      r.bound = static_cast<double>(radii[std::min(proven_below, radii.size() - 1)]);
      break;
    }
  }
  if (r.status == SolveStatus::Unset) r.status = timed_out ? SolveStatus::TimeLimit : SolveStatus::Optimal;
  if (opt.cancel && opt.cancel->load()) r.status = SolveStatus::Cancelled;
  r.proven_optimal = r.status == SolveStatus::Optimal;
  if (r.proven_optimal) r.bound = static_cast<double>(r.objective);
  detail::fill_common(inst, opt, r);
  if (r.status == SolveStatus::NoSolution) r.gap_percent = 100.0;  // nothing to compare
  r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return r;
}

}  // namespace kepumap::optimize
