// View math, the style file model and symbology.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <limits>
#include <sstream>

#include "core/json.hpp"
#include "core/layer_style.hpp"
#include "core/style.hpp"
#include "render/symbology.hpp"
#include "render/view.hpp"
#include "test_paths.hpp"

using namespace kepumap;

TEST_CASE("view: screen and map round trip, zoom keeps the point under the cursor", "[render][view]") {
  render::View v;
  v.center = {1000, 2000};
  v.m_per_px = 50;
  v.width_px = 800;
  v.height_px = 600;
  core::Vec2 s = v.to_screen({1000, 2000});
  CHECK(s.x == Approx(400));
  CHECK(s.y == Approx(300));
  core::Vec2 north = v.to_screen({1000, 2500});  // 500 m north = 10 px up
  CHECK(north.y == Approx(290));
  core::Vec2 m = v.to_map({123, 456});
  core::Vec2 back = v.to_screen(m);
  CHECK(back.x == Approx(123));
  CHECK(back.y == Approx(456));
  core::Vec2 under = v.to_map({100, 100});
  v.zoom_at(2.0, {100, 100});
  CHECK(v.m_per_px == Approx(25));
  CHECK(v.to_map({100, 100}).x == Approx(under.x));
  CHECK(v.to_map({100, 100}).y == Approx(under.y));
  v.pan(10, 0);  // dragging right moves the map right: the centre goes west
  CHECK(v.to_map({110, 100}).x == Approx(under.x));
  core::BBox b{0, 0, 40000, 10000};
  v.fit(b, 0);
  CHECK(v.m_per_px == Approx(50));
  CHECK(v.visible().min_x <= 0);
  CHECK(v.visible().max_x >= 40000);
}

TEST_CASE("json reader", "[core][json]") {
  auto v = core::parse_json(R"({"a": [1, 2.5e1, -3], "b": {"c": "x\u4e2d\"y"}, "d": true, "e": null})");
  REQUIRE(v.find("a"));
  CHECK(v.find("a")->array.size() == 3);
  CHECK(v.find("a")->array[1].number == 25);
  CHECK(v.find("b")->find("c")->string == "x中\"y");
  CHECK(v.find("d")->boolean);
  CHECK(v.find("e")->is_null());
  try {
    core::parse_json("{\n  \"a\": [1,\n  }");
    FAIL("no error");
  } catch (const core::JsonError& e) {
    CHECK(e.line == 3);
  }
}

TEST_CASE("styles/default.json parses, and errors name the role and key", "[core][style]") {
  auto st = core::load_style((test::source_dir() / "styles/default.json").string());
  const auto& banner = st.for_role(core::Role::Banner);
  CHECK(banner.labels);
  CHECK(banner.label_priority == 0);
  CHECK(st.for_role(core::Role::Museum).symbol == core::Symbol::Star);
  CHECK(st.for_role(core::Role::Road).line_classes.size() >= 4);
  CHECK(!st.for_role(core::Role::CaravanRoute).dashed);  // routes solid, the border dash-dot
  CHECK(st.for_role(core::Role::Border).dash_px.size() == 4);
  CHECK(core::colour_hex(*core::parse_colour("#7a5c3a")) == "#7a5c3aff");

  auto bad = [](const char* text) {
    try {
      core::parse_style(text, "x.json");
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(bad(R"({"roles": {"banner": {"fill": "#12345"}}})").find("x.json: roles.banner.fill: bad colour") ==
        0);
  CHECK(bad(R"({"roles": {"museum": {"symbol": "hexagon"}}})").find("roles.museum.symbol: unknown symbol") !=
        std::string::npos);
  CHECK(bad(R"({"roles": {"castle": {}}})").find("roles.castle: unknown role") != std::string::npos);
  CHECK(bad(R"({"roles": {"banner": {"widht": 2}}})").find("roles.banner.widht: unknown key") !=
        std::string::npos);
  CHECK(bad(R"({"roles": {"village": {"choropleth": {"attribute": "population"}}}})")
            .find("needs a \"ramp\"") != std::string::npos);
  CHECK(bad(R"({"roles": {"border": {"dash": [4, 2, 1]}}})")
            .find("roles.border.dash: expected an even number") != std::string::npos);
}

TEST_CASE("choropleth classes: quantile breaks, class colours from the ramp", "[core][style][render]") {
  core::Layer layer;
  layer.fields.population = "pop";
  int c = layer.attrs.add_column("pop", core::FieldType::Real);
  for (int i = 1; i <= 10; ++i) {
    layer.attrs.columns[static_cast<std::size_t>(c)].push_real(i * 100.0);
    layer.geom.add_point_feature({static_cast<double>(i), 0});
  }
  layer.geom.kind = core::GeomKind::Point;
  core::LayerStyle st;
  core::Choropleth ch;
  ch.attribute = "population";  // the mapped key, resolved to column "pop"
  ch.classes = 5;
  ch.ramp = {{0, 0, 0, 1}, {1, 1, 1, 1}};
  st.choropleth = ch;
  auto r = render::resolve_choropleth(layer, st);
  REQUIRE(r);
  REQUIRE(r->breaks.size() == 4);
  CHECK(r->breaks[0] == 200);
  CHECK(r->breaks[3] == 800);
  auto cols = render::feature_fill_colours(layer, st);
  CHECK(cols[0].r == Approx(0));                                                    // 100: first class, black
  CHECK(cols[9].r == Approx(1));                                                    // 1000: last class, white
  CHECK(cols[4].r == Approx(0.5));                                                  // 500: middle class
  for (std::size_t i = 1; i < cols.size(); ++i) CHECK(cols[i].r >= cols[i - 1].r);  // monotone
}

TEST_CASE("gap classes and the travel-time ramp come from the style file, for the app and the report",
          "[core][style]") {
  auto st = core::load_style((test::source_dir() / "styles/default.json").string());
  REQUIRE(st.gap_ramp.size() == 5);
  REQUIRE(st.travel_time_ramp.size() >= 2);
  CHECK(st.travel_time_max_min == 180.0);
  // Gaps: 0 (none), then values whose quartiles give the breaks.
  std::vector<double> gaps{0, 0, 0.2, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  const core::Choropleth ch = core::gap_classes(gaps, st);
  REQUIRE(ch.breaks.size() == 4);
  CHECK(ch.breaks[0] == st.gap_zero_below);
  CHECK(ch.classes == 5);
  CHECK(ch.class_of(0.2) == 0);  // below zero_below: the "no gap" colour
  CHECK(ch.class_of(9) == 4);
  CHECK(std::is_sorted(ch.breaks.begin(), ch.breaks.end()));
  // No gap anywhere: one break, two classes (nothing else to split).
  CHECK(core::gap_classes({0, 0, 0}, st).classes == 2);
  // The ramp: its first colour at 0, its last at and beyond max_min, transparent when unreachable.
  CHECK(core::colour_hex(core::travel_time_colour(st, 0)) == core::colour_hex(st.travel_time_ramp.front()));
  CHECK(core::colour_hex(core::travel_time_colour(st, 180 * 60)) ==
        core::colour_hex(st.travel_time_ramp.back()));
  CHECK(core::colour_hex(core::travel_time_colour(st, 1e9)) == core::colour_hex(st.travel_time_ramp.back()));
  CHECK(core::travel_time_colour(st, std::numeric_limits<double>::infinity()).a == 0.0f);
  auto bad = [](const char* text) {
    try {
      core::parse_style(text, "x.json");
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(bad(R"({"gap": {"ramp": ["#ffffff"]}})") == "x.json: gap.ramp: needs at least two colours");
  CHECK(bad(R"({"travel_time": {"max": 3}})") == "x.json: travel_time.max: unknown key");
}

namespace {
/// Five points whose `pop` and `kind` columns are given (features 0..4).
core::Layer styled_points() {
  core::Layer l;
  l.name = "pts";
  l.role = core::Role::Village;
  l.geom.kind = core::GeomKind::Point;
  const double pops[] = {-5, 30, 45, 120, 500};
  const char* kinds[] = {"苏木", "嘎查", "苏木", "镇", "嘎查"};
  const int pc = l.attrs.add_column("pop", core::FieldType::Real);
  const int kc = l.attrs.add_column("kind", core::FieldType::Text);
  for (int f = 0; f < 5; ++f) {
    l.geom.add_point_feature({f * 10.0, 0});
    l.attrs.columns[static_cast<std::size_t>(pc)].push_real(pops[f]);
    l.attrs.columns[static_cast<std::size_t>(kc)].push_text(kinds[f]);
  }
  l.fields.population = "pop";
  return l;
}
}  // namespace

TEST_CASE("manual breaks classify each value into its class, over a ramp of the style file by name",
          "[core][style][render]") {
  const core::Style st = core::default_style();
  const core::Layer l = styled_points();
  core::LayerStyleSpec spec;
  spec.kind = "graduated";
  spec.field = "population";  // the mapped field key, as the window stores it
  spec.method = "manual";
  spec.breaks = {0, 30, 60, 120};
  spec.ramp = "travel_time";
  const core::LayerStyle ls = core::resolve_layer_style(st.for_role(l.role), spec, l, st);
  REQUIRE(ls.choropleth);
  CHECK(ls.choropleth->method == "manual");
  CHECK(ls.choropleth->classes == 5);
  CHECK(ls.choropleth->ramp == core::named_ramp(st, "travel_time"));
  CHECK(ls.choropleth->ramp.front() == st.travel_time_ramp.front());
  // the breaks stay as typed: the values do not move them
  const auto ch = render::resolve_choropleth(l, ls);
  REQUIRE(ch);
  CHECK(ch->breaks == std::vector<double>{0, 30, 60, 120});
  // a break is the upper bound of its class: 30 is in "0 – 30", 45 in "30 – 60"
  CHECK(ch->class_of(-5) == 0);
  CHECK(ch->class_of(30) == 1);
  CHECK(ch->class_of(45) == 2);
  CHECK(ch->class_of(120) == 3);
  CHECK(ch->class_of(500) == 4);
  CHECK(ch->class_label(2) == "30 – 60");
  CHECK(ch->class_label(4) == "> 120");
  // the map colours each point by its class
  const auto fills = render::feature_fill_colours(l, ls);
  REQUIRE(fills.size() == 5);
  for (int f = 0; f < 5; ++f) CHECK(fills[static_cast<std::size_t>(f)] == ch->class_colour(f));
  CHECK(fills[0] == st.travel_time_ramp.front());
  CHECK(fills[4] == st.travel_time_ramp.back());
  // an unknown ramp name falls back to the role's ramp (none here: yellow to red)
  spec.ramp = "rainbow";
  CHECK(core::resolve_layer_style(st.for_role(l.role), spec, l, st).choropleth->ramp.front() ==
        *core::parse_colour("#ffffcc"));
  CHECK(core::named_ramp(st, "rainbow").empty());
  // styles/default.json has every ramp the window offers
  const core::Style file = core::load_style((test::source_dir() / "styles/default.json").string());
  for (auto name : core::ramp_names()) {
    const auto ramp = core::named_ramp(file, name);
    CHECK(ramp.size() >= 2);
    CHECK(std::all_of(ramp.begin(), ramp.end(), [](const core::Rgba& c) { return c.a == 1; }));
  }
}

TEST_CASE("category colours picked by the planner colour their features, the others keep theirs",
          "[core][style][render]") {
  const core::Style st = core::default_style();
  const core::Layer l = styled_points();
  core::LayerStyleSpec spec;
  spec.kind = "categories";
  spec.field = "kind";
  spec.category_colors = {{"苏木", "#aabbcc"}};
  const core::LayerStyle ls = core::resolve_layer_style(st.for_role(l.role), spec, l, st);
  REQUIRE(ls.categories.size() == 3);  // 嘎查, 苏木, 镇 (sorted)
  CHECK(ls.categories[0].first == "嘎查");
  CHECK(ls.categories[0].second == core::category_colour(0));
  CHECK(ls.categories[1].first == "苏木");
  CHECK(ls.categories[1].second == *core::parse_colour("#aabbcc"));
  CHECK(ls.categories[2].second == core::category_colour(2));
  const auto fills = render::feature_fill_colours(l, ls);
  CHECK(fills[0] == *core::parse_colour("#aabbcc"));
  CHECK(fills[2] == *core::parse_colour("#aabbcc"));
  CHECK(fills[1] == core::category_colour(0));
}
