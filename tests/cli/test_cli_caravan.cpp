// kepumap caravan: the benchmark formats (printed length, vehicles, feasibility), bad input,
// and the project mode on the 阿巴嘎旗 demo (outputs written, totals consistent).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <numbers>
#include <sstream>

#include "geo/crs.hpp"

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
  // The demo depot is about 580 m from 别力古台镇's seat: no stop is the depot's own point.
  CHECK(r.out.find("/ 89;") != std::string::npos);
  CHECK(r.out.find("within 250 m of a depot") == std::string::npos);
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
  // Drivers' files: named in Chinese, a waypoint per stop with its arrival time, the route in
  // stop order, one track segment and one KML folder per day, the coordinate system stated.
  CHECK(gpx.find("<name>行程 01 ") != std::string::npos);
  CHECK(gpx.find("坐标系：WGS84") != std::string::npos);
  const std::string kml = slurp(dir / "tours/tour_01.kml");
  const auto days = count(kml, "<Folder>");
  CHECK(days >= 1);
  CHECK(count(gpx, "<trkseg>") == days);
  CHECK(count(kml, "<LineString>") == days);
  CHECK(count(gpx, "<wpt ") == count(gpx, "<rtept "));
  CHECK(count(gpx, "<wpt ") == count(kml, "<Point>"));
  CHECK(count(gpx, "<type>展览") >= 1);
  CHECK(count(gpx, "<type>驻地</type>") == 2);  // leaving and coming back
  CHECK(gpx.find("<time>2025-") != std::string::npos);
  CHECK(gpx.find("+08:00</time>") != std::string::npos);
  CHECK(kml.find("<name>第1天 ") != std::string::npos);
  // Every exhibition of the plan is a waypoint: the tours' waypoints of type 展览 add up to the
  // visits printed.
  std::size_t exhibitions = 0;
  for (int k = 1; k <= tours; ++k) {
    char name[32];
    std::snprintf(name, sizeof name, "tours/tour_%02d.gpx", k);
    exhibitions += count(slurp(dir / name), "<type>展览");
  }
  CHECK(static_cast<double>(exhibitions) == number_after(r.out, "visits: "));
  // Same seed, same plan.
  const auto dir2 = std::filesystem::temp_directory_path() / "kepumap-caravan-abag2";
  std::filesystem::remove_all(dir2);
  const auto r2 =
      run_kepumap("caravan " + shell_quote(project.string()) + " -o " + shell_quote(dir2.string()) +
                  " --stops-layer township_seats --stops-layer village_centres --overnight lodging");
  CHECK(r2.out.substr(0, r2.out.find("written")) == r.out.substr(0, r.out.find("written")));

  // The GPX 1.1 schema, as a GPS receiver or gpsbabel reads it.
  const auto xsd = test::shared_data() / "schemas/gpx-1.1.xsd";
  if (std::system("command -v xmllint >/dev/null 2>&1") != 0) {
    KEPUMAP_SKIP_INSTALLED("xmllint (libxml2-utils) absent: GPX schema check skipped");
  } else if (!std::filesystem::exists(xsd)) {
    KEPUMAP_SKIP("shared data absent (schemas/gpx-1.1.xsd): GPX schema check skipped");
  } else {
    for (int k = 1; k <= tours; ++k) {
      char name[32];
      std::snprintf(name, sizeof name, "tours/tour_%02d.gpx", k);
      INFO(name);
      CHECK(std::system(("xmllint --noout --schema " + shell_quote(xsd.string()) + " " +
                         shell_quote((dir / name).string()) + " >/dev/null 2>&1")
                            .c_str()) == 0);
    }
  }
}

TEST_CASE("cli caravan: --coords gcj02 and bd09 shift the drivers' files for 高德 and 百度 maps",
          "[cli][caravan]") {
  const auto project = test::source_dir() / "data/abag/project.toml";
  if (!std::filesystem::exists(project)) {
    KEPUMAP_SKIP_INSTALLED("demo project absent: skipping");
  }
  auto first_waypoint = [](const std::string& gpx) {
    const auto p = gpx.find("<wpt lat=\"");
    REQUIRE(p != std::string::npos);
    const double lat = std::stod(gpx.substr(p + 10));
    const double lon = std::stod(gpx.substr(gpx.find("lon=\"", p) + 5));
    return std::pair<double, double>{lon, lat};
  };
  std::map<std::string, std::pair<double, double>> depot;
  for (const std::string c : {"wgs84", "gcj02", "bd09"}) {
    const auto dir = std::filesystem::temp_directory_path() / ("kepumap-caravan-coords-" + c);
    std::filesystem::remove_all(dir);
    const auto r = run_kepumap("caravan " + shell_quote(project.string()) + " -o " +
                               shell_quote(dir.string()) + " --stops-layer township_seats --coords " + c);
    INFO(c << ": " << r.err);
    REQUIRE((r.exit_code == 0 || r.exit_code == 1));
    const std::string gpx = slurp(dir / "tours/tour_01.gpx");
    depot[c] = first_waypoint(gpx);
    if (c == "gcj02") {
      CHECK(gpx.find("坐标系：GCJ-02") != std::string::npos);
      CHECK(slurp(dir / "tours/tour_01.kml").find("GCJ-02") != std::string::npos);
      CHECK(r.out.find("GCJ-02") != std::string::npos);
    }
    if (c == "bd09") CHECK(gpx.find("坐标系：BD-09") != std::string::npos);
  }
  // The depot (the first waypoint) moves by GCJ-02's offset, about 565 m in 阿巴嘎旗, and BD-09
  // further; each agrees with kepumap's converter.
  auto metres = [](std::pair<double, double> a, std::pair<double, double> b) {
    const double k = 111'320.0;
    return std::hypot((b.first - a.first) * k * std::cos(a.second * std::numbers::pi / 180.0),
                      (b.second - a.second) * k);
  };
  const double gcj = metres(depot["wgs84"], depot["gcj02"]);
  CHECK(gcj > 400);
  CHECK(gcj < 700);
  CHECK(metres(depot["wgs84"], depot["bd09"]) > gcj);
  const auto back = geo::gcj02_to_wgs84({depot["gcj02"].first, depot["gcj02"].second});
  CHECK(metres(depot["wgs84"], {back.x, back.y}) < 1.0);

  const auto bad =
      run_kepumap("caravan " + shell_quote(project.string()) + " -o " +
                  shell_quote((std::filesystem::temp_directory_path() / "kepumap-coords-bad").string()) +
                  " --coords mars");
  CHECK(bad.exit_code == 2);
  CHECK(test::line_count(bad.err) == 1);
  CHECK(bad.err.find("--coords") != std::string::npos);
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
  // 南库 stands on 别力古台镇's seat: the seat (2 visits) and 别力古台社区居委会 (1) are the depot's
  // own point, not visits (89 before issue 13 counted them).
  CHECK(r.out.find("/ 86;") != std::string::npos);
  CHECK(r.out.find("2 stops within 250 m of a depot are its own point, not visits") != std::string::npos);
  const std::string geojson = slurp(dir / "out/caravan_routes.geojson");
  CHECK(geojson.find("\"depot\": \"南库\"") != std::string::npos);
  CHECK(geojson.find("\"depot\": \"北库\"") != std::string::npos);
  // The south depot has one vehicle, so none of its tours is on vehicle 2.
  CHECK(geojson.find("\"depot\": \"南库\", \"vehicle\": 2") == std::string::npos);
}
