#pragma once
// Where the panels go. Each panel has a home side: the left column (layers and the small tools),
// the right column (inspector, legend, the analysis panels), the bottom strip between the columns
// (attribute table, log, the township table) or floating in the middle (dialogs). A side's open
// panels are stacked in the order they were opened without overlapping; a panel the user moves
// or resizes by hand stays where it was put (kept inside the window). Window pixels throughout:
// origin top left, y down (ImGui's coordinates).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace kepumap::ui {

enum class Side { Left, Right, Bottom, Float };

/// A rectangle in window pixels.
struct PanelRect {
  float x = 0, y = 0, w = 0, h = 0;
  float right() const { return x + w; }
  float bottom() const { return y + h; }
};

/// One panel of a column: its preferred size in pixels (`h` 0: takes what is left).
struct ColumnItem {
  float w = 0, h = 0;
};

/// Smallest height a stacked panel is shrunk to (title bar and a few rows), pixels.
inline constexpr float k_min_panel_h = 110.0f;
/// Space between panels and from the window's edges, pixels.
inline constexpr float k_panel_gap = 4.0f;

/// The rectangles of `items` stacked top to bottom in a column `width` pixels wide from `x`,
/// between `top` and `bottom`: preferred heights when they fit, else shrunk in proportion down to
/// k_min_panel_h; the panels that fit not even so go to further columns next to it, inwards
/// (`inward` -1: to the left, +1: to the right), at most `max_columns` (the last one then shrinks
/// its panels below the minimum). Same input, same output.
std::vector<PanelRect> stack_column(const std::vector<ColumnItem>& items, float x, float width, float top,
                                    float bottom, int inward, int max_columns = 8);

/// `r` moved (and shrunk if it is bigger) so it lies inside the box (x0, y0)-(x1, y1).
PanelRect keep_inside(PanelRect r, float x0, float y0, float x1, float y1);

/// An imgui.ini text with every window's Pos and Size kept inside a `width` x `height` window
/// below `top` pixels (the menu bar); "" when the window is too small to judge (minimised), so
/// nothing is written.
std::string sanitize_ini(const std::string& ini, float width, float height, float top);

/// The panel layout of one app window. Per frame: begin_frame, then for each panel place()
/// before its ImGui::Begin and drawn() after it, then end_frame.
class PanelLayout {
 public:
  /// The window's size and the heights of the menu bar (`top`) and the status bar (`bottom`).
  void begin_frame(float width, float height, float top, float bottom);
  /// Before ImGui::Begin of panel `key`: sets its position and size (its side's slot, or kept
  /// inside the window when it was moved by hand or floats).
  void place(const std::string& key, Side side, float pref_w, float pref_h);
  /// After ImGui::Begin: the panel's rectangle as drawn; one that differs from its slot without
  /// place() having moved it was moved or resized by the user, and stays where it is.
  void drawn(const std::string& key);
  /// Panels not drawn this frame have closed: their side is laid out again.
  void end_frame();
  /// The map area not under the menu bar, the status bar, the side columns or the bottom strip
  /// (the whole area between the bars when the columns leave less than a third of the width).
  PanelRect map_area() const;
  /// A frame has been laid out (map_area() means something).
  bool ready() const { return m_frames > 0; }
  /// Every panel goes back to its side (the 重置面板布局 menu item).
  void reset();
  /// The panels moved by hand, comma-separated (settings.ini `layout.free`), and back.
  std::string free_keys() const;
  void set_free_keys(const std::string& keys);
  /// Whether panel `key` was moved by hand.
  bool is_free(const std::string& key) const;

 private:
  struct Slot {
    Side side = Side::Float;
    float pref_w = 300, pref_h = 0;
    std::uint64_t opened = 0;  // when it was opened (stacking order)
    bool open_prev = false, open_now = false;
    bool free = false;      // moved or resized by hand
    bool set_now = false;   // place() set its rectangle this frame
    bool has_rect = false;  // `rect` is the last drawn rectangle
    PanelRect assigned;     // the slot given last
    bool has_assigned = false;
    PanelRect rect;
    bool has_want = false;  // moved with the window's edges (begin_frame), not yet set
    PanelRect want;
  };
  void lay_out();
  PanelRect content() const;  // between the menu and status bars
  std::map<std::string, Slot> m_slots;
  std::map<std::string, PanelRect> m_targets;
  PanelRect m_map;
  float m_w = 0, m_h = 0, m_top = 0, m_bottom = 0;
  float m_prev_w = 0, m_prev_h = 0;
  std::uint64_t m_seq = 0;
  int m_frames = 0;
  bool m_dirty = true;
};

}  // namespace kepumap::ui
