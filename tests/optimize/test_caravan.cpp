// Caravan tours: hand-checked itineraries, unserved reasons, the season calendar, and a
// property test that no planned tour ever breaks a daily limit, the working day or a window.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <set>

#include "optimize/caravan.hpp"
#include "optimize/tour_rng.hpp"

using namespace kepumap::optimize;
using kepumap::core::ISeconds;

namespace {

constexpr ISeconds H = 3600;

/// prefix + number (written out to dodge a GCC 12 -Wrestrict false positive on operator+).
std::string named(const char* prefix, std::size_t i) {
  std::string s(prefix);
  s += std::to_string(i);
  return s;
}

CaravanStop stop(const std::string& name, int visits = 1) {
  CaravanStop s;
  s.name = name;
  s.visits_per_year = visits;
  s.service = 3 * H;
  s.population = 100;
  return s;
}

/// Stops on a line at the given hours from the depot (index 0 at 0 h); time = |difference|.
CaravanProblem line_problem(const std::vector<double>& hours_from_depot) {
  CaravanProblem p;
  p.stops.push_back(stop("旗政府 depot", 0));
  for (std::size_t i = 0; i < hours_from_depot.size(); ++i) p.stops.push_back(stop(named("嘎查", i + 1)));
  std::vector<double> h{0.0};
  h.insert(h.end(), hours_from_depot.begin(), hours_from_depot.end());
  const int n = static_cast<int>(h.size());
  p.time = CostMatrix(n);
  p.meters = CostMatrix(n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      const double d = std::fabs(h[static_cast<std::size_t>(i)] - h[static_cast<std::size_t>(j)]);
      p.time.at(i, j) = static_cast<std::int32_t>(std::lround(d * H));
      p.meters.at(i, j) = static_cast<std::int32_t>(std::lround(d * 60000.0));  // 60 km/h
    }
  p.settings.iterations = 300;
  return p;
}

CaravanProblem random_problem(std::uint64_t seed, int n) {
  detail::Rng rng(seed);
  CaravanProblem p;
  std::vector<double> x, y;
  for (int i = 0; i < n; ++i) {
    CaravanStop s =
        stop(named("s", static_cast<std::size_t>(i)), i == 0 ? 0 : 1 + (rng.below(4) == 0 ? 1 : 0));
    s.service = static_cast<ISeconds>((1 + rng.below(4)) * H);
    if (rng.below(3) == 0) {  // a school: exhibitions in opening hours
      s.open = 9 * H;
      s.close = 17 * H;
    }
    s.lodging = rng.below(4) == 0;
    s.priority = rng.below(3);
    s.population = 50 + rng.below(500);
    p.stops.push_back(s);
    x.push_back(i == 0 ? 200.0 : rng.uniform() * 400.0);  // km
    y.push_back(i == 0 ? 200.0 : rng.uniform() * 400.0);
  }
  p.time = CostMatrix(n);
  p.meters = CostMatrix(n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      const double km = std::hypot(x[static_cast<std::size_t>(i)] - x[static_cast<std::size_t>(j)],
                                   y[static_cast<std::size_t>(i)] - y[static_cast<std::size_t>(j)]) *
                        1.3;
      p.meters.at(i, j) = static_cast<std::int32_t>(km * 1000.0);
      p.time.at(i, j) = static_cast<std::int32_t>(km / 50.0 * H);  // 50 km/h on gravel
    }
  auto& s = p.settings;
  s.seed = seed;
  s.iterations = 250;
  s.overnight_anywhere = rng.below(2) == 0;
  s.max_drive_per_day = static_cast<ISeconds>((6 + rng.below(3)) * H);
  s.day_start = static_cast<ISeconds>((7 + rng.below(2)) * H);
  s.day_end = static_cast<ISeconds>((18 + rng.below(3)) * H);
  s.max_tour_days = 2 + rng.below(5);
  s.vehicles = 1 + rng.below(2);
  s.rest_days = rng.below(3);
  s.blocked_months = {1, 2, 12};
  if (rng.below(2) == 0) s.blocked_days.push_back({182, 195});  // a festival fortnight in July
  return p;
}

}  // namespace

TEST_CASE("A three-stop line gives the hand-computed two-day itinerary", "[caravan]") {
  // depot -2h- A -2h- B -2h- C; B exhibits only in the afternoon (14:00-20:00), C only in
  // the morning (08:00-12:00). The best plan is one 2-day tour with 12 h of driving.
  CaravanProblem p = line_problem({2, 4, 6});
  p.stops[2].open = 14 * H;
  p.stops[2].close = 20 * H;
  p.stops[3].open = 8 * H;
  p.stops[3].close = 12 * H;
  const auto plan = plan_caravans(p);
  REQUIRE(plan.unserved.empty());
  REQUIRE(plan.tours.size() == 1);
  CHECK(plan.tours[0].days == 2);
  CHECK(plan.tours[0].drive == 12 * H);
  CHECK(check_tour(p, plan.tours[0]).empty());
  // The order A, B, C simulated step by step:
  CaravanTour t;
  REQUIRE(simulate_tour(p, {1, 2, 3}, &t));
  CHECK(t.days == 2);
  CHECK(t.drive == 12 * H);
  CHECK(t.meters == 720000);
  CHECK(check_tour(p, t).empty());
  // C first cannot start before its window closes on day 0 and costs a third day.
  CaravanTour c_first;
  REQUIRE(simulate_tour(p, {3, 2, 1}, &c_first));
  CHECK(c_first.days == 3);
  // Day 0: drive 8-10, exhibit 10-13, drive 13-15, exhibit 15-18, drive 18-20 to C, sleep at C.
  // Day 1: exhibit 8-11 at C, drive home 11-17.
  using K = StepKind;
  const std::vector<K> kinds{K::Drive, K::Exhibit,   K::Drive,   K::Exhibit,
                             K::Drive, K::Overnight, K::Exhibit, K::Drive};
  REQUIRE(t.steps.size() == kinds.size());
  for (std::size_t i = 0; i < kinds.size(); ++i) CHECK(t.steps[i].kind == kinds[i]);
  CHECK(t.steps[4].end == 20 * H);
  CHECK(t.steps[5].to == 3);
  CHECK(t.steps[6].day == 1);
  CHECK(t.steps[6].start == 8 * H);
  CHECK(t.steps[7].end == 17 * H);
  CHECK(plan.totals.drive_hours == Approx(12.0));
  CHECK(plan.totals.km == Approx(720.0));
  CHECK(plan.totals.visits == 3);
  CHECK(plan.totals.share_met() == Approx(1.0));
  CHECK(plan.totals.people == Approx(300.0));
}

TEST_CASE("A stop beyond a day's drive is reported with the reason", "[caravan]") {
  CaravanProblem p = line_problem({2, 9.5});
  // 嘎查2 is 9.5 h from the depot and 7.5 h from 嘎查1; crews may sleep only at lodging.
  p.settings.overnight_anywhere = false;
  p.stops[2].name = "乌兰图雅嘎查";
  const auto plan = plan_caravans(p);
  REQUIRE(plan.unserved.size() == 1);
  CHECK(plan.unserved[0].stop == 2);
  CHECK(plan.unserved[0].missing == 1);
  CHECK(plan.unserved[0].reason.find("9.5 h from the depot, more than a day's drive") != std::string::npos);
  CHECK(plan.totals.stops_met == 1);
  CHECK(plan.totals.share_met() == Approx(0.5));

  // With lodging at 嘎查1 and a home stay at 乌兰图雅嘎查 the crew can get there and back.
  p.stops[1].lodging = true;
  p.stops[2].lodging = true;
  const auto plan2 = plan_caravans(p);
  CHECK(plan2.unserved.empty());
  REQUIRE(plan2.tours.size() == 1);
  CHECK(check_tour(p, plan2.tours[0]).empty());
}

TEST_CASE("Overnight only at lodging: the crew detours to a township seat", "[caravan]") {
  // depot 0, stops at 3 h and 6 h; 1 h beyond the first stop a township seat with lodging,
  // no exhibition there. Each day allows 7 h of driving and 10 h of work.
  CaravanProblem p = line_problem({3, 6, 4});
  p.stops[3].visits_per_year = 0;
  p.stops[3].lodging = true;
  p.stops[3].name = "苏木政府";
  p.settings.overnight_anywhere = false;
  p.settings.day_start = 8 * H;
  p.settings.day_end = 18 * H;
  p.settings.max_drive_per_day = 7 * H;
  const auto plan = plan_caravans(p);
  REQUIRE(plan.unserved.empty());
  REQUIRE(plan.tours.size() == 1);
  const auto& t = plan.tours[0];
  CHECK(check_tour(p, t).empty());
  bool slept_at_seat = false;
  for (const auto& st : t.steps)
    if (st.kind == StepKind::Overnight) {
      CHECK(st.to == 3);
      slept_at_seat = true;
    }
  CHECK(slept_at_seat);
  // Alone, the far stop needs a night at the seat on the way out: driving straight there (6 h)
  // would strand the crew (no bed there, 6 h home, seat 2 h away beyond the 7 h day).
  CaravanTour alone;
  REQUIRE(simulate_tour(p, {2}, &alone));
  CHECK(check_tour(p, alone).empty());
  CHECK(alone.days == 3);
  REQUIRE(alone.steps.size() >= 2);
  CHECK(alone.steps[0].to == 3);
  CHECK(alone.steps[1].kind == StepKind::Overnight);
}

TEST_CASE("Property: no planned tour breaks a daily limit, the working day or a window",
          "[caravan][property]") {
  for (std::uint64_t seed = 1; seed <= 16; ++seed) {
    const int n = 12 + static_cast<int>(seed % 5) * 6;
    const CaravanProblem p = random_problem(seed, n);
    REQUIRE(validate(p).empty());
    const auto plan = plan_caravans(p);
    INFO("seed " << seed);
    const auto& s = p.settings;
    std::vector<int> done(static_cast<std::size_t>(n), 0);
    std::vector<std::vector<std::pair<int, int>>> busy(static_cast<std::size_t>(s.vehicles));
    for (const auto& t : plan.tours) {
      INFO("tour round " << t.round << " stops " << t.stops.size());
      CHECK(check_tour(p, t).empty());
      CHECK(t.days <= s.max_tour_days);
      // Independent recount of the daily driving from the steps.
      std::vector<std::int64_t> per_day(static_cast<std::size_t>(t.days), 0);
      for (const auto& st : t.steps)
        if (st.kind == StepKind::Drive) per_day[static_cast<std::size_t>(st.day)] += st.end - st.start;
      for (auto d : per_day) CHECK(d <= s.max_drive_per_day);
      for (const auto& st : t.steps) {
        if (st.kind == StepKind::Overnight) continue;
        CHECK(st.start >= s.day_start);
        CHECK(st.end <= s.day_end);
        if (st.kind == StepKind::Exhibit) {
          CHECK(st.start >= p.stops[static_cast<std::size_t>(st.to)].open);
          CHECK(st.end <= p.stops[static_cast<std::size_t>(st.to)].close);
        }
      }
      if (t.first_day < 0) continue;
      for (int d = t.first_day; d < t.first_day + t.days; ++d) {
        const int m = month_of(s.year, d);
        CHECK(std::find(s.blocked_months.begin(), s.blocked_months.end(), m) == s.blocked_months.end());
        for (const auto& [a, b] : s.blocked_days) CHECK((d + 1 < a || d + 1 > b));
      }
      busy[static_cast<std::size_t>(t.vehicle)].push_back({t.first_day, t.first_day + t.days});
      for (int st : t.stops) ++done[static_cast<std::size_t>(st)];
    }
    // A vehicle's tours never overlap and keep the rest days between them.
    for (auto& b : busy) {
      std::sort(b.begin(), b.end());
      for (std::size_t i = 1; i < b.size(); ++i) CHECK(b[i].first >= b[i - 1].second + s.rest_days);
    }
    // Every required visit is either planned or reported missing, never more.
    std::vector<int> missing(static_cast<std::size_t>(n), 0);
    for (const auto& u : plan.unserved) {
      CHECK_FALSE(u.reason.empty());
      missing[static_cast<std::size_t>(u.stop)] = u.missing;
    }
    for (int i = 1; i < n; ++i)
      CHECK(done[static_cast<std::size_t>(i)] + missing[static_cast<std::size_t>(i)] ==
            p.stops[static_cast<std::size_t>(i)].visits_per_year);
  }
}

TEST_CASE("Caravan plans are deterministic for a seed", "[caravan]") {
  const CaravanProblem p = random_problem(77, 30);
  const auto a = plan_caravans(p);
  const auto b = plan_caravans(p);
  REQUIRE(a.tours.size() == b.tours.size());
  for (std::size_t i = 0; i < a.tours.size(); ++i) {
    CHECK(a.tours[i].stops == b.tours[i].stops);
    CHECK(a.tours[i].first_day == b.tours[i].first_day);
    CHECK(a.tours[i].vehicle == b.tours[i].vehicle);
  }
  CHECK(a.totals.drive_hours == b.totals.drive_hours);
}

TEST_CASE("A short season leaves second visits unplanned and says why", "[caravan][calendar]") {
  // Ten stops 7 h from the depot and 14 h from each other: every stop is its own 2-day tour.
  CaravanProblem p;
  p.stops.push_back(stop("depot", 0));
  const int n = 11;
  for (int i = 1; i < n; ++i) p.stops.push_back(stop(named("苏木", static_cast<std::size_t>(i)), 2));
  p.time = CostMatrix(n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) p.time.at(i, j) = i == j ? 0 : (i == 0 || j == 0 ? 7 * H : 14 * H);
  p.settings.iterations = 200;
  p.settings.vehicles = 1;
  p.settings.rest_days = 1;
  // Only June is open: 30 days = 10 two-day tours with a rest day each.
  p.settings.blocked_months = {1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12};
  const auto plan = plan_caravans(p);
  CHECK(plan.totals.open_days == 30);
  CHECK(plan.totals.tours == 10);
  CHECK(plan.totals.visits == 10);
  CHECK(plan.totals.visits_required == 20);
  CHECK(plan.totals.stops_met == 0);
  CHECK(plan.unserved.size() == 10);
  for (const auto& u : plan.unserved) {
    CHECK(u.missing == 1);
    CHECK(u.reason.find("vehicle-days") != std::string::npos);
  }
  for (const auto& t : plan.tours)
    if (t.first_day >= 0) CHECK(month_of(2025, t.first_day) == 6);

  // A second vehicle doubles the capacity: everything fits, second visits in the later half.
  p.settings.vehicles = 2;
  const auto plan2 = plan_caravans(p);
  CHECK(plan2.unserved.empty());
  for (const auto& t : plan2.tours)
    if (t.round == 1) CHECK(t.first_day >= 151 + 15);
}

TEST_CASE("Caravan input validation names the problem", "[caravan]") {
  CaravanProblem p = line_problem({1, 2});
  p.time = CostMatrix(2);
  auto msgs = validate(p);
  REQUIRE_FALSE(msgs.empty());
  CHECK(msgs.front().find("time matrix") != std::string::npos);
  CHECK_THROWS_AS(plan_caravans(p), std::invalid_argument);
  CaravanProblem q = line_problem({1});
  q.settings.day_start = 20 * H;
  q.settings.day_end = 8 * H;
  CHECK_FALSE(validate(q).empty());
  CHECK(date_string(2024, 59) == "2024-02-29");
  CHECK(date_string(2025, 59) == "2025-03-01");
  CHECK(days_in_year(2024) == 366);
  CHECK(clock_string(8 * H + 30 * 60) == "08:30");
  CHECK(clock_string(2 * 86400 + 17 * H + 5 * 60 + 59) == "17:05 (+2)");
}

TEST_CASE("An existing route is cut into feasible tours and compared", "[caravan]") {
  // depot -2h- A -2h- B -2h- C, visited in the order C, A, B with 2-day tours at most.
  CaravanProblem p = line_problem({2, 4, 6});
  p.settings.max_tour_days = 2;
  p.settings.max_drive_per_day = 6 * H;
  const auto ev = evaluate_sequence(p, {3, 1, 2});
  // C, A fits in 2 days (6 h out, 3 h show, sleep, 4 h to A, show, 2 h home); B no longer fits.
  REQUIRE(ev.tours.size() == 2);
  CHECK(ev.tours[0].stops == std::vector<int>{3, 1});
  CHECK(ev.tours[1].stops == std::vector<int>{2});
  CHECK(ev.unserved.empty());
  for (const auto& t : ev.tours) CHECK(check_tour(p, t).empty());
  CHECK(ev.days == ev.tours[0].days + ev.tours[1].days);
  CHECK(ev.drive == ev.tours[0].drive + ev.tours[1].drive);
  // The plan does at least as well as the existing order.
  const auto plan = plan_caravans(p);
  CHECK(plan.totals.vehicle_days <= ev.days);
  // A stop out of reach is reported, the rest still toured.
  CaravanProblem far = line_problem({2, 9.5});
  far.settings.overnight_anywhere = false;
  const auto ev2 = evaluate_sequence(far, {2, 1});
  REQUIRE(ev2.unserved.size() == 1);
  CHECK(ev2.unserved[0].stop == 2);
  REQUIRE(ev2.tours.size() == 1);
  CHECK(ev2.tours[0].stops == std::vector<int>{1});
}

TEST_CASE("Dragging a stop to another tour re-plans both and keeps every rule", "[caravan]") {
  // Two hand-made tours on the line depot -2h- A -2h- B -2h- C: {A} and {B, C}. Dragging A into
  // the second tour gives one 2-day tour {A, B, C}; the emptied tour is dropped.
  CaravanProblem p = line_problem({2, 4, 6});
  CaravanPlan plan;
  for (const auto& order : {std::vector<int>{1}, std::vector<int>{2, 3}}) {
    CaravanTour t;
    REQUIRE(simulate_tour(p, order, &t));
    plan.tours.push_back(t);
  }
  std::string why;
  REQUIRE(move_stop(p, plan, 1, 0, 1, &why));
  REQUIRE(plan.tours.size() == 1);
  CHECK(plan.tours[0].stops == std::vector<int>{1, 2, 3});
  CHECK(check_tour(p, plan.tours[0]).empty());
  CHECK(plan.tours[0].first_day >= 0);
  CHECK(plan.totals.visits == 3);
  CHECK(plan.unserved.empty());
  // Wrong indices and a stop that is not in the source tour are refused with a reason.
  CHECK_FALSE(move_stop(p, plan, 1, 0, 5, &why));
  CHECK_FALSE(why.empty());
  CHECK_FALSE(move_stop(p, plan, 0, 0, 0, &why));

  // On a random plan every attempted drag either keeps every rule or leaves the plan unchanged.
  CaravanProblem q = random_problem(5, 30);
  const CaravanPlan base = plan_caravans(q);
  int moved = 0, refused = 0;
  for (int from = 0; from < static_cast<int>(base.tours.size()) && from < 3; ++from)
    for (int to = 0; to < static_cast<int>(base.tours.size()); ++to) {
      if (to == from ||
          base.tours[static_cast<std::size_t>(to)].round != base.tours[static_cast<std::size_t>(from)].round)
        continue;
      const int stop = base.tours[static_cast<std::size_t>(from)].stops.front();
      CaravanPlan copy = base;
      if (move_stop(q, copy, stop, from, to, &why)) {
        ++moved;
        int holders = 0;
        for (const auto& t : copy.tours) {
          CHECK(check_tour(q, t).empty());
          if (t.round == base.tours[static_cast<std::size_t>(from)].round)
            holders += static_cast<int>(std::count(t.stops.begin(), t.stops.end(), stop));
        }
        CHECK(holders == 1);
      } else {
        ++refused;
        CHECK_FALSE(why.empty());
        CHECK(copy.tours.size() == base.tours.size());
        CHECK(copy.tours[static_cast<std::size_t>(from)].stops ==
              base.tours[static_cast<std::size_t>(from)].stops);
        CHECK(copy.tours[static_cast<std::size_t>(to)].stops ==
              base.tours[static_cast<std::size_t>(to)].stops);
      }
    }
  CHECK(moved + refused > 0);
}

TEST_CASE("A caravan plan cancelled before it starts plans no tour and a flag left false changes nothing",
          "[caravan][cancel]") {
  CaravanProblem p = random_problem(7, 40);
  const CaravanPlan full = plan_caravans(p);
  REQUIRE_FALSE(full.tours.empty());
  const std::atomic<bool> no{false};
  p.settings.cancel = &no;
  const CaravanPlan same = plan_caravans(p);
  CHECK(same.tours.size() == full.tours.size());
  CHECK(same.totals.km == full.totals.km);
  const std::atomic<bool> yes{true};
  p.settings.cancel = &yes;
  CHECK(plan_caravans(p).tours.empty());
}
