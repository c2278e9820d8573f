// Caravan panel results: tours table, timeline, calendar, unserved stops, moving a stop.
#include "ui/panel_caravan_state.hpp"

namespace kepumap::ui {

void CaravanPanel::State::draw_tours() {
  const auto& r = job->result;
  const int year = job->options.settings.year;
  if (!ImGui::BeginTable("caravan_tours", 8,
                         ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY,
                         ImVec2(0, 180)))
    return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("#");
  ImGui::TableSetupColumn(T("depot"));
  ImGui::TableSetupColumn(T("vehicle"));
  ImGui::TableSetupColumn(T("start"));
  ImGui::TableSetupColumn(T("end"));
  ImGui::TableSetupColumn(T("days"));
  ImGui::TableSetupColumn(T("km"));
  ImGui::TableSetupColumn(T("stops"));
  ImGui::TableHeadersRow();
  int k = 0;
  for (std::size_t i = 0; i < r.plan.tours.size(); ++i) {
    const auto& t = r.plan.tours[i];
    if (t.first_day < 0) continue;
    ++k;
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    char id[64];
    std::snprintf(id, sizeof id, "%d##tour%zu", k, i);
    ImGui::PushStyleColor(ImGuiCol_Text, tour_colour(static_cast<std::size_t>(k - 1), 255));
    if (ImGui::Selectable(id, selected == static_cast<int>(i), ImGuiSelectableFlags_SpanAllColumns)) {
      selected = static_cast<int>(i);
      move_stop_i = -1;
    }
    ImGui::PopStyleColor();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(name(r.tour_depot[i]).c_str());
    ImGui::TableNextColumn();
    ImGui::Text("%d", t.vehicle + 1);
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(opt::date_string(year, t.first_day).c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(opt::date_string(year, t.first_day + t.days - 1).c_str());
    ImGui::TableNextColumn();
    ImGui::Text("%d", t.days);
    ImGui::TableNextColumn();
    ImGui::Text("%.1f", static_cast<double>(t.meters) / 1000.0);
    ImGui::TableNextColumn();
    std::string sl;
    for (int s : t.stops) sl += (sl.empty() ? "" : "、") + name(s);
    ImGui::Text("%zu", t.stops.size());
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", sl.c_str());
  }
  ImGui::EndTable();
}

void CaravanPanel::State::draw_timeline() {
  const auto& r = job->result;
  if (selected < 0 || selected >= static_cast<int>(r.plan.tours.size())) {
    line(T("Select a tour in the list."));
    return;
  }
  const auto& t = r.plan.tours[static_cast<std::size_t>(selected)];
  const int year = job->options.settings.year;
  {
    int number = 0;
    for (int i = 0; i <= selected; ++i) number += r.plan.tours[static_cast<std::size_t>(i)].first_day >= 0;
    const std::string d0 = opt::date_string(year, t.first_day),
                      d1 = opt::date_string(year, t.first_day + t.days - 1);
    char buf[256];
    if (language() == Lang::En)
      std::snprintf(buf, sizeof buf, "Tour %d: %s to %s, %d days, %.1f km, %zu stops", number, d0.c_str(),
                    d1.c_str(), t.days, static_cast<double>(t.meters) / 1000.0, t.stops.size());
    else
      std::snprintf(buf, sizeof buf, "行程 %d：%s 至 %s，%d 天，%.1f 公里，%zu 站", number, d0.c_str(),
                    d1.c_str(), t.days, static_cast<double>(t.meters) / 1000.0, t.stops.size());
    line(buf);
  }
  if (ImGui::BeginTable("caravan_timeline", 5, ImGuiTableFlags_Borders | ImGuiTableFlags_ScrollY,
                        ImVec2(0, 160))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn(T("day"));
    ImGui::TableSetupColumn(T("date"));
    ImGui::TableSetupColumn(T("time"));
    ImGui::TableSetupColumn(T("activity"));
    ImGui::TableSetupColumn(T("stops"));
    ImGui::TableHeadersRow();
    static const char* const kinds[] = {"drive", "wait", "exhibit", "overnight"};
    for (const auto& s : t.steps) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::Text("%d", s.day + 1);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(opt::date_string(year, t.first_day + s.day).c_str());
      ImGui::TableNextColumn();
      ImGui::Text("%s–%s", opt::clock_string(s.start).c_str(), opt::clock_string(s.end).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(T(kinds[static_cast<int>(s.kind)]));
      ImGui::TableNextColumn();
      if (s.from != s.to)
        ImGui::Text("%s → %s", name(s.from).c_str(), name(s.to).c_str());
      else
        ImGui::TextUnformatted(name(s.to).c_str());
    }
    ImGui::EndTable();
  }
  draw_move(t);
}

void CaravanPanel::State::draw_move(const opt::CaravanTour& t) {
  const auto& r = job->result;
  if (r.depot_count != 1 || t.stops.empty()) return;
  ImGui::TextUnformatted(T("Move stop"));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(140);
  const std::string cur = move_stop_i >= 0 && move_stop_i < static_cast<int>(t.stops.size())
                              ? name(t.stops[static_cast<std::size_t>(move_stop_i)])
                              : std::string("—");
  if (ImGui::BeginCombo("##caravan_move_stop", cur.c_str())) {
    for (std::size_t k = 0; k < t.stops.size(); ++k)
      if (ImGui::Selectable((name(t.stops[k]) + "##ms" + std::to_string(k)).c_str(),
                            move_stop_i == static_cast<int>(k)))
        move_stop_i = static_cast<int>(k);
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::TextUnformatted(T("to tour"));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(60);
  ImGui::InputInt("##caravan_move_to", &move_to, 0);
  ImGui::SameLine();
  if (ImGui::Button(T_id("Move").c_str()) && move_stop_i >= 0 &&
      move_stop_i < static_cast<int>(t.stops.size())) {
    const int to = tour_of_number(move_to);
    std::string why;
    if (to < 0)
      message = "行程编号无效 (no tour with that number)";
    else if (move(t.stops[static_cast<std::size_t>(move_stop_i)], selected, to, why)) {
      message = T("Stop moved and tours re-planned.");
      selected = std::min(to, static_cast<int>(r.plan.tours.size()) - 1);
      move_stop_i = -1;
    } else
      message = why;
  }
}

/// Index into plan.tours of the scheduled tour numbered `k` (1-based, as in the list), or -1.
int CaravanPanel::State::tour_of_number(int k) const {
  int c = 0;
  const auto& tours = job->result.plan.tours;
  for (std::size_t i = 0; i < tours.size(); ++i)
    if (tours[i].first_day >= 0 && ++c == k) return static_cast<int>(i);
  return -1;
}

void CaravanPanel::State::draw_calendar() {
  const auto& r = job->result;
  const int year = job->options.settings.year;
  // Rows: (depot, vehicle); cells: tour days in each month.
  std::map<std::pair<int, int>, std::array<int, 12>> days;
  for (std::size_t i = 0; i < r.plan.tours.size(); ++i) {
    const auto& t = r.plan.tours[i];
    if (t.first_day < 0) continue;
    auto& row = days.try_emplace({r.tour_depot[i], t.vehicle}, std::array<int, 12>{}).first->second;
    for (int d = 0; d < t.days; ++d)
      ++row[static_cast<std::size_t>(opt::month_of(year, t.first_day + d) - 1)];
  }
  int total = 0;
  for (const auto& [key, row] : days)
    for (int v : row) total += v;
  char buf[128];
  if (language() == Lang::En)
    std::snprintf(buf, sizeof buf, "Calendar total: %d tour days on %zu vehicles", total, days.size());
  else
    std::snprintf(buf, sizeof buf, "日历合计：%zu 辆车出车 %d 天", days.size(), total);
  line(buf);
  if (!ImGui::BeginTable("caravan_calendar", 13, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit))
    return;
  ImGui::TableSetupColumn(T("vehicle"));
  for (int mo = 1; mo <= 12; ++mo) {
    static char labels[12][12];
    std::snprintf(labels[mo - 1], sizeof labels[0], "%d", mo);
    ImGui::TableSetupColumn(labels[mo - 1]);
  }
  ImGui::TableHeadersRow();
  for (const auto& [key, row] : days) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::Text("%s %d", name(key.first).c_str(), key.second + 1);
    for (int mo = 0; mo < 12; ++mo) {
      ImGui::TableNextColumn();
      const int v = row[static_cast<std::size_t>(mo)];
      if (v > 0) {
        ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, IM_COL32(60, 140, 220, 40 + std::min(200, v * 7)));
        ImGui::Text("%d", v);
      }
    }
  }
  ImGui::EndTable();
}

void CaravanPanel::State::draw_unserved() {
  const auto& r = job->result;
  if (r.plan.unserved.empty()) {
    line(T("Every stop gets its visits."));
    return;
  }
  for (const auto& u : r.plan.unserved) {
    char buf[64];
    std::snprintf(buf, sizeof buf, " (%s %d)", T("missing"), u.missing);
    ImGui::BulletText("%s%s: %s", name(u.stop).c_str(), buf, u.reason.c_str());
  }
}

}  // namespace kepumap::ui
