#include <catch2/catch.hpp>

#include <cairo.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/atomic_file.hpp"
#include "report/map_render.hpp"

using namespace kepumap;

namespace {

// A banner of two townships side by side (10 km squares) and two facility points.
core::Layer township_layer() {
  core::Layer l;
  l.name = "township";
  l.role = core::Role::Township;
  l.fields.name = "name";
  l.geom.kind = core::GeomKind::Polygon;
  const core::Vec2 a[] = {{0, 0}, {10'000, 0}, {10'000, 10'000}, {0, 10'000}, {0, 0}};
  const core::Vec2 b[] = {{10'000, 0}, {20'000, 0}, {20'000, 10'000}, {10'000, 10'000}, {10'000, 0}};
  l.geom.add_ring(a);
  l.geom.end_part();
  l.geom.end_feature();
  l.geom.add_ring(b);
  l.geom.end_part();
  l.geom.end_feature();
  const int c = l.attrs.add_column("name", core::FieldType::Text);
  l.attrs.columns[c].push_text("别力古台镇");
  l.attrs.columns[c].push_text("查干淖尔镇");
  return l;
}

core::Layer museum_layer() {
  core::Layer l;
  l.name = "museum";
  l.role = core::Role::Museum;
  l.geom.kind = core::GeomKind::Point;
  l.geom.add_point_feature({2'000, 2'000});
  l.attrs.set_rows_without_columns(1);
  return l;
}

struct Pixels {
  cairo_surface_t* s;
  explicit Pixels(cairo_surface_t* surf) : s(surf) { cairo_surface_flush(s); }
  ~Pixels() { cairo_surface_destroy(s); }
  std::uint32_t at(int x, int y) const {
    const unsigned char* d = cairo_image_surface_get_data(s);
    return reinterpret_cast<const std::uint32_t*>(d + y * cairo_image_surface_get_stride(s))[x] & 0xffffff;
  }
};

Pixels render(const report::MapSpec& spec, int w, int h, int* labels) {
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
  cairo_t* cr = cairo_create(s);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  *labels = report::draw_map(cr, 0, 0, w, h, spec);
  cairo_destroy(cr);
  return Pixels(s);
}

}  // namespace

TEST_CASE("a choropleth map puts each class colour where its polygon is", "[report]") {
  const core::Layer towns = township_layer();
  const core::Layer museum = museum_layer();
  report::MapSpec spec;
  spec.extent = towns.geom.bbox();
  // The study area is the west township, so the legend fits in the bottom-right corner and the
  // map is not shrunk for a margin (test_print_style covers that).
  spec.study_area = towns.geom.bbox();
  spec.study_area.max_x = 10'000;
  report::MapLayer ml;
  ml.layer = &towns;
  ml.style.line = {0, 0, 0, 1};
  core::Choropleth ch;
  ch.method = "manual";
  ch.breaks = {50};
  ch.ramp = {{1, 0, 0, 1}, {0, 0, 1, 1}};  // low red, high blue
  ml.style.choropleth = ch;
  ml.values = {10, 90};
  ml.label_column = 0;
  ml.legend_label = "缺口";
  spec.layers.push_back(ml);
  report::MapLayer mm;
  mm.layer = &museum;
  mm.style.fill = {0, 1, 0, 1};
  mm.style.symbol_size_px = 12;
  mm.legend_label = "科技馆";
  spec.layers.push_back(mm);

  int labels = 0;
  const Pixels px = render(spec, 800, 400, &labels);
  // Scale 0.0384 pt/m (384 pt for 10 km), centred: world (x, y) is at (16 + 0.0384 x, 8 + 0.0384 (10000 -
  // y)).
  CHECK(px.at(106, 104) == 0xff0000);       // west township: low class, red
  CHECK(px.at(400 + 80, 104) == 0x0000ff);  // east township: high class, blue
  CHECK(px.at(93, 315) == 0x00ff00);        // the museum symbol at (2 km, 2 km): x = 16 + 2000 * 0.0384
  CHECK(labels == 2);                       // both township names placed
  // The legend box (bottom right) is not the map colours: it has white background pixels.
  CHECK(px.at(800 - 12, 400 - 12) == 0xffffff);
}

TEST_CASE("maps are written as PNG, SVG and PDF - an unknown format is refused", "[report]") {
  const core::Layer towns = township_layer();
  report::MapSpec spec;
  spec.title = "test";
  spec.extent = towns.geom.bbox();
  report::MapLayer ml;
  ml.layer = &towns;
  ml.label_column = 0;
  spec.layers.push_back(ml);
  const auto dir = std::filesystem::temp_directory_path() / "kepumap_test_report";
  std::filesystem::create_directories(dir);
  for (const char* ext : {".png", ".svg", ".pdf"}) {
    const auto p = dir / (std::string("map") + ext);
    std::filesystem::remove(p);
    report::write_map(spec, p, 400, 300);
    REQUIRE(std::filesystem::exists(p));
    CHECK(std::filesystem::file_size(p) > 500);
  }
  for (const auto& e : std::filesystem::directory_iterator(dir))
    CHECK_FALSE(core::is_temp_name(e.path().filename().string()));
  std::ifstream svg(dir / "map.svg");
  std::string text((std::istreambuf_iterator<char>(svg)), {});
  CHECK(text.find("<svg") != std::string::npos);
  CHECK_THROWS_WITH(report::write_map(spec, dir / "map.bmp", 100, 100),
                    Catch::Contains("unknown map format"));
}

TEST_CASE("scale bar lengths are round numbers", "[report]") {
  CHECK(report::nice_length(73'000) == 50'000);
  CHECK(report::nice_length(19'999) == 10'000);
  CHECK(report::nice_length(2'100) == 2'000);
  CHECK(report::nice_length(0.9) == Approx(0.5));
}
