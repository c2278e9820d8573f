#pragma once
// Screenshots of the GUI tests read back as pixels (Cairo's PNG reader), and colour comparison.
#include <cairo.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include "core/style.hpp"

namespace kepumap::test::gui {

struct Image {
  int w = 0, h = 0;
  std::vector<std::uint32_t> px;  // 0xRRGGBB
  std::uint32_t at(int x, int y) const { return px[static_cast<std::size_t>(y) * w + x]; }
};

/// The PNG at `p` (w = 0 when it cannot be read).
inline Image read_png(const std::filesystem::path& p) {
  Image img;
  cairo_surface_t* s = cairo_image_surface_create_from_png(p.c_str());
  if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS) {
    img.w = cairo_image_surface_get_width(s);
    img.h = cairo_image_surface_get_height(s);
    const int stride = cairo_image_surface_get_stride(s);
    const unsigned char* d = cairo_image_surface_get_data(s);
    for (int y = 0; y < img.h; ++y)
      for (int x = 0; x < img.w; ++x)
        img.px.push_back(
            reinterpret_cast<const std::uint32_t*>(d + static_cast<std::ptrdiff_t>(y) * stride)[x] &
            0xFFFFFF);
  }
  cairo_surface_destroy(s);
  return img;
}

/// Pixel `px` is within `tol` of colour `c` in every channel (0..255).
inline bool close_to(std::uint32_t px, core::Rgba c, int tol) {
  const int r = static_cast<int>(px >> 16 & 255), g = static_cast<int>(px >> 8 & 255),
            b = static_cast<int>(px & 255);
  return std::abs(r - static_cast<int>(std::lround(c.r * 255))) <= tol &&
         std::abs(g - static_cast<int>(std::lround(c.g * 255))) <= tol &&
         std::abs(b - static_cast<int>(std::lround(c.b * 255))) <= tol;
}

}  // namespace kepumap::test::gui
