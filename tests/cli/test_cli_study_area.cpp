// The study area through the real binary (issue 13): a world-sized reference layer leaves the
// "auto" CRS and the travel times fitted to the banner; everything outside the study area is
// counted where it is skipped; totals are exact in every verb; siting leaves out candidates
// outside the study area; the caravan never visits its own depot.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "cli_run.hpp"
#include "io/io_test_util.hpp"
#include "skip.hpp"

using namespace kepumap;
using test::contains;
using test::run_kepumap;
using test::ScratchDir;
using test::shell_quote;

namespace {

namespace fs = std::filesystem;

fs::path abag_dir() { return test::source_dir() / "data/abag"; }

/// data/abag/project.toml with its sources made absolute and `extra` appended (more [[layer]]s).
std::string abag_project(const ScratchDir& dir, const std::string& extra,
                         const std::string& name = "p.toml") {
  std::string text = test::slurp(abag_dir() / "project.toml");
  for (const std::string src : {"abag.gpkg", "abag_population.tif"}) {
    const std::string from = "source = \"" + src + "\"";
    const std::string to = "source = \"" + (abag_dir() / src).string() + "\"";
    for (auto p = text.find(from); p != std::string::npos; p = text.find(from, p + to.size()))
      text.replace(p, from.size(), to);
  }
  return dir.write(name, text + "\n" + extra);
}

std::string world_border_layer() {
  return "[[layer]]\nname = \"world_border\"\nrole = \"border\"\nsource = \"" +
         (test::shared_data() / "borders/countries-10m.topojson").string() + "\"\nlayer = \"countries\"\n";
}

std::string geonames_layer(const std::string& role = "town") {
  return "[[layer]]\nname = \"geonames\"\nrole = \"" + role + "\"\nsource = \"" +
         (test::shared_data() / "places/geonames_cities.csv").string() + "\"\nfields = { name = \"name\" }\n";
}

/// The value of `+key=` in a PROJ string, NaN if absent.
double proj_param(const std::string& text, const std::string& key) {
  const std::regex re("\\+" + key + "=(-?[0-9.]+)");
  std::smatch m;
  return std::regex_search(text, m, re) ? std::stod(m[1].str()) : std::nan("");
}

// minutes per (layer, feature) from a times.csv; -1 when unreachable.
std::map<std::string, std::string> times_by_place(const std::string& csv) {
  std::map<std::string, std::string> m;
  std::ifstream in(csv, std::ios::binary);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::string cell;
    bool quoted = false;
    for (char c : line) {
      if (c == '"')
        quoted = !quoted;
      else if (c == ',' && !quoted) {
        cells.push_back(cell);
        cell.clear();
      } else
        cell.push_back(c);
    }
    cells.push_back(cell);
    if (cells.size() >= 8) m[cells[1] + "#" + cells[2]] = cells[7];  // whole seconds
  }
  return m;
}

bool have_data() {
  return fs::exists(abag_dir() / "project.toml") && fs::exists(test::binary_dir() / "src/app/kepumap");
}

}  // namespace

TEST_CASE("a world-sized border leaves the auto CRS fitted to the banner", "[cli][study]") {
  if (!have_data()) KEPUMAP_SKIP_INSTALLED("the demo project or the kepumap binary is missing");
  if (!test::have_shared_data()) KEPUMAP_SKIP("../shared/data is absent");
  ScratchDir dir("study-crs");
  const std::string plain = abag_project(dir, "", "plain.toml");
  const std::string world = abag_project(dir, world_border_layer(), "world.toml");
  const auto a = run_kepumap("info " + shell_quote(plain));
  const auto b = run_kepumap("info " + shell_quote(world));
  INFO(b.out.substr(0, 2000) << b.err.substr(0, 2000));
  REQUIRE(a.exit_code == 0);
  // The world file has one country with an empty geometry: info names it and exits 2 (dropped
  // features), but nothing else is wrong.
  REQUIRE(b.exit_code == 2);
  CHECK(contains(b.err, "feature 166: empty geometry, dropped"));
  CHECK_FALSE(contains(b.err, "error"));
  // The banner: 113.49–116.18°E, 43.09–45.44°N.
  for (const auto* r : {&a, &b}) {
    const double lon0 = proj_param(r->out, "lon_0"), lat0 = proj_param(r->out, "lat_0");
    const double lat1 = proj_param(r->out, "lat_1"), lat2 = proj_param(r->out, "lat_2");
    CHECK(lon0 > 113.49);
    CHECK(lon0 < 116.18);
    CHECK(lat0 > 43.08);
    CHECK(lat0 < 45.44);
    CHECK(lat1 > 43.08);
    CHECK(lat2 < 45.44);
    CHECK(lat1 < lat2);
  }
  for (const std::string k : {"lon_0", "lat_0", "lat_1", "lat_2"})
    CHECK(proj_param(a.out, k) == proj_param(b.out, k));
  CHECK(contains(b.out, "研究区 study area: the units of layer 'banner'"));
  // The world border lost almost every country; info says how many.
  const auto at = b.out.find("图层 layer world_border");
  REQUIRE(at != std::string::npos);
  const double away = test::number_after(b.out.substr(at), "clipped:       ");
  CHECK(away > 200);
  CHECK(contains(b.out.substr(at), "(研究区外已裁去)"));
}

TEST_CASE("travel times with a world-sized border equal those without it", "[cli][study]") {
  if (!have_data()) KEPUMAP_SKIP_INSTALLED("the demo project or the kepumap binary is missing");
  if (!test::have_shared_data()) KEPUMAP_SKIP("../shared/data is absent");
  ScratchDir dir("study-travel");
  const std::string plain = abag_project(dir, "", "plain.toml");
  const std::string world = abag_project(dir, world_border_layer(), "world.toml");
  const auto a =
      run_kepumap("travel " + shell_quote(plain) + " --from museum -o " + shell_quote(dir.file("a")));
  const auto b =
      run_kepumap("travel " + shell_quote(world) + " --from museum -o " + shell_quote(dir.file("b")));
  INFO(a.out << a.err << b.out << b.err);
  REQUIRE(a.exit_code == 0);
  REQUIRE(b.exit_code == 0);
  const auto ta = times_by_place(dir.file("a/times.csv")), tb = times_by_place(dir.file("b/times.csv"));
  REQUIRE(ta.size() > 50);
  CHECK(ta == tb);
}

TEST_CASE("places outside the study area are counted in info and travel, stops in caravan", "[cli][study]") {
  if (!have_data()) KEPUMAP_SKIP_INSTALLED("the demo project or the kepumap binary is missing");
  if (!test::have_shared_data()) KEPUMAP_SKIP("../shared/data is absent");
  ScratchDir dir("study-outside");
  // GeoNames: 1,769 places from 97 to 127°E; one (Bieligutai, the seat) lies in 阿巴嘎旗.
  const std::string p = abag_project(dir, geonames_layer());
  const auto info = run_kepumap("info " + shell_quote(p));
  INFO(info.out.substr(0, 3000) << info.err.substr(0, 2000));
  REQUIRE(info.exit_code == 0);
  const auto at = info.out.find("图层 layer geonames");
  REQUIRE(at != std::string::npos);
  CHECK(test::number_after(info.out.substr(at), "outside:       ") == 1768);
  CHECK(contains(info.out.substr(at), "of 1769 features outside the study area"));

  const auto travel =
      run_kepumap("travel " + shell_quote(p) + " --from museum -o " + shell_quote(dir.file("t")));
  INFO(travel.out << travel.err);
  REQUIRE(travel.exit_code == 0);
  CHECK(contains(travel.out, "在研究区外 outside the study area: 1768 villages and towns, not counted"));
  CHECK(contains(travel.out, "places:    83 villages and towns in the study area, 83 reachable"));

  const auto car =
      run_kepumap("caravan " + shell_quote(p) + " --stops-layer geonames -o " + shell_quote(dir.file("c")));
  INFO(car.out << car.err);
  CHECK(contains(car.out, "在研究区外 outside the study area: 1768 stops left out"));
  CHECK_FALSE(contains(car.out + car.err, "no route"));
}

TEST_CASE("every verb reports the demo banner's 38589 people exactly", "[cli][study]") {
  if (!have_data()) KEPUMAP_SKIP_INSTALLED("the demo project or the kepumap binary is missing");
  ScratchDir dir("study-totals");
  const std::string p = (abag_dir() / "project.toml").string();
  const auto cov = run_kepumap("coverage " + shell_quote(p) + " -o " + shell_quote(dir.file("cov")));
  INFO(cov.out << cov.err);
  REQUIRE(cov.exit_code == 0);
  CHECK(contains(cov.out, "人口: 38589\n"));
  CHECK(contains(test::slurp(dir.file("cov/coverage_banner.csv")), ",38589,"));

  const auto site = run_kepumap("site " + shell_quote(p) + " --p 2 -o " + shell_quote(dir.file("site")));
  INFO(site.out << site.err);
  REQUIRE(site.exit_code == 0);
  CHECK(contains(site.out, "人口 population: 38,589 in the demand blocks"));

  const auto site_mclp =
      run_kepumap("site " + shell_quote(p) + " --problem mclp --p 2 -o " + shell_quote(dir.file("mclp")));
  INFO(site_mclp.out << site_mclp.err);
  REQUIRE(site_mclp.exit_code == 0);
  CHECK(contains(site_mclp.out, " of 38589\n"));

  const auto acc =
      run_kepumap("access " + shell_quote(p) + " --method capacity --facility education_base -o " +
                  shell_quote(dir.file("acc")));
  INFO(acc.out << acc.err);
  REQUIRE(acc.exit_code == 0);
  CHECK(contains(test::slurp(dir.file("acc/access_banner.csv")), ",38589,"));

  const auto rep = run_kepumap("report " + shell_quote(p) + " -o " + shell_quote(dir.file("rep")));
  INFO(rep.out << rep.err);
  REQUIRE(rep.exit_code == 0);
  CHECK(contains(test::slurp(dir.file("rep/coverage_banner.csv")), ",38589,"));
}

TEST_CASE("siting leaves out candidates outside the study area and names grid sites by unit and lon/lat",
          "[cli][study]") {
  if (!have_data()) KEPUMAP_SKIP_INSTALLED("the demo project or the kepumap binary is missing");
  if (!test::have_shared_data()) KEPUMAP_SKIP("../shared/data is absent");
  ScratchDir dir("study-site");
  const std::string p = abag_project(dir, geonames_layer("other"));
  const auto out =
      run_kepumap("site " + shell_quote(p) + " --candidates geonames --p 1 -o " + shell_quote(dir.file("a")));
  INFO(out.out << out.err);
  REQUIRE(out.exit_code == 0);
  CHECK(contains(out.out, "在研究区外 outside the study area: "));
  CHECK(contains(out.out, "候选 candidates 1,"));
  const auto keep = run_kepumap("site " + shell_quote(p) + " --candidates geonames --keep-outside --p 1 -o " +
                                shell_quote(dir.file("b")));
  INFO(keep.out << keep.err);
  REQUIRE(keep.exit_code == 0);
  CHECK_FALSE(contains(keep.out, "candidates excluded"));

  const auto grid =
      run_kepumap("site " + shell_quote((abag_dir() / "project.toml").string()) +
                  " --candidates grid:20000 --problem mclp --p 1 -o " + shell_quote(dir.file("g")));
  INFO(grid.out << grid.err);
  REQUIRE(grid.exit_code == 0);
  CHECK_FALSE(contains(grid.out, " km, "));
  CHECK(std::regex_search(
      grid.out, std::regex("[^ ]+(苏木|镇|嘎查|村|社区)[^ ]* 11[3-6]\\.[0-9]{2}°E 4[3-5]\\.[0-9]{2}°N")));
}

TEST_CASE("the caravan never spends a visit on its depot's own point", "[cli][study]") {
  if (!have_data()) KEPUMAP_SKIP_INSTALLED("the demo project or the kepumap binary is missing");
  ScratchDir dir("study-depot");
  // Two stops: one 50 m from the depot (114.937395°E 44.018475°N), one at a gachaa; and one far away.
  dir.write(
      "stops.geojson",
      R"({"type":"FeatureCollection","features":[)"
      R"({"type":"Feature","properties":{"name":"车库门口"},"geometry":{"type":"Point","coordinates":[114.9378,44.0187]}},)"
      R"({"type":"Feature","properties":{"name":"巴彦青格尔嘎查"},"geometry":{"type":"Point","coordinates":[115.104777809309,44.1765872496706]}},)"
      R"({"type":"Feature","properties":{"name":"包头"},"geometry":{"type":"Point","coordinates":[109.84,40.65]}}]})");
  const std::string p =
      abag_project(dir, "[[layer]]\nname = \"my_stops\"\nrole = \"caravan_stop\"\nsource = \"" +
                            dir.file("stops.geojson") + "\"\nfields = { name = \"name\" }\n");
  const auto car =
      run_kepumap("caravan " + shell_quote(p) + " --stops-layer my_stops -o " + shell_quote(dir.file("c")));
  INFO(car.out << car.err);
  REQUIRE(car.exit_code == 0);
  CHECK(contains(
      car.out,
      "驻地本身 at the depot: 1 stops within 250 m of a depot are its own point, not visits (车库门口)"));
  CHECK(contains(car.out, "在研究区外 outside the study area: 1 stops left out (包头)"));
}

TEST_CASE("a project extent is the study area and a bad one is one error line", "[cli][study]") {
  if (!have_data()) KEPUMAP_SKIP_INSTALLED("the demo project or the kepumap binary is missing");
  ScratchDir dir("study-extent");
  auto with_project_keys = [&](const std::string& keys, const std::string& name) {
    std::string text = test::slurp(abag_project(dir, "", name));
    const std::string anchor = "crs = \"auto\"\n";
    text.replace(text.find(anchor), anchor.size(), anchor + keys);
    return dir.write(name, text);
  };
  const std::string p = with_project_keys("extent = [114.0, 43.5, 115.5, 44.5]\nmargin_km = 5\n", "e.toml");
  const auto r = run_kepumap("info " + shell_quote(p));
  INFO(r.out.substr(0, 1500) << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(proj_param(r.out, "lon_0") == Approx(114.75));
  CHECK(proj_param(r.out, "lat_0") == Approx(44.0));
  CHECK(
      contains(r.out,
               "研究区 study area: [project] extent (114.00–115.50°E, 43.50–44.50°N); reference layers kept "
               "within 5 km of it"));
  // Towns outside the box are counted: 查干淖尔镇 (44.80°N) and others lie north of it.
  const auto at = r.out.find("图层 layer township_seats");
  REQUIRE(at != std::string::npos);
  CHECK(test::number_after(r.out.substr(at), "outside:       ") > 0);

  const auto j = run_kepumap("info --json " + shell_quote(p));
  CHECK(contains(j.out, "\"study_area\": {\"from\": \"extent\", \"layer\": \"\", \"margin_km\": 5"));
  CHECK(contains(j.out, "\"outside_study_area\": "));
  CHECK(contains(j.out, "\"clipped_away\": "));

  const std::string bad = with_project_keys("extent = [115.5, 43.5, 114.0]\n", "bad.toml");
  const auto b = run_kepumap("info " + shell_quote(bad));
  CHECK(b.exit_code == 2);
  CHECK(test::line_count(b.err) == 1);
  CHECK(contains(b.err, "key 'extent' must be [minlon, minlat, maxlon, maxlat]"));
}

TEST_CASE("without unit polygons or an extent there is no study area and nothing is clipped",
          "[cli][study]") {
  if (!have_data()) KEPUMAP_SKIP_INSTALLED("the demo project or the kepumap binary is missing");
  ScratchDir dir("study-none");
  dir.write(
      "museums.geojson",
      R"({"type":"FeatureCollection","features":[)"
      R"({"type":"Feature","properties":{"name":"A"},"geometry":{"type":"Point","coordinates":[114.9,44.0]}},)"
      R"({"type":"Feature","properties":{"name":"B"},"geometry":{"type":"Point","coordinates":[109.8,40.6]}}]})");
  const std::string p =
      dir.write("p.toml",
                "[project]\nname = \"无研究区\"\n\n[[layer]]\nname = \"m\"\nrole = \"museum\"\n"
                "source = \"museums.geojson\"\n");
  const auto r = run_kepumap("info " + shell_quote(p));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.out,
                 "研究区 study area: none (no banner/township/village polygons and no [project] extent)"));
  CHECK_FALSE(contains(r.out, "outside:  "));
  CHECK(contains(r.out, "features:      2 "));
}
