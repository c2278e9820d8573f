#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <tuple>

#include "analysis/capacity.hpp"
#include "analysis/coverage.hpp"
#include "analysis/travel.hpp"
#include "travel_test_util.hpp"

using namespace kepumap;
using analysis::CapacityOrder;
using analysis::CapacityParams;
using analysis::ReachLists;

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

// Reach lists from (facility, item, seconds) triples, sorted the way facility_reach sorts them.
ReachLists reach_of(std::size_t facilities, std::size_t items,
                    std::vector<std::tuple<std::uint32_t, std::uint32_t, float>> e) {
  std::sort(e.begin(), e.end(), [](const auto& a, const auto& b) {
    return std::tie(std::get<0>(a), std::get<2>(a), std::get<1>(a)) <
           std::tie(std::get<0>(b), std::get<2>(b), std::get<1>(b));
  });
  ReachLists r;
  r.facilities = facilities;
  r.items = items;
  std::size_t k = 0;
  for (std::uint32_t j = 0; j < facilities; ++j) {
    while (k < e.size() && std::get<0>(e[k]) == j) {
      r.item.push_back(std::get<1>(e[k]));
      r.seconds.push_back(std::get<2>(e[k]));
      ++k;
    }
    r.offsets.push_back(static_cast<std::uint32_t>(r.item.size()));
  }
  return r;
}

double sum(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s;
}

}  // namespace

TEST_CASE("capacity: the catchment grows ring by ring and the overflowing ring is split", "[capacity]") {
  // One facility; rings of 10 people at 1 min, 20 at 2 min, 30 at 3 min; capacity 25.
  const std::vector<double> people{10, 20, 30};
  const ReachLists r = reach_of(1, 3, {{0, 0, 60.f}, {0, 1, 120.f}, {0, 2, 180.f}});
  CapacityParams p;
  p.standard_s = 180.0;
  p.capacity = {25.0};
  const auto res = analysis::capacity_coverage(people, r, p);
  CHECK(res.facilities[0].realised == 25.0);
  CHECK(res.facilities[0].residual() == 0.0);
  CHECK(res.facilities[0].within_standard == 60.0);
  CHECK(res.facilities[0].catchment_s == 120.0);  // stopped in the 2-minute ring
  CHECK(res.served[0] == 10.0);
  CHECK(res.served[1] == Approx(15.0));  // 15 of the ring's 20 people
  CHECK(res.served[2] == 0.0);
  CHECK(res.reach == std::vector<double>{10, 20, 30});
  CHECK(res.catchment == std::vector<std::int32_t>{0, 0, -1});

  SECTION("two cells in the overflowing ring give the same share") {
    const std::vector<double> pp{10, 30, 10};
    const ReachLists r2 = reach_of(1, 3, {{0, 0, 60.f}, {0, 1, 120.f}, {0, 2, 120.f}});
    p.capacity = {30.0};
    const auto res2 = analysis::capacity_coverage(pp, r2, p);
    CHECK(res2.served[1] == Approx(15.0));  // 20 left for a ring of 40: half of each cell
    CHECK(res2.served[2] == Approx(5.0));
    CHECK(res2.facilities[0].realised == 30.0);
  }
}

TEST_CASE("capacity: the last ring is inside the standard (AccessMod #394)", "[capacity]") {
  // A 3-minute standard: the ring at exactly 3 minutes counts, the one just beyond does not.
  const std::vector<double> people{10, 10, 10, 10};
  const ReachLists r = reach_of(1, 4, {{0, 0, 60.f}, {0, 1, 120.f}, {0, 2, 180.f}, {0, 3, 180.5f}});
  CapacityParams p;
  p.standard_s = 180.0;
  p.capacity = {1000.0};
  const auto res = analysis::capacity_coverage(people, r, p);
  CHECK(res.served == std::vector<double>{10, 10, 10, 0});
  CHECK(res.facilities[0].catchment_s == 180.0);
  CHECK(res.facilities[0].realised == 30.0);
  CHECK(res.facilities[0].residual() == 970.0);
  // The capacity exactly reached in the last ring: the whole ring is taken.
  p.capacity = {30.0};
  const auto full = analysis::capacity_coverage(people, r, p);
  CHECK(full.served == std::vector<double>{10, 10, 10, 0});
  CHECK(full.facilities[0].catchment_s == 180.0);
}

TEST_CASE("capacity: cumulative coverage is the realised capacity, not catchment people (AccessMod #340)",
          "[capacity]") {
  // A (capacity 15) and B (capacity 15) both reach X (10 people); Y (20) is nearer B.
  const std::vector<double> people{10, 20};
  const ReachLists r = reach_of(2, 2, {{0, 0, 60.f}, {0, 1, 120.f}, {1, 0, 120.f}, {1, 1, 60.f}});
  CapacityParams p;
  p.standard_s = 600.0;
  p.capacity = {15.0, 15.0};
  p.order = CapacityOrder::Given;
  p.order_key = {0, 1};  // A first
  const auto res = analysis::capacity_coverage(people, r, p);
  // A takes X (10) and 5 of Y; B takes the next 15 of Y... only 15 left: all of them.
  CHECK(res.facilities[0].realised == 15.0);
  CHECK(res.facilities[1].realised == Approx(15.0));
  CHECK(res.total_realised == Approx(30.0));
  CHECK(sum(res.served) == Approx(30.0));
  // The catchments each hold 30 people: summing them would claim 60 of a population of 30.
  CHECK(res.facilities[0].within_standard + res.facilities[1].within_standard == 60.0);
  CHECK(res.total_realised <= sum(people) + 1e-9);
  // With B first: B takes Y (20 > 15: 15), A takes X and the 5 left of Y.
  p.order_key = {1, 0};
  const auto rev = analysis::capacity_coverage(people, r, p);
  CHECK(rev.order == std::vector<std::uint32_t>{1, 0});
  CHECK(rev.served[1] == Approx(20.0));
  CHECK(rev.served[0] == Approx(10.0));
  CHECK(rev.facilities[0].realised == Approx(15.0));
}

TEST_CASE("capacity: ignoring capacity does not change the catchment (AccessMod #314)", "[capacity]") {
  // Ignored capacity (unlimited) and a capacity larger than everyone give the same catchment,
  // the same catchment time and the same served people; both equal the reach of the standard.
  std::mt19937 rng(314);
  std::uniform_real_distribution<double> pu(0, 50);
  std::uniform_real_distribution<float> tu(0, 900);
  const std::size_t n = 60, nf = 5;
  std::vector<double> people(n);
  for (auto& x : people) x = pu(rng);
  std::vector<std::tuple<std::uint32_t, std::uint32_t, float>> e;
  for (std::uint32_t j = 0; j < nf; ++j)
    for (std::uint32_t i = 0; i < n; ++i)
      if (rng() % 3 == 0) e.emplace_back(j, i, std::round(tu(rng)));
  const ReachLists r = reach_of(nf, n, e);
  CapacityParams ignored;
  ignored.standard_s = 600.0;
  ignored.order = CapacityOrder::Given;
  ignored.order_key = {0, 1, 2, 3, 4};
  CapacityParams huge = ignored;
  huge.capacity.assign(nf, 1e12);
  const auto a = analysis::capacity_coverage(people, r, ignored);
  const auto b = analysis::capacity_coverage(people, r, huge);
  CHECK(a.served == b.served);
  CHECK(a.catchment == b.catchment);
  for (std::size_t j = 0; j < nf; ++j) {
    CHECK(a.facilities[j].catchment_s == b.facilities[j].catchment_s);
    CHECK(a.facilities[j].realised == b.facilities[j].realised);
    CHECK(a.facilities[j].within_standard == b.facilities[j].within_standard);
  }
  CHECK(a.served == a.reach);
}

TEST_CASE("capacity: orders by capacity and by people within the standard", "[capacity]") {
  const std::vector<double> people{10, 50};
  const ReachLists r = reach_of(3, 2, {{0, 0, 60.f}, {1, 1, 60.f}, {2, 0, 60.f}, {2, 1, 60.f}});
  CapacityParams p;
  p.standard_s = 600.0;
  p.capacity = {5.0, 40.0, inf};
  p.order = CapacityOrder::Capacity;
  CHECK(analysis::capacity_coverage(people, r, p).order == std::vector<std::uint32_t>{2, 1, 0});
  p.order = CapacityOrder::Population;  // within the standard: 10, 50, 60
  CHECK(analysis::capacity_coverage(people, r, p).order == std::vector<std::uint32_t>{2, 1, 0});
  p.capacity = {5.0, 40.0, 0.0};  // zero capacity takes nobody
  const auto res = analysis::capacity_coverage(people, r, p);
  CHECK(res.facilities[2].realised == 0.0);
  CHECK(res.served[1] == 40.0);
}

TEST_CASE("capacity: properties on random instances", "[capacity][property]") {
  std::mt19937 rng(18);
  for (int round = 0; round < 40; ++round) {
    const std::size_t n = 30 + rng() % 40, nf = 1 + rng() % 6;
    std::vector<double> people(n);
    for (auto& x : people) x = static_cast<double>(rng() % 100);
    std::vector<std::tuple<std::uint32_t, std::uint32_t, float>> e;
    for (std::uint32_t j = 0; j < nf; ++j)
      for (std::uint32_t i = 0; i < n; ++i)
        if (rng() % 2 == 0) e.emplace_back(j, i, static_cast<float>(60 * (rng() % 20)));
    const ReachLists r = reach_of(nf, n, e);
    CapacityParams p;
    p.standard_s = 900.0;
    p.order = CapacityOrder::Given;
    for (std::size_t j = 0; j < nf; ++j) {
      p.capacity.push_back(static_cast<double>(rng() % 400));
      p.order_key.push_back(static_cast<double>(rng() % 10));
    }
    const auto res = analysis::capacity_coverage(people, r, p);
    double total = 0;
    for (std::size_t j = 0; j < nf; ++j) {
      CHECK(res.facilities[j].realised <= res.facilities[j].capacity);
      CHECK(res.facilities[j].residual() >= 0.0);
      total += res.facilities[j].realised;
    }
    CHECK(total <= sum(people) + 1e-6);
    CHECK(sum(res.served) == Approx(total));
    for (std::size_t i = 0; i < n; ++i) {
      CHECK(res.served[i] <= people[i] + 1e-9);
      CHECK(res.served[i] <= res.reach[i] + 1e-9);
    }
    // More capacity at one facility never lowers anyone's coverage (same order).
    CapacityParams more = p;
    more.capacity[rng() % nf] += static_cast<double>(1 + rng() % 200);
    const auto bigger = analysis::capacity_coverage(people, r, more);
    for (std::size_t i = 0; i < n; ++i) CHECK(bigger.served[i] >= res.served[i] - 1e-9);
    // Nor does adding a facility (last in the order).
    std::vector<std::tuple<std::uint32_t, std::uint32_t, float>> e2 = e;
    for (std::uint32_t i = 0; i < n; ++i)
      if (rng() % 2 == 0)
        e2.emplace_back(static_cast<std::uint32_t>(nf), i, static_cast<float>(60 * (rng() % 20)));
    CapacityParams added = p;
    added.capacity.push_back(static_cast<double>(rng() % 400));
    added.order_key.push_back(100.0);
    const auto plus = analysis::capacity_coverage(people, reach_of(nf + 1, n, e2), added);
    CHECK(plus.total_realised >= res.total_realised - 1e-9);
  }
}

TEST_CASE("capacity: without capacities it equals today's coverage exactly", "[capacity][travel]") {
  // A real travel model: grass with a lake and a fast strip; three facilities; 60 x 40 cells.
  std::vector<std::string> rows(40, std::string(60, '.'));
  for (int r = 10; r < 25; ++r)
    for (int c = 20; c < 30; ++c) rows[r][c] = '~';
  for (int c = 0; c < 60; ++c) rows[32][c] = '3';
  const core::GridF pace = test::ascii_grid(rows, 500.0, 20.0);
  const analysis::TravelModel m = analysis::build_travel_model(pace, {}, 16);
  const std::vector<core::Vec2> fac{{2'100, 17'300}, {22'000, 3'000}, {27'600, 16'100}};
  const double standard_s = 30 * 60.0;

  analysis::Demand d;
  d.people = core::GridF(60, 40, pace.origin_x, pace.origin_y, pace.cell, 0.0f);
  d.unit = core::GridI(60, 40, pace.origin_x, pace.origin_y, pace.cell, -1);
  std::mt19937 rng(7);
  for (int r = 0; r < 40; ++r)
    for (int c = 0; c < 60; ++c) {
      d.people.at(c, r) = rows[r][c] == '~' ? 0.0f : static_cast<float>(rng() % 50) * 0.5f;
      d.unit.at(c, r) = (c / 20) + 3 * (r / 20);
    }
  std::vector<analysis::UnitLevel> levels{{"village", std::vector<std::string>(6, "u"),
                                           std::vector<std::string>(6),
                                           std::vector<core::Id>(6, core::INVALID_ID)}};
  analysis::UnitFacts facts;
  facts.pastoral.assign(6, 0.0);
  const analysis::TravelSurface surf = analysis::travel_surface(m, fac);
  analysis::ServiceInput sv;
  sv.facility = "education_base";
  sv.standard_s = standard_s;
  sv.time = &surf.seconds;
  sv.nearest = &surf.nearest;
  const auto cov =
      analysis::compute_coverage(d, levels, std::span<const analysis::ServiceInput>(&sv, 1), facts, {});

  std::vector<std::uint8_t> wanted(d.people.data.size());
  std::vector<double> people(d.people.data.size());
  for (std::size_t i = 0; i < people.size(); ++i) {
    people[i] = d.people.data[i];
    wanted[i] = people[i] > 0;
  }
  const ReachLists r = analysis::facility_reach(m, fac, standard_s, wanted);
  CapacityParams p;
  p.standard_s = standard_s;
  const auto res = analysis::capacity_coverage(people, r, p);
  std::vector<double> unit_served(6, 0.0), unit_reach(6, 0.0);
  for (std::size_t i = 0; i < people.size(); ++i)
    if (people[i] > 0) {
      unit_served[d.unit.data[i]] += res.served[i];
      unit_reach[d.unit.data[i]] += res.reach[i];
    }
  double covered_total = 0;
  for (std::size_t u = 0; u < 6; ++u) {
    CHECK(unit_served[u] == cov.levels[0][u].service[0].covered);
    CHECK(unit_reach[u] == cov.levels[0][u].service[0].covered);
    covered_total += cov.levels[0][u].service[0].covered;
  }
  CHECK(covered_total > 0.0);
  CHECK(covered_total < cov.total.population);  // the standard leaves some people out
  // And the reach lists agree with the surface cell by cell.
  for (std::size_t j = 0; j < fac.size(); ++j)
    for (std::uint32_t k = r.offsets[j]; k < r.offsets[j + 1]; ++k)
      CHECK(r.seconds[k] >= surf.seconds.data[r.item[k]]);
}
