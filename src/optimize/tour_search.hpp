#pragma once
// Generic vehicle-routing search shared by the Solomon VRPTW and the caravan model:
// construction by regret-2 insertion, ruin (adjacent string removal) and recreate (greedy
// insertion with blinks) under simulated annealing, and a local search (relocate / Or-opt,
// exchange, 2-opt*, cross-exchange, intra-route 2-opt) applied to every new best solution.
// Deterministic for a given seed and iteration budget.
//
// A Model provides (all costs int64 in the model's integer unit):
//   const std::vector<int>& customers() const;      node ids to serve
//   int max_routes() const;                          routes allowed at once
//   const std::vector<int>& neighbours(int c) const; other customers, nearest first
//   std::int64_t absent_penalty(int c) const;        cost of leaving c unserved
//   std::int64_t depot_cost(int c) const;            distance from the depot (recreate order)
//   std::int64_t weight(int c) const;                "demand" (recreate order)
//   bool route_cost(const std::vector<int>& r, std::int64_t& cost) const;  full check; empty = 0
//   struct Cache; void build(const std::vector<int>& r, Cache&) const;
//   bool insertion(const std::vector<int>& r, const Cache&, int pos, int c, std::int64_t bound,
//                  std::int64_t& delta) const;   false if infeasible (or, optionally, delta >= bound)
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

#include "optimize/tour_rng.hpp"

namespace kepumap::optimize::detail {

/// Budget and annealing settings of the search.
struct SearchSettings {
  std::uint64_t seed = 1;
  int iterations = 20000;
  double t_start = 10.0;  ///< annealing temperature at the start, in cost units
  double t_end = 0.1;     ///< at the end
  int avg_removed = 10;   ///< SISR c-bar: customers removed per ruin on average
  int max_string = 10;    ///< SISR L-max: longest removed string
  double blink = 0.01;    ///< probability to skip an insertion position
  bool local_search = true;
  int ls_neighbours = 15;  ///< neighbours tried per customer in the local search
  /// When given and true, the search stops after the current iteration (the best so far is returned).
  const std::atomic<bool>* cancel = nullptr;
};

/// Routes of customer node ids (depot implicit at both ends) and the customers left out.
struct RoutingSolution {
  std::vector<std::vector<int>> routes;
  std::vector<int> absent;
  std::int64_t cost = 0;  ///< route costs + absent penalties
};

template <class Model>
class RoutingSearch {
 public:
  RoutingSearch(const Model& model, const SearchSettings& s) : m_model(model), m_s(s), m_rng(s.seed) {
    int maxid = 0;
    for (int c : model.customers()) maxid = std::max(maxid, c);
    m_route_of.assign(static_cast<std::size_t>(maxid) + 1, -1);
    m_pos_of.assign(static_cast<std::size_t>(maxid) + 1, -1);
  }

  RoutingSolution run() {
    State cur;
    construct_regret(cur);
    cur.cost = total(cur);
    if (m_s.local_search) local_search(cur);
    State best = cur;
    const int iters = m_s.iterations;
    int last_ls = 0;
    for (int it = 0; it < iters; ++it) {
      if (m_s.cancel && m_s.cancel->load(std::memory_order_relaxed)) break;
      const double frac = iters > 1 ? static_cast<double>(it) / (iters - 1) : 1.0;
      const double temp = m_s.t_start * std::pow(m_s.t_end / m_s.t_start, frac);
      State cand = cur;
      std::vector<int> removed = ruin(cand);
      removed.insert(removed.end(), cand.absent.begin(), cand.absent.end());
      cand.absent.clear();
      recreate(cand, removed, m_rng.below(11));
      cand.cost = total(cand);
      const double u = std::max(m_rng.uniform(), 1e-300);
      if (static_cast<double>(cand.cost) < static_cast<double>(cur.cost) - temp * std::log(u)) {
        if (cand.cost < best.cost) {
          // Local search on new bests, at most once per 1 % of the budget (it is the costly part).
          if (m_s.local_search && it - last_ls >= iters / 100) {
            local_search(cand);
            last_ls = it;
          }
          best = cand;
        }
        cur = std::move(cand);
      }
    }
    if (m_s.local_search) {
      local_search(best);
    }
    RoutingSolution out;
    for (auto& r : best.routes)
      if (!r.empty()) out.routes.push_back(r);
    out.absent = best.absent;
    std::sort(out.absent.begin(), out.absent.end());
    out.cost = best.cost;
    return out;
  }

 private:
  using Cache = typename Model::Cache;
  struct State {
    std::vector<std::vector<int>> routes;
    std::vector<Cache> caches;
    std::vector<std::int64_t> rcost;
    std::vector<int> absent;
    std::int64_t cost = 0;
  };

  std::int64_t total(const State& st) const {
    std::int64_t c = 0;
    for (auto x : st.rcost) c += x;
    for (int a : st.absent) c += m_model.absent_penalty(a);
    return c;
  }

  void refresh(State& st, std::size_t r) {
    m_model.build(st.routes[r], st.caches[r]);
    std::int64_t c = 0;
    m_model.route_cost(st.routes[r], c);
    st.rcost[r] = c;
  }

  void drop_empty(State& st) {
    std::size_t w = 0;
    for (std::size_t r = 0; r < st.routes.size(); ++r)
      if (!st.routes[r].empty()) {
        if (w != r) {
          st.routes[w] = std::move(st.routes[r]);
          st.caches[w] = std::move(st.caches[r]);
          st.rcost[w] = st.rcost[r];
        }
        ++w;
      }
    st.routes.resize(w);
    st.caches.resize(w);
    st.rcost.resize(w);
  }

  void index(const State& st) {
    for (std::size_t r = 0; r < st.routes.size(); ++r)
      for (std::size_t i = 0; i < st.routes[r].size(); ++i) {
        m_route_of[static_cast<std::size_t>(st.routes[r][i])] = static_cast<int>(r);
        m_pos_of[static_cast<std::size_t>(st.routes[r][i])] = static_cast<int>(i);
      }
    for (int a : st.absent) m_route_of[static_cast<std::size_t>(a)] = -1;
  }

  // ---- ruin: adjacent string removal (SISR) ----
  std::vector<int> ruin(State& st) {
    std::vector<int> removed;
    if (st.routes.empty()) return removed;
    index(st);
    std::size_t served = 0, nonempty = 0;
    for (auto& r : st.routes)
      if (!r.empty()) {
        served += r.size();
        ++nonempty;
      }
    if (served == 0) return removed;
    const double avg_len = static_cast<double>(served) / static_cast<double>(nonempty);
    const double ls_max = std::min(static_cast<double>(m_s.max_string), avg_len);
    const double ks_max = 4.0 * m_s.avg_removed / (1.0 + ls_max) - 1.0;
    const int ks = static_cast<int>(std::floor(m_rng.uniform() * ks_max + 1.0));
    const auto& custs = m_model.customers();
    int seed = custs[static_cast<std::size_t>(m_rng.below(static_cast<int>(custs.size())))];
    for (int tries = 0; tries < 10 && m_route_of[static_cast<std::size_t>(seed)] < 0; ++tries)
      seed = custs[static_cast<std::size_t>(m_rng.below(static_cast<int>(custs.size())))];
    std::vector<char> ruined(st.routes.size(), 0);
    int done = 0;
    auto visit = [&](int c) {
      const int r = m_route_of[static_cast<std::size_t>(c)];
      if (r < 0 || ruined[static_cast<std::size_t>(r)] || done >= ks) return;
      auto& route = st.routes[static_cast<std::size_t>(r)];
      const int len = static_cast<int>(route.size());
      const int lmax = static_cast<int>(std::min(static_cast<double>(len), ls_max));
      const int l = 1 + m_rng.below(std::max(1, lmax));
      int pc = static_cast<int>(std::find(route.begin(), route.end(), c) - route.begin());
      std::vector<char> drop(static_cast<std::size_t>(len), 0);
      if (m_rng.below(2) == 0 || l >= len) {
        const int lo = std::max(0, pc - l + 1), hi = std::min(pc, len - l);
        const int start = lo + m_rng.below(hi - lo + 1);
        for (int i = start; i < start + l; ++i) drop[static_cast<std::size_t>(i)] = 1;
      } else {  // split string: a window of l+m with m kept in the middle
        int mkeep = 1;
        while (l + mkeep < len && m_rng.uniform() > 0.5) ++mkeep;
        const int w = l + mkeep;
        const int lo = std::max(0, pc - w + 1), hi = std::min(pc, len - w);
        const int start = lo + m_rng.below(hi - lo + 1);
        const int keep_at = start + m_rng.below(w - mkeep + 1);
        for (int i = start; i < start + w; ++i)
          if (i < keep_at || i >= keep_at + mkeep) drop[static_cast<std::size_t>(i)] = 1;
      }
      std::vector<int> kept;
      for (int i = 0; i < len; ++i)
        (drop[static_cast<std::size_t>(i)] ? removed : kept).push_back(route[static_cast<std::size_t>(i)]);
      route.swap(kept);
      ruined[static_cast<std::size_t>(r)] = 1;
      ++done;
    };
    visit(seed);
    for (int c : m_model.neighbours(seed)) {
      if (done >= ks) break;
      visit(c);
    }
    for (std::size_t r = 0; r < st.routes.size(); ++r) {
      if (!ruined[r]) continue;
      // Removal can break a route in some models (a stop it slept at is gone): empty it then.
      std::int64_t c = 0;
      if (!eval(st.routes[r], c)) {
        removed.insert(removed.end(), st.routes[r].begin(), st.routes[r].end());
        st.routes[r].clear();
      }
      refresh(st, r);
    }
    drop_empty(st);
    return removed;
  }

  // ---- recreate: greedy insertion with blinks ----
  void recreate(State& st, std::vector<int>& todo, int order) {
    // Shuffle first so ties in the sort keys are broken randomly.
    for (std::size_t i = todo.size(); i > 1; --i)
      std::swap(todo[i - 1], todo[static_cast<std::size_t>(m_rng.below(static_cast<int>(i)))]);
    if (order < 4) {
      // random
    } else if (order < 8) {
      std::stable_sort(todo.begin(), todo.end(),
                       [&](int a, int b) { return m_model.weight(a) > m_model.weight(b); });
    } else if (order < 10) {
      std::stable_sort(todo.begin(), todo.end(),
                       [&](int a, int b) { return m_model.depot_cost(a) > m_model.depot_cost(b); });
    } else {
      std::stable_sort(todo.begin(), todo.end(),
                       [&](int a, int b) { return m_model.depot_cost(a) < m_model.depot_cost(b); });
    }
    for (int c : todo) {
      std::int64_t best = 0;
      int br = -1, bp = -1;
      for (std::size_t r = 0; r < st.routes.size(); ++r) {
        const int len = static_cast<int>(st.routes[r].size());
        for (int p = 0; p <= len; ++p) {
          if (m_s.blink > 0 && m_rng.uniform() < m_s.blink) continue;
          std::int64_t d = 0;
          const std::int64_t bound = br < 0 ? INT64_MAX : best;
          if (!m_model.insertion(st.routes[r], st.caches[r], p, c, bound, d)) continue;
          if (br < 0 || d < best) {
            best = d;
            br = static_cast<int>(r);
            bp = p;
          }
        }
      }
      if (static_cast<int>(st.routes.size()) < m_model.max_routes()) {
        std::vector<int> single{c};
        std::int64_t d = 0;
        if (m_model.route_cost(single, d) && (br < 0 || d < best)) {
          best = d;
          br = static_cast<int>(st.routes.size());
          bp = 0;
        }
      }
      if (br < 0) {
        st.absent.push_back(c);
        continue;
      }
      if (br == static_cast<int>(st.routes.size())) {
        st.routes.emplace_back();
        st.caches.emplace_back();
        st.rcost.push_back(0);
      }
      auto& route = st.routes[static_cast<std::size_t>(br)];
      route.insert(route.begin() + bp, c);
      refresh(st, static_cast<std::size_t>(br));
    }
  }

  // ---- construction: regret-2 insertion ----
  /// Best insertion delta of c into route r (INT64_MAX if none fits).
  std::int64_t best_insert(const State& st, std::size_t r, int c, int* pos) const {
    std::int64_t best = INT64_MAX;
    const int len = static_cast<int>(st.routes[r].size());
    for (int p = 0; p <= len; ++p) {
      std::int64_t d = 0;
      if (!m_model.insertion(st.routes[r], st.caches[r], p, c, best, d)) continue;
      if (d < best) {
        best = d;
        if (pos) *pos = p;
      }
    }
    return best;
  }

  /// Repeatedly inserts the customer whose best place beats its second-best place (another
  /// route, or a new route) by the most, at its best place. Table of best deltas per customer and
  /// route, updated only for the route that changed.
  void construct_regret(State& st) {
    std::vector<int> todo = m_model.customers();
    const std::int64_t INF = INT64_MAX;
    std::vector<std::vector<std::int64_t>> table(todo.size());  // [customer slot][route]
    std::vector<std::int64_t> alone(todo.size(), INF);
    for (std::size_t i = 0; i < todo.size(); ++i) {
      std::vector<int> single{todo[i]};
      std::int64_t d = 0;
      if (m_model.route_cost(single, d)) alone[i] = d;
    }
    std::vector<char> done(todo.size(), 0);
    for (std::size_t left = todo.size(); left > 0; --left) {
      const bool may_open = static_cast<int>(st.routes.size()) < m_model.max_routes();
      std::size_t pick = todo.size();
      std::int64_t pick_regret = -1, pick_best = INF;
      for (std::size_t i = 0; i < todo.size(); ++i) {
        if (done[i]) continue;
        std::int64_t b1 = may_open ? alone[i] : INF, b2 = INF;
        for (std::int64_t v : table[i]) {
          if (v < b1) {
            b2 = b1;
            b1 = v;
          } else if (v < b2) {
            b2 = v;
          }
        }
        if (b1 == INF) continue;
        // No second option: the customer must go now (largest regret).
        const std::int64_t regret = b2 == INF ? INT64_MAX / 4 : b2 - b1;
        if (regret > pick_regret || (regret == pick_regret && b1 < pick_best)) {
          pick = i;
          pick_regret = regret;
          pick_best = b1;
        }
      }
      if (pick == todo.size()) break;  // nobody fits anywhere: the rest stay absent
      const int c = todo[pick];
      done[pick] = 1;
      int br = -1;
      for (std::size_t r = 0; r < table[pick].size(); ++r)
        if (table[pick][r] == pick_best) {
          br = static_cast<int>(r);
          break;
        }
      if (br < 0) {  // a new route
        st.routes.push_back({c});
        st.caches.emplace_back();
        st.rcost.push_back(0);
        br = static_cast<int>(st.routes.size()) - 1;
      } else {
        int pos = 0;
        best_insert(st, static_cast<std::size_t>(br), c, &pos);
        auto& route = st.routes[static_cast<std::size_t>(br)];
        route.insert(route.begin() + pos, c);
      }
      refresh(st, static_cast<std::size_t>(br));
      for (std::size_t i = 0; i < todo.size(); ++i) {
        if (done[i]) continue;
        if (table[i].size() < st.routes.size()) table[i].resize(st.routes.size(), INF);
        table[i][static_cast<std::size_t>(br)] =
            best_insert(st, static_cast<std::size_t>(br), todo[i], nullptr);
      }
    }
    for (std::size_t i = 0; i < todo.size(); ++i)
      if (!done[i]) st.absent.push_back(todo[i]);
  }

  // ---- local search over full route evaluations ----
  bool eval(const std::vector<int>& r, std::int64_t& c) const {
    if (r.empty()) {
      c = 0;
      return true;
    }
    return m_model.route_cost(r, c);
  }

  /// Replace routes a (and b, if b >= 0) when the change saves cost; returns true if applied.
  bool commit(State& st, int a, std::vector<int>& na, int b, std::vector<int>& nb, std::int64_t old) {
    std::int64_t ca = 0, cb = 0;
    if (!eval(na, ca)) return false;
    if (b >= 0 && !eval(nb, cb)) return false;
    if (ca + cb >= old) return false;
    st.routes[static_cast<std::size_t>(a)].swap(na);
    refresh(st, static_cast<std::size_t>(a));
    if (b >= 0) {
      st.routes[static_cast<std::size_t>(b)].swap(nb);
      refresh(st, static_cast<std::size_t>(b));
    }
    return true;
  }

  void local_search(State& st) {
    bool improved = true;
    int rounds = 0;
    while (improved && rounds++ < 50) {
      improved = false;
      index(st);
      const auto custs = m_model.customers();
      for (int u : custs) {
        const int ru = m_route_of[static_cast<std::size_t>(u)];
        if (ru < 0) continue;
        if (move_from(st, u)) {
          improved = true;
          drop_empty(st);
          index(st);
        }
      }
      for (std::size_t r = 0; r < st.routes.size(); ++r)
        if (two_opt_intra(st, static_cast<int>(r))) improved = true;
    }
    drop_empty(st);
    st.cost = total(st);
  }

  bool move_from(State& st, int u) {
    const int ru = m_route_of[static_cast<std::size_t>(u)];
    const int iu = m_pos_of[static_cast<std::size_t>(u)];
    const auto& nb = m_model.neighbours(u);
    const int k = std::min(static_cast<int>(nb.size()), m_s.ls_neighbours);
    std::vector<int> na, nbv;
    for (int t = 0; t < k; ++t) {
      const int v = nb[static_cast<std::size_t>(t)];
      const int rv = m_route_of[static_cast<std::size_t>(v)];
      if (rv < 0) continue;
      const int iv = m_pos_of[static_cast<std::size_t>(v)];
      const auto& A = st.routes[static_cast<std::size_t>(ru)];
      const auto& B = st.routes[static_cast<std::size_t>(rv)];
      const std::int64_t old =
          st.rcost[static_cast<std::size_t>(ru)] + (rv != ru ? st.rcost[static_cast<std::size_t>(rv)] : 0);
      // Relocate / Or-opt: segment of 1-3 starting at u, placed before or after v, either way round.
      for (int len = 1; len <= 3; ++len) {
        if (iu + len > static_cast<int>(A.size())) break;
        if (rv == ru && iv >= iu && iv < iu + len) break;
        std::vector<int> seg(A.begin() + iu, A.begin() + iu + len);
        for (int rev = 0; rev < (len > 1 ? 2 : 1); ++rev) {
          if (rev) std::reverse(seg.begin(), seg.end());
          for (int after = 0; after < 2; ++after) {
            if (rv == ru) {
              na.assign(A.begin(), A.end());
              na.erase(na.begin() + iu, na.begin() + iu + len);
              const int pv = static_cast<int>(std::find(na.begin(), na.end(), v) - na.begin());
              na.insert(na.begin() + pv + after, seg.begin(), seg.end());
              nbv.clear();
              if (commit(st, ru, na, -1, nbv, old)) return true;
            } else {
              na.assign(A.begin(), A.end());
              na.erase(na.begin() + iu, na.begin() + iu + len);
              nbv.assign(B.begin(), B.end());
              nbv.insert(nbv.begin() + iv + after, seg.begin(), seg.end());
              if (commit(st, ru, na, rv, nbv, old)) return true;
            }
          }
        }
      }
      if (rv == ru) continue;
      // Exchange u and v.
      na.assign(A.begin(), A.end());
      nbv.assign(B.begin(), B.end());
      std::swap(na[static_cast<std::size_t>(iu)], nbv[static_cast<std::size_t>(iv)]);
      if (commit(st, ru, na, rv, nbv, old)) return true;
      // 2-opt*: tails swapped so that u is followed by v's successor, or by v itself.
      for (int variant = 0; variant < 2; ++variant) {
        const int cut_b = iv + (variant == 0 ? 1 : 0);
        na.assign(A.begin(), A.begin() + iu + 1);
        na.insert(na.end(), B.begin() + cut_b, B.end());
        nbv.assign(B.begin(), B.begin() + cut_b);
        nbv.insert(nbv.end(), A.begin() + iu + 1, A.end());
        if (commit(st, ru, na, rv, nbv, old)) return true;
      }
      // Cross-exchange: segment starting at u (1-3) swapped with the segment after v (1-3),
      // so that v is followed by u.
      for (int l1 = 1; l1 <= 3; ++l1) {
        if (iu + l1 > static_cast<int>(A.size())) break;
        for (int l2 = 0; l2 <= 3; ++l2) {
          if (l1 == 1 && l2 <= 1) continue;  // covered by relocate / exchange
          if (iv + 1 + l2 > static_cast<int>(B.size())) break;
          na.assign(A.begin(), A.begin() + iu);
          na.insert(na.end(), B.begin() + iv + 1, B.begin() + iv + 1 + l2);
          na.insert(na.end(), A.begin() + iu + l1, A.end());
          nbv.assign(B.begin(), B.begin() + iv + 1);
          nbv.insert(nbv.end(), A.begin() + iu, A.begin() + iu + l1);
          nbv.insert(nbv.end(), B.begin() + iv + 1 + l2, B.end());
          if (commit(st, ru, na, rv, nbv, old)) return true;
        }
      }
    }
    return false;
  }

  bool two_opt_intra(State& st, int r) {
    const auto& A = st.routes[static_cast<std::size_t>(r)];
    const int n = static_cast<int>(A.size());
    if (n < 3 || n > 150) return false;
    std::vector<int> na, none;
    for (int i = 0; i < n - 1; ++i)
      for (int j = i + 1; j < n; ++j) {
        na.assign(A.begin(), A.end());
        std::reverse(na.begin() + i, na.begin() + j + 1);
        if (commit(st, r, na, -1, none, st.rcost[static_cast<std::size_t>(r)])) return true;
      }
    return false;
  }

  const Model& m_model;
  SearchSettings m_s;
  Rng m_rng;
  std::vector<int> m_route_of, m_pos_of;
};

}  // namespace kepumap::optimize::detail
