// The engine built from a Document: road layers with mapped fields, the banner as study area,
// the border, water layers by name, scenarios.
#include <catch2/catch.hpp>

#include <cmath>

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
  doc.layers.push_back(layer("border", core::Role::Border, test::lines({{{-30'000, 45'000}, {90'000, 45'000}}})));
  doc.layers.push_back(layer("lakes", core::Role::Other,
                             test::polygons({{{40'000, 5000}, {50'000, 5000}, {50'000, 15'000}, {40'000, 15'000}}})));
  auto roads = layer("roads", core::Role::Road, test::lines({{{1000, 20'000}, {59'000, 20'000}}, {{30'000, 20'000}, {30'000, 39'000}}}));
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
  const auto pw = analysis::build_project_travel(doc, analysis::apply_scenario(doc.config.travel, *w), diag, "winter");
  CHECK(pw.roads.feature_used == std::vector<std::uint8_t>{1, 0});
  const auto sw = analysis::travel_surface(pw.model, std::span<const core::Vec2>(&src, 1));
  REQUIRE(sw.seconds.same_frame(s.seconds));
  for (std::size_t i = 0; i < s.seconds.data.size(); ++i)
    if (std::isfinite(s.seconds.data[i])) CHECK(sw.seconds.data[i] >= s.seconds.data[i] - 1e-3f);
}
