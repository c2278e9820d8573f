// Siting with capacities in the heuristic solvers: an exact evaluator of a fixed set of open
// sites (the assignment the exact mode's capacitated MIP makes for that set), greedy (CELF) and
// swap local search over it, and a valid bound.
//
// MCLP: people of demand i may go to an open site j with t_ij <= standard, at most capacity_j
// people per site, demand may be split; value = people x priority. The feasible "served" vectors
// form a polymatroid, so serving the priority classes in descending order, each by maximum flow
// (Dinic) on top of the earlier classes' flow, gives the largest priority-weighted total and
// also the largest number of people.
// p-median: the same network with cost t_ij per person (only t_ij < M, as the exact model), a
// person no open site takes pays M; minimum-cost flow by successive shortest paths (Dijkstra on
// reduced costs) from each demand in turn, with an "unserved" arc of cost M per demand.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <queue>
#include <string>

#include "optimize/siting_core.hpp"

namespace kepumap::optimize::detail {

namespace {

bool cancelled(const std::atomic<bool>* cancel) { return cancel && cancel->load(std::memory_order_relaxed); }

constexpr std::int64_t INF64 = std::numeric_limits<std::int64_t>::max() / 4;

/// Residual network: arc e and its reverse e ^ 1, adjacency as linked lists.
struct Network {
  std::vector<int> head, next, to;
  std::vector<std::int64_t> cap, cost;
  void reset(std::size_t nodes) {
    head.assign(nodes, -1);
    next.clear();
    to.clear();
    cap.clear();
    cost.clear();
  }
  int add_node() {
    head.push_back(-1);
    return static_cast<int>(head.size()) - 1;
  }
  int add_arc(int u, int v, std::int64_t c, std::int64_t w) {
    const int e = static_cast<int>(to.size());
    to.push_back(v);
    cap.push_back(c);
    cost.push_back(w);
    next.push_back(head[static_cast<std::size_t>(u)]);
    head[static_cast<std::size_t>(u)] = e;
    to.push_back(u);
    cap.push_back(0);
    cost.push_back(-w);
    next.push_back(head[static_cast<std::size_t>(v)]);
    head[static_cast<std::size_t>(v)] = e + 1;
    return e;
  }
  std::size_t nodes() const { return head.size(); }
  static std::size_t at(int e) { return static_cast<std::size_t>(e); }
};

/// The capacitated evaluator with its reusable workspace. Each evaluation builds the network of
/// the open sites only, from per-candidate columns.
class CapacityEvaluator {
 public:
  /// standard >= 0: MCLP cover (pairs within the standard); otherwise p-median with cost M.
  CapacityEvaluator(const SitingInstance& inst, core::ISeconds standard, std::int64_t M)
      : m_inst(inst), m_standard(standard), m_M(M) {
    const std::size_t n = inst.num_demands(), m = inst.num_candidates();
    for (std::size_t i = 0; i < n; ++i)
      if (inst.population[i] > 0) m_order.push_back(static_cast<core::Id>(i));
    // Priority classes in descending order (stable: demand order within a class).
    std::stable_sort(m_order.begin(), m_order.end(),
                     [&](core::Id a, core::Id b) { return priority(a) > priority(b); });
    const CostMatrix& t = inst.times;
    auto keep = [&](core::ISeconds v) { return standard >= 0 ? v <= standard : v < M; };
    m_coff.assign(m + 1, 0);
    for (core::Id i : m_order)
      for (std::uint32_t k = t.offsets[i]; k < t.offsets[i + 1] && keep(t.time[k]); ++k)
        ++m_coff[t.cand[k] + 1];
    for (std::size_t j = 0; j < m; ++j) m_coff[j + 1] += m_coff[j];
    m_crank.resize(m_coff[m]);
    m_ctime.resize(m_coff[m]);
    std::vector<std::uint32_t> pos(m_coff.begin(), m_coff.end() - 1);
    for (std::size_t r = 0; r < m_order.size(); ++r) {
      const core::Id i = m_order[r];
      for (std::uint32_t k = t.offsets[i]; k < t.offsets[i + 1] && keep(t.time[k]); ++k) {
        const std::uint32_t q = pos[t.cand[k]]++;
        m_crank[q] = static_cast<std::uint32_t>(r);
        m_ctime[q] = t.time[k];
      }
    }
    m_node_of.assign(m_order.size(), -1);
    for (core::Id i : m_order) m_all += inst.population[i];
  }

  std::int64_t priority(std::size_t i) const {
    return m_inst.priority.empty() ? PRIORITY_SCALE : m_inst.priority[i];
  }
  std::int64_t capacity(std::size_t j) const { return std::max<std::int64_t>(0, m_inst.capacity[j]); }
  /// Arcs built and scanned so far (a machine-independent measure of the work done).
  std::int64_t work() const { return m_work; }

  /// MCLP figures of the open set (per candidate flags, existing included by the caller).
  CapacitatedCover cover(const std::vector<std::uint8_t>& open) {
    CapacitatedCover out;
    if (m_standard < 0) return out;
    Network& g = m_net;
    g.reset(2);  // 0 = source, 1 = sink
    build(open, 1, false);
    // Source arcs in rank order (priority descending), closed until their class comes.
    std::sort(m_ranks.begin(), m_ranks.end());
    m_source_arc.clear();
    for (std::uint32_t r : m_ranks) m_source_arc.push_back(g.add_arc(0, m_node_of[r], 0, 0));
    // Class by class: open the source arcs of one priority, then maximum flow.
    std::size_t q = 0;
    while (q < m_ranks.size()) {
      std::size_t r = q;
      const std::int64_t pr = priority(m_order[m_ranks[q]]);
      while (r < m_ranks.size() && priority(m_order[m_ranks[r]]) == pr) {
        g.cap[Network::at(m_source_arc[r])] = m_inst.population[m_order[m_ranks[r]]];
        ++r;
      }
      dinic(0, 1);
      q = r;
    }
    for (std::size_t a = 0; a < m_ranks.size(); ++a) {
      const std::int64_t f = g.cap[Network::at(m_source_arc[a] ^ 1)];
      out.people += f;
      out.weighted += f * priority(m_order[m_ranks[a]]);
    }
    for (std::uint32_t r : m_ranks) m_node_of[r] = -1;
    return out;
  }

  /// p-median objective of the open set under the capacitated assignment: sum people x seconds,
  /// M for each person no open site takes.
  std::int64_t median(const std::vector<std::uint8_t>& open) {
    Network& g = m_net;
    g.reset(1);  // 0 = sink
    build(open, 0, true);
    m_demand_node.clear();
    m_arc_demand.clear();
    for (std::uint32_t r : m_ranks) {
      const core::Id i = m_order[r];
      g.add_arc(m_node_of[r], 0, m_inst.population[i], 0);  // unserved: pays M (cost 0 after the shift)
      m_demand_node.push_back(m_node_of[r]);
      m_arc_demand.push_back(i);
      m_node_of[r] = -1;
    }
    const std::int64_t total = m_all * m_M;
    // Feasible potentials: shortest distances in the initial network (a DAG).
    const std::size_t V = g.nodes();
    m_pi.assign(V, 0);
    for (std::size_t e = 0; e < g.to.size(); e += 2)
      if (g.cost[e] < 0) {
        const auto v = static_cast<std::size_t>(g.to[e]);
        m_pi[v] = std::min(m_pi[v], g.cost[e]);
      }
    for (std::size_t e = 0; e < g.to.size(); e += 2)
      if (g.to[e] == 0) {
        const auto u = static_cast<std::size_t>(g.to[e + 1]);
        m_pi[0] = std::min(m_pi[0], m_pi[u]);
      }
    m_dist.assign(V, INF64);
    m_pred.assign(V, -1);
    m_done.assign(V, 0);
    std::int64_t cost = 0;
    for (std::size_t d = 0; d < m_demand_node.size(); ++d) {
      const int src = m_demand_node[d];
      std::int64_t excess = m_inst.population[m_arc_demand[d]];
      while (excess > 0) {
        shortest_path(src);
        std::int64_t amount = excess, path_cost = 0;
        for (int v = 0; v != src;) {
          const int e = m_pred[static_cast<std::size_t>(v)];
          amount = std::min(amount, g.cap[Network::at(e)]);
          path_cost += g.cost[Network::at(e)];
          v = g.to[Network::at(e ^ 1)];
        }
        for (int v = 0; v != src;) {
          const int e = m_pred[static_cast<std::size_t>(v)];
          g.cap[Network::at(e)] -= amount;
          g.cap[Network::at(e ^ 1)] += amount;
          v = g.to[Network::at(e ^ 1)];
        }
        excess -= amount;
        cost += amount * path_cost;
      }
    }
    return total + cost;
  }

 private:
  /// Arcs site -> sink (capacity) and demand -> site (people; cost t - M when `costs`) of the
  /// open sites; m_ranks lists the demands that got a node.
  void build(const std::vector<std::uint8_t>& open, int sink, bool costs) {
    Network& g = m_net;
    m_ranks.clear();
    for (std::size_t j = 0; j < open.size(); ++j) {
      if (!open[j] || capacity(j) == 0 || m_coff[j] == m_coff[j + 1]) continue;
      const int site = g.add_node();
      g.add_arc(site, sink, capacity(j), 0);
      for (std::uint32_t k = m_coff[j]; k < m_coff[j + 1]; ++k) {
        const std::uint32_t r = m_crank[k];
        if (m_node_of[r] < 0) {
          m_node_of[r] = g.add_node();
          m_ranks.push_back(r);
        }
        const core::Id i = m_order[r];
        g.add_arc(m_node_of[r], site, m_inst.population[i], costs ? m_ctime[k] - m_M : 0);
      }
      m_work += m_coff[j + 1] - m_coff[j];
    }
  }

  /// Dijkstra on reduced costs from src until the sink (node 0) is settled; then the potentials
  /// of the settled nodes move so that reduced costs stay >= 0 and the path's become 0.
  void shortest_path(int src) {
    Network& g = m_net;
    m_settled.clear();
    using Item = std::pair<std::int64_t, int>;
    std::priority_queue<Item, std::vector<Item>, std::greater<>> pq;
    m_dist[static_cast<std::size_t>(src)] = 0;
    m_seen.clear();
    m_seen.push_back(src);
    pq.emplace(0, src);
    while (!pq.empty()) {
      const auto [du, u] = pq.top();
      pq.pop();
      const auto uu = static_cast<std::size_t>(u);
      if (m_done[uu] || du > m_dist[uu]) continue;
      m_done[uu] = 1;
      m_settled.push_back(u);
      if (u == 0) break;
      for (int e = g.head[uu]; e >= 0; e = g.next[Network::at(e)]) {
        ++m_work;
        if (g.cap[Network::at(e)] <= 0) continue;
        const auto v = static_cast<std::size_t>(g.to[Network::at(e)]);
        if (m_done[v]) continue;
        const std::int64_t nd = du + g.cost[Network::at(e)] + m_pi[uu] - m_pi[v];
        if (nd < m_dist[v]) {
          if (m_dist[v] == INF64) m_seen.push_back(static_cast<int>(v));
          m_dist[v] = nd;
          m_pred[v] = e;
          pq.emplace(nd, static_cast<int>(v));
        }
      }
    }
    const std::int64_t D = m_dist[0];
    for (int u : m_settled) m_pi[static_cast<std::size_t>(u)] += m_dist[static_cast<std::size_t>(u)] - D;
    for (int u : m_seen) {
      m_dist[static_cast<std::size_t>(u)] = INF64;
      m_done[static_cast<std::size_t>(u)] = 0;
    }
  }

  bool bfs_levels(int s, int t) {
    Network& g = m_net;
    m_level.assign(g.nodes(), -1);
    m_queue.clear();
    m_level[static_cast<std::size_t>(s)] = 0;
    m_queue.push_back(s);
    for (std::size_t q = 0; q < m_queue.size(); ++q) {
      const auto u = static_cast<std::size_t>(m_queue[q]);
      for (int e = g.head[u]; e >= 0; e = g.next[Network::at(e)]) {
        ++m_work;
        const auto v = static_cast<std::size_t>(g.to[Network::at(e)]);
        if (g.cap[Network::at(e)] > 0 && m_level[v] < 0) {
          m_level[v] = m_level[u] + 1;
          m_queue.push_back(static_cast<int>(v));
        }
      }
    }
    return m_level[static_cast<std::size_t>(t)] >= 0;
  }

  std::int64_t augment(int u, int t, std::int64_t f) {
    if (u == t) return f;
    Network& g = m_net;
    const auto uu = static_cast<std::size_t>(u);
    for (int& e = m_iter[uu]; e >= 0; e = g.next[Network::at(e)]) {
      ++m_work;
      const auto v = static_cast<std::size_t>(g.to[Network::at(e)]);
      if (g.cap[Network::at(e)] <= 0 || m_level[v] != m_level[uu] + 1) continue;
      const std::int64_t d = augment(static_cast<int>(v), t, std::min(f, g.cap[Network::at(e)]));
      if (d > 0) {
        g.cap[Network::at(e)] -= d;
        g.cap[Network::at(e ^ 1)] += d;
        return d;
      }
    }
    return 0;
  }

  void dinic(int s, int t) {
    while (bfs_levels(s, t)) {
      m_iter = m_net.head;
      while (augment(s, t, INF64) > 0) {
      }
    }
  }

  const SitingInstance& m_inst;
  core::ISeconds m_standard;
  std::int64_t m_M;
  std::vector<core::Id> m_order;               ///< demands with people, by priority descending (their rank)
  std::vector<std::uint32_t> m_coff, m_crank;  ///< per candidate: ranks of the demands it may serve
  std::vector<core::ISeconds> m_ctime;         ///< and the seconds
  std::int64_t m_all = 0;                      ///< people of all demands
  std::int64_t m_work = 0;
  Network m_net;
  std::vector<int> m_node_of, m_source_arc, m_demand_node, m_level, m_queue, m_iter, m_pred, m_settled,
      m_seen;
  std::vector<std::uint32_t> m_ranks;
  std::vector<core::Id> m_arc_demand;
  std::vector<std::int64_t> m_pi, m_dist;
  std::vector<std::uint8_t> m_done;
};

std::vector<std::uint8_t> open_flags(const SitingInstance& inst, const std::vector<core::Id>& new_sites) {
  std::vector<std::uint8_t> open(inst.num_candidates(), 0);
  for (core::Id e : inst.existing) open[e] = 1;
  for (core::Id s : new_sites) open[s] = 1;
  return open;
}

}  // namespace

std::int64_t capacitated_unreachable(const SitingInstance& inst, const SitingOptions& opt) {
  if (opt.unreachable_cost > 0) return opt.unreachable_cost;
  std::int64_t mx = 0;
  for (core::ISeconds v : inst.times.time) mx = std::max<std::int64_t>(mx, v);
  return mx + 1;
}

CapacitatedCover capacitated_cover(const SitingInstance& inst, core::ISeconds standard,
                                   const std::vector<core::Id>& new_sites) {
  CapacityEvaluator ev(inst, standard, 1);
  return ev.cover(open_flags(inst, new_sites));
}

std::int64_t capacitated_objective(const SitingInstance& inst, const SitingOptions& opt,
                                   const std::vector<core::Id>& new_sites) {
  if (opt.problem == SitingProblem::Mclp) return capacitated_cover(inst, opt.standard, new_sites).weighted;
  CapacityEvaluator ev(inst, -1, capacitated_unreachable(inst, opt));
  return ev.median(open_flags(inst, new_sites));
}

namespace {

/// Greedy (CELF) then swap local search over an exact evaluator; score: higher is better.
struct CapacitatedSearch {
  const Core& c;
  CapacityEvaluator& ev;
  bool mclp;
  const std::atomic<bool>* cancel;
  long long evaluations = 0;
  long long max_evaluations = 0;
  std::int64_t max_work = 0;
  std::vector<std::int64_t> alone;  ///< per candidate: gain of opening it first (the pool order)

  std::int64_t score(const std::vector<std::uint8_t>& open) {
    ++evaluations;
    return mclp ? ev.cover(open).weighted : -ev.median(open);
  }
  bool out_of_work() const {
    return evaluations >= max_evaluations || ev.work() >= max_work || cancelled(cancel);
  }

  CoreSolution greedy(bool ratio, const std::vector<core::Id>& start) {
    CoreSolution s;
    s.open.assign(c.m, 0);
    for (std::size_t j = 0; j < c.m; ++j)
      if (c.fixed[j]) s.open[j] = 1;
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
    };
    auto key_of = [&](std::int64_t g, std::size_t j) {
      return ratio ? static_cast<double>(g) / static_cast<double>(std::max<std::int64_t>(1, c.cost[j]))
                   : static_cast<double>(g);
    };
    for (core::Id j : start)
      if (j < c.m && can_add(j)) add(j);
    std::int64_t current = score(s.open);
    auto gain_of = [&](std::size_t j) {
      s.open[j] = 1;
      const std::int64_t v = score(s.open) - current;
      s.open[j] = 0;
      return v;
    };
    if (c.one_per_group && c.num_groups > 0) {
      std::vector<std::uint8_t> has(c.num_groups, 0), present(c.num_groups, 0);
      for (std::size_t j = 0; j < c.m; ++j) {
        if (c.group[j] == core::INVALID_ID) continue;
        present[c.group[j]] = 1;
        if (s.open[j]) has[c.group[j]] = 1;
      }
      for (;;) {
        std::size_t bj = c.m;
        double bv = -std::numeric_limits<double>::infinity();
        for (std::size_t j = 0; j < c.m; ++j) {
          if (c.group[j] == core::INVALID_ID || has[c.group[j]] || !can_add(j)) continue;
          const double v = key_of(gain_of(j), j);
          if (v > bv) {
            bv = v;
            bj = j;
          }
        }
        if (bj == c.m) break;
        add(bj);
        current = score(s.open);
        has[c.group[bj]] = 1;
      }
      for (std::size_t g = 0; g < c.num_groups; ++g)
        if (present[g] && !has[g]) s.feasible = false;
    }
    struct Entry {
      double key;
      std::int64_t gain;
      std::uint32_t j;
      std::uint32_t stamp;
      bool operator<(const Entry& o) const { return key < o.key || (key == o.key && j > o.j); }
    };
    std::priority_queue<Entry> heap;
    const bool full = !budget_mode && static_cast<int>(s.chosen.size()) >= c.p;
    for (std::size_t j = 0; j < c.m && !full; ++j)
      if (c.allowed[j] && !s.open[j] && c.coff[j] < c.coff[j + 1]) {
        const std::int64_t g = gain_of(j);
        if (start.empty() && s.chosen.empty()) alone[j] = g;
        heap.push(Entry{key_of(g, j), g, static_cast<std::uint32_t>(j), 0});
      }
    std::uint32_t round = 0;
    while (!heap.empty() && !cancelled(cancel)) {
      if (!budget_mode && static_cast<int>(s.chosen.size()) >= c.p) break;
      Entry e = heap.top();
      heap.pop();
      if (!can_add(e.j)) continue;
      if (e.stamp == round) {
        if (budget_mode && e.gain <= 0) break;
        add(e.j);
        current += e.gain;
        ++round;
        continue;
      }
      if (out_of_work()) {
        // Work budget spent: take the best stale gain without refreshing it (plain greedy
        // order from here on) and score the result once.
        if (budget_mode && e.gain <= 0) break;
        add(e.j);
        current = score(s.open);
        ++round;
        continue;
      }
      e.gain = gain_of(e.j);
      e.key = key_of(e.gain, e.j);
      e.stamp = round;
      heap.push(e);
    }
    // p mode: fill up to p with whatever is left (sites that reach nobody), as the core does.
    for (std::size_t j = 0; j < c.m && !budget_mode; ++j)
      if (can_add(j)) add(j);
    s.objective = current;
    return s;
  }

  /// First-improvement swap (close one new site, open another) and, with budget room, add moves.
  CoreSolution swap(CoreSolution s) {
    const bool budget_mode = c.budget >= 0;
    std::int64_t spent = 0;
    for (core::Id j : s.chosen) spent += c.cost[j];
    std::vector<int> group_count(c.num_groups, 0);
    for (std::size_t j = 0; j < c.m; ++j)
      if (s.open[j] && c.group[j] != core::INVALID_ID) ++group_count[c.group[j]];
    std::vector<std::size_t> pool;  // candidates that reach someone
    for (std::size_t j = 0; j < c.m; ++j)
      if (c.allowed[j] && c.coff[j] < c.coff[j + 1]) pool.push_back(j);
    // Most promising first: a swap search cut short by the work budget has tried those.
    std::stable_sort(pool.begin(), pool.end(),
                     [&](std::size_t a, std::size_t b) { return alone[a] > alone[b]; });
    bool improved = true;
    while (improved && !out_of_work()) {
      improved = false;
      if (budget_mode)
        for (std::size_t f : pool) {
          if (s.open[f] || spent + c.cost[f] > c.budget || out_of_work()) continue;
          s.open[f] = 1;
          const std::int64_t v = score(s.open);
          if (v > s.objective) {
            s.objective = v;
            s.chosen.push_back(static_cast<core::Id>(f));
            spent += c.cost[f];
            if (c.group[f] != core::INVALID_ID) ++group_count[c.group[f]];
            improved = true;
          } else {
            s.open[f] = 0;
          }
        }
      for (std::size_t q = 0; q < s.chosen.size() && !out_of_work(); ++q) {
        const std::size_t g = s.chosen[q];
        const bool locked = c.one_per_group && c.group[g] != core::INVALID_ID && group_count[c.group[g]] <= 1;
        for (std::size_t f : pool) {
          if (s.open[f] || out_of_work()) continue;
          if (locked && c.group[f] != c.group[g]) continue;
          if (budget_mode && spent - c.cost[g] + c.cost[f] > c.budget) continue;
          s.open[g] = 0;
          s.open[f] = 1;
          const std::int64_t v = score(s.open);
          if (v > s.objective) {
            s.objective = v;
            s.chosen[q] = static_cast<core::Id>(f);
            spent += c.cost[f] - c.cost[g];
            if (c.group[g] != core::INVALID_ID) --group_count[c.group[g]];
            if (c.group[f] != core::INVALID_ID) ++group_count[c.group[f]];
            improved = true;
            break;  // the slot now holds f: move on to the next slot
          }
          s.open[f] = 0;
          s.open[g] = 1;
        }
      }
    }
    return s;
  }
};

bool better(const CoreSolution& a, const CoreSolution& b) {
  return (a.feasible && !b.feasible) || (a.feasible == b.feasible && a.objective > b.objective);
}

/// Total capacity `cap` (people) can serve at most `cap` people: for MCLP the largest
/// priority-weighted people among those some candidate reaches within the standard, for
/// p-median the largest saving (M - fastest time) x people. A bound that ignores where sites are.
std::int64_t capacity_value_bound(const SitingInstance& inst, const SitingOptions& opt, std::int64_t M,
                                  std::int64_t cap) {
  const bool mclp = opt.problem == SitingProblem::Mclp;
  std::vector<std::pair<std::int64_t, std::int64_t>> value;  // (value per person, people)
  const CostMatrix& t = inst.times;
  for (std::size_t i = 0; i < t.rows; ++i) {
    if (inst.population[i] <= 0 || t.offsets[i] == t.offsets[i + 1]) continue;
    const std::int64_t best = t.time[t.offsets[i]];
    if (mclp ? best > opt.standard : best >= M) continue;
    value.emplace_back(mclp ? (inst.priority.empty() ? PRIORITY_SCALE : inst.priority[i]) : M - best,
                       inst.population[i]);
  }
  std::sort(value.begin(), value.end(), std::greater<>());
  std::int64_t v = 0;
  for (const auto& [per, pop] : value) {
    if (cap <= 0) break;
    const std::int64_t take = std::min(pop, cap);
    v += take * per;
    cap -= take;
  }
  return v;
}

/// Most capacity the new sites can add: the p largest, or (budget) the fractional knapsack.
std::int64_t max_new_capacity(const SitingInstance& inst, const Core& c) {
  std::vector<std::pair<double, std::size_t>> items;
  for (std::size_t j = 0; j < c.m; ++j)
    if (c.allowed[j] && inst.capacity[j] > 0) items.emplace_back(0.0, j);
  if (c.budget < 0) {
    std::vector<std::int64_t> caps;
    for (const auto& it : items) caps.push_back(inst.capacity[it.second]);
    std::sort(caps.begin(), caps.end(), std::greater<>());
    std::int64_t v = 0;
    for (std::size_t k = 0; k < caps.size() && static_cast<int>(k) < c.p; ++k) v += caps[k];
    return v;
  }
  std::int64_t v = 0;
  double left = static_cast<double>(c.budget);
  std::vector<std::pair<double, std::size_t>> paid;
  for (const auto& it : items) {
    const std::size_t j = it.second;
    if (c.cost[j] <= 0)
      v += inst.capacity[j];
    else
      paid.emplace_back(static_cast<double>(inst.capacity[j]) / static_cast<double>(c.cost[j]), j);
  }
  std::sort(paid.begin(), paid.end(), std::greater<>());
  double frac = 0.0;
  for (const auto& [ratio, j] : paid) {
    if (left <= 0.0) break;
    const double take = std::min(1.0, left / static_cast<double>(c.cost[j]));
    frac += take * static_cast<double>(inst.capacity[j]);
    left -= take * static_cast<double>(c.cost[j]);
  }
  return v + static_cast<std::int64_t>(std::ceil(frac));
}

}  // namespace

CapacitatedAnswer solve_capacitated(const SitingInstance& inst, const SitingOptions& opt) {
  const bool mclp = opt.problem == SitingProblem::Mclp;
  const std::int64_t M = capacitated_unreachable(inst, opt);
  std::vector<std::int64_t> w(inst.population.size());
  std::int64_t total = 0;
  for (std::size_t i = 0; i < w.size(); ++i) {
    w[i] = mclp ? inst.population[i] * (inst.priority.empty() ? PRIORITY_SCALE : inst.priority[i])
                : inst.population[i];
    total += w[i];
  }
  const Core c = make_core(inst, opt, w, mclp ? opt.standard : -1, M);
  // The uncapacitated problem: its bound is valid here (capacities only make answers worse) and
  // its sites are a second start for the search.
  const CoreAnswer ua = solve_core_with_bound(c, opt.lagrangian_iterations, opt.cancel, opt.progress);
  CapacityEvaluator ev(inst, mclp ? opt.standard : -1, M);
  CapacitatedSearch search{c, ev, mclp, opt.cancel, 0, 0, 0, std::vector<std::int64_t>(c.m, 0)};
  // Work budget of the swap search: about 10 full neighbourhoods and 3 x 10^8 arc visits
  // in all (greedy included: past it, greedy takes stale CELF gains)
  // (seconds, not minutes, on large instances; small ones finish long before).
  const std::size_t slots = c.budget >= 0 ? c.m : static_cast<std::size_t>(std::max(1, c.p));
  search.max_evaluations = static_cast<long long>(std::max<std::size_t>(2000, 10 * slots * c.m));
  search.max_work = 300'000'000;
  CoreSolution best = search.swap(search.greedy(false, {}));
  if (c.budget >= 0) {
    CoreSolution other = search.swap(search.greedy(true, {}));
    if (better(other, best)) best = std::move(other);
  }
  if (!cancelled(opt.cancel)) {
    CoreSolution other = search.swap(search.greedy(false, ua.solution.chosen));
    if (better(other, best)) best = std::move(other);
  }
  CapacitatedAnswer r;
  r.chosen = best.chosen;
  r.feasible = best.feasible;
  std::string bound_words = "uncapacitated Lagrangian bound";
  double lp = -HUGE_VAL;
  // The LP of the p-median model (every pair, not only those within the standard) is harder.
  const std::size_t lp_max_entries = mclp ? 20000 : 10000;
  if (opt.capacity_lp_bound && c.rcand.size() <= lp_max_entries && !cancelled(opt.cancel))
    lp = capacitated_lp_bound(inst, c, std::min(opt.time_limit_s, 10.0), opt.cancel);
  std::int64_t cap = max_new_capacity(inst, c);
  for (core::Id e : inst.existing) cap += std::max<std::int64_t>(0, inst.capacity[e]);
  const std::int64_t by_cap = capacity_value_bound(inst, opt, M, cap);
  if (mclp) {
    r.objective = best.objective;
    std::int64_t ub = total - ceil_bound(ua.lower_bound);
    if (by_cap < ub) {
      ub = by_cap;
      bound_words = "total capacity bound";
    }
    if (std::isfinite(lp) && total - ceil_bound(lp) < ub) {
      ub = total - ceil_bound(lp);
      bound_words = "LP relaxation bound (GLPK)";
    }
    r.bound = static_cast<double>(std::max(ub, r.objective));
    r.proven = ub <= r.objective;
  } else {
    r.objective = -best.objective;
    std::int64_t lb = ceil_bound(ua.lower_bound);
    if (total * M - by_cap > lb) {  // everyone pays M but what the capacity can save
      lb = total * M - by_cap;
      bound_words = "total capacity bound";
    }
    if (std::isfinite(lp) && ceil_bound(lp) > lb) {
      lb = ceil_bound(lp);
      bound_words = "LP relaxation bound (GLPK)";
    }
    r.bound = static_cast<double>(std::min(lb, r.objective));
    r.proven = lb >= r.objective;
  }
  r.method = std::string("greedy (CELF) + swap with capacitated assignment (") +
             (mclp ? "maximum flow by priority class" : "min-cost flow") + "); bound: " + bound_words;
  return r;
}

}  // namespace kepumap::optimize::detail
