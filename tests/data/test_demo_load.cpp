// The demo projects load through io::load_project without errors, with the layers and totals
// the generator wrote (compiled only when the io library exists).
#include <catch2/catch.hpp>

#include <cmath>

#include "io/project.hpp"
#include "test_paths.hpp"

using namespace kepumap;

TEST_CASE("io::load_project loads every demo project without errors", "[data][io]") {
  struct Want {
    const char* key;
    std::size_t layers;
    std::size_t targets;
  };
  // abag: + lakes, rivers, dried_basins; dalad: + rivers; nmg: + lakes, rivers, dried_basins,
  // intermittent_rivers; ningxia: + lakes, rivers (issue 13).
  for (const Want w : {Want{"abag", 16, 4}, Want{"dalad", 14, 6}, Want{"nmg", 7, 4}, Want{"ningxia", 4, 2}}) {
    INFO(w.key);
    const auto doc = io::load_project(test::source_dir() / "data" / w.key / "project.toml");
    std::string problems;
    for (const auto& p : doc.diagnostics.problems) problems += p.to_line() + "\n";
    INFO(problems);
    CHECK_FALSE(doc.diagnostics.has_errors());
    CHECK(doc.layers.size() == w.layers);
    CHECK(doc.config.targets.size() == w.targets);
    for (const auto& t : doc.config.targets) CHECK_FALSE(t.quote.empty());
  }
}

TEST_CASE("abag loads with its census total and 103/22 counties load for the regions", "[data][io]") {
  const auto abag = io::load_project(test::source_dir() / "data/abag/project.toml");
  REQUIRE_FALSE(abag.diagnostics.has_errors());
  const auto* vill = abag.find(core::Role::Village);
  REQUIRE(vill != nullptr);
  CHECK(vill->geom.feature_count() == 75);
  const auto* pop = abag.find(core::Role::Population);
  REQUIRE(pop != nullptr);
  double total = 0;
  for (float v : pop->raster.data)
    if (std::isfinite(v) && v > 0) total += v;
  CHECK(total == Approx(38589).epsilon(0.01));  // reprojected into the analysis CRS
  const auto nmg = io::load_project(test::source_dir() / "data/nmg/project.toml");
  const auto* counties = nmg.find(core::Role::Banner);
  REQUIRE(counties != nullptr);
  CHECK(counties->geom.feature_count() == 103);
  const auto nx = io::load_project(test::source_dir() / "data/ningxia/project.toml");
  REQUIRE(nx.find(core::Role::Banner) != nullptr);
  CHECK(nx.find(core::Role::Banner)->geom.feature_count() == 22);
}
