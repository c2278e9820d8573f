// The travel-time image: recolouring only the texels of a changed box gives the image a whole
// recolouring gives.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "session/time_image.hpp"

using namespace kepumap;

namespace {

/// A 37 x 23 surface of times rising from a corner, unreachable in a corner block.
core::GridF surface(double shift) {
  core::GridF g(37, 23, 0.0, 23'000.0, 1000.0, 0.0f);
  for (int r = 0; r < g.height; ++r)
    for (int c = 0; c < g.width; ++c)
      g.at(c, r) = static_cast<float>(std::hypot(c - 5.0, r - 3.0) * 300.0 + shift);
  for (int r = 18; r < 23; ++r)
    for (int c = 30; c < 37; ++c) g.at(c, r) = std::numeric_limits<float>::infinity();
  return g;
}

}  // namespace

TEST_CASE("time image: recolouring the changed box only equals recolouring all of it",
          "[session][time_image]") {
  const core::Style st = core::default_style();
  core::GridI unit(37, 23, 0.0, 23'000.0, 1000.0, 0);
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 37; ++c) unit.at(c, r) = -1;  // outside the study area: clear
  for (const int step : {1, 2, 3}) {
    const core::GridF before = surface(0.0);
    core::GridF after = before;
    const analysis::CellBox changed{7, 2, 20, 15};  // times in it drop, as a moved facility makes them
    for (int r = changed.row0; r < changed.row1; ++r)
      for (int c = changed.col0; c < changed.col1; ++c) after.at(c, r) = static_cast<float>(60.0 * (c + r));
    session::TimeImage img = session::make_time_image(before, unit, st, step);
    REQUIRE(img.width == (37 + step - 1) / step);
    REQUIRE(img.height == (23 + step - 1) / step);
    const session::TimeImage old = img;
    const analysis::CellBox texels = session::texels_of(img, changed);
    session::recolour(img, after, unit, st, texels);
    const session::TimeImage whole = session::make_time_image(after, unit, st, step);
    CHECK(img.px == whole.px);
    CHECK(img.px != old.px);
    // only texels inside the box were written
    for (int r = 0; r < img.height; ++r)
      for (int c = 0; c < img.width; ++c)
        if (!texels.contains(c, r))
          CHECK(img.px[static_cast<std::size_t>(r * img.width + c)] ==
                old.px[static_cast<std::size_t>(r * img.width + c)]);
  }
  CHECK(session::texels_of(session::make_time_image(surface(0), unit, st, 1), {}).empty());
}

TEST_CASE("time image: unreachable cells and cells outside the study area are clear",
          "[session][time_image]") {
  const core::Style st = core::default_style();
  core::GridI unit(37, 23, 0.0, 23'000.0, 1000.0, 0);
  unit.at(0, 0) = -1;
  const auto img = session::make_time_image(surface(0.0), unit, st, 1);
  CHECK(img.px[0] == 0u);
  CHECK(img.px[static_cast<std::size_t>(20 * 37 + 33)] == 0u);
  CHECK(img.px[static_cast<std::size_t>(10 * 37 + 10)] >> 24 != 0u);
  CHECK(session::time_rgba(st, std::numeric_limits<double>::infinity()) == 0u);
}
