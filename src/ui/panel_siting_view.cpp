// Siting panel window: the problem form, the results table and the chosen sites on the map.
#include "ui/panel_siting_state.hpp"

namespace kepumap::ui {

/// Objective or bound in the CLI's units (MCLP: priority-weighted people).
double SitingPanel::State::shown(double v) const {
  return out && out->problem == opt::SitingProblem::Mclp ? v / static_cast<double>(opt::PRIORITY_SCALE) : v;
}

void SitingPanel::State::draw_results() {
  if (!out) return;
  const Outcome& o = *out;
  if (!o.error.empty()) {
    text(std::string(t("Failed")) + ": " + o.error);
    return;
  }
  if (o.r.status == opt::SolveStatus::Cancelled) {
    text(t("Cancelled"));
    return;
  }
  text(std::string(t("Status")) + ": " + t(opt::status_text(o.r.status)) +
       (o.r.proven_optimal ? std::string(" (") + t("proven optimal") + ")" : ""));
  if (o.r.status == opt::SolveStatus::Infeasible)
    text(t(o.problem == opt::SitingProblem::Lscp
               ? "Target cannot be met; everyone coverable is covered"
               : "Infeasible: one site per township needs more new sites than p"));
  text(std::string(t("Method")) + ": " + t(o.r.method.c_str()));
  text(std::string(t("Objective")) + ": " + num("%.10g", shown(static_cast<double>(o.r.objective))));
  text(std::string(t("Bound")) + ": " + num("%.10g", shown(o.r.bound)));
  text(std::string(t("Gap")) + ": " + num("%.3f %%", o.r.gap_percent));
  text(std::string(t("Demand blocks")) + " " + std::to_string(o.demands) + ", " + t("Candidates") + " " +
       std::to_string(o.candidates) + ", " + t("Time") + " " + num("%.1f s", o.seconds));
  if (o.excluded_outside > 0)
    text(std::to_string(o.excluded_outside) + " " + t("candidates outside the study area excluded"));
  std::string sites = std::string(t("Chosen sites")) + " (" + std::to_string(o.r.chosen.size()) + "):";
  for (core::Id j : o.r.chosen) sites += " " + (j < o.names.size() ? o.names[j] : std::to_string(j));
  text(sites);
  text(std::string(t("Coverage")) + " " + facility_label(o.facility) + ": " +
       num("%.1f %%", 100.0 * o.share_before) + " -> " + num("%.1f %%", 100.0 * o.share_after));
  text(std::string(t("People within the standard")) + " (" + num("%.0f min", o.standard / 60.0) +
       "): " + std::to_string(o.r.covered_before) + " -> " + std::to_string(o.r.covered_population) + " / " +
       std::to_string(o.r.total_population));
  text(t("Marginal table"));
  const bool scroll = o.r.marginal.size() > 8;
  if (ImGui::BeginTable(
          "siting_marginal", 5,
          ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | (scroll ? ImGuiTableFlags_ScrollY : 0),
          ImVec2(0, scroll ? 220.0f : 0.0f))) {
    ImGui::TableSetupColumn("#");
    ImGui::TableSetupColumn(t("Site"));
    ImGui::TableSetupColumn(t("Added people"));
    ImGui::TableSetupColumn(t("Added weighted"));
    ImGui::TableSetupColumn(t("Objective after"));
    ImGui::TableHeadersRow();
    for (std::size_t k = 0; k < o.r.marginal.size(); ++k) {
      const auto& m = o.r.marginal[k];
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      text(std::to_string(k + 1));
      ImGui::TableNextColumn();
      text(m.candidate < o.names.size() ? o.names[m.candidate] : std::to_string(m.candidate));
      ImGui::TableNextColumn();
      text(std::to_string(m.added_population));
      ImGui::TableNextColumn();
      text(num("%.10g", static_cast<double>(m.added_weighted) / static_cast<double>(opt::PRIORITY_SCALE)));
      ImGui::TableNextColumn();
      text(num("%.10g", shown(static_cast<double>(m.objective_after))));
    }
    ImGui::EndTable();
  }
}

/// The chosen sites over the map: numbered orange discs in marginal order.
std::size_t SitingPanel::State::draw_overlay(ImDrawList* dl, const render::View& view, ImFont* font) const {
  std::size_t drawn_sites = 0;
  if (!show || !out || !out->error.empty()) return 0;  // closed: the results are not on the map
  for (std::size_t k = 0; k < out->r.marginal.size(); ++k) {
    const core::Id j = out->r.marginal[k].candidate;
    if (j >= out->points.size()) continue;
    const core::Vec2 s = view.to_screen(out->points[j]);
    const ImVec2 c(static_cast<float>(s.x), static_cast<float>(s.y));
    dl->AddCircleFilled(c, 9.0f, IM_COL32(235, 110, 20, 235));
    dl->AddCircle(c, 9.0f, IM_COL32(255, 255, 255, 255), 0, 2.0f);
    const std::string n = std::to_string(k + 1);
    const ImVec2 ts = font->CalcTextSizeA(font->FontSize, 1e9f, 0, n.c_str());
    dl->AddText(font, font->FontSize, ImVec2(c.x - ts.x * 0.5f, c.y - ts.y * 0.5f),
                IM_COL32(255, 255, 255, 255), n.c_str());
    ++drawn_sites;
  }
  return drawn_sites;
}

std::size_t SitingPanel::draw_map(ImDrawList* dl, const render::View& view, ImFont* font) const {
  return m->draw_overlay(dl, view, font);
}

std::uint64_t SitingPanel::map_look() const {
  return (m->drawn * 1099511628211ull) ^ (m->show ? 1u : 0u) ^ (m->out ? 2u : 0u);
}

void SitingPanel::frame(AnalysisHost& h, AnalysisPanel& analysis) {
  m->launch(h);
  if (!m->show) return;
  h.layout.place("siting", Side::Right, 450, 620);
  if (!ImGui::Begin((std::string(t("Siting")) + "###Siting").c_str(), &m->show)) {
    ImGui::End();
    return;
  }
  h.panel_names.emplace_back("siting");
  {
    const ImVec2 p = ImGui::GetWindowPos(), s = ImGui::GetWindowSize();
    core::BBox b;
    b.add(core::Vec2{p.x, p.y});
    b.add(core::Vec2{p.x + s.x, p.y + s.y});
    h.panel_rects.push_back(b);
    h.layout.drawn("siting");
  }
  const bool busy = m->running();
  if (busy) ImGui::BeginDisabled();
  if (ImGui::BeginCombo(t("Problem"), t(k_problem_keys[m->problem]))) {
    for (int i = 0; i < 4; ++i)
      if (ImGui::Selectable(t(k_problem_keys[i]), i == m->problem)) m->problem = i;
    ImGui::EndCombo();
  }
  if (k_problems[m->problem] != opt::SitingProblem::Lscp) {
    ImGui::InputInt(t("New sites p"), &m->p);
    m->p = std::clamp(m->p, 0, 1000);
  } else {
    ImGui::SliderFloat(t("Target share covered"), &m->target, 0.0f, 1.0f, "%.2f");
  }
  const auto fac = m->facilities(h.doc);
  if (m->facility < 0) {
    const auto it = std::find(fac.begin(), fac.end(), std::string("education_base"));
    m->facility = it == fac.end() ? 0 : static_cast<int>(it - fac.begin());
  }
  m->facility = fac.empty() ? 0 : std::clamp(m->facility, 0, static_cast<int>(fac.size()) - 1);
  if (ImGui::BeginCombo(
          t("Facility type"),
          fac.empty() ? "-" : facility_label(fac[static_cast<std::size_t>(m->facility)]).c_str())) {
    for (std::size_t i = 0; i < fac.size(); ++i)
      if (ImGui::Selectable(facility_label(fac[i]).c_str(), static_cast<int>(i) == m->facility))
        m->facility = static_cast<int>(i);
    ImGui::EndCombo();
  }
  const auto layers = m->point_layers(h.doc);
  m->candidates = std::clamp(m->candidates, 0, static_cast<int>(layers.size()) + 1);
  auto cand_label = [&](int i) {
    if (i == 0) return std::string(t("Villages and township seats"));
    if (static_cast<std::size_t>(i) <= layers.size()) return layers[static_cast<std::size_t>(i - 1)];
    return std::string(t("Grid"));
  };
  if (ImGui::BeginCombo(t("Candidates"), cand_label(m->candidates).c_str())) {
    for (int i = 0; i <= static_cast<int>(layers.size()) + 1; ++i)
      if (ImGui::Selectable(cand_label(i).c_str(), i == m->candidates)) m->candidates = i;
    ImGui::EndCombo();
  }
  if (m->candidates == static_cast<int>(layers.size()) + 1) {
    ImGui::InputInt(t("Grid spacing (m)"), &m->grid_m, 500, 5000);
    m->grid_m = std::clamp(m->grid_m, 100, 200000);
  }
  ImGui::Checkbox(t("At least one per township"), &m->one_per_town);
  std::string err;
  if (ImGui::Button(t("Run")) && !m->start(h, err)) {
    m->out = Outcome{};
    m->out->error = err;
  }
  if (busy) ImGui::EndDisabled();
  if (busy) {
    ImGui::SameLine();
    if (ImGui::Button(t("Cancel"))) m->cancel();
    const std::string stage = m->task ? m->task->stage() : std::string(t("Evaluating the project..."));
    const float f = m->task ? std::max(0.05f, m->task->progress()) : 0.02f;
    const double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - m->started).count();
    ImGui::ProgressBar(f, ImVec2(-1, 0), stage.c_str());
    text(num("%.1f s", el));
  }
  ImGui::Separator();
  m->draw_results();
  if (m->out && m->out->error.empty() && m->out->r.status != opt::SolveStatus::Cancelled &&
      !m->out->r.chosen.empty()) {
    if (m->still_accepted(h))
      text(t("Added to the what-if scenario (coverage panel; undo with Ctrl+Z)"));
    else if (ImGui::Button(t("Accept into the what-if scenario")))
      m->accept(h, analysis, m->accept_error);
    if (!m->accept_error.empty()) text(m->accept_error);
  }
  ImGui::End();
}

}  // namespace kepumap::ui
