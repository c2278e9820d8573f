#pragma once
// The app's siting panel (选址): solves MCLP, p-median, LSCP or p-center for new sites of one
// facility type on the project (the same instance `kepumap site project.toml` builds), on a worker
// thread with a Cancel button, and shows the objective, bound, gap, the marginal table, the chosen
// sites on the map and the coverage of that facility type before and after. It never changes data:
// "accept" adds the chosen sites as what-if edits of the analysis panel (undoable there).
#include <memory>
#include <string>
#include <vector>

#include "ui/panel_analysis.hpp"

namespace kepumap::ui {

/// The siting panel's state. One per app.
class SitingPanel {
 public:
  SitingPanel();
  ~SitingPanel();
  SitingPanel(const SitingPanel&) = delete;
  SitingPanel& operator=(const SitingPanel&) = delete;

  /// Menu item (inside the app's View menu) opening the panel.
  void menu_items();
  /// Per frame: takes a finished run, draws the panel and the chosen sites over the map; the
  /// Accept button adds the chosen sites to `analysis`'s what-if scenario.
  void frame(AnalysisHost& h, AnalysisPanel& analysis);
  /// The chosen sites into `dl` in the pixels of `view` (the map canvas's over image, above the
  /// labels), while the panel is open; `map_look()` changes when that changes.
  /// Returns the number of sites drawn.
  std::size_t draw_map(ImDrawList* dl, const render::View& view, ImFont* font) const;
  std::uint64_t map_look() const;
  /// Script command `siting ARGS...`: open | close | run PROBLEM P [FACILITY] [CANDIDATES] |
  /// wait | cancel | accept. False with a one-line `error` on a bad command or a failed run (wait).
  bool script(AnalysisHost& h, AnalysisPanel& analysis, const std::vector<std::string>& args,
              std::string& error);
  /// Every string the panel may show in both languages (for the font's glyph set).
  std::vector<std::string> glyph_texts() const;

  /// Another project opened: the run, its results and the options are dropped (the panel keeps
  /// only whether it is shown).
  void reset();

 private:
  struct State;
  std::unique_ptr<State> m;
};

}  // namespace kepumap::ui
