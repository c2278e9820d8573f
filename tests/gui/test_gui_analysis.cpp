// The app's analysis panels under Xvfb + llvmpipe: coverage figures against `kepumap coverage`,
// what-if drags and standards with undo/redo, the targets dashboard and the export dialog
// against `kepumap report`. Reads the UI strings the app dumps with --dump-state.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/document.hpp"
#include "gui_harness.hpp"
#include "io/project.hpp"
#include "render/view.hpp"
#include "skip.hpp"
#include "test_paths.hpp"

namespace fs = std::filesystem;
using namespace kepumap;

const char* kepumap::test::gui::gui_scratch_tag() { return "analysis"; }

namespace {

using namespace kepumap::test::gui;

/// The one UI string containing `key` (empty if none or several).
std::string line_with(const std::vector<std::string>& text, const std::string& key) {
  std::string found;
  int n = 0;
  for (const auto& s : text)
    if (s.find(key) != std::string::npos) {
      found = s;
      ++n;
    }
  return n == 1 ? found : std::string();
}

/// "77.5 %" for the facility line of `kepumap coverage` ("  museum            77.5 %  (29917)").
std::string cli_share(const std::string& out, const std::string& facility) {
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream w(line);
    std::string key, pct;
    if (w >> key >> pct && key == facility) return pct + " %";
  }
  return {};
}

const std::string k_open = "analysis open coverage\nanalysis wait\n";

}  // namespace

TEST_CASE("the coverage panel shows the figures `kepumap coverage` prints", "[gui]") {
  if (!can_run()) return;
  std::string out = capture("cd '" + test::source_dir().string() + "' && '" + kepumap_bin() +
                            "' coverage data/abag/project.toml -o '" + (work() / "cli_cov").string() + "'");
  std::string museum = cli_share(out, "museum"), edu = cli_share(out, "education_base");
  REQUIRE(!museum.empty());
  REQUIRE(!edu.empty());
  REQUIRE(run_app("coverage", k_open + "analysis open units\n") == 0);
  auto text = ui_text("coverage");
  std::string m = line_with(text, "科技馆: ");
  INFO("museum line: " << m << "  cli: " << museum);
  CHECK(m.find("科技馆: " + museum) != std::string::npos);
  CHECK(line_with(text, "科普教育基地: ").find("科普教育基地: " + edu) != std::string::npos);
  CHECK(!line_with(text, "出行时间基尼系数: ").empty());
  // the township table lists the townships by name
  CHECK(std::count(text.begin(), text.end(), "别力古台镇") >= 1);
  // Chinese by default, English on request
  REQUIRE(run_app("coverage_en", "set_language en\n" + k_open) == 0);
  auto en = ui_text("coverage_en");
  CHECK(!line_with(en, "Science museum: " + museum).empty());
}

TEST_CASE("dragging an education base changes its figure and undo restores it exactly", "[gui]") {
  if (!can_run()) return;
  REQUIRE(run_app("base", k_open) == 0);
  REQUIRE(run_app("drag", k_open + "analysis mode move\nanalysis drag education_base 0 30000 -20000\n") == 0);
  REQUIRE(run_app("undo", k_open + "analysis drag education_base 0 30000 -20000\nanalysis undo\n") == 0);
  REQUIRE(run_app("redo",
                  k_open + "analysis drag education_base 0 30000 -20000\nanalysis undo\nanalysis redo\n") ==
          0);
  std::string base = line_with(ui_text("base"), "科普教育基地: ");
  std::string dragged = line_with(ui_text("drag"), "科普教育基地: ");
  std::string undone = line_with(ui_text("undo"), "科普教育基地: ");
  std::string redone = line_with(ui_text("redo"), "科普教育基地: ");
  INFO(base << "\n" << dragged << "\n" << undone << "\n" << redone);
  REQUIRE(!base.empty());
  REQUIRE(!dragged.empty());
  CHECK(dragged != base);
  CHECK(undone == base);
  CHECK(redone == dragged);
  // the museum figure does not depend on education bases
  CHECK(line_with(ui_text("drag"), "科技馆: ") == line_with(ui_text("base"), "科技馆: "));
  CHECK(!line_with(ui_text("drag"), "编辑: 1").empty());
}

TEST_CASE("a longer service standard never lowers coverage and undo restores it", "[gui]") {
  if (!can_run()) return;
  REQUIRE(run_app("base_std", k_open) == 0);
  REQUIRE(run_app("std", k_open + "analysis standard museum 240\n") == 0);
  REQUIRE(run_app("std_undo", k_open + "analysis standard museum 240\nanalysis undo\n") == 0);
  auto share = [](const std::string& line) {
    auto p = line.find(": ");
    return p == std::string::npos ? -1.0 : std::strtod(line.c_str() + p + 2, nullptr);
  };
  std::string base = line_with(ui_text("base_std"), "科技馆: ");
  std::string longer = line_with(ui_text("std"), "科技馆: ");
  INFO(base << "\n" << longer);
  CHECK(share(longer) >= share(base));
  CHECK(longer.find("240") != std::string::npos);
  CHECK(line_with(ui_text("std_undo"), "科技馆: ") == base);
  // a deleted education base lowers (never raises) its coverage; undo restores it
  REQUIRE(run_app("del", k_open + "analysis delete education_base 0\n") == 0);
  REQUIRE(run_app("del_undo", k_open + "analysis delete education_base 0\nanalysis undo\n") == 0);
  std::string ebase = line_with(ui_text("base_std"), "科普教育基地: ");
  CHECK(share(line_with(ui_text("del"), "科普教育基地: ")) <= share(ebase));
  CHECK(line_with(ui_text("del_undo"), "科普教育基地: ") == ebase);
  // an unknown facility type is a script error naming the line (exit 2)
  CHECK(run_app("bad", k_open + "analysis drag no_such_type 0 1 1\n") == 2);
  CHECK(slurp(work() / "bad.err").find("bad.txt:3") != std::string::npos);
}

TEST_CASE("the targets dashboard lists the project's targets and highlights failing units", "[gui]") {
  if (!can_run()) return;
  REQUIRE(run_app("targets",
                  "analysis open targets\nanalysis wait\nanalysis target expert_tour_every_soum\n") == 0);
  auto text = ui_text("targets");
  for (const char* id :
       {"region_education_bases", "expert_tour_every_soum", "caravan_every_soum", "education_base_coverage"})
    CHECK(!line_with(text, std::string(id) + "  ").empty());
  // the failing count on the target's row equals the units highlighted on the map
  std::string row = line_with(text, "expert_tour_every_soum  ");
  auto p = row.find("未达标单位 ");
  REQUIRE(p != std::string::npos);
  int failing = std::atoi(row.c_str() + p + std::string("未达标单位 ").size());
  CHECK(failing > 0);
  CHECK(!line_with(text, "地图上已突出显示未达标单位: " + std::to_string(failing)).empty());
}

TEST_CASE("the export dialog writes what `kepumap report` writes", "[gui]") {
  if (!can_run()) return;
  fs::path dir = work() / "export", cli = work() / "cli_report";
  REQUIRE(run_app("export",
                  "analysis open export\nanalysis wait\nanalysis export " + dir.string() + " zh a4\n") == 0);
  REQUIRE(fs::exists(dir / "report.pdf"));
  CHECK(slurp(dir / "report.pdf").rfind("%PDF", 0) == 0);
  CHECK(!line_with(ui_text("export"), (dir / "report.pdf").string()).empty());
  std::string out = capture("cd '" + test::source_dir().string() + "' && '" + kepumap_bin() +
                            "' report data/abag/project.toml -o '" + cli.string() + "' 2>/dev/null");
  REQUIRE(fs::exists(cli / "report.pdf"));
  std::set<std::string> a, b;
  for (const auto& e : fs::directory_iterator(dir)) a.insert(e.path().filename().string());
  for (const auto& e : fs::directory_iterator(cli)) b.insert(e.path().filename().string());
  CHECK(a == b);
  // same page count as the command line's report
  std::string pa = capture("pdfinfo '" + (dir / "report.pdf").string() + "' 2>/dev/null | grep Pages");
  std::string pb = capture("pdfinfo '" + (cli / "report.pdf").string() + "' 2>/dev/null | grep Pages");
  CHECK(pa == pb);
  // a folder that cannot be written is a one-line error, exit 2
  CHECK(run_app("export_bad", "analysis wait\nanalysis export /proc/kepumap-no\n") == 2);
  CHECK(slurp(work() / "export_bad.err").find("analysis export") != std::string::npos);
}

namespace {}  // namespace

TEST_CASE(
    "real mouse: in move mode a press on an education base drags it without panning and Ctrl+Z Ctrl+Y work",
    "[gui]") {
  if (!can_run()) return;
  if (std::system("command -v xdotool >/dev/null 2>&1") != 0) {
    KEPUMAP_SKIP_INSTALLED("xdotool not installed (Debian package xdotool): skipped");
  }
  const std::string script = "close_panel layers\nclose_panel inspector\nclose_panel legend\n" + k_open +
                             "analysis mode move\npan 300 0\nwait 2\n";
  REQUIRE(run_app("mouse_before", script) == 0);
  render::View view = dumped_view("mouse_before");
  REQUIRE(view.m_per_px > 0);
  // an education base on the free part of the map (right of the coverage panel)
  core::Document doc = io::load_project(test::source_dir() / "data/abag/project.toml");
  core::Vec2 at{-1, -1};
  for (const auto& l : doc.layers)
    if (l.role == core::Role::EducationBase && !l.is_raster)
      for (const auto& c : l.geom.coords) {
        core::Vec2 s = view.to_screen(c);
        if (at.x < 0 && s.x > 830 && s.x < 1200 && s.y > 120 && s.y < 700) at = s;
      }
  REQUIRE(at.x > 0);
  fs::path dir = work();
  fs::remove(dir / "mouse.json");
  // the screenshot is written once the evaluation is in (after `analysis wait`): the mouse waits for it
  fs::remove(dir / "mouse_ready.png");
  std::ofstream(dir / "mouse.txt") << script << "screenshot " << (dir / "mouse_ready.png").string() << "\n";
  std::string app = "cd '" + test::source_dir().string() + "' && XDG_CONFIG_HOME='" + (dir / "cfg").string() +
                    "' LIBGL_ALWAYS_SOFTWARE=1 DISPLAY=" + display().name + " '" + kepumap_bin() +
                    "' data/abag/project.toml --size 1280x800 --live-input --script '" +
                    (dir / "mouse.txt").string() + "' --dump-state '" + (dir / "mouse.json").string() + "'";
  REQUIRE(std::system(in_background(app, dir / "mouse.done").c_str()) == 0);
  auto px = [](double v) { return std::to_string(static_cast<int>(std::lround(v))); };
  // drag, Ctrl+Z, the same drag again (it replaces the undone one), Ctrl+Z, Ctrl+Y, Ctrl+Y (nothing
  // left to redo): one edit in effect only when both keys work (none: 2, undo only: 0, redo only: 2)
  const std::string drag = "mousemove --window $W " + px(at.x) + " " + px(at.y) +
                           " sleep 0.5 mousedown 1 sleep 0.2 "
                           "mousemove --window $W " +
                           px(at.x - 30) + " " + px(at.y + 20) +
                           " sleep 0.2 "
                           "mousemove --window $W " +
                           px(at.x - 60) + " " + px(at.y + 40) + " sleep 0.2 mouseup 1";
  std::string drive = "DISPLAY=" + display().name +
                      " sh -c 'W=$(xdotool search --sync --name kepumap | head -1) && i=0 && "
                      "while [ ! -f \"" +
                      (dir / "mouse_ready.png").string() +
                      "\" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done && sleep 0.5 && "
                      "xdotool " +
                      drag + " sleep 0.5 key ctrl+z sleep 0.5 " + drag +
                      " sleep 0.5 key ctrl+z sleep 0.5 key ctrl+y sleep 0.5 key ctrl+y sleep 0.5 key ctrl+q'";
  REQUIRE(std::system(drive.c_str()) == 0);
  REQUIRE(wait_for_file(dir / "mouse.done"));  // the app has quit and written its state
  REQUIRE(fs::exists(dir / "mouse.json"));
  auto before = ui_text("mouse_before"), after = ui_text("mouse");
  INFO(line_with(before, "科普教育基地: ") << "\n" << line_with(after, "科普教育基地: "));
  CHECK(line_with(after, "科普教育基地: ") != line_with(before, "科普教育基地: "));
  CHECK(!line_with(after, "编辑: 1 ").empty());  // see the key sequence above
  CHECK(!line_with(after, "已选: ").empty());
  render::View got = dumped_view("mouse");
  CHECK(got.center.x == Approx(view.center.x).margin(1e-6));
  CHECK(got.center.y == Approx(view.center.y).margin(1e-6));
}

TEST_CASE("what-if edits saved as a named scenario load back to the same figures", "[gui]") {
  if (!can_run()) return;
  fs::path file = work() / "abag.scenarios.toml";
  fs::remove(file);
  REQUIRE(run_app("save", k_open +
                              "analysis drag education_base 1 25000 15000\nanalysis standard museum 120\n"
                              "analysis delete education_base 0\nanalysis save 北部 " +
                              file.string() + "\n") == 0);
  REQUIRE(fs::exists(file));
  REQUIRE(run_app("load", k_open + "analysis load 北部 " + file.string() + "\n") == 0);
  REQUIRE(run_app("load_base", k_open) == 0);
  auto saved = ui_text("save"), loaded = ui_text("load"), base = ui_text("load_base");
  for (const char* key : {"科技馆: ", "科普教育基地: ", "任一服务覆盖: "}) {
    INFO(key);
    CHECK(!line_with(saved, key).empty());
    CHECK(line_with(loaded, key) == line_with(saved, key));
    CHECK(line_with(loaded, key) != line_with(base, key));
  }
  CHECK(!line_with(loaded, "已载入 '北部' (3 ").empty());
  // side by side: the data, the current edits and each saved scenario; the current edits stay
  REQUIRE(run_app("compare",
                  k_open + "analysis standard museum 30\nanalysis compare " + file.string() + "\n") == 0);
  REQUIRE(run_app("compare_ref", k_open + "analysis standard museum 30\n") == 0);
  auto cmp = ui_text("compare"), ref = ui_text("compare_ref");
  auto share_of = [](const std::string& line) {  // "科技馆: 63.5 % · ..." -> "63.5 %"
    auto p = line.find(": ");
    auto q = line.find(" %", p);
    return p == std::string::npos || q == std::string::npos ? std::string("?")
                                                            : line.substr(p + 2, q + 2 - p - 2);
  };
  CHECK(line_with(cmp, "北部: ").find("科普教育基地 " + share_of(line_with(saved, "科普教育基地: "))) !=
        std::string::npos);
  CHECK(line_with(cmp, "北部: ").find("任一服务覆盖 " + share_of(line_with(saved, "任一服务覆盖: "))) !=
        std::string::npos);
  CHECK(line_with(cmp, "数据: ").find("科技馆 " + share_of(line_with(base, "科技馆: "))) !=
        std::string::npos);
  CHECK(line_with(cmp, "当前: ").find("科技馆 " + share_of(line_with(ref, "科技馆: "))) != std::string::npos);
  CHECK(line_with(cmp, "科技馆: ") == line_with(ref, "科技馆: "));
  // the project's own files are untouched: no scenarios file was written beside it
  CHECK(!fs::exists(test::source_dir() / "data/abag/project.scenarios.toml"));
  // an unknown name and a damaged file are one-line errors (exit 2)
  CHECK(run_app("load_missing", k_open + "analysis load nosuch " + file.string() + "\n") == 2);
  CHECK(slurp(work() / "load_missing.err").find("nosuch") != std::string::npos);
  std::ofstream(work() / "bad.scenarios.toml") << "[[whatif]\nname = \n";
  CHECK(run_app("load_bad", k_open + "analysis load x " + (work() / "bad.scenarios.toml").string() + "\n") ==
        2);
  CHECK(slurp(work() / "load_bad.err").find("bad.scenarios.toml:1") != std::string::npos);
}

TEST_CASE("gui analysis: the travel-time map draws isochrones at 15, 30, 60 and 120 minutes",
          "[gui][analysis]") {
  if (!can_run()) return;
  REQUIRE(run_app("iso_on", k_open + "analysis time_map on\nwait 2\n") == 0);
  const auto on = ui_text("iso_on");
  for (const char* level : {"15 分钟", "30 分钟", "60 分钟", "120 分钟"})
    CHECK(std::count(on.begin(), on.end(), std::string(level)) == 1);
  REQUIRE(run_app("iso_off", k_open + "analysis time_map off\nwait 2\n") == 0);
  const auto off = ui_text("iso_off");
  CHECK(std::count(off.begin(), off.end(), std::string("60 分钟")) == 0);
}

TEST_CASE("gui analysis: the coverage panel shows the priority formula with its weights", "[gui][analysis]") {
  if (!can_run()) return;
  REQUIRE(run_app("priority", k_open) == 0);
  const auto zh = ui_text("priority");
  CHECK(!line_with(zh, "优先系数 = 1 + 1 × 牧区 + 1 × 边境带 (1 ≤ 50 km, 0.5 ≤ 100 km)").empty());
  REQUIRE(run_app("priority_en", "set_language en\n" + k_open) == 0);
  CHECK(!line_with(ui_text("priority_en"), "Priority = 1 + 1 × pastoral").empty());
}

namespace {

/// The number after `key` in `s` ("" if absent).
std::string word_after(const std::string& s, const std::string& key) {
  const auto at = s.find(key);
  if (at == std::string::npos) return {};
  std::istringstream in(s.substr(at + key.size()));
  std::string w;
  in >> w;
  return w;
}

}  // namespace

TEST_CASE(
    "gui analysis: the capacity and accessibility section shows what `kepumap access` prints and "
    "follows a drag",
    "[gui][analysis][access]") {
  if (!can_run()) return;
  const std::string cd =
      "cd '" + test::source_dir().string() + "' && '" + kepumap_bin() + "' access data/abag/project.toml ";
  const std::string cap_out =
      capture(cd + "--method capacity --facility education_base -o '" + (work() / "cli_cap").string() + "'");
  const std::string e2_out =
      capture(cd + "--method e2sfca --facility education_base -o '" + (work() / "cli_e2").string() + "'");
  const std::string served = word_after(cap_out, "served within capacity: ");
  const std::string gini = word_after(e2_out, "Gini: ");
  REQUIRE(!served.empty());
  REQUIRE(!gini.empty());
  const fs::path shot = work() / "access.png";
  REQUIRE(run_app("access", k_open +
                                "analysis access education_base index_map catchments\nwait 2\nscreenshot " +
                                shot.string() + "\nwait 1\n") == 0);
  const auto text = ui_text("access");
  const std::string line = line_with(text, "容量内服务: ");
  INFO(line << " / cli " << served << " / gini " << gini);
  CHECK(line.find("容量内服务: " + served + " 人") != std::string::npos);
  const std::string index_line = line_with(text, "增强两步移动搜索法指数 (");
  CHECK(index_line.find("基尼系数 " + gini) != std::string::npos);
  CHECK(std::count(text.begin(), text.end(), std::string("洛伦兹曲线")) == 1);
  CHECK(fs::exists(shot));

  // A drag moves the base's catchment and changes the index (the session test counts the searches:
  // one per drag step; after the release the lists are all cached).
  REQUIRE(run_app("access_drag", k_open + "analysis access education_base\nanalysis mode move\n"
                                          "analysis drag education_base 0 30000 -20000\nwait 2\n") == 0);
  const auto dragged = ui_text("access_drag");
  CHECK(!line_with(dragged, " ms · ").empty());
  const std::string moved = line_with(dragged, "增强两步移动搜索法指数 (");
  REQUIRE(!moved.empty());
  CHECK(moved != index_line);
}

TEST_CASE(
    "gui analysis: the map of the view is written through kepumap map's renderer with the visible layers",
    "[gui][analysis][map]") {
  if (!can_run()) return;
  const fs::path dir = work() / "view_export";
  fs::remove_all(dir);
  REQUIRE(run_app("view_export", k_open + "analysis export_view " + dir.string() + "\n") == 0);
  for (const char* f : {"view.pdf", "view.png", "view.svg"}) {
    INFO(f);
    CHECK(fs::exists(dir / f));
  }
  // The townships' labels as text, as `kepumap map` writes them.
  const std::string svg = slurp(dir / "view.svg");
  CHECK(svg.find(">别力古台镇<") != std::string::npos);
  CHECK(!line_with(ui_text("view_export"), "view.pdf").empty());
}

TEST_CASE(
    "gui analysis: the winter scenario can be chosen and gives kepumap coverage --scenario winter's figures",
    "[gui][analysis][scenario]") {
  if (!can_run()) return;
  const std::string out = capture("cd '" + test::source_dir().string() + "' && '" + kepumap_bin() +
                                  "' coverage data/abag/project.toml --scenario winter -o '" +
                                  (work() / "cli_winter").string() + "'");
  const std::string museum = cli_share(out, "museum");
  REQUIRE(!museum.empty());
  REQUIRE(run_app("winter", k_open + "analysis scenario winter\nanalysis wait\n") == 0);
  const auto text = ui_text("winter");
  const std::string m = line_with(text, "科技馆: ");
  INFO(m << " / cli " << museum);
  CHECK(m.find("科技馆: " + museum) != std::string::npos);
  CHECK(std::any_of(text.begin(), text.end(),
                    [](const std::string& s) { return s.find("冬季（积雪）") != std::string::npos; }));
  // the coverage panel names the scenario by its Chinese label, not its identifier
  CHECK(std::find(text.begin(), text.end(), "情景: 冬季（积雪）") != text.end());
  // Back to the base: the base figure again.
  REQUIRE(run_app("winter_back", k_open + "analysis scenario winter\nanalysis wait\nanalysis scenario base\n"
                                          "analysis wait\n") == 0);
  REQUIRE(run_app("base_only", k_open) == 0);
  CHECK(line_with(ui_text("winter_back"), "科技馆: ") == line_with(ui_text("base_only"), "科技馆: "));
  CHECK(line_with(ui_text("base_only"), "科技馆: ") != m);
}

TEST_CASE("gui analysis: a project without people says so instead of showing 0 % as a figure",
          "[gui][analysis]") {
  if (!can_run()) return;
  const fs::path dir = work() / "nopeople";
  fs::create_directories(dir);
  std::ofstream(dir / "museums.csv") << "name,lon,lat\n馆,114.95,44.02\n";
  std::ofstream(dir / "project.toml")
      << "[project]\nname = \"无人口\"\n\n[[layer]]\nname = \"villages\"\nrole = \"village\"\nsource = \""
      << (test::source_dir() / "data/abag/abag.gpkg").string()
      << "\"\nlayer = \"villages\"\nfields = { name = \"name\" }\n\n"
         "[[layer]]\nname = \"museums\"\nrole = \"museum\"\nsource = \"museums.csv\"\nfields = { name = "
         "\"name\" }\n\n"
         "[[standard]]\nfacility = \"museum\"\nminutes = 90\n";
  REQUIRE(run_app("nopeople", "project open " + (dir / "project.toml").string() + "\n" + k_open) == 0);
  const auto text = ui_text("nopeople");
  const std::string line = line_with(text, "添加人口栅格: ");
  CHECK(line.find("本项目没有人口数据") != std::string::npos);
  CHECK(line.find(": 嘎查村") != std::string::npos);  // the layer by its role's name, not "villages"
  // The base project has people: no such line.
  REQUIRE(run_app("withpeople", k_open) == 0);
  CHECK(line_with(ui_text("withpeople"), "添加人口栅格: ").empty());
}
