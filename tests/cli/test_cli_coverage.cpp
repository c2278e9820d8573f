// kepumap coverage on the demo projects: real outputs checked for totals, consistency between
// levels, the winter scenario never covering more, and bad arguments.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <sstream>

#include "cli_run.hpp"
#include "io/project.hpp"

using namespace kepumap;
using test::run_kepumap;
using test::shell_quote;

namespace {

using Csv = std::vector<std::vector<std::string>>;

Csv read_csv(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::string line;
  Csv rows;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (rows.empty() && line.rfind("\xEF\xBB\xBF", 0) == 0) line = line.substr(3);
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) cells.push_back(cell);
    if (!line.empty() && line.back() == ',') cells.emplace_back();
    rows.push_back(cells);
  }
  return rows;
}

int col(const Csv& t, const std::string& header) {
  for (std::size_t i = 0; i < t[0].size(); ++i)
    if (t[0][i] == header) return static_cast<int>(i);
  FAIL("no column " << header);
  return -1;
}

std::filesystem::path out_dir(const std::string& name) {
  const auto d = std::filesystem::temp_directory_path() / ("kepumap-cov-" + name);
  std::filesystem::remove_all(d);
  return d;
}

}  // namespace

TEST_CASE("cli coverage: 阿巴嘎旗 totals, levels and outputs", "[cli][coverage]") {
  const auto dir = out_dir("abag");
  const auto r =
      run_kepumap("coverage " + shell_quote((test::source_dir() / "data/abag/project.toml").string()) +
                  " -o " + shell_quote(dir.string()));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("38589") != std::string::npos);

  const Csv v = read_csv(dir / "coverage_village.csv");
  const Csv t = read_csv(dir / "coverage_township.csv");
  const Csv b = read_csv(dir / "coverage_banner.csv");
  REQUIRE(v.size() == 76);  // header + 75 village-level units
  REQUIRE(t.size() == 8);   // header + 7 towns and sums
  REQUIRE(b.size() == 2);
  // Every person counted once: villages sum to the census total, townships to their villages.
  double vsum = 0;
  std::map<std::string, double> by_township;
  std::map<std::string, int> villages_in;
  const int vp = col(v, "人口"), vparent = col(v, "上级"), vshare = col(v, "科技馆 覆盖率"),
            vany = col(v, "任一覆盖率");
  for (std::size_t i = 1; i < v.size(); ++i) {
    vsum += std::stod(v[i][vp]);
    by_township[v[i][vparent]] += std::stod(v[i][vp]);
    ++villages_in[v[i][vparent]];
    const double s = std::stod(v[i][vshare]), any = std::stod(v[i][vany]);
    CHECK(s >= 0.0);
    CHECK(s <= 1.0);
    CHECK(any >= s - 1e-9);  // covered by any kind is at least covered by the museum
  }
  CHECK(vsum == Approx(38589).margin(0.5 * 75));
  const int tp = col(t, "人口");
  // The tables print whole people, so a sum of rounded villages may differ by ½ per village.
  for (std::size_t i = 1; i < t.size(); ++i)
    CHECK(std::stod(t[i][tp]) == Approx(by_township[t[i][0]]).margin(0.5 * villages_in[t[i][0]] + 0.5));
  CHECK(std::stod(b[1][col(b, "人口")]) == Approx(38589).margin(1));

  // The GeoPackage holds the unit polygons with their figures and the rasters.
  const core::Document gp = io::load_data_file((dir / "coverage.gpkg").string());
  std::map<std::string, std::size_t> counts;
  for (const auto& l : gp.layers) counts[l.name] = l.geom.feature_count();
  CHECK(counts["coverage_village"] == 75);
  CHECK(counts["coverage_township"] == 7);
  CHECK(std::filesystem::file_size(dir / "coverage.xlsx") > 2000);
  const Csv targets = read_csv(dir / "targets.csv");
  CHECK(targets.size() > 3);
}

TEST_CASE("cli coverage: the winter scenario never covers more people than the base", "[cli][coverage]") {
  const std::string project = shell_quote((test::source_dir() / "data/abag/project.toml").string());
  const auto base_dir = out_dir("base"), winter_dir = out_dir("winter");
  REQUIRE(run_kepumap("coverage " + project + " -o " + shell_quote(base_dir.string())).exit_code == 0);
  const auto w = run_kepumap("coverage " + project + " --scenario winter --lang en -o " +
                             shell_quote(winter_dir.string()));
  INFO(w.err);
  REQUIRE(w.exit_code == 0);
  const Csv base = read_csv(base_dir / "coverage_village.csv");
  const Csv winter = read_csv(winter_dir / "coverage_village.csv");
  REQUIRE(base.size() == winter.size());
  const int bc = col(base, "科技馆 覆盖人口"), wc = col(winter, "museum covered");
  const int bm = col(base, "科技馆 平均时间(分)"), wm = col(winter, "museum mean min");
  double bsum = 0, wsum = 0;
  for (std::size_t i = 1; i < base.size(); ++i) {
    CHECK(base[i][0] == winter[i][0]);
    CHECK(std::stod(winter[i][wc]) <= std::stod(base[i][bc]) + 0.5);
    if (!base[i][bm].empty() && !winter[i][wm].empty())
      CHECK(std::stod(winter[i][wm]) >= std::stod(base[i][bm]) - 0.05);
    bsum += std::stod(base[i][bc]);
    wsum += std::stod(winter[i][wc]);
  }
  CHECK(wsum < bsum);  // snow slows travel: fewer people within 90 minutes
}

TEST_CASE("cli coverage: bad arguments exit 2 with one clear line", "[cli][coverage][bad]") {
  const std::string project = shell_quote((test::source_dir() / "data/abag/project.toml").string());
  auto r = run_kepumap("coverage " + project);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("-o DIR") != std::string::npos);
  r = run_kepumap("coverage " + project + " --scenario summerx -o " + shell_quote(out_dir("bad").string()));
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("no scenario named 'summerx'") != std::string::npos);
  CHECK(r.err.find("winter") != std::string::npos);
  r = run_kepumap("coverage /nonexistent/project.toml -o " + shell_quote(out_dir("bad2").string()));
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("/nonexistent/project.toml") != std::string::npos);
}
