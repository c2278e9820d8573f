// kepumap check: the demo targets, their verdicts and the exit code.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "cli_run.hpp"

using namespace kepumap;
using test::run_kepumap;
using test::shell_quote;

TEST_CASE("cli check: 阿巴嘎旗 targets are listed with failing units and exit 1", "[cli][check]") {
  const auto r =
      run_kepumap("check " + shell_quote((test::source_dir() / "data/abag/project.toml").string()));
  INFO(r.err);
  CHECK(r.exit_code == 1);
  // Seed 000 asks for 2 autonomous-region-level bases; the demo has one.
  CHECK(r.out.find("region_education_bases") != std::string::npos);
  CHECK(r.out.find("全旗建设自治区级科普教育基地2个以上") != std::string::npos);
  CHECK(r.out.find("value 1.000") != std::string::npos);
  // Expert tours have no data in the demo: every township fails, all seven named.
  CHECK(r.out.find("未达标单元 7/7") != std::string::npos);
  CHECK(r.out.find("那仁宝拉格苏木") != std::string::npos);
}

TEST_CASE("cli check: English verdicts, and a missing project exits 2", "[cli][check]") {
  const auto r = run_kepumap(
      "check " + shell_quote((test::source_dir() / "data/abag/project.toml").string()) + " --lang en");
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("FAIL") != std::string::npos);
  CHECK(r.out.find("failing units") != std::string::npos);
  const auto bad = run_kepumap("check /nonexistent.toml");
  CHECK(bad.exit_code == 2);
  CHECK_FALSE(bad.err.empty());
}

TEST_CASE("cli check: an unknown metric or scope is one line naming the project line and target, exit 2",
          "[cli][check]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "kepumap-check-bad";
  fs::remove_all(dir);
  fs::copy(test::source_dir() / "data/abag", dir, fs::copy_options::recursive);
  std::string toml = test::slurp(dir / "project.toml");
  long line = 0;  // the project line of the replaced key
  auto with = [&](const std::string& from, const std::string& to) {
    std::string t = toml;
    const auto at = t.find(from);
    REQUIRE(at != std::string::npos);
    line = 1 + std::count(t.begin(), t.begin() + static_cast<long>(at), '\n');
    t.replace(at, from.size(), to);
    std::ofstream(dir / "bad.toml") << t;
    return run_kepumap("check " + shell_quote((dir / "bad.toml").string()));
  };
  const auto m = with("metric = \"facility_count\"", "metric = \"facility_cnt\"");
  INFO(m.err);
  CHECK(m.exit_code == 2);
  CHECK(std::count(m.err.begin(), m.err.end(), '\n') == 1);
  CHECK(m.err.find("bad.toml:" + std::to_string(line) + ": ") != std::string::npos);
  CHECK(m.err.find("target region_education_bases") != std::string::npos);
  CHECK(m.err.find("did you mean 'facility_count'") != std::string::npos);
  // `total` was once accepted as a scope; it is not one.
  const auto s = with("scope = \"every_township\"", "scope = \"total\"");
  INFO(s.err);
  CHECK(s.exit_code == 2);
  CHECK(s.err.find("'total' is not a valid scope") != std::string::npos);
  CHECK(s.out.empty());
}
