#include <catch2/catch.hpp>

#include "core/geometry.hpp"
#include "core/graph.hpp"
#include "core/grid.hpp"

using namespace kepumap::core;

namespace {
// A 10 x 10 square with a 2 x 2 hole, as one polygon feature, plus a triangle feature.
Geometries square_with_hole() {
  Geometries g;
  g.kind = GeomKind::Polygon;
  const Vec2 outer[] = {{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}};
  const Vec2 hole[] = {{4, 4}, {4, 6}, {6, 6}, {6, 4}, {4, 4}};
  g.add_ring(outer);
  g.add_ring(hole);
  g.end_part();
  g.end_feature();
  const Vec2 tri[] = {{20, 0}, {24, 0}, {20, 3}, {20, 0}};
  g.add_ring(tri);
  g.end_part();
  g.end_feature();
  return g;
}
}  // namespace

TEST_CASE("flat polygon storage: areas, holes, containment", "[core]") {
  const Geometries g = square_with_hole();
  REQUIRE(g.feature_count() == 2);
  REQUIRE(g.part_count() == 2);
  REQUIRE(g.ring_count() == 3);
  CHECK(feature_area(g, 0) == Approx(96.0));
  CHECK(feature_area(g, 1) == Approx(6.0));
  CHECK(feature_contains(g, 0, {1, 1}));
  CHECK_FALSE(feature_contains(g, 0, {5, 5}));  // in the hole
  CHECK_FALSE(feature_contains(g, 0, {11, 5}));
  CHECK(feature_contains(g, 1, {21, 1}));
  const Vec2 c = feature_centroid(g, 0);
  CHECK(c.x == Approx(5.0));
  CHECK(c.y == Approx(5.0));
  const BBox b = g.feature_bbox(1);
  CHECK(b.min_x == 20);
  CHECK(b.max_y == 3);
}

TEST_CASE("feature without geometry keeps indices aligned", "[core]") {
  Geometries g;
  g.kind = GeomKind::Point;
  g.add_point_feature({1, 2});
  g.end_feature();  // NULL geometry
  g.add_point_feature({3, 4});
  REQUIRE(g.feature_count() == 3);
  CHECK_FALSE(g.has_geometry(1));
  CHECK(g.first_point(2) == Vec2{3, 4});
}

TEST_CASE("CSR graph built from an edge list keeps every edge", "[core]") {
  //  0 --5--> 1 --2--> 2
  //  0 --9--> 2
  const Edge<int> edges[] = {{0, 1, 5}, {1, 2, 2}, {0, 2, 9}};
  const auto g = build_csr<int>(3, edges);
  REQUIRE(g.node_count() == 3);
  REQUIRE(g.edge_count() == 3);
  CHECK(g.neighbours(0).size() == 2);
  CHECK(g.neighbours(0)[0] == 1);
  CHECK(g.edge_weights(0)[1] == 9);
  CHECK(g.neighbours(2).empty());
}

TEST_CASE("grid cell frame: centres and lookups agree", "[core]") {
  GridF g(4, 3, 100.0, 300.0, 10.0, -1.0f);
  CHECK(g.data.size() == 12);
  const Vec2 c = g.cell_center(2, 1);
  CHECK(c.x == Approx(125.0));
  CHECK(c.y == Approx(285.0));
  CHECK(g.col_of(c.x) == 2);
  CHECK(g.row_of(c.y) == 1);
  CHECK_FALSE(g.in_bounds(4, 0));
  CHECK(g.extent().min_y == Approx(270.0));
}

#include <random>

#include "core/labels.hpp"

TEST_CASE("placed labels never overlap, stay in bounds, and priority wins", "[core][labels]") {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> pos(0.0, 800.0);
  std::vector<LabelCandidate> c;
  for (int i = 0; i < 400; ++i)
    c.push_back(
        {{pos(rng), pos(rng)}, 40.0 + (i % 5) * 10.0, 14.0, i % 3, static_cast<double>(i), i % 2 == 0});
  BBox bounds;
  bounds.add(Vec2{0, 0});
  bounds.add(Vec2{800, 800});
  BBox legend;
  legend.add(Vec2{600, 600});
  legend.add(Vec2{800, 800});
  const auto placed = place_labels(c, bounds, {legend});
  REQUIRE(placed.size() > 50);
  REQUIRE(placed.size() < c.size());  // dense: some must be dropped
  std::vector<BBox> boxes;
  for (const auto& p : placed) {
    BBox b;
    b.add(p.top_left);
    b.add(Vec2{p.top_left.x + c[p.index].width, p.top_left.y + c[p.index].height});
    CHECK(b.min_x >= 0);
    CHECK(b.max_y <= 800);
    CHECK_FALSE((b.min_x < legend.max_x && legend.min_x < b.max_x && b.min_y < legend.max_y &&
                 legend.min_y < b.max_y));
    boxes.push_back(b);
  }
  for (std::size_t i = 0; i < boxes.size(); ++i)
    for (std::size_t j = i + 1; j < boxes.size(); ++j) {
      const BBox& a = boxes[i];
      const BBox& b = boxes[j];
      CHECK_FALSE((a.min_x < b.max_x && b.min_x < a.max_x && a.min_y < b.max_y && b.min_y < a.max_y));
    }
  // Two labels competing for one spot: the higher priority one is kept.
  std::vector<LabelCandidate> two{{{100, 100}, 80, 20, 5, 0, true}, {{105, 100}, 80, 20, 1, 0, true}};
  const auto p2 = place_labels(two, bounds);
  REQUIRE(p2.size() == 1);
  CHECK(p2[0].index == 1);
}

TEST_CASE("representative point: inside every polygon, the centroid when that is inside", "[core]") {
  Geometries g;
  g.kind = GeomKind::Polygon;
  // A U: its centroid (5, ~3.6) falls in the notch between the arms.
  const Vec2 u[] = {{0, 0}, {10, 0}, {10, 10}, {8, 10}, {8, 2}, {2, 2}, {2, 10}, {0, 10}, {0, 0}};
  g.add_ring(u);
  g.end_part();
  g.end_feature();
  // A thin ring (square with a hole covering the centroid).
  const Vec2 outer[] = {{20, 0}, {30, 0}, {30, 10}, {20, 10}, {20, 0}};
  const Vec2 hole[] = {{21, 1}, {21, 9}, {29, 9}, {29, 1}, {21, 1}};
  g.add_ring(outer);
  g.add_ring(hole);
  g.end_part();
  g.end_feature();
  // A plain square: the centroid itself.
  const Vec2 sq[] = {{40, 0}, {42, 0}, {42, 2}, {40, 2}, {40, 0}};
  g.add_ring(sq);
  g.end_part();
  g.end_feature();
  for (FeatureId f = 0; f < 2; ++f) {
    CHECK_FALSE(feature_contains(g, f, feature_centroid(g, f)));
    CHECK(feature_contains(g, f, representative_point(g, f)));
  }
  const Vec2 c = representative_point(g, 2);
  CHECK(c.x == Approx(41.0));
  CHECK(c.y == Approx(1.0));
}
