// Every glyph of a label renders in the PDF: text drawn with the print font on a PDF surface,
// rasterised by poppler (pdftoppm), must carry as much ink as FreeType's own rendering of the same
// text on an image surface. Fails on Debian cairo 1.16's CFF subset, where 如 prints blank.
#include <catch2/catch.hpp>

#include <cairo-pdf.h>
#include <cairo.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "report/print_font.hpp"

using namespace kepumap;

namespace {

constexpr double k_size = 40.0;

/// Dark pixels (grey < 128) of a binary PGM (P5) file.
long ink_in_pgm(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::string magic;
  int w = 0, h = 0, maxv = 0;
  in >> magic >> w >> h >> maxv;
  in.get();
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (magic != "P5" || static_cast<long>(data.size()) < static_cast<long>(w) * h) return -1;
  long n = 0;
  for (long i = 0; i < static_cast<long>(w) * h; ++i)
    n += static_cast<unsigned char>(data[static_cast<std::size_t>(i)]) < 128;
  return n;
}

void draw(cairo_t* cr, const std::string& text) {
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  report::select_print_font(cr, "Noto Sans CJK SC", false);
  cairo_set_font_size(cr, k_size);
  cairo_move_to(cr, 10, 60);
  cairo_show_text(cr, text.c_str());
}

/// Ink of `text` drawn on a PDF page (72 dpi) and rasterised by pdftoppm at 72 dpi.
long pdf_ink(const std::string& text, const std::string& tag) {
  const auto dir = std::filesystem::temp_directory_path();
  const auto pdf = dir / ("kepumap-glyph-" + tag + ".pdf");
  cairo_surface_t* s = cairo_pdf_surface_create(pdf.c_str(), 60.0 * static_cast<double>(text.size()), 90);
  cairo_t* cr = cairo_create(s);
  draw(cr, text);
  cairo_destroy(cr);
  cairo_surface_destroy(s);
  const auto base = dir / ("kepumap-glyph-" + tag);
  const std::string cmd = "pdftoppm -r 72 -gray -singlefile '" + pdf.string() + "' '" + base.string() + "'";
  if (std::system(cmd.c_str()) != 0) return -1;
  std::filesystem::path pgm = base;
  pgm += ".pgm";
  const long n = ink_in_pgm(pgm);
  std::filesystem::remove(pdf);
  std::filesystem::remove(pgm);
  return n;
}

/// Ink of `text` rendered by FreeType through cairo's image surface at the same size.
long image_ink(const std::string& text) {
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, static_cast<int>(60 * text.size()), 90);
  cairo_t* cr = cairo_create(s);
  draw(cr, text);
  cairo_surface_flush(s);
  const unsigned char* d = cairo_image_surface_get_data(s);
  const int stride = cairo_image_surface_get_stride(s);
  long n = 0;
  for (int y = 0; y < cairo_image_surface_get_height(s); ++y)
    for (int x = 0; x < cairo_image_surface_get_width(s); ++x) n += d[y * stride + x * 4 + 1] < 128;
  cairo_destroy(cr);
  cairo_surface_destroy(s);
  return n;
}

}  // namespace

TEST_CASE("PDF labels: every glyph carries its ink (如 of 萨如拉嘎查 included)", "[report][pdf][font]") {
  if (std::system("command -v pdftoppm >/dev/null 2>&1") != 0) {
    WARN("pdftoppm (poppler-utils) absent: skipping");
    return;
  }
  int tag = 0;
  for (const std::string ch : {"如", "萨", "拉", "嘎", "查", "旗", "镇", "A"}) {
    INFO(ch);
    const long want = image_ink(ch);
    const long got = pdf_ink(ch, std::to_string(tag++));
    REQUIRE(want > 20);
    CHECK(got > want / 2);
    CHECK(got < want * 2);
  }
}
