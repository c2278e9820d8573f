// The layer properties window (图层属性) under Xvfb: a graduated style on data/abag's gachaa
// drawn in the classes core::Choropleth gives (checked pixel by pixel in the screenshot), shown
// in the legend, saved as `style = { ... }` and read back; a role change undone by undo.
#include <cairo.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/style.hpp"
#include "gui_harness.hpp"
#include "gui_image.hpp"
#include "io/project.hpp"
#include "test_paths.hpp"
#include "ui/ui_layer.hpp"

namespace fs = std::filesystem;
using namespace kepumap;

const char* kepumap::test::gui::gui_scratch_tag() { return "layer_props"; }

using namespace kepumap::test::gui;

namespace {

core::JsonValue state(const std::string& name) { return core::parse_json(slurp(work() / (name + ".json"))); }

const core::JsonValue* layer_state(const core::JsonValue& st, const std::string& name) {
  for (const auto& l : st.find("layers")->array)
    if (l.find("name")->string == name) return &l;
  return nullptr;
}

bool has_text(const std::vector<std::string>& texts, const std::string& s) {
  return std::find(texts.begin(), texts.end(), s) != texts.end();
}

/// Only the polygons of the unit layers on the map, no labels (they would cover the fills).
const char* k_only_units =
    "hide township_seats\nhide village_centres\nhide roads\nhide museums\nhide education_bases\n"
    "hide caravan_depots\nhide caravan_routes\nhide caravan_stops\nhide border\nhide lakes\nhide rivers\n"
    "hide dried_basins\nhide population\nlayer_props banner labels off\nlayer_props townships labels off\n";

}  // namespace

TEST_CASE("layer properties: a graduated style on the gachaa is drawn in its class colours and saved",
          "[gui][layer_props]") {
  if (!can_run()) return;
  const fs::path w = work();
  fs::remove_all(w / "p");
  fs::copy(test::source_dir() / "data/abag", w / "p", fs::copy_options::recursive);
  const std::string p = (w / "p/project.toml").string();
  const std::string shot = (w / "graduated.png").string();
  REQUIRE(run_app("graduated",
                  std::string(k_only_units) +
                      "layer_props villages style graduated population quantile 5\n"
                      "layer_props villages labels off\nlayer_props villages opacity 1\n"
                      "open_panel layer_props villages\nwait 2\nscreenshot " +
                      shot + "\nproject save\nwait 1\n",
                  p) == 0);
  INFO(slurp(w / "graduated.err"));
  const core::JsonValue st = state("graduated");
  const core::JsonValue* v = layer_state(st, "villages");
  REQUIRE(v);
  CHECK(v->find("style")->string == "graduated");
  CHECK(v->find("field")->string == "population");
  CHECK(v->find("classes")->number == 5);
  CHECK(st.find("panels")->find("layer_props")->number == 1);
  // the window and the legend, in Chinese
  const auto texts = ui_text("graduated");
  CHECK(has_text(texts, "图层属性"));
  CHECK(has_text(texts, "分级"));
  CHECK(has_text(texts, "分级数"));

  // the classes as core::Choropleth makes them from the gachaa's population
  const core::Document doc = io::load_project(test::source_dir() / "data/abag/project.toml");
  const core::Layer* villages = nullptr;
  for (const auto& l : doc.layers)
    if (l.name == "villages") villages = &l;
  REQUIRE(villages);
  core::Choropleth ch;
  ch.attribute = "population";
  ch.method = "quantile";
  ch.classes = 5;
  ch.ramp = {*core::parse_colour("#ffffcc"), *core::parse_colour("#fd8d3c"), *core::parse_colour("#bd0026")};
  const int col = villages->column(villages->fields.population);
  REQUIRE(col >= 0);
  const core::Column& pop = villages->attrs.columns[static_cast<std::size_t>(col)];
  std::vector<double> values(pop.size(), NAN);
  for (std::size_t i = 0; i < pop.size(); ++i)
    if (auto x = pop.number(i)) values[i] = *x;
  ch.compute_breaks(values);
  // the legend lists the classes as the app labels them
  for (int k = 0; k < 5; ++k) CHECK(has_text(texts, "  " + ch.class_label(k)));

  const Image img = read_png(shot);
  REQUIRE(img.w == 1280);
  const render::View view = dumped_view("graduated");
  std::vector<core::BBox> panels;
  for (const auto& [name, r] : st.find("panel_rects")->object) {
    core::BBox b;
    b.add(core::Vec2{r.array[0].number, r.array[1].number});
    b.add(core::Vec2{r.array[2].number, r.array[3].number});
    panels.push_back(b);
  }
  int samples = 0, matched = 0;
  std::set<int> classes_seen;
  const std::size_t n = villages->geom.feature_count();
  for (int y = 30; y < img.h - 40; y += 6)
    for (int x = 4; x < img.w - 4; x += 6) {
      const core::Vec2 s{x + 0.5, y + 0.5};
      if (std::any_of(panels.begin(), panels.end(), [&](const core::BBox& b) { return b.contains(s); }))
        continue;
      const core::Vec2 m = view.to_map(s);
      for (std::size_t f = 0; f < n; ++f) {
        const auto fid = static_cast<core::FeatureId>(f);
        if (!villages->geom.feature_bbox(fid).contains(m) || !core::feature_contains(villages->geom, fid, m))
          continue;
        if (ui::distance_to_feature(villages->geom, f, m) / view.m_per_px < 3 || !pop.number(f)) break;
        const int k = ch.class_of(*pop.number(f));
        ++samples;
        if (close_to(img.at(x, y), ch.class_colour(k), 8)) {
          ++matched;
          classes_seen.insert(k);
        }
        break;
      }
    }
  INFO("matched " << matched << " of " << samples << " samples inside gachaa");
  REQUIRE(samples > 1000);
  CHECK(matched > 0.9 * samples);
  CHECK(classes_seen.size() == 5);

  // 保存 wrote the style into the villages entry, and it comes back when the project opens
  const std::string saved = slurp(w / "p/project.toml");
  CHECK(saved.find(
            "style = { kind = \"graduated\", field = \"population\", method = \"quantile\", classes = 5") !=
        std::string::npos);
  core::Diagnostics diag;
  const core::ProjectConfig cfg = io::parse_project(saved, w / "p/project.toml", diag);
  REQUIRE_FALSE(diag.has_errors());
  for (const auto& l : cfg.layers)
    if (l.name == "villages") {
      CHECK(l.style.kind == "graduated");
      CHECK(l.style.classes == 5);
      CHECK(l.style.labels == 0);
      CHECK(l.style.opacity == Approx(1.0));
    }
  REQUIRE(run_app("reopened", "wait 1\n", (w / "p/project.toml").string()) == 0);
  const core::JsonValue again = state("reopened");
  CHECK(layer_state(again, "villages")->find("style")->string == "graduated");
  CHECK(layer_state(again, "villages")->find("classes")->number == 5);
  CHECK_FALSE(layer_state(again, "villages")->find("labels")->boolean);
}

TEST_CASE("layer properties: a role change is an edit that undo takes back, fields and bad lines",
          "[gui][layer_props]") {
  if (!can_run()) return;
  REQUIRE(run_app("role",
                  "layer_props villages role museum\nlayer_props villages field name code\nwait 1\n") == 0);
  const core::JsonValue a = state("role");
  CHECK(layer_state(a, "villages")->find("role")->string == "museum");
  CHECK(layer_state(a, "villages")->find("name_field")->string == "code");
  CHECK(a.find("session")->find("edits")->number == 2);
  REQUIRE(run_app("undo", "layer_props villages role museum\nlayer_props villages undo\nwait 1\n") == 0);
  const core::JsonValue b = state("undo");
  CHECK(layer_state(b, "villages")->find("role")->string == "village");
  CHECK(b.find("session")->find("edits")->number == 0);
  // categories: one colour per distinct value
  REQUIRE(run_app("categories",
                  "layer_props townships style categories name\nlayer_props museums fill ff0000\n"
                  "layer_props museums symbol square\nwait 1\n") == 0);
  const core::JsonValue c = state("categories");
  CHECK(layer_state(c, "townships")->find("style")->string == "categories");
  CHECK(layer_state(c, "townships")->find("categories")->number >= 2);
  CHECK(layer_state(c, "museums")->find("fill")->string == "#ff0000");
  // a bad line names the script line
  CHECK(run_app("bad", "layer_props villages style graduated no_such_field\n") == 2);
  CHECK(slurp(work() / "bad.err")
            .find("bad.txt:1: layer_props style: layer villages has no field or column "
                  "'no_such_field'") != std::string::npos);
}

TEST_CASE("layer properties: a category colour and manual breaks set by the script are drawn and undone",
          "[gui][layer_props]") {
  if (!can_run()) return;
  const fs::path w = work();
  const std::string shot_cat = (w / "category_colour.png").string();
  const std::string shot_manual = (w / "manual_breaks.png").string();
  // the townships by name with 别力古台镇 in red (the gachaa hidden over them), then the gachaa in
  // three manual classes on the gap ramp
  const std::string styles =
      "layer_props townships style categories name\nlayer_props townships category 别力古台镇 ff0000\n"
      "layer_props townships opacity 1\nlayer_props villages style graduated population manual 100,300,600\n"
      "layer_props villages ramp gap\nlayer_props villages labels off\n";
  REQUIRE(run_app("manual", std::string(k_only_units) + "hide villages\n" + styles +
                                "open_panel layer_props townships\nwait 2\nscreenshot " + shot_cat +
                                "\nshow villages\nopen_panel layer_props villages\nwait 2\nscreenshot " +
                                shot_manual + "\n") == 0);
  INFO(slurp(w / "manual.err"));
  const core::JsonValue st = state("manual");
  const core::JsonValue* t = layer_state(st, "townships");
  const core::JsonValue* v = layer_state(st, "villages");
  REQUIRE(t);
  REQUIRE(v);
  CHECK(t->find("style")->string == "categories");
  REQUIRE(t->find("category_colours")->find("别力古台镇"));
  CHECK(t->find("category_colours")->find("别力古台镇")->string == "#ff0000");
  CHECK(t->find("category_colours")->find("查干淖尔镇")->string != "#ff0000");  // the others keep theirs
  CHECK(v->find("style")->string == "graduated");
  CHECK(v->find("method")->string == "manual");
  CHECK(v->find("ramp")->string == "gap");
  CHECK(v->find("classes")->number == 4);
  const auto& breaks = v->find("breaks")->array;
  REQUIRE(breaks.size() == 3);
  CHECK(breaks[0].number == 100);
  CHECK(breaks[2].number == 600);
  // every style change is one edit of the session's log, and no new revision of the analysis
  const double revision = st.find("session")->find("revision")->number;
  // (labels off on the banner and the townships, categories, the red one, the manual classes,
  // the ramp, the gachaa's labels off; opacity 1 is the townships' already: no edit)
  const double edits = st.find("session")->find("edits")->number;
  CHECK(edits == 7);
  CHECK(st.find("session")->find("facility_edits")->number == 0);
  CHECK_FALSE(st.find("session")->find("stale")->boolean);
  // the window in Chinese: the manual method, its breaks and the ramp
  const auto texts = ui_text("manual");
  CHECK(has_text(texts, "手动"));
  CHECK(has_text(texts, "分级断点"));
  CHECK(has_text(texts, "色带"));
  CHECK(has_text(texts, "缺口色带"));
  CHECK(has_text(texts, "  ≤ 100"));
  CHECK(has_text(texts, "  > 600"));

  // the legend's classes are the typed ones, in the gap ramp's colours; the red township is red
  const core::Document doc = io::load_project(test::source_dir() / "data/abag/project.toml");
  const core::Layer* townships = nullptr;
  for (const auto& l : doc.layers)
    if (l.name == "townships") townships = &l;
  REQUIRE(townships);
  const int nc = townships->column(townships->fields.name);
  std::size_t red_one = SIZE_MAX;
  for (std::size_t f = 0; f < townships->geom.feature_count(); ++f)
    if (townships->attrs.columns[static_cast<std::size_t>(nc)].text(f) == "别力古台镇") red_one = f;
  REQUIRE(red_one != SIZE_MAX);
  const Image img = read_png(shot_cat);
  REQUIRE(img.w == 1280);
  const render::View view = dumped_view("manual");
  std::vector<core::BBox> panels;
  for (const auto& [name, r] : st.find("panel_rects")->object) {
    core::BBox b;
    b.add(core::Vec2{r.array[0].number, r.array[1].number});
    b.add(core::Vec2{r.array[2].number, r.array[3].number});
    panels.push_back(b);
  }
  int inside = 0, red = 0;
  const auto fid = static_cast<core::FeatureId>(red_one);
  for (int y = 30; y < img.h - 40; y += 5)
    for (int x = 4; x < img.w - 4; x += 5) {
      const core::Vec2 s{x + 0.5, y + 0.5};
      if (std::any_of(panels.begin(), panels.end(), [&](const core::BBox& b) { return b.contains(s); }))
        continue;
      const core::Vec2 m = view.to_map(s);
      if (!townships->geom.feature_bbox(fid).contains(m) || !core::feature_contains(townships->geom, fid, m))
        continue;
      if (ui::distance_to_feature(townships->geom, red_one, m) / view.m_per_px < 3) continue;
      ++inside;
      if (close_to(img.at(x, y), core::Rgba{1, 0, 0, 1}, 8)) ++red;
    }
  INFO("red " << red << " of " << inside << " samples inside 别力古台镇");
  REQUIRE(inside > 100);
  CHECK(red > 0.9 * inside);

  // undo takes the style changes back one by one: the gachaa's labels, the ramp, the manual classes
  REQUIRE(run_app("manual_undo", std::string(k_only_units) + styles +
                                     "layer_props villages undo\nlayer_props villages undo\n"
                                     "layer_props villages undo\nwait 1\n") == 0);
  const core::JsonValue u = state("manual_undo");
  CHECK(layer_state(u, "villages")->find("style")->string == "");  // the role's style again
  CHECK(layer_state(u, "villages")->find("ramp")->string == "");
  CHECK(layer_state(u, "townships")->find("category_colours")->find("别力古台镇")->string == "#ff0000");
  CHECK(u.find("session")->find("edits")->number == edits - 3);
  CHECK(u.find("session")->find("revision")->number == revision);
  // redo brings the manual classes back
  REQUIRE(run_app("manual_redo", std::string(k_only_units) + styles +
                                     "layer_props villages undo\nlayer_props villages undo\n"
                                     "layer_props villages undo\nlayer_props villages redo\nwait 1\n") == 0);
  const core::JsonValue r = state("manual_redo");
  CHECK(layer_state(r, "villages")->find("method")->string == "manual");
  CHECK(layer_state(r, "villages")->find("classes")->number == 4);
  // bad values name the script line
  CHECK(run_app("bad_breaks", "layer_props villages style graduated population manual 60,30\n") == 2);
  CHECK(slurp(w / "bad_breaks.err").find("bad_breaks.txt:1: layer_props style: breaks '60,30' are not") !=
        std::string::npos);
  CHECK(run_app("bad_category",
                "layer_props townships style categories name\n"
                "layer_props townships category 无此镇 ff0000\n") == 2);
  CHECK(
      slurp(w / "bad_category.err").find("bad_category.txt:2: layer_props category: no category '无此镇'") !=
      std::string::npos);
}
