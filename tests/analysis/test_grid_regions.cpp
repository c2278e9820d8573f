// grid_regions: catchment polygons traced from labelled cells (area = cells × cell area, no
// overlap between labels, holes and corner-touching cells).
#include <catch2/catch.hpp>

#include <random>

#include "analysis/grid_regions.hpp"

using namespace kepumap;

namespace {

bool in_ring(std::span<const core::Vec2> ring, core::Vec2 p) {
  bool in = false;
  for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++)
    if ((ring[i].y > p.y) != (ring[j].y > p.y) &&
        p.x < (ring[j].x - ring[i].x) * (p.y - ring[i].y) / (ring[j].y - ring[i].y) + ring[i].x)
      in = !in;
  return in;
}

// Inside feature f: inside an odd number of its rings (exteriors and holes alike).
bool in_feature(const core::Geometries& g, core::FeatureId f, core::Vec2 p) {
  bool in = false;
  for (std::uint32_t part = g.parts_begin(f); part < g.parts_end(f); ++part)
    for (std::uint32_t r = g.rings_begin(part); r < g.rings_end(part); ++r)
      if (in_ring(g.ring(r), p)) in = !in;
  return in;
}

}  // namespace

TEST_CASE("grid_regions: a ring of cells is one part with one hole", "[unit][access]") {
  core::GridI g(5, 5, 1000.0, 2000.0, 100.0, -1);
  for (int r = 1; r <= 3; ++r)
    for (int c = 1; c <= 3; ++c) g.at(c, r) = (r == 2 && c == 2) ? -1 : 0;
  const auto p = analysis::grid_regions(g, 1);
  REQUIRE(p.feature_count() == 1);
  REQUIRE(p.part_count() == 1);
  REQUIRE(p.ring_count() == 2);
  CHECK(p.ring(0).size() == 5);  // a square: four corners, closed
  CHECK(p.ring(1).size() == 5);
  CHECK(core::ring_signed_area(p.ring(0)) == Approx(9 * 100.0 * 100.0));
  CHECK(core::ring_signed_area(p.ring(1)) == Approx(-100.0 * 100.0));
  CHECK(core::feature_area(p, 0) == Approx(8 * 100.0 * 100.0));
  CHECK(p.ring(0)[0].x >= 1100.0);
  CHECK(p.ring(0)[0].y <= 1900.0);
}

TEST_CASE("grid_regions: cells touching at a corner are two parts", "[unit][access]") {
  core::GridI g(2, 2, 0.0, 2.0, 1.0, -1);
  g.at(0, 0) = 0;
  g.at(1, 1) = 0;
  const auto p = analysis::grid_regions(g, 2);
  REQUIRE(p.feature_count() == 2);
  CHECK(p.parts_end(0) - p.parts_begin(0) == 2);
  CHECK(core::feature_area(p, 0) == Approx(2.0));
  CHECK_FALSE(p.has_geometry(1));
}

TEST_CASE("grid_regions: random labels — area is cells × cell area, every cell in its own polygon only",
          "[unit][access]") {
  std::mt19937 rng(18);
  core::GridI g(40, 30, 500000.0, 4800000.0, 250.0, -1);
  const int n = 5;
  // Blobs: each label grown from a seed, plus noise, so there are holes, islands and pinches.
  for (int r = 0; r < g.height; ++r)
    for (int c = 0; c < g.width; ++c) {
      const int v = static_cast<int>(rng() % 9);
      g.at(c, r) = v < n ? static_cast<std::int32_t>((c / 9 + r / 11 + v % 2) % n) : -1;
    }
  const auto p = analysis::grid_regions(g, n);
  REQUIRE(p.feature_count() == static_cast<std::size_t>(n));
  for (int l = 0; l < n; ++l) {
    const auto cells = std::count(g.data.begin(), g.data.end(), l);
    CHECK(core::feature_area(p, static_cast<core::FeatureId>(l)) == Approx(cells * 250.0 * 250.0));
  }
  for (int r = 0; r < g.height; ++r)
    for (int c = 0; c < g.width; ++c) {
      const core::Vec2 ctr = g.cell_center(c, r);
      for (int l = 0; l < n; ++l) {
        INFO("cell " << c << "," << r << " label " << g.at(c, r) << " polygon " << l);
        CHECK(in_feature(p, static_cast<core::FeatureId>(l), ctr) == (g.at(c, r) == l));
      }
    }
}
