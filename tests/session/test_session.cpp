// The session on its own (no window): revisions, the edit log across kinds, recompute keeping
// every edit, accepted sites counted as facilities, replay on a changed project, and the task
// manager.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "analysis/evaluation.hpp"
#include "io/project.hpp"
#include "io/scenario_file.hpp"
#include "session/session.hpp"
#include "session/tasks.hpp"
#include "test_paths.hpp"

using namespace kepumap;
namespace fs = std::filesystem;

namespace {

/// data/abag loaded once (the tests copy the shared pointer, never the document).
std::shared_ptr<const core::Document> abag() {
  static std::shared_ptr<const core::Document> doc =
      std::make_shared<const core::Document>(io::load_project(test::source_dir() / "data/abag/project.toml"));
  return doc;
}

/// A session on data/abag with its evaluation installed.
session::Session evaluated() {
  session::Session s(abag());
  std::string msg;
  REQUIRE(s.install(session::evaluate(s.document(), s.revision(), s.scenario()), msg));
  return s;
}

std::size_t set_of(const session::Session& s, const char* facility) {
  const int k = s.set_index(facility);
  REQUIRE(k >= 0);
  return static_cast<std::size_t>(k);
}

double share(const session::Session& s, std::size_t k) {
  return s.evaluation().ev.coverage.total.service[k].share();
}

const analysis::TargetResult& target(const session::Session& s, const std::string& id) {
  for (const auto& t : s.evaluation().ev.targets)
    if (t.target && t.target->id == id) return t;
  FAIL("no target " << id);
  return s.evaluation().ev.targets.front();
}

core::Layer other_layer() {
  core::Layer l;
  l.name = "extra points";
  l.role = core::Role::Other;
  l.geom.kind = core::GeomKind::Point;
  l.geom.add_point_feature({0, 0});
  return l;
}

}  // namespace

TEST_CASE("session: recompute after adding a layer keeps every edit and accepted site", "[session]") {
  session::Session s = evaluated();
  const std::size_t eb = set_of(s, "education_base");
  const std::size_t n0 = s.evaluation().ev.sets[eb].points.size();
  const double before = share(s, eb);
  std::string err;
  const core::Vec2 p0 = s.evaluation().ev.sets[eb].points[0];
  REQUIRE(s.move_facility(eb, 0, {p0.x + 20000, p0.y}, err));
  const core::Vec2 seat = s.evaluation().area.facts.seat[0];
  REQUIRE(s.accept_sites("education_base", {seat}, {"甲嘎查新址"}, "banner", "MCLP, p = 1", err));
  REQUIRE(s.evaluation().ev.sets[eb].points.size() == n0 + 1);
  const double edited = share(s, eb);
  const std::uint64_t rev = s.revision();

  s.add_layer(other_layer());
  CHECK(s.revision() != rev);
  CHECK(s.stale());
  CHECK(s.needs_evaluation());
  std::string msg;
  REQUIRE(s.install(session::evaluate(s.document(), s.revision(), s.scenario()), msg));
  CHECK_FALSE(s.stale());
  CHECK(s.applied() == 3);
  CHECK(s.facility_edits() == 2);
  CHECK(s.evaluation().ev.sets[eb].points.size() == n0 + 1);
  CHECK(s.evaluation().ev.sets[eb].names.back() == "甲嘎查新址");
  CHECK(share(s, eb) == Approx(edited).margin(1e-12));

  // Undo across kinds: the layer, then the accepted sites, then the move.
  REQUIRE(s.undo());
  CHECK(s.document()->layers.size() == abag()->layers.size());
  CHECK(s.stale());
  REQUIRE(s.install(session::evaluate(s.document(), s.revision(), s.scenario()), msg));
  CHECK(share(s, eb) == Approx(edited).margin(1e-12));
  REQUIRE(s.undo());
  CHECK(s.evaluation().ev.sets[eb].points.size() == n0);
  REQUIRE(s.undo());
  CHECK(share(s, eb) == Approx(before).margin(1e-12));
  CHECK_FALSE(s.can_undo());
  REQUIRE(s.redo());
  REQUIRE(s.redo());
  CHECK(share(s, eb) == Approx(edited).margin(1e-12));
}

TEST_CASE("session: accepted and added sites count toward facility targets, deleting all bases drops them",
          "[session]") {
  session::Session s = evaluated();
  const std::size_t eb = set_of(s, "education_base");
  const auto& t0 = target(s, "region_education_bases");
  REQUIRE(t0.evaluated);
  const double count0 = t0.value;
  std::string err;
  const core::Vec2 seat = s.evaluation().area.facts.seat[0];
  REQUIRE(s.accept_sites("education_base", {seat, s.evaluation().area.facts.seat[1]}, {"新址甲", "新址乙"},
                         "region", "test", err));
  CHECK(target(s, "region_education_bases").value == Approx(count0 + 2));
  // A site added without a level counts once it is given one.
  const int i = s.add_facility(eb, s.evaluation().area.facts.seat[2], "", "", err);
  REQUIRE(i >= 0);
  CHECK(target(s, "region_education_bases").value == Approx(count0 + 2));
  REQUIRE(s.rename_facility(eb, static_cast<std::size_t>(i), "新址丙", "region", err));
  CHECK(s.evaluation().ev.sets[eb].names[static_cast<std::size_t>(i)] == "新址丙");
  CHECK(target(s, "region_education_bases").value == Approx(count0 + 3));
  // Delete every base: coverage and the count fall to zero together.
  while (!s.evaluation().ev.sets[eb].points.empty()) REQUIRE(s.delete_facility(eb, 0, err));
  CHECK(share(s, eb) == 0.0);
  CHECK(target(s, "region_education_bases").value == 0.0);
  CHECK_FALSE(target(s, "region_education_bases").pass);
}

TEST_CASE("session: an edit log replayed on a project whose facility is gone leaves the session unchanged",
          "[session]") {
  session::Session s = evaluated();
  const std::size_t eb = set_of(s, "education_base");
  std::string err;
  const auto& pts = s.evaluation().ev.sets[eb].points;
  const std::size_t last = pts.size() - 1;
  REQUIRE(s.move_facility(eb, last, {pts[last].x + 5000, pts[last].y + 5000}, err));
  const double edited = share(s, eb);

  // The project changes under the session: its education-base layer is removed.
  const core::Layer* bases = s.document()->find(core::Role::EducationBase);
  REQUIRE(bases);
  const auto rm = static_cast<std::size_t>(bases - s.document()->layers.data());
  REQUIRE(s.remove_layer(rm));
  CHECK(s.stale());
  const auto rev = s.revision();
  const auto key = s.key();
  std::string msg;
  CHECK_FALSE(s.install(session::evaluate(s.document(), rev, s.scenario()), msg));
  CHECK(msg.find("no longer") != std::string::npos);
  CHECK(msg.find("education_base") != std::string::npos);
  // unchanged: the old figures and the edits are still there (stale, as the message says)
  CHECK(s.key() == key);
  CHECK(share(s, eb) == Approx(edited).margin(1e-12));
  CHECK(s.applied() == 2);
  // undoing the removal brings a revision the edits apply to again
  REQUIRE(s.undo());
  REQUIRE(s.install(session::evaluate(s.document(), s.revision(), s.scenario()), msg));
  CHECK(share(s, eb) == Approx(edited).margin(1e-12));

  // A stale evaluation of an older revision is refused too.
  CHECK_FALSE(s.install(session::evaluate(s.document(), s.revision() - 1, s.scenario()), msg));
  CHECK(msg.find("older revision") != std::string::npos);
}

TEST_CASE("session: scenario files round-trip, a bad one changes nothing", "[session]") {
  session::Session s = evaluated();
  const std::size_t eb = set_of(s, "education_base");
  std::string err;
  const core::Vec2 seat = s.evaluation().area.facts.seat[3];
  REQUIRE(s.add_facility(eb, seat, "新址", "league", err) >= 0);
  REQUIRE(s.set_standard(eb, 45 * 60.0, err));
  const double edited = share(s, eb);
  const auto saved = s.saved_edits();
  REQUIRE(saved.size() == 2);

  const fs::path dir = fs::temp_directory_path() / ("kepumap_session_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path file = dir / "abag.scenarios.toml";
  REQUIRE(io::write_scenarios(file, {{"plan A", saved}}, err));
  const auto list = io::read_scenarios(file, err);
  REQUIRE(err.empty());
  REQUIRE(list.size() == 1);
  REQUIRE(list[0].edits.size() == 2);
  CHECK(list[0].edits[0].to.x == seat.x);  // exact
  CHECK(list[0].edits[0].level == "league");

  session::Session t = evaluated();
  REQUIRE(t.load_saved(list[0].edits, file.string(), err));
  CHECK(share(t, eb) == Approx(edited).margin(1e-12));

  // A delete of a facility the project does not have: nothing changes.
  auto bad = list[0].edits;
  io::SavedEdit del;
  del.kind = "delete";
  del.facility = "education_base";
  del.index = 999;
  del.line = 7;
  bad.push_back(del);
  const auto key = t.key();
  CHECK_FALSE(t.load_saved(bad, file.string(), err));
  CHECK(err.find(":7: edit 3: no facility 999") != std::string::npos);
  CHECK(share(t, eb) == Approx(edited).margin(1e-12));
  CHECK(t.applied() == 2);
  CHECK(t.key().edits != key.edits);  // figures redrawn (the same numbers)

  // A file that does not parse: one line naming the file and line, no scenarios.
  std::ofstream(dir / "bad.toml")
      << "[[whatif]]\nname = \"x\"\n[[whatif.edit]]\nkind = \"move\nfacility = 3\n";
  err.clear();
  CHECK(io::read_scenarios(dir / "bad.toml", err).empty());
  CHECK(err.find("bad.toml:") != std::string::npos);
  std::ofstream(dir / "kind.toml")
      << "[[whatif]]\nname = \"x\"\n[[whatif.edit]]\nkind = \"teleport\"\nfacility = \"museum\"\nindex = 0\n";
  err.clear();
  CHECK(io::read_scenarios(dir / "kind.toml", err).empty());
  CHECK(err.find("kind.toml:3: scenario 'x': kind: unknown kind 'teleport'") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("session: report lines name the scenario and every edit, edited sets become layers", "[session]") {
  session::Session s = evaluated();
  CHECK(s.scenario_label(false) == "现状");
  CHECK(s.edited_facility_layers().empty());
  std::string err;
  REQUIRE(s.accept_sites("education_base", {s.evaluation().area.facts.seat[0]}, {"新址甲"}, "", "MCLP, p = 1",
                         err));
  CHECK(s.scenario_label(false) == "现状 + 假设编辑 1 项");
  CHECK(s.scenario_label(true) == "current + 1 what-if edit");
  const auto lines = s.edit_lines(false);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].find("新址甲") != std::string::npos);
  CHECK(lines[0].find("MCLP, p = 1") != std::string::npos);
  const auto layers = s.edited_facility_layers();
  REQUIRE(layers.size() == 1);
  CHECK(layers[0].role == core::Role::EducationBase);
  const std::size_t eb = set_of(s, "education_base");
  CHECK(layers[0].geom.feature_count() == s.evaluation().ev.sets[eb].points.size());
}

TEST_CASE("task manager: completion on poll, cancel seen by the worker, no wait on destruction",
          "[session][tasks]") {
  std::shared_ptr<session::TaskState> st;
  int result = 0;
  {
    session::TaskManager tm;
    auto quick = tm.run<int>(
        "quick",
        [](session::TaskState& s) {
          s.set_stage("adding", 0, 1);
          return 41 + 1;
        },
        [&](int& r) { result = r; });
    while (!quick->done()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    CHECK(result == 0);  // only poll() hands the result over
    tm.poll();
    CHECK(result == 42);
    CHECK(tm.running().empty());
    st = tm.run<int>(
        "forever",
        [](session::TaskState& s) {
          s.set_stage("spinning", 1, 2);
          while (!s.cancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
          return -1;
        },
        [&](int& r) { result = r; });
    CHECK(tm.find("forever") == st);
    while (st->progress() < 0.5f) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    CHECK(st->stage() == "spinning");
  }
  // The manager is gone without waiting; the worker saw the cancel and ends by itself.
  CHECK(st->cancelled());
  while (!st->done()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  CHECK(result == 42);  // a dropped task's completion never runs
}

TEST_CASE(
    "session: the live capacity and accessibility view follows moves, drags and undo, and equals a "
    "fresh compute_access",
    "[session][access]") {
  session::Session s = evaluated();
  const std::size_t k = set_of(s, "education_base");
  REQUIRE(s.evaluation().ev.sets[k].has_capacity);
  // The same figures as `kepumap access` computes from scratch.
  auto fresh = [&](analysis::AccessMethod m) {
    analysis::AccessRequest req;
    req.method = m;
    req.decay = analysis::Decay::Gaussian;
    analysis::AccessOutcome out;
    REQUIRE(analysis::compute_access(s.evaluation(), k, req, out).empty());
    return out;
  };
  auto same = [&](const analysis::LiveAccess& la) {
    const auto e2 = fresh(analysis::AccessMethod::Enhanced);
    const auto cap = fresh(analysis::AccessMethod::Capacity);
    CHECK(la.index().mean == Approx(e2.mean).epsilon(1e-12));
    CHECK(la.index().equity.gini == Approx(e2.equity.gini).epsilon(1e-12));
    REQUIRE(la.index().units.value.size() == e2.units.value.size());
    for (std::size_t u = 0; u < e2.units.value[0].size(); ++u)
      CHECK(la.index().units.value[0][u] == Approx(e2.units.value[0][u]).epsilon(1e-12));
    REQUIRE(la.has_capacity());
    CHECK(la.capacity().capacity.total_realised == Approx(cap.capacity.total_realised).epsilon(1e-12));
    CHECK(la.capacity().capacity.total_reach == Approx(cap.capacity.total_reach).epsilon(1e-12));
    CHECK(la.capacity().catchment.data == cap.catchment.data);
  };
  const analysis::LiveAccess* la = s.access(k);
  REQUIRE(la);
  const std::size_t n = s.evaluation().ev.sets[k].points.size();
  CHECK(la->searched() == n);  // first use: every facility searched
  same(*la);
  const double gini0 = la->index().equity.gini;
  const double realised0 = la->capacity().capacity.total_realised;
  // Asking again without a change does not update: the figures and the timing are the same.
  const double ms0 = la->last_ms();
  la = s.access(k);
  CHECK(la->last_ms() == ms0);
  CHECK(la->index().equity.gini == gini0);

  // Move one base 15 km: only it is searched again and the figures are a fresh computation's.
  const core::Vec2 p0 = s.evaluation().ev.sets[k].points[0];
  std::string err;
  REQUIRE(s.move_facility(k, 0, {p0.x + 15'000, p0.y - 5'000}, err));
  la = s.access(k);
  REQUIRE(la);
  CHECK(la->searched() == 1);
  same(*la);
  CHECK(la->index().equity.gini != Approx(gini0).epsilon(1e-9));

  // A drag: every step searches only the dragged base; its end is one edit.
  REQUIRE(s.begin_drag(k, 1));
  const core::Vec2 p1 = s.evaluation().ev.sets[k].points[1];
  for (int step = 1; step <= 3; ++step) {
    s.drag_to({p1.x + 4'000.0 * step, p1.y});
    la = s.access(k);
    REQUIRE(la);
    CHECK(la->searched() == 1);
  }
  same(*la);
  s.end_drag();

  // Adding a base with no capacity (unlimited) never lowers the people served.
  const double before_add = s.access(k)->capacity().capacity.total_realised;
  REQUIRE(s.add_facility(k, {p0.x - 20'000, p0.y + 10'000}, "新址 测试", "", err) >= 0);
  la = s.access(k);
  CHECK(la->searched() == 1);
  CHECK(la->capacity().capacity.total_realised >= before_add - 1e-6);
  same(*la);

  // Undo everything: back to the data's figures, with nothing searched twice that is cached.
  while (s.can_undo()) s.undo();
  la = s.access(k);
  same(*la);
  CHECK(la->index().equity.gini == Approx(gini0).epsilon(1e-12));
  CHECK(la->capacity().capacity.total_realised == Approx(realised0).epsilon(1e-12));
}

namespace {

/// data/abag with an access_index and a capacity_coverage_share target (edits and drag steps
/// compute those too).
std::shared_ptr<const core::Document> abag_with_access_targets() {
  auto doc = std::make_shared<core::Document>(*abag());
  core::Target ai;
  ai.id = "access_every_township";
  ai.metric = core::Metric::AccessIndex;
  ai.facility = "education_base";
  ai.scope = core::Scope::EveryTownship;
  ai.threshold = 0.5;
  core::Target cs = ai;
  cs.id = "capacity_share";
  cs.metric = core::Metric::CapacityCoverageShare;
  cs.scope = core::Scope::Region;
  cs.threshold = 0.1;
  doc->config.targets.push_back(ai);
  doc->config.targets.push_back(cs);
  return doc;
}

}  // namespace

TEST_CASE("session: access_index and capacity_coverage_share targets stay evaluated through edits and drags",
          "[session][access]") {
  session::Session s(abag_with_access_targets());
  std::string msg;
  REQUIRE(s.install(session::evaluate(s.document(), s.revision(), s.scenario()), msg));
  auto value = [&](const std::string& id) {
    const auto& t = target(s, id);
    INFO(id << ": " << t.reason);
    REQUIRE(t.evaluated);
    return t.value;
  };
  const double a0 = value("access_every_township"), c0 = value("capacity_share");
  const std::size_t k = set_of(s, "education_base");
  const core::Vec2 p0 = s.evaluation().ev.sets[k].points[0];
  std::string err;
  REQUIRE(s.move_facility(k, 0, {p0.x + 25'000, p0.y + 15'000}, err));
  const double a1 = value("access_every_township");
  value("capacity_share");
  REQUIRE(s.begin_drag(k, 1));
  const core::Vec2 p1 = s.evaluation().ev.sets[k].points[1];
  s.drag_to({p1.x + 10'000, p1.y});
  value("access_every_township");
  s.end_drag();
  // Undo gives the data's figures back exactly, redo the moved one.
  while (s.can_undo()) s.undo();
  CHECK(value("access_every_township") == Approx(a0).epsilon(1e-12));
  CHECK(value("capacity_share") == Approx(c0).epsilon(1e-12));
  REQUIRE(s.redo());
  CHECK(value("access_every_township") == Approx(a1).epsilon(1e-12));
}

TEST_CASE("session: a style edit is undone and redone with the others and never makes the figures stale",
          "[session][style]") {
  session::Session s = evaluated();
  const std::size_t eb = set_of(s, "education_base");
  std::string err;
  const core::Vec2 p0 = s.evaluation().ev.sets[eb].points[0];
  REQUIRE(s.move_facility(eb, 0, {p0.x + 20000, p0.y}, err));
  const double moved = share(s, eb);
  const std::uint64_t rev = s.revision();
  const session::Key key = s.key();
  std::size_t villages = SIZE_MAX;
  for (std::size_t i = 0; i < s.document()->layers.size(); ++i)
    if (s.document()->layers[i].name == "villages") villages = i;
  REQUIRE(villages != SIZE_MAX);
  const core::LayerStyleSpec before = s.layer_style(villages);
  CHECK_FALSE(before.given());  // data/abag gives the gachaa no style of their own

  core::LayerStyleSpec st;
  st.kind = "graduated";
  st.field = "population";
  st.method = "manual";
  st.breaks = {100, 300, 600};
  st.classes = 4;
  st.ramp = "gap";
  REQUIRE(s.style_layer(villages, st));
  CHECK_FALSE(s.style_layer(villages, st));  // the style in effect: no edit
  CHECK(s.layer_style(villages) == st);
  // a look, not the analysis: no new revision, the figures neither stale nor recomputed
  CHECK(s.revision() == rev);
  CHECK_FALSE(s.stale());
  CHECK_FALSE(s.needs_evaluation());
  CHECK(s.key() == key);
  CHECK(s.applied() == 2);
  CHECK(s.facility_edits() == 1);  // the report's edit count is the facility edits'
  CHECK(s.edit_lines(true).back() == "changed the style of layer villages");
  CHECK(s.edit_lines(true, true).size() == 1);
  CHECK(s.saved_edits().size() == 1);

  // undo takes the style back, then the move; redo brings both again, in order
  REQUIRE(s.undo());
  CHECK(s.layer_style(villages) == before);
  CHECK(share(s, eb) == Approx(moved).margin(1e-12));
  CHECK_FALSE(s.stale());
  REQUIRE(s.undo());
  CHECK(share(s, eb) != Approx(moved).margin(1e-12));
  REQUIRE(s.redo());
  REQUIRE(s.redo());
  CHECK(s.layer_style(villages) == st);
  CHECK(share(s, eb) == Approx(moved).margin(1e-12));
  CHECK(s.revision() == rev);

  // a second style edit on top, undone: the first is back
  core::LayerStyleSpec st2 = st;
  st2.breaks = {50};
  st2.classes = 2;
  REQUIRE(s.style_layer(villages, st2));
  REQUIRE(s.undo());
  CHECK(s.layer_style(villages) == st);
  // style edits go through while an export holds the figures
  {
    auto token = s.freeze();
    REQUIRE(s.redo());
    CHECK(s.layer_style(villages) == st2);
  }
}

namespace {

session::Session evaluated(std::shared_ptr<const core::Document> doc) {
  session::Session s(std::move(doc));
  std::string msg;
  REQUIRE(s.install(session::evaluate(s.document(), s.revision(), s.scenario()), msg));
  return s;
}

/// Every figure of two evaluations is the same number (surfaces, per-cell grids, units, targets).
/// `labels`: the surfaces' nearest-facility labels too (a drag step and a full search may label
/// a cell two facilities reach in exactly the same time differently; every time is the same).
void same_figures(const analysis::Evaluation& a, const analysis::Evaluation& b, bool labels = true) {
  REQUIRE(a.sets.size() == b.sets.size());
  for (std::size_t k = 0; k < a.sets.size(); ++k) {
    CHECK(a.sets[k].points.size() == b.sets[k].points.size());
    for (std::size_t i = 0; i < a.sets[k].points.size() && i < b.sets[k].points.size(); ++i) {
      CHECK(a.sets[k].points[i].x == b.sets[k].points[i].x);
      CHECK(a.sets[k].points[i].y == b.sets[k].points[i].y);
    }
    CHECK(a.surfaces[k].seconds.data == b.surfaces[k].seconds.data);
    if (labels) CHECK(a.surfaces[k].nearest.data == b.surfaces[k].nearest.data);
    // the services read their own evaluation's surfaces
    if (a.services[k].time) CHECK(a.services[k].time == &a.surfaces[k].seconds);
  }
  CHECK(a.coverage.best_time.data == b.coverage.best_time.data);
  CHECK(a.coverage.gap.data == b.coverage.gap.data);
  CHECK(a.coverage.equity.gini_time == b.coverage.equity.gini_time);
  CHECK(a.coverage.total.covered_any == b.coverage.total.covered_any);
  REQUIRE(a.coverage.levels.size() == b.coverage.levels.size());
  for (std::size_t l = 0; l < a.coverage.levels.size(); ++l) {
    REQUIRE(a.coverage.levels[l].size() == b.coverage.levels[l].size());
    for (std::size_t u = 0; u < a.coverage.levels[l].size(); ++u) {
      const auto &x = a.coverage.levels[l][u], &y = b.coverage.levels[l][u];
      CHECK(x.covered_any == y.covered_any);
      CHECK(x.gap == y.gap);
      for (std::size_t k = 0; k < x.service.size(); ++k) {
        CHECK(x.service[k].covered == y.service[k].covered);
        CHECK(x.service[k].mean_s == y.service[k].mean_s);
      }
    }
  }
  REQUIRE(a.targets.size() == b.targets.size());
  for (std::size_t t = 0; t < a.targets.size(); ++t) {
    INFO(a.targets[t].target->id);
    CHECK(a.targets[t].evaluated == b.targets[t].evaluated);
    CHECK(a.targets[t].value == b.targets[t].value);
    CHECK(a.targets[t].pass == b.targets[t].pass);
  }
}

/// Polls `tm` until the session's drag is over; returns how many figure updates arrived.
int settle(session::Session& s, session::TaskManager& tm) {
  int steps = 0;
  std::uint64_t serial = s.key().edits;
  for (int i = 0; s.dragging() && i < 60'000; ++i) {
    tm.poll();
    if (s.key().edits != serial) ++steps;
    serial = s.key().edits;
    if (s.dragging()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  REQUIRE_FALSE(s.dragging());
  return steps;
}

}  // namespace

TEST_CASE("session: a drag computed in tasks coalesces the moves and ends with the figures of a direct move",
          "[session][whatif]") {
  session::Session s = evaluated(abag_with_access_targets());
  session::TaskManager tm;
  s.use_tasks(&tm);
  const std::size_t k = set_of(s, "education_base");
  const analysis::Evaluation before = s.evaluation().ev;
  const core::Vec2 p1 = s.evaluation().ev.sets[k].points[1];
  const session::Key key0 = s.key();
  REQUIRE(s.begin_drag(k, 1));
  CHECK(s.drag_held());
  // Twenty moves within one frame: the first starts a step, the others only replace its place.
  core::Vec2 last{};
  for (int step = 1; step <= 20; ++step) {
    last = {p1.x + 1'500.0 * step, p1.y - 700.0 * step};
    s.drag_to(last);
  }
  CHECK(s.drag_computing());
  CHECK(tm.running().size() == 1);
  REQUIRE(s.drag_place());
  CHECK(s.drag_place()->at.x == last.x);
  // Nothing arrives before the UI thread polls: the figures shown are still the data's.
  CHECK(s.key() == key0);
  CHECK(s.evaluation().ev.sets[k].points[1].x == p1.x);
  CHECK_FALSE(s.can_undo());
  s.end_drag();
  CHECK(s.dragging());  // released, its steps still computing
  CHECK_FALSE(s.drag_held());
  s.drag_to({p1.x, p1.y});  // moves after the release are not followed
  // Two figure updates: the first step's, then the newest place's (whose arrival ends the drag
  // and records the edit).
  CHECK(settle(s, tm) == 2);
  REQUIRE(s.applied() == 1);
  CHECK(s.edits().back().kind == session::Edit::Kind::Move);
  CHECK(s.edits().back().to.x == last.x);
  CHECK(s.edits().back().to.y == last.y);
  CHECK(s.changed_cells().empty());

  // The same numbers as one direct drag step there (computed within drag_to, as without tasks)
  // and as moving the facility there (a full recompute of its set).
  session::Session d = evaluated(abag_with_access_targets());
  REQUIRE(d.begin_drag(k, 1));
  d.drag_to(last);
  d.end_drag();
  same_figures(s.evaluation().ev, d.evaluation().ev);
  session::Session t = evaluated(abag_with_access_targets());
  std::string err;
  REQUIRE(t.move_facility(k, 1, last, err));
  same_figures(s.evaluation().ev, t.evaluation().ev, false);
  // Undo gives the data's figures back exactly; redo the moved ones.
  REQUIRE(s.undo());
  same_figures(s.evaluation().ev, before);
  REQUIRE(s.redo());
  same_figures(s.evaluation().ev, t.evaluation().ev);
}

TEST_CASE("session: a drag step task cancelled ends the drag where that step put the facility",
          "[session][whatif]") {
  session::Session s = evaluated();
  session::TaskManager tm;
  s.use_tasks(&tm);
  const std::size_t k = set_of(s, "education_base");
  const core::Vec2 p0 = s.evaluation().ev.sets[k].points[0];
  const core::Vec2 a{p0.x + 12'000, p0.y + 3'000};
  REQUIRE(s.begin_drag(k, 0));
  s.drag_to(a);
  s.drag_to({p0.x + 30'000, p0.y});  // pending, never computed
  auto task = tm.find("What-if drag");
  REQUIRE(task);
  task->cancel();
  settle(s, tm);
  REQUIRE(s.applied() == 1);
  CHECK(s.edits().back().to.x == a.x);
  // The figures of one direct drag step there (computed within drag_to, as without tasks) ...
  session::Session d = evaluated();
  REQUIRE(d.begin_drag(k, 0));
  d.drag_to(a);
  d.end_drag();
  same_figures(s.evaluation().ev, d.evaluation().ev);
  // ... and a full recompute's (on data/abag one cell two bases reach in the same time is
  // labelled with the other one by the drag's pruned search).
  session::Session t = evaluated();
  std::string err;
  REQUIRE(t.move_facility(k, 0, a, err));
  same_figures(s.evaluation().ev, t.evaluation().ev, false);
}

TEST_CASE("session: a session or a new evaluation mid-drag drops the step under way without waiting for it",
          "[session][whatif]") {
  session::TaskManager tm;
  {
    auto s = std::make_unique<session::Session>(evaluated());
    s->use_tasks(&tm);
    const std::size_t k = set_of(*s, "education_base");
    const core::Vec2 p0 = s->evaluation().ev.sets[k].points[0];
    REQUIRE(s->begin_drag(k, 0));
    s->drag_to({p0.x + 10'000, p0.y});
    REQUIRE(s->drag_computing());
    s.reset();  // the session is gone while its step computes: nothing waits
  }
  while (!tm.running().empty()) {
    tm.poll();  // the step's completion finds no drag and drops its figures
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  session::Session s = evaluated();
  s.use_tasks(&tm);
  const std::size_t k = set_of(s, "education_base");
  const core::Vec2 p0 = s.evaluation().ev.sets[k].points[0];
  const analysis::Evaluation before = s.evaluation().ev;
  REQUIRE(s.begin_drag(k, 0));
  s.drag_to({p0.x + 10'000, p0.y});
  std::string msg;
  REQUIRE(s.install(session::evaluate(s.document(), s.revision(), s.scenario()), msg));
  CHECK_FALSE(s.dragging());
  while (!tm.running().empty()) {
    tm.poll();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  CHECK(s.applied() == 0);
  same_figures(s.evaluation().ev, before);
}
