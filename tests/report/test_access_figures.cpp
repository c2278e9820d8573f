// The Lorenz curve and the bar chart of the index draw inside the rectangle they are given (the
// report's page places them under its sentence), and the bars shrink rather than overflow.
#include <catch2/catch.hpp>

#include <cairo.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/style.hpp"
#include "report/access_outputs.hpp"

using namespace kepumap;

namespace {

struct Ink {
  std::size_t inside = 0, outside = 0;
};

// Paints white, lets `draw` draw, then counts non-white pixels inside and outside the rectangle.
template <typename Draw>
Ink ink_of(int w, int h, double rx, double ry, double rw, double rh, Draw draw) {
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
  cairo_t* cr = cairo_create(s);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  draw(cr);
  cairo_destroy(cr);
  cairo_surface_flush(s);
  const unsigned char* d = cairo_image_surface_get_data(s);
  const int stride = cairo_image_surface_get_stride(s);
  Ink ink;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const std::uint32_t px = reinterpret_cast<const std::uint32_t*>(d + y * stride)[x] & 0xffffff;
      if (px == 0xffffff) continue;
      const bool in = x >= rx - 1 && x <= rx + rw + 1 && y >= ry - 1 && y <= ry + rh + 1;
      ++(in ? ink.inside : ink.outside);
    }
  cairo_surface_destroy(s);
  return ink;
}

}  // namespace

TEST_CASE("access figures draw inside their rectangle", "[report][access]") {
  const core::Style style = core::default_style();
  std::vector<std::string> names;
  std::vector<double> values;
  for (int i = 0; i < 30; ++i) {
    names.push_back("u" + std::to_string(i));
    values.push_back(0.1 * i);
  }
  const double rx = 60, ry = 40, rw = 480;
  SECTION("bars, full size and squeezed") {
    for (const double rh : {report::index_bars_height(names.size()), 260.0}) {
      INFO(rh);
      const Ink ink = ink_of(600, 700, rx, ry, rw, rh, [&](cairo_t* cr) {
        report::draw_index_bars(cr, rx, ry, rw, rh, names, values, "bars", style, true);
      });
      CHECK(ink.inside > 1000);
      CHECK(ink.outside == 0);
    }
  }
  SECTION("Lorenz curve, wide and short") {
    const std::vector<analysis::LorenzPoint> lz = {{0, 0}, {0.5, 0.2}, {1, 1}};
    for (const double rh : {400.0, 250.0}) {
      INFO(rh);
      const Ink ink = ink_of(600, 500, rx, ry, rw, rh, [&](cairo_t* cr) {
        report::draw_lorenz(cr, rx, ry, rw, rh, lz, 0.321, "Lorenz", true);
      });
      CHECK(ink.inside > 1000);
      CHECK(ink.outside == 0);
    }
  }
}

TEST_CASE("the bar chart's full height grows with the units up to 40 bars", "[report][access]") {
  CHECK(report::index_bars_height(0) < report::index_bars_height(1));
  CHECK(report::index_bars_height(40) == report::index_bars_height(400));
  CHECK(report::index_bars_height(10) > report::index_bars_height(9));
}
