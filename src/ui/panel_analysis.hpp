#pragma once
// The app's analysis panels: coverage (figures, township table, gap choropleth), what-if editing
// of facilities and service standards, the targets dashboard and the export dialog. They draw
// what the app's session (session/session.hpp) holds and call it to change it: the evaluation,
// the edit log with undo/redo and the figures belong to the session, not to a panel. Long work
// (the evaluation, the export) runs as tasks of the app's task manager.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/evaluation.hpp"
#include "core/document.hpp"
#include "core/style.hpp"
#include "render/map_renderer.hpp"
#include "render/view.hpp"
#include "session/session.hpp"
#include "session/tasks.hpp"
#include "ui/layout.hpp"
#include "ui/ui_layer.hpp"

struct ImDrawList;
struct ImFont;

namespace kepumap::ui {

/// What the panels may read and touch of the app, handed over each call.
struct AnalysisHost {
  const core::Document& doc;             ///< the session's current revision
  render::MapRenderer& renderer;         ///< for restyling the finest unit layer (gap choropleth)
  std::vector<LayerUi>& layers;          ///< by document layer index (legend choropleth)
  const render::View& view;              ///< screen <-> analysis CRS metres
  const core::Style& style;              ///< the app's current style (export)
  const std::string& project;            ///< project.toml path ("" = none)
  std::vector<core::BBox>& panel_rects;  ///< panels drawn this frame (labels avoid them)
  std::vector<std::string>& panel_names;
  session::Session& session;      ///< the one session: evaluation, edits, undo/redo
  session::TaskManager& tasks;    ///< every long job runs here
  std::vector<std::string>& log;  ///< the app's log (one line per problem or result)
  bool& want_figures;             ///< set by a panel that needs the evaluation
  /// Script runs: waits (polling the tasks) until the current revision's evaluation is
  /// installed; false with `error` when it failed.
  std::function<bool(std::string& error)> wait_figures;
  /// Evaluates the current revision again (the 重新计算 button); the edits are replayed on it.
  std::function<void()> recompute;
  PanelLayout& layout;  ///< where the panels go (ui/layout.hpp)
  /// What the 底图 section shows (the view export prints the same): the basemaps with their
  /// switches and opacity, and whether the quiet land/water background is on.
  std::vector<core::BasemapSpec> basemaps = {};
  bool quiet_background = false;
};

/// The panels' state. One per app.
class AnalysisPanel {
 public:
  AnalysisPanel();
  ~AnalysisPanel();
  AnalysisPanel(const AnalysisPanel&) = delete;
  AnalysisPanel& operator=(const AnalysisPanel&) = delete;

  /// Menu items (inside the app's View menu) opening the panels.
  void menu_items();
  /// Per frame: takes a finished evaluation, draws the panels and the map overlay, Ctrl+Z/Ctrl+Y.
  void frame(AnalysisHost& h);
  /// A mouse event at screen pixel `px` (kind 0 press, 1 release); `on_map` false when over a
  /// panel. Returns true when the event was used (an edit mode is on), so the map does not pan.
  bool mouse_event(AnalysisHost& h, int kind, core::Vec2 px, bool on_map);
  /// The cursor at `px` this frame (drags follow it).
  void mouse_at(AnalysisHost& h, core::Vec2 px);
  /// Keys this frame (GLFW sticky keys: a press between frames still counts): Ctrl+Z undo,
  /// Ctrl+Y or Ctrl+Shift+Z redo, once per press; ignored while a text field has the keyboard.
  void keys(bool ctrl, bool shift, bool z, bool y);
  /// Script command `analysis ARGS...` (see ui/script.hpp); false with `error` on a bad command.
  bool script(AnalysisHost& h, const std::vector<std::string>& args, std::string& error);
  /// Text the panels may show that the font needs glyphs for (target sentences, labels).
  std::vector<std::string> glyph_texts(const core::Document& doc) const;
  /// What stays put on the map (surfaces, isochrones, failing units) into `dl` in the pixels of
  /// `view`, for the map canvas's over image; `map_look()` changes with it.
  void draw_map(const AnalysisHost& h, ImDrawList* dl, const render::View& view, ImFont* font) const;
  std::uint64_t map_look() const;
  /// Frees the GL texture of the travel-time overlay (the app calls it while its context lives).
  void release_gl();
  /// A panel that shows figures is open (the app keeps the evaluation up to date).
  bool wants_figures() const;
  /// The map overlay's isochrones are still being traced (a script run ends after them).
  bool drawing_pending() const;
  /// Another project opened: selection, edit mode, overlays, export and scenario fields are
  /// dropped (which panels are shown stays). Call while the GL context lives.
  void reset();

 private:
  struct State;
  std::unique_ptr<State> m;
};

}  // namespace kepumap::ui
