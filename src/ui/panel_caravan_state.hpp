// Private to the caravan panel's files: its state and shared helpers.
#pragma once

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

namespace opt = kepumap::optimize;

namespace caravan_detail {

/// The panel's string for the English key `en` in the current language (recorded for --dump-state).
const char* T(const char* en);
/// T(en) with a stable ImGui id that does not change with the language.
std::string T_id(const char* en);
/// Shows a line and remembers it for --dump-state.
void line(const std::string& s);
/// Colour of the k-th scheduled tour, with `alpha`.
ImU32 tour_colour(std::size_t k, int alpha);

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

}  // namespace caravan_detail
using namespace caravan_detail;

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
  void clamp_inputs();

  opt::CaravanProjectOptions options() const;

  bool running() const { return task != nullptr; }
  bool ready() const { return job && job->error.empty(); }

  void start(AnalysisHost& h);

  /// Script runs: waits (polling the tasks) until the run has ended.
  void wait(AnalysisHost& h);

  int scheduled_count() const;

  const std::string& name(int node) const;

  /// Moves one visit of `stop` from tour `from` to tour `to`; single-depot plans only.
  bool move(int stop, int from, int to, std::string& why);

  /// Whether the map shows tours a stop can be dragged between.
  bool can_drag() const { return show && show_on_map && ready() && job->result.depot_count == 1; }

  /// Stop node drawn within `radius` pixels of `px` (nearest), or -1.
  int stop_at(const AnalysisHost& h, core::Vec2 px, double radius) const;

  /// A scheduled tour visiting `stop` other than `not_tour`: the selected one first, else the first.
  int tour_with(int stop, int not_tour) const;

  void draw_inputs(AnalysisHost& h);

  void draw_summary();

  void draw_tours();

  void draw_timeline();

  void draw_move(const opt::CaravanTour& t);

  /// Index into plan.tours of the scheduled tour numbered `k` (1-based, as in the list), or -1.
  int tour_of_number(int k) const;

  void draw_calendar();

  void draw_unserved();

  void draw_panel(AnalysisHost& h);

  /// The tours, stops and depots into `dl` in the pixels of `view` (the map's over image).
  void draw_overlay(const AnalysisHost& h, ImDrawList* dl, const render::View& view) const;
  /// Every frame: the line from a stop being dragged to the cursor.
  void draw_drag(const AnalysisHost& h) const;
  std::uint64_t drawn = 0;  ///< bumped when the tours drawn change
};

}  // namespace kepumap::ui
