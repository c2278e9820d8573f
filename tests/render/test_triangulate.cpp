// Triangulation: the triangles of a polygon partition it, so their areas add up to the
// polygon's area (holes included) — on shapes built here and on the repaired real outlines.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "core/geometry.hpp"
#include "geo/crs.hpp"
#include "io/vector_reader.hpp"
#include "render/triangulate.hpp"
#include "skip.hpp"
#include "test_paths.hpp"

using namespace kepumap;
using core::Vec2;

namespace {

std::vector<Vec2> rect(double x0, double y0, double x1, double y1, bool ccw = true) {
  std::vector<Vec2> r{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
  if (!ccw) std::reverse(r.begin(), r.end());
  return r;
}

double signed_abs(const std::vector<Vec2>& r) { return std::abs(core::ring_signed_area(r)); }

/// Area of the triangles of a polygon given as rings (indices into the rings concatenated).
double tri_area(const std::vector<std::vector<Vec2>>& rings, std::vector<std::uint32_t>* out = nullptr) {
  std::vector<std::span<const Vec2>> spans;
  std::vector<Vec2> all;
  for (const auto& r : rings) {
    spans.emplace_back(r);
    all.insert(all.end(), r.begin(), r.end());
  }
  std::vector<std::uint32_t> tri;
  render::triangulate_polygon(spans, tri);
  for (auto i : tri) REQUIRE(i < all.size());
  if (out) *out = tri;
  return render::triangles_area(all, tri);
}

double poly_area(const std::vector<std::vector<Vec2>>& rings) {
  double a = signed_abs(rings[0]);
  for (std::size_t i = 1; i < rings.size(); ++i) a -= signed_abs(rings[i]);
  return a;
}

}  // namespace

TEST_CASE("a square is two triangles of its area", "[render][triangulate]") {
  std::vector<std::uint32_t> tri;
  CHECK(tri_area({rect(0, 0, 2, 3)}, &tri) == Approx(6.0));
  CHECK(tri.size() == 6);
  // clockwise input and no closing point give the same
  std::vector<Vec2> cw{{0, 0}, {0, 3}, {2, 3}, {2, 0}};
  CHECK(tri_area({cw}) == Approx(6.0));
}

TEST_CASE("holes are cut out", "[render][triangulate]") {
  std::vector<std::vector<Vec2>> rings{rect(0, 0, 10, 10), rect(1, 1, 3, 3, false), rect(5, 5, 6, 6, false),
                                       rect(7, 1, 9, 2)};  // hole given counter-clockwise: still a hole
  CHECK(tri_area(rings) == Approx(100.0 - 4 - 1 - 2).epsilon(1e-12));
  // holes side by side on the same horizontal line (bridges must not cross)
  std::vector<std::vector<Vec2>> row{rect(0, 0, 20, 4)};
  for (int k = 0; k < 6; ++k) row.push_back(rect(1 + 3 * k, 1, 2.5 + 3 * k, 3, false));
  CHECK(tri_area(row) == Approx(poly_area(row)).epsilon(1e-12));
}

TEST_CASE("holes touching the exterior at a point (what MakeValid leaves)", "[render][triangulate]") {
  // the touching vertex at the bottom, right, left and top; the hole a small triangle
  CHECK(tri_area({{{0, 0}, {5, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}, {{5, 0}, {4, 2}, {6, 2}, {5, 0}}}) ==
        Approx(98));
  CHECK(tri_area({{{0, 0}, {10, 0}, {10, 5}, {10, 10}, {0, 10}, {0, 0}},
                  {{10, 5}, {8, 4}, {8, 6}, {10, 5}}}) == Approx(98));
  CHECK(tri_area({{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 5}, {0, 0}}, {{0, 5}, {2, 6}, {2, 4}, {0, 5}}}) ==
        Approx(98));
  CHECK(tri_area({{{0, 0}, {10, 0}, {10, 10}, {5, 10}, {0, 10}, {0, 0}},
                  {{5, 10}, {6, 8}, {4, 8}, {5, 10}}}) == Approx(98));
  // two holes touching each other at a point
  CHECK(tri_area({rect(0, 0, 10, 10), {{2, 2}, {2, 4}, {4, 4}, {2, 2}}, {{4, 4}, {6, 6}, {6, 4}, {4, 4}}}) ==
        Approx(100 - 2 - 2));
}

TEST_CASE("concave shapes: a comb and random star polygons with holes", "[render][triangulate]") {
  // a strip along y in [0, 1] with 20 teeth up to y = 5
  std::vector<Vec2> comb{{0, 0}, {40, 0}};
  for (int k = 19; k >= 0; --k) {
    comb.push_back({k * 2.0 + 2, 1});
    comb.push_back({k * 2.0 + 2, 5});
    comb.push_back({k * 2.0 + 1, 5});
    comb.push_back({k * 2.0 + 1, 1});
  }
  comb.push_back({0, 1});
  comb.push_back({0, 0});
  REQUIRE(signed_abs(comb) == Approx(40 + 20 * 4));
  CHECK(tri_area({comb}) == Approx(signed_abs(comb)).epsilon(1e-12));

  std::mt19937 rng(42);
  std::uniform_real_distribution<double> radius(6.0, 10.0);
  for (int trial = 0; trial < 50; ++trial) {
    const int n = 8 + trial * 6;
    std::vector<std::vector<Vec2>> rings(1);
    for (int i = 0; i < n; ++i) {
      double a = 2 * M_PI * i / n;
      double r = radius(rng);
      rings[0].push_back({r * std::cos(a), r * std::sin(a)});
    }
    rings[0].push_back(rings[0].front());
    // small square holes inside radius 5, one per sector, never touching
    int holes = trial % 7;
    for (int h = 0; h < holes; ++h) {
      double a = 2 * M_PI * h / 7 + 0.2, r = 1.5 + (h % 3);
      double cx = r * std::cos(a), cy = r * std::sin(a);
      rings.push_back(rect(cx - 0.3, cy - 0.3, cx + 0.3, cy + 0.3, false));
    }
    INFO("trial " << trial << " with " << n << " vertices and " << holes << " holes");
    CHECK(tri_area(rings) == Approx(poly_area(rings)).epsilon(1e-9));
  }
}

TEST_CASE("triangulated area equals polygon area on the repaired Inner Mongolia and Ningxia outlines",
          "[render][triangulate][integration]") {
  if (!test::have_shared_data()) {
    KEPUMAP_SKIP("no ../shared/data: skipped");
  }
  for (const char* file :
       {"boundaries/inner_mongolia_counties.geojson", "boundaries/ningxia_counties.geojson"}) {
    io::VectorReadOptions o;
    o.crs = "GCJ-02";
    core::Diagnostics w;
    auto layer = io::read_vector_layer((test::shared_data() / file).string(), o,
                                       geo::analysis_crs_for(core::BBox{97, 35, 126, 54}), &w);
    REQUIRE(layer.geom.kind == core::GeomKind::Polygon);
    auto t = render::triangulate_layer(layer.geom);
    REQUIRE(t.feature_first.size() == layer.geom.feature_count() + 1);
    std::size_t holes = 0;
    double total = 0, total_tri = 0;
    for (std::size_t f = 0; f < layer.geom.feature_count(); ++f) {
      auto fid = static_cast<core::FeatureId>(f);
      for (auto p = layer.geom.parts_begin(fid); p < layer.geom.parts_end(fid); ++p)
        holes += layer.geom.rings_end(p) - layer.geom.rings_begin(p) - 1;
      double a = core::feature_area(layer.geom, fid);
      std::span<const std::uint32_t> tri(t.indices.data() + t.feature_first[f],
                                         t.feature_first[f + 1] - t.feature_first[f]);
      double ta = render::triangles_area(layer.geom.coords, tri);
      INFO(file << " feature " << f << " (source " << layer.source_index[f] << ")");
      CHECK(ta == Approx(a).epsilon(1e-9).margin(1.0));  // 1 m² for zero-area slivers
      total += a;
      total_tri += ta;
    }
    INFO(file << ": " << holes << " holes, " << layer.geom.coords.size() << " vertices");
    CHECK(total_tri == Approx(total).epsilon(1e-9));
    if (std::string(file).find("inner_mongolia") != std::string::npos) {
      CHECK(layer.report.repaired.size() > 0);  // the shipped outlines are invalid; these are repaired
      CHECK(total / 1e6 == Approx(1145000).epsilon(0.02));
    }
  }
}
