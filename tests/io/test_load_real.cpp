// Loading the real reference data in ../shared/data: Inner Mongolia and Ningxia county outlines,
// Natural Earth countries (TopoJSON).
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "geo/crs.hpp"
#include "geo/geos_ops.hpp"
#include "io/errors.hpp"
#include "io/project.hpp"
#include "io/vector_reader.hpp"
#include "skip.hpp"
#include "test_paths.hpp"

using namespace kepumap;

namespace {
std::string lines(const core::Diagnostics& d) {
  std::string s;
  for (const auto& p : d.problems) s += p.to_line() + "\n";
  return s;
}
}  // namespace

TEST_CASE("real data: all 103 Inner Mongolia counties load valid - 73 repaired - Abag 27,479 km2",
          "[io][real]") {
  if (!test::have_shared_data()) {
    KEPUMAP_SKIP("../shared/data absent: skipped");
  }
  const auto file = (test::shared_data() / "boundaries/inner_mongolia_counties.geojson").string();
  auto doc = io::load_data_file(file);
  INFO(lines(doc.diagnostics));
  REQUIRE_FALSE(doc.diagnostics.has_errors());
  REQUIRE(doc.layers.size() == 1);
  const auto& l = doc.layers[0];
  CHECK(l.report.driver == "GeoJSON");
  CHECK(l.report.features_read == 103);
  CHECK(l.report.features_dropped == 0);
  REQUIRE(l.geom.feature_count() == 103);
  CHECK(l.geom.kind == core::GeomKind::Polygon);
  CHECK(l.report.repaired.size() == 73);
  CHECK(l.attrs.row_count() == 103);
  CHECK(l.source_index.size() == 103);
  // Extent in lon/lat (GeoJSON is WGS84 by definition).
  CHECK(l.report.extent_lonlat.min_x == Approx(97.17).margin(0.01));
  CHECK(l.report.extent_lonlat.max_y == Approx(53.34).margin(0.01));
  for (core::FeatureId f = 0; f < l.geom.feature_count(); ++f) {
    std::string why;
    INFO("feature " << f << ": " << why);
    CHECK(geo::is_valid(l.geom, f, &why));
  }
  const int name = l.attrs.find("name");
  REQUIRE(name >= 0);
  double abag = 0.0, total = 0.0;
  for (core::FeatureId f = 0; f < l.geom.feature_count(); ++f) {
    const double a = core::feature_area(l.geom, f) / 1e6;
    total += a;
    if (l.attrs.columns[static_cast<std::size_t>(name)].text(f) == "阿巴嘎旗") abag = a;
  }
  CHECK(abag == Approx(27479.0).epsilon(0.003));
  CHECK(total == Approx(1145000.0).epsilon(0.01));
}

TEST_CASE("real data: Ningxia has 22 counties", "[io][real]") {
  if (!test::have_shared_data()) {
    KEPUMAP_SKIP("../shared/data absent: skipped");
  }
  auto doc = io::load_data_file((test::shared_data() / "boundaries/ningxia_counties.geojson").string());
  INFO(lines(doc.diagnostics));
  REQUIRE_FALSE(doc.diagnostics.has_errors());
  REQUIRE(doc.layers.size() == 1);
  CHECK(doc.layers[0].geom.feature_count() == 22);
  for (core::FeatureId f = 0; f < 22; ++f) CHECK(geo::is_valid(doc.layers[0].geom, f));
}

TEST_CASE("real data: TopoJSON countries layer opens - the source needs a layer name", "[io][real]") {
  if (!test::have_shared_data()) {
    KEPUMAP_SKIP("../shared/data absent: skipped");
  }
  const auto file = (test::shared_data() / "borders/countries-10m.topojson").string();
  CHECK(io::list_vector_layers(file) == std::vector<std::string>{"countries", "land"});

  core::Diagnostics d;
  io::VectorReadOptions none;
  CHECK_FALSE(io::read_vector_lonlat(file, none, d));
  REQUIRE(d.problems.size() == 1);
  CHECK(d.problems[0].to_line().find("layers; say which one") != std::string::npos);
  CHECK(d.problems[0].to_line().find("countries, land") != std::string::npos);

  io::VectorReadOptions o;
  o.layer = "countries";
  core::Diagnostics w;
  auto layer = io::read_vector_layer(file, o, geo::analysis_crs_for(core::BBox{97, 37, 126, 54}), &w);
  CHECK(layer.report.driver == "TopoJSON");
  CHECK(layer.geom.kind == core::GeomKind::Polygon);
  CHECK(layer.geom.feature_count() > 200);
  const int name = layer.attrs.find("name");
  REQUIRE(name >= 0);
  bool mongolia = false;
  for (std::size_t r = 0; r < layer.attrs.row_count(); ++r)
    mongolia = mongolia || layer.attrs.columns[static_cast<std::size_t>(name)].text(r) == "Mongolia";
  CHECK(mongolia);
}
