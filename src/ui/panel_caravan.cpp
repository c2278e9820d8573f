#include "ui/panel_caravan.hpp"

#include <imgui.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>
#include <thread>

#include "analysis/travel.hpp"
#include "analysis/travel_project.hpp"
#include "optimize/caravan.hpp"
#include "optimize/caravan_project.hpp"
#include "ui/i18n.hpp"

namespace kepumap::ui {
namespace {

namespace opt = kepumap::optimize;

/// The panel's strings: English key, Chinese.
struct Text {
  const char* en;
  const char* zh;
};
constexpr Text k_texts[] = {
    {"Caravan", "大篷车"},
    {"Vehicles per depot (0 = depot layer)", "每驻地车辆数（0 = 按驻地图层）"},
    {"Working day from (h)", "工作开始（时）"},
    {"Working day to (h)", "工作结束（时）"},
    {"Daily driving limit (h)", "每日驾驶上限（小时）"},
    {"Exhibition hours", "每站展览时长（小时）"},
    {"Longest tour (days)", "最长行程（天）"},
    {"Season from month", "出车起始月份"},
    {"Season to month", "出车结束月份"},
    {"Run", "规划"},
    {"planning…", "正在规划…"},
    {"Open a project first.", "请先打开项目。"},
    {"Tours", "行程"},
    {"Timeline", "日程"},
    {"Calendar", "日历"},
    {"Unserved stops", "未满足站点"},
    {"vehicle", "车辆"},
    {"depot", "驻地"},
    {"start", "出发"},
    {"end", "返回"},
    {"days", "天数"},
    {"km", "公里"},
    {"stops", "站点"},
    {"day", "第几天"},
    {"date", "日期"},
    {"time", "时间"},
    {"activity", "活动"},
    {"drive", "行驶"},
    {"wait", "等待"},
    {"exhibit", "展览"},
    {"overnight", "住宿"},
    {"Select a tour in the list.", "在列表中选择一个行程。"},
    {"Every stop gets its visits.", "所有站点均满足到访要求。"},
    {"Move stop", "移动站点"},
    {"to tour", "到行程"},
    {"Move", "移动"},
    {"Stop moved and tours re-planned.", "站点已移动，行程已重新规划。"},
    {"Show tours on the map", "在地图上显示行程"},
    {"Planning failed", "规划失败"},
    {"missing", "缺少"},
    {"month", "月"},
};

const char* T(const char* en) {
  const char* out = en;
  if (language() == Lang::Zh)
    for (const auto& t : k_texts)
      if (std::strcmp(t.en, en) == 0) {
        out = t.zh;
        break;
      }
  record(out);
  return out;
}

std::string T_id(const char* en) { return std::string(T(en)) + "###caravan_" + en; }

/// Shows a line and remembers it for --dump-state.
void line(const std::string& s) {
  record(s);
  ImGui::TextUnformatted(s.c_str());
}

ImU32 tour_colour(std::size_t k, int alpha) {
  static const unsigned char c[][3] = {{31, 119, 180},  {255, 127, 14}, {44, 160, 44},   {214, 39, 40},
                                       {148, 103, 189}, {140, 86, 75},  {227, 119, 194}, {127, 127, 127},
                                       {188, 189, 34},  {23, 190, 207}};
  const auto& x = c[k % (sizeof c / sizeof c[0])];
  return IM_COL32(x[0], x[1], x[2], alpha);
}

/// A finished run: the session's revision it planned on, the travel engine and the plan. The
/// engine is the session's evaluation's when there is one for this revision (shared, not
/// rebuilt), else one built for the run.
struct Job {
  std::shared_ptr<const core::Document> doc;
  std::shared_ptr<const void> keep;  ///< owner of *model
  const analysis::TravelModel* model = nullptr;
  opt::CaravanProjectOptions options;
  opt::CaravanInputs inputs;
  opt::CaravanProjectPlan result;
  std::string error;  ///< non-empty: no plan
  double seconds = 0.0;
};

}  // namespace

struct CaravanPanel::State {
  bool show = false;
  bool show_on_map = true;
  bool open_calendar = false;  // open the calendar section next frame (script)
  // inputs
  int vehicles = 0;  // 0 = the depot layer's capacity
  float day_from = 8.0f, day_to = 20.0f, drive_hours = 8.0f, service_hours = 3.0f;
  int max_days = 5, season_from = 4, season_to = 10;
  // run
  std::shared_ptr<session::TaskState> task;
  std::shared_ptr<Job> job;
  int selected = -1;     // tour index into job->result.plan.tours
  int move_stop_i = -1;  // index into the selected tour's stops
  int move_to = 0;       // target tour (scheduled index)
  std::string message;
  // drag of a stop on the map
  int drag_stop = -1, drag_from = -1;
  core::Vec2 cursor{};

  /// Keeps the inputs in the ranges `kepumap caravan` accepts.
  void clamp_inputs() {
    vehicles = std::clamp(vehicles, 0, 1000);
    day_from = std::clamp(day_from, 0.0f, 23.5f);
    day_to = std::clamp(day_to, day_from + 0.5f, 24.0f);
    drive_hours = std::clamp(drive_hours, 0.5f, 24.0f);
    service_hours = std::clamp(service_hours, 0.5f, 24.0f);
    max_days = std::clamp(max_days, 1, 60);
    season_from = std::clamp(season_from, 1, 12);
    season_to = std::clamp(season_to, season_from, 12);
  }

  opt::CaravanProjectOptions options() const {
    opt::CaravanProjectOptions o;
    auto& st = o.settings;
    st.blocked_months.clear();
    for (int mo = 1; mo <= 12; ++mo)
      if (mo < season_from || mo > season_to) st.blocked_months.push_back(mo);
    st.day_start = static_cast<core::ISeconds>(std::lround(day_from * 3600.0));
    st.day_end = static_cast<core::ISeconds>(std::lround(day_to * 3600.0));
    st.max_drive_per_day = static_cast<core::ISeconds>(std::lround(drive_hours * 3600.0));
    st.max_tour_days = max_days;
    o.vehicles = vehicles > 0 ? vehicles : -1;
    o.service_hours = service_hours;
    return o;
  }

  bool running() const { return task != nullptr; }
  bool ready() const { return job && job->error.empty(); }

  void start(AnalysisHost& h) {
    if (running() || h.project.empty()) return;
    clamp_inputs();
    message.clear();
    auto doc = h.session.document();
    // the session's travel model, when its evaluation is of this revision under the base settings
    std::shared_ptr<const analysis::ProjectEvaluation> pe;
    if (h.session.ready() && !h.session.stale() && h.session.scenario().empty() &&
        h.session.evaluated_document() == doc)
      pe = h.session.shared_evaluation();
    task = h.tasks.run<std::shared_ptr<Job>>(
        "caravan",
        [doc, pe, o = options()](session::TaskState& st) {
          auto j = std::make_shared<Job>();
          const auto t0 = std::chrono::steady_clock::now();
          j->doc = doc;
          j->options = o;
          try {
            st.set_stage("stops", 0, 3);
            j->inputs = opt::collect_caravan_inputs(*j->doc, o);
            if (!j->inputs.problems.empty()) {
              j->error = j->inputs.problems.front();
            } else {
              if (pe) {
                j->keep = pe;
                j->model = &pe->travel.model;
              } else {
                st.set_stage("travel model", 1, 3);
                core::Diagnostics diag;
                auto travel = std::make_shared<analysis::ProjectTravel>(
                    analysis::build_project_travel(*j->doc, j->doc->config.travel, diag));
                for (const auto& p : diag.problems)
                  if (p.severity == core::Severity::Error) {
                    j->error = p.to_line();
                    break;
                  }
                j->keep = travel;
                j->model = &travel->model;
              }
              if (j->error.empty() && !st.cancelled()) {
                st.set_stage("tours", 2, 3);
                j->result = opt::plan_project_caravans(*j->model, j->inputs, o);
                if (!j->result.problems.empty()) j->error = j->result.problems.front();
              }
              if (st.cancelled()) j->error = "cancelled (已取消)";
            }
          } catch (const std::exception& e) {
            j->error = e.what();
          }
          j->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
          return j;
        },
        [this](std::shared_ptr<Job>& j) {
          job = std::move(j);
          task.reset();
          selected = -1;
          move_stop_i = -1;
          move_to = 0;
          drag_stop = drag_from = -1;
        });
  }

  /// Script runs: waits (polling the tasks) until the run has ended.
  void wait(AnalysisHost& h) {
    while (task) {
      h.tasks.poll();
      if (task) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  int scheduled_count() const {
    int c = 0;
    for (const auto& t : job->result.plan.tours) c += t.first_day >= 0;
    return c;
  }

  const std::string& name(int node) const {
    return job->result.problem.stops[static_cast<std::size_t>(node)].name;
  }

  /// Moves one visit of `stop` from tour `from` to tour `to`; single-depot plans only.
  bool move(int stop, int from, int to, std::string& why) {
    auto& r = job->result;
    if (r.depot_count != 1) {
      why = "移动站点只支持单一驻地 (moving a stop works for single-depot plans only)";
      return false;
    }
    opt::CaravanProblem p = r.problem;
    p.settings.vehicles = job->inputs.depots.front().vehicles;
    if (!opt::move_stop(p, r.plan, stop, from, to, &why)) return false;
    r.tour_depot.assign(r.plan.tours.size(), 0);
    // Paths of legs the changed tours now drive (one search per new origin).
    std::map<int, std::vector<int>> missing;
    for (const auto& t : r.plan.tours)
      for (const auto& s : t.steps)
        if (s.kind == opt::StepKind::Drive && !r.leg_paths.count({s.from, s.to}))
          missing[s.from].push_back(s.to);
    for (auto& [f, tos] : missing) {
      std::sort(tos.begin(), tos.end());
      tos.erase(std::unique(tos.begin(), tos.end()), tos.end());
      std::vector<core::Vec2> q{r.points[static_cast<std::size_t>(f)]};
      for (int j : tos) q.push_back(r.points[static_cast<std::size_t>(j)]);
      const auto sm = analysis::stop_matrix(*job->model, q, true);
      for (std::size_t k = 0; k < tos.size(); ++k) {
        const auto path = sm.path(0, static_cast<int>(k) + 1);
        r.leg_paths[{f, tos[k]}] = std::vector<core::Vec2>(path.begin(), path.end());
      }
    }
    return true;
  }

  /// Whether the map shows tours a stop can be dragged between.
  bool can_drag() const { return show && show_on_map && ready() && job->result.depot_count == 1; }

  /// Stop node drawn within `radius` pixels of `px` (nearest), or -1.
  int stop_at(const AnalysisHost& h, core::Vec2 px, double radius) const {
    const auto& r = job->result;
    const int nd = r.depot_count, ns = static_cast<int>(job->inputs.stops.size());
    int best = -1;
    double bd = radius;
    for (int i = nd; i < nd + ns; ++i) {
      const core::Vec2 s = h.view.to_screen(r.points[static_cast<std::size_t>(i)]);
      const double d = std::hypot(s.x - px.x, s.y - px.y);
      if (d <= bd) {
        bd = d;
        best = i;
      }
    }
    return best;
  }

  /// A scheduled tour visiting `stop` other than `not_tour`: the selected one first, else the first.
  int tour_with(int stop, int not_tour) const {
    const auto& tours = job->result.plan.tours;
    auto has = [&](int i) {
      const auto& t = tours[static_cast<std::size_t>(i)];
      return i != not_tour && t.first_day >= 0 &&
             std::find(t.stops.begin(), t.stops.end(), stop) != t.stops.end();
    };
    if (selected >= 0 && selected < static_cast<int>(tours.size()) && has(selected)) return selected;
    for (int i = 0; i < static_cast<int>(tours.size()); ++i)
      if (has(i)) return i;
    return -1;
  }

  void draw_inputs(AnalysisHost& h) {
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

  void draw_summary() {
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

  void draw_tours() {
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

  void draw_timeline() {
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

  void draw_move(const opt::CaravanTour& t) {
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
  int tour_of_number(int k) const {
    int c = 0;
    const auto& tours = job->result.plan.tours;
    for (std::size_t i = 0; i < tours.size(); ++i)
      if (tours[i].first_day >= 0 && ++c == k) return static_cast<int>(i);
    return -1;
  }

  void draw_calendar() {
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
          ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg,
                                 IM_COL32(60, 140, 220, 40 + std::min(200, v * 7)));
          ImGui::Text("%d", v);
        }
      }
    }
    ImGui::EndTable();
  }

  void draw_unserved() {
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

  void draw_panel(AnalysisHost& h) {
    if (!show) return;
    // At the right edge (over the inspector), so the tours on the map stay in view.
    const ImVec2 disp = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowSize(ImVec2(560, std::max(300.0f, disp.y - 90.0f)), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowPos(ImVec2(std::max(0.0f, disp.x - 570.0f), 30), ImGuiCond_FirstUseEver);
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

  void draw_overlay(const AnalysisHost& h) {
    if (!show || !show_on_map || !ready()) return;
    const auto& r = job->result;
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    auto scr = [&](core::Vec2 p) {
      const core::Vec2 s = h.view.to_screen(p);
      return ImVec2{static_cast<float>(s.x), static_cast<float>(s.y)};
    };
    std::vector<ImVec2> pts;
    std::size_t k = 0;
    for (std::size_t i = 0; i < r.plan.tours.size(); ++i) {
      const auto& t = r.plan.tours[i];
      if (t.first_day < 0) continue;
      const bool sel = selected == static_cast<int>(i);
      const bool dim = selected >= 0 && !sel;
      pts.clear();
      for (const auto& stp : t.steps) {
        if (stp.kind != opt::StepKind::Drive) continue;
        const auto& path = r.leg_path(stp.from, stp.to);
        if (path.empty()) {  // no road path known: a straight leg
          pts.push_back(scr(r.points[static_cast<std::size_t>(stp.from)]));
          pts.push_back(scr(r.points[static_cast<std::size_t>(stp.to)]));
        } else
          for (const auto& p : path) pts.push_back(scr(p));
      }
      if (pts.size() >= 2)
        dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), tour_colour(k, dim ? 70 : 230),
                        ImDrawFlags_None, sel ? 4.0f : 2.0f);
      ++k;
    }
    std::set<int> unserved;
    for (const auto& u : r.plan.unserved) unserved.insert(u.stop);
    const int nd = r.depot_count;
    const int ns = static_cast<int>(job->inputs.stops.size());
    for (int i = nd; i < nd + ns; ++i) {
      const ImVec2 s = scr(r.points[static_cast<std::size_t>(i)]);
      if (unserved.count(i)) {
        dl->AddLine({s.x - 5, s.y - 5}, {s.x + 5, s.y + 5}, IM_COL32(220, 30, 30, 255), 2.5f);
        dl->AddLine({s.x - 5, s.y + 5}, {s.x + 5, s.y - 5}, IM_COL32(220, 30, 30, 255), 2.5f);
      } else {
        dl->AddCircleFilled(s, 4.0f, IM_COL32(255, 255, 255, 255));
        dl->AddCircle(s, 4.0f, IM_COL32(30, 30, 30, 255), 12, 1.5f);
      }
    }
    if (drag_stop >= 0) {
      const ImVec2 a = scr(r.points[static_cast<std::size_t>(drag_stop)]);
      const ImVec2 b{static_cast<float>(cursor.x), static_cast<float>(cursor.y)};
      dl->AddLine(a, b, IM_COL32(20, 20, 20, 220), 2.0f);
      dl->AddCircle(b, 7.0f, IM_COL32(20, 20, 20, 220), 16, 2.0f);
    }
    for (int d = 0; d < nd; ++d) {
      const ImVec2 s = scr(r.points[static_cast<std::size_t>(d)]);
      dl->AddRectFilled({s.x - 7, s.y - 7}, {s.x + 7, s.y + 7}, IM_COL32(200, 40, 40, 255));
      dl->AddRect({s.x - 7, s.y - 7}, {s.x + 7, s.y + 7}, IM_COL32(255, 255, 255, 255), 0.0f, 0, 2.0f);
    }
  }
};

CaravanPanel::CaravanPanel() : m(std::make_unique<State>()) {}

// A run still going is cancelled; nothing waits for it (the task manager owns it).
CaravanPanel::~CaravanPanel() {
  if (m->task) m->task->cancel();
}

void CaravanPanel::menu_items() { ImGui::MenuItem(T_id("Caravan").c_str(), nullptr, &m->show); }

void CaravanPanel::frame(AnalysisHost& h) {
  m->draw_panel(h);
  m->draw_overlay(h);
}

bool CaravanPanel::mouse_event(AnalysisHost& h, int kind, core::Vec2 px, bool on_map) {
  m->cursor = px;
  if (kind == 1) {
    if (m->drag_stop < 0) return false;
    const int stop = m->drag_stop, from = m->drag_from;
    m->drag_stop = m->drag_from = -1;
    if (!m->can_drag()) return true;
    const int onto = m->stop_at(h, px, 10.0);
    const int to = onto >= 0 && onto != stop ? m->tour_with(onto, from) : -1;
    if (to < 0) {
      m->message = "未放到其他行程的站点上 (drop the stop on a stop of another tour)";
      return true;
    }
    std::string why;
    if (m->move(stop, from, to, why)) {
      m->message = T("Stop moved and tours re-planned.");
      m->selected = std::min(to, static_cast<int>(m->job->result.plan.tours.size()) - 1);
    } else
      m->message = why;
    return true;
  }
  if (kind != 0 || !on_map || !m->can_drag()) return false;
  const int stop = m->stop_at(h, px, 8.0);
  if (stop < 0) return false;
  const int from = m->tour_with(stop, -1);
  if (from < 0) return false;
  m->drag_stop = stop;
  m->drag_from = from;
  return true;
}

void CaravanPanel::mouse_at(core::Vec2 px) { m->cursor = px; }

bool CaravanPanel::script(AnalysisHost& h, const std::vector<std::string>& a, std::string& error) {
  const std::string& v = a[0];
  auto num = [&](std::size_t i, double& out) {
    if (i >= a.size()) return false;
    char* end = nullptr;
    out = std::strtod(a[i].c_str(), &end);
    return end && end != a[i].c_str() && *end == '\0';
  };
  if (v == "open" || v == "close") {
    m->show = v == "open";
    if (a.size() > 1 && a[1] == "calendar")
      m->open_calendar = m->show;
    else if (a.size() > 1) {
      error = "caravan " + v + ": unknown part '" + a[1] + "' (calendar)";
      return false;
    }
    return true;
  }
  if (v == "run") {
    if (h.project.empty()) {
      error = "caravan run: no project is open";
      return false;
    }
    m->show = true;
    m->start(h);
    return true;
  }
  if (v == "wait") {
    m->wait(h);
    if (!m->job) {
      error = "caravan wait: nothing was run (caravan run first)";
      return false;
    }
    if (!m->job->error.empty()) {
      error = "caravan wait: planning failed: " + m->job->error;
      return false;
    }
    return true;
  }
  if (v == "set") {
    double x = 0;
    const std::string key = a.size() > 1 ? a[1] : "";
    if (!num(2, x)) {
      error = "caravan set: needs NAME NUMBER";
      return false;
    }
    if (key == "vehicles")
      m->vehicles = static_cast<int>(x);
    else if (key == "day_from")
      m->day_from = static_cast<float>(x);
    else if (key == "day_to")
      m->day_to = static_cast<float>(x);
    else if (key == "drive_hours")
      m->drive_hours = static_cast<float>(x);
    else if (key == "service_hours")
      m->service_hours = static_cast<float>(x);
    else if (key == "max_days")
      m->max_days = static_cast<int>(x);
    else if (key == "season_from")
      m->season_from = static_cast<int>(x);
    else if (key == "season_to")
      m->season_to = static_cast<int>(x);
    else {
      error = "caravan set: unknown option '" + key +
              "' (vehicles, day_from, day_to, drive_hours, service_hours, max_days, season_from, season_to)";
      return false;
    }
    return true;
  }
  if (v == "select") {
    double x = 0;
    m->wait(h);
    if (!m->ready() || !num(1, x) || m->tour_of_number(static_cast<int>(x)) < 0) {
      error = "caravan select: needs the number of a planned tour";
      return false;
    }
    m->selected = m->tour_of_number(static_cast<int>(x));
    return true;
  }
  if (v == "move") {
    // caravan move STOP_NAME FROM_TOUR TO_TOUR (tour numbers as in the list)
    double f = 0, t = 0;
    m->wait(h);
    if (!m->ready() || a.size() < 4 || !num(2, f) || !num(3, t)) {
      error = "caravan move: needs STOP FROM_TOUR TO_TOUR after a plan";
      return false;
    }
    const int from = m->tour_of_number(static_cast<int>(f)), to = m->tour_of_number(static_cast<int>(t));
    if (from < 0 || to < 0) {
      error = "caravan move: no such tour number";
      return false;
    }
    int stop = -1;
    for (int s : m->job->result.plan.tours[static_cast<std::size_t>(from)].stops)
      if (m->name(s) == a[1]) stop = s;
    if (stop < 0) {
      error = "caravan move: tour " + a[2] + " has no stop named '" + a[1] + "'";
      return false;
    }
    std::string why;
    if (!m->move(stop, from, to, why)) {
      m->message = why;
      error = "caravan move: " + why;
      return false;
    }
    m->message = T("Stop moved and tours re-planned.");
    return true;
  }
  error = "caravan: unknown command '" + v + "' (open, close, set, run, wait, select, move)";
  return false;
}

std::vector<std::string> CaravanPanel::glyph_texts() {
  std::vector<std::string> out;
  for (const auto& t : k_texts) out.emplace_back(t.zh);
  out.emplace_back(
      "行程编号无效移动站点只支持单一驻地未放到其他的上至日历合计辆车行程次，总里程公里，出车天到访次；达标站"
      "点覆盖人口（用时秒）→–");
  return out;
}

void CaravanPanel::reset() {
  if (m->task) m->task->cancel();
  const bool show = m->show;
  m = std::make_unique<State>();
  m->show = show;
}

}  // namespace kepumap::ui
