#pragma once
// What the analysis panels draw over the map: the gap choropleth on the finest unit layer (its
// classes and colours from the style, core::gap_classes), the travel-time surface as a texture
// this object owns with its isochrones, the failing units of a target, and the edited
// facilities (the data's place crossed out, moved, added and accepted sites drawn). A what-if
// drag step updates only the part of the texture whose cells changed; the isochrones are traced
// by a task, the old ones staying on the map until the new ones are ready.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/isolines.hpp"
#include "core/style.hpp"
#include "render/view.hpp"
#include "session/session.hpp"
#include "session/tasks.hpp"
#include "session/time_image.hpp"
#include "ui/panel_analysis.hpp"

struct ImDrawList;
struct ImFont;

namespace kepumap::ui {

class MapOverlay {
 public:
  MapOverlay() = default;
  MapOverlay(const MapOverlay&) = delete;
  MapOverlay& operator=(const MapOverlay&) = delete;
  /// The texture must be freed with release_gl() while the GL context lives.
  ~MapOverlay() = default;
  void release_gl();

  bool gap_map = true;
  bool time_map = false;
  /// The capacity and accessibility view of fixed set `access_set` (the coverage panel's
  /// section): the relative E2SFCA index per cell on the style's diverging ramp, and the capacity
  /// catchments, one colour per facility (core::category_colour, as in access.gpkg's style).
  bool index_map = false;
  bool catchment_map = false;
  int access_set = -1;

  /// Rebuilds what changed since the last call (the session's key, the style, the switches).
  void refresh(AnalysisHost& h);
  /// A new evaluation was installed: the gap classes and the layer index are found again.
  void reset(AnalysisHost& h);
  /// Draws what stays put on the map into `dl` in the pixels of `view` (the map canvas's over
  /// image): the travel-time and access textures, then the isochrones (minute labels in
  /// `font`) and failing units.
  void draw_static(const AnalysisHost& h, ImDrawList* dl, const render::View& view, ImFont* font) const;
  /// Changes whenever what draw_static draws changes.
  std::uint64_t look() const;
  /// Draws into ImGui's background list every frame: the edited sites.
  /// `active_set`/`selected` mark the facility set being edited and the selected facility.
  void draw(const AnalysisHost& h, int active_set, int selected, bool editing) const;
  /// Failing units of target `t` (-1: none) outlined on the map.
  void highlight(const AnalysisHost& h, int t);
  int highlighted() const { return m_highlight_target; }
  std::size_t highlighted_count() const { return m_highlight_features.size(); }
  /// The gap legend label (the finest layer's legend shows the gap classes under it).
  static std::string gap_label();
  /// The legend of the travel-time texture: colour (RGBA, 0..255 packed ABGR) and label.
  static std::vector<std::pair<unsigned int, std::string>> time_legend(const core::Style& st);
  void mark_dirty() { m_map_dirty = m_time_dirty = true; }
  /// Isochrones are being traced, or are to be, for the surface on the map.
  bool isochrones_pending() const { return m_iso_task != nullptr || m_iso_wanted; }

 private:
  /// Part 0 of draw_static (the textures) or part 1 (the lines).
  void draw_pass(const AnalysisHost& h, ImDrawList* dl, const render::View& view, ImFont* font,
                 int part) const;
  void upload_time_texture(const AnalysisHost& h);
  void trace_isochrones(const AnalysisHost& h);
  void upload_access_textures(AnalysisHost& h);
  void remove_gap_map(AnalysisHost& h);

  session::Key m_key;
  bool m_map_dirty = true, m_time_dirty = true, m_gap_shown = false;
  std::size_t m_finest_layer = SIZE_MAX;  // index in the session's document
  core::Layer m_gap_layer;                // copy of the finest layer with a gap column
  std::optional<core::Choropleth> m_gap_ch;
  std::string m_applied_style_name;
  core::Rgba m_applied_line{};
  float m_applied_line_width = 0.0f;
  unsigned int m_time_tex = 0;                        // GL texture name, owned
  unsigned int m_index_tex = 0, m_catchment_tex = 0;  // GL texture names, owned
  core::GridF m_access_frame;                         // where the access textures lie (no data)
  session::Key m_access_key;
  int m_access_drawn = -1;                                // access_set of the textures
  bool m_drawn_index = false, m_drawn_catchment = false;  // the switches they were made for
  analysis::Isolines m_time_iso;
  std::uint64_t m_drawn = 0;      // bumped when a texture or the isochrones are made again
  session::TimeImage m_time_img;  // the texels of m_time_tex
  analysis::CellBox m_time_box;   // cells changed by drag steps since the texture was updated
  struct IsoSlot {                // where a trace's completion leaves its lines (dropped with the overlay)
    bool ready = false;
    analysis::Isolines iso;
  };
  std::shared_ptr<session::TaskState> m_iso_task;  // tracing the isochrones, null when none runs
  std::shared_ptr<IsoSlot> m_iso_slot;             // that task's result
  bool m_iso_wanted = false;                       // the surface changed since that task started
  int m_highlight_target = -1;
  std::size_t m_highlight_layer = SIZE_MAX;
  std::vector<std::size_t> m_highlight_features;
};

}  // namespace kepumap::ui
