// Caravan tours: the day-by-day simulation that defines feasibility and cost, the routing
// model for the generic search, the season calendar and the year's totals.
#include "optimize/caravan.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "optimize/tour_search.hpp"

namespace kepumap::optimize {

namespace {

constexpr std::int64_t DAY = 86400;

std::string hours(std::int64_t s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(s) / 3600.0);
  return buf;
}

/// For each node, the lodging places (and the depot) ordered by driving time from it,
/// unreachable ones left out. Empty when crews may sleep anywhere.
std::vector<std::vector<int>> lodging_index(const CaravanProblem& p) {
  const int n = static_cast<int>(p.stops.size());
  std::vector<std::vector<int>> idx(static_cast<std::size_t>(n));
  if (p.settings.overnight_anywhere) return idx;
  std::vector<int> places;
  for (int h = 0; h < n; ++h)
    if (h == p.depot || p.stops[static_cast<std::size_t>(h)].lodging) places.push_back(h);
  for (int a = 0; a < n; ++a) {
    auto& l = idx[static_cast<std::size_t>(a)];
    for (int h : places)
      if (p.time.at(a, h) != core::UNREACHABLE) l.push_back(h);
    std::sort(l.begin(), l.end(), [&](int x, int y) {
      return p.time.at(a, x) != p.time.at(a, y) ? p.time.at(a, x) < p.time.at(a, y) : x < y;
    });
  }
  return idx;
}

/// The greedy day-by-day simulation of one tour.
class TourSim {
 public:
  TourSim(const CaravanProblem& p, CaravanTour* out) : m_p(p), m_s(p.settings), m_out(out) {
    m_cur = p.depot;
    m_t = m_s.day_start;
  }
  /// Places with lodging, per node nearest first (needed only when crews may not sleep anywhere).
  void set_lodging(const std::vector<std::vector<int>>* lodging) { m_lodging_list = lodging; }

  bool run(const std::vector<int>& stops) {
    for (std::size_t i = 0; i < stops.size(); ++i) {
      const bool last = i + 1 == stops.size();
      if (!step(stops[i], false, last ? m_p.depot : stops[i + 1], last)) return false;
    }
    if (!step(m_p.depot, true, m_p.depot, true)) return false;
    m_days = m_day + 1;
    if (m_days > m_s.max_tour_days) return false;
    if (m_out) {
      m_out->days = m_days;
      m_out->drive = static_cast<core::ISeconds>(m_drive_total);
      m_out->meters = m_meters;
      m_out->stops = stops;
    }
    return true;
  }
  std::int64_t drive_total() const { return m_drive_total; }
  int days() const { return m_days; }

 private:
  std::int64_t T(int a, int b) const {
    const std::int32_t v = m_p.time.at(a, b);
    return v == core::UNREACHABLE ? -1 : v;
  }
  bool sleepable(int node) const {
    return m_s.overnight_anywhere || node == m_p.depot || m_p.stops[static_cast<std::size_t>(node)].lodging;
  }

  /// Would leg from->j (and the exhibition at j unless final) fit a day at clock t with
  /// `drive` seconds already driven? Sets the exhibition end (or arrival) time.
  bool fits(int from, std::int64_t t, std::int64_t drive, int j, bool final, std::int64_t& end) const {
    const std::int64_t leg = T(from, j);
    if (leg < 0 || drive + leg > m_s.max_drive_per_day) return false;
    const std::int64_t arrive = t + leg;
    if (final) {
      end = arrive;
      return arrive <= m_s.day_end;
    }
    const auto& st = m_p.stops[static_cast<std::size_t>(j)];
    const std::int64_t begin = std::max<std::int64_t>(arrive, st.open);
    end = begin + st.service;
    return end <= std::min<std::int64_t>(st.close, m_s.day_end);
  }

  void emit(StepKind k, std::int64_t a, std::int64_t b, int from, int to) {
    if (!m_out) return;
    m_out->steps.push_back(
        ItineraryStep{m_day, static_cast<core::ISeconds>(a), static_cast<core::ISeconds>(b), k, from, to});
  }

  void drive_to(int j) {
    const std::int64_t leg = T(m_cur, j);
    if (m_cur != j) emit(StepKind::Drive, m_t, m_t + leg, m_cur, j);
    m_t += leg;
    m_drive_today += leg;
    m_drive_total += leg;
    if (m_p.meters.n == m_p.time.n && m_cur != j) m_meters += m_p.meters.at(m_cur, j);
    m_cur = j;
  }

  void exhibit_here(bool final) {
    if (final) return;
    const auto& st = m_p.stops[static_cast<std::size_t>(m_cur)];
    const std::int64_t begin = std::max<std::int64_t>(m_t, st.open);
    if (begin > m_t) emit(StepKind::Wait, m_t, begin, m_cur, m_cur);
    emit(StepKind::Exhibit, begin, begin + st.service, m_cur, m_cur);
    m_t = begin + st.service;
  }

  void sleep() {
    emit(StepKind::Overnight, m_t, DAY + m_s.day_start, m_cur, m_cur);
    ++m_day;
    m_t = m_s.day_start;
    m_drive_today = 0;
  }

  /// After exhibiting at j (ending at `end` with `drive` driven today), would the crew be stuck:
  /// no bed at j, the next leg does not fit today, and no bed within today's reach?
  bool stranded(int j, std::int64_t end, std::int64_t drive, int next, bool next_final) const {
    if (sleepable(j)) return false;
    std::int64_t e = 0;
    if (fits(j, end, drive, next, next_final, e)) return false;
    if (!m_lodging_list) return true;
    for (int h : (*m_lodging_list)[static_cast<std::size_t>(j)]) {
      const std::int64_t l = T(j, h);
      if (l < 0 || drive + l > m_s.max_drive_per_day) break;
      if (end + l <= m_s.day_end) return false;
    }
    return true;
  }

  bool step(int j, bool final, int next, bool next_final) {
    std::int64_t end = 0;
    if (fits(m_cur, m_t, m_drive_today, j, final, end)) {
      // Crews that sleep only at lodging look one leg ahead: if going on now would strand them
      // at j, sleep first (here or at a bed nearby) and go tomorrow, when that is possible.
      if (!final && !m_s.overnight_anywhere && m_day + 1 < m_s.max_tour_days &&
          stranded(j, end, m_drive_today + T(m_cur, j), next, next_final) && sleep_then(j, final, true))
        return true;
      drive_to(j);
      exhibit_here(final);
      return true;
    }
    if (m_day + 1 >= m_s.max_tour_days) return false;
    return sleep_then(j, final, false);
  }

  /// Sleep somewhere and do j tomorrow: at j itself (drive today), here, or at a lodging place.
  /// Returns false, with nothing changed, when no bed works.
  bool sleep_then(int j, bool final, bool not_at_j) {
    std::int64_t end = 0;
    const bool fresh = m_t == m_s.day_start && m_drive_today == 0;
    int best = -1;
    std::int64_t best_extra = 0;
    auto consider = [&](int h, int rank) {
      if (!sleepable(h)) return;
      if (h == m_cur && fresh) return;  // sleeping at the start of a day gains nothing
      const std::int64_t l1 = T(m_cur, h);
      if (l1 < 0 || m_drive_today + l1 > m_s.max_drive_per_day || m_t + l1 > m_s.day_end) return;
      std::int64_t e = 0;
      if (!fits(h, m_s.day_start, 0, j, final, e)) return;
      const std::int64_t extra = (l1 + T(h, j) - T(m_cur, j)) * 4 + rank;
      if (best < 0 || extra < best_extra) {
        best = h;
        best_extra = extra;
      }
    };
    if (!final && !not_at_j && T(m_cur, j) >= 0) consider(j, 0);
    consider(m_cur, 1);
    if (!m_s.overnight_anywhere && m_lodging_list) {
      // Nearest lodging places first; stop when out of today's driving or after 4 that work.
      int found = 0;
      for (int h : (*m_lodging_list)[static_cast<std::size_t>(m_cur)]) {
        const std::int64_t l1 = T(m_cur, h);
        if (l1 < 0 || m_drive_today + l1 > m_s.max_drive_per_day) break;
        const int before = best;
        const std::int64_t before_extra = best_extra;
        consider(h, 2);
        if (best != before || best_extra != before_extra || best == h) ++found;
        if (found >= 4) break;
      }
    }
    if (best < 0) return false;
    drive_to(best);
    sleep();
    if (!fits(m_cur, m_t, m_drive_today, j, final, end)) return false;
    drive_to(j);
    exhibit_here(final);
    return true;
  }

  const CaravanProblem& m_p;
  const CaravanSettings& m_s;
  CaravanTour* m_out;
  const std::vector<std::vector<int>>* m_lodging_list = nullptr;
  int m_cur = 0, m_day = 0, m_days = 0;
  std::int64_t m_t = 0, m_drive_today = 0, m_drive_total = 0, m_meters = 0;
};

/// The caravan routing model for detail::RoutingSearch: one round of visits.
class CaravanModel {
 public:
  struct Cache {
    std::int64_t cost = 0;
    std::int64_t drive = 0;   ///< driving the simulation did (with detours)
    std::int64_t direct = 0;  ///< sum of the direct legs depot -> stops -> depot
  };

  CaravanModel(const CaravanProblem& p, std::vector<int> customers)
      : m_p(p), m_customers(std::move(customers)) {
    const std::size_t n = p.stops.size();
    m_lodging = lodging_index(p);
    m_neigh.resize(n);
    auto sym = [&](int a, int b) {
      const std::int64_t x = p.time.at(a, b), y = p.time.at(b, a);
      return (x == core::UNREACHABLE ? 1'000'000'000LL : x) + (y == core::UNREACHABLE ? 1'000'000'000LL : y);
    };
    for (int c : m_customers) {
      auto& nb = m_neigh[static_cast<std::size_t>(c)];
      for (int o : m_customers)
        if (o != c) nb.push_back(o);
      std::sort(nb.begin(), nb.end(), [&](int a, int b) {
        const auto da = sym(c, a), db = sym(c, b);
        return da != db ? da < db : a < b;
      });
    }
  }

  std::int64_t leg(int a, int b) const {
    const auto v = m_p.time.at(a, b);
    return v == core::UNREACHABLE ? 1'000'000'000LL : v;
  }
  const std::vector<int>& customers() const { return m_customers; }
  int max_routes() const { return static_cast<int>(m_customers.size()); }
  const std::vector<int>& neighbours(int c) const { return m_neigh[static_cast<std::size_t>(c)]; }
  std::int64_t absent_penalty(int c) const {
    return 10'000'000'000LL * (1 + std::max(0, m_p.stops[static_cast<std::size_t>(c)].priority));
  }
  std::int64_t depot_cost(int c) const {
    const auto v = m_p.time.at(m_p.depot, c);
    return v == core::UNREACHABLE ? 1'000'000'000LL : v;
  }
  std::int64_t weight(int c) const {
    const auto& s = m_p.stops[static_cast<std::size_t>(c)];
    return static_cast<std::int64_t>(s.priority) * 1'000'000 + s.service;
  }

  bool route_cost(const std::vector<int>& r, std::int64_t& cost) const {
    cost = 0;
    if (r.empty()) return true;
    TourSim sim(m_p, nullptr);
    sim.set_lodging(&m_lodging);
    if (!sim.run(r)) return false;
    cost = sim.drive_total() + m_p.settings.day_cost * sim.days();
    return true;
  }
  void build(const std::vector<int>& r, Cache& c) const {
    c = Cache{};
    if (r.empty()) return;
    TourSim sim(m_p, nullptr);
    sim.set_lodging(&m_lodging);
    if (sim.run(r)) {
      c.drive = sim.drive_total();
      c.cost = c.drive + m_p.settings.day_cost * sim.days();
    }
    int prev = m_p.depot;
    for (int x : r) {
      c.direct += leg(prev, x);
      prev = x;
    }
    c.direct += leg(prev, m_p.depot);
  }
  bool insertion(const std::vector<int>& r, const Cache& cache, int pos, int c, std::int64_t bound,
                 std::int64_t& delta) const {
    // Lower bound: the new tour drives at least its direct legs and takes no fewer days.
    const int prev = pos == 0 ? m_p.depot : r[static_cast<std::size_t>(pos - 1)];
    const int next = pos == static_cast<int>(r.size()) ? m_p.depot : r[static_cast<std::size_t>(pos)];
    const std::int64_t tri = leg(prev, c) + leg(c, next) - leg(prev, next);
    if (cache.direct + tri - cache.drive >= bound) return false;
    m_scratch.assign(r.begin(), r.end());
    m_scratch.insert(m_scratch.begin() + pos, c);
    std::int64_t cost = 0;
    if (!route_cost(m_scratch, cost)) return false;
    delta = cost - cache.cost;
    return true;
  }

 private:
  const CaravanProblem& m_p;
  std::vector<int> m_customers;
  std::vector<std::vector<int>> m_neigh;
  std::vector<std::vector<int>> m_lodging;
  mutable std::vector<int> m_scratch;
};

/// Why a stop could not be put in any tour (中文 first, then English).
std::string absent_reason(const CaravanProblem& p, int s) {
  const auto& st = p.stops[static_cast<std::size_t>(s)];
  const auto& cfg = p.settings;
  const std::int32_t out = p.time.at(p.depot, s), back = p.time.at(s, p.depot);
  if (out == core::UNREACHABLE || back == core::UNREACHABLE)
    return "驻地与该点之间没有可通行的路线 (no route between the depot and this stop)";
  const std::int64_t window =
      std::min<std::int64_t>(st.close, cfg.day_end) - std::max<std::int64_t>(st.open, cfg.day_start);
  if (st.service > window)
    return "展览 " + hours(st.service) + " 小时放不进每天 " + hours(std::max<std::int64_t>(0, window)) +
           " 小时的开放时间 (the " + hours(st.service) + " h exhibition does not fit the " +
           hours(std::max<std::int64_t>(0, window)) + " h opening window)";
  // Nearest place a crew could have slept before driving here.
  std::int64_t nearest = out;
  for (std::size_t o = 0; o < p.stops.size(); ++o) {
    if (static_cast<int>(o) == s) continue;
    if (!(cfg.overnight_anywhere || p.stops[o].lodging)) continue;
    if (cfg.overnight_anywhere && p.stops[o].visits_per_year <= 0 && !p.stops[o].lodging) continue;
    const std::int32_t v = p.time.at(static_cast<int>(o), s);
    if (v != core::UNREACHABLE) nearest = std::min<std::int64_t>(nearest, v);
  }
  if (nearest > cfg.max_drive_per_day) {
    if (nearest == out)
      return "距驻地 " + hours(out) + " 小时车程，超过每日驾驶上限 " + hours(cfg.max_drive_per_day) +
             " 小时 (" + hours(out) + " h from the depot, more than a day's drive)";
    return "距最近的住宿点 " + hours(nearest) + " 小时车程，超过每日驾驶上限 " +
           hours(cfg.max_drive_per_day) + " 小时 (" + hours(nearest) +
           " h from the nearest place to sleep, more than a day's drive)";
  }
  return "在最长 " + std::to_string(cfg.max_tour_days) + " 天的行程内无法往返 (no round trip fits the " +
         std::to_string(cfg.max_tour_days) + "-day tour limit)";
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

}  // namespace

int days_in_year(int year) { return leap(year) ? 366 : 365; }

int month_of(int year, int day_of_year) {
  static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int d = day_of_year;
  for (int m = 0; m < 12; ++m) {
    const int l = len[m] + (m == 1 && leap(year) ? 1 : 0);
    if (d < l) return m + 1;
    d -= l;
  }
  return 12;
}

std::string clock_string(long long s) {
  char buf[48];
  const long long day = s / 86400;
  s %= 86400;
  if (day > 0)
    std::snprintf(buf, sizeof buf, "%02lld:%02lld (+%lld)", s / 3600, (s % 3600) / 60, day);
  else
    std::snprintf(buf, sizeof buf, "%02lld:%02lld", s / 3600, (s % 3600) / 60);
  return buf;
}

std::string date_string(int year, int day_of_year) {
  static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int d = day_of_year, m = 0;
  while (m < 11) {
    const int l = len[m] + (m == 1 && leap(year) ? 1 : 0);
    if (d < l) break;
    d -= l;
    ++m;
  }
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, m + 1, d + 1);
  return buf;
}

std::vector<std::string> validate(const CaravanProblem& p) {
  std::vector<std::string> out;
  const int n = static_cast<int>(p.stops.size());
  const auto& s = p.settings;
  if (n == 0) out.push_back("没有站点 (no stops)");
  if (p.time.n != n)
    out.push_back("时间矩阵大小 " + std::to_string(p.time.n) + " 与站点数 " + std::to_string(n) +
                  " 不符 (time matrix size does not match the stops)");
  if (p.meters.n != 0 && p.meters.n != n)
    out.push_back("距离矩阵大小与站点数不符 (distance matrix size does not match the stops)");
  if (p.depot < 0 || p.depot >= n) out.push_back("驻地编号无效 (depot index out of range)");
  if (s.day_start < 0 || s.day_end > 24 * 3600 || s.day_start >= s.day_end)
    out.push_back("工作日时间无效 (working day must satisfy 0 <= start < end <= 24 h)");
  if (s.max_drive_per_day <= 0) out.push_back("每日驾驶上限必须为正 (daily driving limit must be positive)");
  if (s.max_tour_days < 1) out.push_back("最长行程天数至少为 1 (longest tour must be at least 1 day)");
  if (s.vehicles < 1) out.push_back("车辆数至少为 1 (at least one vehicle)");
  if (s.rest_days < 0) out.push_back("休整天数不能为负 (rest days must not be negative)");
  if (s.iterations < 0) out.push_back("迭代次数不能为负 (iterations must not be negative)");
  for (int m : s.blocked_months)
    if (m < 1 || m > 12)
      out.push_back("停运月份 " + std::to_string(m) + " 无效 (blocked month must be 1..12)");
  for (const auto& [a, b] : s.blocked_days)
    if (a < 1 || b < a || b > days_in_year(s.year))
      out.push_back("停运日期范围无效 (blocked day range must be 1-based days of the year, first <= last)");
  for (int i = 0; i < n; ++i) {
    const auto& st = p.stops[static_cast<std::size_t>(i)];
    if (st.visits_per_year < 0 || st.service < 0 || st.open < 0 || st.close > 48 * 3600 || st.open > st.close)
      out.push_back(st.name + ": 站点参数无效 (visits, service time or opening hours out of range)");
  }
  if (p.time.n == n)
    for (int i = 0; i < n && out.empty(); ++i)
      for (int j = 0; j < n; ++j)
        if (p.time.at(i, j) < 0) {
          out.push_back("时间矩阵含负值 (negative travel time in the matrix)");
          break;
        }
  return out;
}

bool simulate_tour(const CaravanProblem& p, const std::vector<int>& stops, CaravanTour* out) {
  if (out) {
    out->steps.clear();
    out->stops.clear();
  }
  const auto lodging = lodging_index(p);
  TourSim sim(p, out);
  sim.set_lodging(&lodging);
  return sim.run(stops);
}

namespace {

void schedule_plan(const CaravanProblem& p, CaravanPlan& plan, std::vector<std::string> reason);

using LodgingIndex = std::vector<std::vector<int>>;

/// Driving + day cost of a tour order, or -1 if infeasible.
std::int64_t order_cost(const CaravanProblem& p, const LodgingIndex& lodging, const std::vector<int>& r) {
  if (r.empty()) return 0;
  TourSim sim(p, nullptr);
  sim.set_lodging(&lodging);
  if (!sim.run(r)) return -1;
  return sim.drive_total() + p.settings.day_cost * sim.days();
}

/// First-improvement 2-opt and relocate within one tour order.
void improve_order(const CaravanProblem& p, const LodgingIndex& lodging, std::vector<int>& r) {
  std::int64_t best = order_cost(p, lodging, r);
  if (best < 0) return;
  bool better = true;
  for (int pass = 0; better && pass < 20; ++pass) {
    better = false;
    const std::size_t n = r.size();
    for (std::size_t i = 0; i + 1 < n && !better; ++i)
      for (std::size_t j = i + 1; j < n && !better; ++j) {
        std::vector<int> c = r;
        std::reverse(c.begin() + static_cast<std::ptrdiff_t>(i),
                     c.begin() + static_cast<std::ptrdiff_t>(j) + 1);
        const std::int64_t v = order_cost(p, lodging, c);
        if (v >= 0 && v < best) {
          r = std::move(c);
          best = v;
          better = true;
        }
      }
    for (std::size_t i = 0; i < n && !better; ++i)
      for (std::size_t j = 0; j < n && !better; ++j) {
        if (i == j) continue;
        std::vector<int> c = r;
        const int x = c[i];
        c.erase(c.begin() + static_cast<std::ptrdiff_t>(i));
        c.insert(c.begin() + static_cast<std::ptrdiff_t>(j), x);
        const std::int64_t v = order_cost(p, lodging, c);
        if (v >= 0 && v < best) {
          r = std::move(c);
          best = v;
          better = true;
        }
      }
  }
}

}  // namespace

bool move_stop(const CaravanProblem& p, CaravanPlan& plan, int stop, int from_tour, int to_tour,
               std::string* why) {
  auto fail = [&](const std::string& w) {
    if (why) *why = w;
    return false;
  };
  const int nt = static_cast<int>(plan.tours.size());
  if (from_tour < 0 || from_tour >= nt || to_tour < 0 || to_tour >= nt)
    return fail("行程编号无效 (tour index out of range)");
  auto& from = plan.tours[static_cast<std::size_t>(from_tour)];
  auto& to = plan.tours[static_cast<std::size_t>(to_tour)];
  const auto it = std::find(from.stops.begin(), from.stops.end(), stop);
  if (it == from.stops.end())
    return fail("该站点不在原行程中 (the stop is not in the tour it is dragged from)");
  if (from_tour == to_tour) return true;
  if (std::find(to.stops.begin(), to.stops.end(), stop) != to.stops.end())
    return fail("目标行程已到访该站点 (the target tour already visits this stop)");
  const std::string& name = p.stops[static_cast<std::size_t>(stop)].name;
  // Cheapest feasible place in the target tour.
  const LodgingIndex lodging = lodging_index(p);
  std::vector<int> best_to;
  std::int64_t best = -1;
  for (std::size_t pos = 0; pos <= to.stops.size(); ++pos) {
    std::vector<int> c = to.stops;
    c.insert(c.begin() + static_cast<std::ptrdiff_t>(pos), stop);
    const std::int64_t v = order_cost(p, lodging, c);
    if (v >= 0 && (best < 0 || v < best)) {
      best = v;
      best_to = std::move(c);
    }
  }
  if (best < 0)
    return fail(name +
                ": 目标行程放不下该站点（每日驾驶、工作时间或最长天数） (the target tour cannot take it "
                "within the daily driving, working day or longest tour)");
  std::vector<int> rest = from.stops;
  rest.erase(rest.begin() + (it - from.stops.begin()));
  improve_order(p, lodging, best_to);
  improve_order(p, lodging, rest);
  if (order_cost(p, lodging, rest) < 0)
    return fail(name + ": 移走后原行程不可行 (the tour it leaves would become infeasible)");
  // Commit: simulate both, drop an emptied tour, reschedule.
  std::vector<std::string> reason(p.stops.size());
  for (const auto& u : plan.unserved)
    if (u.reason.find("vehicle-days") == std::string::npos)
      reason[static_cast<std::size_t>(u.stop)] = u.reason;
  const int round_to = to.round, round_from = from.round;
  simulate_tour(p, best_to, &to);
  to.round = round_to;
  simulate_tour(p, rest, &from);
  from.round = round_from;
  if (rest.empty()) plan.tours.erase(plan.tours.begin() + from_tour);
  schedule_plan(p, plan, std::move(reason));
  return true;
}

SequenceEvaluation evaluate_sequence(const CaravanProblem& p, const std::vector<int>& sequence) {
  SequenceEvaluation ev;
  std::vector<int> cur;
  auto close = [&]() {
    if (cur.empty()) return;
    CaravanTour t;
    simulate_tour(p, cur, &t);
    ev.days += t.days;
    ev.drive += t.drive;
    ev.meters += t.meters;
    ev.tours.push_back(std::move(t));
    cur.clear();
  };
  for (int s : sequence) {
    cur.push_back(s);
    if (simulate_tour(p, cur, nullptr)) continue;
    cur.pop_back();
    close();
    cur.push_back(s);
    if (!simulate_tour(p, cur, nullptr)) {
      cur.clear();
      ev.unserved.push_back(UnservedStop{s, 1, absent_reason(p, s)});
    }
  }
  close();
  return ev;
}

std::string check_tour(const CaravanProblem& p, const CaravanTour& t) {
  const auto& s = p.settings;
  if (t.days < 1 || t.days > s.max_tour_days) return "tour lasts " + std::to_string(t.days) + " days";
  int where = p.depot, day = 0, exhibited = 0;
  std::int64_t clock = s.day_start, drive_today = 0;
  for (std::size_t k = 0; k < t.steps.size(); ++k) {
    const auto& st = t.steps[k];
    const std::string at = "step " + std::to_string(k) + ": ";
    if (st.day != day) return at + "day does not follow on";
    if (st.start != clock)
      return at + "starts at " + std::to_string(st.start) + ", expected " + std::to_string(clock);
    if (st.end < st.start) return at + "ends before it starts";
    if (st.from != where) return at + "starts away from where the crew is";
    if (st.start < s.day_start) return at + "before the working day";
    if (st.kind != StepKind::Overnight && st.end > s.day_end) return at + "after the working day";
    switch (st.kind) {
      case StepKind::Drive:
        if (st.end - st.start != p.time.at(st.from, st.to)) return at + "drive time differs from the matrix";
        drive_today += st.end - st.start;
        if (drive_today > s.max_drive_per_day) return at + "daily driving limit broken";
        where = st.to;
        break;
      case StepKind::Wait:
        if (st.to != where) return at + "wait moves";
        break;
      case StepKind::Exhibit: {
        const auto& stop = p.stops[static_cast<std::size_t>(where)];
        if (st.to != where) return at + "exhibit moves";
        if (st.start < stop.open || st.end > stop.close) return at + "exhibition outside opening hours";
        if (st.end - st.start != stop.service) return at + "exhibition length differs";
        if (exhibited >= static_cast<int>(t.stops.size()) ||
            t.stops[static_cast<std::size_t>(exhibited)] != where)
          return at + "exhibition out of order";
        ++exhibited;
        break;
      }
      case StepKind::Overnight:
        if (st.to != where) return at + "overnight moves";
        if (st.start > s.day_end) return at + "work ran past the working day";
        if (!(s.overnight_anywhere || where == p.depot || p.stops[static_cast<std::size_t>(where)].lodging))
          return at + "overnight at a place without lodging";
        if (st.end != DAY + s.day_start) return at + "overnight does not end next morning";
        ++day;
        drive_today = 0;
        clock = s.day_start;
        continue;
    }
    clock = st.end;
  }
  if (where != p.depot) return "tour does not end at the depot";
  if (exhibited != static_cast<int>(t.stops.size())) return "not every stop exhibited";
  if (day + 1 != t.days) return "day count differs from the itinerary";
  return {};
}

CaravanPlan plan_caravans(const CaravanProblem& p) {
  const auto problems = validate(p);
  if (!problems.empty()) throw std::invalid_argument(problems.front());
  const auto& cfg = p.settings;
  const int n = static_cast<int>(p.stops.size());
  CaravanPlan plan;

  int rounds = 0;
  for (int i = 0; i < n; ++i)
    if (i != p.depot) rounds = std::max(rounds, p.stops[static_cast<std::size_t>(i)].visits_per_year);

  std::vector<std::string> reason(static_cast<std::size_t>(n));
  std::vector<int> prev_set;
  std::vector<std::vector<int>> prev_routes;
  std::vector<int> prev_absent;
  for (int k = 0; k < rounds; ++k) {
    if (cfg.cancel && cfg.cancel->load(std::memory_order_relaxed)) break;  // the caller discards the plan
    std::vector<int> set;
    for (int i = 0; i < n; ++i)
      if (i != p.depot && p.stops[static_cast<std::size_t>(i)].visits_per_year > k) set.push_back(i);
    if (set != prev_set) {
      CaravanModel model(p, set);
      std::int64_t sum = 0;
      for (int c : set) sum += model.depot_cost(c) % 1'000'000'000LL;
      const double leg = std::max(
          60.0, 0.5 * static_cast<double>(sum) / static_cast<double>(std::max<std::size_t>(1, set.size())));
      detail::SearchSettings ss;
      ss.seed = cfg.seed + static_cast<std::uint64_t>(k) * 7919u;
      ss.iterations = cfg.iterations;
      ss.cancel = cfg.cancel;
      ss.t_start = 0.3 * leg;
      ss.t_end = 0.003 * leg;
      detail::RoutingSearch<CaravanModel> search(model, ss);
      auto sol = search.run();
      prev_routes = std::move(sol.routes);
      prev_absent = std::move(sol.absent);
      prev_set = std::move(set);
    }
    for (int a : prev_absent) {
      if (reason[static_cast<std::size_t>(a)].empty())
        reason[static_cast<std::size_t>(a)] = absent_reason(p, a);
    }
    for (const auto& r : prev_routes) {
      CaravanTour t;
      t.round = k;
      simulate_tour(p, r, &t);
      plan.tours.push_back(std::move(t));
    }
  }
  schedule_plan(p, plan, reason);
  return plan;
}

namespace {

/// Puts the plan's tours on the calendar (vehicle, first day) and recomputes the totals and the
/// unserved stops; `reason` holds, per stop, why the routing left it out (empty if it did not).
void schedule_plan(const CaravanProblem& p, CaravanPlan& plan, std::vector<std::string> reason) {
  const auto& cfg = p.settings;
  const int n = static_cast<int>(p.stops.size());
  int rounds = 0;
  for (const auto& t : plan.tours) rounds = std::max(rounds, t.round + 1);
  for (int i = 0; i < n; ++i)
    if (i != p.depot) rounds = std::max(rounds, p.stops[static_cast<std::size_t>(i)].visits_per_year);
  plan.unserved.clear();
  plan.totals = CaravanTotals{};
  for (auto& t : plan.tours) {
    t.vehicle = -1;
    t.first_day = -1;
  }
  std::vector<int> missing(static_cast<std::size_t>(n), 0);

  // Season calendar: open days, rounds spread over the season, vehicles in turn.
  const int ndays = days_in_year(cfg.year);
  std::vector<char> open(static_cast<std::size_t>(ndays), 1);
  for (int d = 0; d < ndays; ++d)
    if (std::find(cfg.blocked_months.begin(), cfg.blocked_months.end(), month_of(cfg.year, d)) !=
        cfg.blocked_months.end())
      open[static_cast<std::size_t>(d)] = 0;
  for (const auto& [a, b] : cfg.blocked_days)
    for (int d = a - 1; d <= b - 1 && d < ndays; ++d) open[static_cast<std::size_t>(std::max(0, d))] = 0;
  std::vector<int> open_days;
  for (int d = 0; d < ndays; ++d)
    if (open[static_cast<std::size_t>(d)]) open_days.push_back(d);
  plan.totals.open_days = static_cast<int>(open_days.size());

  auto tour_priority = [&](const CaravanTour& t) {
    int pr = 0;
    for (int s : t.stops) pr = std::max(pr, p.stops[static_cast<std::size_t>(s)].priority);
    return pr;
  };
  std::vector<std::size_t> order(plan.tours.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto& ta = plan.tours[a];
    const auto& tb = plan.tours[b];
    if (ta.round != tb.round) return ta.round < tb.round;
    return tour_priority(ta) > tour_priority(tb);
  });
  std::vector<int> free_from(static_cast<std::size_t>(cfg.vehicles), 0);
  for (std::size_t idx : order) {
    auto& t = plan.tours[idx];
    const int round_start =
        rounds > 0 && !open_days.empty()
            ? open_days[static_cast<std::size_t>(static_cast<long long>(t.round) *
                                                 static_cast<long long>(open_days.size()) / rounds)]
            : 0;
    int best_v = -1, best_d = -1;
    for (int v = 0; v < cfg.vehicles; ++v) {
      for (int d = std::max(round_start, free_from[static_cast<std::size_t>(v)]); d + t.days <= ndays; ++d) {
        bool ok = true;
        for (int x = d; x < d + t.days && ok; ++x) ok = open[static_cast<std::size_t>(x)] != 0;
        if (ok) {
          if (best_d < 0 || d < best_d) {
            best_d = d;
            best_v = v;
          }
          break;
        }
      }
    }
    if (best_v < 0) {
      for (int s : t.stops) {
        ++missing[static_cast<std::size_t>(s)];
        if (reason[static_cast<std::size_t>(s)].empty())
          reason[static_cast<std::size_t>(s)] =
              "季节内车辆日不足，第 " + std::to_string(t.round + 1) +
              " 轮的行程排不进日历 (not enough vehicle-days in the season for round " +
              std::to_string(t.round + 1) + ")";
      }
      continue;
    }
    t.vehicle = best_v;
    t.first_day = best_d;
    free_from[static_cast<std::size_t>(best_v)] = best_d + t.days + cfg.rest_days;
  }
  std::stable_sort(plan.tours.begin(), plan.tours.end(), [](const CaravanTour& a, const CaravanTour& b) {
    const bool sa = a.first_day >= 0, sb = b.first_day >= 0;
    if (sa != sb) return sa;
    if (a.first_day != b.first_day) return a.first_day < b.first_day;
    return a.vehicle < b.vehicle;
  });

  // Totals over scheduled tours.
  auto& tot = plan.totals;
  std::vector<int> done(static_cast<std::size_t>(n), 0);
  for (const auto& t : plan.tours) {
    if (t.first_day < 0) continue;
    ++tot.tours;
    tot.vehicle_days += t.days;
    tot.drive_hours += t.drive / 3600.0;
    tot.km += static_cast<double>(t.meters) / 1000.0;
    tot.visits += static_cast<int>(t.stops.size());
    for (int s : t.stops) ++done[static_cast<std::size_t>(s)];
  }
  for (int i = 0; i < n; ++i) {
    if (i == p.depot) continue;
    const auto& st = p.stops[static_cast<std::size_t>(i)];
    if (st.visits_per_year <= 0) continue;
    ++tot.stops_required;
    tot.visits_required += st.visits_per_year;
    if (done[static_cast<std::size_t>(i)] > 0) tot.people += st.population;
    if (done[static_cast<std::size_t>(i)] >= st.visits_per_year) {
      ++tot.stops_met;
    } else {
      plan.unserved.push_back(UnservedStop{i, st.visits_per_year - done[static_cast<std::size_t>(i)],
                                           reason[static_cast<std::size_t>(i)].empty()
                                               ? "未排入计划 (not planned)"
                                               : reason[static_cast<std::size_t>(i)]});
    }
  }
}

}  // namespace

}  // namespace kepumap::optimize
