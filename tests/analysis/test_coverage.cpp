#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>

#include "analysis/coverage.hpp"

using namespace kepumap;
using analysis::ServiceInput;

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

// Straight-line travel surface at `speed_mps` from the given facilities (test stand-in for the
// travel engine: the coverage module only needs a time and nearest-index per cell).
void euclid_surface(const core::GridF& frame, const std::vector<core::Vec2>& fac, double speed_mps,
                    core::GridF& time, core::GridI& nearest) {
  time = core::GridF(frame.width, frame.height, frame.origin_x, frame.origin_y, frame.cell,
                     static_cast<float>(inf));
  nearest = core::GridI(frame.width, frame.height, frame.origin_x, frame.origin_y, frame.cell, -1);
  for (int r = 0; r < frame.height; ++r)
    for (int c = 0; c < frame.width; ++c) {
      const core::Vec2 p = frame.cell_center(c, r);
      for (std::size_t f = 0; f < fac.size(); ++f) {
        const float t = static_cast<float>(std::hypot(p.x - fac[f].x, p.y - fac[f].y) / speed_mps);
        if (t < time.at(c, r)) {
          time.at(c, r) = t;
          nearest.at(c, r) = static_cast<std::int32_t>(f);
        }
      }
    }
}

// A 4 x 1 strip of 1 km cells: units 0,0,1,1; a township over both; people 10,20,30,40.
struct Strip {
  analysis::Demand demand;
  std::vector<analysis::UnitLevel> levels;
  analysis::UnitFacts facts;
  Strip() {
    demand.people = core::GridF(4, 1, 0.0, 1000.0, 1000.0, 0.0f);
    demand.people.data = {10, 20, 30, 40};
    demand.unit = core::GridI(4, 1, 0.0, 1000.0, 1000.0, -1);
    demand.unit.data = {0, 0, 1, 1};
    levels.push_back({"village", {"甲嘎查", "乙嘎查"}, {"1", "2"}, {0, 0}});
    levels.push_back({"township", {"某苏木"}, {"9"}, {core::INVALID_ID}});
    facts.pastoral = {1.0, 0.0};
    facts.border_distance_m = {20'000.0, inf};
    facts.remoteness_s = {0.0, 0.0};
    facts.seat = {{500, 500}, {3500, 500}};
  }
};

}  // namespace

TEST_CASE("coverage of a strip: known answers per unit, level and total", "[coverage]") {
  Strip s;
  core::GridF time(4, 1, 0.0, 1000.0, 1000.0, 0.0f);
  core::GridI nearest(4, 1, 0.0, 1000.0, 1000.0, 0);
  time.data = {60.f, 1800.f, 3700.f, static_cast<float>(inf)};  // 1, 30, 61.7 minutes, unreachable
  nearest.data = {0, 0, 0, -1};
  ServiceInput museum;
  museum.facility = "museum";
  museum.standard_s = 3600;
  museum.time = &time;
  museum.nearest = &nearest;
  museum.facility_names = {"科技馆"};
  museum.facility_points = {{0, 500}};
  ServiceInput caravan;
  caravan.facility = "caravan";
  caravan.mobile = true;
  caravan.visits = {0, 2};
  caravan.visits_required = 2;
  const ServiceInput services[] = {museum, caravan};

  analysis::PriorityParams pp;
  const auto r = analysis::compute_coverage(s.demand, s.levels, services, s.facts, pp);
  REQUIRE(r.levels.size() == 2);
  const auto& v0 = r.levels[0][0];
  const auto& v1 = r.levels[0][1];
  CHECK(v0.population == 30);
  CHECK(v0.service[0].covered == 30);
  CHECK(v0.service[1].covered == 0);
  CHECK(v1.service[0].covered == 0);  // 61.7 min > 60 and unreachable
  CHECK(v1.service[0].unreachable == 40);
  CHECK(v1.service[1].covered == 70);  // the caravan visits it twice a year
  CHECK(v1.covered_any == 70);
  CHECK(v0.service[0].mean_s == Approx((10 * 60.0 + 20 * 1800.0) / 30));
  // priority: pastoral (1) + border band 0–50 km (1) + 1 = 3 for village 0; 1 for village 1.
  CHECK(v0.priority == Approx(3.0));
  CHECK(v1.priority == Approx(1.0));
  CHECK(v0.gap == 0);
  // Township = sum of its villages; priority population-weighted.
  const auto& t = r.levels[1][0];
  CHECK(t.population == 100);
  CHECK(t.service[0].covered == 30);
  CHECK(t.covered_any == 100);
  CHECK(t.priority == Approx((30 * 3.0 + 70 * 1.0) / 100));
  CHECK(r.total.population == 100);
  // Nearest museum from village 0's seat (500,500): cell 0, 60 s, 500 m away.
  CHECK(v0.service[0].nearest == 0);
  CHECK(v0.service[0].nearest_time_s == Approx(60));
  CHECK(v0.service[0].nearest_distance_m == Approx(500));
  // Equity groups: pastoral = village 0, border = village 0.
  CHECK(r.equity.pastoral.population == 30);
  CHECK(r.equity.other.population == 70);
  CHECK(r.equity.border.share() == Approx(1.0));
}

TEST_CASE("uncovered people become gap, weighted by priority", "[coverage]") {
  Strip s;
  core::GridF time(4, 1, 0.0, 1000.0, 1000.0, 7200.0f);  // everyone two hours away
  core::GridI nearest(4, 1, 0.0, 1000.0, 1000.0, 0);
  ServiceInput base;
  base.facility = "education_base";
  base.standard_s = 3600;
  base.time = &time;
  base.nearest = &nearest;
  const ServiceInput services[] = {base};
  const auto r =
      analysis::compute_coverage(s.demand, s.levels, services, s.facts, analysis::PriorityParams{});
  CHECK(r.levels[0][0].gap == Approx(30 * 3.0));
  CHECK(r.levels[0][1].gap == Approx(70 * 1.0));
  CHECK(r.total.gap == Approx(160.0));
  double grid_gap = 0;
  for (float g : r.gap.data) grid_gap += g;
  CHECK(grid_gap == Approx(160.0));
  CHECK(r.levels[0][0].service[0].median_s == Approx(7230.0));  // middle of the 120-minute bin
}

TEST_CASE("coverage never decreases when a facility is added", "[coverage][property]") {
  std::mt19937 rng(42);
  std::uniform_real_distribution<double> coord(0.0, 50'000.0);
  std::uniform_real_distribution<float> pop(0.0f, 50.0f);
  analysis::Demand demand;
  demand.people = core::GridF(50, 50, 0.0, 50'000.0, 1000.0, 0.0f);
  demand.unit = core::GridI(50, 50, 0.0, 50'000.0, 1000.0, 0);
  for (auto& p : demand.people.data) p = pop(rng);
  for (int r = 0; r < 50; ++r)
    for (int c = 0; c < 50; ++c) demand.unit.at(c, r) = (c / 25) + 2 * (r / 25);
  std::vector<analysis::UnitLevel> levels{{"village", {"a", "b", "c", "d"}, {"", "", "", ""}, {0, 0, 0, 0}},
                                          {"banner", {"旗"}, {""}, {core::INVALID_ID}}};
  analysis::UnitFacts facts;
  facts.pastoral = {1, 0, 1, 0};
  facts.border_distance_m = {inf, inf, inf, inf};
  facts.remoteness_s = {0, 0, 0, 0};
  facts.seat = {{12'000, 37'000}, {37'000, 37'000}, {12'000, 12'000}, {37'000, 12'000}};

  std::vector<core::Vec2> fac;
  double prev_cov = -1, prev_any = -1, prev_mean = inf;
  for (int k = 0; k < 8; ++k) {
    fac.push_back({coord(rng), coord(rng)});
    core::GridF time;
    core::GridI nearest;
    euclid_surface(demand.people, fac, 10.0, time, nearest);
    ServiceInput s;
    s.facility = "education_base";
    s.standard_s = 1200;
    s.time = &time;
    s.nearest = &nearest;
    s.facility_points = fac;
    const ServiceInput services[] = {s};
    const auto r = analysis::compute_coverage(demand, levels, services, facts, analysis::PriorityParams{});
    for (const auto& u : r.levels[0]) CHECK(u.service[0].covered <= u.population + 1e-6);
    CHECK(r.total.service[0].covered >= prev_cov - 1e-6);
    CHECK(r.total.covered_any >= prev_any - 1e-6);
    CHECK(r.total.service[0].mean_s <= prev_mean + 1e-6);
    prev_cov = r.total.service[0].covered;
    prev_any = r.total.covered_any;
    prev_mean = r.total.service[0].mean_s;
  }
  CHECK(prev_cov > 0);
}

TEST_CASE("weighted Gini: known values, and the binned Gini agrees", "[coverage]") {
  const double v1[] = {5, 5, 5}, w1[] = {1, 2, 3};
  CHECK(analysis::weighted_gini(v1, w1) == Approx(0.0));
  const double v2[] = {0, 1}, w2[] = {1, 1};
  CHECK(analysis::weighted_gini(v2, w2) == Approx(0.5));
  // A population whose times are all in whole minutes: the binned Gini in compute_coverage
  // (bin mid-points) stays within 0.02 of the exact one.
  analysis::Demand d;
  d.people = core::GridF(3, 1, 0, 100, 100, 0.0f);
  d.people.data = {100, 50, 10};
  d.unit = core::GridI(3, 1, 0, 100, 100, 0);
  core::GridF time(3, 1, 0, 100, 100, 0.0f);
  time.data = {600, 3600, 7200};
  core::GridI near(3, 1, 0, 100, 100, 0);
  ServiceInput s;
  s.time = &time;
  s.nearest = &near;
  s.standard_s = 3600;
  const ServiceInput services[] = {s};
  std::vector<analysis::UnitLevel> levels{{"village", {"a"}, {""}, {core::INVALID_ID}}};
  analysis::UnitFacts facts;
  facts.pastoral = {0};
  const auto r = analysis::compute_coverage(d, levels, services, facts, analysis::PriorityParams{});
  const double tv[] = {600, 3600, 7200}, tw[] = {100, 50, 10};
  CHECK(r.equity.gini_time == Approx(analysis::weighted_gini(tv, tw)).margin(0.02));
}

TEST_CASE("spreading village populations keeps every person", "[coverage]") {
  core::GridI unit(3, 2, 0, 200, 100, -1);
  unit.data = {0, 0, 1, -1, 0, 1};
  const double pop[] = {300, 80, 25};  // unit 2 has no cell: its people go to its seat
  const core::Vec2 seat[] = {{50, 150}, {250, 150}, {150, 50}};
  const core::GridF people = analysis::spread_population(unit, pop, seat);
  CHECK(people.at(0, 0) == Approx(100));
  CHECK(people.at(2, 1) == Approx(40));
  CHECK(people.at(1, 1) == Approx(100 + 25));
  double total = 0;
  for (float p : people.data) total += p;
  CHECK(total == Approx(405));
}

TEST_CASE("an unlimited standard covers every reachable person", "[coverage]") {
  Strip s;
  core::GridF time(4, 1, 0.0, 1000.0, 1000.0, 0.0f);
  time.data = {60.f, 90'000.f, 400'000.f, static_cast<float>(inf)};
  core::GridI nearest(4, 1, 0.0, 1000.0, 1000.0, 0);
  ServiceInput museum;
  museum.standard_s = inf;
  museum.time = &time;
  museum.nearest = &nearest;
  const ServiceInput services[] = {museum};
  const auto r =
      analysis::compute_coverage(s.demand, s.levels, services, s.facts, analysis::PriorityParams{});
  CHECK(r.total.service[0].covered == Approx(60.0));  // 10 + 20 + 30; the unreachable 40 are not
  CHECK(r.total.service[0].unreachable == Approx(40.0));
  CHECK(r.total.service[0].covered + r.total.service[0].unreachable == Approx(r.total.population));
}
