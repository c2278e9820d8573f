// Siting panel: its strings, the run in the task manager, accepting sites, script commands.
#include "ui/panel_siting_state.hpp"

namespace kepumap::ui {

namespace siting_detail {

struct Entry {
  const char* en;
  const char* zh;
};

// The panel's strings; keys are the English text.
constexpr Entry k_strings[] = {
    {"Siting", "选址"},
    {"Problem", "问题"},
    {"MCLP (maximal covering)", "最大覆盖 MCLP"},
    {"p-median (total travel time)", "p-中位 (总出行时间)"},
    {"LSCP (fewest sites to cover all)", "集合覆盖 LSCP (最少站点)"},
    {"p-center (worst travel time)", "p-中心 (最长出行时间)"},
    {"New sites p", "新址数 p"},
    {"Facility type", "设施类型"},
    {"Candidates", "候选点"},
    {"Villages and township seats", "村和乡镇驻地"},
    {"Grid", "网格"},
    {"Grid spacing (m)", "网格间距 (米)"},
    {"At least one per township", "每个乡镇至少一处"},
    {"Run", "运行"},
    {"Cancel", "取消"},
    {"No project: siting needs a project.toml", "没有项目：选址需要 project.toml"},
    {"Evaluating the project...", "正在评估项目…"},
    {"Building the travel-time matrix...", "正在计算出行时间矩阵…"},
    {"Solving...", "正在求解…"},
    {"Coverage after...", "正在计算选址后覆盖…"},
    {"Cancelled", "已取消"},
    {"Failed", "失败"},
    {"Status", "状态"},
    {"Method", "方法"},
    {"Objective", "目标值"},
    {"Bound", "界"},
    {"Gap", "差距"},
    {"proven optimal", "已证最优"},
    {"Chosen sites", "选址"},
    {"Marginal table", "边际表"},
    {"Site", "站点"},
    {"Added people", "新增覆盖人口"},
    {"Added weighted", "新增加权人口"},
    {"Objective after", "累计目标值"},
    {"Coverage", "覆盖率"},
    {"People within the standard", "标准内人口"},
    {"Demand blocks", "需求块"},
    {"candidates outside the study area excluded", "个研究区外的候选点已排除"},
    {"Time", "用时"},
    {"Infeasible: one site per township needs more new sites than p",
     "无解：每个乡镇至少一处需要比 p 更多的新址"},
    {"Target cannot be met; everyone coverable is covered", "目标无法达到，已覆盖全部可覆盖人口"},
    {"Target share covered", "覆盖目标比例"},
    {"Science museum", "科技馆"},
    {"Education base", "科普教育基地"},
    {"Accept into the what-if scenario", "接受到当前情景 (What-if)"},
    // Statuses and methods of optimize::SitingResult.
    {"ok", "完成"},
    {"optimal", "最优"},
    {"time limit", "达到时间上限"},
    {"time limit, no solution", "达到时间上限，无解"},
    {"infeasible", "无可行解"},
    {"greedy (CELF) + fast interchange; Lagrangian upper bound", "贪心 (CELF) + 快速交换；拉格朗日上界"},
    {"greedy (CELF) + fast interchange; Lagrangian lower bound", "贪心 (CELF) + 快速交换；拉格朗日下界"},
    {"greedy (CELF) + fast interchange per site count; Lagrangian (MCLP) lower bound",
     "逐个站点数的贪心 (CELF) + 快速交换；拉格朗日 (MCLP) 下界"},
    {"covering search (greedy + fast interchange per radius); Lagrangian covering lower bound",
     "覆盖搜索 (逐个半径的贪心 + 快速交换)；拉格朗日覆盖下界"},
    {"GLPK branch and cut (exact MIP)", "GLPK 分支切割 (精确整数规划)"},
    {"Added to the what-if scenario (coverage panel; undo with Ctrl+Z)",
     "已加入当前情景 (覆盖面板；Ctrl+Z 撤销)"},
};

const char* t(const char* key) {
  const char* s = key;
  if (language() == Lang::Zh)
    for (const auto& e : k_strings)
      if (std::strcmp(e.en, key) == 0) s = e.zh;
  record(s);
  return s;
}

void text(const std::string& s) {
  record(s);
  ImGui::TextWrapped("%s", s.c_str());
}

std::string num(const char* f, double v) {
  char b[128];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

std::string facility_label(const std::string& f) {
  if (f == "museum") return t("Science museum");
  if (f == "education_base") return t("Education base");
  return f;
}

}  // namespace siting_detail

/// Adds the chosen sites to the session's facility set as one edit (undoable), named after
/// their candidates, then opens the coverage panel (through its script command).
bool SitingPanel::State::accept(AnalysisHost& h, AnalysisPanel& analysis, std::string& error) {
  if (!out || !out->error.empty() || out->r.status == opt::SolveStatus::Cancelled || out->r.chosen.empty()) {
    error = "siting accept: no result with chosen sites";
    return false;
  }
  if (accepted) return true;
  std::vector<core::Vec2> pts;
  std::vector<std::string> names;
  for (core::Id j : out->r.chosen) {
    pts.push_back(out->points[j]);
    std::string n = j < out->names.size() ? out->names[j] : std::string();
    if (const auto cut = n.find(" ("); cut != std::string::npos) n.resize(cut);
    names.push_back(n.empty() ? std::string() : n + "（新址）");
  }
  const std::string origin =
      std::string(k_problem_keys[problem]).substr(0, std::string(k_problem_keys[problem]).find(' ')) +
      ", p = " + std::to_string(out->r.chosen.size());
  if (!h.session.accept_sites(out->facility, pts, names, "", origin, error)) {
    error = "siting accept: " + error;
    h.log.push_back(error);
    return false;
  }
  accepted = true;
  accepted_serial = h.session.key().edits;
  return analysis.script(h, {"open", "coverage"}, error);
}

/// The accepted sites are still in the session's edits in effect (not undone).
bool SitingPanel::State::still_accepted(const AnalysisHost& h) const {
  if (!accepted || !out || out->r.chosen.empty()) return false;
  const core::Vec2 first = out->points[out->r.chosen.front()];
  const auto& edits = h.session.edits();
  for (std::size_t i = 0; i < h.session.applied(); ++i)
    if (edits[i].kind == session::Edit::Kind::AcceptSites && !edits[i].parts.empty() &&
        edits[i].parts.front().to.x == first.x && edits[i].parts.front().to.y == first.y)
      return true;
  return false;
}

/// Stops the run: the task is cancelled (its result says so), or a run still waiting for the
/// evaluation is dropped as cancelled.
void SitingPanel::State::cancel() {
  if (task) task->cancel();
  if (pending) {
    pending = false;
    out = Outcome{};
    ++drawn;
    out->facility = spec_.facility;
    out->problem = spec_.problem;
    out->r.status = opt::SolveStatus::Cancelled;
  }
}

/// Script runs: waits (polling the tasks) until the run has ended.
bool SitingPanel::State::wait(AnalysisHost& h, std::string& error) {
  if (pending) {
    if (!h.wait_figures(error)) return false;
    launch(h);
  }
  while (task) {
    h.tasks.poll();
    if (task) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

std::vector<std::string> SitingPanel::State::facilities(const core::Document& doc) const {
  std::vector<std::string> f;
  for (const auto& s : doc.config.standards)
    if (s.minutes > 0.0 && s.facility != "caravan" && s.facility != "expert_tour") f.push_back(s.facility);
  return f;
}

std::vector<std::string> SitingPanel::State::point_layers(const core::Document& doc) const {
  std::vector<std::string> v;
  for (const auto& l : doc.layers)
    if (!l.is_raster && l.geom.kind == core::GeomKind::Point) v.push_back(l.name);
  return v;
}

/// Starts a run with the current settings (nothing if one is running); false with `error`.
bool SitingPanel::State::start(AnalysisHost& h, std::string& error) {
  if (running()) return true;
  if (h.project.empty()) {
    error = t("No project: siting needs a project.toml");
    return false;
  }
  const auto fac = facilities(h.doc);
  if (facility < 0) {
    const auto it = std::find(fac.begin(), fac.end(), std::string("education_base"));
    facility = it == fac.end() ? 0 : static_cast<int>(it - fac.begin());
  }
  if (fac.empty() || facility < 0 || static_cast<std::size_t>(facility) >= fac.size()) {
    error = "siting: the project has no travel-time [[standard]]";
    return false;
  }
  const auto layers = point_layers(h.doc);
  opt::ProjectSitingSpec spec;
  spec.facility = fac[static_cast<std::size_t>(facility)];
  if (candidates >= 1 && static_cast<std::size_t>(candidates) <= layers.size())
    spec.candidates = layers[static_cast<std::size_t>(candidates - 1)];
  else if (candidates > 0)
    spec.candidates = "grid:" + std::to_string(grid_m);
  spec.problem = k_problems[problem];
  spec.one_per_group = one_per_town;
  spec.to_lonlat = [crs = h.doc.analysis_crs](std::vector<core::Vec2>& pts) {
    try {
      return geo::Transform(crs, "EPSG:4326").apply(pts);
    } catch (const geo::CrsError&) {
      return false;
    }
  };
  opt::SitingOptions o;
  o.problem = spec.problem;
  o.p = std::max(0, p);
  o.one_per_group = one_per_town;
  o.target_share = std::clamp(static_cast<double>(target), 0.0, 1.0);
  out.reset();
  ++drawn;
  accepted = false;
  accept_error.clear();
  started = std::chrono::steady_clock::now();
  spec_ = spec;
  opts_ = o;
  pending = true;
  h.want_figures = true;
  launch(h);
  return true;
}

/// Starts the run once the session's evaluation of the current revision is there: the worker
/// shares its travel model and study area and gets a copy of the facility sets as edited.
void SitingPanel::State::launch(AnalysisHost& h) {
  if (!pending || task) return;
  if (!h.session.ready() || h.session.stale()) {
    h.want_figures = true;
    return;
  }
  pending = false;
  auto pe = h.session.shared_evaluation();
  auto doc = h.session.evaluated_document();
  auto sets = std::make_shared<const std::vector<analysis::FacilitySet>>(pe->ev.sets);
  // the figures before, read here: the worker never reads pe->ev (edits change it meanwhile)
  auto shares = std::make_shared<std::vector<double>>();
  for (const auto& f : pe->ev.coverage.total.service) shares->push_back(f.share());
  std::string project = h.project;
  const opt::ProjectSitingSpec spec = spec_;
  const opt::SitingOptions o0 = opts_;
  const std::array<std::string, 3> stages{t("Building the travel-time matrix..."), t("Solving..."),
                                          t("Coverage after...")};
  task = h.tasks.run<Outcome>(
      "siting",
      [pe, doc, sets, shares, spec, o0, project, stages](session::TaskState& st) {
        Outcome res;
        opt::SitingOptions o = o0;
        const auto t0 = std::chrono::steady_clock::now();
        res.problem = spec.problem;
        res.facility = spec.facility;
        try {
          st.set_stage(stages[0], 0, 3);
          std::string err;
          auto ps = opt::build_project_siting(*doc, *pe, spec, project, err, st.cancel_flag(), sets.get());
          if (!ps) {
            res.error = err;
            return res;
          }
          if (o.p > static_cast<int>(ps->new_candidates)) {
            res.error = "p = " + std::to_string(o.p) + " exceeds the " + std::to_string(ps->new_candidates) +
                        " candidates";
            return res;
          }
          if (st.cancelled()) {  // the matrix stopped midway: discard it
            res.r.status = opt::SolveStatus::Cancelled;
            return res;
          }
          o.standard = ps->standard;
          if (ps->unreachable_cost > 0) o.unreachable_cost = ps->unreachable_cost;
          o.cancel = st.cancel_flag();
          st.set_stage(stages[1], 1, 3);
          // the bound's iterations move the bar through the solving third
          o.progress = [&st](int done, int total) {
            if (total > 0)
              st.set_progress(
                  static_cast<float>((1.0 + std::clamp(static_cast<double>(done) / total, 0.0, 1.0)) / 3.0));
          };
          res.r = opt::solve_siting(ps->instance, o);
          res.names = ps->instance.candidate_names;
          res.points = ps->candidate_points;
          res.demands = ps->instance.num_demands();
          res.candidates = ps->new_candidates;
          res.excluded_outside = ps->excluded_outside;
          res.standard = ps->standard;
          if (res.r.status != opt::SolveStatus::Cancelled) {
            st.set_stage(stages[2], 2, 3);
            const analysis::Evaluation after =
                opt::evaluate_with_sites(*doc, *pe, *ps, res.r.chosen, sets.get());
            res.share_before = ps->set_index < shares->size() ? (*shares)[ps->set_index] : 0.0;
            res.share_after = after.coverage.total.service[ps->set_index].share();
          }
        } catch (const std::exception& e) {
          res.error = e.what();
        }
        res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        return res;
      },
      [this](Outcome& r) {
        out = std::move(r);
        ++drawn;
        task.reset();
      });
}

SitingPanel::SitingPanel() : m(std::make_unique<State>()) {}

// A run still going is cancelled; nothing waits for it (the task manager owns it).
SitingPanel::~SitingPanel() {
  if (m->task) m->task->cancel();
}

void SitingPanel::menu_items() {
  ImGui::MenuItem((std::string(t("Siting")) + "###Siting").c_str(), nullptr, &m->show);
}

bool SitingPanel::script(AnalysisHost& h, AnalysisPanel& analysis, const std::vector<std::string>& a,
                         std::string& error) {
  const std::string v = a.empty() ? "" : a[0];
  if (v == "open" || v == "close") {
    m->show = v == "open";
    return true;
  }
  if (v == "accept") {
    if (!m->wait(h, error)) return false;
    return m->accept(h, analysis, error);
  }
  if (v == "cancel") {
    m->cancel();
    return true;
  }
  if (v == "wait") {
    if (!m->wait(h, error)) {
      error = "siting: " + error;
      return false;
    }
    if (!m->out) {
      error = "siting wait: nothing was run (use siting run PROBLEM P)";
      return false;
    }
    if (!m->out->error.empty()) {
      error = "siting: " + m->out->error;
      return false;
    }
    return true;
  }
  if (v == "run") {
    if (a.size() < 3) {
      error =
          "siting run: use siting run mclp|pmedian|lscp|pcenter P [FACILITY] [CANDIDATE_LAYER|grid:METRES]";
      return false;
    }
    const std::string pr = a[1];
    if (pr == "mclp")
      m->problem = 0;
    else if (pr == "pmedian")
      m->problem = 1;
    else if (pr == "lscp")
      m->problem = 2;
    else if (pr == "pcenter")
      m->problem = 3;
    else {
      error = "siting run: unknown problem '" + pr + "' (mclp, pmedian, lscp, pcenter)";
      return false;
    }
    char* end = nullptr;
    const long p = std::strtol(a[2].c_str(), &end, 10);
    if (end == a[2].c_str() || *end != '\0' || p < 0 || p > 1000) {
      error = "siting run: P must be a whole number 0..1000";
      return false;
    }
    m->p = static_cast<int>(p);
    if (a.size() > 3) {
      const auto fac = m->facilities(h.doc);
      const auto it = std::find(fac.begin(), fac.end(), a[3]);
      if (it == fac.end()) {
        error = "siting run: no travel-time standard for facility '" + a[3] + "'";
        return false;
      }
      m->facility = static_cast<int>(it - fac.begin());
    }
    m->candidates = 0;
    if (a.size() > 4) {
      const auto layers = m->point_layers(h.doc);
      if (a[4].rfind("grid:", 0) == 0) {
        const long g = std::strtol(a[4].c_str() + 5, &end, 10);
        if (*end != '\0' || g < 100) {
          error = "siting run: grid:METRES needs a spacing >= 100";
          return false;
        }
        m->grid_m = static_cast<int>(g);
        m->candidates = static_cast<int>(layers.size()) + 1;
      } else {
        const auto it = std::find(layers.begin(), layers.end(), a[4]);
        if (it == layers.end()) {
          error = "siting run: no point layer named '" + a[4] + "'";
          return false;
        }
        m->candidates = static_cast<int>(it - layers.begin()) + 1;
      }
    }
    if (m->running()) {
      error = "siting run: a run is still going (siting wait or siting cancel first)";
      return false;
    }
    return m->start(h, error);
  }
  error = "siting: unknown command '" + v + "' (open, close, run, wait, cancel, accept)";
  return false;
}

std::vector<std::string> SitingPanel::glyph_texts() const {
  std::vector<std::string> v;
  for (const auto& e : k_strings) {
    v.emplace_back(e.en);
    v.emplace_back(e.zh);
  }
  return v;
}

void SitingPanel::reset() {
  if (m->task) m->task->cancel();
  const bool show = m->show;
  m = std::make_unique<State>();
  m->show = show;
}

}  // namespace kepumap::ui
