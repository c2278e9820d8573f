// Caravan panel window: the options form and the run summary.
#include "ui/panel_caravan_state.hpp"

namespace kepumap::ui {

void CaravanPanel::State::draw_inputs(AnalysisHost& h) {
  ImGui::PushItemWidth(120);
  ImGui::InputInt(T_id("Vehicles per depot (0 = depot layer)").c_str(), &vehicles);
  ImGui::InputFloat(T_id("Working day from (h)").c_str(), &day_from, 0.5f, 1.0f, "%.1f");
  ImGui::InputFloat(T_id("Working day to (h)").c_str(), &day_to, 0.5f, 1.0f, "%.1f");
  ImGui::InputFloat(T_id("Daily driving limit (h)").c_str(), &drive_hours, 0.5f, 1.0f, "%.1f");
  ImGui::InputFloat(T_id("Exhibition hours").c_str(), &service_hours, 0.5f, 1.0f, "%.1f");
  ImGui::InputInt(T_id("Longest tour (days)").c_str(), &max_days);
  ImGui::InputInt(T_id("Season from month").c_str(), &season_from);
  ImGui::InputInt(T_id("Season to month").c_str(), &season_to);
  ImGui::PopItemWidth();
  clamp_inputs();
  if (h.project.empty()) {
    line(T("Open a project first."));
    return;
  }
  if (running()) {
    ImGui::BeginDisabled();
    ImGui::Button(T_id("Run").c_str());
    ImGui::EndDisabled();
    ImGui::SameLine();
    line(T("planning…"));
  } else if (ImGui::Button(T_id("Run").c_str())) {
    start(h);
  }
  ImGui::SameLine();
  ImGui::Checkbox(T_id("Show tours on the map").c_str(), &show_on_map);
}

void CaravanPanel::State::draw_summary() {
  if (!job) return;
  if (!job->error.empty()) {
    line(std::string(T("Planning failed")) + ": " + job->error);
    return;
  }
  const auto& tot = job->result.plan.totals;
  char buf[256];
  if (language() == Lang::En)
    std::snprintf(buf, sizeof buf, "Tours: %d, total km: %.1f, vehicle-days: %d", tot.tours, tot.km,
                  tot.vehicle_days);
  else
    std::snprintf(buf, sizeof buf, "行程 %d 次，总里程 %.1f 公里，出车 %d 天", tot.tours, tot.km,
                  tot.vehicle_days);
  line(buf);
  if (language() == Lang::En)
    std::snprintf(
        buf, sizeof buf, "Visits %d / %d; stops meeting the target %d / %d; people reached %.0f (%.1f s)",
        tot.visits, tot.visits_required, tot.stops_met, tot.stops_required, tot.people, job->seconds);
  else
    std::snprintf(buf, sizeof buf, "到访 %d / %d 次；达标站点 %d / %d；覆盖人口 %.0f（用时 %.1f 秒）",
                  tot.visits, tot.visits_required, tot.stops_met, tot.stops_required, tot.people,
                  job->seconds);
  line(buf);
}

void CaravanPanel::State::draw_panel(AnalysisHost& h) {
  if (!show) return;
  // In the right column, so the tours on the map stay in view.
  h.layout.place("caravan", Side::Right, 560, 0);
  if (!ImGui::Begin(T_id("Caravan").c_str(), &show)) {
    ImGui::End();
    return;
  }
  h.panel_names.emplace_back("caravan");
  {
    const ImVec2 p = ImGui::GetWindowPos(), s = ImGui::GetWindowSize();
    core::BBox b;
    b.add(core::Vec2{p.x, p.y});
    b.add(core::Vec2{p.x + s.x, p.y + s.y});
    h.panel_rects.push_back(b);
    h.layout.drawn("caravan");
  }
  draw_inputs(h);
  draw_summary();
  if (!message.empty()) line(message);
  if (ready()) {
    if (ImGui::CollapsingHeader(T_id("Tours").c_str(), ImGuiTreeNodeFlags_DefaultOpen)) draw_tours();
    if (ImGui::CollapsingHeader(T_id("Timeline").c_str(), ImGuiTreeNodeFlags_DefaultOpen)) draw_timeline();
    if (open_calendar) ImGui::SetNextItemOpen(true);
    open_calendar = false;
    if (ImGui::CollapsingHeader(T_id("Calendar").c_str())) draw_calendar();
    if (ImGui::CollapsingHeader(T_id("Unserved stops").c_str(), ImGuiTreeNodeFlags_DefaultOpen))
      draw_unserved();
  }
  ImGui::End();
}

}  // namespace kepumap::ui
