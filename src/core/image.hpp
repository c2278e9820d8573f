#pragma once
// An RGBA image placed on the map: what a basemap or the quiet background renders, and what the
// app and the print renderer draw under the layers.
#include <cstdint>
#include <vector>

#include "core/geometry.hpp"

namespace kepumap::core {

/// 8-bit RGBA pixels, straight (not premultiplied) alpha, row 0 at the top (north), covering
/// `extent` (metres in the analysis CRS) edge to edge.
struct ImageRgba {
  int width = 0, height = 0;
  std::vector<std::uint8_t> pixels;  ///< width * height * 4 bytes: R, G, B, A
  BBox extent;

  bool empty() const { return width <= 0 || height <= 0 || pixels.empty(); }
  /// The pixel at column x, row y (no bounds check).
  const std::uint8_t* at(int x, int y) const {
    return pixels.data() +
           (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)) * 4;
  }
};

}  // namespace kepumap::core
