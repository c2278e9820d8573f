// Saving the session as a project (session/save_project.hpp, io/project_text.hpp): the text is
// edited in place (comments and untouched lines kept), every demo project loads the same after
// load -> save -> load, the app's changes (layers, visibility, draw order, facility edits,
// accepted sites, standards) come back after a reload, and a save that cannot be written
// changes nothing.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <unistd.h>

#include "analysis/evaluation.hpp"
#include "io/project.hpp"
#include "io/project_text.hpp"
#include "session/save_project.hpp"
#include "session/session.hpp"
#include "session/tasks.hpp"
#include "skip.hpp"
#include "test_paths.hpp"

using namespace kepumap;
namespace fs = std::filesystem;

namespace {

fs::path temp_dir(const std::string& name) {
  fs::path d = fs::temp_directory_path() / ("kepumap_save_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> lines_of(const std::string& t) {
  std::vector<std::string> out;
  std::istringstream in(t);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

session::Session evaluated(const fs::path& project) {
  session::Session s(std::make_shared<const core::Document>(io::load_project(project)));
  std::string msg;
  REQUIRE(s.install(session::evaluate(s.document(), s.revision(), s.scenario()), msg));
  return s;
}

/// `doc` evaluated as the app does (session::evaluate, access targets included).
analysis::ProjectEvaluation evaluate(const core::Document& doc) {
  session::Evaluated e = session::evaluate(std::make_shared<const core::Document>(doc), 1, "");
  REQUIRE(e.pe);
  return *e.pe;
}

/// The figures a planner reads first: population, covered share per service, targets passed.
struct Headline {
  double population = 0, covered_any = 0;
  std::vector<double> shares;
  std::vector<bool> passes;
};

Headline headline(const analysis::ProjectEvaluation& pe) {
  Headline h;
  h.population = pe.ev.coverage.total.population;
  h.covered_any = pe.ev.coverage.total.covered_any;
  for (const auto& s : pe.ev.coverage.total.service) h.shares.push_back(s.share());
  for (const auto& t : pe.ev.targets) h.passes.push_back(t.evaluated && t.pass);
  return h;
}

const char* k_text = R"(# A planner's project, with comments.
[project]
name = "测试旗"   # the banner
crs = "auto"

# the banner outline
[[layer]]
name = "banner"
role = "banner"
source = "banner.geojson"   # from the league office
fields = { name = "name", population = "pop" }

[[layer]]
name = "roads"
role = "road"
source = "roads.shp"
encoding = "GB18030"

# facilities
[[layer]]
name = "museums"
role = "museum"
source = "museums.csv"

[[standard]]
facility = "museum"
minutes = 60  # 一小时
)";

}  // namespace

TEST_CASE("edit_project_layers removes, adds and changes entries and keeps every other line",
          "[unit][save]") {
  core::Diagnostics diag;
  const core::ProjectConfig old = io::parse_project(k_text, "/x/project.toml", diag);
  REQUIRE_FALSE(diag.has_errors());
  REQUIRE(old.layers.size() == 3);
  std::vector<core::LayerSpec> specs{old.layers[0], old.layers[2]};  // roads removed
  specs[0].visible = false;
  specs[1].draw_order = 2;
  core::LayerSpec added;
  added.name = "牧点";
  added.role = core::Role::Village;
  added.source = "camps.gpkg";
  added.layer = "camps";
  added.fields.name = "名称";
  specs.push_back(added);
  const std::string out = io::edit_project_layers(k_text, old, specs);
  core::Diagnostics d2;
  const core::ProjectConfig now = io::parse_project(out, "/x/project.toml", d2);
  INFO(out);
  REQUIRE_FALSE(d2.has_errors());
  REQUIRE(now.layers.size() == 3);
  CHECK(now.layers[0].name == "banner");
  CHECK_FALSE(now.layers[0].visible);
  CHECK(now.layers[0].fields.population == "pop");
  CHECK(now.layers[1].name == "museums");
  CHECK(now.layers[1].draw_order == 2);
  CHECK(now.layers[2].name == "牧点");
  CHECK(now.layers[2].layer == "camps");
  CHECK(now.layers[2].fields.name == "名称");
  CHECK(now.standards.size() == 1);
  // every comment and the untouched lines survive, in order; the roads entry is gone
  for (const char* kept :
       {"# A planner's project, with comments.", "name = \"测试旗\"   # the banner", "# the banner outline",
        "source = \"banner.geojson\"   # from the league office", "# facilities", "minutes = 60  # 一小时"})
    CHECK(out.find(kept) != std::string::npos);
  CHECK(out.find("roads.shp") == std::string::npos);
  CHECK(out.find("GB18030") == std::string::npos);
  // the lines before the first change are byte for byte the original ones
  const auto a = lines_of(k_text), b = lines_of(out);
  for (std::size_t i = 0; i < 11; ++i) CHECK(a[i] == b[i]);
  // nothing changed: the text comes back identical
  CHECK(io::edit_project_layers(k_text, old, old.layers) == std::string(k_text));
}

TEST_CASE("a layer's own style is read, written as an inline table and read back the same",
          "[unit][save][style]") {
  core::Diagnostics diag;
  const core::ProjectConfig old = io::parse_project(k_text, "/x/project.toml", diag);
  REQUIRE_FALSE(diag.has_errors());
  CHECK_FALSE(old.layers[0].style.given());  // no style key: the role's style
  std::vector<core::LayerSpec> specs = old.layers;
  core::LayerStyleSpec& st = specs[0].style;
  st.kind = "graduated";
  st.field = "population";
  st.method = "quantile";
  st.classes = 5;
  st.fill = "#f4efe1";
  st.line = "#7a5c3a80";
  st.width = 1.5;
  st.symbol = "circle";
  st.size = 6;
  st.opacity = 0.8;
  st.labels = 1;
  st.label_field = "name";
  specs[2].style.kind = "categories";
  specs[2].style.field = "level";
  specs[2].style.labels = 0;
  const std::string out = io::edit_project_layers(k_text, old, specs);
  INFO(out);
  CHECK(
      out.find("style = { kind = \"graduated\", field = \"population\", method = \"quantile\", classes = 5, "
               "fill = \"#f4efe1\", line = \"#7a5c3a80\", width = 1.5, symbol = \"circle\", size = 6, "
               "opacity = 0.8, labels = true, label_field = \"name\" }") != std::string::npos);
  // the comments and the other keys stay
  CHECK(out.find("source = \"banner.geojson\"   # from the league office") != std::string::npos);
  core::Diagnostics d2;
  const core::ProjectConfig now = io::parse_project(out, "/x/project.toml", d2);
  REQUIRE_FALSE(d2.has_errors());
  CHECK(now.layers[0].style == specs[0].style);
  CHECK(now.layers[1].style == core::LayerStyleSpec{});
  CHECK(now.layers[2].style == specs[2].style);
  // load -> save -> load: saving what was read changes nothing
  CHECK(io::edit_project_layers(out, now, now.layers) == out);
  // back to the role's style: the key goes
  std::vector<core::LayerSpec> plain = now.layers;
  plain[0].style = {};
  plain[2].style = {};
  CHECK(io::edit_project_layers(out, now, plain) == std::string(k_text));
}

TEST_CASE("a bad style entry is one line naming the file, the layer and the key", "[unit][save][style]") {
  auto problem = [](const std::string& style) {
    std::string text = k_text;
    const std::string at = "fields = { name = \"name\", population = \"pop\" }";
    text.replace(text.find(at), at.size(), at + "\nstyle = " + style);
    core::Diagnostics diag;
    io::parse_project(text, "/x/project.toml", diag);
    REQUIRE(diag.problems.size() == 1);
    return diag.problems.front().to_line();
  };
  CHECK(problem("{ kind = \"single\", fill = \"#12345\" }") ==
        "error: /x/project.toml:12: layer banner: key 'style.fill': bad colour \"#12345\" (use #rrggbb or "
        "#rrggbbaa)");
  CHECK(
      problem("{ kind = \"graduated\" }").find("layer banner: key 'style': kind \"graduated\" needs field") !=
      std::string::npos);
  CHECK(problem("{ kind = \"graded\", field = \"population\" }")
            .find("layer banner: 'graded' is not a valid "
                  "style.kind") != std::string::npos);
  CHECK(problem("{ fill = \"#ffffff\" }").find("layer banner: key 'style' needs kind") != std::string::npos);
  CHECK(problem("{ kind = \"single\", colour = \"#ffffff\" }")
            .find("layer banner: key 'colour' is not a style key") != std::string::npos);
  CHECK(problem("{ kind = \"graduated\", field = \"pop\", classes = 40 }")
            .find("key 'style.classes' must be 2 to 9") != std::string::npos);
  CHECK(problem("{ kind = \"single\", opacity = \"half\" }")
            .find("layer banner: key 'opacity' must be a number") != std::string::npos);
  CHECK(problem("\"red\"").find("layer banner: key 'style' must be a table") != std::string::npos);
}

TEST_CASE("a role or field change is an undoable edit and is saved", "[unit][save][style]") {
  core::Document doc;
  doc.config.file = "/x/project.toml";
  core::Diagnostics diag;
  doc.config = io::parse_project(k_text, "/x/project.toml", diag);
  for (const auto& spec : doc.config.layers) {
    core::Layer l;
    l.name = spec.name;
    l.role = spec.role;
    l.fields = spec.fields;
    doc.layers.push_back(std::move(l));
  }
  session::Session s(std::make_shared<const core::Document>(doc));
  const auto rev = s.revision();
  core::FieldMap f = doc.layers[2].fields;
  f.name = "名称";
  REQUIRE(s.change_layer(2, core::Role::EducationBase, f));
  CHECK(s.revision() != rev);  // a new revision: the figures are stale until it is evaluated
  CHECK(s.document()->layers[2].role == core::Role::EducationBase);
  CHECK(s.document()->layers[2].fields.name == "名称");
  CHECK(s.edit_lines(true).back() == "changed the role or fields of layer museums");
  CHECK_FALSE(s.change_layer(2, core::Role::EducationBase, f));  // nothing changes: no edit
  const auto specs = session::saved_layer_specs(s, "/x/project.toml", {});
  CHECK(specs[2].role == core::Role::EducationBase);
  CHECK(specs[2].fields.name == "名称");
  const std::string out = io::edit_project_layers(k_text, doc.config, specs);
  CHECK(out.find("role = \"education_base\"") != std::string::npos);
  CHECK(out.find("fields = { name = \"名称\" }") != std::string::npos);
  REQUIRE(s.undo());
  CHECK(s.document()->layers[2].role == core::Role::Museum);
  CHECK(s.document()->layers[2].fields.name.empty());
  CHECK(session::saved_layer_specs(s, "/x/project.toml", {})[2].role == core::Role::Museum);
  REQUIRE(s.redo());
  CHECK(s.document()->layers[2].role == core::Role::EducationBase);
}

TEST_CASE("set_table_key changes one value and keeps its comment", "[unit][save]") {
  core::Diagnostics diag;
  const core::ProjectConfig old = io::parse_project(k_text, "/x/project.toml", diag);
  const std::string out = io::set_table_key(k_text, old.standards[0].line, "minutes", "45");
  CHECK(out.find("minutes = 45  # 一小时") != std::string::npos);
  core::Diagnostics d2;
  CHECK(io::parse_project(out, "/x/project.toml", d2).standards[0].minutes == 45.0);
  CHECK(lines_of(out).size() == lines_of(k_text).size());
}

TEST_CASE("source_for_project writes sources relative to the project when they are near it", "[unit][save]") {
  const fs::path d = temp_dir("rel");
  fs::create_directories(d / "p" / "data");
  CHECK(io::source_for_project((d / "p" / "data" / "a.gpkg").string(), d / "p" / "project.toml") ==
        "data/a.gpkg");
  CHECK(io::source_for_project((d / "q" / "b.shp").string(), d / "p" / "project.toml") == "../q/b.shp");
  CHECK(io::source_for_project("/vsicurl/https://example.org/x.fgb", d / "p" / "project.toml") ==
        "/vsicurl/https://example.org/x.fgb");
  CHECK(io::source_for_project("PG:dbname=gis", d / "p" / "project.toml") == "PG:dbname=gis");
  fs::remove_all(d);
}

TEST_CASE("every demo project loads the same after load, save as, load", "[integration][save]") {
  for (const char* name : {"abag", "dalad", "ningxia", "nmg"}) {
    INFO(name);
    const fs::path project = test::source_dir() / "data" / name / "project.toml";
    session::Session s = evaluated(project);
    const core::Document& a = *s.document();
    const fs::path d = temp_dir(name);
    session::SaveReport rep;
    std::string err;
    REQUIRE(session::save_project(s, d / "project.toml", {}, rep, err));
    CHECK(rep.written.empty());  // nothing edited: no data file
    const core::Document b = io::load_project(d / "project.toml");
    REQUIRE_FALSE(b.diagnostics.has_errors());
    CHECK(b.config.name == a.config.name);
    CHECK(b.analysis_crs == a.analysis_crs);
    REQUIRE(b.layers.size() == a.layers.size());
    for (std::size_t i = 0; i < a.layers.size(); ++i) {
      INFO(a.layers[i].name);
      CHECK(b.layers[i].name == a.layers[i].name);
      CHECK(b.layers[i].role == a.layers[i].role);
      CHECK(fs::weakly_canonical(b.config.resolve(b.config.layers[i].source)) ==
            fs::weakly_canonical(a.config.resolve(a.config.layers[i].source)));
      CHECK(b.layers[i].report.source_layer == a.layers[i].report.source_layer);
      CHECK(b.layers[i].geom.feature_count() == a.layers[i].geom.feature_count());
      CHECK(b.layers[i].attrs.columns.size() == a.layers[i].attrs.columns.size());
      for (const auto& [k, v] : core::field_keys(a.layers[i].fields)) {
        bool found = false;
        for (const auto& [k2, v2] : core::field_keys(b.layers[i].fields))
          if (std::string(k2) == k) found = *v2 == *v;
        CHECK(found);
      }
    }
    CHECK(b.config.standards.size() == a.config.standards.size());
    CHECK(b.config.targets.size() == a.config.targets.size());
    CHECK(b.config.scenarios.size() == a.config.scenarios.size());
    const Headline ha = headline(s.evaluation()), hb = headline(evaluate(b));
    CHECK(hb.population == Approx(ha.population));
    CHECK(hb.covered_any == Approx(ha.covered_any));
    CHECK(hb.shares == ha.shares);
    CHECK(hb.passes == ha.passes);
    // saved over itself (same folder): the text does not change at all
    session::SaveReport rep2;
    session::Session s2(std::make_shared<const core::Document>(b));
    REQUIRE(session::save_project(s2, d / "project.toml", {}, rep2, err));
    CHECK(read(d / "project.toml") == rep.text);
    fs::remove_all(d);
  }
}

TEST_CASE("a saved project keeps the app's changes: layers, looks, moved and accepted facilities",
          "[integration][save]") {
  // a copy of data/abag to save into
  const fs::path d = temp_dir("edits");
  for (const auto& e : fs::directory_iterator(test::source_dir() / "data/abag"))
    fs::copy(e.path(), d / e.path().filename(), fs::copy_options::recursive);
  const std::string original = read(d / "project.toml");
  session::Session s = evaluated(d / "project.toml");
  const auto doc0p = s.document();  // kept alive: the session moves on to new revisions
  const core::Document& doc0 = *doc0p;
  const int k = s.set_index("education_base");
  REQUIRE(k >= 0);
  const std::size_t ks = static_cast<std::size_t>(k);
  std::string err;
  const auto base = s.evaluation().ev.sets[ks].points;
  REQUIRE(base.size() >= 2);
  const core::Vec2 to{base[0].x + 5000.0, base[0].y - 3000.0};
  REQUIRE(s.move_facility(ks, 0, to, err));
  REQUIRE(s.delete_facility(ks, 1, err));
  const core::Vec2 site{base[0].x - 20000.0, base[0].y + 10000.0};
  REQUIRE(s.accept_sites("education_base", {site}, {"新址 甲"}, "banner", "MCLP, p = 1", err));
  const int km = s.set_index("museum");
  REQUIRE(km >= 0);
  REQUIRE(s.set_standard(static_cast<std::size_t>(km), 45 * 60.0, err));
  const Headline edited = headline(s.evaluation());
  // a layer removed (the village centres), one hidden, one drawn at the bottom
  std::size_t centres = SIZE_MAX;
  for (std::size_t i = 0; i < doc0.layers.size(); ++i)
    if (doc0.layers[i].name == "village_centres") centres = i;
  REQUIRE(centres != SIZE_MAX);
  REQUIRE(s.remove_layer(centres));
  // the removal made a new revision: the facility edits are saved from its evaluation
  std::string msg;
  REQUIRE(s.install(session::evaluate(s.document(), s.revision(), s.scenario()), msg));
  std::vector<session::LayerLook> looks(s.document()->layers.size());
  looks[1].visible = false;
  looks[0].draw_order = 1;
  session::SaveReport rep;
  REQUIRE(session::save_project(s, d / "project.toml", looks, rep, err));
  CHECK(rep.written.size() == 2);  // the edited education bases and the accepted site
  const std::string saved = read(d / "project.toml");
  // the header comment is still there and the abag.gpkg itself is untouched
  CHECK(saved.rfind("# Generated by tools/make_demo.sh", 0) == 0);
  CHECK(saved.find("village_centres") == std::string::npos);
  CHECK(read(d / "abag.gpkg") == read(test::source_dir() / "data/abag/abag.gpkg"));

  const core::Document b = io::load_project(d / "project.toml");
  INFO(saved);
  REQUIRE_FALSE(b.diagnostics.has_errors());
  CHECK(b.layers.size() == doc0.layers.size());  // one removed, one (the sites) added
  CHECK_FALSE(b.config.layers[1].visible);
  CHECK(b.config.layers[0].draw_order == 1);
  const core::Layer* sites = nullptr;
  for (const auto& l : b.layers)
    if (l.role == core::Role::EducationBase && l.name.find("新址") != std::string::npos) sites = &l;
  REQUIRE(sites);
  REQUIRE(sites->geom.feature_count() == 1);
  CHECK(sites->geom.first_point(0).x == Approx(site.x).margin(0.01));
  CHECK(sites->geom.first_point(0).y == Approx(site.y).margin(0.01));
  CHECK(sites->attrs.columns[static_cast<std::size_t>(sites->column(sites->fields.name))].text(0) ==
        "新址 甲");
  const analysis::ProjectEvaluation pe = evaluate(b);
  const auto& set = pe.ev.sets[static_cast<std::size_t>(k)];
  REQUIRE(set.points.size() == base.size());  // one deleted, one added
  CHECK(set.points[0].x == Approx(to.x).margin(0.01));
  CHECK(set.points[0].y == Approx(to.y).margin(0.01));
  CHECK(pe.ev.sets[static_cast<std::size_t>(km)].standard_s == Approx(45 * 60.0));
  const Headline h = headline(pe);
  CHECK(h.covered_any == Approx(edited.covered_any).epsilon(1e-9));
  CHECK(h.shares.size() == edited.shares.size());
  for (std::size_t i = 0; i < h.shares.size() && i < edited.shares.size(); ++i)
    CHECK(h.shares[i] == Approx(edited.shares[i]).margin(1e-9));
  CHECK(saved != original);
  fs::remove_all(d);
}

TEST_CASE("a save that cannot be written changes nothing and says why in one line", "[integration][save]") {
  session::Session s(std::make_shared<const core::Document>(
      io::load_project(test::source_dir() / "data/ningxia/project.toml")));
  const fs::path d = temp_dir("ro");
  { std::ofstream(d / "not_a_folder") << "x"; }
  session::SaveReport rep;
  std::string err;
  CHECK_FALSE(session::save_project(s, d / "not_a_folder" / "project.toml", {}, rep, err));
  CHECK(err.find("not_a_folder") != std::string::npos);
  CHECK(err.find('\n') == std::string::npos);
  CHECK(read(d / "not_a_folder") == "x");
  // a read-only folder (not when the tests run as root: root writes anyway)
  fs::create_directories(d / "ro");
  fs::permissions(d / "ro", fs::perms::owner_read | fs::perms::owner_exec);
  const bool writable = [&] {
    std::ofstream probe(d / "ro" / "probe");
    return static_cast<bool>(probe);
  }();
  if (!writable) {
    err.clear();
    CHECK_FALSE(session::save_project(s, d / "ro" / "project.toml", {}, rep, err));
    CHECK(err.find("project.toml") != std::string::npos);
    CHECK(fs::is_empty(d / "ro"));
  }
  fs::permissions(d / "ro", fs::perms::owner_all);
  fs::remove_all(d);
  if (writable) kepumap::test::record_skip("running as root: a read-only folder is writable");
}

TEST_CASE("abandon_all cancels every task and never calls its completion (another project opened)",
          "[unit][save]") {
  session::TaskManager tm;
  bool called = false;
  auto st = tm.run<int>(
      "old project's run",
      [](session::TaskState& s) {
        while (!s.cancelled()) std::this_thread::yield();
        return 1;
      },
      [&](int&) { called = true; });
  tm.abandon_all();
  CHECK(st->cancelled());
  CHECK(tm.running().empty());
  while (!st->done()) std::this_thread::yield();
  tm.poll();
  CHECK_FALSE(called);
}

TEST_CASE("travel scenarios created, changed and deleted in the app are undoable edits and are saved",
          "[integration][save][scenario]") {
  const fs::path d = temp_dir("scenarios");
  for (const auto& e : fs::directory_iterator(test::source_dir() / "data/abag"))
    fs::copy(e.path(), d / e.path().filename(), fs::copy_options::recursive);
  session::Session s = evaluated(d / "project.toml");
  const auto doc0 = s.document();
  REQUIRE(doc0->config.scenarios.size() == 1);
  const core::Scenario winter = doc0->config.scenarios[0];
  std::string err, msg;

  // a bad definition is refused with one line and changes nothing
  core::Scenario bad;
  bad.name = "deep snow";
  CHECK_FALSE(s.put_scenario(bad, err));
  CHECK(err.find("deep snow") != std::string::npos);
  bad.name = "deep_snow";
  bad.offroad_kmh = -3;
  CHECK_FALSE(s.put_scenario(bad, err));
  CHECK(err.find("off-road") != std::string::npos);
  CHECK(s.revision() == 1);
  CHECK(s.edits().empty());

  // a new scenario: a new revision; choosing it evaluates it with its speeds
  core::Scenario snow;
  snow.name = "deep_snow";
  snow.label = "大雪封路 Deep snow";
  snow.offroad_kmh = 5;
  snow.closed_classes = {"track"};
  REQUIRE(s.put_scenario(snow, err));
  CHECK(s.revision() != 1);
  REQUIRE(s.document()->config.scenarios.size() == 2);
  s.set_scenario("deep_snow");
  REQUIRE(s.install(session::evaluate(s.document(), s.revision(), s.scenario()), msg));
  const int km = s.set_index("museum");
  REQUIRE(km >= 0);
  const double snow_share = s.evaluation().ev.coverage.total.service[static_cast<std::size_t>(km)].share();
  // the same figure as the command line's --scenario on a project that has the scenario written
  // (checked below after saving)

  // changing it: the same name, another speed; unchanged definitions are no edit
  CHECK_FALSE(s.put_scenario(s.document()->config.scenarios[1], err));
  CHECK(err.empty());
  core::Scenario snow2 = snow;
  snow2.offroad_kmh = 4;
  REQUIRE(s.put_scenario(snow2, err));
  CHECK(s.stale());
  CHECK(s.edit_lines(false).back() == "修改出行情景 deep_snow");
  REQUIRE(s.undo());
  REQUIRE(s.document()->config.scenarios[1].offroad_kmh == 5.0);
  REQUIRE(s.install(session::evaluate(s.document(), s.revision(), s.scenario()), msg));

  // the winter scenario edited, then deleted and the deletion undone: back as it was
  core::Scenario w2 = winter;
  w2.offroad_kmh = 9;
  w2.ice = true;
  REQUIRE(s.put_scenario(w2, err));
  REQUIRE(s.remove_scenario("winter", err));
  CHECK(s.document()->config.scenarios.size() == 1);
  REQUIRE(s.undo());
  REQUIRE(s.document()->config.scenarios.size() == 2);
  CHECK(s.document()->config.scenarios[0].offroad_kmh == 9.0);
  // deleting the scenario shown shows the base
  REQUIRE(s.remove_scenario("deep_snow", err));
  CHECK(s.scenario().empty());
  REQUIRE(s.undo());
  CHECK_FALSE(s.remove_scenario("nope", err));
  CHECK(err.find("nope") != std::string::npos);

  // saved: winter changed in place (its comment-free lines kept), deep_snow appended
  REQUIRE(s.install(session::evaluate(s.document(), s.revision(), s.scenario()), msg));
  session::SaveReport rep;
  REQUIRE(session::save_project(s, d / "project.toml", {}, rep, err));
  const std::string saved = read(d / "project.toml");
  INFO(saved);
  CHECK(saved.find("road_speeds = { \"县道\" = 50, \"乡道\" = 30, \"gravel\" = 25, \"track\" = 15 }") !=
        std::string::npos);
  CHECK(saved.find("offroad_kmh = 9\n") != std::string::npos);
  CHECK(saved.find("ice = true\n") != std::string::npos);
  CHECK(saved.find("name = \"deep_snow\"") != std::string::npos);
  const core::Document b = io::load_project(d / "project.toml");
  REQUIRE_FALSE(b.diagnostics.has_errors());
  REQUIRE(b.config.scenarios.size() == 2);
  CHECK(b.config.scenarios[0].name == "winter");
  CHECK(b.config.scenarios[0].offroad_kmh == 9.0);
  CHECK(b.config.scenarios[0].ice == true);
  CHECK(b.config.scenarios[1].name == "deep_snow");
  CHECK(b.config.scenarios[1].label == "大雪封路 Deep snow");
  CHECK(b.config.scenarios[1].closed_classes == std::vector<std::string>{"track"});
  // the reloaded project's scenario gives the figure the session showed
  session::Evaluated e = session::evaluate(std::make_shared<const core::Document>(b), 1, "deep_snow");
  REQUIRE(e.pe);
  CHECK(e.pe->ev.coverage.total.service[static_cast<std::size_t>(km)].share() ==
        Approx(snow_share).margin(1e-12));
  // and it is slower than the base: a real scenario, not a no-op
  session::Evaluated base = session::evaluate(std::make_shared<const core::Document>(b), 1, "");
  REQUIRE(base.pe);
  CHECK(base.pe->ev.coverage.total.service[static_cast<std::size_t>(km)].share() > snow_share);
  fs::remove_all(d);
}

TEST_CASE("category colours, manual breaks and a ramp are saved in the style table and read back the same",
          "[unit][save][style]") {
  core::Diagnostics diag;
  const core::ProjectConfig old = io::parse_project(k_text, "/x/project.toml", diag);
  REQUIRE_FALSE(diag.has_errors());
  std::vector<core::LayerSpec> specs = old.layers;
  core::LayerStyleSpec& g = specs[0].style;
  g.kind = "graduated";
  g.field = "population";
  g.method = "manual";
  g.breaks = {0, 30, 60, 120.5};
  g.classes = 5;
  g.ramp = "travel_time";
  core::LayerStyleSpec& c = specs[2].style;
  c.kind = "categories";
  c.field = "level";
  c.category_colors = {{"旗级", "#aabbcc"}, {"苏木\"级\"", "#112233"}};  // sorted by value
  const std::string out = io::edit_project_layers(k_text, old, specs);
  INFO(out);
  CHECK(out.find(
            "style = { kind = \"graduated\", field = \"population\", method = \"manual\", breaks = [0, 30, "
            "60, 120.5], ramp = \"travel_time\" }") != std::string::npos);
  CHECK(out.find("style = { kind = \"categories\", field = \"level\", colors = { \"旗级\" = \"#aabbcc\", "
                 "\"苏木\\\"级\\\"\" = \"#112233\" } }") != std::string::npos);
  core::Diagnostics d2;
  const core::ProjectConfig now = io::parse_project(out, "/x/project.toml", d2);
  REQUIRE_FALSE(d2.has_errors());
  CHECK(now.layers[0].style == specs[0].style);
  CHECK(now.layers[0].style.classes == 5);  // manual: one more class than breaks
  CHECK(now.layers[2].style == specs[2].style);
  // load -> save -> load: the same text, the same specs
  CHECK(io::edit_project_layers(out, now, now.layers) == out);
  // TOML spelt by hand: colours in any order, integer and float breaks
  std::string text = k_text;
  const std::string at = "fields = { name = \"name\", population = \"pop\" }";
  text.replace(text.find(at), at.size(),
               at + "\nstyle = { kind = \"categories\", field = \"name\", colors = { \"乙\" = \"#010203\", "
                    "\"甲\" = \"#040506\" } }");
  core::Diagnostics d3;
  const core::ProjectConfig hand = io::parse_project(text, "/x/project.toml", d3);
  REQUIRE_FALSE(d3.has_errors());
  REQUIRE(hand.layers[0].style.category_colors.size() == 2);
  CHECK(std::is_sorted(hand.layers[0].style.category_colors.begin(),
                       hand.layers[0].style.category_colors.end()));
}

TEST_CASE("a bad category colour or break is one line naming the file and the layer", "[unit][save][style]") {
  auto problem = [](const std::string& style) {
    std::string text = k_text;
    const std::string at = "fields = { name = \"name\", population = \"pop\" }";
    text.replace(text.find(at), at.size(), at + "\nstyle = " + style);
    core::Diagnostics diag;
    io::parse_project(text, "/x/project.toml", diag);
    REQUIRE(diag.problems.size() == 1);
    return diag.problems.front().to_line();
  };
  CHECK(problem("{ kind = \"categories\", field = \"name\", colors = { \"旗级\" = \"red\" } }") ==
        "error: /x/project.toml:12: layer banner: key 'style.colors': bad colour \"red\" for \"旗级\" (use "
        "#rrggbb or #rrggbbaa)");
  CHECK(problem("{ kind = \"categories\", field = \"name\", colors = { \"旗级\" = 3 } }")
            .find("layer banner: key 'colors' must be a table of strings") != std::string::npos);
  CHECK(problem("{ kind = \"graduated\", field = \"pop\", method = \"manual\" }")
            .find("layer banner: key 'style': method \"manual\" needs breaks") != std::string::npos);
  CHECK(problem("{ kind = \"graduated\", field = \"pop\", method = \"manual\", breaks = [60, 30] }") ==
        "error: /x/project.toml:12: layer banner: key 'style.breaks' must be 1 to 8 ascending numbers (the "
        "upper bounds of the classes but the last, e.g. [0, 30, 60, 120])");
  CHECK(problem("{ kind = \"graduated\", field = \"pop\", method = \"manual\", breaks = [\"a\"] }")
            .find("layer banner: key 'breaks' must be an array of numbers") != std::string::npos);
  CHECK(problem("{ kind = \"graduated\", field = \"pop\", ramp = \"rainbow\" }")
            .find("layer banner: 'rainbow' is not a valid style.ramp") != std::string::npos);
  CHECK(problem("{ kind = \"graduated\", field = \"pop\", breaks = [1, 2] }")
            .find("layer banner: key 'style': breaks are for method = \"manual\" only") != std::string::npos);
  CHECK(problem("{ kind = \"single\", colors = { a = \"#ffffff\" } }")
            .find("layer banner: key 'style': colors are for kind = \"categories\" only") !=
        std::string::npos);
  CHECK(problem("{ kind = \"categories\", field = \"name\", ramp = \"gap\" }")
            .find("key 'style': method, breaks and ramp are for kind = \"graduated\" only") !=
        std::string::npos);
}
