// The `analysis` script commands (ui/script.hpp): the same typed calls as the panels' buttons,
// on the session, never screen-pixel strings except where a command takes a screen point.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "ui/analysis_state.hpp"

namespace kepumap::ui {

namespace fs = std::filesystem;

bool AnalysisPanel::script(AnalysisHost& h, const std::vector<std::string>& a, std::string& error) {
  auto num = [&](std::size_t i, double& out) {
    if (i >= a.size()) return false;
    char* end = nullptr;
    out = std::strtod(a[i].c_str(), &end);
    return end && *end == '\0';
  };
  auto need_ready = [&]() {
    std::string err;
    if (!h.wait_figures(err)) {
      error = "analysis: the evaluation failed: " + err;
      return false;
    }
    m->follow_session(h);
    return true;
  };
  auto set_of = [&](std::size_t i, std::size_t& k) {
    int s = i < a.size() ? h.session.set_index(a[i]) : -1;
    if (s < 0 || h.session.evaluation().ev.sets[static_cast<std::size_t>(s)].mobile) {
      error = "analysis " + a[0] + ": no fixed facility type '" + (i < a.size() ? a[i] : "") + "'";
      return false;
    }
    k = static_cast<std::size_t>(s);
    return true;
  };
  auto index_of = [&](std::size_t i, std::size_t k, std::size_t& out) {
    double idx = 0;
    if (!num(i, idx) || idx < 0 ||
        static_cast<std::size_t>(idx) >= h.session.evaluation().ev.sets[k].points.size())
      return false;
    out = static_cast<std::size_t>(idx);
    return true;
  };
  auto fail = [&](const std::string& what) {
    error = "analysis " + a[0] + ": " + what;
    h.log.push_back(error);
    return false;
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
    if (on) h.want_figures = true;
    return true;
  }
  if (v == "wait") return need_ready();
  if (v == "mode") {
    std::string md = a.size() > 1 ? a[1] : "";
    if (md == "pan")
      m->mode = State::Pan;
    else if (md == "move")
      m->mode = State::MoveFacility;
    else if (md == "add")
      m->mode = State::AddFacility;
    else {
      error = "analysis mode: use pan, move or add";
      return false;
    }
    return true;
  }
  if (v == "undo" || v == "redo") {
    if (!need_ready()) return false;
    v == "undo" ? h.session.undo() : h.session.redo();
    return true;
  }
  if (v == "recompute") {  // evaluates the current revision again; the edits are replayed
    h.recompute();
    return need_ready();
  }
  if (v == "gap_map" || v == "time_map") {
    bool on = a.size() > 1 && a[1] == "on";
    (v == "gap_map" ? m->overlay.gap_map : m->overlay.time_map) = on;
    m->overlay.mark_dirty();
    return true;
  }
  if (v == "scenario") {  // scenario NAME|base: chooses the travel scenario (evaluated on `wait`)
    if (a.size() < 2) return fail("use scenario NAME|base");
    const std::string name = a[1] == "base" ? std::string() : a[1];
    const auto& scs = h.doc.config.scenarios;
    if (!name.empty() &&
        std::none_of(scs.begin(), scs.end(), [&](const core::Scenario& sc) { return sc.name == name; }))
      return fail("no scenario '" + name + "' in the project");
    h.session.set_scenario(name);
    return true;
  }
  if (v == "access") {  // access FACILITY [index_map] [catchments]: opens the capacity section
    if (a.size() < 2) return fail("use access FACILITY [index_map] [catchments]");
    const int k = h.session.set_index(a[1]);
    if (k < 0) return fail("no facility set '" + a[1] + "'");
    m->access_ui_set = k;
    m->access_open_request = true;
    m->overlay.index_map = std::find(a.begin(), a.end(), "index_map") != a.end();
    m->overlay.catchment_map = std::find(a.begin(), a.end(), "catchments") != a.end();
    if (m->overlay.index_map) m->overlay.time_map = false;
    return true;
  }
  if (v == "drag") {  // drag FACILITY INDEX DX_M DY_M: five steps, as a mouse drag would
    std::size_t k = 0, i = 0;
    double dx = 0, dy = 0;
    if (!need_ready() || !set_of(1, k)) return false;
    if (!index_of(2, k, i) || !num(3, dx) || !num(4, dy))
      return fail("use drag FACILITY INDEX DX_M DY_M with a valid index");
    const core::Vec2 p0 = h.session.evaluation().ev.sets[k].points[i];
    m->active_set = static_cast<int>(k);
    m->selected = static_cast<int>(i);
    if (!h.session.begin_drag(k, i)) return fail("cannot drag now (a job is reading the figures)");
    for (int s = 1; s <= 5; ++s) h.session.drag_to({p0.x + dx * s / 5.0, p0.y + dy * s / 5.0});
    h.session.end_drag();
    while (h.session.dragging()) {  // the steps run as tasks: the next verb sees the final figures
      h.tasks.poll();
      if (h.session.dragging()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return true;
  }
  if (v == "add" ||
      v == "add_at") {  // add FACILITY X Y (screen pixels) | add_at FACILITY X_M Y_M [NAME [LEVEL]]
    std::size_t k = 0;
    double x = 0, y = 0;
    if (!need_ready() || !set_of(1, k)) return false;
    if (!num(2, x) || !num(3, y))
      return fail(v == "add" ? "use add FACILITY X Y (screen pixels)"
                             : "use add_at FACILITY X_M Y_M [NAME [LEVEL]]");
    m->active_set = static_cast<int>(k);
    const core::Vec2 p = v == "add" ? h.view.to_map({x, y}) : core::Vec2{x, y};
    std::string err;
    const int i = h.session.add_facility(k, p, a.size() > 4 ? a[4] : "", a.size() > 5 ? a[5] : "", err);
    if (i < 0) return fail(err);
    m->selected = i;
    return true;
  }
  if (v == "rename") {  // rename FACILITY INDEX NAME [LEVEL]
    std::size_t k = 0, i = 0;
    if (!need_ready() || !set_of(1, k)) return false;
    if (!index_of(2, k, i) || a.size() < 4) return fail("use rename FACILITY INDEX NAME [LEVEL]");
    std::string err;
    if (!h.session.rename_facility(k, i, a[3], a.size() > 4 ? a[4] : "", err)) return fail(err);
    return true;
  }
  if (v == "delete") {
    std::size_t k = 0, i = 0;
    if (!need_ready() || !set_of(1, k)) return false;
    if (!index_of(2, k, i)) return fail("use delete FACILITY INDEX with a valid index");
    m->active_set = static_cast<int>(k);
    std::string err;
    if (!h.session.delete_facility(k, i, err)) return fail(err);
    m->selected = -1;
    return true;
  }
  if (v == "standard") {
    std::size_t k = 0;
    double mins = 0;
    if (!need_ready() || !set_of(1, k)) return false;
    if (!num(2, mins) || mins < 0) return fail("use standard FACILITY MINUTES");
    std::string err;
    if (!h.session.set_standard(k, mins * 60.0, err)) return fail(err);
    return true;
  }
  if (v == "target") {
    if (!need_ready()) return false;
    std::string id = a.size() > 1 ? a[1] : "";
    const auto& targets = h.session.evaluation().ev.targets;
    for (std::size_t i = 0; i < targets.size(); ++i)
      if (targets[i].target && targets[i].target->id == id) {
        m->show_targets = true;
        m->overlay.highlight(h, static_cast<int>(i));
        return true;
      }
    error = "analysis target: no target with id '" + id + "'";
    return false;
  }
  if (v == "compare") {  // compare [FILE]
    if (!need_ready()) return false;
    fs::path file = a.size() > 1 ? fs::path(a[1]) : State::scenarios_file(h.project);
    if (!m->compare(h, file)) {
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
    bool ok = v == "save" ? m->save_scenario(h, file, a[1]) : m->load_scenario(h, file, a[1]);
    if (!ok) error = "analysis " + v + ": " + m->scenario_msg;
    return ok;
  }
  if (v == "export" || v == "export_view") {  // export[_view] DIR [zh|en] [a4|a3]: the task to its end
    if (!need_ready()) return false;
    if (a.size() < 2) {
      error = "analysis export: use export DIR [zh|en] [a4|a3]";
      return false;
    }
    m->show_export = true;
    std::snprintf(m->export_dir, sizeof m->export_dir, "%s", a[1].c_str());
    for (std::size_t i = 2; i < a.size(); ++i) {
      if (a[i] == "en")
        m->export_lang = 1;
      else if (a[i] == "zh")
        m->export_lang = 0;
      else if (a[i] == "a3")
        m->export_a3 = true;
      else if (a[i] == "a4")
        m->export_a3 = false;
      else {
        error = "analysis export: unknown option '" + a[i] + "' (zh, en, a4, a3)";
        return false;
      }
    }
    if (!(v == "export" ? m->start_export(h) : m->start_view_export(h))) {
      error = "analysis export: " + m->export_msg;
      return false;
    }
    while (m->export_task) {
      h.tasks.poll();
      if (m->export_task) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (!m->export_ok) {
      error = "analysis export: " + m->export_msg;
      return false;
    }
    return true;
  }
  error = "analysis: unknown command '" + v +
          "' (open, close, wait, recompute, mode, drag, add, add_at, rename, delete, standard, undo, redo, "
          "target, gap_map, "
          "time_map, access, save, load, compare, export, export_view)";
  return false;
}

}  // namespace kepumap::ui
