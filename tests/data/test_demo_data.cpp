// The committed demo projects (data/, issue 3): totals, nesting of the synthetic partitions,
// synthetic flags, the population grid, and the plans' quotes.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "demo_read.hpp"
#include "geo/crs.hpp"
#include "geo/geos_ops.hpp"
#include "skip.hpp"
#include "test_paths.hpp"

using namespace kepumap;
using kepumap::test::DemoLayer;
namespace fs = std::filesystem;

namespace {

fs::path data_dir() { return test::source_dir() / "data"; }

long long as_int(const std::string& s) { return std::stoll(s); }

double area_of(const core::Geometries& g, core::FeatureId f) { return core::feature_area(g, f); }

/// Area of feature f of `child` that lies outside feature p of `parent`, as a share of f's area.
double outside_share(const core::Geometries& child, core::FeatureId f, const core::Geometries& parent,
                     core::FeatureId p) {
  const auto c = test::feature(child, f);
  const auto inside = geo::clip(c, test::feature(parent, p));
  const double a = area_of(c, 0);
  return (a - (inside.has_geometry(0) ? area_of(inside, 0) : 0.0)) / a;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string quote_arg(const std::string& s) {
  std::string o = "'";
  o += s;
  o += "'";
  return o;
}

std::string strip_ws(const std::string& s) {
  std::string o;
  for (char c : s)
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') o += c;
  return o;
}

}  // namespace

TEST_CASE("abag: census total in villages, townships, banner and grid", "[data][abag]") {
  const auto gpkg = data_dir() / "abag/abag.gpkg";
  const auto banner = test::read_layer(gpkg, "banner");
  const auto towns = test::read_layer(gpkg, "townships");
  const auto vill = test::read_layer(gpkg, "villages");
  REQUIRE(banner.size() == 1);
  CHECK(banner.attrs[0].at("population") == "38589");
  CHECK(banner.attrs[0].at("code") == "152522");
  CHECK(towns.size() == 7);  // 3 towns + 4 sums (the mine 玛尼图煤矿 is left out)
  long long vsum = 0;
  std::map<std::string, long long> by_town;
  for (const auto& a : vill.attrs) {
    vsum += as_int(a.at("population"));
    by_town[a.at("township_code")] += as_int(a.at("population"));
  }
  CHECK(vsum == 38589);
  long long tsum = 0;
  for (const auto& a : towns.attrs) {
    tsum += as_int(a.at("population"));
    CHECK(by_town[a.at("code")] == as_int(a.at("population")));
  }
  CHECK(tsum == 38589);
  // towns far denser than the pasture
  double comm_pop = 0, comm_area = 0, g_pop = 0, g_area = 0;
  for (const auto& a : vill.attrs) {
    (a.at("kind") == "社区" ? comm_pop : g_pop) += std::stod(a.at("population"));
    (a.at("kind") == "社区" ? comm_area : g_area) += std::stod(a.at("area_km2"));
  }
  REQUIRE(comm_area > 0);
  CHECK(comm_pop / comm_area > 100 * (g_pop / g_area));
}

TEST_CASE("abag: population grid totals the census and each village's cells its population", "[data][abag]") {
  std::string wkt;
  const auto grid = test::read_raster(data_dir() / "abag/abag_population.tif", wkt);
  CHECK(grid.cell == Approx(500.0));
  long long total = 0;
  for (auto v : grid.data)
    if (v > 0) total += v;
  CHECK(total == 38589);

  const auto vill = test::read_layer(data_dir() / "abag/abag.gpkg", "villages");
  const geo::Transform tf("EPSG:4326", wkt);
  core::Geometries vm = vill.geom;
  REQUIRE(tf.apply(vm.coords));
  std::vector<long long> sums(vill.size(), 0);
  std::vector<int> owner(grid.data.size(), -1);
  for (core::FeatureId f = 0; f < vm.feature_count(); ++f) {
    const auto b = vm.feature_bbox(f);
    for (int r = std::max(0, grid.row_of(b.max_y)); r <= std::min(grid.height - 1, grid.row_of(b.min_y)); ++r)
      for (int c = std::max(0, grid.col_of(b.min_x)); c <= std::min(grid.width - 1, grid.col_of(b.max_x));
           ++c) {
        const auto idx = grid.index(c, r);
        if (owner[idx] >= 0 || !core::feature_contains(vm, f, grid.cell_center(c, r))) continue;
        owner[idx] = static_cast<int>(f);
        sums[f] += std::max(0, grid.data[idx]);
      }
  }
  int mismatched = 0;
  for (std::size_t i = 0; i < vill.size(); ++i)
    if (sums[i] != as_int(vill.attrs[i].at("population"))) ++mismatched;
  CHECK(mismatched == 0);
  // cells outside every village are no-data, inside every village hold >= 0 people
  for (std::size_t idx = 0; idx < grid.data.size(); ++idx) {
    if (owner[idx] < 0 && grid.data[idx] != -1) FAIL("a cell outside the villages holds people");
    if (owner[idx] >= 0 && grid.data[idx] < 0) FAIL("a village cell is no-data");
  }
}

TEST_CASE("every village lies inside its township and every township inside its banner", "[data]") {
  for (const std::string key : {"abag", "dalad"}) {
    INFO(key);
    const auto gpkg = data_dir() / key / (key + ".gpkg");
    const auto banner = test::read_layer(gpkg, "banner");
    const auto towns = test::read_layer(gpkg, "townships");
    const auto vill = test::read_layer(gpkg, "villages");
    double town_area = 0;
    std::map<std::string, core::FeatureId> town_of_code;
    for (core::FeatureId t = 0; t < towns.size(); ++t) {
      INFO(towns.attrs[t].at("name"));
      CHECK(outside_share(towns.geom, t, banner.geom, 0) < 1e-6);
      town_area += area_of(towns.geom, t);
      town_of_code[towns.attrs[t].at("code")] = t;
    }
    // the townships tile the banner
    CHECK(town_area == Approx(area_of(banner.geom, 0)).epsilon(1e-6));
    std::vector<double> village_area(towns.size(), 0.0);
    for (core::FeatureId v = 0; v < vill.size(); ++v) {
      INFO(vill.attrs[v].at("name"));
      const auto it = town_of_code.find(vill.attrs[v].at("township_code"));
      REQUIRE(it != town_of_code.end());
      CHECK(outside_share(vill.geom, v, towns.geom, it->second) < 1e-6);
      village_area[it->second] += area_of(vill.geom, v);
    }
    for (core::FeatureId t = 0; t < towns.size(); ++t)
      CHECK(village_area[t] == Approx(area_of(towns.geom, t)).epsilon(1e-6));
  }
}

TEST_CASE("abag: the seat town contains the seat and the science museum", "[data][abag]") {
  const auto gpkg = data_dir() / "abag/abag.gpkg";
  const auto towns = test::read_layer(gpkg, "townships");
  const auto museums = test::read_layer(gpkg, "museums");
  REQUIRE(museums.size() == 1);
  CHECK(museums.attrs[0].at("name") == "阿巴嘎旗科技馆");
  CHECK(museums.attrs[0].at("synthetic") == "0");
  const auto seat = museums.geom.first_point(0);
  int holder = -1;
  for (core::FeatureId t = 0; t < towns.size(); ++t)
    if (core::feature_contains(towns.geom, t, seat)) holder = static_cast<int>(t);
  REQUIRE(holder >= 0);
  CHECK(towns.attrs[static_cast<std::size_t>(holder)].at("name") == "别力古台镇");
}

TEST_CASE("abag: pastoral flag, names and codes from the real lists", "[data][abag]") {
  const auto vill = test::read_layer(data_dir() / "abag/abag.gpkg", "villages");
  std::set<std::string> codes;
  int gachaa = 0;
  for (const auto& a : vill.attrs) {
    CHECK(a.at("code").rfind("152522", 0) == 0);
    codes.insert(a.at("code"));
    const bool is_gachaa = a.at("name").find("嘎查") != std::string::npos;
    gachaa += is_gachaa;
    CHECK(a.at("pastoral") == (is_gachaa ? "1" : "0"));
  }
  CHECK(codes.size() == vill.size());
  CHECK(gachaa == 71);
  CHECK(vill.size() == 75);
}

TEST_CASE("every feature of every demo layer carries a synthetic flag, set where it must be", "[data]") {
  const std::set<std::string> always_real{"banner", "border", "counties",     "seats",
                                          "lakes",  "rivers", "dried_basins", "intermittent_rivers"};
  const std::set<std::string> always_synthetic{"townships",      "villages",        "village_centres",
                                               "roads",          "education_bases", "caravan_depots",
                                               "caravan_routes", "caravan_stops",   "demo_schools"};
  for (const std::string key : {"abag", "dalad", "nmg", "ningxia"}) {
    const auto gpkg = data_dir() / key / (key + ".gpkg");
    for (const auto& name : test::layer_names(gpkg)) {
      INFO(key << "/" << name);
      const auto L = test::read_layer(gpkg, name);
      CHECK(L.size() > 0);
      for (const auto& a : L.attrs) {
        REQUIRE(a.count("synthetic") == 1);
        const auto s = a.at("synthetic");
        CHECK((s == "0" || s == "1"));
        if (always_real.count(name)) CHECK(s == "0");
        if (always_synthetic.count(name)) CHECK(s == "1");
        // invented names are marked （示例）
        if (s == "1" && (name == "education_bases" || name == "caravan_depots" || name == "caravan_routes" ||
                         name == "demo_schools"))
          CHECK(a.at("name").find("（示例）") != std::string::npos);
      }
    }
  }
}

TEST_CASE("abag: roads carry class and speed - the caravan route has its stops - border is there",
          "[data][abag]") {
  const auto gpkg = data_dir() / "abag/abag.gpkg";
  const auto roads = test::read_layer(gpkg, "roads");
  std::map<std::string, int> classes;
  for (const auto& a : roads.attrs) {
    ++classes[a.at("class")];
    CHECK(std::stod(a.at("speed_kmh")) > 0);
  }
  CHECK(classes["县道"] + classes["省道"] == 6);  // the seat to each of the 6 other township seats
  CHECK(classes["gravel"] >= 3);
  CHECK(classes["track"] >= 50);
  const auto stops = test::read_layer(gpkg, "caravan_stops");
  const auto routes = test::read_layer(gpkg, "caravan_routes");
  REQUIRE(routes.size() == 1);
  CHECK(as_int(routes.attrs[0].at("stops")) == static_cast<long long>(stops.size()));
  CHECK(stops.size() >= 8);
  const auto border = test::read_layer(gpkg, "border");
  REQUIRE(border.size() == 1);
  CHECK(core::feature_length(border.geom, 0) > 1.0);  // degrees: over 100 km of line
  const auto bases = test::read_layer(gpkg, "education_bases");
  const std::set<std::string> levels{"national", "region", "league", "banner"};
  for (const auto& a : bases.attrs) CHECK(levels.count(a.at("level")) == 1);
}

TEST_CASE("nmg has the 103 real counties, ningxia the 22, with codes and leagues", "[data]") {
  const auto nmg = test::read_layer(data_dir() / "nmg/nmg.gpkg", "counties");
  const auto nx = test::read_layer(data_dir() / "ningxia/ningxia.gpkg", "counties");
  CHECK(nmg.size() == 103);
  CHECK(nx.size() == 22);
  std::set<std::string> codes, leagues;
  int border = 0;
  for (const auto& a : nmg.attrs) {
    CHECK(a.at("code").rfind("15", 0) == 0);
    codes.insert(a.at("code"));
    leagues.insert(a.at("league"));
    border += a.at("border") == "1";
  }
  CHECK(codes.size() == 103);
  CHECK(leagues.size() == 12);  // 9 cities + 3 leagues
  CHECK(border >= 15);
  CHECK(border <= 25);
  for (const auto& a : nx.attrs) CHECK(a.at("code").rfind("64", 0) == 0);
  // 阿巴嘎旗 is a border banner, 达拉特旗 is not
  for (const auto& a : nmg.attrs) {
    if (a.at("code") == "152522") CHECK(a.at("border") == "1");
    if (a.at("code") == "150621") CHECK(a.at("border") == "0");
  }
  const auto seats = test::read_layer(data_dir() / "nmg/nmg.gpkg", "seats");
  REQUIRE(seats.size() == 103);
  int inside = 0;
  for (core::FeatureId f = 0; f < 103; ++f)
    inside += core::feature_contains(nmg.geom, f, seats.geom.first_point(f));
  CHECK(inside >= 100);  // approximate seat points; a few may sit on a river boundary
}

TEST_CASE("every target quotes its plan verbatim", "[data]") {
  const fs::path seeds = test::source_dir() / "../shared/seeds";
  if (!fs::exists(seeds)) {
    KEPUMAP_SKIP("../shared/seeds absent: quotes not checked");
  }
  std::map<std::string, std::string> seed_text;
  for (const auto& e : fs::directory_iterator(seeds))
    seed_text[e.path().filename().string().substr(0, 3)] = strip_ws(slurp(e.path()));
  int checked = 0;
  for (const std::string key : {"abag", "dalad", "nmg", "ningxia"}) {
    std::istringstream in(slurp(data_dir() / key / "project.toml"));
    std::string line, seed;
    int targets = 0;
    while (std::getline(in, line)) {
      if (line == "[[target]]") ++targets;
      if (line.rfind("source = \"seed ", 0) == 0) seed = line.substr(15, 3);
      if (line.rfind("quote = \"", 0) == 0) {
        std::string quote = line.substr(9, line.size() - 10);
        INFO(key << " seed " << seed << ": " << quote);
        REQUIRE(seed_text.count(seed) == 1);
        CHECK(seed_text[seed].find(strip_ws(quote)) != std::string::npos);
        ++checked;
      }
    }
    CHECK(targets >= 1);
  }
  CHECK(checked >= 14);
}

TEST_CASE("data/ stays under 25 MB", "[data]") {
  std::uintmax_t total = 0;
  for (const auto& e : fs::recursive_directory_iterator(data_dir()))
    if (e.is_regular_file()) total += e.file_size();
  CHECK(total < 25u * 1024 * 1024);
}

TEST_CASE("kepumap info reports no errors on each demo project", "[data][cli]") {
  const fs::path exe = test::binary_dir() / "src/app/kepumap";
  if (!fs::exists(exe)) {
    KEPUMAP_SKIP_INSTALLED("kepumap binary not built: CLI check skipped");
  }
  const std::string quoted = quote_arg(exe.string());
  const std::string help = quoted + " info --help > /dev/null 2>&1";
  if (std::system(help.c_str()) != 0) {
    KEPUMAP_SKIP_INSTALLED("kepumap has no info verb: CLI check skipped");
  }
  for (const std::string key : {"abag", "dalad", "nmg", "ningxia"}) {
    const fs::path err = fs::temp_directory_path() / ("kepumap_info_" + key + ".err");
    std::string cmd = quoted;
    cmd += " info ";
    cmd += quote_arg((data_dir() / key / "project.toml").string());
    cmd += " > /dev/null 2> ";
    cmd += quote_arg(err.string());
    const int rc = std::system(cmd.c_str());
    INFO(key << ": " << slurp(err));
    CHECK(rc == 0);
    CHECK(slurp(err).find("error") == std::string::npos);
    fs::remove(err);
  }
}

TEST_CASE("the demo road networks are connected through shared vertices", "[data]") {
  for (const std::string key : {"abag", "dalad"}) {
    INFO(key);
    const auto roads = test::read_layer(data_dir() / key / (key + ".gpkg"), "roads");
    const auto& g = roads.geom;
    // union-find over coordinates; vertices at the same place (1e-9 degree) are one node
    std::map<std::pair<long long, long long>, std::size_t> node_of;
    std::vector<std::size_t> parent;
    auto find = [&](std::size_t a) {
      while (parent[a] != a) a = parent[a] = parent[parent[a]];
      return a;
    };
    auto node = [&](core::Vec2 p) {
      const auto k = std::make_pair(std::llround(p.x * 1e9), std::llround(p.y * 1e9));
      const auto it = node_of.find(k);
      if (it != node_of.end()) return it->second;
      parent.push_back(parent.size());
      node_of[k] = parent.size() - 1;
      return parent.size() - 1;
    };
    for (std::uint32_t r = 0; r < g.ring_count(); ++r) {
      const auto pts = g.ring(r);
      for (std::size_t i = 1; i < pts.size(); ++i) {
        const auto a = node(pts[i - 1]), b = node(pts[i]);
        parent[find(a)] = find(b);
      }
    }
    std::set<std::size_t> parts_roots;
    for (std::uint32_t r = 0; r < g.ring_count(); ++r) parts_roots.insert(find(node(g.ring(r)[0])));
    CHECK(parts_roots.size() == 1);
  }
}

TEST_CASE("data/README.md carries the attribution lines of SOURCES.md verbatim", "[data]") {
  if (!test::have_shared_data()) {
    KEPUMAP_SKIP("../shared/data absent: attribution not compared");
  }
  const std::string readme = slurp(data_dir() / "README.md");
  std::istringstream in(slurp(test::shared_data() / "SOURCES.md"));
  std::string line;
  int rows = 0;
  while (std::getline(in, line)) {
    if (line.rfind("| `boundaries/", 0) == 0 || line.rfind("| `admin/", 0) == 0 ||
        line.rfind("| `borders/", 0) == 0 || line.rfind("| `physical/", 0) == 0) {
      INFO(line);
      CHECK(readme.find(line) != std::string::npos);
      ++rows;
    }
  }
  CHECK(rows == 8);
  CHECK(readme.find("GSHHG/WDBII (c) The GMT Team, LGPL-3.0-or-later") != std::string::npos);
  CHECK(readme.find("synthetic = 1") != std::string::npos);
  CHECK(readme.find("GCJ-02") != std::string::npos);
}

TEST_CASE("the real lakes, rivers and border: role water or border, synthetic = 0, attributed, near the area",
          "[data]") {
  struct Want {
    const char* key;
    std::vector<std::string> water;  // layers with role water
    bool border;
  };
  for (const Want& w :
       {Want{"abag", {"lakes", "rivers"}, true}, Want{"dalad", {"rivers"}, false},
        Want{"nmg", {"lakes", "rivers"}, true}, Want{"ningxia", {"lakes", "rivers"}, false}}) {
    INFO(w.key);
    const auto gpkg = data_dir() / w.key / (std::string(w.key) + ".gpkg");
    const std::string toml = strip_ws(slurp(data_dir() / w.key / "project.toml"));
    const auto area = test::read_layer(
        gpkg, std::string(w.key) == "abag" || std::string(w.key) == "dalad" ? "banner" : "counties");
    const auto box = area.geom.bbox();
    // The [[layer]] entry named `name` says role = `role` (a `title` line may stand between).
    auto entry_role = [&](const std::string& name, const std::string& role) {
      const auto at = toml.find("name=\"" + name + "\"");
      if (at == std::string::npos) return false;
      const auto end = toml.find("[[layer]]", at);
      const auto r = toml.find("role=\"" + role + "\"", at);
      return r != std::string::npos && (end == std::string::npos || r < end);
    };
    for (const auto& name : w.water) {
      INFO(name);
      CHECK(entry_role(name, "water"));
      const auto L = test::read_layer(gpkg, name);
      REQUIRE(L.size() > 0);
      for (const auto& a : L.attrs) {
        CHECK(a.at("synthetic") == "0");
        CHECK(a.at("source").find("GSHHG/WDBII (c) The GMT Team, LGPL-3.0-or-later") != std::string::npos);
      }
      // cut to the study area + 30 km: 0.27 degrees of latitude, under 0.5 of longitude below 54N
      const auto b = L.geom.bbox();
      CHECK(b.min_x > box.min_x - 0.5);
      CHECK(b.max_x < box.max_x + 0.5);
      CHECK(b.min_y > box.min_y - 0.3);
      CHECK(b.max_y < box.max_y + 0.3);
    }
    const auto names = test::layer_names(gpkg);
    CHECK((std::find(names.begin(), names.end(), "border") != names.end()) == w.border);
    if (w.border) {
      const auto border = test::read_layer(gpkg, "border");
      REQUIRE(border.size() == 1);
      CHECK(border.attrs[0].at("source").find("WDBII") != std::string::npos);
    }
    // Layers of real water that are not barriers are drawn as `other`.
    for (const char* other : {"dried_basins", "intermittent_rivers"})
      if (std::find(names.begin(), names.end(), other) != names.end()) CHECK(entry_role(other, "other"));
  }
}

TEST_CASE("abag: the WDBII border runs 175 km within 2 km of the outline, the public length",
          "[data][abag]") {
  const auto gpkg = data_dir() / "abag/abag.gpkg";
  const auto banner = test::read_layer(gpkg, "banner");
  const auto border = test::read_layer(gpkg, "border");
  const std::string crs = geo::analysis_crs_for(banner.geom.bbox());
  const geo::Transform tf("EPSG:4326", crs);
  auto to_m = [&](core::Geometries g) {
    for (auto& p : g.coords) p = tf.apply(p);
    return g;
  };
  const auto near = geo::clip(to_m(border.geom), geo::buffer(to_m(banner.geom), 2000));
  REQUIRE(near.has_geometry(0));
  CHECK(core::feature_length(near, 0) / 1000 == Approx(175).margin(5));
  // The dried west basin of 查干淖尔 is drawn but is not water.
  const auto dried = test::read_layer(gpkg, "dried_basins");
  REQUIRE(dried.size() == 1);
  CHECK(dried.attrs[0].at("note").find("查干淖尔") != std::string::npos);
}
