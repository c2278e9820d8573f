// The selection: a click selects one feature, Ctrl-click adds one or takes it out, Shift-drag
// selects every feature a rectangle touches; the map, the attribute table and the inspector show
// the same selection, and 缩放到所选 fits the view to it.
#include <algorithm>

#include "ui/app_window.hpp"

namespace kepumap::ui {

namespace {

/// True when segment a-b touches rectangle r (Liang–Barsky clipping).
bool segment_touches(core::Vec2 a, core::Vec2 b, const core::BBox& r) {
  double t0 = 0.0, t1 = 1.0;
  const double dx = b.x - a.x, dy = b.y - a.y;
  const double p[4] = {-dx, dx, -dy, dy};
  const double q[4] = {a.x - r.min_x, r.max_x - a.x, a.y - r.min_y, r.max_y - a.y};
  for (int k = 0; k < 4; ++k) {
    if (p[k] == 0.0) {
      if (q[k] < 0.0) return false;  // parallel to this edge and outside it
      continue;
    }
    const double t = q[k] / p[k];
    if (p[k] < 0.0)
      t0 = std::max(t0, t);
    else
      t1 = std::min(t1, t);
    if (t0 > t1) return false;
  }
  return true;
}

/// True when feature f of `g` touches rectangle r: a point inside it, a line or ring crossing it,
/// or (polygons) the rectangle inside the polygon.
bool feature_touches(const core::Geometries& g, std::size_t f, const core::BBox& r) {
  const auto fid = static_cast<core::FeatureId>(f);
  for (std::uint32_t p = g.parts_begin(fid); p < g.parts_end(fid); ++p)
    for (std::uint32_t ri = g.rings_begin(p); ri < g.rings_end(p); ++ri) {
      const auto ring = g.ring(ri);
      if (ring.size() == 1 && r.contains(ring[0])) return true;
      for (std::size_t k = 1; k < ring.size(); ++k)
        if (segment_touches(ring[k - 1], ring[k], r)) return true;
    }
  return g.kind == core::GeomKind::Polygon && core::feature_contains(g, fid, r.center());
}

}  // namespace

void App::selection_changed() {
  m_sel_changed = true;
  ++m_sel_version;
}

void App::clear_selection() {
  if (m_sel.valid() || !m_sel_set.empty()) selection_changed();
  m_sel = {};
  m_sel_set.clear();
}

void App::select(render::Selection s, bool add) {
  if (!add || !m_sel.valid() || !s.valid() || s.layer != m_sel.layer) {
    if (add && !s.valid()) return;  // Ctrl-click on nothing keeps the selection
    clear_selection();
    if (!s.valid()) return;
    m_sel = s;
    m_sel_set = {s.feature};
    selection_changed();
    return;
  }
  auto it = std::lower_bound(m_sel_set.begin(), m_sel_set.end(), s.feature);
  if (it != m_sel_set.end() && *it == s.feature) {  // in the selection: taken out
    m_sel_set.erase(it);
    if (m_sel_set.empty())
      m_sel = {};
    else if (m_sel.feature == s.feature)
      m_sel.feature = m_sel_set.back();
  } else {
    m_sel_set.insert(it, s.feature);
    m_sel = s;
  }
  selection_changed();
  m_status = std::to_string(m_sel_set.size()) + " " + tr("features selected");
}

bool App::is_selected(std::size_t layer, std::size_t feature) const {
  return m_sel.valid() && m_sel.layer == layer &&
         std::binary_search(m_sel_set.begin(), m_sel_set.end(), feature);
}

void App::select_in_rect(const core::BBox& r, bool add) {
  if (r.empty()) return;
  auto hits = [&](std::size_t li) {
    std::vector<std::size_t> out;
    const core::Layer& L = doc().layers[li];
    if (L.is_raster || li >= m_layers.size()) return out;
    const LayerUi& ui = m_layers[li];
    for (std::size_t f = 0; f < L.geom.feature_count() && f < ui.bbox.size(); ++f)
      if (!ui.bbox[f].empty() && ui.bbox[f].intersects(r) && feature_touches(L.geom, f, r)) out.push_back(f);
    return out;
  };
  std::size_t layer = SIZE_MAX;
  std::vector<std::size_t> found;
  if (add && m_sel.valid()) {
    layer = m_sel.layer;
    found = hits(layer);
  } else {
    for (auto it = m_order.rbegin(); it != m_order.rend() && layer == SIZE_MAX; ++it)
      if (*it < m_layers.size() && m_layers[*it].visible && !doc().layers[*it].is_raster) {
        found = hits(*it);
        if (!found.empty()) layer = *it;
      }
  }
  if (!add) clear_selection();
  if (found.empty()) return;
  std::vector<std::size_t> merged;
  std::set_union(m_sel_set.begin(), m_sel_set.end(), found.begin(), found.end(), std::back_inserter(merged));
  m_sel_set = std::move(merged);
  m_sel = {layer, found.back()};
  selection_changed();
  m_status = std::to_string(m_sel_set.size()) + " " + tr("features selected");
}

void App::zoom_to_selection() {
  if (!m_sel.valid() || m_sel.layer >= m_layers.size()) return;
  core::BBox b;
  for (std::size_t f : m_sel_set)
    if (f < m_layers[m_sel.layer].bbox.size()) b.add(m_layers[m_sel.layer].bbox[f]);
  if (b.empty()) return;
  // a point or a very small feature: a few kilometres around it
  constexpr double min_span = 4000.0;
  const double gx = std::max(0.0, min_span - b.width()) / 2, gy = std::max(0.0, min_span - b.height()) / 2;
  b = {b.min_x - gx, b.min_y - gy, b.max_x + gx, b.max_y + gy};
  fit_bbox(b);
}

void App::draw_select_rect() {
  if (!m_rect_selecting) return;
  ImDrawList* dl = ImGui::GetForegroundDrawList();
  const ImVec2 a{static_cast<float>(std::min(m_press_pos.x, m_drag_last.x)),
                 static_cast<float>(std::min(m_press_pos.y, m_drag_last.y))};
  const ImVec2 b{static_cast<float>(std::max(m_press_pos.x, m_drag_last.x)),
                 static_cast<float>(std::max(m_press_pos.y, m_drag_last.y))};
  dl->AddRectFilled(a, b, IM_COL32(40, 110, 220, 40));
  dl->AddRect(a, b, IM_COL32(40, 110, 220, 220), 0, 0, 1.5f);
}

}  // namespace kepumap::ui
