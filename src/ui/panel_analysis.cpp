#include "ui/panel_analysis.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "io/scenario_file.hpp"
#include "ui/analysis_state.hpp"
#include "ui/i18n.hpp"

namespace kepumap::ui {

namespace fs = std::filesystem;

namespace detail {

std::string fmt(const char* f, double a) {
  char b[128];
  std::snprintf(b, sizeof b, f, a);
  return b;
}

void text(const std::string& s) {
  record(s);
  ImGui::TextUnformatted(s.c_str());
}

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
  h.layout.drawn(name);
}

}  // namespace detail

using namespace detail;

void AnalysisPanel::State::problem(AnalysisHost& h, const std::string& line) {
  error = line;
  h.log.push_back(line);
}

void AnalysisPanel::State::follow_session(AnalysisHost& h) {
  if (!h.session.ready()) return;
  const session::Key k = h.session.key();
  if (k.revision == installed.revision && k.scenario == installed.scenario && installed.edits != 0) {
    installed = k;
    const auto& e = ev(h);
    if (active_set >= 0 && selected >= 0 &&
        static_cast<std::size_t>(selected) >= e.sets[static_cast<std::size_t>(active_set)].points.size())
      selected = -1;
    return;
  }
  // a new evaluation: the default set, no selection, the overlay found again
  installed = k;
  const auto& e = ev(h);
  active_set = -1;
  for (std::size_t q = 0; q < e.sets.size(); ++q)
    if (!e.sets[q].mobile && (active_set < 0 || e.sets[q].facility == "education_base"))
      active_set = static_cast<int>(q);
  selected = -1;
  named = -1;
  overlay.reset(h);
}

std::string AnalysisPanel::State::summary(const AnalysisHost& h, const std::string& label) const {
  const auto& e = ev(h);
  const auto& t = e.coverage.total;
  std::string line = label + ": ";
  for (std::size_t k = 0; k < e.services.size(); ++k)
    line += service_name(e.services[k].facility) + " " + fmt("%.1f %%", 100.0 * t.service[k].share()) + " · ";
  line += std::string(tr("Covered by any")) + " " + fmt("%.1f %%", 100.0 * t.share_any()) + " · " +
          tr("Gini") + " " + fmt("%.3f", e.coverage.equity.gini_time);
  return line;
}

fs::path AnalysisPanel::State::scenarios_file(const std::string& project) {
  return io::scenarios_file_of(project);
}

bool AnalysisPanel::State::compare(AnalysisHost& h, const fs::path& file) {
  scenario_ok = false;
  if (!ready(h) || h.session.dragging()) return false;
  std::string err;
  auto list = io::read_scenarios(file, err);
  if (!err.empty()) {
    scenario_msg = err;
    h.log.push_back(err);
    return false;
  }
  std::vector<std::string> lines;
  const std::string current = summary(h, tr("Current"));
  bool ok = h.session.look_with(
      {}, file.string(), [&](const analysis::ProjectEvaluation&) { lines.push_back(summary(h, tr("Data"))); },
      err);
  lines.push_back(current);
  for (const auto& sc : list) {
    err.clear();
    if (!h.session.look_with(
            sc.edits, file.string(),
            [&](const analysis::ProjectEvaluation&) { lines.push_back(summary(h, sc.name)); }, err)) {
      lines.push_back(sc.name + ": " + err);
      h.log.push_back(err);
      ok = false;
    }
  }
  compare_lines = std::move(lines);
  scenario_msg = std::string(tr("Compared")) + " " + std::to_string(list.size()) + " " + tr("scenarios");
  scenario_ok = ok;
  return ok;
}

bool AnalysisPanel::State::save_scenario(AnalysisHost& h, const fs::path& file, const std::string& name) {
  scenario_ok = false;
  if (!ready(h) || name.empty()) {
    scenario_msg = tr("Give the scenario a name.");
    return false;
  }
  std::string err;
  auto list = io::read_scenarios(file, err);
  if (!err.empty()) {
    scenario_msg = err;  // a file that does not parse is never overwritten
    h.log.push_back(err);
    return false;
  }
  io::SavedScenario sc{name, h.session.saved_edits()};
  auto it =
      std::find_if(list.begin(), list.end(), [&](const io::SavedScenario& s) { return s.name == name; });
  if (it != list.end())
    *it = std::move(sc);
  else
    list.push_back(std::move(sc));
  if (!io::write_scenarios(file, list, err)) {
    scenario_msg = err;
    h.log.push_back(err);
    return false;
  }
  scenario_msg = std::string(tr("Saved")) + " '" + name + "' → " + file.string();
  scenario_ok = true;
  scenario_list_dirty = true;
  return true;
}

bool AnalysisPanel::State::load_scenario(AnalysisHost& h, const fs::path& file, const std::string& name) {
  scenario_ok = false;
  if (!ready(h)) return false;
  std::string err;
  auto list = io::read_scenarios(file, err);
  if (!err.empty()) {
    scenario_msg = err;
    h.log.push_back(err);
    return false;
  }
  auto it =
      std::find_if(list.begin(), list.end(), [&](const io::SavedScenario& s) { return s.name == name; });
  if (it == list.end()) {
    scenario_msg = file.string() + ": " + tr("no scenario named") + " '" + name + "'";
    h.log.push_back(scenario_msg);
    return false;
  }
  if (!h.session.load_saved(it->edits, file.string() + ": '" + name + "'", err)) {
    scenario_msg = err;  // the session is unchanged
    h.log.push_back(err);
    return false;
  }
  selected = -1;
  scenario_msg = std::string(tr("Loaded")) + " '" + name + "' (" + std::to_string(it->edits.size()) + " " +
                 tr("edits") + ")";
  scenario_ok = true;
  return true;
}

int AnalysisPanel::State::pick_facility(const AnalysisHost& h, std::size_t k, core::Vec2 px) const {
  const auto& pts = ev(h).sets[k].points;
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

AnalysisPanel::AnalysisPanel() : m(std::make_unique<State>()) {}

// Nothing to wait for: the tasks belong to the app's task manager.
AnalysisPanel::~AnalysisPanel() = default;

void AnalysisPanel::release_gl() { m->overlay.release_gl(); }

bool AnalysisPanel::drawing_pending() const { return m->overlay.time_map && m->overlay.isochrones_pending(); }

void AnalysisPanel::reset() {
  if (m->export_task) m->export_task->cancel();
  m->overlay.release_gl();
  auto next = std::make_unique<State>();
  next->show_coverage = m->show_coverage;
  next->show_targets = m->show_targets;
  next->show_export = m->show_export;
  next->show_units = m->show_units;
  m = std::move(next);
}

bool AnalysisPanel::wants_figures() const { return m->show_coverage || m->show_targets || m->show_export; }

void AnalysisPanel::menu_items() {
  ImGui::MenuItem(tr_id("Coverage").c_str(), nullptr, &m->show_coverage);
  ImGui::MenuItem(tr_id("Targets").c_str(), nullptr, &m->show_targets);
  ImGui::MenuItem(tr_id("Export...").c_str(), nullptr, &m->show_export);
}

void AnalysisPanel::frame(AnalysisHost& h) {
  if (wants_figures()) h.want_figures = true;
  if (!h.session.dragging()) {  // Ctrl+Z just after a release undoes the drag once it has ended
    for (; m->pending_undo > 0; --m->pending_undo) h.session.undo();
    for (; m->pending_redo > 0; --m->pending_redo) h.session.redo();
  }
  m->follow_session(h);
  if (&h.doc != m->seen_doc) {  // layers added or removed: find the finest layer again
    m->seen_doc = &h.doc;
    m->overlay.reset(h);
  }
  m->draw_coverage(h);
  m->draw_targets(h);
  m->draw_units(h);
  m->draw_export(h);
  m->overlay.refresh(h);
  m->overlay.draw(h, m->active_set, m->selected, m->mode != State::Pan);
}

void AnalysisPanel::draw_map(const AnalysisHost& h, ImDrawList* dl, const render::View& view,
                             ImFont* font) const {
  m->overlay.draw_static(h, dl, view, font);
}

std::uint64_t AnalysisPanel::map_look() const { return m->overlay.look(); }

void AnalysisPanel::keys(bool ctrl, bool shift, bool z, bool y) {
  bool z_down = z && !m->z_was, y_down = y && !m->y_was;  // once per press, not per frame held
  m->z_was = z;
  m->y_was = y;
  if (!ctrl || ImGui::GetIO().WantTextInput) return;
  m->pending_undo += z_down && !shift ? 1 : 0;
  m->pending_redo += (z_down && shift) || y_down ? 1 : 0;
}

bool AnalysisPanel::mouse_event(AnalysisHost& h, int kind, core::Vec2 px, bool on_map) {
  if (kind == 1) {
    if (!h.session.drag_held()) return false;
    h.session.drag_to(h.view.to_map(px));
    h.session.end_drag();
    return true;
  }
  if (kind != 0 || !on_map || !m->ready(h) || m->mode == State::Pan || m->active_set < 0 || !m->show_coverage)
    return false;
  auto k = static_cast<std::size_t>(m->active_set);
  std::string err;
  if (m->mode == State::AddFacility) {
    const int i = h.session.add_facility(k, h.view.to_map(px), "", "", err);
    if (i < 0) m->problem(h, err);
    m->selected = i;
    return true;
  }
  int i = m->pick_facility(h, k, px);
  if (i < 0) return false;  // not on a facility: the map pans
  m->selected = i;
  h.session.begin_drag(k, static_cast<std::size_t>(i));
  return true;
}

void AnalysisPanel::mouse_at(AnalysisHost& h, core::Vec2 px) {
  if (h.session.drag_held()) h.session.drag_to(h.view.to_map(px));
}

std::vector<std::string> AnalysisPanel::glyph_texts(const core::Document& doc) const {
  std::vector<std::string> out;
  for (const auto& t : doc.config.targets) {
    out.push_back(t.quote);
    out.push_back(t.source);
  }
  out.emplace_back("、—·×%→“”（）新址假设编辑项采纳选址结果移动删除命名级别处服务标准分钟公里图层添加移除");
  // the travel scenarios' labels (the coverage panel's scenario choice) and the demand rule
  for (const auto& sc : doc.config.scenarios) out.push_back(sc.label);
  for (const auto& l : doc.config.layers) out.push_back(l.title);  // layers' display names
  // names of the scenarios saved beside the project
  if (!doc.config.file.empty()) {
    std::string err;
    for (const auto& sc : io::read_scenarios(State::scenarios_file(doc.config.file.string()), err))
      out.push_back(sc.name);
  }
  return out;
}

}  // namespace kepumap::ui
