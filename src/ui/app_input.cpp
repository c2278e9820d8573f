// The app's mouse and keyboard: picking features, panning and zooming, what the panels take.
#include "ui/app_window.hpp"

#include <imgui_internal.h>  // ImGui::ClosePopupToLevel (Escape closes the menus), ImTextCharFromUtf8

#include "core/utf8.hpp"

namespace kepumap::ui {

void App::collect_typed_glyphs() {
  // The font holds only the glyphs of the texts the app knows of (UI strings, data, log): a
  // character typed (an IME's Chinese) or pasted into a text field that it lacks is added and
  // the font rebuilt, so typed text never shows as "?" beyond the frame it was typed in.
  ImGuiIO& io = ImGui::GetIO();
  if (io.Fonts->Fonts.empty()) return;
  const ImFont* font = io.Fonts->Fonts[0];
  auto take = [&](unsigned int c) {
    if (c < 0x80 || c > 0xFFFF || font->FindGlyphNoFallback(static_cast<ImWchar>(c))) return;
    if (m_extra_glyphs.size() > (1u << 20)) return;  // a runaway paste: the atlas stays bounded
    core::append_utf8(m_extra_glyphs, c);
    m_fonts_dirty = true;
  };
  for (const ImWchar c : io.InputQueueCharacters) take(c);
  // Ctrl+V into a text field: the clipboard's characters. Ctrl as ImGui saw it: asking GLFW here
  // would take a sticky Ctrl press that the shortcuts read later in the frame (a quick Ctrl+Q).
  const bool ctrl = io.KeyCtrl;
  const bool v_now = glfwGetKey(m_win, GLFW_KEY_V) == GLFW_PRESS;
  if (ctrl && v_now && !m_v_was && io.WantTextInput)
    if (const char* clip = glfwGetClipboardString(m_win)) add_text_glyphs(clip);
  m_v_was = v_now;
}

void App::add_text_glyphs(const std::string& text) {
  ImGuiIO& io = ImGui::GetIO();
  const ImFont* font = io.Fonts->Fonts.empty() ? nullptr : io.Fonts->Fonts[0];
  for (const char* p = text.c_str(); *p;) {
    unsigned int c = 0;
    const int n = ImTextCharFromUtf8(&c, p, nullptr);
    if (n <= 0) break;
    p += n;
    if (c < 0x80 || c > 0xFFFF || (font && font->FindGlyphNoFallback(static_cast<ImWchar>(c)))) continue;
    if (m_extra_glyphs.size() > (1u << 20)) return;
    core::append_utf8(m_extra_glyphs, c);
    m_fonts_dirty = true;
  }
}

void App::fit_layer(const std::string& name) {
  core::BBox b;
  for (const auto& l : doc().layers)
    if (name == "all" || l.name == name) b.add(l.is_raster ? l.raster.extent() : l.geom.bbox());
  if (b.empty()) return;
  if (!m_layout.ready()) {  // before the first frame: again once the panels are laid out
    m_view.fit(b);
    m_fit_pending = name;
    m_fit_pending_view = m_view;
    return;
  }
  // into the map area that is seen: below the menu bar, above the status bar, between the columns
  const PanelRect a = m_layout.map_area();
  constexpr double margin = 20.0;
  const double w = std::max(1.0, a.w - 2 * margin), h = std::max(1.0, a.h - 2 * margin);
  m_view.m_per_px = std::max({b.width() / w, b.height() / h, 0.05});
  const double cx = a.x + a.w * 0.5, cy = a.y + a.h * 0.5;
  m_view.center = {b.center().x - (cx - m_view.width_px * 0.5) * m_view.m_per_px,
                   b.center().y + (cy - m_view.height_px * 0.5) * m_view.m_per_px};
}

void App::escape_key() {
  // ImGui's key state (the GLFW backend's key callback, or a script's `key escape`), and GLFW's
  // sticky key state for a press and release quicker than a frame, which ImGui 1.86 misses
  const bool glfw_down = glfwGetKey(m_win, GLFW_KEY_ESCAPE) == GLFW_PRESS;
  const bool glfw_pressed = glfw_down && !m_escape_was;
  m_escape_was = glfw_down;
  if (!ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false) && !glfw_pressed) return;
  ImGuiContext& g = *ImGui::GetCurrentContext();
  if (g.OpenPopupStack.Size > 0) {  // a menu, a popup or a modal prompt
    if (m_show_unsaved) {           // the unsaved-changes prompt: as 取消
      m_show_unsaved = false;
      m_pending = Pending::None;
    }
    m_offer_open.clear();
    ImGui::ClosePopupToLevel(0, true);
    return;
  }
  if (ImGui::GetIO().WantTextInput) return;  // Escape leaves the text field first
  if (m_project_dialog != ProjectDialog::None)
    m_project_dialog = ProjectDialog::None;
  else if (m_show_file_dialog)
    m_show_file_dialog = false;
}

render::Selection App::pick(core::Vec2 px) const {
  core::Vec2 m = m_view.to_map(px);
  for (auto it = m_order.rbegin(); it != m_order.rend(); ++it) {
    std::size_t li = *it;
    const core::Layer& L = doc().layers[li];
    const LayerUi& ui = m_layers[li];
    if (!ui.visible || L.is_raster) continue;
    const core::Geometries& g = L.geom;
    if (g.kind == core::GeomKind::Polygon) {
      for (std::size_t f = g.feature_count(); f-- > 0;)
        if (ui.bbox[f].contains(m) && core::feature_contains(g, static_cast<core::FeatureId>(f), m))
          return {li, f};
    } else {
      double tol = (g.kind == core::GeomKind::Point ? ui.style.symbol_size_px * 0.5 + 3
                                                    : ui.style.line_width_px * 0.5 + 4) *
                   m_view.m_per_px;
      double best = tol;
      std::size_t best_f = SIZE_MAX;
      for (std::size_t f = 0; f < g.feature_count(); ++f) {
        const core::BBox& b = ui.bbox[f];
        if (b.empty() || m.x < b.min_x - tol || m.x > b.max_x + tol || m.y < b.min_y - tol ||
            m.y > b.max_y + tol)
          continue;
        double d = distance_to_feature(g, f, m);
        if (d <= best) {
          best = d;
          best_f = f;
        }
      }
      if (best_f != SIZE_MAX) return {li, best_f};
    }
  }
  return {};
}

core::Vec2 App::cursor_px() const {
  int fw = 0, fh = 0, ww = 0, wh = 0;
  fb_size(fw, fh);
  glfwGetWindowSize(m_win, &ww, &wh);
  double cx = 0, cy = 0;
  glfwGetCursorPos(m_win, &cx, &cy);
  return {ww > 0 ? cx * fw / ww : cx, wh > 0 ? cy * fh / wh : cy};
}

// GLFW's glfwGetCursorPos asks the X server for the pointer now; the cursor callback gives the
// position of each motion event in order, which is where a later button or wheel event happened.
void App::on_cursor(GLFWwindow* w, double x, double y) {
  auto* app = static_cast<App*>(glfwGetWindowUserPointer(w));
  if (!app) return;
  int fw = 0, fh = 0, ww = 0, wh = 0;
  glfwGetFramebufferSize(w, &fw, &fh);
  glfwGetWindowSize(w, &ww, &wh);
  app->m_event_cursor = {ww > 0 ? x * fw / ww : x, wh > 0 ? y * fh / wh : y};
  app->m_event_cursor_known = true;
}

void App::on_mouse_button(GLFWwindow* w, int button, int action, int /*mods*/) {
  auto* app = static_cast<App*>(glfwGetWindowUserPointer(w));
  if (!app || button != GLFW_MOUSE_BUTTON_LEFT) return;
  core::Vec2 at = app->m_event_cursor_known ? app->m_event_cursor : app->cursor_px();
  app->m_events.push_back({action == GLFW_PRESS ? InputEvent::Press : InputEvent::Release, at, 0});
}

void App::on_scroll(GLFWwindow* w, double /*dx*/, double dy) {
  auto* app = static_cast<App*>(glfwGetWindowUserPointer(w));
  if (!app) return;
  core::Vec2 at = app->m_event_cursor_known ? app->m_event_cursor : app->cursor_px();
  app->m_events.push_back({InputEvent::Scroll, at, dy});
}

bool App::over_ui(core::Vec2 p) const {
  if (ImGui::IsAnyItemActive() || ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId)) return true;
  if (p.y < ImGui::GetFrameHeight()) return true;  // menu bar
  for (const auto& b : m_prev_panel_rects)
    if (b.contains(p)) return true;
  return false;
}

void App::handle_mouse() {
  // Button and wheel events are queued by the GLFW callbacks with the cursor position at the
  // time of the event, so a quick press-drag-release between two frames pans exactly.
  int fw = 0, fh = 0;
  fb_size(fw, fh);
  core::Vec2 p = m_event_cursor_known ? m_event_cursor : cursor_px();
  AnalysisHost ah = analysis_host();
  for (const auto& e : m_events) {
    if (e.kind != InputEvent::Scroll &&
        m_analysis.mouse_event(ah, e.kind == InputEvent::Press ? 0 : 1, e.pos, !over_ui(e.pos)))
      continue;  // an edit mode took it (facility drag or add)
    if (e.kind != InputEvent::Scroll &&
        m_caravan.mouse_event(ah, e.kind == InputEvent::Press ? 0 : 1, e.pos, !over_ui(e.pos)))
      continue;  // a caravan stop dragged to another tour
    if (e.kind == InputEvent::Press && !over_ui(e.pos)) {
      m_dragging = true;
      m_drag_last = e.pos;
      m_press_pos = e.pos;
    } else if (e.kind == InputEvent::Release && m_dragging) {
      m_view.pan(e.pos.x - m_drag_last.x, e.pos.y - m_drag_last.y);
      m_dragging = false;
      if (std::hypot(e.pos.x - m_press_pos.x, e.pos.y - m_press_pos.y) < 3) {
        if (m_measuring)
          m_measure_pts.push_back(m_view.to_map(e.pos));  // a click adds a measured point
        else
          m_sel = pick(e.pos);
      }
    } else if (e.kind == InputEvent::Scroll && !over_ui(e.pos)) {
      m_view.zoom_at(std::pow(1.2, e.amount), e.pos);
    }
  }
  m_events.clear();
  m_analysis.mouse_at(ah, p);
  m_caravan.mouse_at(p);
  if (m_dragging) {
    m_view.pan(p.x - m_drag_last.x, p.y - m_drag_last.y);
    m_drag_last = p;
  }
  m_mouse_valid = (m_dragging || !over_ui(p)) && p.x >= 0 && p.y >= 0 && p.x < fw && p.y < fh;
  if (m_mouse_valid) m_mouse = p;
  m_hover = m_mouse_valid && !m_dragging ? pick(m_mouse) : render::Selection{};
}

}  // namespace kepumap::ui
