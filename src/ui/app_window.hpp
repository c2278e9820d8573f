#pragma once
// Internal to the app (app*.cpp): the App class, one per run, and the small helpers its
// files share. Not included anywhere else.
#include "ui/app.hpp"

#include <GLFW/glfw3.h>
#include <glad/gl.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "analysis/travel_project.hpp"
#include "core/json.hpp"
#include "core/labels.hpp"
#include "core/style.hpp"
#include "geo/crs.hpp"
#include "io/project.hpp"
#include "io/raster_io.hpp"
#include "io/vector_reader.hpp"
#include "render/canvas.hpp"
#include "render/map_renderer.hpp"
#include "render/symbology.hpp"
#include "session/save_project.hpp"
#include "session/session.hpp"
#include "session/tasks.hpp"
#include "ui/basemap_view.hpp"
#include "ui/i18n.hpp"
#include "ui/layout.hpp"
#include "ui/panel_analysis.hpp"
#include "ui/panel_caravan.hpp"
#include "ui/panel_siting.hpp"
#include "ui/png.hpp"
#include "ui/script.hpp"
#include "ui/settings.hpp"
#include "ui/ui_cache.hpp"
#include "ui/ui_layer.hpp"

#ifndef KEPUMAP_STYLES_DIR
#define KEPUMAP_STYLES_DIR "styles"
#endif

namespace kepumap::ui {

namespace fs = std::filesystem;

namespace app_detail {

inline constexpr const char* k_font_path = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
inline constexpr const char* k_bold_font_path = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc";
inline constexpr float k_label_font_px = 18.0f;
inline constexpr int k_font_sc_index = 2;  // Simplified Chinese face inside the collection
inline constexpr float k_font_px = 16.0f;

inline ImU32 to_imu32(core::Rgba c, float alpha_scale = 1.0f) {
  auto q = [](float v) { return static_cast<int>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f)); };
  return IM_COL32(q(c.r), q(c.g), q(c.b), q(c.a * alpha_scale));
}

inline std::string format_distance(double m) {
  char buf[64];
  if (m >= 1000)
    std::snprintf(buf, sizeof buf, "%g %s", m / 1000.0, tr("km"));
  else
    std::snprintf(buf, sizeof buf, "%g %s", m, tr("m"));
  return buf;
}

inline std::string format_number(double v) {
  char buf[64];
  if (std::abs(v) >= 1e6 || (std::abs(v) < 1e-3 && v != 0))
    std::snprintf(buf, sizeof buf, "%.4g", v);
  else if (v == std::floor(v))
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else
    std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

/// 1473000 -> "1,473,000".
inline std::string group_thousands(double v) {
  std::string digits = std::to_string(static_cast<long long>(std::llround(v)));
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

/// Draws a point symbol with ImGui shapes (legend swatches), centre c, size s pixels.
inline void draw_symbol(ImDrawList* dl, ImVec2 c, float s, core::Symbol sym, ImU32 fill, ImU32 line) {
  float r = s * 0.5f;
  switch (sym) {
    case core::Symbol::Square:
      dl->AddRectFilled({c.x - r * 0.85f, c.y - r * 0.85f}, {c.x + r * 0.85f, c.y + r * 0.85f}, fill);
      dl->AddRect({c.x - r * 0.85f, c.y - r * 0.85f}, {c.x + r * 0.85f, c.y + r * 0.85f}, line);
      break;
    case core::Symbol::Triangle:
      dl->AddTriangleFilled({c.x, c.y - r}, {c.x + r * 0.87f, c.y + r * 0.5f},
                            {c.x - r * 0.87f, c.y + r * 0.5f}, fill);
      dl->AddTriangle({c.x, c.y - r}, {c.x + r * 0.87f, c.y + r * 0.5f}, {c.x - r * 0.87f, c.y + r * 0.5f},
                      line);
      break;
    case core::Symbol::Diamond:
      dl->AddQuadFilled({c.x, c.y - r}, {c.x + r, c.y}, {c.x, c.y + r}, {c.x - r, c.y}, fill);
      dl->AddQuad({c.x, c.y - r}, {c.x + r, c.y}, {c.x, c.y + r}, {c.x - r, c.y}, line);
      break;
    case core::Symbol::Star: {
      ImVec2 pts[10];
      for (int i = 0; i < 10; ++i) {
        float a = -1.5707963f + static_cast<float>(i) * 0.6283185f;
        float rr = (i % 2 == 0) ? r : r * 0.45f;
        pts[i] = {c.x + rr * std::cos(a), c.y + rr * std::sin(a)};
      }
      for (int i = 0; i < 10; i += 2)
        dl->AddTriangleFilled(c, pts[i], pts[(i + 1) % 10], fill),
            dl->AddTriangleFilled(c, pts[i], pts[(i + 9) % 10], fill);
      dl->AddPolyline(pts, 10, line, ImDrawFlags_Closed, 1.0f);
      break;
    }
    case core::Symbol::Cross:
      dl->AddRectFilled({c.x - r, c.y - r * 0.3f}, {c.x + r, c.y + r * 0.3f}, fill);
      dl->AddRectFilled({c.x - r * 0.3f, c.y - r}, {c.x + r * 0.3f, c.y + r}, fill);
      break;
    case core::Symbol::Circle:
    default:
      dl->AddCircleFilled(c, r, fill, 20);
      dl->AddCircle(c, r, line, 20);
      break;
  }
}

/// The entries of a file dialog's folder: sub-folders first, then files whose lower-case
/// extension is in `exts` (an empty set: folders only), hidden names left out (app_files.cpp).
std::vector<std::filesystem::directory_entry> list_dialog_folder(const std::filesystem::path& dir,
                                                                 const std::set<std::string>& exts);

}  // namespace app_detail

using namespace app_detail;

/// Where layer `L`'s units are in the session's evaluation (the level, finest first), -1 if it
/// holds no units or there are no figures (app_table.cpp).
int unit_level(const session::Session& s, const core::Layer& L);

class App {
 public:
  explicit App(AppOptions o) : m_opt(std::move(o)) {
    m_session.use_tasks(&m_tasks);  // drag steps run as tasks (the session is destroyed after the tasks)
  }
  ~App();
  int run();

 private:
  AppOptions m_opt;
  GLFWwindow* m_win = nullptr;
  bool m_imgui = false;
  // The one session (document revisions, edits, evaluation) and the one task manager. The tasks
  // are declared before the panels so they are destroyed after them (their completions may
  // refer to panels: none runs once the manager is gone).
  session::Session m_session{std::make_shared<const core::Document>()};
  session::TaskManager m_tasks;
  BasemapView m_basemaps;  // under the layers (ui/basemap_view.hpp); after m_tasks: gone before it
  BasemapHost basemap_host() {
    return {doc(), m_style, m_view, m_tasks, m_log, m_panel_rects, m_panel_names, m_layout.map_area()};
  }
  std::vector<std::string> m_log;  // problems and results, one line each (status bar, state dump)
  std::size_t m_log_shown = 0;     // lines already copied to stderr
  std::size_t m_log_seen = 0;      // lines before the last status message
  std::size_t m_log_glyphs = 0;    // log lines whose glyphs the font has
  bool m_show_log = false;         // 日志 window
  void draw_log();
  bool m_want_figures = false;      // a panel asked for the evaluation this frame
  std::uint64_t m_ui_revision = 0;  // the revision m_layers and the renderer show
  session::Key m_failed;            // the (revision, scenario) whose evaluation failed (not retried)
  std::string m_eval_error;
  // The revision the layer list, the renderer and the panels show this frame (kept alive while
  // the session moves on; sync_layers() catches up).
  std::shared_ptr<const core::Document> m_ui_doc = m_session.document();
  const core::Document& doc() const { return *m_ui_doc; }
  core::Style m_style;
  std::vector<fs::path> m_style_files;
  std::vector<std::pair<std::string, std::string>> m_style_names;  // 中文, English per file
  int m_style_index = -1;
  std::vector<LayerUi> m_layers;     // by document layer index
  std::vector<std::size_t> m_order;  // bottom first
  std::unique_ptr<render::MapRenderer> m_renderer;
  /// The cached map image the layers are drawn into (null when the GL context cannot: then
  /// the layers are drawn straight to the window every frame).
  std::unique_ptr<render::Canvas> m_canvas;
  std::unique_ptr<UiCache> m_ui_cache;  // the panels' drawing, kept between frames
  /// What the layers look like now, for the canvas (renderer generation, order, visibility).
  std::uint64_t canvas_content() const;
  /// Milliseconds of map drawing into the canvas per frame while a new image is rendered.
  static constexpr double k_canvas_budget_ms = 6.0;
  render::View m_view;
  /// The selection: features of one layer, m_sel the one clicked last (the inspector's) and
  /// m_sel_set all of them, ascending (m_sel.feature among them). app_select.cpp.
  render::Selection m_sel;
  std::vector<std::size_t> m_sel_set;
  render::Selection m_hover;
  /// Selects `s` alone (add = false: a click) or adds it to the selection / takes it out if it
  /// was in (add = true: Ctrl-click); an invalid `s` clears the selection unless adding.
  void select(render::Selection s, bool add = false);
  void clear_selection();
  void selection_changed();  ///< marks it for the table (m_sel_changed, m_sel_version)
  /// Selects the features of the topmost visible vector layer (the selection's layer when
  /// adding) that the map rectangle `r` touches; `add` keeps what was selected.
  void select_in_rect(const core::BBox& r, bool add);
  bool is_selected(std::size_t layer, std::size_t feature) const;
  /// Fits the view to the selected features' extent.
  void zoom_to_selection();
  /// The rubber band of a Shift-drag.
  void draw_select_rect();
  bool m_sel_changed = false;       ///< the selection changed since the table last showed it
  std::uint64_t m_sel_version = 0;  ///< counts every change of the selection
  bool m_rect_selecting = false;    ///< Shift-drag: a selection rectangle from m_press_pos
  std::unique_ptr<geo::Transform> m_to_lonlat;
  Settings m_settings;
  fs::path m_settings_file, m_imgui_ini;
  bool m_show_layers = true, m_show_inspector = true, m_show_legend = true, m_show_settings = false;
  bool m_show_file_dialog = false;
  bool m_scripted = false;
  bool m_fonts_dirty = true;
  /// Characters typed or pasted into text fields, and the script's text, that the font gains
  /// (app_input.cpp), as UTF-8.
  std::string m_extra_glyphs;
  bool m_v_was = false;                            // the V key's state last frame (Ctrl+V)
  bool m_ctrl_down = false, m_shift_down = false;  // read once a frame (sticky keys), app.cpp
  void collect_typed_glyphs();
  /// Adds the characters of `text` the font lacks to m_extra_glyphs (the font is rebuilt).
  void add_text_glyphs(const std::string& text);
  ImVector<ImWchar> m_glyph_ranges;
  ImFont* m_label_font = nullptr;  // bold, for map labels
  std::string m_status;
  // mouse
  core::Vec2 m_mouse{-1, -1};
  bool m_mouse_valid = false;
  bool m_dragging = false;
  core::Vec2 m_drag_last;
  core::Vec2 m_press_pos;
  // script
  std::vector<ScriptCommand> m_script;
  std::size_t m_script_pos = 0;
  int m_wait = 0;
  std::string m_pending_screenshot;
  // file dialog
  fs::path m_dialog_dir;
  std::string m_dialog_file;
  int m_dialog_role = static_cast<int>(core::Role::Other);
  std::string m_dialog_error;
  std::vector<std::string> m_dialog_layers;  // layers inside the chosen file (GeoPackage, ...)
  int m_dialog_layer = 0;
  // panel rectangles this frame (labels avoid them)
  std::vector<core::BBox> m_panel_rects;
  std::vector<std::string> m_panel_names;
  struct PlacedText {
    std::string text;
    core::BBox box;
  };
  std::vector<PlacedText> m_placed;
  // Map labels (app_labels.cpp): text sizes measured once per (font size, text); placement redone
  // only when what it depends on (view, window, panels, labelled layers, font) changes.
  struct LabelDraw {
    std::size_t layer, feature;
    float size;
    core::Rgba colour;
    core::Vec2 anchor;  ///< map point the label belongs to
    ImVec2 offset;      ///< the text's top left from the anchor, pixels
    ImVec2 box;         ///< the label's box (text and margin), pixels
  };
  ImVec2 label_text_size(ImFont* font, float size, const std::string& text);
  /// Places the labels for map view `pv` (the cached image's) avoiding `obstacles` (its pixels).
  void place_map_labels(ImFont* font, const render::View& pv, const std::vector<core::BBox>& obstacles);
  /// What the label placement for image view `pv` depends on (its cache key).
  std::vector<double> label_inputs(const render::View& pv, ImFont* font) const;
  /// The window's rectangles labels keep off (panels, the scale bar), in window pixels.
  std::vector<core::BBox> label_obstacles() const;
  /// What the canvas's over image shows (labels' inputs, the analysis overlays' look).
  std::uint64_t over_content();
  /// Draws band `band` (-1: all) of the over image of a map image for `pv` (the canvas calls it
  /// with that image's framebuffer bound, see render::Canvas::update): the analysis surfaces,
  /// isolines and failing units, caravan tours, the map labels (placed again when their inputs
  /// changed), the siting results.
  void draw_over(const render::View& pv, int band);
  /// The placed labels where they are in the window now (m_placed, for --dump-state).
  void collect_placed_labels();
  /// Fill (when `with_fill`), line, width, symbol and size of a layer of geometry `kind`: the
  /// widgets the layers panel and the properties window share. True when one changed.
  static bool style_widgets(core::LayerStyle& st, core::GeomKind kind, bool with_fill);
  std::unique_ptr<ImDrawList> m_over_list;  // the over image's draw list, reused
  std::size_t m_over_sites = 0;             // siting results drawn into the last over image
  std::vector<ImVec4> m_over_clips;         // its commands' clip rectangles as made
  std::map<float, std::unordered_map<std::string, ImVec2>> m_text_sizes;
  const ImFont* m_text_sizes_font = nullptr;
  std::vector<double> m_label_key;       // inputs of the last placement
  std::vector<LabelDraw> m_label_draws;  // the last placement
  std::uint64_t m_label_generation = 0;  // bumped when a layer's label texts are rebuilt
  std::uint64_t m_label_placements = 0;  // placements run so far (--dump-state)
  std::set<std::string> m_last_strings;
  int m_label_count = 0;
  AnalysisPanel m_analysis;  // coverage, what-if, targets, export (ui/panel_analysis.hpp)
  CaravanPanel m_caravan;    // caravan tours (ui/panel_caravan.hpp)
  SitingPanel m_siting;      // siting new sites (ui/panel_siting.hpp)
  AnalysisHost analysis_host() {
    AnalysisHost h{doc(),
                   *m_renderer,
                   m_layers,
                   m_view,
                   m_style,
                   m_opt.project,
                   m_panel_rects,
                   m_panel_names,
                   m_session,
                   m_tasks,
                   m_log,
                   m_want_figures,
                   [this](std::string& error) { return wait_figures(error); },
                   [this]() { start_evaluation(true); },
                   m_layout};
    h.basemaps = m_basemaps.specs();
    h.quiet_background = m_basemaps.quiet_shown();
    return h;
  }
  /// Starts the evaluation of the current revision when a panel wants figures and none is
  /// installed or running (`force`: also when installed, the 重新计算 button).
  void start_evaluation(bool force = false);
  /// Script runs: polls the tasks until the current revision's evaluation is installed.
  bool wait_figures(std::string& error);
  /// After the session's document changed (a layer added, removed, undone): the layer list and
  /// the renderer follow it, keeping each remaining layer's look.
  void sync_layers();
  /// One frame of the --bench-* benchmark (see AppOptions::bench_mode).
  void bench_step(int frame);  // app_bench.cpp
  /// The benchmark's frames: time, CPU time of all threads, the parts (UI built, map image
  /// steps, panels drawn into their texture, composited; glFinish between them) and what the
  /// map image did in each.
  struct BenchRecord {
    struct Work {
      const char* what = "";
      int steps = 0;
      double estimate_ms = 0;
    };
    std::vector<double> frame_ms, cpu_ms;
    std::vector<std::array<double, 4>> part_ms;
    std::vector<Work> work;
  };
  BenchRecord m_bench;
  /// Prints the bench_* lines (median, p99, parts, the slowest frames) of m_bench.
  void print_bench(int fw, int fh);
  static double process_cpu_ms();  ///< CPU time of the whole process, milliseconds
  core::Vec2 m_bench_drag_origin;
  std::vector<double> m_bench_step_ms;  // drag benchmark: the session's figure update per step
  std::uint64_t m_bench_serial = 0;     // the figures' serial at the last frame

  bool open_window();
  bool load_document();
  void setup_layers();
  void add_layer_ui(std::size_t i);
  void choose_style(int index);
  void rebuild_fonts();
  void load_settings_files();
  void save_all_settings();
  /// Adds a layer from a file (`source_layer`: the layer inside a multi-layer source, or empty).
  bool load_layer_file(const std::string& path, core::Role role, const std::string& source_layer,
                       std::string& error);
  void fit_layer(const std::string& name);
  /// Fits the view to `b` (map metres) in the map area between the panels.
  void fit_bbox(const core::BBox& b);
  render::Selection pick(core::Vec2 px) const;
  void handle_mouse();
  core::Vec2 cursor_px() const;  ///< cursor position, framebuffer pixels
  bool over_ui(core::Vec2 p) const;
  static void on_mouse_button(GLFWwindow* w, int button, int action, int mods);
  static void on_scroll(GLFWwindow* w, double dx, double dy);
  static void on_cursor(GLFWwindow* w, double x, double y);
  core::Vec2 m_event_cursor;
  bool m_event_cursor_known = false;
  struct InputEvent {
    enum Kind { Press, Release, Scroll } kind;
    core::Vec2 pos;
    double amount;
    int mods = 0;  ///< GLFW_MOD_SHIFT, GLFW_MOD_CONTROL, ... at the event
  };
  int m_press_mods = 0;  ///< the modifier keys at the last press on the map
  std::vector<InputEvent> m_events;
  std::vector<core::BBox> m_prev_panel_rects;  // panels of the previous frame (mouse hit test)
  bool step_script(int& exit_code);
  void draw_menu();
  void draw_layers_panel();
  void draw_inspector();
  void draw_legend();
  void draw_attribute_table();             // app_table.cpp
  bool m_show_table = false;               // 属性表
  std::size_t m_table_layer = SIZE_MAX;    // the layer it lists
  std::vector<std::size_t> m_table_order;  // feature order after sorting
  std::vector<std::size_t> m_table_rows;   // the rows shown: m_table_order through the filter
  std::string m_table_rows_key;            // what m_table_rows is of (layer, revision, filter, ...)
  std::uint64_t m_table_sorts = 0;         // counts the sorts of m_table_order
  char m_table_filter[256] = {};           // text in any cell, or "column op number"
  bool m_table_only_selected = false;
  char m_table_export[1024] = {};               // the file the selection is exported to (.csv or .xlsx)
  std::size_t m_table_export_layer = SIZE_MAX;  // the layer m_table_export was proposed for
  std::string m_table_export_msg;
  bool m_table_export_ok = false;
  /// Writes the selected rows (every row when nothing is selected) of the table's layer with the
  /// table's columns to `path` as CSV or XLSX (by its extension); false with `error`.
  bool export_table_selection(const std::string& path, std::string& error);
  void draw_search();  // 查找地点 (app_table.cpp)
  /// Fills m_search_hits with features whose name contains `query` (up to 50), or centres the
  /// map on "lon, lat"; m_search_message says what happened when there is nothing to list.
  void search_places(const std::string& query);
  /// Selects feature `s` and shows it (centred, zoomed to about its size).
  void go_to(render::Selection s);
  bool m_show_search = false;
  // 测量 Measure (app_table.cpp): clicks on the map add points while it is on
  void draw_measure();
  double measured_km() const;   ///< great-circle length of the measured line
  double measured_km2() const;  ///< area of the measured points as a closed polygon
  bool m_measuring = false;
  std::vector<core::Vec2> m_measure_pts;  ///< analysis CRS metres
  /// The travel time along the measured points (leg by leg through the travel-time engine of the
  /// figures shown), computed as a task when the points or the figures change.
  struct MeasureRoute {
    std::vector<core::Vec2> points;  ///< the points it is of
    session::Key key;                ///< and the figures
    double seconds = -1.0;           ///< < 0: none yet; +inf: a leg has no route
    std::vector<core::Vec2> path;    ///< the route, analysis CRS metres
    bool pending = false;
  };
  MeasureRoute m_route;
  /// Starts the route task when the measured points or the figures changed (app_table.cpp).
  void update_measure_route();
  char m_search_text[256] = {};
  std::vector<render::Selection> m_search_hits;
  std::string m_search_message;
  void draw_status_bar();
  void draw_file_dialog();
  /// The dialogs' typed path box: a folder typed goes there; a file typed becomes the chosen
  /// file (true).
  bool draw_path_box();
  char m_dialog_path[1024] = {};

  // --- projects: the 文件 menu (app_project.cpp) -------------------------------------------
  enum class ProjectDialog { None, Open, New, SaveAs };
  ProjectDialog m_project_dialog = ProjectDialog::None;
  /// What waits for the answer to the unsaved-changes prompt (or for a yes to "open it?").
  enum class Pending { None, Quit, Open, New, Close };
  Pending m_pending = Pending::None;
  fs::path m_pending_path;
  bool m_show_unsaved = false;            // the 保存 / 不保存 / 取消 prompt is up
  fs::path m_offer_open;                  // 新建项目 found a project.toml there: offer to open it
  bool m_quit_confirmed = false;          // the window may close (saved, or 不保存)
  bool m_s_was = false, m_o_was = false;  // S and O key state last frame (Ctrl+S, Ctrl+O)
  std::size_t m_remove_layer = SIZE_MAX;  // 移除图层 pressed for this layer (done after the list)
  // what was saved (or opened): the session's log and the layers' looks then
  std::size_t m_clean_edits = 0, m_clean_applied = 0;
  std::uint64_t m_clean_revision = 0;
  std::vector<session::LayerLook> m_clean_looks;
  void draw_file_menu();
  /// Opens one of the project dialogs (新建项目, 打开, 另存为) with empty fields.
  void open_project_dialog(ProjectDialog d);
  /// Ctrl+S saves the project (when it has changes), Ctrl+O opens the 打开 dialog; not while a
  /// text field has the keyboard.
  void file_shortcuts(bool ctrl);
  void draw_project_dialog();
  void draw_unsaved_prompt();
  /// Runs `what` now, or after the unsaved-changes prompt when the project has changes.
  void request(Pending what, fs::path path = {});
  void run_pending();
  /// Opens another project: the old one stays open and untouched when the new one cannot be
  /// read (one line in the log). `keep_view`: the view stays (after 保存, which reopens).
  bool open_project(const fs::path& file, std::string& error, bool keep_view = false);
  /// io::init_project on `folder`, its report in the log, then opens the project it wrote.
  bool new_project(const fs::path& folder, std::string& error);
  /// session::save_project to `file` ("" = the project's own), then reopens the saved project.
  bool save_project(const fs::path& file, std::string& error);
  void close_project();
  /// Drops every task and panel result, and puts `next` in the session as the project `project`.
  void replace_document(std::shared_ptr<const core::Document> next, std::string project);
  /// The session has edits or the layers' looks changed since the project was opened or saved.
  bool project_dirty() const;
  std::vector<session::LayerLook> layer_looks() const;
  /// The project's `visible` and `draw_order` applied to the layer list (after loading).
  void apply_project_looks();
  void mark_clean();
  void remember_recent(const fs::path& file);
  std::vector<std::string> recent_projects() const;
  /// Rebuilds the layer list and the renderer for the session's document (another project).
  void rebuild_layers();
  bool script_project(const std::vector<std::string>& args, std::string& error);
  // scripted clicks: the mouse pressed at this framebuffer pixel for one frame, then released
  core::Vec2 m_script_click{-1, -1};
  int m_script_click_frames = 0;
  void apply_script_mouse();
  void draw_settings();
  // --- travel scenarios (app_scenarios.cpp) -------------------------------------------------
  bool m_show_scenarios = false;           // 出行情景 window
  std::string m_scen_editing;              // the scenario the window shows ("" = a new one)
  core::Scenario m_scen_draft;             // its definition as being edited
  bool m_scen_new = true;                  // the draft is a new scenario
  std::uint64_t m_scen_loaded = SIZE_MAX;  // the revision the draft was loaded from
  char m_scen_name_buf[64] = {}, m_scen_label_buf[160] = {};
  std::vector<analysis::RoadClassUse> m_scen_classes;  // the project's road classes
  std::uint64_t m_scen_classes_rev = SIZE_MAX;
  std::string m_scen_error;
  /// The scenario shown, as the planner reads it (现状, 冬季（积雪）).
  std::string scenario_shown_label() const;
  void draw_scenario_choice();  // the menu bar's scenario combo
  void draw_scenario_window();
  void load_scenario_draft();
  /// The window's draft as a session edit (put_scenario); false with `error` when refused.
  bool apply_scenario_draft(std::string& error);
  bool scenario_script(const std::vector<std::string>& args, std::string& error);
  // --- the layer properties window (app_layer_props.cpp) -----------------------------------
  bool m_show_props = false;
  std::size_t m_props_layer = SIZE_MAX;  // the layer it shows
  void draw_layer_props();
  std::size_t layer_index(const std::string& name) const;  ///< SIZE_MAX if none
  /// The layer's look from its role's style and its own style (LayerUi::spec): renderer,
  /// legend classes and labels follow (`texts`: the label texts are read again, as they are
  /// when the label field changes).
  void apply_layer_look(std::size_t i, bool texts = false);
  /// After the window or the script changed m_layers[i].style: captured as the layer's own style.
  void restyle_layer(std::size_t i);
  /// After a role or field edit (or its undo): the layers whose role or fields differ from `old`'s.
  void follow_layer_changes(const core::Document& old);
  /// Keeps the layers' own styles and the session's log in step, once a frame: a style the
  /// session put in effect (undo, redo, another project) is drawn; a style the window, the
  /// layers panel or the script changed becomes one StyleLayer edit when `may_commit` (no
  /// widget held: a slider drag or a colour picked is one edit).
  void follow_styles(bool may_commit);
  std::vector<core::LayerStyleSpec> m_seen_styles;  // the session's styles as last followed
  /// The text of the manual breaks field (graduated, 手动) while it is edited.
  std::string m_breaks_text;
  std::size_t m_breaks_layer = SIZE_MAX;
  bool change_layer_role(std::size_t i, core::Role role, std::string& error);
  bool change_layer_field(std::size_t i, const std::string& key, const std::string& column,
                          std::string& error);
  bool style_column_exists(const core::Layer& L, const std::string& field) const;
  bool layer_props_script(const std::vector<std::string>& args, std::string& error);
  bool layer_props_command(const std::vector<std::string>& args, std::string& error);
  void draw_map_overlay();
  /// Records the current ImGui window's rectangle as panel `name` (labels avoid it, the layout
  /// sees where it is).
  void note_panel_rect(const char* name);
  // --- the panel layout (ui/layout.hpp) ------------------------------------------------------
  PanelLayout m_layout;
  std::string m_fit_pending;        // fit_layer asked before the first laid-out frame
  render::View m_fit_pending_view;  // the view fit_layer made then (whole window)
  /// Escape closes the open menu or popup, the unsaved-changes prompt (as 取消) or the open
  /// dialog, in that order; not while a text field has the keyboard (app_input.cpp).
  void escape_key();
  // scripted key presses (`key escape`): the key down for one frame, then up
  bool m_escape_was = false;  // the Escape key was down last frame (GLFW state)
  int m_script_key = -1;
  int m_script_key_frames = 0;
  void fb_size(int& w, int& h) const { glfwGetFramebufferSize(m_win, &w, &h); }
  bool write_screenshot(const std::string& path);
  void write_state(const std::string& path);
};

}  // namespace kepumap::ui
