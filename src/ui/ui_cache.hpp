#pragma once
// ImGui's drawing kept in a texture the size of the window. Each frame the draw lists are
// compared with the last frame's (a hash of their vertices, indices and commands); only the
// rectangle where a list changed is drawn again into the texture (every list clipped to it), and
// the map canvas composites the texture with the map in the same pass. On llvmpipe, drawing the
// panels every frame took longer than everything else in a frame while the map moves under them.
// Needs a current GL context with glad loaded.
#include <cstdint>
#include <string>
#include <vector>

#include "render/gl_program.hpp"

struct ImDrawData;

namespace kepumap::ui {

class UiCache {
 public:
  UiCache() = default;
  ~UiCache();
  UiCache(const UiCache&) = delete;
  UiCache& operator=(const UiCache&) = delete;

  /// Compiles the fallback quad's program. False with a message when the GL context cannot.
  bool init(std::string& error);
  /// Brings the texture up to date with `dd` (this frame's ImGui::GetDrawData()); changes the
  /// draw data's clip rectangles (it is drawn only through this). Leaves framebuffer 0 bound.
  void update(ImDrawData* dd, int window_w, int window_h);
  /// The texture (premultiplied alpha, window pixels, row 0 at the bottom), 0 before update().
  unsigned texture() const { return m_tex; }
  /// Draws the texture over the whole window (when the map image does not take it in its pass).
  void draw() const;
  /// Pixels drawn again in the last update (for the benchmark and tests).
  std::int64_t redrawn_px() const { return m_redrawn_px; }

 private:
  struct ListSeen {
    std::uint64_t hash = 0;
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;      ///< where it may draw (union of its clip rectangles)
    float vx0 = 0, vy0 = 0, vx1 = 0, vy1 = 0;  ///< where its triangles are
  };
  struct Rect {
    float x0, y0, x1, y1;
  };
  std::vector<Rect> m_rects;  ///< where draw() puts the texture (window pixels, disjoint)
  unsigned m_fbo = 0, m_tex = 0, m_program = 0;
  int m_w = 0, m_h = 0;
  std::vector<ListSeen> m_seen;
  std::int64_t m_redrawn_px = 0;
  render::ImageQuad m_quad;
};

}  // namespace kepumap::ui
