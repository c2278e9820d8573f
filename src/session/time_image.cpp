#include "session/time_image.hpp"

#include <algorithm>
#include <cmath>

namespace kepumap::session {

std::uint32_t time_rgba(const core::Style& st, double seconds) {
  const core::Rgba c = core::travel_time_colour(st, seconds);
  if (c.a <= 0.0f) return 0;
  auto byte = [](float v) {
    return static_cast<std::uint32_t>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f));
  };
  return byte(c.r) | (byte(c.g) << 8) | (byte(c.b) << 16) |
         (static_cast<std::uint32_t>(std::lround(c.a * 170.0f)) << 24);
}

TimeImage make_time_image(const core::GridF& time, const core::GridI& unit, const core::Style& st, int step) {
  TimeImage img;
  img.step = std::max(1, step);
  img.width = (time.width + img.step - 1) / img.step;
  img.height = (time.height + img.step - 1) / img.step;
  img.px.assign(static_cast<std::size_t>(img.width) * static_cast<std::size_t>(img.height), 0u);
  recolour(img, time, unit, st, analysis::CellBox::whole(img.width, img.height));
  return img;
}

analysis::CellBox texels_of(const TimeImage& img, const analysis::CellBox& cells) {
  if (cells.empty()) return {};
  // texel t shows cell t * step: the texels with t * step in [c0, c1)
  auto first = [&](int c) { return std::clamp((std::max(c, 0) + img.step - 1) / img.step, 0, 1 << 30); };
  analysis::CellBox t{first(cells.col0), first(cells.row0), first(cells.col1), first(cells.row1)};
  t.col1 = std::min(t.col1, img.width);
  t.row1 = std::min(t.row1, img.height);
  return t.empty() ? analysis::CellBox{} : t;
}

void recolour(TimeImage& img, const core::GridF& time, const core::GridI& unit, const core::Style& st,
              const analysis::CellBox& texels) {
  const bool same_frame = unit.width == time.width && unit.height == time.height;
  const int c1 = std::min(texels.col1, img.width), r1 = std::min(texels.row1, img.height);
  for (int r = std::max(0, texels.row0); r < r1; ++r)
    for (int c = std::max(0, texels.col0); c < c1; ++c) {
      const int gc = c * img.step, gr = r * img.step;
      const bool inside = !same_frame || unit.at(gc, gr) >= 0;
      img.px[static_cast<std::size_t>(r) * static_cast<std::size_t>(img.width) +
             static_cast<std::size_t>(c)] = inside ? time_rgba(st, time.at(gc, gr)) : 0u;
    }
}

}  // namespace kepumap::session
