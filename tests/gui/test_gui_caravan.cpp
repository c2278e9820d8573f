// The app's caravan panel under Xvfb + llvmpipe: its tour count, total km and vehicle-days for
// data/abag equal what `kepumap caravan project.toml -o DIR` prints with the same options; a
// stop moved between tours re-plans; an impossible move or a bad command exits 2 with one line.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
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

const char* kepumap::test::gui::gui_scratch_tag() { return "caravan"; }

namespace {

using namespace kepumap::test::gui;

/// The dumped UI string starting with `prefix` (empty if none).
std::string ui_line(const std::string& name, const std::string& prefix) {
  std::istringstream in(slurp(work() / (name + ".json")));
  std::string l;
  while (std::getline(in, l)) {
    const auto a = l.find("\"" + prefix);
    if (a == std::string::npos) continue;
    const auto b = l.find('"', a + 1);
    return l.substr(a + 1, b - a - 1);
  }
  return {};
}

/// "Tours: N, total km: X, vehicle-days: D" built from the CLI's lines
/// "行程 tours: N (出车 D 天 ..." and "里程 distance: X km; ...".
std::string cli_summary(const std::string& out) {
  int tours = -1, days = -1;
  double km = -1;
  std::istringstream in(out);
  std::string l;
  while (std::getline(in, l)) {
    if (l.rfind("行程 tours: ", 0) == 0) std::sscanf(l.c_str(), "行程 tours: %d (出车 %d", &tours, &days);
    if (l.rfind("里程 distance: ", 0) == 0) std::sscanf(l.c_str(), "里程 distance: %lf", &km);
  }
  if (tours < 0 || days < 0 || km < 0) return {};
  char buf[128];
  std::snprintf(buf, sizeof buf, "Tours: %d, total km: %.1f, vehicle-days: %d", tours, km, days);
  return buf;
}

const std::string k_options = "caravan set max_days 2\ncaravan set vehicles 2\ncaravan set drive_hours 6\n";
const std::string k_cli_options = " --max-days 2 --vehicles 2 --drive-hours 6";

}  // namespace

TEST_CASE("the caravan panel plans what `kepumap caravan` prints", "[gui][caravan]") {
  if (!can_run()) return;
  for (int variant = 0; variant < 2; ++variant) {
    const std::string cli_opts = variant ? k_cli_options : "";
    const std::string out =
        capture("cd '" + test::source_dir().string() + "' && '" + kepumap_bin() +
                "' caravan data/abag/project.toml -o '" + (work() / "cli").string() + "'" + cli_opts);
    const std::string want = cli_summary(out);
    INFO("cli: " << out);
    REQUIRE(!want.empty());
    const std::string name = "plan" + std::to_string(variant);
    REQUIRE(run_app(name, "set_language en\ncaravan open\n" + (variant ? k_options : std::string()) +
                              "caravan run\ncaravan wait\ncaravan select 1\n") == 0);
    CHECK(ui_line(name, "Tours: ") == want);
    CHECK(ui_line(name, "Visits ").rfind("Visits 12 / 12;", 0) == 0);
  }
  // Chinese by default
  REQUIRE(run_app("plan_zh", "caravan run\ncaravan wait\n") == 0);
  CHECK(!ui_line("plan_zh", "行程 ").empty());
}

TEST_CASE("the caravan panel's selected tour and calendar agree with `kepumap caravan`", "[gui][caravan]") {
  if (!can_run()) return;
  const fs::path out = work() / "cli_tour";
  const std::string cli =
      capture("cd '" + test::source_dir().string() + "' && '" + kepumap_bin() +
              "' caravan data/abag/project.toml -o '" + out.string() + "'" + k_cli_options);
  int vehicle_days = -1;
  {
    const auto at = cli.find("(出车 ");
    REQUIRE(at != std::string::npos);
    vehicle_days = std::atoi(cli.c_str() + at + std::string("(出车 ").size());
  }
  // tour 2 of the routes the command wrote: start, days and km
  const std::string gj = slurp(out / "caravan_routes.geojson");
  const auto t2 = gj.find("\"行程\": 2,");
  REQUIRE(t2 != std::string::npos);
  auto field = [&](const std::string& key) {
    const auto p = gj.find("\"" + key + "\": ", t2);
    REQUIRE(p != std::string::npos);
    return gj.substr(p + key.size() + 4, gj.find_first_of(",}", p + key.size() + 4) - (p + key.size() + 4));
  };
  const std::string start = field("出发日期"), days = field("天数"), km = field("里程_km");
  REQUIRE(run_app("tour2", "set_language en\ncaravan open calendar\n" + k_options +
                               "caravan run\ncaravan wait\ncaravan select 2\n") == 0);
  const std::string tour = ui_line("tour2", "Tour 2: ");
  INFO("panel: " << tour << "  cli: " << start << " " << days << " days " << km << " km");
  CHECK(tour.find("Tour 2: " + start.substr(1, start.size() - 2) + " to ") == 0);
  CHECK(tour.find(", " + days + " days, " + km + " km, ") != std::string::npos);
  // the calendar's month cells add up to the vehicle-days of the plan
  CHECK(ui_line("tour2", "Calendar total: ")
            .find("Calendar total: " + std::to_string(vehicle_days) + " tour days") == 0);
  CHECK(run_app("bad_open", "caravan open timetable\n") == 2);
}

TEST_CASE("the caravan panel moves a stop to another tour and re-plans", "[gui][caravan]") {
  if (!can_run()) return;
  const std::string base = "set_language en\n" + k_options + "caravan run\ncaravan wait\n";
  REQUIRE(run_app("before", base) == 0);
  const std::string before = ui_line("before", "Tours: ");
  REQUIRE(!before.empty());
  // 巴彦图嘎嘎查 is on tour 1 of this plan (see caravan_routes.geojson of the CLI run); tour 3 can take it.
  REQUIRE(run_app("moved", base + "caravan move 巴彦图嘎嘎查 1 3\n") == 0);
  CHECK(ui_line("moved", "Stop moved") == "Stop moved and tours re-planned.");
  const std::string after = ui_line("moved", "Tours: ");
  CHECK(!after.empty());
  CHECK(after != before);                                               // the tours changed: another length
  CHECK(ui_line("moved", "Visits ").rfind("Visits 12 / 12;", 0) == 0);  // every visit still planned
  // 吉呼朗图嘎查 (tour 3) does not fit tour 2 within 2 days and 6 h driving: one line, exit 2.
  REQUIRE(run_app("refused", base + "caravan move 吉呼朗图嘎查 3 2\n") == 2);
  const std::string err = slurp(work() / "refused.err");
  CHECK(err.find("caravan move: 吉呼朗图嘎查") != std::string::npos);
  // unknown commands and stops
  CHECK(run_app("bad1", "caravan fly\n") == 2);
  CHECK(run_app("bad2", base + "caravan move 没有这个站 1 2\n") == 2);
  CHECK(slurp(work() / "bad2.err").find("has no stop named") != std::string::npos);
}

namespace {

/// Screen position of the caravan stop named `name` in `view`, or (-1, -1).
core::Vec2 stop_on_screen(const core::Document& doc, const render::View& view, const std::string& name) {
  for (const auto& l : doc.layers) {
    if (l.role != core::Role::CaravanStop || l.is_raster) continue;
    const int c = l.column(l.fields.name);
    for (core::FeatureId f = 0; c >= 0 && f < l.geom.feature_count(); ++f)
      if (l.attrs.columns[static_cast<std::size_t>(c)].text(f) == name)
        return view.to_screen(l.geom.first_point(f));
  }
  return {-1, -1};
}

}  // namespace

TEST_CASE("real mouse: a stop dragged onto a stop of another tour moves there, re-planned",
          "[gui][caravan]") {
  if (!can_run()) return;
  if (std::system("command -v xdotool >/dev/null 2>&1") != 0) {
    KEPUMAP_SKIP_INSTALLED("xdotool not installed (Debian package xdotool): skipped");
  }
  const std::string script =
      "set_language en\nclose_panel layers\nclose_panel inspector\nclose_panel legend\n" + k_options +
      "caravan run\ncaravan wait\nfit caravan_stops\nzoom 0.8\npan -250 0\nwait 2\n";
  REQUIRE(run_app("drag_before", script) == 0);
  const render::View view = dumped_view("drag_before");
  REQUIRE(view.m_per_px > 0);
  const core::Document doc = io::load_project(test::source_dir() / "data/abag/project.toml");
  // 巴彦图嘎嘎查 is on tour 1, 吉呼朗图嘎查 on tour 3 (the same move as the scripted test)
  const core::Vec2 a = stop_on_screen(doc, view, "巴彦图嘎嘎查"),
                   b = stop_on_screen(doc, view, "吉呼朗图嘎查");
  INFO("from " << a.x << "," << a.y << " to " << b.x << "," << b.y);
  REQUIRE(a.x > 5);
  REQUIRE(b.x > 5);
  REQUIRE(a.x < 700);  // left of the caravan panel
  REQUIRE(b.x < 700);
  REQUIRE(a.y > 30);
  REQUIRE(b.y > 30);
  const fs::path d = work();
  fs::remove(d / "drag.json");
  fs::remove(d / "drag_ready.png");
  std::ofstream(d / "drag.txt") << script << "screenshot " << (d / "drag_ready.png").string() << "\n";
  const std::string start = "cd '" + test::source_dir().string() + "' && XDG_CONFIG_HOME='" +
                            (d / "cfg").string() + "' LIBGL_ALWAYS_SOFTWARE=1 DISPLAY=" + display().name +
                            " '" + kepumap_bin() +
                            "' data/abag/project.toml --size 1280x800 --live-input --script '" +
                            (d / "drag.txt").string() + "' --dump-state '" + (d / "drag.json").string() + "'";
  REQUIRE(std::system(in_background(start, d / "drag.done").c_str()) == 0);
  auto px = [](double v) { return std::to_string(static_cast<int>(std::lround(v))); };
  const std::string drag = "mousemove --window $W " + px(a.x) + " " + px(a.y) +
                           " sleep 0.5 mousedown 1 sleep 0.2 "
                           "mousemove --window $W " +
                           px((a.x + b.x) / 2) + " " + px((a.y + b.y) / 2) +
                           " sleep 0.2 "
                           "mousemove --window $W " +
                           px(b.x) + " " + px(b.y) + " sleep 0.3 mouseup 1";
  const std::string drive = "DISPLAY=" + display().name +
                            " sh -c 'W=$(xdotool search --sync --name kepumap | head -1) && i=0 && "
                            "while [ ! -f \"" +
                            (d / "drag_ready.png").string() +
                            "\" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done && sleep 0.5 && "
                            "xdotool " +
                            drag + " sleep 0.8 key ctrl+q'";
  REQUIRE(std::system(drive.c_str()) == 0);
  REQUIRE(wait_for_file(d / "drag.done"));  // the app has quit and written its state
  REQUIRE(fs::exists(d / "drag.json"));
  CHECK(ui_line("drag", "Stop moved") == "Stop moved and tours re-planned.");
  // the same tours as `caravan move 巴彦图嘎嘎查 1 3` in a script
  REQUIRE(run_app("drag_scripted", "set_language en\n" + k_options +
                                       "caravan run\ncaravan wait\ncaravan move 巴彦图嘎嘎查 1 3\n") == 0);
  CHECK(!ui_line("drag", "Tours: ").empty());
  CHECK(ui_line("drag", "Tours: ") == ui_line("drag_scripted", "Tours: "));
  CHECK(ui_line("drag", "Tours: ") != ui_line("drag_before", "Tours: "));
  // the map did not pan while dragging
  const render::View got = dumped_view("drag");
  CHECK(got.center.x == Approx(view.center.x).margin(1e-6));
  CHECK(got.center.y == Approx(view.center.y).margin(1e-6));
}
