// People where they live and water in the way: demand at populated points, a unit's total split
// between its seat and its land, the border zone counted per cell, lakes and rivers as barriers
// crossed only at roads, fords or on the ice.
#include <catch2/catch.hpp>

#include <cmath>

#include "analysis/evaluation.hpp"
#include "analysis/travel_project.hpp"
#include "travel_test_util.hpp"

using namespace kepumap;

namespace {

core::Layer layer(std::string name, core::Role role, core::Geometries g) {
  core::Layer l;
  l.name = std::move(name);
  l.role = role;
  l.geom = std::move(g);
  l.attrs.set_rows_without_columns(l.geom.feature_count());
  return l;
}

core::Geometries pts(const std::vector<core::Vec2>& v) {
  core::Geometries g;
  g.kind = core::GeomKind::Point;
  for (auto p : v) g.add_point_feature(p);
  return g;
}

void add_people(core::Layer& l, const std::vector<double>& people) {
  l.attrs = {};
  l.fields.population = "population";
  const int c = l.attrs.add_column("population", core::FieldType::Real);
  for (double v : people) l.attrs.columns[static_cast<std::size_t>(c)].push_real(v);
}

// A 60 x 40 km banner of 1000 people, grass at 20 km/h, a museum at its west end with a 30-minute
// standard (10 km off-road).
core::Document banner_doc() {
  core::Document doc;
  doc.config.name = "test";
  doc.config.travel.cell_size_m = 1000;
  doc.config.travel.offroad_kmh = 20;
  auto banner = layer("banner", core::Role::Banner,
                      test::polygons({{{0, 0}, {60'000, 0}, {60'000, 40'000}, {0, 40'000}}}));
  add_people(banner, {1000});
  doc.layers.push_back(std::move(banner));
  doc.layers.push_back(layer("museums", core::Role::Museum, pts({{5000, 20'000}})));
  core::ServiceStandard st;
  st.facility = "museum";
  st.minutes = 30;
  doc.config.standards.push_back(st);
  return doc;
}

double covered(const core::Document& doc) {
  core::Diagnostics diag;
  const auto pe = analysis::evaluate_project(doc, "", diag);
  REQUIRE_FALSE(diag.has_errors());
  REQUIRE(pe.ev.coverage.total.population == Approx(1000).epsilon(1e-4));
  return pe.ev.coverage.total.service[0].covered;
}

}  // namespace

TEST_CASE("demand at populated town points changes coverage as it should", "[people][coverage]") {
  auto doc = banner_doc();
  const double spread = covered(doc);
  // Spread evenly, only the people within 10 km of the museum are covered: about a tenth.
  CHECK(spread > 60);
  CHECK(spread < 150);

  // 800 of the 1000 live in a town next to the museum; the other 200 spread over the banner.
  auto towns = layer("towns", core::Role::Town, pts({{6000, 21'000}, {55'000, 35'000}}));
  add_people(towns, {800, 0});
  doc.layers.push_back(std::move(towns));
  const double with_town = covered(doc);
  CHECK(with_town == Approx(800 + 0.2 * spread).epsilon(0.02));

  // The town far from the museum instead: fewer covered than even spreading.
  doc.layers.back().attrs.columns[0].reals = {0, 800};
  const double far_town = covered(doc);
  CHECK(far_town == Approx(0.2 * spread).epsilon(0.02));
}

TEST_CASE("a unit's total split between its seat and its land, lakes left out", "[people][coverage]") {
  auto doc = banner_doc();
  doc.layers[0].seats = {{5500, 20'500}};  // as io::place_people leaves it
  doc.config.demand.seat_share = 0.5;
  const double even = covered(banner_doc());
  CHECK(covered(doc) == Approx(500 + 0.5 * even).epsilon(0.02));

  // A lake over the east half holds nobody: the spread people crowd into the west half.
  auto lake_doc = banner_doc();
  lake_doc.layers.push_back(
      layer("lake", core::Role::Water,
            test::polygons({{{30'000, -1000}, {61'000, -1000}, {61'000, 41'000}, {30'000, 41'000}}})));
  core::Diagnostics diag;
  const auto pe = analysis::evaluate_project(lake_doc, "", diag);
  const auto& people = pe.area.demand.people;
  double east = 0, total = 0;
  for (int r = 0; r < people.height; ++r)
    for (int c = 0; c < people.width; ++c) {
      total += people.at(c, r);
      if (people.cell_center(c, r).x > 30'000) east += people.at(c, r);
    }
  CHECK(total == Approx(1000).epsilon(1e-4));
  CHECK(east == 0);
  CHECK(pe.ev.coverage.total.service[0].covered == Approx(2 * even).epsilon(0.05));
  CHECK(pe.area.demand_rule.find("seat_share = 0") != std::string::npos);
}

TEST_CASE("the border zone is where the people are, not where the seat is", "[people][equity]") {
  // A banner 200 km north-south, the border 5 km beyond its north edge; its centroid is 105 km
  // from the border (interior), but 900 of its 1000 people live in a town 10 km from it.
  core::Document doc;
  doc.config.travel.cell_size_m = 2000;
  auto banner = layer("banner", core::Role::Banner,
                      test::polygons({{{0, 0}, {60'000, 0}, {60'000, 200'000}, {0, 200'000}}}));
  add_people(banner, {1000});
  doc.layers.push_back(std::move(banner));
  doc.layers.push_back(
      layer("border", core::Role::Border, test::lines({{{-50'000, 205'000}, {110'000, 205'000}}})));
  auto towns = layer("towns", core::Role::Town, pts({{30'000, 195'000}}));
  add_people(towns, {900});
  doc.layers.push_back(std::move(towns));
  core::Diagnostics diag;
  const auto pe = analysis::evaluate_project(doc, "", diag);
  REQUIRE_FALSE(diag.has_errors());
  const auto& eq = pe.ev.coverage.equity;
  // Within 100 km of the border: the town and the northern half of the spread 100.
  CHECK(eq.border.population == Approx(900 + 100 * 0.5).epsilon(0.03));
  CHECK(eq.interior.population == Approx(50).epsilon(0.1));
  // The priority's border term is the people-weighted band weight: 0.9 + most of the rest in bands.
  analysis::PriorityParams border_only;
  border_only.remoteness_weight = 0;
  const auto pr = analysis::unit_priority(pe.area.facts, border_only, &pe.area.demand);
  REQUIRE(pr.size() == 1);
  // 950 people in the 50 km band (weight 1), about 25 in the 100 km band (0.5), 25 beyond.
  CHECK(pr[0] == Approx(1.0 + (925 + 25 * 0.5) / 1000.0).epsilon(0.01));
  CHECK(pe.area.facts.border_distance_m[0] < 12'000);
}

namespace {

// A 60 x 40 km banner, grass at 20 km/h, a river north-south at x = 30 km, a 2 km bridge at y = 20 km.
core::Document river_doc() {
  core::Document doc;
  doc.config.travel.cell_size_m = 500;
  doc.config.travel.offroad_kmh = 20;
  doc.layers.push_back(layer("banner", core::Role::Banner,
                             test::polygons({{{0, 0}, {60'000, 0}, {60'000, 40'000}, {0, 40'000}}})));
  doc.layers.push_back(
      layer("river", core::Role::Water, test::lines({{{30'100, -30'000}, {30'100, 70'000}}})));
  auto road = layer("bridge", core::Role::Road, test::lines({{{28'000, 20'000}, {32'000, 20'000}}}));
  road.fields.speed = "speed";
  road.attrs = {};
  const int cs = road.attrs.add_column("speed", core::FieldType::Real);
  road.attrs.columns[static_cast<std::size_t>(cs)].push_real(20.0);
  doc.layers.push_back(std::move(road));
  return doc;
}

double trip_s(const core::Document& doc, const core::TravelSettings& settings, core::Vec2 a, core::Vec2 b,
              core::Diagnostics* out = nullptr) {
  core::Diagnostics diag;
  const auto pt = analysis::build_project_travel(doc, settings, diag);
  if (out) *out = diag;
  const auto s = analysis::travel_surface(pt.model, std::span<const core::Vec2>(&a, 1));
  return analysis::point_time(pt.model, s, b);
}

}  // namespace

TEST_CASE("a river is crossed only at a road, a ford or on the ice", "[water][travel]") {
  const core::Vec2 a{10'000, 5000}, b{50'000, 5000};
  const double grass = core::mps(20.0);
  auto doc = river_doc();
  const double direct = 40'000 / grass, via_bridge = 2 * std::hypot(20'000, 15'000) / grass;
  const double t = trip_s(doc, doc.config.travel, a, b);
  CHECK(t >= via_bridge * 0.99);
  CHECK(t <= via_bridge * 1.05);

  // A ford (a point in a water layer) just south of the trip: nearly the straight line.
  auto forded = river_doc();
  forded.layers.push_back(layer("fords", core::Role::Water, pts({{30'100, 5000}})));
  const double tf = trip_s(forded, forded.config.travel, a, b);
  CHECK(tf <= direct * 1.05);
  CHECK(tf >= direct * 0.99);

  // Winter on the ice: straight across.
  core::TravelSettings ice = doc.config.travel;
  ice.ice = true;
  CHECK(trip_s(doc, ice, a, b) <= direct * 1.05);

  // People on a river cell are reached from the bank: finite, a little more than to the bank.
  const double on_river = trip_s(doc, doc.config.travel, a, {30'100, 5000});
  CHECK(std::isfinite(on_river));
  CHECK(on_river < via_bridge);
}

TEST_CASE("a lake is impassable off-road and bridged by a road, a lake named like water still works",
          "[water][travel]") {
  auto doc = river_doc();
  doc.layers.erase(doc.layers.begin() + 1);  // no river
  doc.layers.push_back(
      layer("reservoir", core::Role::Water,
            test::polygons({{{25'000, 10'000}, {35'000, 10'000}, {35'000, 30'000}, {25'000, 30'000}}})));
  core::Diagnostics diag;
  const auto pt = analysis::build_project_travel(doc, doc.config.travel, diag);
  auto pace_at = [&](double x, double y) { return pt.pace.at(pt.pace.col_of(x), pt.pace.row_of(y)); };
  CHECK_FALSE(std::isfinite(pace_at(30'250, 15'250)));  // the lake
  CHECK(std::isfinite(pace_at(30'250, 20'000)));        // the road across it: a bridge
  for (const auto& p : diag.problems) CHECK(p.what.find("because of its name") == std::string::npos);

  // The same lake as role `other` named "湖泊": still water, with a warning to use the role.
  doc.layers.back().role = core::Role::Other;
  doc.layers.back().name = "湖泊 lakes";
  core::Diagnostics d2;
  const auto p2 = analysis::build_project_travel(doc, doc.config.travel, d2);
  CHECK_FALSE(std::isfinite(p2.pace.at(p2.pace.col_of(30'250), p2.pace.row_of(15'250))));
  bool warned = false;
  for (const auto& p : d2.problems) warned |= p.what.find("role = \"water\"") != std::string::npos;
  CHECK(warned);
}

TEST_CASE("a bounded search per facility reaches the river cells as the travel surface does",
          "[water][travel][access]") {
  // facility_reach (capacity-limited access) and travel_surface (coverage) must agree on who is
  // within reach, people on river cells included.
  const auto doc = river_doc();
  core::Diagnostics diag;
  const auto pt = analysis::build_project_travel(doc, doc.config.travel, diag);
  REQUIRE_FALSE(pt.model.water_cells.empty());
  const std::vector<core::Vec2> fac{{10'000, 5000}, {50'000, 35'000}};
  const double limit_s = 7200;
  const auto reach = analysis::facility_reach(pt.model, fac, limit_s);
  for (std::size_t j = 0; j < fac.size(); ++j) {
    INFO("facility " << j);
    const auto s = analysis::travel_surface(pt.model, std::span<const core::Vec2>(&fac[j], 1));
    std::size_t water_listed = 0;
    for (auto k = reach.offsets[j]; k < reach.offsets[j + 1]; ++k) {
      const auto cell = reach.item[k];
      CHECK(reach.seconds[k] == Approx(s.seconds.data[cell]).margin(0.01));
      water_listed += pt.model.water_mask[cell];
    }
    std::size_t within = 0, water_within = 0;
    for (std::size_t c = 0; c < s.seconds.data.size(); ++c)
      if (s.seconds.data[c] <= limit_s) {
        ++within;
        water_within += pt.model.water_mask[c];
      }
    CHECK(reach.offsets[j + 1] - reach.offsets[j] == within);
    CHECK(water_within > 0);  // the river is within two hours of both
    CHECK(water_listed == water_within);
  }
}
