#include "ui/png.hpp"

#include <cairo.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <system_error>

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
  std::string tmp = path + ".tmp" + std::to_string(::getpid()) + ".png";
  cairo_status_t st = cairo_surface_write_to_png(s, tmp.c_str());
  cairo_surface_destroy(s);
  if (st != CAIRO_STATUS_SUCCESS) {
    error = std::string(cairo_status_to_string(st)) + ": " + tmp;
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    return false;
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    error = ec.message() + ": " + path;
    return false;
  }
  return true;
}

}  // namespace kepumap::ui
