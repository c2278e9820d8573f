// TSP: nearest neighbour, 2-opt + Or-opt with neighbour lists and don't-look bits, and
// iterated local search with local double-bridge kicks under a fixed, deterministic budget.
#include "optimize/tour.hpp"

#include <algorithm>
#include <deque>
#include <numeric>

#include "optimize/tour_rng.hpp"

namespace kepumap::optimize {

std::int64_t tour_length(const CostMatrix& m, const std::vector<int>& order) {
  std::int64_t len = 0;
  const std::size_t n = order.size();
  for (std::size_t i = 0; i < n; ++i) len += m.at(order[i], order[(i + 1) % n]);
  return len;
}

std::vector<int> tsp_nearest_neighbour(const CostMatrix& m) {
  const int n = m.n;
  std::vector<int> order;
  if (n == 0) return order;
  std::vector<char> used(static_cast<std::size_t>(n), 0);
  int cur = 0;
  used[0] = 1;
  order.push_back(0);
  for (int k = 1; k < n; ++k) {
    int best = -1;
    std::int32_t bd = 0;
    for (int j = 0; j < n; ++j)
      if (!used[static_cast<std::size_t>(j)] && (best < 0 || m.at(cur, j) < bd)) {
        best = j;
        bd = m.at(cur, j);
      }
    used[static_cast<std::size_t>(best)] = 1;
    order.push_back(best);
    cur = best;
  }
  return order;
}

namespace {

/// Array tour with position index; all moves keep `pos` consistent.
class LocalSearch {
 public:
  LocalSearch(const CostMatrix& m, int k, bool or_opt) : m_m(m), m_n(m.n), m_or_opt(or_opt) {
    // Neighbour lists: the k nearest other cities, nearest first (ties by index).
    const int kk = std::min(k, m_n - 1);
    m_k = std::max(kk, 0);
    m_neigh.resize(static_cast<std::size_t>(m_n) * m_k);
    std::vector<int> idx(static_cast<std::size_t>(m_n));
    for (int a = 0; a < m_n; ++a) {
      idx.resize(static_cast<std::size_t>(m_n));
      std::iota(idx.begin(), idx.end(), 0);
      idx.erase(idx.begin() + a);
      std::partial_sort(idx.begin(), idx.begin() + m_k, idx.end(), [&](int x, int y) {
        const auto dx = m.at(a, x), dy = m.at(a, y);
        return dx != dy ? dx < dy : x < y;
      });
      std::copy(idx.begin(), idx.begin() + m_k, m_neigh.begin() + static_cast<std::ptrdiff_t>(a) * m_k);
    }
    m_active.assign(static_cast<std::size_t>(m_n), 0);
  }

  void set_tour(const std::vector<int>& order) {
    m_t = order;
    m_pos.assign(static_cast<std::size_t>(m_n), 0);
    for (int i = 0; i < m_n; ++i) m_pos[static_cast<std::size_t>(m_t[static_cast<std::size_t>(i)])] = i;
    m_len = tour_length(m_m, m_t);
  }
  const std::vector<int>& tour() const { return m_t; }
  std::int64_t length() const { return m_len; }

  void activate(int c) {
    if (!m_active[static_cast<std::size_t>(c)]) {
      m_active[static_cast<std::size_t>(c)] = 1;
      m_queue.push_back(c);
    }
  }
  void activate_all() {
    for (int c : m_t) activate(c);
  }

  /// Runs moves until no active city improves.
  void optimise() {
    if (m_n < 5) {
      m_queue.clear();
      std::fill(m_active.begin(), m_active.end(), 0);
      return;
    }
    while (!m_queue.empty()) {
      const int a = m_queue.front();
      m_queue.pop_front();
      m_active[static_cast<std::size_t>(a)] = 0;
      if (try_2opt(a) || (m_or_opt && try_oropt(a))) activate(a);
    }
  }

  /// Swaps two adjacent random segments (a local double bridge) and activates the ends.
  void kick(detail::Rng& rng) {
    if (m_n < 8) return;
    const int maxl = std::max(1, std::min(50, (m_n - 2) / 3));
    const int l1 = 1 + rng.below(maxl), l2 = 1 + rng.below(maxl);
    const int p0 = rng.below(m_n - l1 - l2 - 1);  // segments at p0+1 .. p0+l1+l2, no wrap
    const int s = p0 + 1, mid = s + l1, e = mid + l2;
    const int ends[] = {m_t[static_cast<std::size_t>(p0)],      m_t[static_cast<std::size_t>(s)],
                        m_t[static_cast<std::size_t>(mid - 1)], m_t[static_cast<std::size_t>(mid)],
                        m_t[static_cast<std::size_t>(e - 1)],   m_t[static_cast<std::size_t>(e % m_n)]};
    m_len += d(ends[0], ends[3]) + d(ends[4], ends[1]) + d(ends[2], ends[5]) - d(ends[0], ends[1]) -
             d(ends[2], ends[3]) - d(ends[4], ends[5]);
    std::rotate(m_t.begin() + s, m_t.begin() + mid, m_t.begin() + e);
    for (int i = s; i < e; ++i) m_pos[static_cast<std::size_t>(m_t[static_cast<std::size_t>(i)])] = i;
    for (int c : ends) activate(c);
  }

 private:
  std::int64_t d(int a, int b) const { return m_m.at(a, b); }
  int succ(int c) const {
    return m_t[static_cast<std::size_t>((m_pos[static_cast<std::size_t>(c)] + 1) % m_n)];
  }
  int pred(int c) const {
    return m_t[static_cast<std::size_t>((m_pos[static_cast<std::size_t>(c)] + m_n - 1) % m_n)];
  }
  const int* neigh(int a) const { return m_neigh.data() + static_cast<std::ptrdiff_t>(a) * m_k; }

  /// Reverses the cyclic path from position i forward to position j (the shorter way round).
  void reverse(int i, int j) {
    int len = (j - i + m_n) % m_n + 1;
    if (2 * len > m_n) {  // reverse the complement instead: same cyclic tour
      const int ni = (j + 1) % m_n, nj = (i + m_n - 1) % m_n;
      i = ni;
      j = nj;
      len = m_n - len;
    }
    for (int k = 0; k < len / 2; ++k) {
      const int a = m_t[static_cast<std::size_t>(i)], b = m_t[static_cast<std::size_t>(j)];
      m_t[static_cast<std::size_t>(i)] = b;
      m_pos[static_cast<std::size_t>(b)] = i;
      m_t[static_cast<std::size_t>(j)] = a;
      m_pos[static_cast<std::size_t>(a)] = j;
      i = (i + 1) % m_n;
      j = (j + m_n - 1) % m_n;
    }
  }

  bool try_2opt(int a) {
    for (int dir = 0; dir < 2; ++dir) {
      const int b = dir == 0 ? succ(a) : pred(a);
      const std::int64_t dab = d(a, b);
      const int* nb = neigh(a);
      for (int k = 0; k < m_k; ++k) {
        const int c = nb[k];
        const std::int64_t dac = d(a, c);
        if (dac >= dab) break;
        const int dd = dir == 0 ? succ(c) : pred(c);
        if (c == b || dd == a) continue;
        const std::int64_t delta = dac + d(b, dd) - dab - d(c, dd);
        if (delta < 0) {
          if (dir == 0)
            reverse(m_pos[static_cast<std::size_t>(b)], m_pos[static_cast<std::size_t>(c)]);
          else
            reverse(m_pos[static_cast<std::size_t>(a)], m_pos[static_cast<std::size_t>(dd)]);
          m_len += delta;
          activate(b);
          activate(c);
          activate(dd);
          return true;
        }
      }
    }
    return false;
  }

  /// Moves the segment of 1-3 cities starting at `a` (forward) between two other cities.
  bool try_oropt(int a) {
    for (int len = 1; len <= 3 && len + 3 <= m_n; ++len) {
      const int pa = m_pos[static_cast<std::size_t>(a)];
      const int s0 = a, sl = m_t[static_cast<std::size_t>((pa + len - 1) % m_n)];
      const int p = pred(s0), nx = succ(sl);
      const std::int64_t g1 = d(p, s0) + d(sl, nx) - d(p, nx);
      if (g1 <= 0) continue;
      auto in_seg = [&](int c) { return (m_pos[static_cast<std::size_t>(c)] - pa + m_n) % m_n < len; };
      for (int end = 0; end < 2; ++end) {
        const int x = end == 0 ? s0 : sl;
        const int* nb = neigh(x);
        for (int k = 0; k < m_k; ++k) {
          const int y = nb[k];
          if (d(x, y) >= g1) break;
          if (in_seg(y)) continue;
          // Two placements put x next to y: y before x or y after x.
          for (int side = 0; side < 2; ++side) {
            const int c = side == 0 ? y : pred(y);  // insert between c and c2 = succ(c)
            const int c2 = side == 0 ? succ(y) : y;
            if (in_seg(c) || in_seg(c2)) continue;
            // Orientation: which segment end sits next to c.
            const bool forward = (x == s0) == (side == 0);
            const int first = forward ? s0 : sl, last = forward ? sl : s0;
            const std::int64_t add = d(c, first) + d(last, c2) - d(c, c2);
            if (add - g1 < 0) {
              apply_oropt(pa, len, c, forward);
              m_len += add - g1;
              activate(p);
              activate(nx);
              activate(c);
              activate(c2);
              activate(s0);
              activate(sl);
              return true;
            }
          }
        }
      }
    }
    return false;
  }

  void apply_oropt(int pa, int len, int c, bool forward) {
    m_seg.clear();
    for (int i = 0; i < len; ++i) m_seg.push_back(m_t[static_cast<std::size_t>((pa + i) % m_n)]);
    if (!forward) std::reverse(m_seg.begin(), m_seg.end());
    m_buf.clear();
    for (int i = 0; i < m_n - len; ++i) {
      const int city = m_t[static_cast<std::size_t>((pa + len + i) % m_n)];
      m_buf.push_back(city);
      if (city == c) m_buf.insert(m_buf.end(), m_seg.begin(), m_seg.end());
    }
    m_t.swap(m_buf);
    for (int i = 0; i < m_n; ++i) m_pos[static_cast<std::size_t>(m_t[static_cast<std::size_t>(i)])] = i;
  }

  const CostMatrix& m_m;
  int m_n;
  int m_k = 0;
  bool m_or_opt;
  std::vector<int> m_neigh;
  std::vector<int> m_t, m_pos, m_seg, m_buf;
  std::vector<char> m_active;
  std::deque<int> m_queue;
  std::int64_t m_len = 0;
};

/// Rotates a tour so that city 0 comes first.
std::vector<int> from_zero(std::vector<int> t) {
  const auto it = std::find(t.begin(), t.end(), 0);
  if (it != t.end()) std::rotate(t.begin(), it, t.end());
  return t;
}

}  // namespace

TspResult tsp_nearest_neighbour_2opt(const CostMatrix& m, int neighbours) {
  TspResult r;
  if (m.n == 0) return r;
  LocalSearch ls(m, neighbours, false);
  ls.set_tour(tsp_nearest_neighbour(m));
  ls.activate_all();
  ls.optimise();
  r.order = from_zero(ls.tour());
  r.length = tour_length(m, r.order);
  return r;
}

TspResult solve_tsp(const CostMatrix& m, const TspParams& params) {
  TspResult r;
  if (m.n == 0) return r;
  LocalSearch ls(m, params.neighbours, params.or_opt);
  ls.set_tour(tsp_nearest_neighbour(m));
  ls.activate_all();
  ls.optimise();
  std::vector<int> best = ls.tour();
  std::int64_t best_len = ls.length();
  const int iters = params.iterations >= 0 ? params.iterations : std::min(200000, 100 * m.n + 1000);
  detail::Rng rng(params.seed);
  int done = 0;
  if (m.n >= 8) {
    for (; done < iters; ++done) {
      ls.kick(rng);
      ls.optimise();
      if (ls.length() <= best_len) {
        best_len = ls.length();
        best = ls.tour();
      } else {
        ls.set_tour(best);
      }
    }
  }
  r.order = from_zero(best);
  r.length = tour_length(m, r.order);
  r.iterations = done;
  return r;
}

}  // namespace kepumap::optimize
