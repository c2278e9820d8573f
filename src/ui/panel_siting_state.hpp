// Private to the siting panel's files: its state and shared helpers.
#pragma once

#include "ui/panel_siting.hpp"

#include <imgui.h>
#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>
#include <thread>
#include "analysis/evaluation.hpp"
#include "geo/crs.hpp"
#include "optimize/siting.hpp"
#include "optimize/siting_project.hpp"
#include "session/session.hpp"
#include "ui/i18n.hpp"

namespace kepumap::ui {

namespace opt = kepumap::optimize;

namespace siting_detail {

/// The panel's string for the English key in the current language (recorded for --dump-state).
const char* t(const char* key);
/// Shows wrapped text and remembers it for --dump-state.
void text(const std::string& s);
/// `v` formatted with printf format `f`.
std::string num(const char* f, double v);
/// A facility type's label: its Chinese/English name and the key.
std::string facility_label(const std::string& f);

constexpr opt::SitingProblem k_problems[] = {opt::SitingProblem::Mclp, opt::SitingProblem::PMedian,
                                             opt::SitingProblem::Lscp, opt::SitingProblem::PCenter};
constexpr const char* k_problem_keys[] = {"MCLP (maximal covering)", "p-median (total travel time)",
                                          "LSCP (fewest sites to cover all)", "p-center (worst travel time)"};

/// One finished run, in plain figures the panel shows.
struct Outcome {
  std::string error;  ///< non-empty: the run failed (one line)
  opt::SitingProblem problem = opt::SitingProblem::Mclp;
  std::string facility;
  opt::SitingResult r;
  std::vector<std::string> names;  ///< by candidate index
  std::vector<core::Vec2> points;  ///< by candidate index, analysis CRS metres
  std::size_t demands = 0, candidates = 0;
  std::size_t excluded_outside = 0;  ///< candidates outside the study area, left out
  core::ISeconds standard = 0;
  double share_before = 0.0, share_after = 0.0;  ///< coverage of the facility type, 0..1
  double seconds = 0.0;                          ///< whole run, wall time
};

}  // namespace siting_detail
using namespace siting_detail;

struct SitingPanel::State {
  bool show = false;
  int problem = 0;  ///< index into k_problems
  int p = 2;
  int facility = -1;   ///< index into facilities(); -1: education_base if the project has it, else the first
  int candidates = 0;  ///< 0 default, 1..n point layers, n+1 grid
  int grid_m = 5000;
  float target = 1.0f;  ///< LSCP: share of the population to cover, 0..1
  bool one_per_town = false;
  std::shared_ptr<session::TaskState> task;  ///< the run, in the app's task manager
  opt::ProjectSitingSpec spec_;              ///< the run asked for
  opt::SitingOptions opts_;
  bool pending = false;  ///< run asked for before the evaluation was ready: starts when it is
  std::chrono::steady_clock::time_point started;
  std::optional<Outcome> out;
  bool accepted = false;  ///< the current result was added to the what-if scenario
  std::uint64_t accepted_serial = 0;
  std::string accept_error;  ///< why accepting failed (one line)

  /// Adds the chosen sites to the session's facility set as one edit (undoable), named after
  /// their candidates, then opens the coverage panel (through its script command).
  bool accept(AnalysisHost& h, AnalysisPanel& analysis, std::string& error);

  /// The accepted sites are still in the session's edits in effect (not undone).
  bool still_accepted(const AnalysisHost& h) const;

  /// Stops the run: the task is cancelled (its result says so), or a run still waiting for the
  /// evaluation is dropped as cancelled.
  void cancel();

  /// Script runs: waits (polling the tasks) until the run has ended.
  bool wait(AnalysisHost& h, std::string& error);

  std::vector<std::string> facilities(const core::Document& doc) const;
  std::vector<std::string> point_layers(const core::Document& doc) const;
  bool running() const { return task != nullptr || pending; }

  /// Starts a run with the current settings (nothing if one is running); false with `error`.
  bool start(AnalysisHost& h, std::string& error);

  /// Starts the run once the session's evaluation of the current revision is there: the worker
  /// shares its travel model and study area and gets a copy of the facility sets as edited.
  void launch(AnalysisHost& h);

  /// Objective or bound in the CLI's units (MCLP: priority-weighted people).
  double shown(double v) const;

  void draw_results();

  /// The chosen sites over the map: numbered orange discs in marginal order, into `dl` in the
  /// pixels of `view` (the map canvas's over image, above the labels).
  std::size_t draw_overlay(ImDrawList* dl, const render::View& view, ImFont* font) const;
  std::uint64_t drawn = 0;  ///< bumped when the result changes
};

}  // namespace kepumap::ui
