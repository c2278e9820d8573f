#include "ui/app.hpp"

#include <GLFW/glfw3.h>
#include <glad/gl.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <thread>

#include "core/json.hpp"
#include "core/labels.hpp"
#include "core/style.hpp"
#include "geo/crs.hpp"
#include "io/project.hpp"
#include "io/raster_io.hpp"
#include "io/vector_reader.hpp"
#include "render/map_renderer.hpp"
#include "render/symbology.hpp"
#include "ui/i18n.hpp"
#include "ui/panel_analysis.hpp"
#include "ui/panel_caravan.hpp"
#include "ui/panel_siting.hpp"
#include "session/session.hpp"
#include "session/tasks.hpp"
#include "ui/png.hpp"
#include "ui/script.hpp"
#include "ui/settings.hpp"
#include "ui/ui_layer.hpp"

#ifndef KEPUMAP_STYLES_DIR
#define KEPUMAP_STYLES_DIR "styles"
#endif

namespace kepumap::ui {

namespace fs = std::filesystem;

namespace {

constexpr const char* k_font_path = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
constexpr const char* k_bold_font_path = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc";
constexpr float k_label_font_px = 18.0f;
constexpr int k_font_sc_index = 2;  // Simplified Chinese face inside the collection
constexpr float k_font_px = 16.0f;

ImU32 to_imu32(core::Rgba c, float alpha_scale = 1.0f) {
  auto q = [](float v) { return static_cast<int>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f)); };
  return IM_COL32(q(c.r), q(c.g), q(c.b), q(c.a * alpha_scale));
}

std::string format_distance(double m) {
  char buf[64];
  if (m >= 1000)
    std::snprintf(buf, sizeof buf, "%g %s", m / 1000.0, tr("km"));
  else
    std::snprintf(buf, sizeof buf, "%g %s", m, tr("m"));
  return buf;
}

std::string format_number(double v) {
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
std::string group_thousands(double v) {
  std::string digits = std::to_string(static_cast<long long>(std::llround(v)));
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

/// Draws a point symbol with ImGui shapes (legend swatches), centre c, size s pixels.
void draw_symbol(ImDrawList* dl, ImVec2 c, float s, core::Symbol sym, ImU32 fill, ImU32 line) {
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

}  // namespace

class App {
 public:
  explicit App(AppOptions o) : m_opt(std::move(o)) {}
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
  std::vector<std::string> m_log;        // problems and results, one line each (status bar, state dump)
  std::size_t m_log_shown = 0;           // lines already copied to stderr
  std::size_t m_log_seen = 0;            // lines before the last status message
  bool m_want_figures = false;           // a panel asked for the evaluation this frame
  std::uint64_t m_ui_revision = 0;       // the revision m_layers and the renderer show
  session::Key m_failed;                 // the (revision, scenario) whose evaluation failed (not retried)
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
  render::View m_view;
  render::Selection m_sel;
  render::Selection m_hover;
  std::unique_ptr<geo::Transform> m_to_lonlat;
  Settings m_settings;
  fs::path m_settings_file, m_imgui_ini;
  bool m_show_layers = true, m_show_inspector = true, m_show_legend = true, m_show_settings = false;
  bool m_show_file_dialog = false;
  bool m_scripted = false;
  bool m_fonts_dirty = true;
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
  std::set<std::string> m_last_strings;
  int m_label_count = 0;
  AnalysisPanel m_analysis;  // coverage, what-if, targets, export (ui/panel_analysis.hpp)
  CaravanPanel m_caravan;    // caravan tours (ui/panel_caravan.hpp)
  SitingPanel m_siting;      // siting new sites (ui/panel_siting.hpp)
  AnalysisHost analysis_host() {
    return {doc(),     *m_renderer, m_layers, m_view,         m_style,
            m_opt.project, m_panel_rects, m_panel_names, m_session, m_tasks,
            m_log,     m_want_figures,
            [this](std::string& error) { return wait_figures(error); },
            [this]() { start_evaluation(true); }};
  }
  /// Starts the evaluation of the current revision when a panel wants figures and none is
  /// installed or running (`force`: also when installed, the 重新计算 button).
  void start_evaluation(bool force = false);
  /// Script runs: polls the tasks until the current revision's evaluation is installed.
  bool wait_figures(std::string& error);
  /// After the session's document changed (a layer added, removed, undone): the layer list and
  /// the renderer follow it, keeping each remaining layer's look.
  void sync_layers();

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
  };
  std::vector<InputEvent> m_events;
  std::vector<core::BBox> m_prev_panel_rects;  // panels of the previous frame (mouse hit test)
  bool step_script(int& exit_code);
  void draw_menu();
  void draw_layers_panel();
  void draw_inspector();
  void draw_legend();
  void draw_status_bar();
  void draw_file_dialog();
  void draw_settings();
  void draw_map_overlay();
  void note_panel_rect(const char* name);
  void fb_size(int& w, int& h) const { glfwGetFramebufferSize(m_win, &w, &h); }
  bool write_screenshot(const std::string& path);
  void write_state(const std::string& path);
};

App::~App() {
  m_tasks.cancel_all();  // no task is waited for
  if (m_imgui) m_analysis.release_gl();
  m_renderer.reset();
  if (m_imgui) {
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
  }
  if (m_win) glfwDestroyWindow(m_win);
  glfwTerminate();
}

void App::load_settings_files() {
  fs::path dir = config_dir();
  if (dir.empty()) return;
  m_settings_file = dir / "settings.ini";
  m_imgui_ini = dir / "imgui.ini";
  m_settings = load_settings(m_settings_file);
  Lang l = Lang::Zh;
  if (auto code = m_settings.get("language"); code && language_from_code(*code, l)) set_language(l);
  m_show_layers = m_settings.get_bool("panel.layers", true);
  m_show_inspector = m_settings.get_bool("panel.inspector", true);
  m_show_legend = m_settings.get_bool("panel.legend", true);
  m_show_settings = m_settings.get_bool("panel.settings", false);
}

void App::save_all_settings() {
  if (m_settings_file.empty() || m_opt.bench_pan_frames > 0) return;
  int x = 0, y = 0, w = 0, h = 0;
  glfwGetWindowPos(m_win, &x, &y);
  glfwGetWindowSize(m_win, &w, &h);
  if (m_opt.width == 0) {
    m_settings.set("window.x", x);
    m_settings.set("window.y", y);
    m_settings.set("window.w", w);
    m_settings.set("window.h", h);
    m_settings.set("window.maximized", glfwGetWindowAttrib(m_win, GLFW_MAXIMIZED) != 0);
  }
  m_settings.set("language", std::string(language_code(language())));
  m_settings.set("panel.layers", m_show_layers);
  m_settings.set("panel.inspector", m_show_inspector);
  m_settings.set("panel.legend", m_show_legend);
  m_settings.set("panel.settings", m_show_settings);
  if (m_style_index >= 0)
    m_settings.set("style", m_style_files[static_cast<std::size_t>(m_style_index)].filename().string());
  if (!m_opt.project.empty()) {
    std::error_code ec;
    std::string key = "view." + fs::absolute(m_opt.project, ec).lexically_normal().string();
    char buf[128];
    std::snprintf(buf, sizeof buf, "%.3f %.3f %.6g", m_view.center.x, m_view.center.y, m_view.m_per_px);
    m_settings.set(key, std::string(buf));
  }
  if (!m_dialog_dir.empty()) m_settings.set("last_dir", m_dialog_dir.string());
  save_settings(m_settings, m_settings_file);
  std::size_t size = 0;
  const char* ini = ImGui::SaveIniSettingsToMemory(&size);
  write_file_atomic(m_imgui_ini, std::string(ini, size));
}

bool App::open_window() {
  if (!glfwInit()) return false;
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  int w = m_opt.width > 0 ? m_opt.width : m_settings.get_int("window.w", 1280);
  int h = m_opt.height > 0 ? m_opt.height : m_settings.get_int("window.h", 800);
  w = std::clamp(w, 320, 8192);
  h = std::clamp(h, 240, 8192);
  if (m_opt.width == 0 && m_settings.get_bool("window.maximized", false))
    glfwWindowHint(GLFW_MAXIMIZED, GLFW_TRUE);
  m_win = glfwCreateWindow(w, h, "kepumap 科普资源覆盖规划", nullptr, nullptr);
  if (!m_win) return false;
  if (m_opt.width == 0 && m_settings.get("window.x"))
    glfwSetWindowPos(m_win, m_settings.get_int("window.x", 50), m_settings.get_int("window.y", 50));
  glfwMakeContextCurrent(m_win);
  glfwSetInputMode(m_win, GLFW_STICKY_KEYS, GLFW_TRUE);  // a quick Ctrl+Q between frames still counts
  glfwSwapInterval(m_scripted || m_opt.bench_pan_frames > 0 ? 0 : 1);
  if (gladLoadGL(reinterpret_cast<GLADloadfunc>(glfwGetProcAddress)) == 0) {
    std::fprintf(stderr, "error: OpenGL 3.3 is not available on this display\n");
    return false;
  }
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // saved atomically by save_all_settings
  if (!m_imgui_ini.empty() && fs::exists(m_imgui_ini) && (!m_scripted || m_opt.use_settings))
    ImGui::LoadIniSettingsFromDisk(m_imgui_ini.c_str());
  ImGui::StyleColorsLight();
  ImGui::GetStyle().WindowRounding = 4.0f;
  // Our callbacks first: the ImGui backend chains to them.
  glfwSetWindowUserPointer(m_win, this);
  glfwSetMouseButtonCallback(m_win, on_mouse_button);
  glfwSetScrollCallback(m_win, on_scroll);
  glfwSetCursorPosCallback(m_win, on_cursor);
  ImGui_ImplGlfw_InitForOpenGL(m_win, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");
  m_imgui = true;
  return true;
}

bool App::load_document() {
  if (m_opt.project.empty()) return true;
  m_session.reset(std::make_shared<const core::Document>(io::load_project(m_opt.project)));
  m_ui_doc = m_session.document();
  m_ui_revision = m_session.revision();
  bool errors = false;
  for (const auto& p : doc().diagnostics.problems) {
    std::fprintf(stderr, "%s\n", p.to_line().c_str());
    errors = errors || p.severity == core::Severity::Error;
  }
  if (errors && doc().layers.empty()) return false;
  return true;
}

void App::choose_style(int index) {
  if (index >= 0 && index < static_cast<int>(m_style_files.size())) {
    try {
      m_style = core::load_style(m_style_files[static_cast<std::size_t>(index)].string());
      m_style_index = index;
    } catch (const std::exception& e) {
      m_status = e.what();
      std::fprintf(stderr, "warning: %s\n", e.what());
      return;
    }
  } else {
    m_style = core::default_style();
    m_style_index = -1;
  }
  for (std::size_t i = 0; i < m_layers.size(); ++i) {
    m_layers[i].style = m_style.for_role(doc().layers[i].role);
    m_layers[i].choropleth = render::resolve_choropleth(doc().layers[i], m_layers[i].style);
    if (m_renderer && i < m_renderer->layer_count())
      m_renderer->restyle(i, doc().layers[i], m_layers[i].style);
  }
}

void App::add_layer_ui(std::size_t i) {
  LayerUi ui;
  ui.style = m_style.for_role(doc().layers[i].role);
  compute_layer_cache(doc().layers[i], ui);
  ui.choropleth = render::resolve_choropleth(doc().layers[i], ui.style);
  m_layers.push_back(std::move(ui));
  m_renderer->add_layer(doc().layers[i], m_layers.back().style);
  // Polygons at the bottom (in project order), rasters over their fills, then lines, then points.
  auto rank = [&](std::size_t k) {
    const auto& l = doc().layers[k];
    if (l.geom.kind == core::GeomKind::Polygon && !l.is_raster) return 0;
    if (l.is_raster) return 1;
    if (l.geom.kind == core::GeomKind::Line) return 2;
    return 3;
  };
  auto pos = std::find_if(m_order.begin(), m_order.end(), [&](std::size_t k) { return rank(k) > rank(i); });
  m_order.insert(pos, i);
}

void App::start_evaluation(bool force) {
  if (m_opt.project.empty() || m_tasks.find("evaluation")) return;
  const session::Key now{m_session.revision(), m_session.scenario(), 0};
  if (!force && (!m_session.needs_evaluation() || (m_failed == now))) return;
  m_failed = {};
  m_eval_error.clear();
  auto doc_ = m_session.document();
  const std::uint64_t rev = m_session.revision();
  const std::string scenario = m_session.scenario();
  m_tasks.run<session::Evaluated>(
      "evaluation",
      [doc_, rev, scenario](session::TaskState& st) {
        st.set_stage(doc_->config.name, 0, 1);
        return session::evaluate(doc_, rev, scenario, st.cancel_flag());
      },
      [this, now](session::Evaluated& e) {
        std::string msg;
        const bool current = e.revision == m_session.revision() && e.scenario == m_session.scenario();
        if (!m_session.install(std::move(e), msg) && current) {
          m_failed = now;  // not retried until the revision changes or 重新计算 is pressed
          m_eval_error = msg;
          m_log.push_back(msg);
        }
      });
}

bool App::wait_figures(std::string& error) {
  m_want_figures = true;
  for (;;) {
    m_tasks.poll();
    sync_layers();
    if (!m_session.needs_evaluation() && !m_tasks.find("evaluation")) return true;
    const session::Key now{m_session.revision(), m_session.scenario(), 0};
    if (m_failed == now && !m_tasks.find("evaluation")) {
      error = m_eval_error;
      return m_session.ready() && !m_session.needs_evaluation();
    }
    start_evaluation();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void App::sync_layers() {
  if (m_session.revision() == m_ui_revision || !m_renderer) return;
  const auto next = m_session.document();
  const auto old = m_ui_doc;
  bool appended = next->layers.size() >= old->layers.size() && m_layers.size() == old->layers.size();
  for (std::size_t i = 0; appended && i < old->layers.size(); ++i)
    appended = next->layers[i].name == old->layers[i].name;
  m_ui_doc = next;
  m_ui_revision = m_session.revision();
  if (appended) {
    for (std::size_t i = m_layers.size(); i < next->layers.size(); ++i) add_layer_ui(i);
  } else {
    // a layer removed (or an addition undone): rebuilt, each remaining layer keeping its look
    std::map<std::string, LayerUi> kept;
    for (std::size_t i = 0; i < old->layers.size() && i < m_layers.size(); ++i) kept[old->layers[i].name] = std::move(m_layers[i]);
    m_layers.clear();
    m_order.clear();
    m_renderer->clear();
    for (std::size_t i = 0; i < next->layers.size(); ++i) {
      add_layer_ui(i);
      if (auto it = kept.find(next->layers[i].name); it != kept.end()) {
        m_layers[i].visible = it->second.visible;
        m_layers[i].opacity = it->second.opacity;
        m_layers[i].style = it->second.style;
        m_layers[i].choropleth = render::resolve_choropleth(next->layers[i], m_layers[i].style);
        m_renderer->restyle(i, next->layers[i], m_layers[i].style);
      }
    }
    m_sel = {};
    m_hover = {};
  }
  m_fonts_dirty = true;
}

void App::setup_layers() {
  m_renderer = std::make_unique<render::MapRenderer>();
  std::string err;
  if (!m_renderer->init(err)) throw std::runtime_error(err);
  core::BBox ext = doc().extent();
  m_renderer->set_origin(ext.empty() ? core::Vec2{} : ext.center());
  // styles/*.json, the remembered one or default.json first
  std::error_code ec;
  fs::path styles_dir =
      std::getenv("KEPUMAP_STYLES") ? fs::path(std::getenv("KEPUMAP_STYLES")) : fs::path(KEPUMAP_STYLES_DIR);
  for (const auto& e : fs::directory_iterator(styles_dir, ec))
    if (e.path().extension() == ".json") m_style_files.push_back(e.path());
  std::sort(m_style_files.begin(), m_style_files.end());
  for (const auto& f : m_style_files) {
    try {
      core::Style st = core::load_style(f.string());
      m_style_names.emplace_back(st.name, st.name_en);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "warning: %s\n", e.what());
      m_style_names.emplace_back(f.stem().string(), f.stem().string());
    }
  }
  int want = -1;
  std::string remembered = m_settings.get("style").value_or("default.json");
  for (std::size_t k = 0; k < m_style_files.size(); ++k)
    if (m_style_files[k].filename() == remembered ||
        (want < 0 && m_style_files[k].filename() == "default.json"))
      want = static_cast<int>(k);
  if (want < 0 && !m_style_files.empty()) want = 0;
  choose_style(want);
  for (std::size_t i = 0; i < doc().layers.size(); ++i) add_layer_ui(i);
  if (!doc().analysis_crs.empty()) {
    try {
      m_to_lonlat = std::make_unique<geo::Transform>(doc().analysis_crs, "EPSG:4326");
    } catch (const std::exception& e) {
      std::fprintf(stderr, "warning: no lon/lat for the cursor: %s\n", e.what());
    }
  }
}

void App::rebuild_fonts() {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  ImFontGlyphRangesBuilder b;
  b.AddRanges(io.Fonts->GetGlyphRangesDefault());
  for (const auto& s : all_ui_strings()) b.AddText(s.c_str());
  b.AddText("°′″×–—≤≥·…（）：，。、 中文");
  b.AddText(doc().config.name.c_str());
  for (const auto& l : doc().layers) {
    b.AddText(l.name.c_str());
    for (const auto& c : l.attrs.columns) {
      b.AddText(c.name.c_str());
      if (c.type == core::FieldType::Text)
        for (const auto& t : c.texts) b.AddText(t.c_str());
    }
  }
  for (const auto& [role, st] : m_style.roles)
    for (const auto& lc : st.line_classes) b.AddText(lc.label.c_str());
  for (const auto& f : m_style_files) b.AddText(f.stem().string().c_str());
  for (const auto& [zh, en] : m_style_names) b.AddText(zh.c_str());
  b.AddText(m_style.name.c_str());
  for (const auto& s : m_analysis.glyph_texts(doc())) b.AddText(s.c_str());
  for (const auto& s : CaravanPanel::glyph_texts()) b.AddText(s.c_str());
  for (const auto& s : m_siting.glyph_texts()) b.AddText(s.c_str());
  m_glyph_ranges.clear();
  b.BuildRanges(&m_glyph_ranges);
  ImFontConfig cfg;
  cfg.FontNo = k_font_sc_index;
  cfg.OversampleH = 1;
  cfg.OversampleV = 1;
  cfg.PixelSnapH = true;
  if (!fs::exists(k_font_path) ||
      !io.Fonts->AddFontFromFileTTF(k_font_path, k_font_px, &cfg, m_glyph_ranges.Data)) {
    std::fprintf(stderr,
                 "warning: %s not found (Debian package fonts-noto-cjk): Chinese text will not show\n",
                 k_font_path);
    io.Fonts->AddFontDefault();
  }
  m_label_font = nullptr;
  if (fs::exists(k_bold_font_path)) {
    ImFontConfig bold = cfg;
    bold.OversampleH = 2;
    m_label_font =
        io.Fonts->AddFontFromFileTTF(k_bold_font_path, k_label_font_px, &bold, m_glyph_ranges.Data);
  }
  io.Fonts->Build();
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
  m_fonts_dirty = false;
}

bool App::load_layer_file(const std::string& path, core::Role role, const std::string& source_layer,
                          std::string& error) {
  try {
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    core::Layer layer;
    if (doc().analysis_crs.empty()) {
      core::Document d = io::load_data_file(path, source_layer);
      for (const auto& p : d.diagnostics.problems)
        if (p.severity == core::Severity::Error) {
          error = p.to_line();
          return false;
        }
      if (d.layers.empty()) {
        error = path + ": no layer";
        return false;
      }
      {
        // the first layer of a map without a project sets its CRS: a new document, no edit
        auto next = std::make_shared<core::Document>(doc());
        next->analysis_crs = d.analysis_crs;
        next->analysis_crs_name = d.analysis_crs_name;
        m_session.reset(std::move(next));
        m_ui_doc = m_session.document();
        m_ui_revision = m_session.revision();
      }
      m_renderer->set_origin(d.extent().center());
      m_to_lonlat = std::make_unique<geo::Transform>(doc().analysis_crs, "EPSG:4326");
      layer = std::move(d.layers.front());
    } else if (ext == ".tif" || ext == ".tiff") {
      core::Diagnostics diag;
      auto grid = io::read_population_raster(path, "", doc().analysis_crs, doc().config.travel.cell_size_m,
                                             layer.report, diag);
      if (!grid) {
        error = diag.problems.empty() ? path + ": cannot read" : diag.problems.front().to_line();
        return false;
      }
      layer.is_raster = true;
      layer.raster = std::move(*grid);
    } else {
      io::VectorReadOptions opts;
      opts.role = role;
      opts.layer = source_layer;
      opts.label = source_layer.empty() ? fs::path(path).stem().string() : source_layer;
      layer = io::read_vector_layer(path, opts, doc().analysis_crs);
    }
    layer.role = role;
    std::string base = source_layer.empty() ? fs::path(path).stem().string() : source_layer, name = base;
    for (int k = 2;
         std::any_of(doc().layers.begin(), doc().layers.end(), [&](const auto& l) { return l.name == name; });
         ++k)
      name = base + " " + std::to_string(k);
    layer.name = name;
    m_session.add_layer(std::move(layer));
    sync_layers();
    m_fonts_dirty = true;
    m_status = std::string(tr("Loaded layer")) + ": " + name;
    return true;
  } catch (const std::exception& e) {
    error = e.what();
    return false;
  }
}

void App::fit_layer(const std::string& name) {
  core::BBox b;
  for (const auto& l : doc().layers)
    if (name == "all" || l.name == name) b.add(l.is_raster ? l.raster.extent() : l.geom.bbox());
  if (!b.empty()) m_view.fit(b);
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
      if (std::hypot(e.pos.x - m_press_pos.x, e.pos.y - m_press_pos.y) < 3) m_sel = pick(e.pos);
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

bool App::step_script(int& exit_code) {
  if (m_wait > 0) {
    --m_wait;
    return true;
  }
  if (m_script_pos >= m_script.size()) return true;
  const ScriptCommand& c = m_script[m_script_pos++];
  auto num = [&](std::size_t i) { return std::strtod(c.args[i].c_str(), nullptr); };
  auto fail = [&](const std::string& what) {
    std::fprintf(stderr, "error: %s:%d: %s\n", m_opt.script.c_str(), c.line, what.c_str());
    exit_code = 2;
    return false;
  };
  if (c.verb == "pan")
    m_view.pan(num(0), num(1));
  else if (c.verb == "zoom") {
    core::Vec2 at{m_view.width_px * 0.5, m_view.height_px * 0.5};
    if (c.args.size() == 3) at = {num(1), num(2)};
    m_view.zoom_at(num(0), at);
  } else if (c.verb == "select")
    m_sel = pick({num(0), num(1)});
  else if (c.verb == "hover") {
    m_mouse = {num(0), num(1)};
    m_mouse_valid = true;
    m_hover = pick(m_mouse);
  } else if (c.verb == "open_panel" || c.verb == "close_panel") {
    bool v = c.verb == "open_panel";
    const std::string& n = c.args[0];
    if (n == "layers")
      m_show_layers = v;
    else if (n == "inspector")
      m_show_inspector = v;
    else if (n == "legend")
      m_show_legend = v;
    else if (n == "settings")
      m_show_settings = v;
    else if (n == "add_layer")
      m_show_file_dialog = v;
    else
      return fail("unknown panel '" + n + "' (layers, inspector, legend, settings, add_layer)");
  } else if (c.verb == "show" || c.verb == "hide") {
    bool found = false;
    for (std::size_t i = 0; i < doc().layers.size(); ++i)
      if (doc().layers[i].name == c.args[0]) {
        m_layers[i].visible = c.verb == "show";
        found = true;
      }
    if (!found) return fail("no layer named '" + c.args[0] + "'");
  } else if (c.verb == "set_language")
    set_language(c.args[0] == "en" ? Lang::En : Lang::Zh);
  else if (c.verb == "load_layer") {
    auto role = core::role_from_name(c.args[1]);
    if (!role) return fail("unknown role '" + c.args[1] + "'");
    std::string err;
    if (!load_layer_file(c.args[0], *role, c.args.size() > 2 ? c.args[2] : std::string(), err)) return fail(err);
  } else if (c.verb == "fit") {
    if (c.args[0] != "all" && std::none_of(doc().layers.begin(), doc().layers.end(),
                                           [&](const auto& l) { return l.name == c.args[0]; }))
      return fail("no layer named '" + c.args[0] + "'");
    fit_layer(c.args[0]);
  } else if (c.verb == "analysis") {
    std::string err;
    AnalysisHost ah = analysis_host();
    if (!m_analysis.script(ah, c.args, err)) return fail(err);
  } else if (c.verb == "siting") {
    std::string err;
    AnalysisHost ah = analysis_host();
    if (!m_siting.script(ah, m_analysis, c.args, err)) return fail(err);
  } else if (c.verb == "caravan") {
    std::string err;
    AnalysisHost ah = analysis_host();
    if (!m_caravan.script(ah, c.args, err)) return fail(err);
  } else if (c.verb == "wait")
    m_wait = std::max(0, static_cast<int>(num(0)) - 1);
  else if (c.verb == "screenshot")
    m_pending_screenshot = c.args[0];
  return true;
}

void App::note_panel_rect(const char* name) {
  m_panel_names.emplace_back(name);
  ImVec2 p = ImGui::GetWindowPos(), s = ImGui::GetWindowSize();
  core::BBox b;
  b.add(core::Vec2{p.x, p.y});
  b.add(core::Vec2{p.x + s.x, p.y + s.y});
  m_panel_rects.push_back(b);
}

void App::draw_menu() {
  if (!ImGui::BeginMainMenuBar()) return;
  if (ImGui::BeginMenu(tr_id("View").c_str())) {
    ImGui::MenuItem(tr_id("Layers").c_str(), nullptr, &m_show_layers);
    ImGui::MenuItem(tr_id("Inspector").c_str(), nullptr, &m_show_inspector);
    ImGui::MenuItem(tr_id("Legend").c_str(), nullptr, &m_show_legend);
    ImGui::MenuItem(tr_id("Settings").c_str(), nullptr, &m_show_settings);
    m_analysis.menu_items();
    m_caravan.menu_items();
    m_siting.menu_items();
    ImGui::Separator();
    if (ImGui::MenuItem(tr_id("Fit all").c_str())) fit_layer("all");
    if (ImGui::MenuItem(tr_id("Add layer...").c_str())) m_show_file_dialog = true;
    ImGui::Separator();
    if (ImGui::MenuItem(tr_id("Quit").c_str(), "Ctrl+Q")) glfwSetWindowShouldClose(m_win, 1);
    ImGui::EndMenu();
  }
  // The language switch, always visible: 中文 / English.
  if (ImGui::MenuItem("中文", nullptr, language() == Lang::Zh)) set_language(Lang::Zh);
  if (ImGui::MenuItem("English", nullptr, language() == Lang::En)) set_language(Lang::En);
  std::string title = doc().config.name.empty()
                          ? tr("No project")
                          : (language() == Lang::En && !doc().config.name_en.empty() ? doc().config.name_en
                                                                                     : doc().config.name);
  record(title);
  ImGui::SameLine(ImGui::GetWindowWidth() - ImGui::CalcTextSize(title.c_str()).x - 16);
  ImGui::TextUnformatted(title.c_str());
  ImGui::EndMainMenuBar();
}

void App::draw_layers_panel() {
  if (!m_show_layers) return;
  ImGui::SetNextWindowPos({10, 32}, ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize({320, 440}, ImGuiCond_FirstUseEver);
  if (!ImGui::Begin(tr_id("Layers").c_str(), &m_show_layers)) {
    ImGui::End();
    return;
  }
  note_panel_rect("layers");
  // style file
  auto style_label = [&](std::size_t k) {
    const auto& [zh, en] = m_style_names[k];
    std::string n = language() == Lang::En ? en : zh;
    if (n.empty()) n = m_style_files[k].stem().string();
    record(n);
    return n;
  };
  std::string current = m_style_index >= 0 ? style_label(static_cast<std::size_t>(m_style_index)) : "default";
  if (ImGui::BeginCombo(tr_id("Style").c_str(), current.c_str())) {
    for (std::size_t k = 0; k < m_style_files.size(); ++k)
      if (ImGui::Selectable((style_label(k) + "##" + std::to_string(k)).c_str(),
                            static_cast<int>(k) == m_style_index))
        choose_style(static_cast<int>(k));
    ImGui::EndCombo();
  }
  if (ImGui::Button(tr_id("Add layer...").c_str())) m_show_file_dialog = true;
  ImGui::SameLine();
  if (ImGui::Button(tr_id("Fit all").c_str())) fit_layer("all");
  ImGui::Separator();
  // top layer first
  int move_from = -1, move_dir = 0;
  for (int oi = static_cast<int>(m_order.size()) - 1; oi >= 0; --oi) {
    std::size_t li = m_order[static_cast<std::size_t>(oi)];
    const core::Layer& L = doc().layers[li];
    LayerUi& ui = m_layers[li];
    ImGui::PushID(static_cast<int>(li));
    ImGui::Checkbox("##vis", &ui.visible);
    ImGui::SameLine();
    if (ImGui::ArrowButton("##up", ImGuiDir_Up)) {
      move_from = oi;
      move_dir = +1;
    }
    ImGui::SameLine();
    if (ImGui::ArrowButton("##down", ImGuiDir_Down)) {
      move_from = oi;
      move_dir = -1;
    }
    ImGui::SameLine();
    record(L.name);
    bool open = ImGui::TreeNode("##layer", "%s  (%s)", L.name.c_str(), role_label(L.role));
    if (open) {
      ImGui::SliderFloat(tr_id("Opacity").c_str(), &ui.opacity, 0.0f, 1.0f, "%.2f");
      bool changed = false;
      if (!L.is_raster) {
        if (L.geom.kind != core::GeomKind::Line && !ui.choropleth)
          changed |= ImGui::ColorEdit4(tr_id("Fill").c_str(), &ui.style.fill.r, ImGuiColorEditFlags_NoInputs);
        changed |= ImGui::ColorEdit4(tr_id("Line").c_str(), &ui.style.line.r, ImGuiColorEditFlags_NoInputs);
        if (L.geom.kind != core::GeomKind::Point)
          changed |=
              ImGui::SliderFloat(tr_id("Line width").c_str(), &ui.style.line_width_px, 0.0f, 8.0f, "%.1f");
        if (L.geom.kind == core::GeomKind::Point) {
          int sym = static_cast<int>(ui.style.symbol);
          const char* names[] = {tr("circle"),  tr("square"), tr("triangle"),
                                 tr("diamond"), tr("star"),   tr("cross")};
          if (ImGui::Combo(tr_id("Symbol").c_str(), &sym, names, 6)) {
            ui.style.symbol = static_cast<core::Symbol>(sym);
            changed = true;
          }
          changed |= ImGui::SliderFloat(tr_id("Size").c_str(), &ui.style.symbol_size_px, 2.0f, 30.0f, "%.0f");
        }
        ImGui::Checkbox(tr_id("Labels").c_str(), &ui.style.labels);
      }
      if (ImGui::Button(tr_id("Fit").c_str())) fit_layer(L.name);
      ImGui::TextDisabled("%zu %s · %s", L.is_raster ? std::size_t{0} : L.geom.feature_count(),
                          tr("features"), L.report.source.c_str());
      if (changed) m_renderer->restyle(li, L, ui.style);
      ImGui::TreePop();
    }
    ImGui::PopID();
  }
  if (move_from >= 0) {
    int to = move_from + move_dir;
    if (to >= 0 && to < static_cast<int>(m_order.size()))
      std::swap(m_order[static_cast<std::size_t>(move_from)], m_order[static_cast<std::size_t>(to)]);
  }
  ImGui::End();
}

void App::draw_inspector() {
  if (!m_show_inspector) return;
  int fw = 0, fh = 0;
  fb_size(fw, fh);
  ImGui::SetNextWindowPos({static_cast<float>(fw) - 350, 32}, ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize({340, std::min(360.0f, static_cast<float>(fh) * 0.45f)}, ImGuiCond_FirstUseEver);
  if (!ImGui::Begin(tr_id("Inspector").c_str(), &m_show_inspector)) {
    ImGui::End();
    return;
  }
  note_panel_rect("inspector");
  if (!m_sel.valid() || m_sel.layer >= doc().layers.size()) {
    ImGui::TextWrapped("%s", tr("Nothing selected: click a feature on the map."));
    ImGui::End();
    return;
  }
  const core::Layer& L = doc().layers[m_sel.layer];
  std::size_t f = m_sel.feature;
  record(L.name);
  ImGui::Text("%s: %s", tr("Layer"), L.name.c_str());
  ImGui::Text("%s: %zu", tr("Feature"), f);
  if (f < L.source_index.size()) ImGui::Text("%s: %lld", tr("Source feature"), L.source_index[f]);
  if (L.geom.kind == core::GeomKind::Polygon)
    ImGui::Text("%s: %s km²", tr("Area"),
                format_number(core::feature_area(L.geom, static_cast<core::FeatureId>(f)) / 1e6).c_str());
  if (L.geom.kind == core::GeomKind::Line)
    ImGui::Text("%s: %s km", tr("Length"),
                format_number(core::feature_length(L.geom, static_cast<core::FeatureId>(f)) / 1e3).c_str());
  if (ImGui::BeginTable("attrs", 2,
                        ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY)) {
    ImGui::TableSetupColumn(tr("Field"));
    ImGui::TableSetupColumn(tr("Value"));
    ImGui::TableHeadersRow();
    for (const auto& c : L.attrs.columns) {
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ImGui::TextUnformatted(c.name.c_str());
      ImGui::TableSetColumnIndex(1);
      std::string v = f < c.size() ? c.text(f) : std::string();
      record(v);
      ImGui::TextUnformatted(v.c_str());
    }
    ImGui::EndTable();
  }
  ImGui::End();
}

void App::draw_legend() {
  if (!m_show_legend) return;
  int fw = 0, fh = 0;
  fb_size(fw, fh);
  // below the inspector's default place, down to the status bar
  float top =
      std::max(static_cast<float>(fh) - 340.0f, 42.0f + std::min(360.0f, static_cast<float>(fh) * 0.45f));
  ImGui::SetNextWindowPos({static_cast<float>(fw) - 260, top}, ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize({250, static_cast<float>(fh) - 40 - top}, ImGuiCond_FirstUseEver);
  if (!ImGui::Begin(tr_id("Legend").c_str(), &m_show_legend)) {
    ImGui::End();
    return;
  }
  note_panel_rect("legend");
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float sw = 22, sh = 14;
  auto swatch_row = [&](auto&& draw, const std::string& text) {
    ImVec2 p = ImGui::GetCursorScreenPos();
    draw(p);
    ImGui::Dummy({sw, sh});
    ImGui::SameLine();
    record(text);
    ImGui::TextUnformatted(text.c_str());
  };
  for (auto it = m_order.rbegin(); it != m_order.rend(); ++it) {
    std::size_t li = *it;
    const core::Layer& L = doc().layers[li];
    const LayerUi& ui = m_layers[li];
    if (!ui.visible) continue;
    const core::LayerStyle& st = ui.style;
    std::string title = L.name;
    if (L.is_raster) {
      swatch_row(
          [&](ImVec2 p) {
            std::vector<core::Rgba> ramp =
                st.raster_ramp.empty()
                    ? std::vector<core::Rgba>{{1, 1, 0.8f, 1}, {0.99f, 0.55f, 0.24f, 1}, {0.5f, 0, 0.15f, 1}}
                    : st.raster_ramp;
            for (int k = 0; k < 11; ++k)
              dl->AddRectFilled({p.x + k * 2.0f, p.y}, {p.x + k * 2.0f + 2, p.y + sh},
                                to_imu32(core::ramp_at(ramp, k / 10.0)));
          },
          title + std::string("  (") + tr("low") + " → " + tr("high") + ")");
    } else if (L.geom.kind == core::GeomKind::Polygon) {
      if (ui.choropleth) {
        record(title);
        ImGui::TextUnformatted(title.c_str());
        ImGui::TextDisabled("%s %s", tr("Classes by"), ui.choropleth->attribute.c_str());
        const auto& ch = *ui.choropleth;
        int n = static_cast<int>(ch.breaks.size()) + 1;
        for (int k = 0; k < n; ++k) {
          std::string lo = k == 0 ? "" : format_number(ch.breaks[static_cast<std::size_t>(k - 1)]);
          std::string hi = k == n - 1 ? "" : format_number(ch.breaks[static_cast<std::size_t>(k)]);
          std::string label = k == 0 ? "≤ " + hi : (k == n - 1 ? "> " + lo : lo + " – " + hi);
          swatch_row(
              [&](ImVec2 p) {
                dl->AddRectFilled(p, {p.x + sw, p.y + sh}, to_imu32(ch.class_colour(k)));
                dl->AddRect(p, {p.x + sw, p.y + sh}, to_imu32(st.line));
              },
              "  " + label);
        }
      } else {
        swatch_row(
            [&](ImVec2 p) {
              dl->AddRectFilled(p, {p.x + sw, p.y + sh}, to_imu32(st.fill));
              dl->AddRect(p, {p.x + sw, p.y + sh}, to_imu32(st.line), 0, 0, std::max(1.0f, st.line_width_px));
            },
            title);
      }
    } else if (L.geom.kind == core::GeomKind::Line) {
      if (st.line_classes.empty()) {
        swatch_row(
            [&](ImVec2 p) {
              dl->AddLine({p.x, p.y + sh / 2}, {p.x + sw, p.y + sh / 2}, to_imu32(st.line),
                          std::max(1.0f, st.line_width_px));
            },
            title);
      } else {
        record(title);
        ImGui::TextUnformatted(title.c_str());
        for (const auto& lc : st.line_classes)
          swatch_row(
              [&](ImVec2 p) {
                dl->AddLine({p.x, p.y + sh / 2}, {p.x + sw, p.y + sh / 2}, to_imu32(lc.line),
                            std::max(1.0f, lc.width_px));
              },
              "  " + (language() == Lang::En ? lc.label_en : lc.label));
      }
    } else if (L.geom.kind == core::GeomKind::Point) {
      swatch_row(
          [&](ImVec2 p) {
            draw_symbol(dl, {p.x + sw / 2, p.y + sh / 2}, std::min(sh, st.symbol_size_px + 2), st.symbol,
                        to_imu32(st.fill), to_imu32(st.line));
          },
          title);
    }
  }
  ImGui::End();
}

void App::draw_status_bar() {
  int fw = 0, fh = 0;
  fb_size(fw, fh);
  float h = ImGui::GetFrameHeight() + 6;
  ImGui::SetNextWindowPos({0, static_cast<float>(fh) - h});
  ImGui::SetNextWindowSize({static_cast<float>(fw), h});
  ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                           ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                           ImGuiWindowFlags_NoBringToFrontOnFocus;
  ImGui::Begin("##status", nullptr, flags);
  note_panel_rect("status");
  std::string text;
  char buf[256];
  if (m_mouse_valid) {
    core::Vec2 m = m_view.to_map(m_mouse);
    if (m_to_lonlat) {
      core::Vec2 ll = m_to_lonlat->apply(m);
      std::snprintf(buf, sizeof buf, "%s %.5f°%s %.5f°%s   ", tr("Cursor"), std::abs(ll.x),
                    ll.x >= 0 ? "E" : "W", std::abs(ll.y), ll.y >= 0 ? "N" : "S");
      text += buf;
    }
    std::snprintf(buf, sizeof buf, "%s x=%.0f y=%.0f m   ", tr("Analysis CRS"), m.x, m.y);
    text += buf;
    // the value of each visible raster under the cursor
    for (std::size_t li = 0; li < doc().layers.size(); ++li) {
      const core::Layer& L = doc().layers[li];
      if (!L.is_raster || !m_layers[li].visible) continue;
      int col = L.raster.col_of(m.x), row = L.raster.row_of(m.y);
      if (!L.raster.in_bounds(col, row)) continue;
      float v = L.raster.at(col, row);
      if (std::isnan(v) || v == L.raster.nodata) continue;
      text += L.name + " " + format_number(v) + "   ";
    }
  }
  // 1:N at 96 dpi (0.2646 mm per pixel)
  std::snprintf(buf, sizeof buf, "%s 1:%s   %.1f m/px", tr("Scale"),
                group_thousands(m_view.m_per_px / 0.0002646).c_str(), m_view.m_per_px);
  text += buf;
  for (const auto& t : m_tasks.running()) {
    std::snprintf(buf, sizeof buf, "   [%s: %s %.0f%%]", t->name().c_str(), t->stage().c_str(),
                  100.0 * std::max(0.0f, t->progress()));
    text += buf;
  }
  if (!m_log.empty() && m_log.size() > m_log_seen) text += "   " + m_log.back();
  if (!m_status.empty()) text += "   " + m_status;
  ImGui::TextUnformatted(text.c_str());
  ImGui::End();
}

void App::draw_file_dialog() {
  if (!m_show_file_dialog) return;
  if (m_dialog_dir.empty()) {
    std::error_code ec;
    m_dialog_dir =
        m_settings.get("last_dir")
            .value_or(m_opt.project.empty() ? fs::current_path(ec).string()
                                            : fs::absolute(m_opt.project, ec).parent_path().string());
  }
  ImGui::SetNextWindowSize({560, 420}, ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowPos({200, 120}, ImGuiCond_FirstUseEver);
  if (!ImGui::Begin(tr_id("Add layer").c_str(), &m_show_file_dialog)) {
    ImGui::End();
    return;
  }
  note_panel_rect("add_layer");
  ImGui::Text("%s: %s", tr("Folder"), m_dialog_dir.string().c_str());
  if (ImGui::Button(tr_id("Parent folder").c_str()) && m_dialog_dir.has_parent_path()) {
    m_dialog_dir = m_dialog_dir.parent_path();
    m_dialog_file.clear();
  }
  static const std::set<std::string> exts = {".geojson", ".json", ".gpkg", ".shp",      ".csv",
                                             ".kml",     ".kmz",  ".fgb",  ".topojson", ".gpx",
                                             ".tif",     ".tiff", ".xlsx"};
  std::vector<fs::directory_entry> entries;
  std::error_code ec;
  for (const auto& e :
       fs::directory_iterator(m_dialog_dir, fs::directory_options::skip_permission_denied, ec)) {
    std::string name = e.path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    std::string ext = e.path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    if (e.is_directory(ec) || exts.count(ext)) entries.push_back(e);
  }
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    std::error_code e1, e2;
    bool da = a.is_directory(e1), db = b.is_directory(e2);
    return da != db ? da : a.path().filename() < b.path().filename();
  });
  ImGui::BeginChild("files", {0, -ImGui::GetFrameHeightWithSpacing() * 3}, true);
  fs::path enter;
  for (const auto& e : entries) {
    bool dir = e.is_directory(ec);
    std::string label = (dir ? "[+] " : "    ") + e.path().filename().string();
    if (ImGui::Selectable(label.c_str(), !dir && m_dialog_file == e.path().string(),
                          ImGuiSelectableFlags_AllowDoubleClick)) {
      if (dir)
        enter = e.path();
      else if (m_dialog_file != e.path().string()) {
        m_dialog_file = e.path().string();
        // a multi-layer source: offer its layers
        m_dialog_layers.clear();
        m_dialog_layer = 0;
        m_dialog_error.clear();
        std::string ext = e.path().extension().string();
        if (ext != ".tif" && ext != ".tiff") {
          try {
            m_dialog_layers = io::list_vector_layers(m_dialog_file);
          } catch (const std::exception& ex) {
            m_dialog_error = ex.what();
          }
        }
      }
    }
  }
  ImGui::EndChild();
  if (!enter.empty()) {
    m_dialog_dir = enter;
    m_dialog_file.clear();
  }
  ImGui::Text(
      "%s: %s", tr("File"),
      m_dialog_file.empty() ? tr("No file chosen") : fs::path(m_dialog_file).filename().string().c_str());
  if (m_dialog_layers.size() > 1 &&
      ImGui::BeginCombo(tr_id("Layer").c_str(), m_dialog_layers[static_cast<std::size_t>(m_dialog_layer)].c_str())) {
    for (std::size_t k = 0; k < m_dialog_layers.size(); ++k)
      if (ImGui::Selectable(m_dialog_layers[k].c_str(), static_cast<int>(k) == m_dialog_layer))
        m_dialog_layer = static_cast<int>(k);
    ImGui::EndCombo();
  }
  const auto& roles = core::all_roles();
  if (ImGui::BeginCombo(tr_id("Role").c_str(), role_label(static_cast<core::Role>(m_dialog_role)))) {
    for (auto r : roles)
      if (ImGui::Selectable(role_label(r), static_cast<int>(r) == m_dialog_role))
        m_dialog_role = static_cast<int>(r);
    ImGui::EndCombo();
  }
  ImGui::BeginDisabled(m_dialog_file.empty());
  if (ImGui::Button(tr_id("Add").c_str())) {
    std::string err;
    std::string inner =
        m_dialog_layers.size() > 1 ? m_dialog_layers[static_cast<std::size_t>(m_dialog_layer)] : std::string();
    if (load_layer_file(m_dialog_file, static_cast<core::Role>(m_dialog_role), inner, err)) {
      m_show_file_dialog = false;
      m_dialog_error.clear();
    } else {
      m_dialog_error = err;
    }
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button(tr_id("Cancel").c_str())) m_show_file_dialog = false;
  if (!m_dialog_error.empty()) {
    ImGui::SameLine();
    ImGui::TextColored({0.8f, 0.1f, 0.1f, 1}, "%s: %s", tr("Could not load the layer"),
                       m_dialog_error.c_str());
  }
  ImGui::End();
}

void App::draw_settings() {
  if (!m_show_settings) return;
  ImGui::SetNextWindowPos({340, 32}, ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize({300, 200}, ImGuiCond_FirstUseEver);
  if (!ImGui::Begin(tr_id("Settings").c_str(), &m_show_settings)) {
    ImGui::End();
    return;
  }
  note_panel_rect("settings");
  int lang = language() == Lang::Zh ? 0 : 1;
  ImGui::TextUnformatted(tr("Language"));
  if (ImGui::RadioButton("中文", lang == 0)) set_language(Lang::Zh);
  ImGui::SameLine();
  if (ImGui::RadioButton("English", lang == 1)) set_language(Lang::En);
  ImGui::Separator();
  ImGui::TextWrapped("%s", tr("Drag to pan, wheel to zoom, click to select."));
  if (!doc().diagnostics.problems.empty() && ImGui::CollapsingHeader(tr_id("Diagnostics").c_str()))
    for (const auto& p : doc().diagnostics.problems) ImGui::TextWrapped("%s", p.to_line().c_str());
  ImGui::End();
}

void App::draw_map_overlay() {
  ImDrawList* dl = ImGui::GetBackgroundDrawList();
  ImFont* font = m_label_font ? m_label_font : ImGui::GetFont();
  int fw = 0, fh = 0;
  fb_size(fw, fh);
  // Labels: candidates from visible labelled layers, placed without overlap.
  struct Src {
    std::size_t layer, feature;
    float size;
    core::Rgba colour;
  };
  std::vector<core::LabelCandidate> cands;
  std::vector<Src> srcs;
  core::BBox vis = m_view.visible();
  for (std::size_t li : m_order) {
    const core::Layer& L = doc().layers[li];
    const LayerUi& ui = m_layers[li];
    if (!ui.visible || !ui.style.labels || L.is_raster || ui.names.empty()) continue;
    if (ui.style.label_min_zoom_m_per_px > 0 && m_view.m_per_px > ui.style.label_min_zoom_m_per_px) continue;
    float size = ui.style.label_size_px;
    for (std::size_t f = 0; f < ui.anchor.size(); ++f) {
      if (ui.names[f].empty() || !vis.contains(ui.anchor[f])) continue;
      // polygons smaller than their label on screen get no label
      core::Vec2 s = m_view.to_screen(ui.anchor[f]);
      ImVec2 ts = font->CalcTextSizeA(size, 1e9f, 0, ui.names[f].c_str());
      if (L.geom.kind == core::GeomKind::Polygon) {
        const core::BBox& b = ui.bbox[f];
        if (b.width() / m_view.m_per_px < ts.x * 0.6) continue;
      }
      core::LabelCandidate c;
      c.anchor = s;
      c.width = ts.x + 4;
      c.height = ts.y + 2;
      c.priority = ui.style.label_priority;
      c.weight = ui.weight[f];
      c.centred = L.geom.kind == core::GeomKind::Polygon;
      c.offset = ui.style.symbol_size_px * 0.5 + 2;
      cands.push_back(c);
      srcs.push_back({li, f, size, ui.style.label_colour});
    }
  }
  // A town and its township often share a name: keep the text once (the higher priority).
  {
    std::vector<std::size_t> idx(cands.size());
    for (std::size_t k = 0; k < idx.size(); ++k) idx[k] = k;
    std::stable_sort(idx.begin(), idx.end(),
                     [&](std::size_t a, std::size_t b) { return cands[a].priority < cands[b].priority; });
    std::set<std::string> seen;
    std::vector<core::LabelCandidate> kept;
    std::vector<Src> kept_src;
    for (std::size_t k : idx)
      if (seen.insert(m_layers[srcs[k].layer].names[srcs[k].feature]).second) {
        kept.push_back(cands[k]);
        kept_src.push_back(srcs[k]);
      }
    cands = std::move(kept);
    srcs = std::move(kept_src);
  }
  core::BBox screen;
  screen.add(core::Vec2{0, 0});
  screen.add(core::Vec2{static_cast<double>(fw), static_cast<double>(fh)});
  // panels and the scale bar (bottom left) keep labels off
  std::vector<core::BBox> obstacles = m_panel_rects;
  double sb_y = fh - ImGui::GetFrameHeight() - 24;
  obstacles.push_back(core::BBox{0, sb_y - 22, 260, sb_y + 10});
  auto placed = core::place_labels(cands, screen, obstacles);
  m_label_count = static_cast<int>(placed.size());
  m_placed.clear();
  for (const auto& p : placed) {
    const Src& s = srcs[p.index];
    const std::string& text = m_layers[s.layer].names[s.feature];
    ImVec2 at{static_cast<float>(p.top_left.x) + 2, static_cast<float>(p.top_left.y) + 1};
    ImU32 halo = IM_COL32(255, 255, 255, 170);
    for (int dx = -1; dx <= 1; ++dx)
      for (int dy = -1; dy <= 1; ++dy)
        if (dx || dy) dl->AddText(font, s.size, {at.x + dx, at.y + dy}, halo, text.c_str());
    dl->AddText(font, s.size, at, to_imu32(s.colour), text.c_str());
    record(text);
    const core::LabelCandidate& c = cands[p.index];
    m_placed.push_back(
        {text, core::BBox{p.top_left.x, p.top_left.y, p.top_left.x + c.width, p.top_left.y + c.height}});
  }
  // Scale bar: a round length of about 120 pixels, bottom left above the status bar.
  double target_m = 120 * m_view.m_per_px;
  double pow10 = std::pow(10.0, std::floor(std::log10(target_m)));
  double len_m = pow10;
  for (double k : {1.0, 2.0, 5.0, 10.0})
    if (k * pow10 <= target_m) len_m = k * pow10;
  float len_px = static_cast<float>(len_m / m_view.m_per_px);
  float x0 = 16, y0 = static_cast<float>(fh) - ImGui::GetFrameHeight() - 24;
  dl->AddRectFilled({x0 - 6, y0 - 20}, {x0 + len_px + 60, y0 + 8}, IM_COL32(255, 255, 255, 200), 3);
  dl->AddRectFilled({x0, y0 - 3}, {x0 + len_px / 2, y0 + 3}, IM_COL32(40, 40, 40, 255));
  dl->AddRectFilled({x0 + len_px / 2, y0 - 3}, {x0 + len_px, y0 + 3}, IM_COL32(255, 255, 255, 255));
  dl->AddRect({x0, y0 - 3}, {x0 + len_px, y0 + 3}, IM_COL32(40, 40, 40, 255));
  std::string sl = format_distance(len_m);
  record(sl);
  dl->AddText({x0, y0 - 19}, IM_COL32(30, 30, 30, 255), "0");
  dl->AddText({x0 + len_px - 4, y0 - 19}, IM_COL32(30, 30, 30, 255), sl.c_str());
  // Hover tooltip.
  if (m_hover.valid() && m_mouse_valid) {
    const core::Layer& L = doc().layers[m_hover.layer];
    std::string name = render::feature_name(L, m_hover.feature);
    std::string tip =
        (name.empty() ? std::string("#") + std::to_string(m_hover.feature) : name) + "  ·  " + L.name;
    record(tip);
    ImGui::SetNextWindowPos({static_cast<float>(m_mouse.x) + 14, static_cast<float>(m_mouse.y) + 14});
    ImGui::BeginTooltip();
    ImGui::TextUnformatted(tip.c_str());
    ImGui::EndTooltip();
  }
}

bool App::write_screenshot(const std::string& path) {
  int w = 0, h = 0;
  fb_size(w, h);
  auto px = render::read_framebuffer(w, h);
  std::string err;
  if (!write_png(path, px, w, h, err)) {
    std::fprintf(stderr, "error: cannot write the screenshot %s: %s\n", path.c_str(), err.c_str());
    return false;
  }
  std::printf("kepumap: wrote %s (%dx%d)\n", path.c_str(), w, h);
  return true;
}

void App::write_state(const std::string& path) {
  auto esc = [](const std::string& s) {
    std::string o;
    for (unsigned char c : s) {
      if (c == '"' || c == '\\')
        o += '\\', o += static_cast<char>(c);
      else if (c < 0x20) {
        char b[8];
        std::snprintf(b, sizeof b, "\\u%04x", c);
        o += b;
      } else
        o += static_cast<char>(c);
    }
    return o;
  };
  std::ostringstream j;
  j.precision(17);
  j << "{\n  \"view\": {\"center_x\": " << m_view.center.x << ", \"center_y\": " << m_view.center.y
    << ", \"m_per_px\": " << m_view.m_per_px << ", \"width\": " << m_view.width_px
    << ", \"height\": " << m_view.height_px << "},\n";
  j << "  \"language\": \"" << language_code(language()) << "\",\n";
  j << "  \"selection\": {\"layer\": \"" << (m_sel.valid() ? esc(doc().layers[m_sel.layer].name) : "")
    << "\", \"feature\": " << (m_sel.valid() ? static_cast<long long>(m_sel.feature) : -1LL) << "},\n";
  j << "  \"labels\": " << m_label_count << ",\n";
  // the session: revision, edits in effect, whether the figures are current, and the figures
  // other outputs print (the consistency test compares them with the CLI's)
  j << "  \"session\": {\"revision\": " << m_session.revision() << ", \"edits\": " << m_session.applied()
    << ", \"facility_edits\": " << m_session.facility_edits() << ", \"stale\": " << (m_session.stale() ? "true" : "false")
    << ", \"scenario\": \"" << esc(m_session.scenario_label(false)) << "\"";
  if (m_session.ready()) {
    const auto& ev = m_session.evaluation().ev;
    j << ", \"population\": " << ev.coverage.total.population << ", \"covered_any\": " << ev.coverage.total.covered_any
      << ", \"services\": {";
    for (std::size_t k = 0; k < ev.services.size(); ++k)
      j << (k ? ", " : "") << "\"" << esc(ev.services[k].facility) << "\": {\"covered\": " << ev.coverage.total.service[k].covered
        << ", \"share\": " << ev.coverage.total.service[k].share() << ", \"facilities\": " << ev.sets[k].points.size() << "}";
    j << "}, \"targets\": {";
    for (std::size_t k = 0; k < ev.targets.size(); ++k)
      j << (k ? ", " : "") << "\"" << esc(ev.targets[k].target ? ev.targets[k].target->id : std::string("?"))
        << "\": {\"value\": " << ev.targets[k].value << ", \"pass\": " << (ev.targets[k].pass ? "true" : "false") << "}";
    j << "}";
  }
  j << "},\n  \"log\": [";
  for (std::size_t k = 0; k < m_log.size(); ++k) j << (k ? ", " : "") << "\"" << esc(m_log[k]) << "\"";
  j << "],\n";
  j << "  \"panels\": {\"layers\": " << m_show_layers << ", \"inspector\": " << m_show_inspector
    << ", \"legend\": " << m_show_legend << ", \"settings\": " << m_show_settings << "},\n";
  j << "  \"panel_rects\": {";
  for (std::size_t k = 0; k < m_panel_rects.size(); ++k)
    j << (k ? ", " : "") << "\"" << m_panel_names[k] << "\": [" << m_panel_rects[k].min_x << ", "
      << m_panel_rects[k].min_y << ", " << m_panel_rects[k].max_x << ", " << m_panel_rects[k].max_y << "]";
  j << "},\n  \"placed_labels\": [";
  for (std::size_t k = 0; k < m_placed.size(); ++k)
    j << (k ? ",\n    " : "\n    ") << "{\"text\": \"" << esc(m_placed[k].text) << "\", \"box\": ["
      << m_placed[k].box.min_x << ", " << m_placed[k].box.min_y << ", " << m_placed[k].box.max_x << ", "
      << m_placed[k].box.max_y << "]}";
  j << "],\n  \"ui_text\": [";
  bool first = true;
  for (const auto& s : m_last_strings) {
    j << (first ? "\n    " : ",\n    ") << "\"" << esc(s) << "\"";
    first = false;
  }
  j << "\n  ]\n}\n";
  if (!write_file_atomic(path, j.str())) std::fprintf(stderr, "error: cannot write %s\n", path.c_str());
}

int App::run() {
  m_scripted = !m_opt.screenshot.empty() || !m_opt.script.empty() || !m_opt.dump_state.empty() ||
               m_opt.bench_pan_frames > 0;
  if (!m_scripted || m_opt.use_settings) load_settings_files();
  if (!m_opt.script.empty()) {
    std::ifstream in(m_opt.script);
    if (!in) {
      std::fprintf(stderr, "error: %s: cannot read the script\n", m_opt.script.c_str());
      return 2;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    std::vector<std::string> errors;
    m_script = parse_script(ss.str(), m_opt.script, errors);
    for (const auto& e : errors) std::fprintf(stderr, "error: %s\n", e.c_str());
    if (!errors.empty()) return 2;
  }
  if (!m_opt.project.empty() && !fs::exists(m_opt.project)) {
    std::fprintf(stderr, "error: %s: no such project file\n", m_opt.project.c_str());
    return 2;
  }
  if (!open_window()) return k_no_display;
  if (!load_document()) return 2;
  setup_layers();
  int fw = 0, fh = 0;
  fb_size(fw, fh);
  m_view.width_px = fw;
  m_view.height_px = fh;
  bool restored = false;
  if ((!m_scripted || m_opt.use_settings) && !m_opt.project.empty()) {
    std::error_code ec;
    if (auto v = m_settings.get("view." + fs::absolute(m_opt.project, ec).lexically_normal().string())) {
      std::istringstream s(*v);
      render::View rv = m_view;
      if (s >> rv.center.x >> rv.center.y >> rv.m_per_px && rv.m_per_px > 0) {
        m_view = rv;
        restored = true;
      }
    }
  }
  if (!restored) fit_layer("all");

  int exit_code = 0;
  int frame = 0;
  std::vector<double> frame_ms;
  int target_frames = m_opt.frames > 0 ? m_opt.frames : (m_scripted ? 3 : 0);
  while (!glfwWindowShouldClose(m_win)) {
    auto t0 = std::chrono::steady_clock::now();
    // Interactive: sleep until an event (or a quarter second) instead of spinning.
    if (m_scripted)
      glfwPollEvents();
    else
      glfwWaitEventsTimeout(0.25);
    if (m_fonts_dirty) rebuild_fonts();
    fb_size(fw, fh);
    if (fw <= 0 || fh <= 0) {  // minimised
      glfwWaitEventsTimeout(0.1);
      continue;
    }
    m_view.width_px = fw;
    m_view.height_px = fh;
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    begin_recording();
    m_prev_panel_rects = m_panel_rects;
    m_panel_rects.clear();
    m_panel_names.clear();
    if (!m_scripted || m_opt.live_input) {
      handle_mouse();
      bool ctrl = glfwGetKey(m_win, GLFW_KEY_LEFT_CONTROL) == GLFW_PRESS ||
                  glfwGetKey(m_win, GLFW_KEY_RIGHT_CONTROL) == GLFW_PRESS;
      if (glfwGetKey(m_win, GLFW_KEY_Q) == GLFW_PRESS && ctrl) glfwSetWindowShouldClose(m_win, 1);
      bool shift = glfwGetKey(m_win, GLFW_KEY_LEFT_SHIFT) == GLFW_PRESS ||
                   glfwGetKey(m_win, GLFW_KEY_RIGHT_SHIFT) == GLFW_PRESS;
      m_analysis.keys(ctrl, shift, glfwGetKey(m_win, GLFW_KEY_Z) == GLFW_PRESS,
                      glfwGetKey(m_win, GLFW_KEY_Y) == GLFW_PRESS);  // undo / redo (sticky keys)
    } else {
      m_events.clear();  // scripted: the real mouse is ignored
    }
    m_tasks.poll();
    sync_layers();
    m_want_figures = false;
    if (m_scripted) {
      if (!step_script(exit_code)) break;
      sync_layers();
      if (m_opt.bench_pan_frames > 0) {
        // pan around a circle of 300 pixels radius, one turn per 240 frames (about 8 pixels a frame)
        double t0a = 2 * M_PI * frame / 240.0, t1a = 2 * M_PI * (frame + 1) / 240.0;
        m_view.pan(300 * (std::cos(t1a) - std::cos(t0a)), 300 * (std::sin(t1a) - std::sin(t0a)));
      }
    }
    draw_menu();
    draw_layers_panel();
    draw_inspector();
    draw_legend();
    draw_settings();
    draw_file_dialog();
    {
      AnalysisHost ah = analysis_host();
      m_analysis.frame(ah);
      m_caravan.frame(ah);
      m_siting.frame(ah, m_analysis);
    }
    if (m_want_figures) start_evaluation();
    sync_layers();
    for (; m_log_shown < m_log.size(); ++m_log_shown) std::fprintf(stderr, "%s\n", m_log[m_log_shown].c_str());
    draw_status_bar();
    draw_map_overlay();
    ImGui::Render();
    core::Rgba bg = m_style.background;
    glViewport(0, 0, fw, fh);
    glClearColor(bg.r, bg.g, bg.b, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    std::vector<render::LayerVisibility> vis(m_layers.size());
    for (std::size_t i = 0; i < m_layers.size(); ++i) vis[i] = {m_layers[i].visible, m_layers[i].opacity};
    m_renderer->draw(m_view, m_order, vis, m_sel, m_style.highlight);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    m_last_strings = end_recording();
    ++frame;
    if (!m_pending_screenshot.empty()) {
      if (!write_screenshot(m_pending_screenshot)) exit_code = 2;
      m_pending_screenshot.clear();
    }
    bool script_done = m_script_pos >= m_script.size() && m_wait == 0;
    // live input: run until the window is closed (Ctrl+Q), then write the outputs
    bool last = m_scripted && script_done &&
                (m_opt.live_input ? glfwWindowShouldClose(m_win) != 0
                                  : frame >= std::max(target_frames, m_opt.bench_pan_frames));
    if (last) {
      if (!m_opt.screenshot.empty() && !write_screenshot(m_opt.screenshot)) exit_code = 2;
      if (!m_opt.dump_state.empty()) write_state(m_opt.dump_state);
    }
    glfwSwapBuffers(m_win);
    if (m_opt.bench_pan_frames > 0) {
      glFinish();
      frame_ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    if (last) break;
  }
  if (m_opt.bench_pan_frames > 0 && frame_ms.size() > 10) {
    std::vector<double> v(frame_ms.begin() + 5, frame_ms.end());  // skip warm-up frames
    std::sort(v.begin(), v.end());
    double median = v[v.size() / 2];
    double p99 = v[std::min(v.size() - 1,
                            static_cast<std::size_t>(std::ceil(0.99 * static_cast<double>(v.size()))) - 1)];
    std::printf("bench_pan: frames=%zu size=%dx%d median_ms=%.2f p99_ms=%.2f renderer=%s\n", v.size(), fw, fh,
                median, p99, reinterpret_cast<const char*>(glGetString(GL_RENDERER)));
  }
  if (!m_scripted || m_opt.use_settings) save_all_settings();
  return exit_code;
}

int run_app(const AppOptions& options) {
  App app(options);
  return app.run();
}

}  // namespace kepumap::ui
