// The panel layout under Xvfb: coverage, siting and caravan opened together sit in the right
// column without overlapping each other or the other panels, a smaller window keeps every panel
// inside, 全图 fits the data above the status bar and between the columns, and Escape closes a
// menu, a dialog and the unsaved-changes prompt. Reads the panel rectangles --dump-state writes.
#include <catch2/catch.hpp>

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
  return a.min_x < b.max_x - 0.5 && b.min_x < a.max_x - 0.5 && a.min_y < b.max_y - 0.5 && b.min_y < a.max_y - 0.5;
}

/// Every panel inside the w x h window, none overlapping another (the status bar included).
void check_tidy(const std::map<std::string, core::BBox>& r, double w, double h) {
  for (const auto& [name, b] : r) {
    if (name == "attribution") continue;  // the basemap credit line drawn over the map
    INFO(name << " [" << b.min_x << ", " << b.min_y << ", " << b.max_x << ", " << b.max_y << "]");
    CHECK(b.min_x >= 0);
    CHECK(b.min_y >= 0);
    CHECK(b.max_x <= w + 0.5);
    CHECK(b.max_y <= h + 0.5);
    for (const auto& [other, c] : r)
      if (other > name && other != "attribution") {
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
  REQUIRE(run_app("columns", k_analysis + std::string("screenshot ") + (work() / "columns.png").string() +
                                 "\n") == 0);
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
