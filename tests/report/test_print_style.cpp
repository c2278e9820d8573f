// Print legibility: ramps that read in greyscale and for the colour-blind, a border that does not
// look like a caravan route, a legend clear of the study area, SVG labels as text.
#include <catch2/catch.hpp>

#include <cairo.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <span>
#include <string>
#include <vector>

#include "core/style.hpp"
#include "report/map_render.hpp"
#include "test_paths.hpp"

using namespace kepumap;

namespace {

double to_linear(double c) { return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); }

// CIE L* (D65) of a linear-light RGB triple.
double lightness_linear(double r, double g, double b) {
  const double y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
  const double f = y > 216.0 / 24389.0 ? std::cbrt(y) : (24389.0 / 27.0 * y + 16.0) / 116.0;
  return 116.0 * f - 16.0;
}

double lightness(core::Rgba c) { return lightness_linear(to_linear(c.r), to_linear(c.g), to_linear(c.b)); }

// L* as a deuteranope sees the colour: Machado, Oliveira & Fernandes (2009), severity 1.0, on
// linear RGB.
double deutan_lightness(core::Rgba c) {
  const double r = to_linear(c.r), g = to_linear(c.g), b = to_linear(c.b);
  auto clamp01 = [](double v) { return std::clamp(v, 0.0, 1.0); };
  return lightness_linear(clamp01(0.367322 * r + 0.860646 * g - 0.227968 * b),
                          clamp01(0.280085 * r + 0.672501 * g + 0.047413 * b),
                          clamp01(-0.011820 * r + 0.042940 * g + 0.968881 * b));
}

// Strictly monotonic (either way), each step at least `min_step` L* apart.
bool monotonic(const std::vector<double>& l, double min_step) {
  if (l.size() < 2) return true;
  const double dir = l.back() > l.front() ? 1.0 : -1.0;
  for (std::size_t i = 1; i < l.size(); ++i)
    if (dir * (l[i] - l[i - 1]) < min_step) return false;
  return true;
}

void check_ramp(const std::string& name, const std::vector<core::Rgba>& ramp) {
  std::vector<double> l, d;
  for (const auto& c : ramp) {
    l.push_back(lightness(c));
    d.push_back(deutan_lightness(c));
  }
  INFO(name);
  CHECK(monotonic(l, 8.0));
  CHECK(monotonic(d, 5.0));
  CHECK(std::abs(l.back() - l.front()) > 50.0);  // from light to dark, not a band of mid-greys
}

core::Style default_json() { return core::load_style((test::source_dir() / "styles/default.json").string()); }

}  // namespace

TEST_CASE("every ramp in the style files is monotonic in CIE L*, also to a deuteranope", "[report][print]") {
  // Sanity of the L* formula on known values: white 100, black 0, sRGB mid-grey #777777 about 50.
  CHECK(lightness({1, 1, 1, 1}) == Approx(100.0).margin(0.01));
  CHECK(lightness({0, 0, 0, 1}) == Approx(0.0).margin(0.01));
  CHECK(lightness({0x77 / 255.f, 0x77 / 255.f, 0x77 / 255.f, 1}) == Approx(50.0).margin(0.5));
  // The old red-green travel-time ramp fails: 0 and 144 minutes had nearly the same grey.
  std::vector<core::Rgba> old;
  for (const char* h : {"#1a994f", "#91cf61", "#ffe08c", "#fc8c59", "#d63026", "#752982"})
    old.push_back(*core::parse_colour(h));
  std::vector<double> old_l;
  for (const auto& c : old) old_l.push_back(lightness(c));
  CHECK_FALSE(monotonic(old_l, 0.0));

  for (const char* file : {"styles/default.json", "styles/population_classes.json"}) {
    const core::Style st = core::load_style((test::source_dir() / file).string());
    check_ramp(std::string(file) + " travel_time", st.travel_time_ramp);
    check_ramp(std::string(file) + " gap", st.gap_ramp);
    for (const auto& [role, ls] : st.roles) {
      if (ls.raster_ramp.size() >= 2) check_ramp(std::string(file) + " raster ramp", ls.raster_ramp);
      if (ls.choropleth && ls.choropleth->ramp.size() >= 2)
        check_ramp(std::string(file) + " choropleth ramp", ls.choropleth->ramp);
    }
  }
  // The built-in fallback matches the file.
  CHECK(core::Style{}.travel_time_ramp == default_json().travel_time_ramp);
  CHECK(core::Style{}.index_ramp == default_json().index_ramp);
  CHECK(core::Style{}.index_breaks == default_json().index_breaks);
}

namespace {

// The simulated deuteranope colour's red minus blue (linear): the yellow-blue axis a
// deuteranope still sees.
double deutan_warmth(core::Rgba c) {
  const double r = to_linear(c.r), g = to_linear(c.g), b = to_linear(c.b);
  return (0.367322 * r + 0.860646 * g - 0.227968 * b) - (-0.011820 * r + 0.042940 * g + 0.968881 * b);
}

}  // namespace

TEST_CASE(
    "the diverging index ramp is lightest at 1, monotonic on each arm, and its arms differ for a "
    "deuteranope and in greyscale",
    "[report][print]") {
  for (const char* file : {"styles/default.json", "styles/population_classes.json"}) {
    const core::Style st = core::load_style((test::source_dir() / file).string());
    INFO(file);
    const auto& r = st.index_ramp;
    REQUIRE(r.size() >= 3);
    REQUIRE(r.size() % 2 == 1);
    const std::size_t mid = r.size() / 2;
    std::vector<double> low, high, low_d, high_d;
    for (std::size_t i = 0; i <= mid; ++i) {
      low.push_back(lightness(r[i]));
      low_d.push_back(deutan_lightness(r[i]));
    }
    for (std::size_t i = mid; i < r.size(); ++i) {
      high.push_back(lightness(r[i]));
      high_d.push_back(deutan_lightness(r[i]));
    }
    // Each arm rises towards the middle colour (lightest), step by step.
    CHECK(monotonic(low, 8.0));
    CHECK(low.back() > low.front());
    CHECK(monotonic(high, 8.0));
    CHECK(high.front() > high.back());
    CHECK(monotonic(low_d, 5.0));
    CHECK(monotonic(high_d, 5.0));
    // The two ends differ in grey (the low end, the places the plan cares about, darker).
    CHECK(high.back() - low.front() > 20.0);
    // A deuteranope still sees the arms apart: warm below the mean, cool above.
    for (std::size_t i = 0; i < mid; ++i) CHECK(deutan_warmth(r[i]) > 0.0);
    for (std::size_t i = mid + 1; i < r.size(); ++i) CHECK(deutan_warmth(r[i]) < 0.0);
    // Breaks symmetric around 1 on a log scale, so the middle class holds the mean.
    const auto& b = st.index_breaks;
    REQUIRE(b.size() % 2 == 0);
    for (std::size_t i = 0; i < b.size(); ++i)
      CHECK(std::log2(b[i]) == Approx(-std::log2(b[b.size() - 1 - i])).margin(0.03));
    const core::Choropleth ch = core::index_classes(st, "relative");
    CHECK(ch.class_of(1.0) == static_cast<int>(b.size() / 2));
    CHECK(ch.class_colour(ch.class_of(1.0)) == r[mid]);
    CHECK(core::index_colour(st, 1.0) == r[mid]);
    CHECK(core::index_colour(st, 0.01) == r.front());
    CHECK(core::index_colour(st, 100.0) == r.back());
    CHECK(core::index_colour(st, std::nan("")) == r.front());
  }
}

namespace {

core::Layer line_layer(core::Role role, double y) {
  core::Layer l;
  l.role = role;
  l.geom.kind = core::GeomKind::Line;
  const core::Vec2 pts[] = {{0, y}, {20'000, y}};
  l.geom.add_ring(pts);
  l.geom.end_part();
  l.geom.end_feature();
  l.attrs.set_rows_without_columns(1);
  return l;
}

double grey(std::uint32_t px) {  // luma of an opaque ARGB32 pixel, 0..255
  return 0.2126 * ((px >> 16) & 0xff) + 0.7152 * ((px >> 8) & 0xff) + 0.0722 * (px & 0xff);
}

}  // namespace

TEST_CASE("in greyscale the border and the caravan routes differ in lightness and pattern",
          "[report][print]") {
  const core::Style st = default_json();
  const core::Layer border = line_layer(core::Role::Border, 7'500);
  const core::Layer route = line_layer(core::Role::CaravanRoute, 2'500);
  report::MapSpec spec;
  spec.extent.add(core::Vec2{0, 0});
  spec.extent.add(core::Vec2{20'000, 10'000});
  spec.background = {1, 1, 1, 1};
  for (const core::Layer* l : {&border, &route}) {
    report::MapLayer ml;
    ml.layer = l;
    ml.style = st.for_role(l->role);
    spec.layers.push_back(ml);
  }
  const int w = 2400, h = 1200;  // 2 points per style pixel, as at print resolution
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
  cairo_t* cr = cairo_create(s);
  const report::MapLayout lay = report::draw_map_layout(cr, 0, 0, w, h, spec);
  cairo_destroy(cr);
  cairo_surface_flush(s);
  const auto* data = cairo_image_surface_get_data(s);
  const int stride = cairo_image_surface_get_stride(s);
  auto at = [&](int x, int y) { return reinterpret_cast<const std::uint32_t*>(data + y * stride)[x]; };
  // The lines' rows on the page: the study area (= extent) box maps y = 10 km to its top.
  auto row_of = [&](double wy) {
    const double t = (10'000 - wy) / 10'000;
    return static_cast<int>(std::lround(lay.study_area.min_y + t * lay.study_area.height()));
  };
  const int by = row_of(7'500), ry = row_of(2'500);
  // Sample the darkest pixel in a 5-pixel window across each line, along its middle half.
  std::vector<double> bg, rg;
  const int x0 = static_cast<int>(lay.study_area.min_x + lay.study_area.width() * 0.25);
  const int x1 = static_cast<int>(lay.study_area.min_x + lay.study_area.width() * 0.5);
  for (int x = x0; x < x1; ++x) {
    double b = 255, r = 255;
    for (int dy = -2; dy <= 2; ++dy) {
      b = std::min(b, grey(at(x, by + dy)));
      r = std::min(r, grey(at(x, ry + dy)));
    }
    bg.push_back(b);
    rg.push_back(r);
  }
  cairo_surface_destroy(s);
  const auto [bmin, bmax] = std::minmax_element(bg.begin(), bg.end());
  const auto [rmin, rmax] = std::minmax_element(rg.begin(), rg.end());
  // The route is solid: every sample inked, at one grey.
  CHECK(*rmax - *rmin < 10);
  CHECK(*rmax < 200);
  // The border is dashed: gaps of background along it, and its ink clearly darker than the route.
  CHECK(*bmax > 240);
  CHECK(*rmin - *bmin > 40);
  std::size_t gaps = 0;
  for (double b : bg) gaps += b > 240;
  CHECK(gaps > bg.size() / 10);
}

TEST_CASE("the legend never covers the study area", "[report][print]") {
  const core::Layer route = line_layer(core::Role::CaravanRoute, 5'000);
  report::MapSpec spec;
  spec.extent.add(core::Vec2{0, 0});
  spec.extent.add(core::Vec2{20'000, 10'000});
  report::MapLayer ml;
  ml.layer = &route;
  ml.legend_label = "大篷车路线";
  spec.layers.push_back(ml);
  auto layout = [&](double w, double h) {
    cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 10, 10);
    cairo_t* cr = cairo_create(s);
    const report::MapLayout l = report::draw_map_layout(cr, 0, 0, w, h, spec);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    return l;
  };
  auto clear = [](const report::MapLayout& l) {
    return l.legend.max_x <= l.study_area.min_x || l.study_area.max_x <= l.legend.min_x ||
           l.legend.max_y <= l.study_area.min_y || l.study_area.max_y <= l.legend.min_y;
  };
  // The study area fills a 2:1 frame: no corner is clear, so the map shrinks to make a margin.
  const report::MapLayout full = layout(800, 400);
  CHECK(full.legend_in_margin);
  CHECK(clear(full));
  CHECK(full.legend.max_x <= full.frame.max_x);
  // A tall frame leaves room under a wide study area: the legend takes a corner there.
  const report::MapLayout tall = layout(600, 900);
  CHECK_FALSE(tall.legend_in_margin);
  CHECK(clear(tall));
  // A small study area in a wide extent: a corner, unshrunk.
  spec.study_area.add(core::Vec2{8'000, 4'000});
  spec.study_area.add(core::Vec2{12'000, 6'000});
  const report::MapLayout small = layout(800, 400);
  CHECK_FALSE(small.legend_in_margin);
  CHECK(clear(small));
}

TEST_CASE("SVG maps keep their labels and notes as text", "[report][print]") {
  core::Layer l;
  l.role = core::Role::Township;
  l.geom.kind = core::GeomKind::Polygon;
  const core::Vec2 a[] = {{0, 0}, {10'000, 0}, {10'000, 10'000}, {0, 10'000}, {0, 0}};
  const core::Vec2 b[] = {{10'000, 0}, {20'000, 0}, {20'000, 10'000}, {10'000, 10'000}, {10'000, 0}};
  for (const auto* ring : {a, b}) {
    l.geom.add_ring(std::span<const core::Vec2>(ring, 5));
    l.geom.end_part();
    l.geom.end_feature();
  }
  const int c = l.attrs.add_column("name", core::FieldType::Text);
  l.attrs.columns[c].push_text("萨如拉嘎查");
  l.attrs.columns[c].push_text("A&B <镇>");
  report::MapSpec spec;
  spec.extent = l.geom.bbox();
  spec.notes = {"示意图 · 边界仅为示意，不作为权属争议依据", "审图号：蒙S(2025)001号"};
  report::MapLayer ml;
  ml.layer = &l;
  ml.label_column = c;
  spec.layers.push_back(ml);
  const auto dir = std::filesystem::temp_directory_path() / "kepumap_test_print_svg";
  std::filesystem::create_directories(dir);
  const report::MapLayout lay = report::write_map(spec, dir / "map.svg", 600, 320);
  REQUIRE(lay.labels.size() == 2);
  REQUIRE(lay.notes.size() == 2);
  CHECK(lay.notes[0].y > lay.study_area.max_y);  // the notes strip is under the map
  std::ifstream in(dir / "map.svg");
  const std::string svg((std::istreambuf_iterator<char>(in)), {});
  CHECK(svg.find("font-family=\"Noto Sans CJK SC\"") != std::string::npos);
  CHECK(svg.find(">萨如拉嘎查</text>") != std::string::npos);
  CHECK(svg.find(">A&amp;B &lt;镇&gt;</text>") != std::string::npos);
  std::filesystem::remove_all(dir);
}
