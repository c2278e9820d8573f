// The coverage panel (figures, equity table, map switches), the table by unit, and its what-if
// section (edit modes, undo/redo, naming a site, standards, saved scenarios). Every change goes
// through the session.
#include <imgui.h>

#include <cmath>
#include <cstdio>

#include "io/scenario_file.hpp"
#include "ui/analysis_state.hpp"
#include "ui/i18n.hpp"

namespace kepumap::ui {

using namespace detail;

namespace {

/// A layer as the planner knows it: the project's display name (title), else its role's name.
std::string layer_title(const session::Session& session, const core::Layer& L) {
  for (const auto& spec : session.document()->config.layers)
    if (spec.name == L.name && !spec.title.empty()) return spec.title;
  const std::string role = role_label(L.role);
  return role.empty() || role == "?" ? L.name : role;
}

/// Why the figures are not (or not yet) the current revision's, and the evaluation's progress.
void draw_status(AnalysisHost& h, const std::string& error) {
  const auto task = h.tasks.find("evaluation");
  if (task) {
    const std::string stage = task->stage();
    ImGui::ProgressBar(std::max(0.02f, task->progress()), ImVec2(-90, 0),
                       (std::string(tr("computing…")) + " " + stage).c_str());
    record(tr("computing…"));
    ImGui::SameLine();
    if (ImGui::Button(tr_id("Cancel").c_str())) task->cancel();
  }
  if (h.session.stale()) {
    const std::string s =
        tr("The figures are of an earlier revision of the project (a layer or the scenario changed).");
    record(s);
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored({0.75f, 0.35f, 0.0f, 1}, "%s", s.c_str());
    ImGui::PopTextWrapPos();
  }
  if (!error.empty()) {
    record(error);
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored({0.8f, 0.1f, 0.1f, 1}, "%s", error.c_str());
    ImGui::PopTextWrapPos();
  }
}

}  // namespace

void AnalysisPanel::State::draw_coverage(AnalysisHost& h) {
  if (!show_coverage) return;
  h.layout.place("coverage", Side::Right, 460, 560);
  if (!ImGui::Begin(tr_id("Coverage").c_str(), &show_coverage)) {
    ImGui::End();
    return;
  }
  note_rect(h, "coverage");
  if (h.project.empty()) {
    text(tr("Open a project to compute coverage."));
    ImGui::End();
    return;
  }
  draw_status(h, error);
  if (!ready(h)) {
    if (!h.tasks.find("evaluation") && ImGui::Button(tr_id("Recompute").c_str())) h.recompute();
    ImGui::End();
    return;
  }
  ImGui::PushTextWrapPos(0);
  const auto& e = ev(h);
  const auto& t = e.coverage.total;
  draw_scenario_choice(h);
  text(std::string(tr("Scenario")) + ": " + h.session.scenario_label(language() == Lang::En));
  if (!(t.population > 0)) {
    // No people: every share is 0. Say why instead of showing 0 % as if it were a figure.
    const auto* finest = h.session.evaluation().area.finest;
    const std::string s = std::string(tr("This project has no population: every share is 0.")) + " " +
                          tr("Map a population field on the finest unit layer, or add a population raster") +
                          (finest ? ": " + layer_title(h.session, *finest) : std::string());
    record(s);
    ImGui::TextColored({0.75f, 0.35f, 0.0f, 1}, "%s", s.c_str());
  }
  text(std::string(tr("Population")) + ": " + fmt("%.0f", t.population));
  for (std::size_t k = 0; k < e.services.size(); ++k) {
    const auto& s = e.services[k];
    const auto& f = t.service[k];
    std::string line = service_name(s.facility) + ": " + fmt("%.1f %%", 100.0 * f.share()) + " · " +
                       fmt("%.0f", f.covered) + " " + tr("people");
    if (!s.mobile) {
      bool reach = f.population > f.unreachable;  // no time to show when nobody reaches one
      line += " · " + std::string(tr("mean")) + " " + (reach ? minutes(f.mean_s) : "—") + " " + tr("min") +
              " · P90 " + (reach ? minutes(f.p90_s) : "—") + " " + tr("min") + " · " + tr("standard") + " " +
              fmt("%.0f", s.standard_s / 60) + " " + tr("min");
    }
    text(line);
  }
  text(std::string(tr("Covered by any")) + ": " + fmt("%.1f %%", 100.0 * t.share_any()) + " · " +
       fmt("%.0f", t.covered_any) + " " + tr("people"));
  text(std::string(tr("Gini of travel time")) + ": " + fmt("%.3f", e.coverage.equity.gini_time));
  {
    // The priority formula with the weights in use (README "Coverage and gaps").
    const analysis::PriorityParams& pp = h.session.evaluation().priority;
    std::string f = std::string(tr("Priority")) + " = 1 + " + fmt("%g", pp.pastoral_weight) + " × " +
                    tr("pastoral") + " + " + fmt("%g", pp.border_weight) + " × " + tr("border band");
    for (std::size_t b = 0; b < pp.border_bands_m.size() && b < pp.border_band_weights.size(); ++b)
      f += (b ? ", " : " (") + fmt("%g", pp.border_band_weights[b]) + " ≤ " +
           fmt("%g", pp.border_bands_m[b] / 1000.0) + " km" + (b + 1 == pp.border_bands_m.size() ? ")" : "");
    f += " + " + fmt("%g", pp.remoteness_weight) + " × " + tr("remoteness") + " (" +
         tr("time to the nearest town") + " / " + fmt("%g", pp.remoteness_scale_s / 3600.0) + " h, ≤ 1)";
    text(f);
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
        {"Pastoral", &q.pastoral},
        {"Other", &q.other},
        {"Border (within the bands)", &q.border},
        {"Interior", &q.interior}};
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
  ImGui::Checkbox(tr_id("Gap map").c_str(), &overlay.gap_map);
  if (ImGui::IsItemEdited()) overlay.mark_dirty();
  ImGui::SameLine();
  ImGui::Checkbox(tr_id("Travel-time map").c_str(), &overlay.time_map);
  if (ImGui::IsItemEdited()) overlay.mark_dirty();
  if (overlay.time_map) {
    ImDrawList* wl = ImGui::GetWindowDrawList();
    for (const auto& [colour, label] : MapOverlay::time_legend(h.style)) {
      ImVec2 p = ImGui::GetCursorScreenPos();
      float sz = ImGui::GetTextLineHeight();
      wl->AddRectFilled(p, {p.x + sz, p.y + sz}, colour);
      ImGui::Dummy({sz, sz});
      ImGui::SameLine();
      text(label);
      ImGui::SameLine();
    }
    text(tr("min"));
  }
  ImGui::SameLine();
  ImGui::BeginDisabled(h.tasks.find("evaluation") != nullptr);
  if (ImGui::Button(tr_id("Recompute").c_str())) h.recompute();
  ImGui::EndDisabled();
  draw_access(h);
  draw_whatif(h);
  ImGui::Checkbox(tr_id("Table by unit").c_str(), &show_units);
  ImGui::End();
}

void AnalysisPanel::State::draw_scenario_choice(AnalysisHost& h) {
  // The project's travel [[scenario]]s (e.g. 冬季（积雪）): choosing one evaluates it; the
  // what-if edits are replayed on its figures.
  const auto& scenarios = h.doc.config.scenarios;
  if (scenarios.empty()) return;
  const std::string& cur = h.session.scenario();
  std::string label = tr("current (base)");
  for (const auto& sc : scenarios)
    if (sc.name == cur) label = sc.label.empty() ? sc.name : sc.label;
  record(label);
  ImGui::SetNextItemWidth(220);
  if (ImGui::BeginCombo(tr_id("Travel scenario").c_str(), label.c_str())) {
    if (ImGui::Selectable(tr("current (base)"), cur.empty())) h.session.set_scenario("");
    for (const auto& sc : scenarios) {
      const std::string l = (sc.label.empty() ? sc.name : sc.label) + "###sc_" + sc.name;
      if (ImGui::Selectable(l.c_str(), sc.name == cur)) h.session.set_scenario(sc.name);
    }
    ImGui::EndCombo();
  }
}

void AnalysisPanel::State::draw_units(AnalysisHost& h) {
  if (!show_units || !ready(h)) return;
  h.layout.place("units", Side::Bottom, 460, 330);
  if (!ImGui::Begin(tr_id("Table by unit").c_str(), &show_units)) {
    ImGui::End();
    return;
  }
  note_rect(h, "units");
  const auto& e = ev(h);
  // table by township (or the level below the top)
  const auto& area = h.session.evaluation().area;
  std::size_t lv = 0;
  for (std::size_t l = 0; l < area.levels.size(); ++l)
    if (area.levels[l].name == "township") lv = l;
  if (lv == 0 && area.levels.size() > 2) lv = 1;
  const int cols = 4 + static_cast<int>(e.services.size());
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
  ImGui::End();
}

void AnalysisPanel::State::draw_whatif(AnalysisHost& h) {
  if (!ImGui::CollapsingHeader(tr_id("What-if").c_str(), ImGuiTreeNodeFlags_DefaultOpen)) return;
  const auto& e = ev(h);
  std::string err;
  ImGui::RadioButton(tr_id("Pan").c_str(), &mode, Pan);
  ImGui::SameLine();
  ImGui::RadioButton(tr_id("Move facility").c_str(), &mode, MoveFacility);
  ImGui::SameLine();
  ImGui::RadioButton(tr_id("Add facility").c_str(), &mode, AddFacility);
  std::string current =
      active_set >= 0 ? service_name(e.sets[static_cast<std::size_t>(active_set)].facility) : "";
  record(current);
  if (ImGui::BeginCombo(tr_id("Facility type").c_str(), current.c_str())) {
    for (std::size_t k = 0; k < e.sets.size(); ++k)
      if (!e.sets[k].mobile &&
          ImGui::Selectable(service_name(e.sets[k].facility).c_str(), static_cast<int>(k) == active_set)) {
        active_set = static_cast<int>(k);
        selected = -1;
      }
    ImGui::EndCombo();
  }
  if (active_set >= 0 && selected >= 0) {
    const auto k = static_cast<std::size_t>(active_set);
    const auto& s = e.sets[k];
    auto i = static_cast<std::size_t>(selected);
    if (i < s.points.size()) {
      if (named != selected) {  // the fields hold the selected facility's name and level
        named = selected;
        std::snprintf(name_field, sizeof name_field, "%s", i < s.names.size() ? s.names[i].c_str() : "");
        std::snprintf(level_field, sizeof level_field, "%s", i < s.levels.size() ? s.levels[i].c_str() : "");
      }
      std::string n = i < s.names.size() ? s.names[i] : std::string();
      if (n.empty()) n = std::string("#").append(std::to_string(i));
      text(std::string(tr("Selected")) + ": " + n);
      ImGui::SameLine();
      if (ImGui::Button(tr_id("Delete").c_str())) {
        if (!h.session.delete_facility(k, i, err)) problem(h, err);
        selected = named = -1;
      }
      ImGui::SetNextItemWidth(150);
      ImGui::InputText(tr_id("Name").c_str(), name_field, sizeof name_field);
      ImGui::SameLine();
      ImGui::SetNextItemWidth(90);
      ImGui::InputText(tr_id("Level").c_str(), level_field, sizeof level_field);
      ImGui::SameLine();
      if (ImGui::Button(tr_id("Rename").c_str()) &&
          !h.session.rename_facility(k, i, name_field, level_field, err))
        problem(h, err);
    }
  }
  ImGui::BeginDisabled(!h.session.can_undo());
  if (ImGui::Button(tr_id("Undo").c_str())) h.session.undo();
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(!h.session.can_redo());
  if (ImGui::Button(tr_id("Redo").c_str())) h.session.redo();
  ImGui::EndDisabled();
  ImGui::SameLine();
  text(std::string(tr("Edits")) + ": " + std::to_string(h.session.applied()) + " · " + tr("last update") +
       " " + fmt("%.1f", h.session.last_update_ms()) + " ms");
  if (h.session.frozen()) ImGui::TextDisabled("%s", tr("Exporting: edits wait until the export ends."));
  for (std::size_t k = 0; k < e.sets.size(); ++k) {
    if (e.sets[k].mobile) continue;
    float mins = static_cast<float>(e.sets[k].standard_s / 60.0);
    std::string label =
        std::string(tr("Standard")) + " " + service_name(e.sets[k].facility) + "###std" + std::to_string(k);
    record(std::string(tr("Standard")) + " " + service_name(e.sets[k].facility));
    const std::string format = std::string("%.0f ") + tr("min");
    if (ImGui::SliderFloat(label.c_str(), &mins, 5.0f, 240.0f, format.c_str())) {
      slider_active = true;
      h.session.preview_standard(k, std::round(mins) * 60.0);
    }
    if (ImGui::IsItemDeactivatedAfterEdit() && slider_active) {
      slider_active = false;
      h.session.commit_standard(k);
    }
  }
  for (std::size_t k = 0; k < e.sets.size() && k < e.surfaces.size(); ++k)
    if (!e.sets[k].mobile && !e.surfaces[k].unplaced.empty()) {
      std::string w = service_name(e.sets[k].facility) + ": " +
                      std::to_string(e.surfaces[k].unplaced.size()) + " " +
                      tr("outside the travel grid (reach nobody)");
      record(w);
      ImGui::TextColored({0.75f, 0.35f, 0.0f, 1}, "%s", w.c_str());
    }
  // the edits in effect, as the report lists them
  const auto lines = h.session.edit_lines(language() == Lang::En);
  if (!lines.empty() && ImGui::TreeNode(tr_id("Edits in effect").c_str())) {
    ImGui::PushTextWrapPos(0);
    for (std::size_t i = 0; i < lines.size(); ++i) text(std::to_string(i + 1) + ". " + lines[i]);
    ImGui::PopTextWrapPos();
    ImGui::TreePop();
  }
  ImGui::TextDisabled("%s", tr("Edits change only this evaluation, never the source data."));
  draw_scenarios(h);
}

void AnalysisPanel::State::draw_scenarios(AnalysisHost& h) {
  const std::filesystem::path file = scenarios_file(h.project);
  if (scenario_list_dirty) {
    std::string err;
    scenario_names.clear();
    for (const auto& sc : io::read_scenarios(file, err)) scenario_names.push_back(sc.name);
    scenario_list_dirty = false;
  }
  ImGui::SetNextItemWidth(160);
  ImGui::InputText(tr_id("Scenario name").c_str(), scenario_name, sizeof scenario_name);
  ImGui::SameLine();
  if (ImGui::Button(tr_id("Save scenario").c_str())) save_scenario(h, file, scenario_name);
  if (!scenario_names.empty()) {
    ImGui::SetNextItemWidth(160);
    if (ImGui::BeginCombo(tr_id("Load scenario").c_str(), "")) {
      for (const auto& n : scenario_names)
        if (ImGui::Selectable(n.c_str())) {
          load_scenario(h, file, n);
          std::snprintf(scenario_name, sizeof scenario_name, "%s", n.c_str());
        }
      ImGui::EndCombo();
    }
  }
  ImGui::SameLine();
  if (ImGui::Button(tr_id("Compare scenarios").c_str())) compare(h, file);
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

}  // namespace kepumap::ui
