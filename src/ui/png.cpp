#include "ui/png.hpp"

#include <cairo.h>

#include <exception>

#include "report/cairo_file.hpp"

namespace kepumap::ui {

bool write_png(const std::string& path, const std::vector<std::uint8_t>& rgba, int w, int h,
               std::string& error) {
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
  if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
    error = cairo_status_to_string(cairo_surface_status(s));
    cairo_surface_destroy(s);
    return false;
  }
  cairo_surface_flush(s);
  unsigned char* data = cairo_image_surface_get_data(s);
  int stride = cairo_image_surface_get_stride(s);
  for (int y = 0; y < h; ++y) {
    auto* row = reinterpret_cast<std::uint32_t*>(data + static_cast<std::ptrdiff_t>(y) * stride);
    const std::uint8_t* src = rgba.data() + static_cast<std::size_t>(y) * w * 4;
    for (int x = 0; x < w; ++x)
      row[x] = 0xFF000000u | (std::uint32_t{src[4 * x]} << 16) | (std::uint32_t{src[4 * x + 1]} << 8) |
               src[4 * x + 2];
  }
  cairo_surface_mark_dirty(s);
  try {
    report::save_png(s, path);  // through a temporary renamed into place
  } catch (const std::exception& e) {
    error = e.what();
    cairo_surface_destroy(s);
    return false;
  }
  cairo_surface_destroy(s);
  return true;
}

}  // namespace kepumap::ui
