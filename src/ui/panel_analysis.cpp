#include "ui/panel_analysis.hpp"

#include <glad/gl.h>

#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <set>

#include "analysis/isolines.hpp"
#include "render/symbology.hpp"
#include "report/outputs.hpp"
#include "report/report.hpp"
#include "ui/i18n.hpp"
#include "ui/settings.hpp"

#include <toml++/toml.h>

namespace kepumap::ui {

namespace fs = std::filesystem;

namespace {

/// A finished evaluation and the private copy of the document it points into.
struct Job {
  std::unique_ptr<core::Document> doc;
  analysis::ProjectEvaluation pe;
  core::Diagnostics diag;
  double seconds = 0.0;
};

/// One undoable edit of the evaluation (never of the source data).
struct Edit {
  enum Kind { Move, Add, Delete, Standard } kind = Move;
  std::size_t set = 0;
  std::size_t index = 0;
  core::Vec2 from{}, to{};   ///< Move: old and new place; Add/Delete: the facility's place (to)
  std::string name, level;   ///< Add/Delete: the facility's attributes
  double floor_area = 0.0;
  double old_s = 0.0, new_s = 0.0;  ///< Standard: seconds
};

/// An edit as saved in a scenario file: the facility type by name, so it survives reordering.
struct SavedEdit {
  std::string kind;  // move | add | delete | standard
  std::string facility;
  std::size_t index = 0;
  core::Vec2 to{};
  std::string name, level;
  double floor_area = 0.0;
  double minutes = 0.0;
};
struct SavedScenario {
  std::string name;
  std::vector<SavedEdit> edits;
};

/// Reads a scenarios file; a missing file is no scenarios; a bad one is `error` (one line).
std::vector<SavedScenario> read_scenarios(const fs::path& file, std::string& error) {
  std::vector<SavedScenario> out;
  std::error_code ec;
  if (!fs::exists(file, ec)) return out;
  try {
    toml::table t = toml::parse_file(file.string());
    const toml::array* list = t["whatif"].as_array();
    if (!list) return out;
    for (const auto& node : *list) {
      const toml::table* sc = node.as_table();
      if (!sc) continue;
      SavedScenario s;
      s.name = (*sc)["name"].value_or(std::string());
      if (const toml::array* edits = (*sc)["edit"].as_array())
        for (const auto& en : *edits) {
          const toml::table* e = en.as_table();
          if (!e) continue;
          SavedEdit x;
          x.kind = (*e)["kind"].value_or(std::string());
          x.facility = (*e)["facility"].value_or(std::string());
          x.index = static_cast<std::size_t>((*e)["index"].value_or(std::int64_t{0}));
          if (const toml::array* to = (*e)["to"].as_array(); to && to->size() == 2)
            x.to = {(*to)[0].value_or(0.0), (*to)[1].value_or(0.0)};
          x.name = (*e)["name"].value_or(std::string());
          x.level = (*e)["level"].value_or(std::string());
          x.floor_area = (*e)["floor_area_m2"].value_or(0.0);
          x.minutes = (*e)["minutes"].value_or(0.0);
          s.edits.push_back(std::move(x));
        }
      out.push_back(std::move(s));
    }
  } catch (const toml::parse_error& e) {
    error = file.string() + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description());
  }
  return out;
}

std::string toml_string(const std::string& v) {
  std::string o = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') o += '\\';
    if (c == '\n') {
      o += "\\n";
      continue;
    }
    o += c;
  }
  return o + "\"";
}

std::string scenarios_text(const std::vector<SavedScenario>& list) {
  std::string t = "# kepumap what-if scenarios, written by the desktop app. The project's data are not changed:\n"
                  "# each edit moves, adds or deletes a facility of a type, or sets a service standard.\n";
  char b[128];
  for (const auto& sc : list) {
    t += "\n[[whatif]]\nname = " + toml_string(sc.name) + "\n";
    for (const auto& e : sc.edits) {
      t += "\n[[whatif.edit]]\nkind = " + toml_string(e.kind) + "\nfacility = " + toml_string(e.facility) + "\n";
      if (e.kind == "standard") {
        std::snprintf(b, sizeof b, "minutes = %.17g\n", e.minutes);
        t += b;
        continue;
      }
      std::snprintf(b, sizeof b, "index = %zu\n", e.index);
      t += b;
      if (e.kind != "delete") {
        std::snprintf(b, sizeof b, "to = [%.17g, %.17g]\n", e.to.x, e.to.y);
        t += b;
      }
      if (e.kind == "add") {
        t += "name = " + toml_string(e.name) + "\nlevel = " + toml_string(e.level) + "\n";
        std::snprintf(b, sizeof b, "floor_area_m2 = %.17g\n", e.floor_area);
        t += b;
      }
    }
  }
  return t;
}

std::string fmt(const char* f, double a) {
  char b[128];
  std::snprintf(b, sizeof b, f, a);
  return b;
}

void text(const std::string& s) {
  record(s);
  ImGui::TextUnformatted(s.c_str());
}

/// The short planner's name of a facility key (the key itself if unknown).
std::string service_name(const std::string& facility) {
  if (facility == "museum") return tr("Science museum");
  if (facility == "education_base") return tr("Education base");
  if (facility == "caravan") return tr("Science caravan");
  if (facility == "expert_tour") return tr("Expert tour");
  return facility;
}

std::string minutes(double s) { return std::isfinite(s) ? fmt("%.1f", s / 60.0) : std::string("—"); }

void note_rect(AnalysisHost& h, const char* name) {
  h.panel_names.emplace_back(name);
  ImVec2 p = ImGui::GetWindowPos(), s = ImGui::GetWindowSize();
  core::BBox b;
  b.add(core::Vec2{p.x, p.y});
  b.add(core::Vec2{p.x + s.x, p.y + s.y});
  h.panel_rects.push_back(b);
}

template <class T>
void insert_at(std::vector<T>& v, std::size_t n_before, std::size_t i, T x) {
  if (v.size() == n_before && i <= v.size()) v.insert(v.begin() + static_cast<std::ptrdiff_t>(i), std::move(x));
}
template <class T>
void erase_at(std::vector<T>& v, std::size_t n_before, std::size_t i) {
  if (v.size() == n_before && i < v.size()) v.erase(v.begin() + static_cast<std::ptrdiff_t>(i));
}

}  // namespace

struct AnalysisPanel::State {
  bool show_coverage = false, show_targets = false, show_export = false, show_units = false;
  std::future<std::unique_ptr<Job>> future;
  std::unique_ptr<Job> job;
  std::string error;
  analysis::SearchWorkspace ws;
  std::vector<std::vector<core::Vec2>> base_points;  // per set, as evaluated from the data
  std::vector<Edit> edits;
  std::size_t applied = 0;  // edits[0, applied) are in effect
  enum Mode { Pan = 0, MoveFacility = 1, AddFacility = 2 };
  int mode = Pan;
  int active_set = -1;
  int selected = -1;
  std::optional<analysis::FacilityDrag> drag;
  bool dragging = false;
  core::Vec2 drag_from{}, drag_last{};
  double last_update_ms = 0.0;
  bool slider_active = false;
  double slider_old_s = 0.0;
  // gap choropleth on the finest unit layer
  bool gap_map = true;
  bool map_dirty = true;
  bool gap_shown = false;
  std::size_t finest_layer = SIZE_MAX;  // index in the app's document
  core::Layer gap_layer;                // copy of the finest layer with a gap column
  std::optional<core::Choropleth> gap_ch;
  // what the finest layer's style looked like when the gap map was applied: the app restyles the
  // layer from the data when the style file or the layer's colours change, so it is applied again
  std::string applied_style_name;
  core::Rgba applied_line{};
  float applied_line_width = 0.0f;
  // travel-time surface (time to the nearest fixed facility of any kind) as a texture over the map
  bool time_map = false;
  bool time_dirty = true;
  unsigned int time_tex = 0;  // GL texture name; left to the GL context's end at exit
  int time_w = 0, time_h = 0;
  analysis::Isolines time_iso;  // isochrones of the surface at 15, 30, 60 and 120 minutes
  // failing units of a target
  int highlight_target = -1;
  std::size_t highlight_layer = SIZE_MAX;
  std::vector<std::size_t> highlight_features;
  // export
  char export_dir[512] = {};
  int export_lang = 0;
  bool export_a3 = false;
  std::string export_msg;
  bool export_ok = false;
  // scenarios
  char scenario_name[128] = {};
  std::string scenario_msg;
  bool scenario_ok = false;
  std::vector<std::string> scenario_names;
  bool scenario_list_dirty = true;
  bool z_was = false, y_was = false;  // key state last frame
  // side-by-side comparison: the data's figures, the current ones and each saved scenario's
  std::vector<std::string> compare_lines;

  bool ready() const { return job && !job->diag.has_errors(); }
  analysis::Evaluation& ev() { return job->pe.ev; }

  void start(const AnalysisHost& h, bool again = false);
  void poll(AnalysisHost& h);
  void wait(AnalysisHost& h);
  void after_change() { map_dirty = time_dirty = true; }
  void update_set(std::size_t k);
  void update_standard(std::size_t k, double s);
  void apply(const Edit& e, bool forward);
  void push(Edit e);
  void undo();
  void redo();
  int set_index(const std::string& facility) const;
  int pick_facility(const AnalysisHost& h, std::size_t k, core::Vec2 px) const;
  void begin_drag(std::size_t k, std::size_t i);
  void drag_to(core::Vec2 p);
  void end_drag();
  void add_facility(std::size_t k, core::Vec2 p);
  void delete_facility(std::size_t k, std::size_t i);
  void refresh_map(AnalysisHost& h);
  void remove_gap_map(AnalysisHost& h);
  void highlight(const AnalysisHost& h, int t);
  bool export_files(const AnalysisHost& h);
  void draw_coverage(AnalysisHost& h);
  void draw_whatif(AnalysisHost& h);
  void draw_targets(AnalysisHost& h);
  void draw_units(AnalysisHost& h);
  void draw_export(AnalysisHost& h);
  void draw_overlay(const AnalysisHost& h);
  void upload_time_texture();
  static std::string gap_ch_label() { return tr("gap (uncovered people × priority)"); }
  static fs::path scenarios_file(const std::string& project);
  bool save_scenario(const fs::path& file, const std::string& name);
  bool load_scenario(const fs::path& file, const std::string& name);
  std::string summary(const std::string& label);
  bool compare(const fs::path& file);
};

std::string AnalysisPanel::State::summary(const std::string& label) {
  const auto& e = ev();
  const auto& t = e.coverage.total;
  std::string line = label + ": ";
  for (std::size_t k = 0; k < e.services.size(); ++k)
    line += "[" + e.services[k].facility + "] " + fmt("%.1f %%", 100.0 * t.service[k].share()) + " · ";
  line += "[any] " + fmt("%.1f %%", 100.0 * t.share_any()) + " · " + tr("Gini") + " " +
          fmt("%.3f", e.coverage.equity.gini_time);
  return line;
}

bool AnalysisPanel::State::compare(const fs::path& file) {
  if (!ready() || dragging) return false;
  std::string err;
  auto list = read_scenarios(file, err);
  if (!err.empty()) {
    scenario_msg = err;
    scenario_ok = false;
    return false;
  }
  const std::vector<Edit> current = edits;
  const std::size_t current_applied = applied;
  std::vector<std::string> lines;
  lines.push_back(summary(tr("Current")));
  while (applied > 0) undo();
  lines.insert(lines.begin(), summary(tr("Data")));
  bool ok = true;
  for (const auto& sc : list) {
    if (!load_scenario(file, sc.name)) {
      lines.push_back(sc.name + ": " + scenario_msg);
      ok = false;
      continue;
    }
    lines.push_back(summary(sc.name));
  }
  // back to the edits in effect before the comparison (same order: the same figures)
  while (applied > 0) undo();
  edits.clear();
  applied = 0;
  for (std::size_t i = 0; i < current_applied; ++i) apply(current[i], true);
  edits = current;
  applied = current_applied;
  compare_lines = std::move(lines);
  scenario_msg = std::string(tr("Compared")) + " " + std::to_string(list.size()) + " " + tr("scenarios");
  scenario_ok = ok;
  return ok;
}

fs::path AnalysisPanel::State::scenarios_file(const std::string& project) {
  fs::path p(project);
  return p.parent_path() / (p.stem().string() + ".scenarios.toml");
}

bool AnalysisPanel::State::save_scenario(const fs::path& file, const std::string& name) {
  scenario_ok = false;
  if (!ready() || name.empty()) {
    scenario_msg = tr("Give the scenario a name.");
    return false;
  }
  std::string err;
  auto list = read_scenarios(file, err);
  if (!err.empty()) {
    scenario_msg = err;
    return false;
  }
  SavedScenario sc;
  sc.name = name;
  for (std::size_t i = 0; i < applied; ++i) {
    const Edit& e = edits[i];
    SavedEdit x;
    x.facility = ev().sets[e.set].facility;
    x.index = e.index;
    x.to = e.to;
    switch (e.kind) {
      case Edit::Move: x.kind = "move"; break;
      case Edit::Add:
        x.kind = "add";
        x.name = e.name;
        x.level = e.level;
        x.floor_area = e.floor_area;
        break;
      case Edit::Delete: x.kind = "delete"; break;
      case Edit::Standard:
        x.kind = "standard";
        x.minutes = e.new_s / 60.0;
        break;
    }
    sc.edits.push_back(std::move(x));
  }
  auto it = std::find_if(list.begin(), list.end(), [&](const SavedScenario& s) { return s.name == name; });
  if (it != list.end())
    *it = std::move(sc);
  else
    list.push_back(std::move(sc));
  if (!write_file_atomic(file, scenarios_text(list))) {
    scenario_msg = file.string() + ": " + tr("cannot write the file");
    return false;
  }
  scenario_msg = std::string(tr("Saved")) + " '" + name + "' → " + file.string();
  scenario_ok = true;
  scenario_list_dirty = true;
  return true;
}

bool AnalysisPanel::State::load_scenario(const fs::path& file, const std::string& name) {
  scenario_ok = false;
  if (!ready() || dragging) return false;
  std::string err;
  auto list = read_scenarios(file, err);
  if (!err.empty()) {
    scenario_msg = err;
    return false;
  }
  auto it = std::find_if(list.begin(), list.end(), [&](const SavedScenario& s) { return s.name == name; });
  if (it == list.end()) {
    scenario_msg = file.string() + ": " + tr("no scenario named") + " '" + name + "'";
    return false;
  }
  while (applied > 0) undo();  // back to the data's evaluation
  edits.clear();
  std::size_t n = 0;
  for (const auto& x : it->edits) {
    ++n;
    auto where = file.string() + ": '" + name + "' edit " + std::to_string(n) + ": ";
    int k = set_index(x.facility);
    if (k < 0 || ev().sets[static_cast<std::size_t>(k)].mobile) {
      scenario_msg = where + "no fixed facility type '" + x.facility + "'";
      return false;
    }
    Edit e;
    e.set = static_cast<std::size_t>(k);
    e.index = x.index;
    e.to = x.to;
    const auto& pts = ev().sets[e.set].points;
    if (x.kind == "move" || x.kind == "delete") {
      if (x.index >= pts.size()) {
        scenario_msg = where + "no facility " + std::to_string(x.index);
        return false;
      }
      e.kind = x.kind == "move" ? Edit::Move : Edit::Delete;
      e.from = pts[x.index];
      if (e.kind == Edit::Delete) {
        const auto& s = ev().sets[e.set];
        e.to = pts[x.index];
        if (x.index < s.names.size()) e.name = s.names[x.index];
        if (x.index < s.levels.size()) e.level = s.levels[x.index];
        if (x.index < s.floor_area_m2.size()) e.floor_area = s.floor_area_m2[x.index];
      }
    } else if (x.kind == "add") {
      if (x.index > pts.size()) {
        scenario_msg = where + "index " + std::to_string(x.index) + " beyond the facilities";
        return false;
      }
      e.kind = Edit::Add;
      e.name = x.name;
      e.level = x.level;
      e.floor_area = x.floor_area;
    } else if (x.kind == "standard") {
      e.kind = Edit::Standard;
      e.old_s = ev().sets[e.set].standard_s;
      e.new_s = x.minutes * 60.0;
    } else {
      scenario_msg = where + "unknown kind '" + x.kind + "' (move, add, delete, standard)";
      return false;
    }
    apply(e, true);
    push(e);
  }
  scenario_msg = std::string(tr("Loaded")) + " '" + name + "' (" + std::to_string(n) + " " + tr("edits") + ")";
  scenario_ok = true;
  return true;
}

/// Colour of a travel time (seconds) on the surface overlay: green → yellow → red → purple over
/// 0, 30, 60, 90, 120+ minutes; transparent where unreachable or outside the study area.
std::uint32_t time_colour(float s) {
  if (!std::isfinite(s)) return 0;
  static const float stops[][3] = {{26, 150, 65}, {166, 217, 106}, {254, 224, 139}, {244, 109, 67}, {165, 0, 38}, {90, 20, 110}};
  double m = std::clamp(static_cast<double>(s) / 60.0, 0.0, 150.0) / 30.0;  // 0..5
  auto k = std::min<std::size_t>(4, static_cast<std::size_t>(m));
  double f = m - static_cast<double>(k);
  std::uint32_t rgba = 0;
  for (int c = 0; c < 3; ++c) {
    auto v = static_cast<std::uint32_t>(std::lround(stops[k][c] + (stops[k + 1][c] - stops[k][c]) * f));
    rgba |= v << (8 * c);
  }
  return rgba | (170u << 24);
}

void AnalysisPanel::State::upload_time_texture() {
  time_dirty = false;
  const core::GridF& g = ev().coverage.best_time;
  if (g.width <= 0 || g.height <= 0) return;
  GLint max_size = 0;
  glGetIntegerv(GL_MAX_TEXTURE_SIZE, &max_size);
  int step = 1;  // sample coarser when the grid exceeds the texture limit
  while (g.width / step > max_size || g.height / step > max_size) ++step;
  time_w = (g.width + step - 1) / step;
  time_h = (g.height + step - 1) / step;
  std::vector<std::uint32_t> px(static_cast<std::size_t>(time_w) * static_cast<std::size_t>(time_h));
  const core::GridI& unit = job->pe.area.demand.unit;
  bool same_frame = unit.width == g.width && unit.height == g.height;
  for (int r = 0; r < time_h; ++r)
    for (int c = 0; c < time_w; ++c) {
      int gc = c * step, gr = r * step;
      bool inside = !same_frame || unit.at(gc, gr) >= 0;
      px[static_cast<std::size_t>(r) * static_cast<std::size_t>(time_w) + static_cast<std::size_t>(c)] =
          inside ? time_colour(g.at(gc, gr)) : 0u;
    }
  time_iso = analysis::isolines(g, analysis::ISOCHRONE_LEVELS_S);
  if (time_tex == 0) glGenTextures(1, &time_tex);
  glBindTexture(GL_TEXTURE_2D, time_tex);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, time_w, time_h, 0, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
}

AnalysisPanel::AnalysisPanel() : m(std::make_unique<State>()) {}

AnalysisPanel::~AnalysisPanel() {
  if (m->future.valid()) m->future.wait();  // the worker reads its own copy; let it finish
}

void AnalysisPanel::State::start(const AnalysisHost& h, bool again) {
  if (future.valid() || h.project.empty() || (job && !again)) return;
  error.clear();
  // The worker gets its own copy of the document: the app's may change (a layer added) meanwhile.
  auto copy = std::make_unique<core::Document>(h.doc);
  future = std::async(std::launch::async, [d = std::move(copy)]() mutable {
    auto j = std::make_unique<Job>();
    auto t0 = std::chrono::steady_clock::now();
    j->doc = std::move(d);
    try {
      j->pe = analysis::evaluate_project(*j->doc, "", j->diag);
    } catch (const std::exception& e) {
      j->diag.error({core::Severity::Error, j->doc->config.file.string(), "", -1, "", 0, e.what()});
    }
    j->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return j;
  });
}

void AnalysisPanel::State::poll(AnalysisHost& h) {
  if (!future.valid() || future.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;
  remove_gap_map(h);
  job = future.get();
  edits.clear();
  applied = 0;
  selected = -1;
  drag.reset();
  dragging = false;
  highlight_target = -1;
  highlight_features.clear();
  gap_ch.reset();
  if (job->diag.has_errors()) {
    for (const auto& p : job->diag.problems)
      if (p.severity == core::Severity::Error) {
        error = p.to_line();
        break;
      }
    return;
  }
  base_points.clear();
  for (const auto& s : ev().sets) base_points.push_back(s.points);
  active_set = -1;
  for (std::size_t k = 0; k < ev().sets.size(); ++k)
    if (!ev().sets[k].mobile && (active_set < 0 || ev().sets[k].facility == "education_base"))
      active_set = static_cast<int>(k);
  // the finest unit layer: same index in the app's document (the app only appends layers)
  finest_layer = SIZE_MAX;
  if (const core::Layer* f = job->pe.area.finest) {
    auto idx = static_cast<std::size_t>(f - job->doc->layers.data());
    if (idx < h.doc.layers.size() && h.doc.layers[idx].name == f->name) finest_layer = idx;
  }
  map_dirty = time_dirty = true;
}

void AnalysisPanel::State::wait(AnalysisHost& h) {
  start(h);
  if (future.valid()) future.wait();
  poll(h);
}

void AnalysisPanel::State::update_set(std::size_t k) {
  auto t0 = std::chrono::steady_clock::now();
  analysis::update_set(ev(), k, *job->doc, job->pe.area, job->pe.travel.model, ws, job->pe.priority);
  last_update_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  after_change();
}

void AnalysisPanel::State::update_standard(std::size_t k, double s) {
  auto t0 = std::chrono::steady_clock::now();
  auto& e = ev();
  e.sets[k].standard_s = s;
  e.services[k].standard_s = s;
  const auto& area = job->pe.area;
  e.coverage = analysis::compute_coverage(area.demand, area.levels, e.services, area.facts, job->pe.priority);
  analysis::GoalInputs gi;
  gi.levels = area.levels;
  gi.coverage = &e.coverage;
  gi.services = e.services;
  gi.facilities = analysis::facility_facts(*job->doc, area);
  e.targets = analysis::evaluate_targets(job->doc->config.targets, gi);
  last_update_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  after_change();
}

void AnalysisPanel::State::apply(const Edit& e, bool forward) {
  auto& s = ev().sets[e.set];
  const std::size_t n = s.points.size();
  bool add = (e.kind == Edit::Add) == forward;
  switch (e.kind) {
    case Edit::Move:
      s.points[e.index] = forward ? e.to : e.from;
      update_set(e.set);
      break;
    case Edit::Add:
    case Edit::Delete:
      if (add) {
        insert_at(s.names, n, e.index, e.name);
        insert_at(s.levels, n, e.index, e.level);
        insert_at(s.floor_area_m2, n, e.index, e.floor_area);
        insert_at(s.points, n, e.index, e.to);
      } else {
        erase_at(s.names, n, e.index);
        erase_at(s.levels, n, e.index);
        erase_at(s.floor_area_m2, n, e.index);
        erase_at(s.points, n, e.index);
      }
      selected = -1;
      update_set(e.set);
      break;
    case Edit::Standard:
      update_standard(e.set, forward ? e.new_s : e.old_s);
      break;
  }
}

void AnalysisPanel::State::push(Edit e) {
  edits.resize(applied);
  edits.push_back(std::move(e));
  applied = edits.size();
}

void AnalysisPanel::State::undo() {
  if (!ready() || dragging || applied == 0) return;
  --applied;
  apply(edits[applied], false);
}

void AnalysisPanel::State::redo() {
  if (!ready() || dragging || applied >= edits.size()) return;
  apply(edits[applied], true);
  ++applied;
}

int AnalysisPanel::State::set_index(const std::string& facility) const {
  if (!ready()) return -1;
  for (std::size_t k = 0; k < job->pe.ev.sets.size(); ++k)
    if (job->pe.ev.sets[k].facility == facility) return static_cast<int>(k);
  return -1;
}

int AnalysisPanel::State::pick_facility(const AnalysisHost& h, std::size_t k, core::Vec2 px) const {
  const auto& pts = job->pe.ev.sets[k].points;
  int best = -1;
  double best_d = 10.0;  // pixels
  for (std::size_t i = 0; i < pts.size(); ++i) {
    core::Vec2 s = h.view.to_screen(pts[i]);
    double d = std::hypot(s.x - px.x, s.y - px.y);
    if (d <= best_d) {
      best_d = d;
      best = static_cast<int>(i);
    }
  }
  return best;
}

void AnalysisPanel::State::begin_drag(std::size_t k, std::size_t i) {
  active_set = static_cast<int>(k);
  selected = static_cast<int>(i);
  drag.emplace(job->pe.travel.model, ev().sets[k].points, i, ws);
  drag_from = drag_last = ev().sets[k].points[i];
  dragging = true;
}

void AnalysisPanel::State::drag_to(core::Vec2 p) {
  if (!dragging || (p.x == drag_last.x && p.y == drag_last.y)) return;
  auto t0 = std::chrono::steady_clock::now();
  auto k = static_cast<std::size_t>(active_set), i = static_cast<std::size_t>(selected);
  analysis::drag_update(ev(), k, i, p, *drag, *job->doc, job->pe.area, job->pe.travel.model, ws, job->pe.priority);
  last_update_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  drag_last = p;
  after_change();
}

void AnalysisPanel::State::end_drag() {
  if (!dragging) return;
  dragging = false;
  drag.reset();
  if (drag_last.x == drag_from.x && drag_last.y == drag_from.y) return;
  Edit e;
  e.kind = Edit::Move;
  e.set = static_cast<std::size_t>(active_set);
  e.index = static_cast<std::size_t>(selected);
  e.from = drag_from;
  e.to = drag_last;
  push(e);
}

void AnalysisPanel::State::add_facility(std::size_t k, core::Vec2 p) {
  Edit e;
  e.kind = Edit::Add;
  e.set = k;
  e.index = ev().sets[k].points.size();
  e.to = p;
  e.name = std::string(tr("New")) + " " + std::to_string(e.index + 1);
  apply(e, true);
  push(e);
  selected = static_cast<int>(e.index);
}

void AnalysisPanel::State::delete_facility(std::size_t k, std::size_t i) {
  const auto& s = ev().sets[k];
  if (i >= s.points.size()) return;
  Edit e;
  e.kind = Edit::Delete;
  e.set = k;
  e.index = i;
  e.to = s.points[i];
  if (i < s.names.size()) e.name = s.names[i];
  if (i < s.levels.size()) e.level = s.levels[i];
  if (i < s.floor_area_m2.size()) e.floor_area = s.floor_area_m2[i];
  apply(e, true);
  push(e);
}

void AnalysisPanel::State::remove_gap_map(AnalysisHost& h) {
  if (!gap_shown || finest_layer >= h.doc.layers.size() || finest_layer >= h.renderer.layer_count()) return;
  const core::Layer& L = h.doc.layers[finest_layer];
  h.renderer.restyle(finest_layer, L, h.layers[finest_layer].style);
  h.layers[finest_layer].choropleth = render::resolve_choropleth(L, h.layers[finest_layer].style);
  gap_shown = false;
}

void AnalysisPanel::State::refresh_map(AnalysisHost& h) {
  if (!ready()) return;
  if (gap_shown && finest_layer < h.layers.size()) {
    const auto& st = h.layers[finest_layer].style;
    if (h.style.name != applied_style_name || !(st.line == applied_line) || st.line_width_px != applied_line_width ||
        !h.layers[finest_layer].choropleth || h.layers[finest_layer].choropleth->attribute != gap_ch_label())
      map_dirty = true;
  }
  if (time_map && time_dirty) upload_time_texture();
  if (!map_dirty) return;
  map_dirty = false;
  if (highlight_target >= 0) highlight(h, highlight_target);  // failing units follow edits
  if (!gap_map) {
    remove_gap_map(h);
    return;
  }
  if (finest_layer >= h.doc.layers.size() || finest_layer >= h.renderer.layer_count()) return;
  const auto& units = ev().coverage.levels.front();
  std::vector<double> gap(units.size());
  for (std::size_t u = 0; u < units.size(); ++u) gap[u] = units[u].gap;
  if (!gap_ch) {
    // classes from the evaluation of the data, kept while editing so colours compare
    gap_layer = h.doc.layers[finest_layer];
    core::Choropleth ch;
    ch.attribute = "kepumap_gap";
    ch.method = "manual";
    std::vector<double> pos;
    for (double g : gap)
      if (g > 0) pos.push_back(g);
    std::sort(pos.begin(), pos.end());
    ch.breaks.push_back(0.0);
    for (double q : {0.25, 0.5, 0.75})
      if (!pos.empty()) {
        double b = pos[static_cast<std::size_t>(q * static_cast<double>(pos.size() - 1))];
        if (b > ch.breaks.back()) ch.breaks.push_back(b);
      }
    ch.classes = static_cast<int>(ch.breaks.size()) + 1;
    ch.ramp = {{0.85f, 0.93f, 0.80f, 0.85f}, {1.0f, 0.93f, 0.55f, 0.85f}, {0.99f, 0.6f, 0.3f, 0.9f},
               {0.75f, 0.1f, 0.1f, 0.9f}};
    gap_ch = ch;
  }
  core::Column col;
  col.name = "kepumap_gap";
  col.type = core::FieldType::Real;
  for (std::size_t f = 0; f < gap_layer.geom.feature_count(); ++f)
    if (f < gap.size())
      col.push_real(gap[f]);
    else
      col.push_null();
  if (int c = gap_layer.attrs.find("kepumap_gap"); c >= 0)
    gap_layer.attrs.columns[static_cast<std::size_t>(c)] = std::move(col);
  else
    gap_layer.attrs.columns.push_back(std::move(col));
  core::LayerStyle st = h.layers[finest_layer].style;
  st.choropleth = gap_ch;
  h.renderer.restyle(finest_layer, gap_layer, st);
  core::Choropleth legend = *gap_ch;
  legend.attribute = gap_ch_label();
  h.layers[finest_layer].choropleth = legend;
  gap_shown = true;
  applied_style_name = h.style.name;
  applied_line = st.line;
  applied_line_width = st.line_width_px;
}

void AnalysisPanel::State::highlight(const AnalysisHost& h, int t) {
  highlight_target = t;
  highlight_features.clear();
  highlight_layer = SIZE_MAX;
  if (!ready() || t < 0 || static_cast<std::size_t>(t) >= ev().targets.size()) return;
  const auto& tr_ = ev().targets[static_cast<std::size_t>(t)];
  std::set<std::string> failing(tr_.failing.begin(), tr_.failing.end());
  if (failing.empty()) return;
  const auto& area = job->pe.area;
  std::string want = tr_.target && tr_.target->scope.rfind("every_", 0) == 0 ? tr_.target->scope.substr(6) : "";
  std::size_t best_level = SIZE_MAX, best_count = 0;
  for (std::size_t l = 0; l < area.levels.size(); ++l) {
    if (!area.level_layers[l]) continue;
    std::size_t c = 0;
    for (const auto& n : area.levels[l].names) c += failing.count(n);
    if (c > 0 && (area.levels[l].name == want || best_level == SIZE_MAX || (c > best_count && area.levels[best_level].name != want))) {
      if (best_level != SIZE_MAX && area.levels[best_level].name == want && area.levels[l].name != want) continue;
      best_level = l;
      best_count = c;
    }
  }
  if (best_level == SIZE_MAX) return;
  auto idx = static_cast<std::size_t>(area.level_layers[best_level] - job->doc->layers.data());
  if (idx >= h.doc.layers.size()) return;
  highlight_layer = idx;
  const auto& names = area.levels[best_level].names;
  for (std::size_t f = 0; f < names.size(); ++f)
    if (failing.count(names[f])) highlight_features.push_back(f);
}

bool AnalysisPanel::State::export_files(const AnalysisHost& h) {
  export_ok = false;
  if (!ready()) {
    export_msg = tr("Nothing to export yet: the coverage is still being computed.");
    return false;
  }
  fs::path dir = export_dir;
  if (dir.empty()) {
    export_msg = tr("Choose a folder first.");
    return false;
  }
  report::ReportInputs in;
  in.doc = job->doc.get();
  in.pe = &job->pe;
  in.style = h.style;
  in.english = export_lang == 1;
  in.a3 = export_a3;
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char date[16];
  std::strftime(date, sizeof date, "%Y-%m-%d", std::localtime(&now));
  in.date = date;
  try {
    report::ReportFiles files = report::write_report(in, dir);
    if (std::string err = report::write_coverage_outputs(dir, *job->doc, job->pe, in.english); !err.empty()) {
      export_msg = err;
      return false;
    }
    export_msg = std::string(tr("Wrote")) + " " + (dir / "report.pdf").string() + " (" + std::to_string(files.pages) +
                 " " + tr("pages") + "), coverage.gpkg, coverage.xlsx";
    export_ok = true;
    return true;
  } catch (const std::exception& e) {
    export_msg = e.what();
    return false;
  }
}

void AnalysisPanel::State::draw_coverage(AnalysisHost& h) {
  if (!show_coverage) return;
  ImGui::SetNextWindowPos({340, 32}, ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize({460, 560}, ImGuiCond_FirstUseEver);
  if (!ImGui::Begin(tr_id("Coverage").c_str(), &show_coverage)) {
    ImGui::End();
    return;
  }
  note_rect(h, "coverage");
  if (h.project.empty()) {
    text(tr("Open a project to compute coverage."));
  } else if (!error.empty()) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored({0.8f, 0.1f, 0.1f, 1}, "%s", error.c_str());
    ImGui::PopTextWrapPos();
    record(error);
    if (ImGui::Button(tr_id("Recompute").c_str())) start(h, true);
  } else if (!ready()) {
    text(tr("computing…"));
  } else {
    ImGui::PushTextWrapPos(0);
    const auto& e = ev();
    const auto& t = e.coverage.total;
    text(std::string(tr("Population")) + ": " + fmt("%.0f", t.population));
    for (std::size_t k = 0; k < e.services.size(); ++k) {
      const auto& s = e.services[k];
      const auto& f = t.service[k];
      std::string line = service_name(s.facility) + " [" + s.facility + "]: " + fmt("%.1f %%", 100.0 * f.share()) +
                         " · " + fmt("%.0f", f.covered) + " " + tr("people");
      if (!s.mobile) {
        bool reach = f.population > f.unreachable;  // no time to show when nobody reaches one
        line += " · " + std::string(tr("mean")) + " " + (reach ? minutes(f.mean_s) : "—") + " " + tr("min") +
                " · P90 " + (reach ? minutes(f.p90_s) : "—") + " " + tr("min") + " · " + tr("standard") + " " +
                fmt("%.0f", s.standard_s / 60) + " " + tr("min");
      }
      text(line);
    }
    text(std::string(tr("Covered by any")) + " [any]: " + fmt("%.1f %%", 100.0 * t.share_any()) + " · " +
         fmt("%.0f", t.covered_any) + " " + tr("people"));
    text(std::string(tr("Gini of travel time")) + ": " + fmt("%.3f", e.coverage.equity.gini_time));
    {
      // The priority formula with the weights in use (README "Coverage and gaps").
      const analysis::PriorityParams& pp = job->pe.priority;
      std::string f = std::string(tr("Priority")) + " = 1 + " + fmt("%g", pp.pastoral_weight) + " × " + tr("pastoral") +
                      " + " + fmt("%g", pp.border_weight) + " × " + tr("border band");
      for (std::size_t b = 0; b < pp.border_bands_m.size() && b < pp.border_band_weights.size(); ++b)
        f += (b ? ", " : " (") + fmt("%g", pp.border_band_weights[b]) + " ≤ " + fmt("%g", pp.border_bands_m[b] / 1000.0) + " km" +
             (b + 1 == pp.border_bands_m.size() ? ")" : "");
      f += " + " + fmt("%g", pp.remoteness_weight) + " × " + tr("remoteness") + " (" + tr("time to the nearest town") + " / " +
           fmt("%g", pp.remoteness_scale_s / 3600.0) + " h, ≤ 1)";
      ImGui::PushTextWrapPos(0.0f);
      text(f);
      ImGui::PopTextWrapPos();
    }
    ImGui::PopTextWrapPos();
    const auto& q = e.coverage.equity;
    if (ImGui::BeginTable("equity", 4, ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg)) {
      ImGui::TableSetupColumn(tr("Group"));
      ImGui::TableSetupColumn(tr("Population"));
      ImGui::TableSetupColumn(tr("Covered"));
      ImGui::TableSetupColumn(tr("Mean time (min)"));
      ImGui::TableHeadersRow();
      const std::pair<const char*, const analysis::GroupFigures*> groups[] = {
          {"Pastoral", &q.pastoral}, {"Other", &q.other}, {"Border (within the bands)", &q.border}, {"Interior", &q.interior}};
      for (const auto& [name, g] : groups) {
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        text(tr(name));
        ImGui::TableSetColumnIndex(1);
        text(fmt("%.0f", g->population));
        ImGui::TableSetColumnIndex(2);
        text(fmt("%.1f %%", 100.0 * g->share()));
        ImGui::TableSetColumnIndex(3);
        text(minutes(g->mean_s));
      }
      ImGui::EndTable();
    }
    ImGui::Checkbox(tr_id("Gap map").c_str(), &gap_map);
    if (ImGui::IsItemEdited()) map_dirty = true;
    ImGui::SameLine();
    ImGui::Checkbox(tr_id("Travel-time map").c_str(), &time_map);
    if (time_map) {
      ImDrawList* wl = ImGui::GetWindowDrawList();
      for (int k = 0; k <= 5; ++k) {
        ImVec2 p = ImGui::GetCursorScreenPos();
        float sz = ImGui::GetTextLineHeight();
        std::uint32_t c = time_colour(static_cast<float>(k * 30 * 60));
        wl->AddRectFilled(p, {p.x + sz, p.y + sz}, (c & 0x00FFFFFFu) | 0xFF000000u);
        ImGui::Dummy({sz, sz});
        ImGui::SameLine();
        text(k < 5 ? std::to_string(k * 30) : std::string("150+"));
        ImGui::SameLine();
      }
      text(tr("min"));
    }
    ImGui::SameLine();
    if (ImGui::Button(tr_id("Recompute").c_str())) start(h, true);
    draw_whatif(h);
    ImGui::Checkbox(tr_id("Table by unit").c_str(), &show_units);
  }
  ImGui::End();
}

void AnalysisPanel::State::draw_units(AnalysisHost& h) {
  if (!show_units || !ready()) return;
  ImGui::SetNextWindowPos({810, 400}, ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize({460, 330}, ImGuiCond_FirstUseEver);
  if (!ImGui::Begin(tr_id("Table by unit").c_str(), &show_units)) {
    ImGui::End();
    return;
  }
  note_rect(h, "units");
  const auto& e = ev();
  {
    // table by township (or the level below the top)
    const auto& area = job->pe.area;
    std::size_t lv = 0;
    for (std::size_t l = 0; l < area.levels.size(); ++l)
      if (area.levels[l].name == "township") lv = l;
    if (lv == 0 && area.levels.size() > 2) lv = 1;
    {
      int cols = 4 + static_cast<int>(e.services.size());
      if (ImGui::BeginTable("units", cols,
                            ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY |
                                ImGuiTableFlags_ScrollX | ImGuiTableFlags_SizingFixedFit,
                            {0, 0})) {
        ImGui::TableSetupScrollFreeze(1, 1);
        ImGui::TableSetupColumn(tr("Unit"));
        ImGui::TableSetupColumn(tr("Population"));
        ImGui::TableSetupColumn(tr("Any"));
        ImGui::TableSetupColumn(tr("Gap"));
        for (const auto& s : e.services) ImGui::TableSetupColumn(service_name(s.facility).c_str());
        ImGui::TableHeadersRow();
        const auto& units = e.coverage.levels[lv];
        for (std::size_t u = 0; u < units.size(); ++u) {
          ImGui::TableNextRow();
          ImGui::TableSetColumnIndex(0);
          text(area.levels[lv].names[u]);
          ImGui::TableSetColumnIndex(1);
          text(fmt("%.0f", units[u].population));
          ImGui::TableSetColumnIndex(2);
          text(fmt("%.1f %%", 100.0 * units[u].share_any()));
          ImGui::TableSetColumnIndex(3);
          text(fmt("%.0f", units[u].gap));
          for (std::size_t k = 0; k < e.services.size(); ++k) {
            ImGui::TableSetColumnIndex(4 + static_cast<int>(k));
            text(fmt("%.1f %%", 100.0 * units[u].service[k].share()));
          }
        }
        ImGui::EndTable();
      }
    }
  }
  ImGui::End();
}

void AnalysisPanel::State::draw_whatif(AnalysisHost& h) {
  if (!ImGui::CollapsingHeader(tr_id("What-if").c_str(), ImGuiTreeNodeFlags_DefaultOpen)) return;
  auto& e = ev();
  ImGui::RadioButton(tr_id("Pan").c_str(), &mode, Pan);
  ImGui::SameLine();
  ImGui::RadioButton(tr_id("Move facility").c_str(), &mode, MoveFacility);
  ImGui::SameLine();
  ImGui::RadioButton(tr_id("Add facility").c_str(), &mode, AddFacility);
  std::string current = active_set >= 0 ? service_name(e.sets[static_cast<std::size_t>(active_set)].facility) : "";
  record(current);
  if (ImGui::BeginCombo(tr_id("Facility type").c_str(), current.c_str())) {
    for (std::size_t k = 0; k < e.sets.size(); ++k)
      if (!e.sets[k].mobile && ImGui::Selectable(service_name(e.sets[k].facility).c_str(), static_cast<int>(k) == active_set)) {
        active_set = static_cast<int>(k);
        selected = -1;
      }
    ImGui::EndCombo();
  }
  if (active_set >= 0 && selected >= 0) {
    const auto& s = e.sets[static_cast<std::size_t>(active_set)];
    auto i = static_cast<std::size_t>(selected);
    if (i < s.points.size()) {
      std::string n = i < s.names.size() && !s.names[i].empty() ? s.names[i] : "#" + std::to_string(i);
      text(std::string(tr("Selected")) + ": " + n);
      ImGui::SameLine();
      if (ImGui::Button(tr_id("Delete").c_str())) delete_facility(static_cast<std::size_t>(active_set), i);
    }
  }
  ImGui::BeginDisabled(applied == 0);
  if (ImGui::Button(tr_id("Undo").c_str())) undo();
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(applied >= edits.size());
  if (ImGui::Button(tr_id("Redo").c_str())) redo();
  ImGui::EndDisabled();
  ImGui::SameLine();
  text(std::string(tr("Edits")) + ": " + std::to_string(applied) + " · " + tr("last update") + " " +
       fmt("%.1f", last_update_ms) + " ms");
  for (std::size_t k = 0; k < e.sets.size(); ++k) {
    if (e.sets[k].mobile) continue;
    float mins = static_cast<float>(e.sets[k].standard_s / 60.0);
    std::string label = std::string(tr("Standard")) + " " + service_name(e.sets[k].facility) + "###std" + std::to_string(k);
    record(std::string(tr("Standard")) + " " + service_name(e.sets[k].facility));
    const std::string format = std::string("%.0f ") + tr("min");
    if (ImGui::SliderFloat(label.c_str(), &mins, 5.0f, 240.0f, format.c_str())) {
      if (!slider_active) {
        slider_active = true;
        slider_old_s = e.sets[k].standard_s;
      }
      update_standard(k, std::round(mins) * 60.0);
    }
    if (ImGui::IsItemDeactivatedAfterEdit() && slider_active) {
      slider_active = false;
      Edit ed;
      ed.kind = Edit::Standard;
      ed.set = k;
      ed.old_s = slider_old_s;
      ed.new_s = e.sets[k].standard_s;
      if (ed.old_s != ed.new_s) push(ed);
    }
  }
  for (std::size_t k = 0; k < e.sets.size() && k < e.surfaces.size(); ++k)
    if (!e.sets[k].mobile && !e.surfaces[k].unplaced.empty()) {
      std::string w = service_name(e.sets[k].facility) + ": " + std::to_string(e.surfaces[k].unplaced.size()) + " " +
                      tr("outside the travel grid (reach nobody)");
      record(w);
      ImGui::TextColored({0.75f, 0.35f, 0.0f, 1}, "%s", w.c_str());
    }
  ImGui::TextDisabled("%s", tr("Edits change only this evaluation, never the source data."));
  // named scenarios beside the project
  fs::path file = scenarios_file(h.project);
  if (scenario_list_dirty) {
    std::string err;
    scenario_names.clear();
    for (const auto& sc : read_scenarios(file, err)) scenario_names.push_back(sc.name);
    scenario_list_dirty = false;
  }
  ImGui::SetNextItemWidth(160);
  ImGui::InputText(tr_id("Scenario name").c_str(), scenario_name, sizeof scenario_name);
  ImGui::SameLine();
  if (ImGui::Button(tr_id("Save scenario").c_str())) save_scenario(file, scenario_name);
  if (!scenario_names.empty()) {
    ImGui::SetNextItemWidth(160);
    if (ImGui::BeginCombo(tr_id("Load scenario").c_str(), "")) {
      for (const auto& n : scenario_names)
        if (ImGui::Selectable(n.c_str())) {
          load_scenario(file, n);
          std::snprintf(scenario_name, sizeof scenario_name, "%s", n.c_str());
        }
      ImGui::EndCombo();
    }
  }
  ImGui::SameLine();
  if (ImGui::Button(tr_id("Compare scenarios").c_str())) compare(file);
  if (!compare_lines.empty()) {
    ImGui::PushTextWrapPos(0);
    for (const auto& l : compare_lines) text(l);
    ImGui::PopTextWrapPos();
  }
  if (!scenario_msg.empty()) {
    record(scenario_msg);
    ImGui::PushTextWrapPos(0);
    if (scenario_ok)
      ImGui::TextDisabled("%s", scenario_msg.c_str());
    else
      ImGui::TextColored({0.8f, 0.1f, 0.1f, 1}, "%s", scenario_msg.c_str());
    ImGui::PopTextWrapPos();
  }
}

void AnalysisPanel::State::draw_targets(AnalysisHost& h) {
  if (!show_targets) return;
  ImGui::SetNextWindowPos({340, 600}, ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize({460, 160}, ImGuiCond_FirstUseEver);
  if (!ImGui::Begin(tr_id("Targets").c_str(), &show_targets)) {
    ImGui::End();
    return;
  }
  note_rect(h, "targets");
  if (!error.empty()) {
    ImGui::TextColored({0.8f, 0.1f, 0.1f, 1}, "%s", error.c_str());
  } else if (!ready()) {
    text(h.project.empty() ? tr("Open a project to compute coverage.") : tr("computing…"));
  } else if (ev().targets.empty()) {
    text(tr("The project has no targets."));
  } else {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    for (std::size_t i = 0; i < ev().targets.size(); ++i) {
      const auto& r = ev().targets[i];
      ImU32 col = !r.evaluated ? IM_COL32(150, 150, 150, 255) : r.pass ? IM_COL32(40, 160, 60, 255) : IM_COL32(210, 40, 40, 255);
      ImVec2 p = ImGui::GetCursorScreenPos();
      float sz = ImGui::GetTextLineHeight();
      dl->AddCircleFilled({p.x + sz * 0.5f, p.y + sz * 0.5f}, sz * 0.4f, col);
      ImGui::Dummy({sz, sz});
      ImGui::SameLine();
      const core::Target* t = r.target;
      bool share = t && t->unit == "share";
      auto value = [&](double v) { return share ? fmt("%.1f %%", 100.0 * v) : fmt("%.4g", v); };
      std::string line = (t ? t->id : std::string("?")) + "  ";
      if (!r.evaluated)
        line += std::string(tr("cannot evaluate")) + ": " + r.reason;
      else {
        line += value(r.value) + " / " + value(t ? t->threshold : 0.0) + "  " + (r.pass ? tr("pass") : tr("fail"));
        if (!r.failing.empty())
          line += " · " + std::string(tr("failing units")) + " " + std::to_string(r.failing.size());
      }
      record(line);
      ImGui::PushID(static_cast<int>(i));
      if (ImGui::Selectable(line.c_str(), highlight_target == static_cast<int>(i)))
        highlight(h, highlight_target == static_cast<int>(i) ? -1 : static_cast<int>(i));
      if (ImGui::IsItemHovered() && t) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(420);
        ImGui::TextUnformatted(t->quote.c_str());
        ImGui::TextDisabled("%s", t->source.c_str());
        if (!r.failing.empty()) {
          std::string f;
          for (const auto& n : r.failing) f += (f.empty() ? "" : "、") + n;
          ImGui::TextUnformatted((std::string(tr("failing units")) + ": " + f).c_str());
        }
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
      }
      ImGui::PopID();
    }
    if (highlight_target >= 0) {
      text(std::string(tr("Failing units highlighted on the map")) + ": " + std::to_string(highlight_features.size()));
    }
  }
  ImGui::End();
}

void AnalysisPanel::State::draw_export(AnalysisHost& h) {
  if (!show_export) return;
  if (export_dir[0] == '\0' && !h.project.empty()) {
    std::error_code ec;
    std::string d = (fs::absolute(h.project, ec).parent_path() / "kepumap-export").string();
    std::snprintf(export_dir, sizeof export_dir, "%s", d.c_str());
  }
  ImGui::SetNextWindowPos({810, 420}, ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize({440, 220}, ImGuiCond_FirstUseEver);
  if (!ImGui::Begin(tr_id("Export").c_str(), &show_export)) {
    ImGui::End();
    return;
  }
  note_rect(h, "export");
  ImGui::InputText(tr_id("Folder").c_str(), export_dir, sizeof export_dir);
  text(tr("Language"));
  ImGui::SameLine();
  ImGui::RadioButton("中文", &export_lang, 0);
  ImGui::SameLine();
  ImGui::RadioButton("English", &export_lang, 1);
  int paper = export_a3 ? 1 : 0;
  ImGui::RadioButton("A4", &paper, 0);
  ImGui::SameLine();
  ImGui::RadioButton("A3", &paper, 1);
  export_a3 = paper == 1;
  ImGui::BeginDisabled(!ready());
  if (ImGui::Button(tr_id("Write report and tables").c_str())) export_files(h);
  ImGui::EndDisabled();
  if (!ready()) {
    ImGui::SameLine();
    text(tr("computing…"));
  }
  if (applied > 0) ImGui::TextDisabled("%s", tr("The export includes the what-if edits."));
  if (!export_msg.empty()) {
    record(export_msg);
    ImGui::PushTextWrapPos(0);
    if (export_ok)
      ImGui::TextUnformatted(export_msg.c_str());
    else
      ImGui::TextColored({0.8f, 0.1f, 0.1f, 1}, "%s", export_msg.c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::End();
}

void AnalysisPanel::State::draw_overlay(const AnalysisHost& h) {
  if (!ready()) return;
  ImDrawList* dl = ImGui::GetBackgroundDrawList();
  auto scr = [&](core::Vec2 p) {
    core::Vec2 s = h.view.to_screen(p);
    return ImVec2{static_cast<float>(s.x), static_cast<float>(s.y)};
  };
  if (time_map && time_tex != 0) {
    const core::GridF& g = job->pe.ev.coverage.best_time;
    core::Vec2 tl{g.origin_x, g.origin_y}, br{g.origin_x + g.width * g.cell, g.origin_y - g.height * g.cell};
    dl->AddImage(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(time_tex)), scr(tl), scr(br));
    // Isochrones: each level's polylines, labelled in minutes at the middle of its longest line.
    const core::Geometries& iso = time_iso.lines;
    std::vector<ImVec2> pts;
    for (core::FeatureId f = 0; f < iso.feature_count() && f < time_iso.levels.size(); ++f) {
      const float width = 1.2f + 0.4f * static_cast<float>(f);
      std::size_t longest = 0;
      ImVec2 label_at{};
      for (auto p = iso.parts_begin(f); p < iso.parts_end(f); ++p)
        for (auto r = iso.rings_begin(p); r < iso.rings_end(p); ++r) {
          pts.clear();
          for (const auto& c : iso.ring(r)) pts.push_back(scr(c));
          if (pts.size() < 2) continue;
          dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), IM_COL32(40, 40, 40, 220), ImDrawFlags_None, width);
          if (pts.size() > longest) {
            longest = pts.size();
            label_at = pts[pts.size() / 2];
          }
        }
      if (longest > 0) {
        const std::string t = std::to_string(static_cast<int>(time_iso.levels[f] / 60.0)) +
                              (language() == Lang::Zh ? " 分钟" : " min");
        record(t);
        const ImVec2 sz = ImGui::CalcTextSize(t.c_str());
        const ImVec2 at{label_at.x - sz.x / 2, label_at.y - sz.y / 2};
        dl->AddRectFilled({at.x - 2, at.y - 1}, {at.x + sz.x + 2, at.y + sz.y + 1}, IM_COL32(255, 255, 255, 210), 3.0f);
        dl->AddText(at, IM_COL32(20, 20, 20, 255), t.c_str());
      }
    }
  }
  // failing units
  if (highlight_target >= 0 && highlight_layer < h.doc.layers.size()) {
    const core::Geometries& g = h.doc.layers[highlight_layer].geom;
    std::vector<ImVec2> pts;
    for (std::size_t f : highlight_features) {
      if (f >= g.feature_count()) continue;
      auto fid = static_cast<core::FeatureId>(f);
      for (auto p = g.parts_begin(fid); p < g.parts_end(fid); ++p)
        for (auto r = g.rings_begin(p); r < g.rings_end(p); ++r) {
          pts.clear();
          for (const auto& c : g.ring(r)) pts.push_back(scr(c));
          if (pts.size() >= 2)
            dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), IM_COL32(220, 20, 60, 255), ImDrawFlags_Closed, 3.0f);
        }
    }
  }
  // edited facilities: the data's place crossed out, the edited place drawn
  const auto& e = job->pe.ev;
  for (std::size_t k = 0; k < e.sets.size() && k < base_points.size(); ++k) {
    if (e.sets[k].mobile) continue;
    const auto& cur = e.sets[k].points;
    const auto& base = base_points[k];
    auto in = [](const std::vector<core::Vec2>& v, core::Vec2 p) {
      return std::any_of(v.begin(), v.end(), [&](core::Vec2 q) { return q.x == p.x && q.y == p.y; });
    };
    bool active = static_cast<int>(k) == active_set && mode != Pan;
    for (const auto& p : base)
      if (!in(cur, p)) {
        ImVec2 s = scr(p);
        dl->AddLine({s.x - 6, s.y - 6}, {s.x + 6, s.y + 6}, IM_COL32(90, 90, 90, 230), 2.5f);
        dl->AddLine({s.x - 6, s.y + 6}, {s.x + 6, s.y - 6}, IM_COL32(90, 90, 90, 230), 2.5f);
      }
    for (std::size_t i = 0; i < cur.size(); ++i) {
      bool edited = !in(base, cur[i]);
      bool sel = static_cast<int>(k) == active_set && static_cast<int>(i) == selected;
      if (!edited && !active && !sel) continue;
      ImVec2 s = scr(cur[i]);
      if (edited) {
        dl->AddCircleFilled(s, 7, IM_COL32(255, 140, 0, 240), 16);
        dl->AddCircle(s, 7, IM_COL32(30, 30, 30, 255), 16, 1.5f);
      }
      if (active) dl->AddCircle(s, 10, IM_COL32(0, 90, 200, 220), 20, 1.5f);
      if (sel) dl->AddCircle(s, 13, IM_COL32(255, 200, 0, 255), 24, 3.0f);
    }
  }
}

void AnalysisPanel::menu_items() {
  ImGui::MenuItem(tr_id("Coverage").c_str(), nullptr, &m->show_coverage);
  ImGui::MenuItem(tr_id("Targets").c_str(), nullptr, &m->show_targets);
  ImGui::MenuItem(tr_id("Export...").c_str(), nullptr, &m->show_export);
}

void AnalysisPanel::frame(AnalysisHost& h) {
  if (m->show_coverage || m->show_targets || m->show_export) m->start(h);
  m->poll(h);
  m->draw_coverage(h);
  m->draw_targets(h);
  m->draw_units(h);
  m->draw_export(h);
  m->refresh_map(h);
  m->draw_overlay(h);
}

void AnalysisPanel::keys(bool ctrl, bool shift, bool z, bool y) {
  bool z_down = z && !m->z_was, y_down = y && !m->y_was;  // once per press, not per frame held
  m->z_was = z;
  m->y_was = y;
  if (!ctrl || ImGui::GetIO().WantTextInput) return;
  if (z_down) shift ? m->redo() : m->undo();
  if (y_down) m->redo();
}

bool AnalysisPanel::mouse_event(AnalysisHost& h, int kind, core::Vec2 px, bool on_map) {
  if (kind == 1) {
    if (!m->dragging) return false;
    m->drag_to(h.view.to_map(px));
    m->end_drag();
    return true;
  }
  if (kind != 0 || !on_map || !m->ready() || m->mode == State::Pan || m->active_set < 0 || !m->show_coverage)
    return false;
  auto k = static_cast<std::size_t>(m->active_set);
  if (m->mode == State::AddFacility) {
    m->add_facility(k, h.view.to_map(px));
    return true;
  }
  int i = m->pick_facility(h, k, px);
  if (i < 0) return false;  // not on a facility: the map pans
  m->begin_drag(k, static_cast<std::size_t>(i));
  return true;
}

void AnalysisPanel::mouse_at(AnalysisHost& h, core::Vec2 px) {
  if (m->dragging) m->drag_to(h.view.to_map(px));
}

bool AnalysisPanel::script(AnalysisHost& h, const std::vector<std::string>& a, std::string& error) {
  auto num = [&](std::size_t i, double& out) {
    if (i >= a.size()) return false;
    char* end = nullptr;
    out = std::strtod(a[i].c_str(), &end);
    return end && *end == '\0';
  };
  auto need_ready = [&]() {
    m->wait(h);
    if (!m->ready()) error = "analysis: the evaluation failed: " + m->error;
    return m->ready();
  };
  auto set_of = [&](std::size_t i, std::size_t& k) {
    int s = i < a.size() ? m->set_index(a[i]) : -1;
    if (s < 0 || m->ev().sets[static_cast<std::size_t>(s)].mobile) {
      error = "analysis " + a[0] + ": no fixed facility type '" + (i < a.size() ? a[i] : "") + "'";
      return false;
    }
    k = static_cast<std::size_t>(s);
    return true;
  };
  const std::string& v = a[0];
  if (v == "open" || v == "close") {
    bool on = v == "open";
    std::string p = a.size() > 1 ? a[1] : "";
    if (p == "coverage")
      m->show_coverage = on;
    else if (p == "targets")
      m->show_targets = on;
    else if (p == "units")
      m->show_units = on;
    else if (p == "export")
      m->show_export = on;
    else {
      error = "analysis " + v + ": unknown panel '" + p + "' (coverage, units, targets, export)";
      return false;
    }
    return true;
  }
  if (v == "wait") return need_ready();
  if (v == "mode") {
    std::string md = a.size() > 1 ? a[1] : "";
    if (md == "pan") m->mode = State::Pan;
    else if (md == "move") m->mode = State::MoveFacility;
    else if (md == "add") m->mode = State::AddFacility;
    else {
      error = "analysis mode: use pan, move or add";
      return false;
    }
    return true;
  }
  if (v == "undo" || v == "redo") {
    if (!need_ready()) return false;
    v == "undo" ? m->undo() : m->redo();
    return true;
  }
  if (v == "gap_map" || v == "time_map") {
    bool on = a.size() > 1 && a[1] == "on";
    (v == "gap_map" ? m->gap_map : m->time_map) = on;
    m->map_dirty = m->time_dirty = true;
    return true;
  }
  if (v == "drag") {  // drag FACILITY INDEX DX_M DY_M: five steps, as a mouse drag would
    std::size_t k = 0;
    double idx = 0, dx = 0, dy = 0;
    if (!need_ready() || !set_of(1, k)) return false;
    if (!num(2, idx) || !num(3, dx) || !num(4, dy) || idx < 0 ||
        static_cast<std::size_t>(idx) >= m->ev().sets[k].points.size()) {
      error = "analysis drag: use drag FACILITY INDEX DX_M DY_M with a valid index";
      return false;
    }
    auto i = static_cast<std::size_t>(idx);
    core::Vec2 p0 = m->ev().sets[k].points[i];
    m->begin_drag(k, i);
    for (int s = 1; s <= 5; ++s) m->drag_to({p0.x + dx * s / 5.0, p0.y + dy * s / 5.0});
    m->end_drag();
    return true;
  }
  if (v == "add") {  // add FACILITY X Y (screen pixels)
    std::size_t k = 0;
    double x = 0, y = 0;
    if (!need_ready() || !set_of(1, k)) return false;
    if (!num(2, x) || !num(3, y)) {
      error = "analysis add: use add FACILITY X Y (screen pixels)";
      return false;
    }
    m->active_set = static_cast<int>(k);
    m->add_facility(k, h.view.to_map({x, y}));
    return true;
  }
  if (v == "delete") {
    std::size_t k = 0;
    double idx = 0;
    if (!need_ready() || !set_of(1, k)) return false;
    if (!num(2, idx) || idx < 0 || static_cast<std::size_t>(idx) >= m->ev().sets[k].points.size()) {
      error = "analysis delete: use delete FACILITY INDEX with a valid index";
      return false;
    }
    m->active_set = static_cast<int>(k);
    m->delete_facility(k, static_cast<std::size_t>(idx));
    return true;
  }
  if (v == "standard") {
    std::size_t k = 0;
    double mins = 0;
    if (!need_ready() || !set_of(1, k)) return false;
    if (!num(2, mins) || mins < 0) {
      error = "analysis standard: use standard FACILITY MINUTES";
      return false;
    }
    Edit ed;
    ed.kind = Edit::Standard;
    ed.set = k;
    ed.old_s = m->ev().sets[k].standard_s;
    ed.new_s = mins * 60.0;
    m->apply(ed, true);
    m->push(ed);
    return true;
  }
  if (v == "target") {
    if (!need_ready()) return false;
    std::string id = a.size() > 1 ? a[1] : "";
    for (std::size_t i = 0; i < m->ev().targets.size(); ++i)
      if (m->ev().targets[i].target && m->ev().targets[i].target->id == id) {
        m->show_targets = true;
        m->highlight(h, static_cast<int>(i));
        return true;
      }
    error = "analysis target: no target with id '" + id + "'";
    return false;
  }
  if (v == "compare") {  // compare [FILE]
    if (!need_ready()) return false;
    fs::path file = a.size() > 1 ? fs::path(a[1]) : State::scenarios_file(h.project);
    if (!m->compare(file)) {
      error = "analysis compare: " + m->scenario_msg;
      return false;
    }
    return true;
  }
  if (v == "save" || v == "load") {  // save|load NAME [FILE]
    if (!need_ready()) return false;
    if (a.size() < 2) {
      error = "analysis " + v + ": use " + v + " NAME [FILE]";
      return false;
    }
    fs::path file = a.size() > 2 ? fs::path(a[2]) : State::scenarios_file(h.project);
    bool ok = v == "save" ? m->save_scenario(file, a[1]) : m->load_scenario(file, a[1]);
    if (!ok) error = "analysis " + v + ": " + m->scenario_msg;
    return ok;
  }
  if (v == "export") {  // export DIR [zh|en] [a4|a3]
    if (!need_ready()) return false;
    if (a.size() < 2) {
      error = "analysis export: use export DIR [zh|en] [a4|a3]";
      return false;
    }
    m->show_export = true;
    std::snprintf(m->export_dir, sizeof m->export_dir, "%s", a[1].c_str());
    for (std::size_t i = 2; i < a.size(); ++i) {
      if (a[i] == "en") m->export_lang = 1;
      else if (a[i] == "zh") m->export_lang = 0;
      else if (a[i] == "a3") m->export_a3 = true;
      else if (a[i] == "a4") m->export_a3 = false;
      else {
        error = "analysis export: unknown option '" + a[i] + "' (zh, en, a4, a3)";
        return false;
      }
    }
    if (!m->export_files(h)) {
      error = "analysis export: " + m->export_msg;
      return false;
    }
    return true;
  }
  error = "analysis: unknown command '" + v +
          "' (open, close, wait, mode, drag, add, delete, standard, undo, redo, target, gap_map, time_map, save, load, compare, export)";
  return false;
}

std::vector<std::string> AnalysisPanel::glyph_texts(const core::Document& doc) const {
  std::vector<std::string> out;
  for (const auto& t : doc.config.targets) {
    out.push_back(t.quote);
    out.push_back(t.source);
  }
  out.emplace_back("、—·×%→");
  // names of the scenarios saved beside the project
  if (!doc.config.file.empty()) {
    std::string err;
    for (const auto& sc : read_scenarios(State::scenarios_file(doc.config.file.string()), err)) out.push_back(sc.name);
  }
  return out;
}

}  // namespace kepumap::ui
