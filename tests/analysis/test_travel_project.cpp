// The engine built from a Document: road layers with mapped fields, the banner as study area,
// the border, water layers by name, scenarios.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

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

core::Document demo_document() {
  core::Document doc;
  doc.config.travel.cell_size_m = 1000;
  doc.config.travel.offroad_kmh = 20;
  doc.layers.push_back(layer("banner", core::Role::Banner,
                             test::polygons({{{0, 0}, {60'000, 0}, {60'000, 40'000}, {0, 40'000}}})));
  doc.layers.push_back(
      layer("border", core::Role::Border, test::lines({{{-30'000, 45'000}, {90'000, 45'000}}})));
  doc.layers.push_back(
      layer("lakes", core::Role::Other,
            test::polygons({{{40'000, 5000}, {50'000, 5000}, {50'000, 15'000}, {40'000, 15'000}}})));
  auto roads = layer("roads", core::Role::Road,
                     test::lines({{{1000, 20'000}, {59'000, 20'000}}, {{30'000, 20'000}, {30'000, 39'000}}}));
  roads.fields.road_class = "class";
  roads.fields.speed = "speed";
  roads.attrs = {};
  const int cc = roads.attrs.add_column("class", core::FieldType::Text);
  const int cs = roads.attrs.add_column("speed", core::FieldType::Real);
  roads.attrs.columns[static_cast<std::size_t>(cc)].push_text("国道");
  roads.attrs.columns[static_cast<std::size_t>(cc)].push_text("track");
  roads.attrs.columns[static_cast<std::size_t>(cs)].push_null();
  roads.attrs.columns[static_cast<std::size_t>(cs)].push_real(30.0);
  doc.layers.push_back(std::move(roads));
  core::Scenario winter;
  winter.name = "winter";
  winter.offroad_kmh = 8.0;
  winter.closed_classes = {"track"};
  doc.config.scenarios.push_back(winter);
  return doc;
}

}  // namespace

TEST_CASE("project travel: roads, study area, border and lakes from the document", "[travel][project]") {
  const auto doc = demo_document();
  core::Diagnostics diag;
  const auto pt = analysis::build_project_travel(doc, doc.config.travel, diag);
  CHECK(pt.road_layers == std::vector<std::string>{"roads"});
  CHECK(pt.roads.component_count() == 1);  // the track ends on the 国道 (T-junction)
  CHECK(pt.roads.feature_used == std::vector<std::uint8_t>{1, 1});
  auto pace_at = [&](double x, double y) { return pt.pace.at(pt.pace.col_of(x), pt.pace.row_of(y)); };
  CHECK(pace_at(10'500, 20'000) == Approx(1.0 / core::mps(80.0)));  // the 国道 burned in
  CHECK(pace_at(30'000, 30'500) == Approx(1.0 / core::mps(30.0)));  // the track at its field speed
  CHECK(pace_at(10'500, 10'500) == Approx(1.0 / core::mps(20.0)));  // grassland
  CHECK(!std::isfinite(pace_at(45'500, 10'500)));                   // the lake
  CHECK(!std::isfinite(pace_at(10'500, 45'000)));                   // the border
  CHECK(!std::isfinite(pace_at(10'500, 50'500)));                   // across it
  CHECK(std::isfinite(pace_at(-10'500, 20'500)));                   // the buffer beyond the banner

  // From the west end of the road: the road is used, times grow eastward.
  const core::Vec2 src{1000, 20'000};
  const auto s = analysis::travel_surface(pt.model, std::span<const core::Vec2>(&src, 1));
  const double t_east = analysis::point_time(pt.model, s, {58'500, 20'000});
  CHECK(t_east == Approx(57'500 / core::mps(80.0)).epsilon(0.03));

  // Winter: off-road slower, track closed; never faster anywhere.
  const auto* w = analysis::find_scenario(doc.config, "winter");
  REQUIRE(w);
  CHECK(analysis::find_scenario(doc.config, "monsoon") == nullptr);
  const auto pw =
      analysis::build_project_travel(doc, analysis::apply_scenario(doc.config.travel, *w), diag, "winter");
  CHECK(pw.roads.feature_used == std::vector<std::uint8_t>{1, 0});
  const auto sw = analysis::travel_surface(pw.model, std::span<const core::Vec2>(&src, 1));
  REQUIRE(sw.seconds.same_frame(s.seconds));
  for (std::size_t i = 0; i < s.seconds.data.size(); ++i)
    if (std::isfinite(s.seconds.data[i])) CHECK(sw.seconds.data[i] >= s.seconds.data[i] - 1e-3f);
}

TEST_CASE("project travel: land cover classes set the off-road speed, a scenario overrides a class",
          "[travel][project]") {
  auto doc = demo_document();
  // Classes on a 2 km grid over the banner: 1 (slow scrub) west of x = 20 km, 2 (impassable
  // marsh) from 20 to 24 km, 3 (not in the table) east of it; unknown (NaN) in the top row.
  doc.landcover = core::GridF(30, 20, 0.0, 40'000.0, 2000.0, 1.0f);
  doc.landcover.nodata = std::numeric_limits<float>::quiet_NaN();
  for (int r = 0; r < 20; ++r)
    for (int c = 0; c < 30; ++c) {
      const double x = (c + 0.5) * 2000.0;
      doc.landcover.at(c, r) = r == 0 ? doc.landcover.nodata : x < 20'000 ? 1.0f : x < 24'000 ? 2.0f : 3.0f;
    }
  doc.config.travel.landcover_speeds = {{1.0, 5.0}, {2.0, 0.0}};
  core::Diagnostics diag;
  const auto pt = analysis::build_project_travel(doc, doc.config.travel, diag);
  auto pace_at = [&](const analysis::ProjectTravel& p, double x, double y) {
    return p.pace.at(p.pace.col_of(x), p.pace.row_of(y));
  };
  CHECK(pace_at(pt, 10'500, 10'500) == Approx(1.0 / core::mps(5.0)));   // class 1
  CHECK(!std::isfinite(pace_at(pt, 22'500, 10'500)));                   // class 2: impassable
  CHECK(pace_at(pt, 22'500, 20'000) == Approx(1.0 / core::mps(80.0)));  // ... but the 国道 crosses it
  CHECK(pace_at(pt, 30'500, 10'500) == Approx(1.0 / core::mps(20.0)));  // class 3: offroad_kmh
  CHECK(pace_at(pt, 10'500, 39'500) == Approx(1.0 / core::mps(20.0)));  // unknown: offroad_kmh
  CHECK(!std::isfinite(pace_at(pt, 45'500, 10'500)));                   // the lake still wins
  // One warning names the unlisted class 3.
  std::size_t warned = 0;
  for (const auto& p : diag.problems)
    if (p.field == "travel.landcover_speeds" && p.what.find("classes 3 ") != std::string::npos) ++warned;
  CHECK(warned == 1);

  // A scenario that opens the marsh (frozen in winter) and slows class 1 further.
  core::Scenario frozen;
  frozen.name = "frozen";
  frozen.landcover_speeds = {{2.0, 15.0}, {1.0, 4.0}};
  const auto s = analysis::apply_scenario(doc.config.travel, frozen);
  CHECK(s.landcover_speeds.size() == 2);
  const auto pf = analysis::build_project_travel(doc, s, diag, "frozen");
  CHECK(pace_at(pf, 22'500, 10'500) == Approx(1.0 / core::mps(15.0)));
  CHECK(pace_at(pf, 10'500, 10'500) == Approx(1.0 / core::mps(4.0)));

  // Across the marsh off the road: impassable in summer means a detour; frozen it is direct.
  const core::Vec2 src{18'000, 8000};
  const core::Vec2 dst{26'000, 8000};
  const auto ss = analysis::travel_surface(pt.model, std::span<const core::Vec2>(&src, 1));
  const auto sf = analysis::travel_surface(pf.model, std::span<const core::Vec2>(&src, 1));
  const double summer = analysis::point_time(pt.model, ss, dst),
               winter = analysis::point_time(pf.model, sf, dst);
  REQUIRE(std::isfinite(summer));
  REQUIRE(std::isfinite(winter));
  CHECK(summer > winter * 1.5);
}
