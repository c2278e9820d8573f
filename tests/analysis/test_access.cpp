#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <tuple>

#include "analysis/access.hpp"

using namespace kepumap;
using analysis::Decay;
using analysis::ReachLists;

namespace {

// Facility A (supply 10) reaches items 0 (5 min) and 1 (10 min); B (supply 20) reaches 1 (10 min)
// and 2 (5 min). People 100, 200, 100. Catchment 15 minutes.
ReachLists two_facilities() {
  ReachLists r;
  r.facilities = 2;
  r.items = 3;
  r.item = {0, 1, 2, 1};
  r.seconds = {300.f, 600.f, 300.f, 600.f};
  r.offsets = {0, 2, 4};
  return r;
}
const std::vector<double> people{100, 200, 100};
const std::vector<double> supply{10, 20};

}  // namespace

TEST_CASE("2SFCA: hand-computed answer", "[access]") {
  const auto fc = analysis::floating_catchment(people, two_facilities(), supply, 900.0, nullptr);
  CHECK(fc.facility_ratio[0] == Approx(10.0 / 300.0));
  CHECK(fc.facility_ratio[1] == Approx(20.0 / 300.0));
  CHECK(fc.index[0] == Approx(1.0 / 30.0));
  CHECK(fc.index[1] == Approx(0.1));
  CHECK(fc.index[2] == Approx(1.0 / 15.0));
  // The population-weighted mean is the total supply over the total people (all supply used).
  CHECK(fc.mean == Approx(30.0 / 400.0));
  // A shorter catchment (6 min) cuts the 10-minute trips: each facility serves one item alone.
  const auto short_fc = analysis::floating_catchment(people, two_facilities(), supply, 360.0, nullptr);
  CHECK(short_fc.index[0] == Approx(0.1));
  CHECK(short_fc.index[1] == 0.0);
  CHECK(short_fc.index[2] == Approx(0.2));
}

TEST_CASE("E2SFCA: step and Gaussian decay, hand-computed", "[access]") {
  const Decay step = Decay::Step, gauss = Decay::Gaussian;
  CHECK(analysis::decay_weight(step, 300, 900) == 1.0);
  CHECK(analysis::decay_weight(step, 600, 900) == 0.68);
  CHECK(analysis::decay_weight(step, 900, 900) == 0.22);
  CHECK(analysis::decay_weight(step, 901, 900) == 0.0);
  CHECK(analysis::decay_weight(gauss, 0, 900) == Approx(1.0));
  CHECK(analysis::decay_weight(gauss, 900, 900) == Approx(0.0).margin(1e-12));
  CHECK(analysis::decay_weight(gauss, 300, 900) == Approx(0.862655).epsilon(1e-5));
  CHECK(analysis::decay_weight(gauss, 600, 900) == Approx(0.493575).epsilon(1e-5));

  const auto s = analysis::floating_catchment(people, two_facilities(), supply, 900.0, &step);
  CHECK(s.facility_ratio[0] == Approx(10.0 / 236.0));  // 100 x 1 + 200 x 0.68
  CHECK(s.index[0] == Approx(10.0 / 236.0));
  CHECK(s.index[1] == Approx(0.68 * 30.0 / 236.0));
  CHECK(s.index[2] == Approx(20.0 / 236.0));
  const auto g = analysis::floating_catchment(people, two_facilities(), supply, 900.0, &gauss);
  const double w5 = 0.862655, w10 = 0.493575, den = 100 * w5 + 200 * w10;
  CHECK(g.index[0] == Approx(10.0 / den * w5).epsilon(1e-5));
  CHECK(g.index[1] == Approx(30.0 / den * w10).epsilon(1e-5));
  // With decay the weighted mean is still the supply over the people.
  CHECK(g.mean == Approx((100 * g.index[0] + 200 * g.index[1] + 100 * g.index[2]) / 400.0));
}

TEST_CASE("supply-to-demand ratio per unit, summed upward", "[access]") {
  std::vector<analysis::UnitLevel> levels{
      {"village", {"a", "b", "c"}, {"", "", ""}, {0, 0, 1}},
      {"township", {"T1", "T2"}, {"", ""}, {core::INVALID_ID, core::INVALID_ID}}};
  const std::vector<double> up{1000, 3000, 500};
  const std::vector<double> sup{400, 200, 100};  // m² of venue
  const std::vector<core::Id> fu{0, 0, 2};
  const auto r = analysis::unit_supply_ratio(levels, up, sup, fu);
  CHECK(r[0][0] == Approx(0.6));
  CHECK(r[0][1] == 0.0);
  CHECK(r[0][2] == Approx(0.2));
  CHECK(r[1][0] == Approx(600.0 / 4000.0));
  CHECK(r[1][1] == Approx(0.2));
}

TEST_CASE("Gini: known answers and the Lorenz curve agrees", "[access][equity]") {
  const std::vector<double> one{1, 1, 1, 1}, w{1, 1, 1, 1};
  CHECK(analysis::weighted_gini(std::vector<double>{2, 2, 2}, std::vector<double>{1, 5, 2}) ==
        Approx(0.0).margin(1e-12));
  CHECK(analysis::weighted_gini(std::vector<double>{0, 0, 0, 1}, w) == Approx(0.75));
  CHECK(analysis::weighted_gini(std::vector<double>{1, 2}, std::vector<double>{1, 1}) == Approx(1.0 / 6.0));
  // Weights count as repeated places: {1,3} weighted {3,1} is {1,1,1,3}: Gini 0.25.
  CHECK(analysis::weighted_gini(std::vector<double>{1, 3}, std::vector<double>{3, 1}) == Approx(0.25));
  const auto lz = analysis::lorenz_curve(std::vector<double>{0, 0, 0, 1}, w);
  REQUIRE(lz.size() == 5);
  CHECK(lz[3].population == Approx(0.75));
  CHECK(lz[3].index == 0.0);
  CHECK(lz[4].index == 1.0);
  std::mt19937 rng(4);
  for (int k = 0; k < 20; ++k) {
    std::vector<double> v(50), wt(50);
    for (std::size_t i = 0; i < v.size(); ++i) {
      v[i] = static_cast<double>(rng() % 1000) / 10.0;
      wt[i] = 1.0 + static_cast<double>(rng() % 20);
    }
    const auto l = analysis::lorenz_curve(v, wt);
    double area = 0;
    for (std::size_t i = 1; i < l.size(); ++i) {
      CHECK(l[i].index >= l[i - 1].index);
      CHECK(l[i].index <= l[i].population + 1e-12);  // below the line of equality
      area += (l[i].population - l[i - 1].population) * (l[i].index + l[i - 1].index) / 2;
    }
    CHECK(1.0 - 2.0 * area == Approx(analysis::weighted_gini(v, wt)).epsilon(1e-9));
  }
}

TEST_CASE("access equity: groups, means and the lowest units", "[access][equity]") {
  const std::vector<double> idx{0.5, 1.5, 0.2, 1.0}, pop{100, 100, 50, 0};
  analysis::UnitFacts f;
  f.pastoral = {1, 0, 1, 0};
  f.border_distance_m = {10'000, 200'000, 20'000, 10'000};
  const auto eq = analysis::access_equity(idx, pop, f, 100'000, 2);
  CHECK(eq.pastoral == Approx((50.0 + 10.0) / 150.0));
  CHECK(eq.other == Approx(1.5));
  CHECK(eq.border == Approx(eq.pastoral));
  CHECK(eq.interior == Approx(1.5));
  CHECK(eq.lowest == std::vector<core::Id>{2, 0});  // unit 3 has nobody
  CHECK(eq.gini > 0.0);
}

TEST_CASE("unit means are population-weighted at every level", "[access]") {
  std::vector<analysis::UnitLevel> levels{{"village", {"a", "b"}, {"", ""}, {0, 0}},
                                          {"township", {"T"}, {""}, {core::INVALID_ID}}};
  const std::vector<double> p{10, 30, 60, 0};
  const std::vector<std::int32_t> u{0, 0, 1, 1};
  const std::vector<double> v{4, 0, 2, 100};
  const auto m = analysis::unit_means(levels, p, u, v);
  CHECK(m.value[0][0] == Approx(1.0));
  CHECK(m.value[0][1] == Approx(2.0));
  CHECK(m.value[1][0] == Approx((40.0 + 120.0) / 100.0));
  CHECK(m.people[1][0] == 100.0);
}
