#pragma once
// The cached map canvas, as QGIS and web maps do it: the layers are rendered into an image a
// little larger than the window for one extent and scale, and every frame draws that image
// moved (panning) or scaled (zooming) to the current view. A new image is rendered when the
// view nears the image's edge, the scale or the layers change; that render is spread over
// frames (a budget of milliseconds of drawing each) while the old image stays on screen, and
// replaces it whole when done. Needs a current GL context with glad loaded.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "render/gl_program.hpp"
#include "render/map_renderer.hpp"
#include "render/view.hpp"

namespace kepumap::render {

class Canvas {
 public:
  Canvas();
  ~Canvas();
  Canvas(const Canvas&) = delete;
  Canvas& operator=(const Canvas&) = delete;

  /// Compiles the compositing program. False with a message when the GL context cannot.
  bool init(std::string& error);

  /// Brings the cached image toward `view` (call once a frame, before drawing the window):
  /// starts a render when needed and draws steps of it for about `budget_ms` (< 0: to the end,
  /// in this frame). `content` identifies what the layers look like (renderer generation,
  /// order, visibility); a new value re-renders. Leaves the window's framebuffer bound.
  /// The image starts as `background` with `underlay(image view)` drawn on it (the basemaps),
  /// so it is opaque.
  ///
  /// What is over the layers (analysis surfaces, isolines, the map labels, sites) is drawn by
  /// `over(image view, band)` onto a copy of the layers' image, the image shown: after the
  /// layers of a render, in k_over_parts horizontal bands (band 0 at the top first, each in a
  /// frame of its own: draw everything clipped to rows [band, band + 1) * h / parts, top down),
  /// and whole (band -1) for the image on screen whenever `over_content` changes (without
  /// drawing the layers again).
  void update(MapRenderer& r, const View& view, const std::vector<std::size_t>& order,
              const std::vector<LayerVisibility>& vis, std::uint64_t content, double budget_ms,
              core::Rgba background, const std::function<void(const View&)>& underlay,
              std::uint64_t over_content = 0, const std::function<void(const View&, int)>& over = {});
  /// Draws the cached image as shown (the layers with what is over them) for `view` into the
  /// current framebuffer (it is opaque: what is under it only shows outside it).
  void draw(const View& view) const;

  /// A render is under way (keep frames coming until it is done).
  bool rendering() const { return m_back_busy; }
  /// The view the image on screen was rendered for (larger than the window), and a count that
  /// changes when a new image replaces it.
  const View& image_view() const { return m_front.view; }
  std::uint64_t image_serial() const { return m_serial; }
  bool has_image() const { return m_front.valid; }
  /// The image on screen covers the whole window for `view` (nothing under it shows).
  bool covers_window(const View& view) const { return m_front.valid && covers(m_front.view, view, 0); }
  /// Renders finished (for tests and the benchmark).
  int renders_finished() const { return m_finished; }
  /// What the last update did, for the benchmark: "start", "under", "steps", "over", "swap" or
  /// "" (nothing), with the steps drawn and their estimated milliseconds.
  const char* last_work() const { return m_last_work; }
  int last_steps() const { return m_last_steps; }
  double last_estimate_ms() const { return m_last_estimate_ms; }
  /// Fraction of the window the image leaves on each side, as rendered.
  static constexpr double k_margin = 0.3;
  /// Frames of a pan's last step an image is rendered ahead of the view (within the margin).
  static constexpr double k_lead_frames = 40;
  /// Bands of the over image drawn a frame each after a render (see update).
  static constexpr int k_over_parts = 8;

 private:
  struct Target {
    unsigned fbo = 0, tex = 0;
    unsigned over_fbo = 0, over_tex = 0;  ///< the image shown: the layers with what is over them
    int w = 0, h = 0;
    View view;
    std::uint64_t content = 0, over_content = 0;
    bool valid = false;
  };
  void ensure_size(Target& t, int w, int h);
  /// Draws part `part` of the over image (-1: all, from a clear image; 0 clears first).
  void draw_over(Target& t, std::uint64_t over_content, const std::function<void(const View&, int)>& over,
                 int part);
  void start(MapRenderer& r, const View& view, const std::vector<std::size_t>& order,
             const std::vector<LayerVisibility>& vis, std::uint64_t content, core::Rgba background,
             const std::function<void(const View&)>& underlay);
  bool covers(const View& image, const View& view, double keep_px) const;

  Target m_front, m_back;
  View m_last_view;  ///< the view of the last update (a pan's direction)
  bool m_has_last = false;
  bool m_back_busy = false;
  std::vector<DrawStep> m_steps;
  std::size_t m_next = 0;
  int m_over_part = 0;   ///< the next band of the over image of the render under way
  int m_under_part = 0;  ///< the next band of its background and basemaps
  core::Rgba m_background{};
  std::function<void(const View&)> m_underlay;
  std::vector<LayerVisibility> m_vis;  ///< what the render under way was started with
  double m_ms_per_cost = 2e-5;         ///< learned: milliseconds of drawing per unit of step cost
  std::uint64_t m_serial = 0;
  int m_finished = 0;
  const char* m_last_work = "";
  int m_last_steps = 0;
  double m_last_estimate_ms = 0;
  unsigned m_program = 0;
  ImageQuad m_quad;
};

}  // namespace kepumap::render
