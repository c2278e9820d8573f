// kepumap site: OR-Library and matrix CSV instances (objective, bound, gap, sites), bad input as
// one line with exit 2, an unreachable LSCP target as exit 1, and the project mode on the
// 阿巴嘎旗 demo (outputs written, coverage never drops, marginal gains add up).
#include <catch2/catch.hpp>

#include <unistd.h>
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

/// A per-process temporary path: other build trees may run these tests at the same time.
std::filesystem::path temp_path(const std::string& name) {
  return std::filesystem::temp_directory_path() / (std::to_string(::getpid()) + "-" + name);
}

std::filesystem::path write_temp(const std::string& name, const std::string& text) {
  const auto p = temp_path(name);
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

std::size_t lines(const std::string& s) {
  std::size_t n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

}  // namespace

TEST_CASE("cli site: OR-Library pmed1 reaches the optimum with its bound", "[cli][site]") {
  if (!test::have_shared_data()) {
    KEPUMAP_SKIP("shared data absent: skipping");
  }
  const auto r =
      run_kepumap("site --orlib " + shell_quote((test::shared_data() / "bench/orlib/pmed1.txt").string()));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(number_after(r.out, "objective: ") == 5819);
  CHECK(number_after(r.out, "bound: ") <= 5819);
  CHECK(number_after(r.out, "gap: ") >= 0.0);
  CHECK(number_after(r.out, "chosen sites (") == 5);
}

TEST_CASE("cli site: matrix CSV, MCLP and LSCP with the marginal table", "[cli][site]") {
  const auto csv = write_temp("kepumap-site-t.csv",
                              "demand,population,priority,A,B,C\n"
                              "g1,120,1.5,600,,1800\n"
                              "g2,80,1,-,900,300\n"
                              "g3,50,2,4000,5000,\n");
  const auto out = temp_path("kepumap-site-marginal.csv");
  std::filesystem::remove(out);
  const auto m = run_kepumap("site --matrix " + shell_quote(csv.string()) +
                             " --problem mclp --p 2 --standard 1000 --out " + shell_quote(out.string()));
  INFO(m.out << m.err);
  REQUIRE(m.exit_code == 0);
  // A (g1: 120 x 1.5) and B or C (g2: 80 x 1): 260 weighted people; g3 is out of reach.
  CHECK(number_after(m.out, "objective: ") == 260);
  CHECK(m.out.find("g3") != std::string::npos);
  const std::string table = slurp(out);
  CHECK(table.rfind("rank,site,added_people", 0) == 0);
  CHECK(lines(table) == 3);  // header + 2 sites
  // LSCP for everyone: g3 cannot be covered, so the target is missed (exit 1) and g3 is named.
  const auto l =
      run_kepumap("site --matrix " + shell_quote(csv.string()) + " --problem lscp --standard 1000");
  INFO(l.out << l.err);
  CHECK(l.exit_code == 1);
  CHECK(l.out.find("g3") != std::string::npos);
  CHECK(l.out.find("4000") != std::string::npos);  // its best time
}

TEST_CASE("cli site: an @capacity row works without --exact and the people served are capacitated",
          "[cli][site]") {
  // g1 (100) reaches A only, g2 (60) both, g3 (60) B only; A takes 100 people. Without the row A
  // would cover 160 people; with it B (120 people) is the best single site.
  const auto csv = write_temp("kepumap-site-cap.csv",
                              "demand,population,A,B\n"
                              "g1,100,300,\n"
                              "g2,60,300,300\n"
                              "g3,60,,300\n"
                              "@capacity,,100,200\n");
  const auto out = temp_path("kepumap-site-cap-marginal.csv");
  std::filesystem::remove(out);
  const auto m = run_kepumap("site --matrix " + shell_quote(csv.string()) +
                             " --problem mclp --p 1 --standard 600 --out " + shell_quote(out.string()));
  INFO(m.out << m.err);
  REQUIRE(m.exit_code == 0);
  CHECK(number_after(m.out, "objective: ") == 120);
  CHECK(number_after(m.out, "界 bound: ") >= 120);
  CHECK(m.out.find("capacitated assignment") != std::string::npos);
  CHECK(m.out.find("chosen sites (1): B") != std::string::npos);
  CHECK(number_after(m.out, "and capacity: 0 -> ") == 120);
  const std::string table = slurp(out);
  CHECK(table.find("1,B,120,120,120") != std::string::npos);
  // The same with --exact agrees.
  const auto x = run_kepumap("site --matrix " + shell_quote(csv.string()) +
                             " --problem mclp --p 1 --standard 600 --exact");
  INFO(x.out << x.err);
  REQUIRE(x.exit_code == 0);
  CHECK(number_after(x.out, "objective: ") == 120);
  CHECK(number_after(x.out, "and capacity: 0 -> ") == 120);
  // p-median takes the row too; LSCP has no capacitated model and says so (exit 2).
  const auto pm = run_kepumap("site --matrix " + shell_quote(csv.string()) + " --problem pmedian --p 2");
  INFO(pm.out << pm.err);
  CHECK(pm.exit_code == 0);
  CHECK(number_after(pm.out, "objective: ") == 220 * 300);
  const auto l = run_kepumap("site --matrix " + shell_quote(csv.string()) + " --problem lscp --standard 600");
  CHECK(l.exit_code == 2);
  CHECK(l.err.find("capacities apply to mclp and pmedian only") != std::string::npos);
  CHECK(lines(l.err) == 1);
}

TEST_CASE("cli site: bad input gives one line and exit 2", "[cli][site]") {
  const auto bad = write_temp("kepumap-site-bad.csv", "demand,population,A\nd1,ten,5\n");
  const auto r = run_kepumap("site --matrix " + shell_quote(bad.string()));
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("kepumap-site-bad.csv:2") != std::string::npos);
  CHECK(lines(r.err) == 1);
  const auto orl = write_temp("kepumap-site-bad.txt", "3 2 1\n1 2 5\n");
  const auto o = run_kepumap("site --orlib " + shell_quote(orl.string()));
  CHECK(o.exit_code == 2);
  CHECK(o.err.find("announces 2 edges") != std::string::npos);
  CHECK(run_kepumap("site --matrix " + shell_quote(bad.string()) + " --problem nonsense").exit_code == 2);
  CHECK(run_kepumap("site --orlib /nonexistent/pmed.txt").exit_code == 2);
  const auto m = run_kepumap("site --orlib " + shell_quote(orl.string()) + " --problem mclp");
  CHECK(m.exit_code == 2);
}

TEST_CASE("cli site: project mode on the Abag demo writes sites and before/after coverage",
          "[cli][site][project]") {
  const auto project = test::source_dir() / "data/abag/project.toml";
  if (!std::filesystem::exists(project)) {
    KEPUMAP_SKIP_INSTALLED("demo project absent: skipping");
  }
  const auto dir = temp_path("kepumap-site-abag");
  std::filesystem::remove_all(dir);
  const auto r = run_kepumap("site " + shell_quote(project.string()) + " --problem mclp --p 2 -o " +
                             shell_quote(dir.string()));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(number_after(r.out, "chosen sites (") == 2);
  CHECK(number_after(r.out, "gap: ") >= 0.0);
  REQUIRE(std::filesystem::exists(dir / "sites.gpkg"));
  const std::string sites = slurp(dir / "sites.csv");
  CHECK(lines(sites) == 3);
  const std::string cov = slurp(dir / "coverage_before_after.csv");
  // UTF-8 with BOM and Chinese headers, for Excel on Chinese Windows.
  REQUIRE(cov.rfind("\xEF\xBB\xBF层级,单元,代码,人口,选址前覆盖人口,选址后覆盖人口", 0) == 0);
  CHECK(sites.rfind("\xEF\xBB\xBF顺序,名称,经度,纬度", 0) == 0);
  // Every unit: coverage after >= before (sites are only added).
  std::istringstream in(cov);
  std::string line;
  std::getline(in, line);
  int rows = 0;
  while (std::getline(in, line)) {
    std::vector<std::string> c;
    std::stringstream ls(line);
    std::string cell;
    while (std::getline(ls, cell, ',')) c.push_back(cell);
    REQUIRE(c.size() == 8);
    CHECK(std::stod(c[5]) >= std::stod(c[4]) - 0.5);
    ++rows;
  }
  CHECK(rows >= 2);
  std::filesystem::remove_all(dir);
  // Bad arguments in project mode: unknown facility kind, unknown candidate layer.
  CHECK(run_kepumap("site " + shell_quote(project.string()) + " --facility nothing -o " +
                    shell_quote(dir.string()))
            .exit_code == 2);
  CHECK(run_kepumap("site " + shell_quote(project.string()) + " --candidates nolayer -o " +
                    shell_quote(dir.string()))
            .exit_code == 2);
}
