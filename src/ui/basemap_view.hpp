#pragma once
// The map's basemaps in the app (README "Basemaps"): the project's [[basemap]] entries (or, with
// none, the quiet land/water background) rendered for the current view in the background
// through the task manager, each uploaded to a GL texture and drawn under every layer as a quad
// at the extent it was rendered for (panning moves it, zooming scales it until the new image is
// ready). The layers panel's 底图 section switches them and sets their opacity; 添加底图 adds one
// from a path or URL (saved with the project). A basemap that fails is one line in the log and a
// grey background.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/document.hpp"
#include "core/style.hpp"
#include "render/gl_program.hpp"
#include "render/view.hpp"
#include "session/tasks.hpp"
#include "ui/layout.hpp"

namespace kepumap::io {
class Basemap;
struct BackgroundLayers;
}  // namespace kepumap::io

namespace kepumap::ui {

/// What the basemaps read from the app each frame.
struct BasemapHost {
  const core::Document& doc;
  const core::Style& style;
  const render::View& view;
  session::TaskManager& tasks;
  std::vector<std::string>& log;          ///< the 日志 lines
  std::vector<core::BBox>& panel_rects;   ///< screen boxes labels keep off (the attribution is one)
  std::vector<std::string>& panel_names;  ///< their names, one per box
  PanelRect map_area;  ///< the map not under panels, window pixels (the attribution's corner)
};

class BasemapView {
 public:
  BasemapView();
  ~BasemapView();
  BasemapView(const BasemapView&) = delete;
  BasemapView& operator=(const BasemapView&) = delete;

  /// Once a frame, before ImGui::Render: follows the project, starts renders for the view (after
  /// it has rested a moment), draws the attribution and the 添加底图 window.
  void frame(const BasemapHost& host);
  /// The 底图 section of the layers panel: on/off and opacity per basemap, 添加底图….
  void layers_section(const BasemapHost& host);
  /// Draws the basemap images under the layers (GL, after the clear, before the layers).
  void draw_gl(const render::View& view);
  /// Changes whenever what draw_gl draws changes (a new image, on/off, opacity): the map
  /// canvas draws the basemaps into its cached image and re-renders on a new value.
  std::uint64_t look() const;
  /// Frees the textures (before the GL context goes).
  void release_gl();
  /// Script verb `basemap`: add SOURCE [NAME], show NAME, hide NAME, opacity NAME VALUE, wait.
  bool script(const BasemapHost& host, const std::vector<std::string>& args, std::string& error);
  /// The [[basemap]] entries as the app has them (added ones with line 0), for saving.
  std::vector<core::BasemapSpec> specs() const;
  /// The quiet land/water background is in the list and switched on.
  bool quiet_shown() const;
  /// The basemaps differ from the project's (one added, switched, another opacity).
  bool dirty(const core::Document& doc) const;
  /// Strings the font must hold (names, titles, attributions, errors).
  std::vector<std::string> glyph_texts() const;

 private:
  struct Entry;
  void sync(const BasemapHost& host);
  /// Starts what the view needs (`now`: without waiting for the view to rest).
  void schedule(const BasemapHost& host, bool now);
  bool settled(const BasemapHost& host) const;
  void add(const BasemapHost& host, const std::string& source, const std::string& name, std::string& error);
  void upload(Entry& e);
  Entry* find_entry(std::uint64_t id);
  std::vector<std::unique_ptr<Entry>> m_entries;  // bottom first; the quiet background when none
  std::string m_signature;                        // the project whose basemaps these are
  render::View m_last_view;
  std::chrono::steady_clock::time_point m_view_changed{};
  std::shared_ptr<const io::BackgroundLayers> m_quiet;
  std::string m_quiet_error;
  bool m_quiet_loading = false;
  bool m_show_add = false;
  char m_add_source[1024] = {};
  std::string m_add_error;
  unsigned m_program = 0, m_grey = 0;  ///< the grey texture stands for a basemap that failed
  render::ImageQuad m_quad;
  int m_u_opacity = -1, m_u_tex = -1;
};

}  // namespace kepumap::ui
