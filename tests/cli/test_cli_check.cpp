// kepumap check: the demo targets, their verdicts and the exit code.
#include <catch2/catch.hpp>

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
