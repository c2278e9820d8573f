#pragma once
// The map view: which part of the analysis CRS is on screen, and the screen <-> map mapping.
#include <algorithm>
#include <cmath>

#include "core/geometry.hpp"

namespace kepumap::render {

/// A north-up view. Screen pixels: origin top-left, y down. Map: metres in the analysis CRS.
struct View {
  core::Vec2 center;        ///< map point at the centre of the viewport, metres
  double m_per_px = 100.0;  ///< metres per screen pixel
  int width_px = 1;         ///< viewport size, pixels
  int height_px = 1;

  /// Screen position (pixels) of a map point.
  core::Vec2 to_screen(core::Vec2 m) const {
    return {(m.x - center.x) / m_per_px + width_px * 0.5, height_px * 0.5 - (m.y - center.y) / m_per_px};
  }
  /// Map point (metres) under a screen position (pixels).
  core::Vec2 to_map(core::Vec2 s) const {
    return {center.x + (s.x - width_px * 0.5) * m_per_px, center.y - (s.y - height_px * 0.5) * m_per_px};
  }
  /// The map box visible on screen, metres.
  core::BBox visible() const {
    core::BBox b;
    b.add(to_map({0, 0}));
    b.add(to_map({static_cast<double>(width_px), static_cast<double>(height_px)}));
    return b;
  }
  /// Moves the map by a screen offset (pixels; positive dx drags the map to the right).
  void pan(double dx_px, double dy_px) {
    center.x -= dx_px * m_per_px;
    center.y += dy_px * m_per_px;
  }
  /// Zooms by `factor` (> 1 zooms in) keeping the map point under screen position `s` fixed.
  void zoom_at(double factor, core::Vec2 s) {
    if (!(factor > 0)) return;
    core::Vec2 before = to_map(s);
    m_per_px = std::clamp(m_per_px / factor, 0.05, 1e6);
    core::Vec2 after = to_map(s);
    center.x += before.x - after.x;
    center.y += before.y - after.y;
  }
  /// Shows the whole box with `margin_px` pixels of space on every side.
  void fit(const core::BBox& b, double margin_px = 20.0) {
    if (b.empty()) return;
    center = b.center();
    double w = std::max(1.0, width_px - 2 * margin_px), h = std::max(1.0, height_px - 2 * margin_px);
    m_per_px = std::max({b.width() / w, b.height() / h, 0.05});
  }
};

}  // namespace kepumap::render
