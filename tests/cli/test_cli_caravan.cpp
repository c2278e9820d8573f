// kepumap caravan: the benchmark formats (printed length, vehicles, feasibility), bad input,
// and the project mode on the 阿巴嘎旗 demo (outputs written, totals consistent).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli_run.hpp"
#include "skip.hpp"

using namespace kepumap;
using test::number_after;
using test::run_kepumap;
using test::shell_quote;
using test::slurp;

namespace {

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto p = s.find(what); p != std::string::npos; p = s.find(what, p + what.size())) ++n;
  return n;
}

}  // namespace

TEST_CASE("cli caravan: TSPLIB and Solomon instances print length, vehicles, feasibility", "[cli][caravan]") {
  if (!test::have_shared_data()) {
    KEPUMAP_SKIP("shared data absent: skipping");
  }
  const auto tsp = run_kepumap("caravan --tsplib " +
                               shell_quote((test::shared_data() / "bench/tsplib/berlin52.tsp").string()));
  INFO(tsp.err);
  REQUIRE(tsp.exit_code == 0);
  const double len = number_after(tsp.out, "tour length: ");
  CHECK(len >= 7542);
  CHECK(len <= 7542 * 1.02);
  CHECK(tsp.out.find("vehicles: 1") != std::string::npos);
  CHECK(tsp.out.find("feasible: 是 yes") != std::string::npos);

  const auto vrp = run_kepumap("caravan --solomon " +
                               shell_quote((test::shared_data() / "bench/solomon/C101.txt").string()) +
                               " --iterations 3000 --routes");
  INFO(vrp.err);
  REQUIRE(vrp.exit_code == 0);
  CHECK(number_after(vrp.out, "distance: ") <= 828.94 * 1.05);
  CHECK(number_after(vrp.out, "vehicles: ") == 10);
  CHECK(vrp.out.find("feasible: 是 yes") != std::string::npos);
  CHECK(count(vrp.out, "route ") == 10);
}

TEST_CASE("cli caravan: bad input gives one line and exit 2", "[cli][caravan]") {
  const auto dir = std::filesystem::temp_directory_path() / "kepumap-caravan-bad";
  std::filesystem::create_directories(dir);
  const auto f = dir / "bad.tsp";
  std::ofstream(f)
      << "NAME : x\nTYPE : TSP\nDIMENSION : 2\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 x 1\n";
  const auto r = run_kepumap("caravan --tsplib " + shell_quote(f.string()));
  CHECK(r.exit_code == 2);
  CHECK(test::line_count(r.err) == 1);
  CHECK(r.err.find("bad.tsp:7:") != std::string::npos);
  const auto none = run_kepumap("caravan --tsplib");
  CHECK(none.exit_code == 2);
  const auto opt =
      run_kepumap("caravan " + shell_quote((test::source_dir() / "data/abag/project.toml").string()) +
                  " -o " + shell_quote(dir.string()) + " --season 10-4");
  CHECK(opt.exit_code == 2);
  CHECK(opt.err.find("--season") != std::string::npos);
}

TEST_CASE("cli caravan: 阿巴嘎旗 year plan with routes, GPX/KML per tour and an XLSX schedule",
          "[cli][caravan]") {
  const auto project = test::source_dir() / "data/abag/project.toml";
  if (!std::filesystem::exists(project)) {
    KEPUMAP_SKIP_INSTALLED("demo project absent: skipping");
  }
  const auto dir = std::filesystem::temp_directory_path() / "kepumap-caravan-abag";
  std::filesystem::remove_all(dir);
  const auto r =
      run_kepumap("caravan " + shell_quote(project.string()) + " -o " + shell_quote(dir.string()) +
                  " --stops-layer township_seats --stops-layer village_centres --overnight lodging");
  INFO(r.err << r.out);
  REQUIRE((r.exit_code == 0 || r.exit_code == 1));
  const int tours = static_cast<int>(number_after(r.out, "tours: "));
  REQUIRE(tours >= 1);
  // 7 township seats twice and 75 village centres once.
  CHECK(r.out.find("stops: 82") != std::string::npos);
  CHECK(r.out.find("/ 89;") != std::string::npos);
  CHECK((r.exit_code == 0) == (r.out.find("unserved") == std::string::npos));
  const std::string geojson = slurp(dir / "caravan_routes.geojson");
  CHECK(count(geojson, "\"LineString\"") == static_cast<std::size_t>(tours));
  CHECK(std::filesystem::exists(dir / "caravan.gpkg"));
  CHECK(std::filesystem::file_size(dir / "caravan_schedule.xlsx") > 1000);
  for (int k = 1; k <= tours; ++k) {
    char base[32];
    std::snprintf(base, sizeof base, "tour_%02d", k);
    CHECK(std::filesystem::exists(dir / "tours" / (std::string(base) + ".gpx")));
    CHECK(std::filesystem::exists(dir / "tours" / (std::string(base) + ".kml")));
  }
  const std::string gpx = slurp(dir / "tours/tour_01.gpx");
  CHECK(gpx.find("<gpx") != std::string::npos);
  CHECK(gpx.find("lat=\"4") != std::string::npos);  // WGS84 latitudes of Abag (43-45 N)

  // Same seed, same plan.
  const auto dir2 = std::filesystem::temp_directory_path() / "kepumap-caravan-abag2";
  std::filesystem::remove_all(dir2);
  const auto r2 =
      run_kepumap("caravan " + shell_quote(project.string()) + " -o " + shell_quote(dir2.string()) +
                  " --stops-layer township_seats --stops-layer village_centres --overnight lodging");
  CHECK(r2.out.substr(0, r2.out.find("written")) == r.out.substr(0, r.out.find("written")));
}

TEST_CASE("cli caravan: the demo's existing route is evaluated against the plan", "[cli][caravan]") {
  const auto project = test::source_dir() / "data/abag/project.toml";
  if (!std::filesystem::exists(project)) {
    KEPUMAP_SKIP_INSTALLED("demo project absent: skipping");
  }
  const auto dir = std::filesystem::temp_directory_path() / "kepumap-caravan-existing";
  std::filesystem::remove_all(dir);
  const auto r = run_kepumap("caravan " + shell_quote(project.string()) + " -o " + shell_quote(dir.string()) +
                             " --lang en");
  INFO(r.err << r.out);
  REQUIRE(r.exit_code == 0);
  // The caravan_stops layer holds 12 stops of one route in `seq` order.
  CHECK(r.out.find("stops: 12") != std::string::npos);
  const auto p = r.out.find("existing route");
  REQUIRE(p != std::string::npos);
  const std::string line = r.out.substr(p, r.out.find('\n', p) - p);
  CHECK(line.find("12 站 stops, 12 可到达 reached") != std::string::npos);
  // The optimised plan never drives more days than touring the existing order.
  const double existing_days = number_after(line, "tours, ");
  const double plan_days = number_after(line, "vs plan: ");
  CHECK(plan_days <= existing_days);
}

TEST_CASE("cli caravan: two depots share the stops, each with its own vehicles", "[cli][caravan]") {
  const auto demo = test::source_dir() / "data/abag";
  if (!std::filesystem::exists(demo / "project.toml")) {
    KEPUMAP_SKIP_INSTALLED("demo project absent: skipping");
  }
  // The demo project with its depot layer replaced by two depots (south: 1 vehicle, north: 2).
  const auto dir = std::filesystem::temp_directory_path() / "kepumap-caravan-depots";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::string toml = slurp(demo / "project.toml");
  auto replace_all = [&](const std::string& a, const std::string& b) {
    for (auto p = toml.find(a); p != std::string::npos; p = toml.find(a, p + b.size()))
      toml.replace(p, a.size(), b);
  };
  replace_all("source = \"abag_population.tif\"",
              "source = \"" + (demo / "abag_population.tif").string() + "\"");
  replace_all("source = \"abag.gpkg\"\nlayer = \"caravan_depots\"", "source = \"depots.geojson\"");
  replace_all("source = \"abag.gpkg\"", "source = \"" + (demo / "abag.gpkg").string() + "\"");
  REQUIRE(toml.find("depots.geojson") != std::string::npos);
  std::ofstream(dir / "project.toml") << toml;
  std::ofstream(dir / "depots.geojson")
      << R"({"type":"FeatureCollection","features":[)"
      << R"({"type":"Feature","properties":{"name":"南库","vehicles":1},"geometry":{"type":"Point","coordinates":[114.9436,44.0211]}},)"
      << R"({"type":"Feature","properties":{"name":"北库","vehicles":2},"geometry":{"type":"Point","coordinates":[115.0783,44.7497]}}]})";
  const auto r = run_kepumap("caravan " + shell_quote((dir / "project.toml").string()) + " -o " +
                             shell_quote((dir / "out").string()) +
                             " --stops-layer township_seats --stops-layer village_centres --lang en");
  INFO(r.err << r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("南库、北库") != std::string::npos);
  CHECK(r.out.find("vehicles: 3") != std::string::npos);
  CHECK(r.out.find("/ 89;") != std::string::npos);
  const std::string geojson = slurp(dir / "out/caravan_routes.geojson");
  CHECK(geojson.find("\"depot\": \"南库\"") != std::string::npos);
  CHECK(geojson.find("\"depot\": \"北库\"") != std::string::npos);
  // The south depot has one vehicle, so none of its tours is on vehicle 2.
  CHECK(geojson.find("\"depot\": \"南库\", \"vehicle\": 2") == std::string::npos);
}
