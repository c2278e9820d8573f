// The app's siting panel under Xvfb + llvmpipe: the same objective, chosen sites and coverage
// before/after as `kepumap site project.toml`, in Chinese and English, and one-line script errors.
// Reads the UI strings the app dumps with --dump-state.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gui_harness.hpp"
#include "test_paths.hpp"

namespace fs = std::filesystem;
using namespace kepumap;

const char* kepumap::test::gui::gui_scratch_tag() { return "siting"; }

namespace {

using namespace kepumap::test::gui;

/// What follows `key` in the one UI string that starts with it ("" if none or several).
std::string ui_after(const std::vector<std::string>& text, const std::string& key) {
  std::string found;
  int n = 0;
  for (const auto& s : text)
    if (s.rfind(key, 0) == 0) {
      found = s.substr(key.size());
      ++n;
    }
  return n == 1 ? found : std::string();
}

/// The rest of the first stdout line containing `key`, after `key`.
std::string cli_after(const std::string& out, const std::string& key) {
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line))
    if (auto p = line.find(key); p != std::string::npos) return line.substr(p + key.size());
  return {};
}

std::string run_cli(const std::string& args, const std::string& out_dir) {
  return capture("cd '" + test::source_dir().string() + "' && '" + kepumap_bin() +
                 "' site data/abag/project.toml " + args + " -o '" + (work() / out_dir).string() + "'");
}

}  // namespace

TEST_CASE("siting panel: MCLP p=2 gives what `kepumap site --problem mclp --p 2` prints", "[gui][siting]") {
  if (!can_run()) return;
  const std::string cli = run_cli("--problem mclp --p 2", "cli_mclp");
  const std::string objective = cli_after(cli, "objective: ");
  const std::string bound = cli_after(cli, "界 bound: ");
  const std::string chosen = cli_after(cli, "chosen sites (");
  const std::string cov = cli_after(cli, "覆盖率 coverage education_base: ");
  INFO(cli);
  REQUIRE(!objective.empty());
  REQUIRE(chosen.rfind("2): ", 0) == 0);
  REQUIRE(!cov.empty());
  REQUIRE(run_app("mclp", "siting open\nsiting run mclp 2\nsiting wait\n") == 0);
  const auto text = ui_text("mclp");
  CHECK(ui_after(text, "目标值: ") == objective);
  // the CLI prints "56830.162 (上界 upper)"; the panel the number alone
  CHECK(bound.rfind(ui_after(text, "界: ") + " (", 0) == 0);
  CHECK(ui_after(text, "选址 (") == chosen);
  CHECK(ui_after(text, "覆盖率 科普教育基地: ") == cov);
  // status and method in Chinese too
  CHECK(ui_after(text, "状态: ").rfind("完成", 0) == 0);
  CHECK(ui_after(text, "方法: ") == "贪心 (CELF) + 快速交换；拉格朗日上界");
  // the marginal table lists both chosen sites
  const std::string names = chosen.substr(4);
  const std::string first = names.substr(0, names.find(' '));
  CHECK(std::count(text.begin(), text.end(), first) >= 1);
}

TEST_CASE("siting panel: p-median in English matches the CLI - a bad command is one line and exit 2",
          "[gui][siting]") {
  if (!can_run()) return;
  const std::string cli = run_cli("--problem pmedian --p 1 --facility museum", "cli_pmed");
  const std::string objective = cli_after(cli, "objective: ");
  const std::string chosen = cli_after(cli, "chosen sites (");
  INFO(cli);
  REQUIRE(!objective.empty());
  REQUIRE(run_app("pmed", "set_language en\nsiting open\nsiting run pmedian 1 museum\nsiting wait\n") == 0);
  const auto text = ui_text("pmed");
  CHECK(ui_after(text, "Objective: ") == objective);
  CHECK(ui_after(text, "Chosen sites (") == chosen);
  CHECK(!ui_after(text, "Coverage Science museum: ").empty());
  CHECK(ui_after(text, "Status: ").rfind("ok", 0) == 0);
  CHECK(ui_after(text, "Method: ") == "greedy (CELF) + fast interchange; Lagrangian lower bound");

  CHECK(run_app("bad", "siting run nonsense 2\n") == 2);
  const std::string err = slurp(work() / "bad.err");
  CHECK(err.find("unknown problem 'nonsense'") != std::string::npos);
  CHECK(run_app("bad_facility", "siting run mclp 1 no_such_kind\n") == 2);
  CHECK(slurp(work() / "bad_facility.err").find("no_such_kind") != std::string::npos);
}

TEST_CASE("siting panel: Cancel stops a long run and says so", "[gui][siting]") {
  if (!can_run()) return;
  // 20 sites on a 1 km grid (about 27,000 candidates) runs for minutes; the cancel arrives one
  // frame after the start, while the project is still being evaluated.
  REQUIRE(
      run_app("cancel",
              "siting open\nsiting run pmedian 20 education_base grid:1000\nsiting cancel\nsiting wait\n") ==
      0);
  const auto text = ui_text("cancel");
  CHECK(std::count(text.begin(), text.end(), std::string("已取消")) == 1);
  CHECK(ui_after(text, "目标值: ").empty());
}

TEST_CASE("siting panel: accepting MCLP p=2 puts the sites into the what-if scenario", "[gui][siting]") {
  if (!can_run()) return;
  const std::string cli = run_cli("--problem mclp --p 2", "cli_accept");
  const std::string cov = cli_after(cli, "覆盖率 coverage education_base: ");  // "75.4 % -> 86.6 %"
  INFO(cli);
  REQUIRE(cov.find(" -> ") != std::string::npos);
  const std::string before = cov.substr(0, cov.find(" -> ")), after = cov.substr(cov.find(" -> ") + 4);
  REQUIRE(before != after);
  const std::string run = "siting open\nsiting run mclp 2\nsiting wait\nsiting accept\nanalysis wait\n";
  REQUIRE(run_app("accept", run) == 0);
  auto text = ui_text("accept");
  // the coverage panel's line for the type, after the two "add" edits, equals the command's "after"
  CHECK(ui_after(text, "科普教育基地: ").rfind(after + " · ", 0) == 0);
  CHECK(!ui_after(text, "已加入当前情景").empty());
  // the accepted sites are one edit: one undo gives the coverage before, and the panel no longer
  // says they were added
  REQUIRE(run_app("accept_undo", run + "analysis undo\n") == 0);
  text = ui_text("accept_undo");
  CHECK(ui_after(text, "科普教育基地: ").rfind(before + " · ", 0) == 0);
  CHECK(std::none_of(text.begin(), text.end(),
                     [](const std::string& s) { return s.find("已加入当前情景") != std::string::npos; }));
}

TEST_CASE("siting panel: the chosen sites are on the map while it is open and gone when it is closed",
          "[gui][siting]") {
  if (!can_run()) return;
  REQUIRE(run_app("sites_open", "siting open\nsiting run mclp 3\nsiting wait\nwait 2\n") == 0);
  const std::string open = slurp(work() / "sites_open.json");
  CHECK(open.find("\"map_sites\": 3,") != std::string::npos);
  // closed without accepting: the discs go with the panel
  REQUIRE(run_app("sites_closed", "siting open\nsiting run mclp 3\nsiting wait\nsiting close\nwait 2\n") ==
          0);
  const std::string closed = slurp(work() / "sites_closed.json");
  CHECK(closed.find("\"map_sites\": 0,") != std::string::npos);
}
