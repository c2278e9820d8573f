// The panel layout under Xvfb: coverage, siting and caravan opened together sit in the right
// column without overlapping each other or the other panels, a smaller window keeps every panel
// inside, 全图 fits the data above the status bar and between the columns, and Escape closes a
// menu, a dialog and the unsaved-changes prompt. Reads the panel rectangles --dump-state writes.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "core/json.hpp"
#include "gui_harness.hpp"
#include "io/project.hpp"
#include "test_paths.hpp"

namespace fs = std::filesystem;
using namespace kepumap;

const char* kepumap::test::gui::gui_scratch_tag() { return "layout"; }

using namespace kepumap::test::gui;

namespace {

core::JsonValue state(const std::string& name) { return core::parse_json(slurp(work() / (name + ".json"))); }

/// The dumped panel rectangles by name (window pixels).
std::map<std::string, core::BBox> rects(const core::JsonValue& st) {
  std::map<std::string, core::BBox> out;
  if (const auto* r = st.find("panel_rects"))
    for (const auto& [name, a] : r->object)
      out[name] = {a.array[0].number, a.array[1].number, a.array[2].number, a.array[3].number};
  return out;
}

bool overlap(const core::BBox& a, const core::BBox& b) {
  return a.min_x < b.max_x - 0.5 && b.min_x < a.max_x - 0.5 && a.min_y < b.max_y - 0.5 &&
         b.min_y < a.max_y - 0.5;
}

/// Every panel inside the w x h window, none overlapping another (the status bar included) but
/// those in `placed` (moved by hand).
void check_tidy(const std::map<std::string, core::BBox>& r, double w, double h,
                const std::vector<std::string>& placed = {}) {
  auto by_hand = [&](const std::string& n) {
    return std::find(placed.begin(), placed.end(), n) != placed.end();
  };
  for (const auto& [name, b] : r) {
    if (name == "attribution") continue;  // the basemap credit line drawn over the map
    INFO(name << " [" << b.min_x << ", " << b.min_y << ", " << b.max_x << ", " << b.max_y << "]");
    CHECK(b.min_x >= 0);
    CHECK(b.min_y >= 0);
    CHECK(b.max_x <= w + 0.5);
    CHECK(b.max_y <= h + 0.5);
    for (const auto& [other, c] : r)
      if (other > name && other != "attribution" && !by_hand(name) && !by_hand(other)) {
        INFO("against " << other);
        CHECK_FALSE(overlap(b, c));
      }
  }
}

const char* k_analysis = "analysis open coverage\nsiting open\ncaravan open\nwait 4\n";

}  // namespace

TEST_CASE("layout: coverage, siting and caravan open together in the right column, not overlapping",
          "[gui][layout]") {
  if (!can_run()) return;
  REQUIRE(run_app("columns",
                  k_analysis + std::string("screenshot ") + (work() / "columns.png").string() + "\n") == 0);
  const auto r = rects(state("columns"));
  for (const char* p : {"layers", "inspector", "legend", "coverage", "siting", "caravan", "status"}) {
    INFO(p);
    CHECK(r.count(p) == 1);
  }
  check_tidy(r, 1280, 800);
  // the right column's panels end at the right edge; the layers at the left
  for (const char* p : {"inspector", "legend", "coverage", "siting", "caravan"}) {
    INFO(p);
    CHECK(r.at(p).max_x > 1280 - 10);
    CHECK(r.at(p).min_x > 1280 / 2);
  }
  CHECK(r.at("layers").min_x < 10);
}

TEST_CASE("layout: a smaller window keeps every panel inside and on its side", "[gui][layout]") {
  if (!can_run()) return;
  REQUIRE(run_app("small", k_analysis + std::string("open_panel table\nwait 3\n"), "data/abag/project.toml",
                  "900x560") == 0);
  const auto r = rects(state("small"));
  CHECK(r.count("caravan") == 1);
  CHECK(r.count("table") == 1);
  check_tidy(r, 900, 560);
  CHECK(r.at("inspector").max_x > 900 - 10);
  CHECK(r.at("layers").min_x < 10);
  // a very small window: the right side spills into a second column, the columns never meet
  REQUIRE(run_app("tiny", k_analysis + std::string("open_panel table\nwait 3\n"), "data/abag/project.toml",
                  "640x400") == 0);
  const auto t = rects(state("tiny"));
  CHECK(t.count("caravan") == 1);
  check_tidy(t, 640, 400);
}

TEST_CASE("layout: 全图 fits the data above the status bar and between the columns", "[gui][layout]") {
  if (!can_run()) return;
  REQUIRE(run_app("fit", "pan 300 200\nzoom 3\nwait 2\nfit all\nwait 2\n") == 0);
  const auto st = state("fit");
  const auto r = rects(st);
  const render::View v = dumped_view("fit");
  REQUIRE(v.m_per_px > 0);
  const core::Document d = io::load_project(test::source_dir() / "data/abag/project.toml");
  core::BBox data;
  for (const auto& l : d.layers) data.add(l.is_raster ? l.raster.extent() : l.geom.bbox());
  REQUIRE(!data.empty());
  const core::Vec2 nw = v.to_screen({data.min_x, data.max_y}), se = v.to_screen({data.max_x, data.min_y});
  INFO("data on screen [" << nw.x << ", " << nw.y << ", " << se.x << ", " << se.y << "]");
  REQUIRE(r.count("status") == 1);
  CHECK(se.y <= r.at("status").min_y);  // the south edge above the status bar
  CHECK(nw.y >= 24);                    // the north edge below the menu bar
  REQUIRE(r.count("layers") == 1);
  REQUIRE(r.count("inspector") == 1);
  CHECK(nw.x >= r.at("layers").max_x);  // not under the side columns
  CHECK(se.x <= r.at("inspector").min_x);
}

TEST_CASE("layout: Escape closes the open menu, the dialog and the unsaved-changes prompt", "[gui][layout]") {
  if (!can_run()) return;
  // the 文件 menu open (a click on it), then Escape
  REQUIRE(run_app("menu_open", "click 20 10\nwait 3\n") == 0);
  CHECK(rects(state("menu_open")).count("file_menu") == 1);
  REQUIRE(run_app("menu_esc", "click 20 10\nwait 3\nkey escape\nwait 3\n") == 0);
  CHECK(rects(state("menu_esc")).count("file_menu") == 0);
  // the 打开 dialog
  REQUIRE(run_app("dialog_open", "project dialog open\nwait 3\n") == 0);
  CHECK(rects(state("dialog_open")).count("project_dialog") == 1);
  REQUIRE(run_app("dialog_esc", "project dialog open\nwait 3\nkey escape\nwait 3\n") == 0);
  CHECK(rects(state("dialog_esc")).count("project_dialog") == 0);
  // the unsaved-changes prompt: Escape is 取消, the project stays open
  REQUIRE(run_app("unsaved_open", "hide roads\nproject close\nwait 3\n") == 0);
  CHECK(rects(state("unsaved_open")).count("unsaved_prompt") == 1);
  REQUIRE(run_app("unsaved_esc", "hide roads\nproject close\nwait 3\nkey escape\nwait 3\n") == 0);
  CHECK(rects(state("unsaved_esc")).count("unsaved_prompt") == 0);
  CHECK(rects(state("unsaved_esc")).count("layers") == 1);
  CHECK(slurp(work() / "unsaved_esc.json").find("\"layers\": [{\"name\"") != std::string::npos);
}

TEST_CASE("layout: real mouse and keys - a dragged panel stays put and inside when the window shrinks",
          "[gui][layout]") {
  if (!can_run()) return;
  if (std::system("command -v xdotool >/dev/null 2>&1") != 0) {
    KEPUMAP_SKIP_INSTALLED("xdotool not installed (Debian package xdotool): skipped");
  }
  const fs::path dir = work();
  fs::remove_all(dir / "live_cfg");
  fs::create_directories(dir / "live_cfg");
  fs::remove(dir / "live.json");
  fs::remove(dir / "live_ready.png");
  std::ofstream(dir / "live.txt") << "screenshot " << (dir / "live_ready.png").string() << "\n";
  const std::string app =
      "cd '" + test::source_dir().string() + "' && XDG_CONFIG_HOME='" + (dir / "live_cfg").string() +
      "' LIBGL_ALWAYS_SOFTWARE=1 DISPLAY=" + display().name + " '" + kepumap_bin() +
      "' data/abag/project.toml --size 1280x800 --live-input --use-settings --script '" +
      (dir / "live.txt").string() + "' --dump-state '" + (dir / "live.json").string() + "'";
  REQUIRE(std::system(in_background(app, dir / "live.done").c_str()) == 0);
  // the inspector's title bar (right column, top) dragged towards the middle; the window made
  // smaller; the 文件 menu opened and closed with the Escape key; Ctrl+Q
  const std::string drive =
      "DISPLAY=" + display().name +
      " sh -c 'W=$(xdotool search --sync --name kepumap | head -1) && i=0 && "
      "while [ ! -f \"" +
      (dir / "live_ready.png").string() +
      "\" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done && "
      "xdotool mousemove --window $W 1000 37 sleep 0.5 mousedown 1 sleep 0.2 "
      "mousemove --window $W 900 150 sleep 0.2 mousemove --window $W 800 300 sleep 0.2 mouseup 1 sleep 0.5 "
      "windowsize $W 1000 640 sleep 1 mousemove --window $W 20 10 sleep 0.3 click 1 sleep 0.5 "
      "key Escape sleep 0.5 mousemove --window $W 500 400 sleep 0.3 key ctrl+q'";
  REQUIRE(std::system(drive.c_str()) == 0);
  REQUIRE(wait_for_file(dir / "live.done"));
  REQUIRE(fs::exists(dir / "live.json"));
  const auto st = state("live");
  const render::View v = dumped_view("live");
  CHECK(v.width_px == 1000);
  CHECK(v.height_px == 640);
  const auto r = rects(st);
  check_tidy(r, 1000, 640, {"inspector"});
  CHECK(r.count("file_menu") == 0);  // Escape closed the menu
  REQUIRE(r.count("inspector") == 1);
  REQUIRE(r.count("legend") == 1);
  CHECK(r.at("legend").max_x > 1000 - 10);  // the column is at the right edge
  CHECK(r.at("legend").min_y < 40);         // and the legend took the inspector's place
  // the dragged inspector stayed off the column, as far from the right edge as it was put
  CHECK(r.at("inspector").max_x < 1000 - 10);
  CHECK(r.at("inspector").max_x == Approx(1275 - 200 - 280).margin(12));
  // remembered: the inspector as moved by hand, every saved window inside the window
  const std::string settings = slurp(dir / "live_cfg/kepumap/settings.ini");
  CHECK(settings.find("layout.free = inspector") != std::string::npos);
  std::istringstream ini(slurp(dir / "live_cfg/kepumap/imgui.ini"));
  int windows = 0;
  for (std::string line; std::getline(ini, line);) {
    int x = 0, y = 0;
    if (std::sscanf(line.c_str(), "Pos=%d,%d", &x, &y) != 2) continue;
    ++windows;
    INFO(line);
    CHECK(x >= 0);
    CHECK(x < 1000);
    CHECK(y >= 20);
    CHECK(y < 640);
  }
  CHECK(windows > 0);
}
