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
