// GEOS operations over flat geometry: repair, WKT, clip, buffer, union, Voronoi, distance.
#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>
#include <random>
#include <string>

#include "geo/geos_ops.hpp"

using kepumap::core::FeatureId;
using kepumap::core::Geometries;
using kepumap::core::GeomKind;
using kepumap::core::Vec2;
namespace core = kepumap::core;
namespace geo = kepumap::geo;

namespace {

/// Several WKT features as one layer (all of the same kind).
Geometries layer(const std::vector<std::string>& wkts) {
  Geometries out;
  for (const std::string& w : wkts) {
    const Geometries one = geo::from_wkt(w);
    if (out.kind == GeomKind::None) out.kind = one.kind;
    for (auto p = one.parts_begin(0); p < one.parts_end(0); ++p) {
      for (auto r = one.rings_begin(p); r < one.rings_end(p); ++r) out.add_ring(one.ring(r));
      out.end_part();
    }
    out.end_feature();
  }
  return out;
}

/// Every ring oriented as core expects: exteriors counter-clockwise, holes clockwise, closed.
bool well_oriented(const Geometries& g, FeatureId f) {
  for (auto p = g.parts_begin(f); p < g.parts_end(f); ++p)
    for (auto r = g.rings_begin(p); r < g.rings_end(p); ++r) {
      const auto ring = g.ring(r);
      if (ring.size() < 4 || !(ring.front() == ring.back())) return false;
      const double a = core::ring_signed_area(ring);
      if (r == g.rings_begin(p) ? a <= 0 : a >= 0) return false;
    }
  return true;
}

}  // namespace

TEST_CASE("WKT round trip", "[geo][geos]") {
  const Geometries sq = geo::from_wkt("POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0), (1 1, 1 2, 2 2, 2 1, 1 1))");
  REQUIRE(sq.kind == GeomKind::Polygon);
  REQUIRE(sq.feature_count() == 1);
  CHECK(core::feature_area(sq, 0) == Approx(15.0));
  CHECK(well_oriented(sq, 0));
  const Geometries again = geo::from_wkt(geo::to_wkt(sq, 0));
  CHECK(again.coords == sq.coords);
  CHECK(geo::to_wkt(geo::from_wkt("POINT (1.5 -2)"), 0) == "POINT (1.5 -2)");
  CHECK(geo::to_wkt(geo::from_wkt("MULTILINESTRING ((0 0, 1 1), (2 2, 3 3))"), 0) ==
        "MULTILINESTRING ((0 0, 1 1), (2 2, 3 3))");
  CHECK(geo::to_wkt(geo::from_wkt("POLYGON EMPTY"), 0) == "POLYGON EMPTY");
  CHECK_THROWS_AS(geo::from_wkt("POLYGON ((0 0, 1 0"), std::invalid_argument);
  CHECK_THROWS_AS(geo::from_wkt("GEOMETRYCOLLECTION (POINT (0 0), LINESTRING (0 0, 1 1))"),
                  std::invalid_argument);
}

TEST_CASE("make_valid repairs a bow-tie into both triangles", "[geo][geos][repair]") {
  const Geometries in = geo::from_wkt("POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))");
  std::string why;
  CHECK_FALSE(geo::is_valid(in, 0, &why));
  CHECK_FALSE(why.empty());
  geo::RepairReport rep;
  const Geometries out = geo::make_valid(in, rep);
  REQUIRE(out.feature_count() == 1);
  CHECK(rep.repaired == std::vector<FeatureId>{0});
  CHECK(rep.emptied.empty());
  CHECK(geo::is_valid(out, 0));
  CHECK(well_oriented(out, 0));
  CHECK(out.parts_end(0) - out.parts_begin(0) == 2);
  CHECK(core::feature_area(out, 0) == Approx(50.0));  // two triangles of 25
}

TEST_CASE("make_valid: a ring touching itself at a point (the shipped county outlines)",
          "[geo][geos][repair]") {
  // One ring that runs out to a point, loops round and comes back through the same vertex
  // (5 5): an "inverted hole" — GEOS calls it a ring self-intersection.
  const std::string wkt = "POLYGON ((0 0, 10 0, 10 10, 5 5, 7 3, 3 3, 5 5, 0 10, 0 0))";
  const Geometries in = geo::from_wkt(wkt);
  CHECK_FALSE(geo::is_valid(in, 0));
  geo::RepairReport rep;
  const Geometries out = geo::make_valid(in, rep);
  CHECK(rep.repaired == std::vector<FeatureId>{0});
  CHECK(geo::is_valid(out, 0));
  CHECK(well_oriented(out, 0));
  // The loop (triangle 3 3, 7 3, 5 5 of area 4) is a hole: 100 minus the notch (25) minus 4.
  const double square_minus_notch = 100.0 - 25.0;
  CHECK(core::feature_area(out, 0) == Approx(square_minus_notch - 4.0));

  // The loop running the same way as the shell lies inside it: repair absorbs it.
  const Geometries same_way = geo::from_wkt("POLYGON ((10 5, 7 6, 7 4, 10 5, 10 10, 0 10, 0 0, 10 0, 10 5))");
  CHECK_FALSE(geo::is_valid(same_way, 0));
  geo::RepairReport rep_same;
  const Geometries same_ok = geo::make_valid(same_way, rep_same);
  CHECK(rep_same.repaired.size() == 1);
  CHECK(geo::is_valid(same_ok, 0));
  CHECK(core::feature_area(same_ok, 0) == Approx(100.0));

  // A figure-eight: two lobes sharing one vertex. Repair keeps both lobes, area unchanged.
  const Geometries eight = geo::from_wkt("POLYGON ((0 0, 2 0, 2 2, 4 2, 4 4, 2 4, 2 2, 0 2, 0 0))");
  CHECK_FALSE(geo::is_valid(eight, 0));
  geo::RepairReport rep8;
  const Geometries eight_ok = geo::make_valid(eight, rep8);
  CHECK(rep8.repaired.size() == 1);
  CHECK(geo::is_valid(eight_ok, 0));
  CHECK(core::feature_area(eight_ok, 0) == Approx(8.0));
  CHECK(eight_ok.parts_end(0) - eight_ok.parts_begin(0) == 2);
}

TEST_CASE("make_valid: holes touching the shell", "[geo][geos][repair]") {
  // A hole touching the shell at one point is valid: not counted as a repair, kept as is.
  const Geometries touch = geo::from_wkt("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (5 0, 7 2, 3 2, 5 0))");
  CHECK(geo::is_valid(touch, 0));
  geo::RepairReport r1;
  const Geometries t_out = geo::make_valid(touch, r1);
  CHECK(r1.repaired.empty());
  CHECK(r1.emptied.empty());
  CHECK(core::feature_area(t_out, 0) == Approx(100.0 - 4.0));

  // A hole sticking out through the shell: invalid; the part of it inside is subtracted.
  const Geometries out_hole =
      geo::from_wkt("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (8 4, 12 4, 12 6, 8 6, 8 4))");
  CHECK_FALSE(geo::is_valid(out_hole, 0));
  geo::RepairReport r2;
  const Geometries fixed = geo::make_valid(out_hole, r2);
  CHECK(r2.repaired == std::vector<FeatureId>{0});
  CHECK(geo::is_valid(fixed, 0));
  CHECK(well_oriented(fixed, 0));
  CHECK(core::feature_area(fixed, 0) == Approx(100.0 - 4.0));

  // A hole sharing a stretch of the shell's edge: invalid; the notch is subtracted.
  const Geometries edge_hole =
      geo::from_wkt("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 0, 4 0, 4 2, 2 2, 2 0))");
  CHECK_FALSE(geo::is_valid(edge_hole, 0));
  geo::RepairReport r3;
  const Geometries fixed3 = geo::make_valid(edge_hole, r3);
  CHECK(r3.repaired.size() == 1);
  CHECK(geo::is_valid(fixed3, 0));
  CHECK(core::feature_area(fixed3, 0) == Approx(96.0));
}

TEST_CASE("make_valid on a layer: counts, order, collapse, orientation", "[geo][geos][repair]") {
  Geometries g = layer({
      "POLYGON ((0 0, 0 1, 1 1, 1 0, 0 0))",                                      // valid but clockwise
      "POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))",                                  // bow-tie
      "POLYGON ((0 0, 1 1, 2 2, 0 0))",                                           // collapses to a line
      "MULTIPOLYGON (((0 0, 2 0, 2 2, 0 2, 0 0)), ((1 1, 3 1, 3 3, 1 3, 1 1)))",  // overlapping parts
      "POLYGON ((5 5, 6 5, 6 6, 5 6, 5 5))",                                      // valid
  });
  g.end_feature();  // a sixth feature with no geometry (a NULL in the source)
  geo::RepairReport rep;
  const Geometries out = geo::make_valid(g, rep);
  REQUIRE(out.feature_count() == 6);
  CHECK(rep.repaired == std::vector<FeatureId>{1, 3});
  CHECK(rep.emptied == std::vector<FeatureId>{2});
  CHECK_FALSE(out.has_geometry(2));
  CHECK_FALSE(out.has_geometry(5));
  for (FeatureId f : {0u, 1u, 3u, 4u}) {
    INFO("feature " << f);
    CHECK(geo::is_valid(out, f));
    CHECK(well_oriented(out, f));
  }
  CHECK(core::feature_area(out, 0) == Approx(1.0));
  // Feature 0 was valid: same coordinates, only reversed.
  CHECK(out.ring(out.rings_begin(out.parts_begin(0))).size() == 5);
  CHECK(core::feature_area(out, 3) == Approx(7.0));  // union of the two squares
  CHECK(core::feature_area(out, 4) == Approx(1.0));
}

TEST_CASE("make_valid drops non-finite and degenerate geometry", "[geo][geos][repair]") {
  Geometries g;
  g.kind = GeomKind::Polygon;
  const std::vector<Vec2> nan_ring{{0, 0}, {1, 0}, {std::nan(""), 1}, {0, 0}};
  g.add_ring(nan_ring);
  g.end_part();
  g.end_feature();
  const std::vector<Vec2> tiny{{0, 0}, {1, 0}, {0, 0}};  // too few points for a ring
  g.add_ring(tiny);
  g.end_part();
  g.end_feature();
  // A valid square with a degenerate hole: the hole goes, the square stays.
  const std::vector<Vec2> sq{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}};
  g.add_ring(sq);
  g.add_ring(tiny);
  g.end_part();
  g.end_feature();
  // An open ring (first point not repeated) that is otherwise fine.
  const std::vector<Vec2> open{{0, 0}, {2, 0}, {2, 2}, {0, 2}};
  g.add_ring(open);
  g.end_part();
  g.end_feature();
  geo::RepairReport rep;
  const Geometries out = geo::make_valid(g, rep);
  REQUIRE(out.feature_count() == 4);
  CHECK(rep.emptied == std::vector<FeatureId>{0, 1});
  CHECK(rep.repaired == std::vector<FeatureId>{2});
  CHECK(core::feature_area(out, 2) == Approx(16.0));
  CHECK(out.rings_end(out.parts_begin(2)) - out.rings_begin(out.parts_begin(2)) == 1);
  CHECK(core::feature_area(out, 3) == Approx(4.0));
  CHECK(well_oriented(out, 3));
}

TEST_CASE("clip keeps feature order and clips to the union of the clip layer", "[geo][geos]") {
  const Geometries clip_layer =
      layer({"POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))", "POLYGON ((10 0, 20 0, 20 10, 10 10, 10 0))"});
  const Geometries polys = layer({
      "POLYGON ((15 5, 25 5, 25 15, 15 15, 15 5))",     // a quarter inside
      "POLYGON ((30 30, 31 30, 31 31, 30 31, 30 30))",  // outside
      "POLYGON ((1 1, 2 1, 2 2, 1 2, 1 1))",            // fully inside
      "POLYGON ((5 -5, 15 -5, 15 5, 5 5, 5 -5))",       // straddles both clip features
  });
  const Geometries c = geo::clip(polys, clip_layer);
  REQUIRE(c.feature_count() == 4);
  CHECK(core::feature_area(c, 0) == Approx(25.0));
  CHECK_FALSE(c.has_geometry(1));
  CHECK(core::feature_area(c, 2) == Approx(1.0));
  CHECK(core::feature_area(c, 3) == Approx(50.0));
  CHECK(c.parts_end(3) - c.parts_begin(3) == 1);  // one piece: the clip layer was unioned
  for (FeatureId f : {0u, 2u, 3u}) CHECK(geo::is_valid(c, f));

  const Geometries lines = layer({"LINESTRING (-5 5, 25 5)", "LINESTRING (-5 -5, -1 -1)"});
  const Geometries lc = geo::clip(lines, clip_layer);
  REQUIRE(lc.kind == GeomKind::Line);
  CHECK(core::feature_length(lc, 0) == Approx(20.0));
  CHECK_FALSE(lc.has_geometry(1));

  const Geometries pts = layer({"POINT (5 5)", "POINT (50 50)"});
  const Geometries pc = geo::clip(pts, clip_layer);
  CHECK(pc.has_geometry(0));
  CHECK_FALSE(pc.has_geometry(1));
}

TEST_CASE("buffer and union_all", "[geo][geos]") {
  const Geometries pts = layer({"POINT (0 0)", "POINT (10 0)"});
  const Geometries b = geo::buffer(pts, 1.0);
  REQUIRE(b.kind == GeomKind::Polygon);
  REQUIRE(b.feature_count() == 2);
  // A buffered point is a 32-gon inscribed in the circle: area within 1 % of pi r^2.
  CHECK(core::feature_area(b, 0) == Approx(std::numbers::pi).epsilon(0.01));
  CHECK(core::feature_area(b, 0) < std::numbers::pi);
  const Geometries sq = layer({"POLYGON ((0 0, 2 0, 2 2, 0 2, 0 0))"});
  CHECK(core::feature_area(geo::buffer(sq, -0.5), 0) == Approx(1.0));

  const Geometries two = layer({"POLYGON ((0 0, 2 0, 2 2, 0 2, 0 0))", "POLYGON ((1 1, 3 1, 3 3, 1 3, 1 1))",
                                "POLYGON ((10 10, 11 10, 11 11, 10 11, 10 10))"});
  const Geometries u = geo::union_all(two);
  REQUIRE(u.feature_count() == 1);
  CHECK(core::feature_area(u, 0) == Approx(8.0));
  CHECK(u.parts_end(0) - u.parts_begin(0) == 2);
  CHECK(geo::is_valid(u, 0));
  CHECK(well_oriented(u, 0));
  Geometries none;
  none.kind = GeomKind::Polygon;
  CHECK(geo::union_all(none).feature_count() == 1);
  CHECK_FALSE(geo::union_all(none).has_geometry(0));
}

TEST_CASE("voronoi: one cell per site, in order, containing it, tiling the envelope",
          "[geo][geos][voronoi]") {
  const Geometries env = layer({"POLYGON ((0 0, 100 0, 100 60, 40 60, 40 100, 0 100, 0 0))"});
  const double env_area = core::feature_area(env, 0);
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(1.0, 99.0);
  std::vector<Vec2> sites;
  while (sites.size() < 200) {
    const Vec2 s{u(rng), u(rng)};
    if (s.x > 40 && s.y > 60) continue;  // keep sites inside the L shape
    sites.push_back(s);
  }
  const Geometries cells = geo::voronoi(sites, env);
  REQUIRE(cells.feature_count() == sites.size());
  double total = 0.0;
  for (FeatureId i = 0; i < sites.size(); ++i) {
    INFO("site " << i);
    REQUIRE(cells.has_geometry(i));
    CHECK(core::feature_contains(cells, i, sites[i]));
    CHECK(geo::is_valid(cells, i));
    total += core::feature_area(cells, i);
    // The defining property: a point of the cell is nearer its own site than any other.
    const Vec2 c = core::feature_centroid(cells, i);
    if (core::feature_contains(cells, i, c)) {
      const double own = std::hypot(c.x - sites[i].x, c.y - sites[i].y);
      for (const Vec2& s : sites) CHECK(own <= std::hypot(c.x - s.x, c.y - s.y) + 1e-9);
    }
  }
  CHECK(total == Approx(env_area).epsilon(1e-9));
}

TEST_CASE("voronoi edge cases: one site, repeated sites, collinear sites", "[geo][geos][voronoi]") {
  const Geometries env = layer({"POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))"});
  const std::vector<Vec2> one{{3, 3}};
  const Geometries c1 = geo::voronoi(one, env);
  REQUIRE(c1.feature_count() == 1);
  CHECK(core::feature_area(c1, 0) == Approx(100.0));

  const std::vector<Vec2> dup{{2, 5}, {8, 5}, {2, 5}};
  const Geometries cd = geo::voronoi(dup, env);
  REQUIRE(cd.feature_count() == 3);
  CHECK(core::feature_area(cd, 0) == Approx(50.0));
  CHECK(core::feature_area(cd, 1) == Approx(50.0));
  CHECK_FALSE(cd.has_geometry(2));  // the repeat gets nothing: no area counted twice

  const std::vector<Vec2> line{{1, 5}, {3, 5}, {5, 5}, {9, 5}};
  const Geometries cl = geo::voronoi(line, env);
  REQUIRE(cl.feature_count() == 4);
  CHECK(core::feature_area(cl, 0) == Approx(20.0));
  CHECK(core::feature_area(cl, 1) == Approx(20.0));
  CHECK(core::feature_area(cl, 2) == Approx(30.0));
  CHECK(core::feature_area(cl, 3) == Approx(30.0));

  CHECK(geo::voronoi(std::vector<Vec2>{}, env).feature_count() == 0);

  // Sites outside the envelope: cells still tile it; a far site gets nothing.
  const std::vector<Vec2> outside{{5, 5}, {15, 5}, {100, 100}};
  const Geometries co = geo::voronoi(outside, env);
  REQUIRE(co.feature_count() == 3);
  CHECK(core::feature_area(co, 0) == Approx(100.0));  // the bisector x = 10 is the edge
  CHECK_FALSE(co.has_geometry(2));
  const std::vector<Vec2> straddle{{2, 5}, {12, 5}};
  const Geometries cs = geo::voronoi(straddle, env);
  CHECK(core::feature_area(cs, 0) == Approx(70.0));  // bisector x = 7
  CHECK(core::feature_area(cs, 1) == Approx(30.0));
}

TEST_CASE("distance_to", "[geo][geos]") {
  const Geometries g = layer({"POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (4 4, 6 4, 6 6, 4 6, 4 4))",
                              "POLYGON ((20 0, 30 0, 30 10, 20 10, 20 0))"});
  CHECK(geo::distance_to(g, 0, {2, 2}) == 0.0);
  CHECK(geo::distance_to(g, 0, {5, 5}) == Approx(1.0));  // in the hole
  CHECK(geo::distance_to(g, 0, {13, 14}) == Approx(5.0));
  CHECK(geo::distance_to(g, 1, {15, 5}) == Approx(5.0));
}

TEST_CASE("make_valid on a big layer (threaded) equals feature-by-feature repair", "[geo][geos][repair]") {
  // 300 features of ~200 points each (over the threshold where work is spread over threads):
  // alternately a valid star and a star whose ring touches itself (a loop through one vertex).
  Geometries g;
  g.kind = GeomKind::Polygon;
  for (int i = 0; i < 300; ++i) {
    const Vec2 c{(i % 20) * 100.0, (i / 20) * 100.0};
    std::vector<Vec2> ring;
    for (int j = 0; j < 200; ++j) {
      const double a = 2 * std::numbers::pi * j / 200;
      const double r = 40 + 5 * std::sin(7 * a);
      ring.push_back({c.x + r * std::cos(a), c.y + r * std::sin(a)});
    }
    if (i % 2) {
      // Detour from vertex 0 inward round a small clockwise loop and back through vertex 0:
      // an inverted hole.
      const Vec2 v = ring[0];
      ring.insert(ring.begin() + 1, {{v.x - 10, v.y - 3}, {v.x - 10, v.y + 3}, v});
    }
    ring.push_back(ring.front());
    g.add_ring(ring);
    g.end_part();
    g.end_feature();
  }
  REQUIRE(g.coords.size() > 50'000);
  geo::RepairReport rep;
  const Geometries all = geo::make_valid(g, rep);
  REQUIRE(all.feature_count() == 300);
  CHECK(rep.repaired.size() == 150);
  CHECK(rep.emptied.empty());
  for (FeatureId f = 0; f < 300; ++f) {
    Geometries one;
    one.kind = GeomKind::Polygon;
    for (auto r = g.rings_begin(g.parts_begin(f)); r < g.rings_end(g.parts_begin(f)); ++r)
      one.add_ring(g.ring(r));
    one.end_part();
    one.end_feature();
    geo::RepairReport r1;
    const Geometries fixed = geo::make_valid(one, r1);
    CHECK(r1.repaired.size() == (f % 2 ? 1u : 0u));
    CHECK(geo::to_wkt(fixed, 0) == geo::to_wkt(all, f));
    CHECK(geo::is_valid(all, f));
    // The loop becomes a hole of 10 x 6 / 2 = 30 square units.
    if (f % 2)
      CHECK(core::feature_area(all, f) == Approx(core::feature_area(all, f - 1) - 30.0).epsilon(1e-9));
  }
}
