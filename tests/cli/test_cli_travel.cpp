// `kepumap travel` through the real binary on the Abag demo project: the surfaces, isochrones
// and the village/town CSV; the winter scenario is never faster; bad input exits 2.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cli_run.hpp"
#include "io/io_test_util.hpp"
#include "io/project.hpp"
#include "io/raster_io.hpp"
#include "skip.hpp"

using namespace kepumap;
using test::contains;
using test::run_kepumap;
using test::ScratchDir;
using test::shell_quote;

namespace {

std::string abag() { return (test::source_dir() / "data/abag/project.toml").string(); }

std::vector<std::vector<std::string>> read_csv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::vector<std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (rows.empty() && line.rfind("\xEF\xBB\xBF", 0) == 0) line = line.substr(3);
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
    rows.push_back(cells);
  }
  return rows;
}

// minutes per (layer, feature) from times.csv; -1 when unreachable.
std::map<std::string, double> minutes_by_place(const std::string& csv) {
  std::map<std::string, double> m;
  const auto rows = read_csv(csv);
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& r = rows[i];
    if (r.size() < 8) continue;
    m[r[1] + "#" + r[2]] = r[6].empty() ? -1.0 : std::stod(r[6]);
  }
  return m;
}

}  // namespace

TEST_CASE("cli travel: Abag museums, surfaces, isochrones and village times", "[cli][travel]") {
  if (!std::filesystem::exists(abag())) {
    KEPUMAP_SKIP_INSTALLED("data/abag absent: skipped");
  }
  ScratchDir out("travel");
  auto r =
      run_kepumap("travel " + shell_quote(abag()) + " --from town -o " + shell_quote(out.path().string()));
  INFO("stdout:\n" << r.out << "stderr:\n" << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.out, "travel times from"));
  for (const char* f : {"travel_time.tif", "nearest_facility.tif", "isochrones.gpkg", "times.csv"})
    CHECK(std::filesystem::exists(out.path() / f));

  const auto t = io::read_grid(out.path() / "travel_time.tif");
  const auto n = io::read_grid(out.path() / "nearest_facility.tif");
  REQUIRE(t.same_frame(n));
  std::size_t reached = 0;
  for (std::size_t i = 0; i < t.data.size(); ++i) {
    if (t.data[i] >= 0) {
      ++reached;
      CHECK(n.data[i] >= 0);
    } else {
      CHECK(n.data[i] == -1.0f);
    }
  }
  CHECK(reached > t.data.size() / 4);

  // Every town is a facility here, so each town's own time is only the last stretch (< 5 min),
  // and every village is reached.
  const auto rows = read_csv(out.file("times.csv"));
  REQUIRE(rows.size() > 10);
  CHECK(rows[0] == std::vector<std::string>{"kind", "layer", "feature", "name", "code", "nearest_facility",
                                            "minutes", "seconds"});
  std::size_t towns = 0, villages = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    REQUIRE(rows[i].size() == 8);
    if (rows[i][0] == "town") {
      ++towns;
      REQUIRE(!rows[i][6].empty());
      CHECK(std::stod(rows[i][6]) < 5.0);
    } else {
      ++villages;
      CHECK(rows[i][0] == "village");
      CHECK(!rows[i][6].empty());
    }
  }
  CHECK(towns > 0);
  CHECK(villages > 0);
}

TEST_CASE("cli travel: the winter scenario is never faster than summer", "[cli][travel]") {
  if (!std::filesystem::exists(abag())) {
    KEPUMAP_SKIP_INSTALLED("data/abag absent: skipped");
  }
  ScratchDir summer("travel-summer"), winter("travel-winter");
  auto a = run_kepumap("travel " + shell_quote(abag()) + " --from museum -o " +
                       shell_quote(summer.path().string()));
  auto b = run_kepumap("travel " + shell_quote(abag()) + " --from museum --scenario winter -o " +
                       shell_quote(winter.path().string()));
  INFO(a.err << b.err);
  REQUIRE(a.exit_code == 0);
  REQUIRE(b.exit_code == 0);
  const auto s = minutes_by_place(summer.file("times.csv"));
  const auto w = minutes_by_place(winter.file("times.csv"));
  REQUIRE(s.size() == w.size());
  std::size_t slower = 0;
  for (const auto& [k, v] : s) {
    const double vw = w.at(k);
    if (v < 0) continue;
    REQUIRE(vw >= 0);
    CHECK(vw >= v - 0.11);  // minutes printed to 0.1
    if (vw > v + 1.0) ++slower;
  }
  CHECK(slower > s.size() / 2);
}

TEST_CASE("cli travel: bad input exits 2 with one line", "[cli][travel]") {
  if (!std::filesystem::exists(abag())) {
    KEPUMAP_SKIP_INSTALLED("data/abag absent: skipped");
  }
  ScratchDir out("travel-bad");
  const std::string o = " -o " + shell_quote(out.path().string());
  auto r = run_kepumap("travel " + shell_quote(abag()) + " --from spaceport" + o);
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, "unknown role"));
  r = run_kepumap("travel " + shell_quote(abag()) + " --from museum --scenario monsoon" + o);
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, "winter"));
  r = run_kepumap("travel " + shell_quote(abag()) + " --from population" + o);
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, "no facilities"));
  r = run_kepumap("travel " + shell_quote(out.file("missing.toml")) + " --from museum" + o);
  CHECK(r.exit_code == 2);
  CHECK(!r.err.empty());
  r = run_kepumap("travel " + shell_quote(abag()) + " --from museum");
  CHECK(r.exit_code == 2);
}

namespace {

// data/abag copied into `dir` with `extra` added to its [travel] section.
std::string abag_copy_with_travel(const std::filesystem::path& dir, const std::string& extra) {
  namespace fs = std::filesystem;
  for (const auto& e : fs::directory_iterator(fs::path(abag()).parent_path()))
    if (e.is_regular_file())
      fs::copy_file(e.path(), dir / e.path().filename(), fs::copy_options::overwrite_existing);
  std::ifstream in(dir / "project.toml", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string toml = ss.str();
  const auto at = toml.find("[travel]\n");
  REQUIRE(at != std::string::npos);
  toml.insert(at + 9, extra);
  std::ofstream(dir / "project.toml", std::ios::binary) << toml;
  return (dir / "project.toml").string();
}

}  // namespace

TEST_CASE("cli travel: a land-cover raster in project.toml slows the classes it names", "[cli][travel]") {
  if (!std::filesystem::exists(abag())) {
    KEPUMAP_SKIP_INSTALLED("data/abag absent: skipped");
  }
  ScratchDir work("travel-landcover"), base("travel-lc-base"), slow("travel-lc-slow");
  // A longitude/latitude class raster (0.01°) over the banner: class 1 everywhere, class 9 (not
  // in the table) in one block, NoData in the first row. It is warped onto the 500 m travel grid.
  const auto doc = io::load_project(abag());
  REQUIRE(!doc.diagnostics.has_errors());
  core::BBox ll;
  for (const auto& l : doc.layers) ll.add(l.report.extent_lonlat);
  const double step = 0.01;
  const int w = static_cast<int>((ll.max_x - ll.min_x) / step) + 3,
            h = static_cast<int>((ll.max_y - ll.min_y) / step) + 3;
  core::GridF lc(w, h, ll.min_x - step, ll.max_y + step, step, 1.0f);
  lc.nodata = -9999.0f;
  for (int c = 0; c < w; ++c) lc.at(c, 0) = lc.nodata;
  for (int r = 10; r < 30; ++r)
    for (int c = 10; c < 30; ++c) lc.at(c, r) = 9.0f;
  io::write_geotiff(lc, "EPSG:4326", work.path() / "landcover.tif");

  const std::string with_lc =
      abag_copy_with_travel(work.path(), "landcover = \"landcover.tif\"\nlandcover_speeds = { \"1\" = 6 }\n");
  auto a =
      run_kepumap("travel " + shell_quote(abag()) + " --from museum -o " + shell_quote(base.path().string()));
  auto b = run_kepumap("travel " + shell_quote(with_lc) + " --from museum -o " +
                       shell_quote(slow.path().string()));
  INFO(a.err << b.out << b.err);
  REQUIRE(a.exit_code == 0);
  REQUIRE(b.exit_code == 0);
  CHECK(contains(b.out, "land cover: "));
  CHECK(contains(b.out, "landcover.tif"));
  CHECK(contains(b.err, "classes 9 "));  // the unlisted class is named once
  // kepumap info describes the raster and its classes, with and without a speed.
  const auto info = run_kepumap("info " + shell_quote(with_lc));
  INFO(info.out);
  CHECK(info.exit_code == 0);
  CHECK(contains(info.out, "土地覆被 land cover"));
  CHECK(contains(info.out, "EPSG:4326"));
  CHECK(contains(info.out, " 1 ("));
  CHECK(contains(info.out, "6.0 km/h"));
  CHECK(contains(info.out, " 9 ("));
  CHECK(contains(info.out, "no speed"));
  const auto s = minutes_by_place(base.file("times.csv"));
  const auto l = minutes_by_place(slow.file("times.csv"));
  REQUIRE(s.size() == l.size());
  std::size_t slower = 0;
  for (const auto& [k, v] : s) {
    if (v < 0) continue;
    REQUIRE(l.at(k) >= 0);
    CHECK(l.at(k) >= v - 0.11);  // 6 km/h grassland instead of 25: never faster
    if (l.at(k) > v + 1.0) ++slower;
  }
  CHECK(slower > s.size() / 2);

  // Bad input: a missing raster and a class that is not a number, one line each, exit 2.
  ScratchDir bad1("travel-lc-bad1"), bad2("travel-lc-bad2");
  const std::string missing = abag_copy_with_travel(bad1.path(), "landcover = \"no_such.tif\"\n");
  auto r = run_kepumap("travel " + shell_quote(missing) + " --from museum -o " +
                       shell_quote(base.path().string()));
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, "travel.landcover"));
  CHECK(contains(r.err, "no_such.tif"));
  const std::string word = abag_copy_with_travel(bad2.path(), "landcover_speeds = { \"grass\" = 6 }\n");
  r = run_kepumap("travel " + shell_quote(word) + " --from museum -o " + shell_quote(base.path().string()));
  CHECK(r.exit_code == 2);
  CHECK(contains(r.err, "'grass' is not a number"));
  CHECK(contains(r.err, "project.toml"));
}
