// Solomon VRPTW model for the generic routing search: O(1) insertion checks from forward
// earliest-start and backward latest-start times (Savelsbergh's push-forward reasoning).
#include <algorithm>
#include <cmath>

#include "optimize/tour_formats.hpp"
#include "optimize/tour_search.hpp"

namespace kepumap::optimize {

namespace {

constexpr double SCALE = 1000.0;  // file units -> integers (times rounded up: exact feasibility)

class SolomonModel {
 public:
  struct Cache {
    std::vector<std::int64_t> start;   ///< earliest service start at each position
    std::vector<std::int64_t> latest;  ///< latest service start keeping the rest feasible
    int load = 0;
  };

  SolomonModel(const SolomonInstance& inst, std::int64_t fixed) : m_fixed(fixed) {
    const int n = inst.size();
    m_n = n;
    m_t = CostMatrix(n);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j)
        m_t.at(i, j) = static_cast<std::int32_t>(std::ceil(inst.distance(i, j) * SCALE - 1e-6));
    for (int i = 0; i < n; ++i) {
      m_ready.push_back(static_cast<std::int64_t>(inst.ready[static_cast<std::size_t>(i)]) * 1000);
      m_due.push_back(static_cast<std::int64_t>(inst.due[static_cast<std::size_t>(i)]) * 1000);
      m_svc.push_back(static_cast<std::int64_t>(inst.service[static_cast<std::size_t>(i)]) * 1000);
      m_q.push_back(inst.demand[static_cast<std::size_t>(i)]);
    }
    m_cap = inst.capacity;
    m_vehicles = inst.vehicles;
    for (int c = 1; c < n; ++c) m_customers.push_back(c);
    m_neigh.resize(static_cast<std::size_t>(n));
    for (int c = 1; c < n; ++c) {
      auto& nb = m_neigh[static_cast<std::size_t>(c)];
      for (int o = 1; o < n; ++o)
        if (o != c) nb.push_back(o);
      std::sort(nb.begin(), nb.end(), [&](int a, int b) {
        return m_t.at(c, a) != m_t.at(c, b) ? m_t.at(c, a) < m_t.at(c, b) : a < b;
      });
    }
  }

  const std::vector<int>& customers() const { return m_customers; }
  int max_routes() const { return m_vehicles; }
  const std::vector<int>& neighbours(int c) const { return m_neigh[static_cast<std::size_t>(c)]; }
  std::int64_t absent_penalty(int) const { return 1'000'000'000'000LL; }
  std::int64_t depot_cost(int c) const { return m_t.at(0, c); }
  std::int64_t weight(int c) const { return m_q[static_cast<std::size_t>(c)]; }

  bool route_cost(const std::vector<int>& r, std::int64_t& cost) const {
    cost = 0;
    if (r.empty()) return true;
    std::int64_t t = m_ready[0];
    int prev = 0, load = 0;
    for (int c : r) {
      const auto cs = static_cast<std::size_t>(c);
      t = std::max(t + m_t.at(prev, c), m_ready[cs]);
      if (t > m_due[cs]) return false;
      t += m_svc[cs];
      load += m_q[cs];
      cost += m_t.at(prev, c);
      prev = c;
    }
    t += m_t.at(prev, 0);
    cost += m_t.at(prev, 0) + m_fixed;
    return t <= m_due[0] && load <= m_cap;
  }

  void build(const std::vector<int>& r, Cache& c) const {
    const std::size_t k = r.size();
    c.start.resize(k);
    c.latest.resize(k);
    c.load = 0;
    std::int64_t t = m_ready[0];
    int prev = 0;
    for (std::size_t i = 0; i < k; ++i) {
      const auto cs = static_cast<std::size_t>(r[i]);
      t = std::max(t + m_t.at(prev, r[i]), m_ready[cs]);
      c.start[i] = t;
      t += m_svc[cs];
      prev = r[i];
      c.load += m_q[cs];
    }
    std::int64_t lat = m_due[0];
    int next = 0;
    for (std::size_t i = k; i-- > 0;) {
      const auto cs = static_cast<std::size_t>(r[i]);
      lat = std::min(m_due[cs], lat - m_t.at(r[i], next) - m_svc[cs]);
      c.latest[i] = lat;
      next = r[i];
    }
  }

  bool insertion(const std::vector<int>& r, const Cache& cache, int pos, int c, std::int64_t /*bound*/,
                 std::int64_t& delta) const {
    const auto cs = static_cast<std::size_t>(c);
    if (cache.load + m_q[cs] > m_cap) return false;
    const int k = static_cast<int>(r.size());
    const int prev = pos == 0 ? 0 : r[static_cast<std::size_t>(pos - 1)];
    const std::int64_t leave =
        pos == 0 ? m_ready[0]
                 : cache.start[static_cast<std::size_t>(pos - 1)] + m_svc[static_cast<std::size_t>(prev)];
    const std::int64_t a = std::max(leave + m_t.at(prev, c), m_ready[cs]);
    if (a > m_due[cs]) return false;
    const int next = pos == k ? 0 : r[static_cast<std::size_t>(pos)];
    const std::int64_t arr = a + m_svc[cs] + m_t.at(c, next);
    if (pos == k) {
      if (arr > m_due[0]) return false;
    } else if (std::max(arr, m_ready[static_cast<std::size_t>(next)]) >
               cache.latest[static_cast<std::size_t>(pos)]) {
      return false;
    }
    delta = static_cast<std::int64_t>(m_t.at(prev, c)) + m_t.at(c, next) - m_t.at(prev, next) +
            (k == 0 ? m_fixed : 0);
    return true;
  }

  double avg_edge() const {
    std::int64_t s = 0;
    for (int c = 1; c < m_n; ++c) s += m_t.at(0, c);
    return static_cast<double>(s) / std::max(1, m_n - 1);
  }

 private:
  int m_n = 0;
  CostMatrix m_t;
  std::vector<std::int64_t> m_ready, m_due, m_svc;
  std::vector<int> m_q;
  int m_cap = 0, m_vehicles = 0;
  std::int64_t m_fixed = 0;
  std::vector<int> m_customers;
  std::vector<std::vector<int>> m_neigh;
};

}  // namespace

SolomonSolution solve_solomon(const SolomonInstance& inst, const VrpParams& params) {
  // Hierarchical objective as a fixed cost per vehicle far above any route length.
  const std::int64_t fixed = params.minimise_vehicles ? 100'000'000'000LL : 0;
  SolomonModel model(inst, fixed);
  detail::SearchSettings s;
  s.seed = params.seed;
  s.iterations = params.iterations;
  // Temperatures relative to the typical leg (half the mean depot distance).
  const double leg = 0.5 * model.avg_edge();
  s.t_start = 0.3 * leg;
  s.t_end = 0.003 * leg;
  detail::RoutingSearch<SolomonModel> search(model, s);
  const auto res = search.run();
  SolomonSolution out;
  out.routes = res.routes;
  out.unserved = res.absent;
  for (const auto& r : out.routes) {
    int prev = 0;
    for (int c : r) {
      out.distance += inst.distance(prev, c);
      prev = c;
    }
    out.distance += inst.distance(prev, 0);
  }
  return out;
}

}  // namespace kepumap::optimize
