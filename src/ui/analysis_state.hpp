#pragma once
// Internal to the analysis panels (panel_analysis.cpp, panel_coverage.cpp, panel_targets.cpp,
// analysis_script.cpp): what the panels remember between frames. The figures and the edits are
// the session's; this holds only what is on screen (open panels, mode, selection, text fields).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "session/tasks.hpp"
#include "ui/map_overlay.hpp"
#include "ui/panel_analysis.hpp"

namespace kepumap::report {
struct ReportInputs;
}

namespace kepumap::ui {

struct AnalysisPanel::State {
  bool show_coverage = false, show_targets = false, show_export = false, show_units = false;
  enum Mode { Pan = 0, MoveFacility = 1, AddFacility = 2 };
  int mode = Pan;
  int active_set = -1;               ///< the fixed facility set being edited (education_base by default)
  int access_ui_set = -1;            ///< the set of the capacity and accessibility section (-1: default)
  bool access_open_request = false;  ///< open that section next frame (the test script)
  int selected = -1;                 ///< selected facility of the active set
  int named = -1;                    ///< the facility whose name fields below hold its name
  char name_field[128] = {};
  char level_field[64] = {};
  bool slider_active = false;
  std::string error;                         ///< the last evaluation or edit problem (one line)
  session::Key installed;                    ///< the key when the selection was last checked
  const core::Document* seen_doc = nullptr;  ///< the document the overlay was placed on
  MapOverlay overlay;
  // export
  char export_dir[512] = {};
  int export_lang = 0;
  bool export_a3 = false;
  bool export_landscape = true;  ///< the map of the view: landscape (as a screen)
  std::string export_msg;
  bool export_ok = false;
  std::shared_ptr<session::TaskState> export_task;
  // scenarios
  char scenario_name[128] = {};
  std::string scenario_msg;
  bool scenario_ok = false;
  std::vector<std::string> scenario_names;
  bool scenario_list_dirty = true;
  bool z_was = false, y_was = false;       // key state last frame
  int pending_undo = 0, pending_redo = 0;  // Ctrl+Z / Ctrl+Y presses, done next frame
  // side-by-side comparison: the data's figures, the current ones and each saved scenario's
  std::vector<std::string> compare_lines;

  bool ready(const AnalysisHost& h) const { return h.session.ready(); }
  const analysis::Evaluation& ev(const AnalysisHost& h) const { return h.session.evaluation().ev; }
  /// After a new evaluation: keep the selection valid, pick the default set.
  void follow_session(AnalysisHost& h);
  /// Logs and shows a problem (one line).
  void problem(AnalysisHost& h, const std::string& line);

  void draw_coverage(AnalysisHost& h);
  void draw_whatif(AnalysisHost& h);
  void draw_access(AnalysisHost& h);
  void draw_scenario_choice(AnalysisHost& h);
  void draw_scenarios(AnalysisHost& h);
  void draw_targets(AnalysisHost& h);
  void draw_units(AnalysisHost& h);
  void draw_export(AnalysisHost& h);
  int pick_facility(const AnalysisHost& h, std::size_t k, core::Vec2 px) const;
  /// Starts the export task (report, tables, layers) over the session's figures.
  bool start_export(AnalysisHost& h);
  /// Starts the task that writes the map of the current view (view.pdf, view.png, view.svg):
  /// the view's extent and visible layers, the travel-time map when it is shown, else the gap map,
  /// through report::view_map, as `kepumap map` does.
  bool start_view_export(AnalysisHost& h);
  /// What both export tasks read (style, language, paper, scenario, edits, date), for the
  /// evaluated document and figures.
  std::shared_ptr<report::ReportInputs> export_inputs(const AnalysisHost& h) const;
  /// An export task ended: its message shown and logged.
  void export_done(const std::string& message, bool ok, std::vector<std::string>& log);
  static std::filesystem::path scenarios_file(const std::string& project);
  bool save_scenario(AnalysisHost& h, const std::filesystem::path& file, const std::string& name);
  bool load_scenario(AnalysisHost& h, const std::filesystem::path& file, const std::string& name);
  std::string summary(const AnalysisHost& h, const std::string& label) const;
  bool compare(AnalysisHost& h, const std::filesystem::path& file);
};

namespace detail {
/// printf-style formatting of one number.
std::string fmt(const char* f, double a);
/// Shows a string and records it for the state dump.
void text(const std::string& s);
/// The short planner's name of a facility key (the key itself if unknown).
std::string service_name(const std::string& facility);
/// Seconds as minutes with one decimal ("—" when not finite).
std::string minutes(double s);
/// Notes the current ImGui window's rectangle (map labels avoid it).
void note_rect(AnalysisHost& h, const char* name);
}  // namespace detail

}  // namespace kepumap::ui
