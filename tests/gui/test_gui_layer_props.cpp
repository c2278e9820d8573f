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
