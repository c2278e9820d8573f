#include "ui/app.hpp"

#include "ui/app_window.hpp"

#include <array>
#include <cstring>
#include <ctime>

namespace kepumap::ui {

namespace fs = std::filesystem;

App::~App() {
  m_tasks.cancel_all();  // no task is waited for
  if (m_imgui) m_analysis.release_gl();
  if (m_imgui) m_basemaps.release_gl();
  m_canvas.reset();
  m_ui_cache.reset();
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
  m_layout.set_free_keys(m_settings.get("layout.free").value_or(""));
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
  m_settings.set("layout.free", m_layout.free_keys());
  save_settings(m_settings, m_settings_file);
  std::size_t size = 0;
  const char* ini = ImGui::SaveIniSettingsToMemory(&size);
  // every window kept inside the window it was in; nothing written from a minimised window
  const ImVec2 d = ImGui::GetIO().DisplaySize;
  const std::string checked = sanitize_ini(std::string(ini, size), d.x, d.y, ImGui::GetFrameHeight());
  if (!checked.empty()) write_file_atomic(m_imgui_ini, checked);
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
  for (std::size_t i = 0; i < m_layers.size(); ++i) apply_layer_look(i);  // each layer's own style kept
}

void App::add_layer_ui(std::size_t i) {
  LayerUi ui;
  ui.style = m_style.for_role(doc().layers[i].role);
  compute_layer_cache(doc().layers[i], ui);
  ++m_label_generation;
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
  if (m_opt.project.empty()) {
    error = "no project open (未打开项目)";
    return false;
  }
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
    follow_layer_changes(*old);  // a role or field edit, or its undo
  } else {
    // a layer removed (or an addition undone): rebuilt, each remaining layer keeping its look
    std::map<std::string, LayerUi> kept;
    for (std::size_t i = 0; i < old->layers.size() && i < m_layers.size(); ++i)
      kept[old->layers[i].name] = std::move(m_layers[i]);
    m_layers.clear();
    m_order.clear();
    m_renderer->clear();
    for (std::size_t i = 0; i < next->layers.size(); ++i) {
      add_layer_ui(i);
      if (auto it = kept.find(next->layers[i].name); it != kept.end()) {
        m_layers[i].visible = it->second.visible;
        m_layers[i].title = it->second.title;
        m_layers[i].opacity = it->second.opacity;
        m_layers[i].style = it->second.style;
        m_layers[i].spec = it->second.spec;
        m_layers[i].choropleth = render::resolve_choropleth(next->layers[i], m_layers[i].style);
        m_renderer->restyle(i, next->layers[i], m_layers[i].style);
      }
    }
    clear_selection();
    m_hover = {};
  }
  m_fonts_dirty = true;
}

void App::setup_layers() {
  m_renderer = std::make_unique<render::MapRenderer>();
  std::string err;
  if (!m_renderer->init(err)) throw std::runtime_error(err);
  m_canvas = std::make_unique<render::Canvas>();
  if (!m_canvas->init(err)) {
    m_log.push_back("warning: " + err + " (the map is drawn without its cache)");
    m_canvas.reset();
  }
  if (m_opt.panel_cache) m_ui_cache = std::make_unique<UiCache>();
  if (m_ui_cache && !m_ui_cache->init(err)) {
    m_log.push_back("warning: " + err + " (the panels are drawn every frame)");
    m_ui_cache.reset();
  }
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
  for (const auto& s : m_basemaps.glyph_texts()) b.AddText(s.c_str());
  // the log's lines (a message naming a file, field or value in Chinese shows whole) and the
  // load diagnostics
  for (const auto& s : m_log) b.AddText(s.c_str());
  for (const auto& p : doc().diagnostics.problems) b.AddText(p.to_line().c_str());
  m_log_glyphs = m_log.size();
  // typed and pasted text, the script's text, and the scenarios' labels (created in the app)
  b.AddText(m_extra_glyphs.c_str());
  for (const auto& sc : m_session.document()->config.scenarios) b.AddText(sc.label.c_str());
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
    m_extra_glyphs = ss.str();  // what the script types (titles, names, labels) shows whole
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
  apply_project_looks();
  mark_clean();
  if (!m_opt.project.empty()) remember_recent(m_opt.project);
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
  m_bench = {};
  auto bench_mark = [&](std::chrono::steady_clock::time_point& t) {
    if (m_opt.bench_pan_frames == 0) return 0.0;
    glFinish();
    const auto now = std::chrono::steady_clock::now();
    const double ms = std::chrono::duration<double, std::milli>(now - t).count();
    t = now;
    return ms;
  };
  // benchmark frames count from when the script has run and no job is left (so a load or an
  // evaluation still running does not count as drawing time)
  int bench_frame = -1;
  int target_frames = m_opt.frames > 0 ? m_opt.frames : (m_scripted ? 3 : 0);
  while (!glfwWindowShouldClose(m_win)) {
    auto t0 = std::chrono::steady_clock::now();
    const double cpu0 = process_cpu_ms();
    // Interactive: sleep until an event (or a quarter second) instead of spinning.
    if (m_scripted || (m_canvas && m_canvas->rendering()))  // a map image still to finish: no waiting
      glfwPollEvents();
    else
      glfwWaitEventsTimeout(0.25);
    if (m_log.size() != m_log_glyphs) m_fonts_dirty = true;  // new lines may need glyphs
    // the modifier keys, read once a frame: with sticky keys a second glfwGetKey after a press
    // and release quicker than a frame says released, so a quick Ctrl+Q would be lost
    m_ctrl_down = glfwGetKey(m_win, GLFW_KEY_LEFT_CONTROL) == GLFW_PRESS ||
                  glfwGetKey(m_win, GLFW_KEY_RIGHT_CONTROL) == GLFW_PRESS;
    m_shift_down = glfwGetKey(m_win, GLFW_KEY_LEFT_SHIFT) == GLFW_PRESS ||
                   glfwGetKey(m_win, GLFW_KEY_RIGHT_SHIFT) == GLFW_PRESS;
    collect_typed_glyphs();
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
    apply_script_mouse();
    ImGui::NewFrame();
    begin_recording();
    m_prev_panel_rects = m_panel_rects;
    m_panel_rects.clear();
    m_panel_names.clear();
    if (!m_scripted || m_opt.live_input) {
      handle_mouse();
      const bool ctrl = m_ctrl_down;
      if (glfwGetKey(m_win, GLFW_KEY_Q) == GLFW_PRESS && ctrl) glfwSetWindowShouldClose(m_win, 1);
      file_shortcuts(ctrl);
      // window close and Ctrl+Q with unsaved changes: the prompt first (保存 / 不保存 / 取消);
      // scripted runs quit as told (`project quit` asks)
      if (!m_scripted && glfwWindowShouldClose(m_win) && !m_quit_confirmed && project_dirty()) {
        glfwSetWindowShouldClose(m_win, 0);
        if (!m_show_unsaved) request(Pending::Quit);
      }
      const bool shift = m_shift_down;
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
      if (m_opt.bench_pan_frames > 0 && bench_frame < 0 && m_script_pos >= m_script.size() && m_wait == 0 &&
          m_tasks.running().empty())
        bench_frame = 0;
      if (bench_frame >= 0) bench_step(bench_frame);
    }
    draw_menu();
    draw_layers_panel();
    draw_inspector();
    draw_legend();
    draw_layer_props();
    draw_scenario_window();
    draw_attribute_table();
    draw_search();
    draw_measure();
    draw_select_rect();
    draw_log();
    draw_settings();
    draw_file_dialog();
    draw_project_dialog();
    draw_unsaved_prompt();
    {
      AnalysisHost ah = analysis_host();
      m_analysis.frame(ah);
      m_caravan.frame(ah);
      m_siting.frame(ah, m_analysis);
    }
    if (m_want_figures) start_evaluation();
    sync_layers();
    follow_styles(!ImGui::IsAnyItemActive());
    for (; m_log_shown < m_log.size(); ++m_log_shown)
      std::fprintf(stderr, "%s\n", m_log[m_log_shown].c_str());
    m_basemaps.frame(basemap_host());
    draw_status_bar();
    draw_map_overlay();
    ImGui::Render();
    auto tp = t0;
    std::array<double, 4> parts{};
    parts[0] = bench_mark(tp);
    std::vector<render::LayerVisibility> vis(m_layers.size());
    for (std::size_t i = 0; i < m_layers.size(); ++i) vis[i] = {m_layers[i].visible, m_layers[i].opacity};
    // the layers into the cached image: a test's frame renders it whole, the window (and the
    // benchmark) some milliseconds of it a frame while the last image is shown moved or scaled
    core::Rgba bg = m_style.background;
    if (m_canvas)
      m_canvas->update(
          *m_renderer, m_view, m_order, vis, canvas_content(),
          m_scripted && m_opt.bench_pan_frames == 0 ? -1.0 : k_canvas_budget_ms, bg,
          [this](const render::View& v) { m_basemaps.draw_gl(v); }, over_content(),
          [this](const render::View& v, int part) { draw_over(v, part); });
    collect_placed_labels();
    parts[1] = bench_mark(tp);
    // the panels (ImGui) into their cached texture, drawn again only where they changed
    if (m_ui_cache) m_ui_cache->update(ImGui::GetDrawData(), fw, fh);
    parts[2] = bench_mark(tp);
    glViewport(0, 0, fw, fh);
    const bool covered = m_canvas && m_canvas->covers_window(m_view);
    if (!covered) {
      // outside the cached image (until a new one covers the window)
      glClearColor(bg.r, bg.g, bg.b, 1.0f);
      glClear(GL_COLOR_BUFFER_BIT);
      m_basemaps.draw_gl(m_view);
    }
    if (m_canvas) {
      m_canvas->draw(m_view);
      m_renderer->begin(m_view);
      m_renderer->draw_selection(m_view, m_sel.valid() ? m_sel.layer : SIZE_MAX, m_sel_set,
                                 m_style.highlight);
    } else {
      m_renderer->draw(m_view, m_order, vis, {}, m_style.highlight);
      m_renderer->draw_selection(m_view, m_sel.valid() ? m_sel.layer : SIZE_MAX, m_sel_set,
                                 m_style.highlight);
      draw_over(m_view, -1);
    }
    if (m_ui_cache)
      m_ui_cache->draw();
    else
      ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    parts[3] = bench_mark(tp);
    m_last_strings = end_recording();
    ++frame;
    if (!m_pending_screenshot.empty()) {
      if (!write_screenshot(m_pending_screenshot)) exit_code = 2;
      m_pending_screenshot.clear();
    }
    bool script_done = m_script_pos >= m_script.size() && m_wait == 0 &&
                       (m_opt.bench_pan_frames > 0 || !m_analysis.drawing_pending());
    // live input: run until the window is closed (Ctrl+Q), then write the outputs
    bool last = m_scripted && script_done &&
                (m_opt.live_input             ? glfwWindowShouldClose(m_win) != 0
                 : m_opt.bench_pan_frames > 0 ? bench_frame + 1 >= m_opt.bench_pan_frames + 5
                                              : frame >= target_frames);
    if (last) {
      if (!m_opt.screenshot.empty() && !write_screenshot(m_opt.screenshot)) exit_code = 2;
      if (!m_opt.dump_state.empty()) write_state(m_opt.dump_state);
    }
    glfwSwapBuffers(m_win);
    if (bench_frame >= 0) {
      ++bench_frame;
      glFinish();
      m_bench.frame_ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
      m_bench.part_ms.push_back(parts);
      m_bench.cpu_ms.push_back(process_cpu_ms() - cpu0);
      if (m_canvas)
        m_bench.work.push_back({m_canvas->last_work(), m_canvas->last_steps(), m_canvas->last_estimate_ms()});
      else
        m_bench.work.emplace_back();
    }
    if (last) break;
  }
  if (m_session.dragging()) m_session.end_drag();
  if (m_opt.bench_pan_frames > 0 && m_bench.frame_ms.size() > 10) print_bench(fw, fh);
  if (!m_scripted || m_opt.use_settings) save_all_settings();
  return exit_code;
}

std::uint64_t App::canvas_content() const {
  // FNV-1a over what the layers look like
  std::uint64_t h = 1469598103934665603ull;
  auto mix = [&](std::uint64_t v) {
    for (int k = 0; k < 8; ++k) {
      h ^= (v >> (8 * k)) & 0xff;
      h *= 1099511628211ull;
    }
  };
  mix(m_renderer ? m_renderer->generation() : 0);
  mix(m_basemaps.look());
  std::uint32_t bg[3];
  std::memcpy(bg, &m_style.background, sizeof bg);
  for (auto b : bg) mix(b);
  for (std::size_t i : m_order) mix(i);
  for (const LayerUi& l : m_layers) {
    mix(l.visible ? 1 : 0);
    std::uint32_t bits = 0;
    std::memcpy(&bits, &l.opacity, sizeof bits);
    mix(bits);
  }
  return h;
}

int run_app(const AppOptions& options) {
  App app(options);
  return app.run();
}

}  // namespace kepumap::ui
