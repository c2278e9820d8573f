#pragma once
// The app's caravan panel (大篷车): plan options, a plan run on a worker thread over a copy of the
// project, the tour list, the selected tour's day-by-day timeline, the year's calendar (months x
// vehicles), unserved stops with their reasons, tours drawn on the map along their road paths,
// and a stop moved from one tour to another (re-planned with optimize::move_stop).
#include <memory>
#include <string>
#include <vector>

#include "ui/panel_analysis.hpp"

namespace kepumap::ui {

/// The caravan panel's state. One per app.
class CaravanPanel {
 public:
  CaravanPanel();
  ~CaravanPanel();
  CaravanPanel(const CaravanPanel&) = delete;
  CaravanPanel& operator=(const CaravanPanel&) = delete;

  /// Menu item (inside the app's View menu) opening the panel.
  void menu_items();
  /// Per frame: takes a finished plan, draws the panel and the tours on the map.
  void frame(AnalysisHost& h);
  /// The tours over the map into `dl` in the pixels of `view` (the map canvas's over image);
  /// `map_look()` changes when what it draws changes.
  void draw_map(const AnalysisHost& h, ImDrawList* dl, const render::View& view) const;
  std::uint64_t map_look() const;
  /// A mouse event at screen pixel `px` (kind 0 press, 1 release); `on_map` false when over a
  /// panel. A press on a stop of a drawn tour starts a drag; the release on a stop of another
  /// tour moves the visit there (re-planned). Returns true when the event was used (no pan).
  bool mouse_event(AnalysisHost& h, int kind, core::Vec2 px, bool on_map);
  /// The cursor at `px` this frame (the drag line follows it).
  void mouse_at(core::Vec2 px);
  /// Script command `caravan ARGS...` (see ui/script.hpp); false with `error` on a bad command.
  bool script(AnalysisHost& h, const std::vector<std::string>& args, std::string& error);
  /// Every UI string of the panel in Chinese (for the font's glyph set).
  static std::vector<std::string> glyph_texts();

  /// Another project opened: the run, its results and the options are dropped (the panel keeps
  /// only whether it is shown).
  void reset();

 private:
  struct State;
  std::unique_ptr<State> m;
};

}  // namespace kepumap::ui
