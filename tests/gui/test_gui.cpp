// The desktop app under Xvfb + llvmpipe: real screenshots and the state the app dumps
// (--dump-state: view, selection, panels, placed labels, the UI strings drawn).
#include <cairo.h>
#include <catch2/catch.hpp>

#include <unistd.h>
#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/json.hpp"
#include "core/style.hpp"
#include "gui_image.hpp"
#include "io/project.hpp"
#include "render/view.hpp"
#include "skip.hpp"
#include "test_paths.hpp"
#include "ui/ui_layer.hpp"

using namespace kepumap;
namespace fs = std::filesystem;
using kepumap::test::gui::close_to;
using kepumap::test::gui::Image;
using kepumap::test::gui::read_png;

namespace {

fs::path work_dir() {
  static fs::path d = [] {
    fs::path p = fs::temp_directory_path() / ("kepumap_gui_" + std::to_string(::getpid()));
    fs::create_directories(p / "cfg");
    return p;
  }();
  return d;
}

/// One Xvfb server for the whole run (a free display number chosen by Xvfb itself).
struct XServer {
  long pid = -1;
  std::string display;
  XServer() {
    fs::path df = work_dir() / "display", pf = work_dir() / "xvfb.pid";
    std::string cmd = "(Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>'" + df.string() +
                      "' >/dev/null 2>&1 & echo $! >'" + pf.string() + "')";
    if (std::system(cmd.c_str()) != 0) return;
    std::ifstream(pf) >> pid;
    for (int i = 0; i < 200 && display.empty(); ++i) {
      std::string n;
      std::ifstream(df) >> n;
      if (!n.empty())
        display = ":" + n;
      else
        ::usleep(50000);
    }
  }
  ~XServer() {
    if (pid > 0) ::kill(static_cast<pid_t>(pid), SIGTERM);
    std::error_code ec;
    if (!std::getenv("KEPUMAP_KEEP_GUI_OUTPUT")) fs::remove_all(work_dir(), ec);  // screenshots, states
  }
};

XServer& xserver() {
  static XServer x;
  return x;
}

bool can_run() {
  const char* why = nullptr;
  if (std::system("command -v Xvfb >/dev/null 2>&1") != 0)
    why = "Xvfb not installed (Debian package xvfb): skipped";
  else if (xserver().display.empty())
    why = "Xvfb did not start: skipped";
  else if (!fs::exists(test::source_dir() / "data/abag/project.toml"))
    why = "no data/abag/project.toml: skipped";
  if (!why) return true;
  ::kepumap::test::record_skip_installed(why);  // a failure under CI
  return false;
}

/// Runs kepumap under Xvfb with a script; returns the exit code. stderr goes to <name>.err.
int run_app(const std::string& name, const std::string& script, const std::string& extra = "",
            const std::string& project = "data/abag/project.toml") {
  fs::path dir = work_dir();
  std::string script_arg;
  if (!script.empty()) {
    std::ofstream(dir / (name + ".txt")) << script;
    script_arg = " --script '" + (dir / (name + ".txt")).string() + "'";
  }
  std::string cmd = "cd '" + test::source_dir().string() + "' && XDG_CONFIG_HOME='" + (dir / "cfg").string() +
                    "' LIBGL_ALWAYS_SOFTWARE=1 DISPLAY=" + xserver().display + " '" +
                    (test::binary_dir() / "src/app/kepumap").string() + "' " + project +
                    " --size 1280x800 --frames 3" + " --screenshot '" + (dir / (name + ".png")).string() +
                    "' --dump-state '" + (dir / (name + ".json")).string() + "'" + script_arg + " " + extra +
                    " >/dev/null 2>'" + (dir / (name + ".err")).string() + "'";
  int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

core::JsonValue state(const std::string& name) {
  std::ifstream in(work_dir() / (name + ".json"));
  std::stringstream ss;
  ss << in.rdbuf();
  return core::parse_json(ss.str());
}

render::View view_of(const core::JsonValue& st) {
  const auto* v = st.find("view");
  render::View view;
  view.center = {v->find("center_x")->number, v->find("center_y")->number};
  view.m_per_px = v->find("m_per_px")->number;
  view.width_px = static_cast<int>(v->find("width")->number);
  view.height_px = static_cast<int>(v->find("height")->number);
  return view;
}

std::vector<core::BBox> panel_rects(const core::JsonValue& st) {
  std::vector<core::BBox> out;
  for (const auto& [name, r] : st.find("panel_rects")->object)
    out.push_back({r.array[0].number, r.array[1].number, r.array[2].number, r.array[3].number});
  out.push_back({0, 0, 1280, 24});  // menu bar
  return out;
}

bool in_any(const std::vector<core::BBox>& rects, core::Vec2 p, double pad = 4) {
  for (const auto& b : rects)
    if (p.x >= b.min_x - pad && p.x <= b.max_x + pad && p.y >= b.min_y - pad && p.y <= b.max_y + pad)
      return true;
  return false;
}

bool has_text(const core::JsonValue& st, const std::string& s) {
  for (const auto& v : st.find("ui_text")->array)
    if (v.string == s) return true;
  return false;
}

const core::Document& abag() {
  static core::Document doc = io::load_project(test::source_dir() / "data/abag/project.toml");
  return doc;
}

const core::Layer& layer_named(const std::string& name) {
  for (const auto& l : abag().layers)
    if (l.name == name) return l;
  FAIL("no layer " << name);
  throw std::logic_error("unreachable");
}

core::Style style() { return core::load_style((test::source_dir() / "styles/default.json").string()); }

/// Hides every layer that is not a polygon layer (points and lines sit on top of polygons).
std::string hide_non_polygons() {
  std::string s;
  for (const auto& l : abag().layers)
    if (l.is_raster || l.geom.kind != core::GeomKind::Polygon) s += "hide " + l.name + "\n";
  return s;
}

}  // namespace

TEST_CASE("the banner is filled where the projection puts it", "[gui]") {
  if (!can_run()) return;
  REQUIRE(run_app("banner", hide_non_polygons()) == 0);
  Image img = read_png(work_dir() / "banner.png");
  REQUIRE(img.w == 1280);
  REQUIRE(img.h == 800);
  auto st = state("banner");
  render::View view = view_of(st);
  auto rects = panel_rects(st);
  const core::Layer& banner = layer_named("banner");
  core::Style sty = style();
  core::Rgba fill = sty.for_role(core::Role::Banner).fill;
  // The view fits the data: the banner's extent is on screen.
  core::BBox eb = banner.geom.bbox();
  CHECK(view.visible().contains(eb.center()));
  int inside = 0, inside_fill = 0, outside = 0, outside_fill = 0, outside_bg = 0;
  for (int y = 30; y < img.h - 40; y += 9)
    for (int x = 4; x < img.w - 4; x += 9) {
      core::Vec2 s{x + 0.5, y + 0.5};
      if (in_any(rects, s)) continue;
      core::Vec2 m = view.to_map(s);
      // skip pixels within 3 px of the outline (antialiased edge)
      double d = ui::distance_to_feature(banner.geom, 0, m) / view.m_per_px;
      if (d < 3) continue;
      if (core::feature_contains(banner.geom, 0, m)) {
        ++inside;
        inside_fill += close_to(img.at(x, y), fill, 6);
      } else {
        ++outside;
        outside_fill += close_to(img.at(x, y), fill, 6);
        outside_bg += close_to(img.at(x, y), sty.background, 6);
      }
    }
  INFO("inside " << inside_fill << "/" << inside << ", outside fill " << outside_fill << " bg " << outside_bg
                 << "/" << outside);
  REQUIRE(inside > 500);
  REQUIRE(outside > 500);
  CHECK(inside_fill > 0.7 * inside);  // township and village outlines cross some samples
  CHECK(outside_fill < 0.01 * outside);
  CHECK(outside_bg > 0.9 * outside);

  // The outline is drawn at the style's width: scanning rows from the left, the first run of
  // non-background pixels (the banner's western outline) is about line_width pixels wide across
  // the line (a row crosses a slanted outline over more pixels: the run is scaled by the line's
  // slope, from where the outline is one row above and below).
  core::Rgba line = sty.for_role(core::Role::Banner).line;
  float width = sty.for_role(core::Role::Banner).line_width_px;
  const auto* layers_panel = st.find("panel_rects")->find("layers");
  int x_start = static_cast<int>(layers_panel->array[2].number) + 10;
  auto first_x = [&](int y) {
    int x = x_start;
    while (x < img.w / 2 && close_to(img.at(x, y), sty.background, 6)) ++x;
    return x;
  };
  std::vector<double> runs;
  for (int y = 60; y < img.h - 60; y += 7) {
    int x = first_x(y);
    if (x >= img.w / 2 || x == x_start) continue;
    const int above = first_x(y - 1), below = first_x(y + 1);
    if (above >= img.w / 2 || below >= img.w / 2 || above == x_start || below == x_start) continue;
    const double dx = (below - above) * 0.5;  // pixels the outline moves per row
    int run = 0, dark = 0;
    while (x + run < img.w && !close_to(img.at(x + run, y), sty.background, 6) &&
           !close_to(img.at(x + run, y), fill, 6)) {
      dark += close_to(img.at(x + run, y), line, 40);
      ++run;
    }
    if (dark > 0) runs.push_back(run / std::sqrt(1 + dx * dx));
  }
  REQUIRE(runs.size() > 10);
  std::sort(runs.begin(), runs.end());
  const double median = runs[runs.size() / 2];
  INFO("outline runs: " << runs.size() << ", median " << median << " px, style width " << width);
  CHECK(median >= width - 0.5);
  CHECK(median <= width + 2.5);  // antialiased edges and slanted crossings add a pixel or two
}

TEST_CASE("clicking a village selects it and draws it highlighted", "[gui]") {
  if (!can_run()) return;
  REQUIRE(run_app("before_select", hide_non_polygons()) == 0);
  auto st = state("before_select");
  render::View view = view_of(st);
  auto rects = panel_rects(st);
  const core::Layer& villages = layer_named("villages");
  // a village whose label point is on the map, away from the panels
  std::size_t chosen = SIZE_MAX;
  core::Vec2 click;
  for (std::size_t f = 0; f < villages.geom.feature_count() && chosen == SIZE_MAX; ++f) {
    core::Vec2 p =
        ui::interior_point(villages.geom, villages.geom.parts_begin(static_cast<core::FeatureId>(f)));
    core::Vec2 s = view.to_screen(p);
    if (s.x > 40 && s.y > 40 && s.x < 1240 && s.y < 740 && !in_any(rects, s, 20) &&
        ui::distance_to_feature(villages.geom, f, p) / view.m_per_px > 4) {
      chosen = f;
      click = s;
    }
  }
  REQUIRE(chosen != SIZE_MAX);
  char cmd[128];
  std::snprintf(cmd, sizeof cmd, "select %.1f %.1f\nhover %.1f %.1f\n", click.x, click.y, click.x, click.y);
  REQUIRE(run_app("select", hide_non_polygons() + cmd) == 0);
  auto sel = state("select");
  CHECK(sel.find("selection")->find("layer")->string == "villages");
  CHECK(sel.find("selection")->find("feature")->number == static_cast<double>(chosen));
  core::Rgba hl = style().highlight;
  Image before = read_png(work_dir() / "before_select.png"), after = read_png(work_dir() / "select.png");
  REQUIRE(after.w == 1280);
  int hl_before = 0, hl_after = 0, hl_far = 0;
  core::BBox fb = villages.geom.feature_bbox(static_cast<core::FeatureId>(chosen));
  core::Vec2 a = view.to_screen({fb.min_x, fb.max_y}), b = view.to_screen({fb.max_x, fb.min_y});
  for (int y = 0; y < after.h; ++y)
    for (int x = 0; x < after.w; ++x) {
      hl_before += close_to(before.at(x, y), hl, 12);
      if (close_to(after.at(x, y), hl, 12)) {
        ++hl_after;
        if (x < a.x - 8 || x > b.x + 8 || y < a.y - 8 || y > b.y + 8) ++hl_far;
      }
    }
  INFO("highlight pixels before " << hl_before << ", after " << hl_after << ", outside the feature box "
                                  << hl_far);
  CHECK(hl_before < 20);
  CHECK(hl_after > 100);
  CHECK(hl_far < 20);
  // the inspector shows the village's attributes
  const auto& name_col =
      villages.attrs.columns[static_cast<std::size_t>(villages.column(villages.fields.name))];
  CHECK(has_text(sel, name_col.text(chosen)));
  // hovering shows the name and the layer in a tooltip
  CHECK(has_text(sel, name_col.text(chosen) + "  ·  villages"));
}

TEST_CASE("labels never overlap, the banner label is drawn, the legend shows the style", "[gui]") {
  if (!can_run()) return;
  REQUIRE(run_app("labels", "") == 0);
  auto st = state("labels");
  Image img = read_png(work_dir() / "labels.png");
  const auto& placed = st.find("placed_labels")->array;
  REQUIRE(placed.size() >= 5);
  std::vector<core::BBox> boxes;
  for (const auto& p : placed) {
    const auto& b = p.find("box")->array;
    boxes.push_back({b[0].number, b[1].number, b[2].number, b[3].number});
  }
  for (std::size_t i = 0; i < boxes.size(); ++i)
    for (std::size_t j = i + 1; j < boxes.size(); ++j) {
      bool overlap = boxes[i].min_x < boxes[j].max_x && boxes[j].min_x < boxes[i].max_x &&
                     boxes[i].min_y < boxes[j].max_y && boxes[j].min_y < boxes[i].max_y;
      INFO(placed[i].find("text")->string << " / " << placed[j].find("text")->string);
      CHECK_FALSE(overlap);
    }
  // the banner's name is placed, and its box holds label-coloured (dark) text pixels
  core::Style sty = style();
  core::Rgba label_col = sty.for_role(core::Role::Banner).label_colour;
  std::string banner_name = "阿巴嘎旗";
  bool found = false;
  for (std::size_t i = 0; i < placed.size(); ++i)
    if (placed[i].find("text")->string == banner_name) {
      found = true;
      int dark = 0;
      for (int y = static_cast<int>(boxes[i].min_y); y < static_cast<int>(boxes[i].max_y); ++y)
        for (int x = static_cast<int>(boxes[i].min_x); x < static_cast<int>(boxes[i].max_x); ++x)
          dark += close_to(img.at(x, y), label_col, 40);
      INFO("label-coloured pixels in the banner label box: " << dark);
      CHECK(dark > 30);
    }
  CHECK(found);
  // legend: the panel is open and shows the style's museum colour and the road classes
  const auto* legend = st.find("panel_rects")->find("legend");
  REQUIRE(legend);
  core::Rgba museum = sty.for_role(core::Role::Museum).fill;
  int museum_px = 0, non_bg = 0;
  for (int y = static_cast<int>(legend->array[1].number) + 20; y < static_cast<int>(legend->array[3].number);
       ++y)
    for (int x = static_cast<int>(legend->array[0].number); x < static_cast<int>(legend->array[2].number);
         ++x) {
      museum_px += close_to(img.at(x, y), museum, 10);
      non_bg += !close_to(img.at(x, y), {0.94f, 0.94f, 0.94f, 1}, 6);
    }
  CHECK(museum_px > 10);
  CHECK(non_bg > 500);
  CHECK(has_text(st, "  县道"));
}

TEST_CASE("gachaa labels appear only when zoomed in far enough", "[gui]") {
  if (!can_run()) return;
  REQUIRE(run_app("zoom_out", "") == 0);
  REQUIRE(run_app("zoom_in", "zoom 4\nwait 2\n") == 0);
  const core::Layer& villages = layer_named("villages");
  const auto& names = villages.attrs.columns[static_cast<std::size_t>(villages.column(villages.fields.name))];
  auto count_village_labels = [&](const core::JsonValue& st) {
    int n = 0;
    for (const auto& p : st.find("placed_labels")->array)
      for (std::size_t f = 0; f < names.size(); ++f)
        if (names.text(f) == p.find("text")->string) {
          ++n;
          break;
        }
    return n;
  };
  auto out = state("zoom_out"), in = state("zoom_in");
  double limit = style().for_role(core::Role::Village).label_min_zoom_m_per_px;
  REQUIRE(view_of(out).m_per_px > limit);
  REQUIRE(view_of(in).m_per_px <= limit);
  CHECK(count_village_labels(out) == 0);
  CHECK(count_village_labels(in) >= 3);
}

TEST_CASE("中文 by default, English after the switch", "[gui]") {
  if (!can_run()) return;
  REQUIRE(run_app("zh", "") == 0);
  REQUIRE(run_app("en", "set_language en\nwait 2\n") == 0);
  auto zh = state("zh"), en = state("en");
  CHECK(zh.find("language")->string == "zh");
  CHECK(en.find("language")->string == "en");
  for (const char* s : {"图层", "图例", "属性查看", "视图"}) {
    CHECK(has_text(zh, s));
    CHECK_FALSE(has_text(en, s));
  }
  for (const char* s : {"Layers", "Legend", "Inspector", "View"}) {
    CHECK(has_text(en, s));
    CHECK_FALSE(has_text(zh, s));
  }
  // the layers panel's title bar is drawn differently
  Image a = read_png(work_dir() / "zh.png"), b = read_png(work_dir() / "en.png");
  const auto* r = zh.find("panel_rects")->find("layers");
  REQUIRE(r);
  int diff = 0;
  for (int y = static_cast<int>(r->array[1].number); y < static_cast<int>(r->array[1].number) + 20; ++y)
    for (int x = static_cast<int>(r->array[0].number); x < static_cast<int>(r->array[0].number) + 120; ++x)
      diff += a.at(x, y) != b.at(x, y);
  CHECK(diff > 20);
}

TEST_CASE("language, panels and view are remembered between runs", "[gui]") {
  if (!can_run()) return;
  fs::remove_all(work_dir() / "cfg");
  REQUIRE(run_app("remember1", "set_language en\nzoom 2\nclose_panel legend\nwait 2\n", "--use-settings") ==
          0);
  REQUIRE(run_app("remember2", "", "--use-settings") == 0);
  auto a = state("remember1"), b = state("remember2");
  CHECK(b.find("language")->string == "en");
  CHECK(b.find("panels")->find("legend")->number == 0);
  CHECK(b.find("view")->find("m_per_px")->number ==
        Approx(a.find("view")->find("m_per_px")->number).epsilon(1e-4));
  CHECK(b.find("view")->find("center_x")->number ==
        Approx(a.find("view")->find("center_x")->number).margin(1.0));
  CHECK(fs::exists(work_dir() / "cfg/kepumap/settings.ini"));
  fs::remove_all(work_dir() / "cfg");
}

TEST_CASE("a layer added from a file is drawn with its role's style", "[gui]") {
  if (!can_run()) return;
  if (!test::have_shared_data()) {
    KEPUMAP_SKIP("no ../shared/data: skipped");
  }
  std::string file = (test::shared_data() / "boundaries/ningxia_counties.geojson").string();
  REQUIRE(run_app("addlayer", "load_layer " + file + " other\nfit ningxia_counties\nwait 2\n") == 0);
  auto st = state("addlayer");
  CHECK(has_text(st, "ningxia_counties"));
  Image img = read_png(work_dir() / "addlayer.png");
  core::Rgba fill = style().for_role(core::Role::Other).fill;
  int n = 0;
  for (int y = 0; y < img.h; ++y)
    for (int x = 0; x < img.w; ++x) n += close_to(img.at(x, y), fill, 6);
  CHECK(n > 20000);  // the fitted layer covers a good part of the window
  CHECK(run_app("addmissing", "load_layer /nonexistent/x.geojson other\n") == 2);
  // a layer inside a GeoPackage (a copy: the project's own file is refused as a duplicate); the
  // name is made unique beside the project's own "museums"
  const fs::path copy = work_dir() / "abag_copy.gpkg";
  fs::copy_file(test::source_dir() / "data/abag/abag.gpkg", copy, fs::copy_options::overwrite_existing);
  REQUIRE(run_app("addgpkg", "load_layer " + copy.string() + " museum museums\nwait 2\n") == 0);
  CHECK(has_text(state("addgpkg"), "museums 2"));
  // several layers and none chosen: exit 2 with the reader's message
  CHECK(run_app("addgpkg_none", "load_layer data/abag/abag.gpkg museum\n") == 2);
}

TEST_CASE("real mouse input: drag pans, the wheel zooms toward the cursor, Ctrl+Q quits", "[gui]") {
  if (!can_run()) return;
  if (std::system("command -v xdotool >/dev/null 2>&1") != 0) {
    KEPUMAP_SKIP_INSTALLED("xdotool not installed (Debian package xdotool): skipped");
  }
  REQUIRE(run_app("live_before", "") == 0);
  render::View expect = view_of(state("live_before"));
  fs::path dir = work_dir();
  fs::remove(dir / "live.json");
  fs::remove(dir / "live.done");
  // The app takes a screenshot once it is up; the mouse waits for that file, and the test for the
  // app to have quit (live.done), instead of sleeping fixed times.
  fs::remove(dir / "live_ready.png");
  std::ofstream(dir / "live.txt") << "screenshot " << (dir / "live_ready.png").string() << "\n";
  std::string env = "cd '" + test::source_dir().string() + "' && XDG_CONFIG_HOME='" + (dir / "cfg").string() +
                    "' LIBGL_ALWAYS_SOFTWARE=1 DISPLAY=" + xserver().display;
  std::string app = "( " + env + " '" + (test::binary_dir() / "src/app/kepumap").string() +
                    "' data/abag/project.toml --size 1280x800 --live-input --script '" +
                    (dir / "live.txt").string() + "' --dump-state '" + (dir / "live.json").string() +
                    "'; echo $? >'" + (dir / "live.done").string() + "' ) >/dev/null 2>&1 &";
  REQUIRE(std::system(app.c_str()) == 0);
  // press at (640, 600) on the map, drag by (100, 50), release, two wheel steps up, Ctrl+Q; the
  // events come faster than frames, so this checks they are replayed in order at their positions
  std::string drive =
      "DISPLAY=" + xserver().display +
      " sh -c 'W=$(xdotool search --sync --name kepumap | head -1) && i=0 && "
      "while [ ! -f \"" +
      (dir / "live_ready.png").string() +
      "\" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done && "
      "xdotool mousemove --window $W 640 600 sleep 0.5 mousedown 1 sleep 0.05 "
      "mousemove --window $W 690 625 sleep 0.05 mousemove --window $W 740 650 sleep 0.05 mouseup 1 "
      "sleep 0.05 click 4 sleep 0.05 click 4 sleep 0.5 key ctrl+q'";
  REQUIRE(std::system(drive.c_str()) == 0);
  for (int i = 0; i < 1200 && !fs::exists(dir / "live.done"); ++i) ::usleep(100000);
  REQUIRE(fs::exists(dir / "live.done"));  // the app has quit and written its state
  REQUIRE(fs::exists(dir / "live.json"));
  render::View got = view_of(state("live"));
  expect.pan(100, 50);
  expect.zoom_at(1.2 * 1.2, {740, 650});
  CHECK(got.m_per_px == Approx(expect.m_per_px).epsilon(1e-9));
  CHECK(got.center.x == Approx(expect.center.x).margin(0.5 * got.m_per_px));
  CHECK(got.center.y == Approx(expect.center.y).margin(0.5 * got.m_per_px));
}

TEST_CASE("bad input: a script error names file and line - a missing project is exit 2", "[gui]") {
  if (!can_run()) return;
  CHECK(run_app("badscript", "pan 1 2\nzoom fast\n") == 2);
  std::ifstream err(work_dir() / "badscript.err");
  std::string line;
  std::getline(err, line);
  CHECK(line.find("badscript.txt:2: zoom: 'fast' is not a number") != std::string::npos);
  CHECK(run_app("noproject", "", "", "data/nope/project.toml") == 2);
  CHECK(run_app("badlayer", "fit nosuchlayer\n") == 2);
}

TEST_CASE("without a display the app says so and falls back to the headless output", "[gui]") {
  if (!can_run()) return;
  fs::path err = work_dir() / "nodisplay.err";
  // run in the scratch folder: the fallback writes kepumap-report/ into the current folder
  std::string cmd = "cd '" + work_dir().string() + "' && env -u DISPLAY -u WAYLAND_DISPLAY '" +
                    (test::binary_dir() / "src/app/kepumap").string() + "' '" +
                    (test::source_dir() / "data/abag/project.toml").string() + "' >/dev/null 2>'" +
                    err.string() + "'";
  int rc = std::system(cmd.c_str());
  std::ifstream in(err);
  std::stringstream ss;
  ss << in.rdbuf();
  CHECK(ss.str().find("this machine has no display") != std::string::npos);
  CHECK(ss.str().find("此机器没有显示器") != std::string::npos);
  CHECK(WIFEXITED(rc));
  CHECK(WEXITSTATUS(rc) == 0);
  CHECK(fs::exists(work_dir() / "kepumap-report/abag"));
}

TEST_CASE(
    "the panels' cached texture shows what ImGui draws into the window, and idle frames redraw none of it",
    "[gui]") {
  if (!can_run()) return;
  // panels opened, a language switch and a layer hidden: lists change between frames, so the
  // cache draws parts of the window again; the last frame must look as if drawn directly
  const std::string script =
      "open_panel legend\nset_language en\nwait 2\nset_language zh\nhide villages\nwait 3\n";
  REQUIRE(run_app("panel_cache", script) == 0);
  REQUIRE(run_app("panel_direct", script, "--no-panel-cache") == 0);
  Image a = read_png(work_dir() / "panel_cache.png"), b = read_png(work_dir() / "panel_direct.png");
  REQUIRE(a.w == b.w);
  REQUIRE(a.h == b.h);
  REQUIRE(a.w > 0);
  // premultiplied blending in two steps rounds differently by a unit or two of 255
  int worst = 0;
  std::size_t differ = 0;
  for (std::size_t i = 0; i < a.px.size(); ++i) {
    int d = 0;
    for (int sh : {0, 8, 16})
      d = std::max(d,
                   std::abs(static_cast<int>(a.px[i] >> sh & 255) - static_cast<int>(b.px[i] >> sh & 255)));
    worst = std::max(worst, d);
    if (d > 0) ++differ;
  }
  INFO("pixels that differ: " << differ << ", worst channel difference " << worst);
  CHECK(worst <= 3);
  // nothing changed in the last frames: the cache drew nothing again
  auto redrawn = [&](const std::string& name) {
    const core::JsonValue s = state(name);
    const core::JsonValue* v = s.find("panel_px_redrawn");
    return v && v->is_number() ? v->number : -2.0;
  };
  CHECK(redrawn("panel_cache") == 0);
  CHECK(redrawn("panel_direct") == -1);
}
