#include "ui/layout.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace kepumap::ui {

namespace {

bool differs(const PanelRect& a, const PanelRect& b) {
  return std::abs(a.x - b.x) > 0.5f || std::abs(a.y - b.y) > 0.5f || std::abs(a.w - b.w) > 0.5f ||
         std::abs(a.h - b.h) > 0.5f;
}

void set_next(const PanelRect& r) {
  ImGui::SetNextWindowPos({r.x, r.y}, ImGuiCond_Always);
  ImGui::SetNextWindowSize({r.w, r.h}, ImGuiCond_Always);
}

/// One column's panels (all fit at k_min_panel_h or more), heights summing to what is there.
void stack_one(const std::vector<ColumnItem>& items, std::size_t from, std::size_t to, float x, float width,
               float top, float bottom, std::vector<PanelRect>& out) {
  const std::size_t k = to - from;
  const float avail = std::max(0.0f, bottom - top - k_panel_gap * static_cast<float>(k + 1));
  std::vector<float> h(k);
  float fixed = 0;
  std::size_t stretch = 0;
  for (std::size_t i = 0; i < k; ++i) {
    if (items[from + i].h > 0)
      fixed += std::max(k_min_panel_h, items[from + i].h);
    else
      ++stretch;
  }
  if (fixed + static_cast<float>(stretch) * k_min_panel_h <= avail) {
    // preferred heights; the stretching panels share what is left
    const float share = stretch ? (avail - fixed) / static_cast<float>(stretch) : 0;
    for (std::size_t i = 0; i < k; ++i)
      h[i] = items[from + i].h > 0 ? std::max(k_min_panel_h, items[from + i].h) : share;
  } else {
    // shrunk in proportion to what each is above the minimum (a stretching panel, the legend or
    // the caravan panel, counts as three times the minimum)
    float sum = 0;
    for (std::size_t i = 0; i < k; ++i) {
      h[i] = items[from + i].h > 0 ? std::max(k_min_panel_h, items[from + i].h) : 3 * k_min_panel_h;
      sum += h[i];
    }
    const float base = k_min_panel_h * static_cast<float>(k);
    const float scale = sum > base ? std::max(0.0f, avail - base) / (sum - base) : 0;
    for (std::size_t i = 0; i < k; ++i)
      h[i] = avail < base ? avail / static_cast<float>(k) : k_min_panel_h + (h[i] - k_min_panel_h) * scale;
  }
  float y = top + k_panel_gap;
  for (std::size_t i = 0; i < k; ++i) {
    out.push_back({x, y, width, h[i]});
    y += h[i] + k_panel_gap;
  }
}

}  // namespace

std::vector<PanelRect> stack_column(const std::vector<ColumnItem>& items, float x, float width, float top,
                                    float bottom, int inward, int max_columns) {
  std::vector<PanelRect> out;
  if (items.empty()) return out;
  const float room = bottom - top - k_panel_gap;
  const auto per_column =
      std::max<std::size_t>(1, static_cast<std::size_t>(std::floor(room / (k_min_panel_h + k_panel_gap))));
  const auto columns = static_cast<std::size_t>(std::max(1, max_columns));
  for (std::size_t from = 0, c = 0; from < items.size(); from += per_column, ++c) {
    // the last column allowed takes every panel left
    const std::size_t to = c + 1 >= columns ? items.size() : std::min(items.size(), from + per_column);
    const float cx = x + static_cast<float>(inward) * static_cast<float>(c) * (width + k_panel_gap);
    stack_one(items, from, to, cx, width, top, bottom, out);
    if (to == items.size()) break;
  }
  return out;
}

PanelRect keep_inside(PanelRect r, float x0, float y0, float x1, float y1) {
  r.w = std::min(r.w, std::max(1.0f, x1 - x0));
  r.h = std::min(r.h, std::max(1.0f, y1 - y0));
  r.x = std::clamp(r.x, x0, std::max(x0, x1 - r.w));
  r.y = std::clamp(r.y, y0, std::max(y0, y1 - r.h));
  return r;
}

std::string sanitize_ini(const std::string& ini, float width, float height, float top) {
  if (width < 200 || height < 150) return {};
  std::istringstream in(ini);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  // each [Window][...] section: its Pos and Size lines rewritten kept inside
  for (std::size_t s = 0; s < lines.size(); ++s) {
    if (lines[s].rfind("[Window][", 0) != 0) continue;
    std::size_t pos_line = SIZE_MAX, size_line = SIZE_MAX;
    std::size_t e = s + 1;
    for (; e < lines.size() && (lines[e].empty() || lines[e][0] != '['); ++e) {
      if (lines[e].rfind("Pos=", 0) == 0) pos_line = e;
      if (lines[e].rfind("Size=", 0) == 0) size_line = e;
    }
    int x = 0, y = 0, w = 0, h = 0;
    if (pos_line == SIZE_MAX || std::sscanf(lines[pos_line].c_str(), "Pos=%d,%d", &x, &y) != 2) continue;
    if (size_line == SIZE_MAX || std::sscanf(lines[size_line].c_str(), "Size=%d,%d", &w, &h) != 2) w = h = 32;
    const PanelRect r = keep_inside(
        {static_cast<float>(x), static_cast<float>(y), static_cast<float>(w), static_cast<float>(h)}, 0, top,
        width, height);
    lines[pos_line] =
        "Pos=" + std::to_string(static_cast<int>(r.x)) + "," + std::to_string(static_cast<int>(r.y));
    if (size_line != SIZE_MAX)
      lines[size_line] =
          "Size=" + std::to_string(static_cast<int>(r.w)) + "," + std::to_string(static_cast<int>(r.h));
    s = e - 1;
  }
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

PanelRect PanelLayout::content() const { return {0, m_top, m_w, std::max(1.0f, m_h - m_top - m_bottom)}; }

void PanelLayout::begin_frame(float width, float height, float top, float bottom) {
  if (m_prev_w > 0 && (width != m_prev_w || height != m_prev_h)) {
    // the window changed size: panels moved by hand keep their distance to the nearer edges
    for (auto& [key, s] : m_slots) {
      if (!s.has_rect || (!s.free && s.side != Side::Float)) continue;
      if (!s.has_want) s.want = s.rect;
      if (s.want.x + s.want.w * 0.5f > m_prev_w * 0.5f) s.want.x += width - m_prev_w;
      if (s.want.y + s.want.h * 0.5f > m_prev_h * 0.5f) s.want.y += height - m_prev_h;
      s.has_want = true;
    }
    m_dirty = true;
  }
  if (top != m_top || bottom != m_bottom) m_dirty = true;
  m_w = width;
  m_h = height;
  m_top = top;
  m_bottom = bottom;
  m_prev_w = width;
  m_prev_h = height;
  if (m_dirty) lay_out();
}

void PanelLayout::place(const std::string& key, Side side, float pref_w, float pref_h) {
  Slot& s = m_slots[key];
  s.side = side;
  s.pref_w = pref_w;
  s.pref_h = pref_h;
  if (!s.open_prev && !s.open_now) {
    s.opened = ++m_seq;
    m_dirty = true;
  }
  s.open_now = true;
  if (m_dirty) lay_out();
  const PanelRect c = content();
  if (s.free || side == Side::Float) {
    if (!s.has_rect) {
      if (side == Side::Float) {  // the first time: in the middle (imgui.ini may know better)
        ImGui::SetNextWindowPos({c.x + c.w * 0.5f, c.y + c.h * 0.5f}, ImGuiCond_FirstUseEver, {0.5f, 0.5f});
        ImGui::SetNextWindowSize({std::min(pref_w, c.w), std::min(pref_h > 0 ? pref_h : 300.0f, c.h)},
                                 ImGuiCond_FirstUseEver);
      }
      return;
    }
    const PanelRect r = keep_inside(s.has_want ? s.want : s.rect, c.x, c.y, c.right(), c.bottom());
    s.has_want = false;
    if (differs(r, s.rect) || !s.open_prev) {
      set_next(r);
      s.rect = r;
    }
    return;
  }
  const auto t = m_targets.find(key);
  if (t == m_targets.end()) return;
  if (!s.open_prev || !s.has_assigned || differs(t->second, s.assigned)) {
    set_next(t->second);
    s.assigned = t->second;
    s.has_assigned = true;
    s.set_now = true;
  }
}

void PanelLayout::drawn(const std::string& key) {
  auto it = m_slots.find(key);
  if (it == m_slots.end()) return;  // not a laid-out panel (a menu, the status bar)
  Slot& s = it->second;
  const ImVec2 p = ImGui::GetWindowPos(), z = ImGui::GetWindowSize();
  s.rect = {p.x, p.y, z.x, z.y};
  s.has_rect = true;
  if (s.free || s.side == Side::Float) return;
  if (s.set_now)
    s.assigned = s.rect;  // as ImGui made it (its minimum size)
  else if (s.has_assigned && differs(s.rect, s.assigned)) {
    s.free = true;  // moved or resized by hand: it stays there
    m_dirty = true;
  }
  s.set_now = false;
}

void PanelLayout::end_frame() {
  for (auto& [key, s] : m_slots) {
    if (s.open_prev != s.open_now) m_dirty = true;
    s.open_prev = s.open_now;
    s.open_now = false;
    s.set_now = false;
  }
  if (m_dirty) lay_out();
  ++m_frames;
}

void PanelLayout::lay_out() {
  m_dirty = false;
  m_targets.clear();
  const PanelRect c = content();
  std::vector<std::pair<std::uint64_t, std::string>> by_side[3];
  float pref_w[3] = {0, 0, 0}, pref_h[3] = {0, 0, 0};
  for (const auto& [key, s] : m_slots) {
    if (!(s.open_prev || s.open_now) || s.free || s.side == Side::Float) continue;
    const int k = static_cast<int>(s.side);
    by_side[k].push_back({s.opened, key});
    pref_w[k] = std::max(pref_w[k], s.pref_w);
    pref_h[k] = std::max(pref_h[k], s.pref_h);
  }
  const float max_w = std::max(200.0f, 0.32f * m_w);
  auto sorted_keys = [&](int k) {
    auto v = by_side[k];
    std::sort(v.begin(), v.end());
    std::vector<std::string> keys;
    for (const auto& sk : v) keys.push_back(sk.second);
    return keys;
  };
  // one side's column(s): their rectangles into m_targets, the edge towards the map
  // (`room`: the width they may take, so the two sides' columns never meet)
  auto column = [&](const std::vector<std::string>& keys, bool left, float width, float room) {
    float edge = left ? 0 : m_w;
    if (keys.empty()) return edge;
    std::vector<ColumnItem> items;
    for (const auto& key : keys) items.push_back({m_slots[key].pref_w, m_slots[key].pref_h});
    const float w = std::clamp(width, 200.0f, max_w);
    const int most = std::max(1, static_cast<int>(std::floor((room - k_panel_gap) / (w + k_panel_gap))));
    const auto rects = stack_column(items, left ? k_panel_gap : m_w - k_panel_gap - w, w, c.y, c.bottom(),
                                    left ? 1 : -1, most);
    for (std::size_t i = 0; i < rects.size(); ++i) {
      m_targets[keys[i]] = rects[i];
      edge = left ? std::max(edge, rects[i].right()) : std::min(edge, rects[i].x);
    }
    return edge;
  };
  const int L = static_cast<int>(Side::Left), R = static_cast<int>(Side::Right),
            B = static_cast<int>(Side::Bottom);
  std::vector<std::string> left_keys = sorted_keys(L), bottom = sorted_keys(B);
  // the right side may take what one left column leaves; the left side what the right leaves
  const float left_w =
      left_keys.empty() && bottom.empty() ? 0 : std::clamp(std::max(pref_w[L], 300.0f), 200.0f, max_w);
  const float right_edge = column(sorted_keys(R), false, pref_w[R], m_w - left_w - k_panel_gap);
  float left_edge = column(left_keys, true, pref_w[L], right_edge);
  float map_bottom = c.bottom();
  if (!bottom.empty() && right_edge - left_edge - 2 * k_panel_gap < 300) {
    // no room for the bottom strip between the columns: those panels join the left column
    left_keys.insert(left_keys.end(), bottom.begin(), bottom.end());
    left_edge = column(left_keys, true, std::max(pref_w[L], 300.0f), right_edge);
    bottom.clear();
  }
  if (!bottom.empty()) {
    const float x0 = left_edge + k_panel_gap, x1 = right_edge - k_panel_gap;
    const float h = std::clamp(pref_h[B], 120.0f, 0.4f * c.h);
    const float n = static_cast<float>(bottom.size());
    const float w = (x1 - x0 - k_panel_gap * (n - 1)) / n;
    const float y = c.bottom() - k_panel_gap - h;
    for (std::size_t i = 0; i < bottom.size(); ++i)
      m_targets[bottom[i]] = {x0 + static_cast<float>(i) * (w + k_panel_gap), y, w, h};
    map_bottom = y;
  }
  m_map = {left_edge, c.y, right_edge - left_edge, map_bottom - c.y};
  if (m_map.w < m_w / 3) {  // the columns leave too little: the whole width
    m_map.x = 0;
    m_map.w = m_w;
  }
  if (m_map.h < c.h / 3) {
    m_map.y = c.y;
    m_map.h = c.h;
  }
}

PanelRect PanelLayout::map_area() const { return m_map; }

void PanelLayout::reset() {
  for (auto& [key, s] : m_slots) {
    s.free = false;
    s.has_assigned = false;
  }
  m_dirty = true;
}

std::string PanelLayout::free_keys() const {
  std::string out;
  for (const auto& [key, s] : m_slots)
    if (s.free) out += (out.empty() ? "" : ",") + key;
  return out;
}

void PanelLayout::set_free_keys(const std::string& keys) {
  std::istringstream in(keys);
  for (std::string k; std::getline(in, k, ',');)
    if (!k.empty()) m_slots[k].free = true;
  m_dirty = true;
}

bool PanelLayout::is_free(const std::string& key) const {
  auto it = m_slots.find(key);
  return it != m_slots.end() && it->second.free;
}

}  // namespace kepumap::ui
