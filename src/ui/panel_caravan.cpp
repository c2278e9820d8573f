// Caravan panel: its strings, the planning run in the task manager, moving a stop, script commands.
#include "ui/panel_caravan_state.hpp"

#include <array>

namespace kepumap::ui {

namespace caravan_detail {

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

}  // namespace caravan_detail

/// Keeps the inputs in the ranges `kepumap caravan` accepts.
void CaravanPanel::State::clamp_inputs() {
  vehicles = std::clamp(vehicles, 0, 1000);
  day_from = std::clamp(day_from, 0.0f, 23.5f);
  day_to = std::clamp(day_to, day_from + 0.5f, 24.0f);
  drive_hours = std::clamp(drive_hours, 0.5f, 24.0f);
  service_hours = std::clamp(service_hours, 0.5f, 24.0f);
  max_days = std::clamp(max_days, 1, 60);
  season_from = std::clamp(season_from, 1, 12);
  season_to = std::clamp(season_to, season_from, 12);
}

opt::CaravanProjectOptions CaravanPanel::State::options() const {
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

void CaravanPanel::State::start(AnalysisHost& h) {
  if (running() || h.project.empty()) return;
  clamp_inputs();
  message.clear();
  auto doc = h.session.document();
  // the session's travel model, when its evaluation is of this revision under the base settings
  std::shared_ptr<const analysis::ProjectEvaluation> pe;
  if (h.session.ready() && !h.session.stale() && h.session.scenario().empty() &&
      h.session.evaluated_document() == doc)
    pe = h.session.shared_evaluation();
  // the stages' names in the UI's language, made here: tr() is for the UI thread
  const std::array<std::string, 3> stages{tr("Caravan stops"), tr("Travel model"), tr("Tours")};
  task = h.tasks.run<std::shared_ptr<Job>>(
      "caravan",
      [doc, pe, o = options(), stages](session::TaskState& st) {
        auto j = std::make_shared<Job>();
        const auto t0 = std::chrono::steady_clock::now();
        j->doc = doc;
        j->options = o;
        try {
          st.set_stage(stages[0], 0, 3);
          j->inputs = opt::collect_caravan_inputs(*j->doc, o);
          if (!j->inputs.problems.empty()) {
            j->error = j->inputs.problems.front();
          } else {
            if (pe) {
              j->keep = pe;
              j->model = &pe->travel.model;
            } else {
              st.set_stage(stages[1], 1, 3);
              core::Diagnostics diag;
              auto travel = std::make_shared<analysis::ProjectTravel>(
                  analysis::build_project_travel(*j->doc, j->doc->config.travel, diag, {}, st.cancel_flag()));
              for (const auto& p : diag.problems)
                if (p.severity == core::Severity::Error) {
                  j->error = p.to_line();
                  break;
                }
              j->keep = travel;
              j->model = &travel->model;
            }
            if (j->error.empty() && !st.cancelled()) {
              st.set_stage(stages[2], 2, 3);
              opt::CaravanProjectOptions run = o;  // the job keeps `o`, without the task's flag
              run.settings.cancel = st.cancel_flag();
              j->result = opt::plan_project_caravans(*j->model, j->inputs, run);
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
        ++drawn;
        task.reset();
        selected = -1;
        move_stop_i = -1;
        move_to = 0;
        drag_stop = drag_from = -1;
      });
}

/// Script runs: waits (polling the tasks) until the run has ended.
void CaravanPanel::State::wait(AnalysisHost& h) {
  while (task) {
    h.tasks.poll();
    if (task) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

int CaravanPanel::State::scheduled_count() const {
  int c = 0;
  for (const auto& t : job->result.plan.tours) c += t.first_day >= 0;
  return c;
}

const std::string& CaravanPanel::State::name(int node) const {
  return job->result.problem.stops[static_cast<std::size_t>(node)].name;
}

/// Moves one visit of `stop` from tour `from` to tour `to`; single-depot plans only.
bool CaravanPanel::State::move(int stop, int from, int to, std::string& why) {
  ++drawn;
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

CaravanPanel::CaravanPanel() : m(std::make_unique<State>()) {}

// A run still going is cancelled; nothing waits for it (the task manager owns it).
CaravanPanel::~CaravanPanel() {
  if (m->task) m->task->cancel();
}

void CaravanPanel::menu_items() { ImGui::MenuItem(T_id("Caravan").c_str(), nullptr, &m->show); }

void CaravanPanel::frame(AnalysisHost& h) {
  m->draw_panel(h);
  m->draw_drag(h);
}

void CaravanPanel::draw_map(const AnalysisHost& h, ImDrawList* dl, const render::View& view) const {
  m->draw_overlay(h, dl, view);
}

std::uint64_t CaravanPanel::map_look() const {
  std::uint64_t k = m->drawn;
  for (std::uint64_t v : {std::uint64_t{m->show}, std::uint64_t{m->show_on_map},
                          static_cast<std::uint64_t>(m->selected + 1), std::uint64_t{m->ready()}})
    k = (k ^ v) * 1099511628211ull;
  return k;
}

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
