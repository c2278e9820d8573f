// The app's test-script runner (ui/script.hpp): one command per frame, typed calls into the
// app and its panels.
#include "ui/app_window.hpp"

namespace kepumap::ui {

namespace {

/// The "memory STEP" line: VmHWM and VmRSS of /proc/self/status in MiB (-1 where not known).
void print_memory(const std::string& step) {
  double peak = -1, rss = -1;
  std::ifstream in("/proc/self/status");
  std::string key;
  double kib = 0;
  while (in >> key) {
    if (key == "VmHWM:" && in >> kib) peak = kib / 1024.0;
    if (key == "VmRSS:" && in >> kib) rss = kib / 1024.0;
  }
  std::printf("bench_memory %s peak_mib=%.1f rss_mib=%.1f\n", step.c_str(), peak, rss);
  std::fflush(stdout);
}

}  // namespace

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
  } else if (c.verb == "select") {
    if (c.args.size() > 2 && c.args[2] != "add") return fail("select X Y [add]");
    select(pick({num(0), num(1)}), c.args.size() > 2);
  } else if (c.verb == "select_rect") {  // select_rect X0 Y0 X1 Y1 [add]: a Shift-drag
    if (c.args.size() > 4 && c.args[4] != "add") return fail("select_rect X0 Y0 X1 Y1 [add]");
    core::BBox r;
    r.add(m_view.to_map({num(0), num(1)}));
    r.add(m_view.to_map({num(2), num(3)}));
    select_in_rect(r, c.args.size() > 4);
  } else if (c.verb == "zoom_selection") {
    if (!m_sel.valid()) return fail("zoom_selection: nothing is selected");
    zoom_to_selection();
  } else if (c.verb == "table_filter") {
    std::string f;
    for (const auto& a : c.args) f += (f.empty() ? "" : " ") + a;
    std::snprintf(m_table_filter, sizeof m_table_filter, "%s", f.c_str());
  } else if (c.verb == "table_export") {
    std::string err;
    if (!export_table_selection(c.args[0], err)) return fail("table_export: " + err);
  } else if (c.verb == "hover") {
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
    else if (n == "table")
      m_show_table = v;
    else if (n == "log")
      m_show_log = v;
    else if (n == "scenarios") {  // open_panel scenarios [NAME|new]
      m_show_scenarios = v;
      if (v) {
        m_scen_editing = c.args.size() > 1 && c.args[1] != "new" ? c.args[1] : std::string();
        load_scenario_draft();
      }
    } else if (n == "layer_props") {  // open_panel layer_props LAYER
      if (v) {
        m_props_layer = c.args.size() > 1 ? layer_index(c.args[1]) : SIZE_MAX;
        if (m_props_layer == SIZE_MAX) return fail("open_panel layer_props: give a layer name");
      }
      m_show_props = v;
    } else
      return fail("unknown panel '" + n +
                  "' (layers, inspector, legend, settings, add_layer, table, log, scenarios [NAME], "
                  "layer_props LAYER)");
  } else if (c.verb == "show" || c.verb == "hide") {
    bool found = false;
    for (std::size_t i = 0; i < doc().layers.size(); ++i)
      if (doc().layers[i].name == c.args[0]) {
        m_layers[i].visible = c.verb == "show";
        found = true;
      }
    if (!found) return fail("no layer named '" + c.args[0] + "'");
  } else if (c.verb == "title") {  // title LAYER TEXT: the layer's display name
    bool found = false;
    for (std::size_t i = 0; i < doc().layers.size(); ++i)
      if (doc().layers[i].name == c.args[0]) {
        m_layers[i].title = c.args.size() > 1 ? c.args[1] : std::string();
        found = true;
      }
    if (!found) return fail("no layer named '" + c.args[0] + "'");
  } else if (c.verb == "measure") {  // measure LON LAT: turns measuring on and adds that point
    if (!m_to_lonlat) return fail("measure: no map yet");
    m_measuring = true;
    m_measure_pts.push_back(m_to_lonlat->apply_inverse(core::Vec2{num(0), num(1)}));
  } else if (c.verb == "select_feature") {  // select_feature LAYER N: selects and shows feature N
    const std::size_t i = layer_index(c.args[0]);
    if (i == SIZE_MAX) return fail("no layer named '" + c.args[0] + "'");
    const double n = num(1);
    if (!(n >= 0) || n >= static_cast<double>(doc().layers[i].geom.feature_count()))
      return fail("select_feature: layer " + c.args[0] + " has no feature " + c.args[1]);
    render::Selection s;
    s.layer = i;
    s.feature = static_cast<std::size_t>(n);
    if (c.args.size() > 2) {
      if (c.args[2] != "add") return fail("select_feature LAYER N [add]");
      select(s, true);
    } else {
      go_to(s);
    }
  } else if (c.verb == "measure_wait") {  // until the measured points' travel time is computed
    std::string err;
    if (m_measure_pts.size() < 2) return fail("measure_wait: measure two points first");
    if (!wait_figures(err)) return fail(err);
    for (;;) {
      m_tasks.poll();
      update_measure_route();
      if (!m_route.pending && m_route.points == m_measure_pts && m_route.seconds >= 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  } else if (c.verb == "find") {  // find TEXT [N]: 查找地点, then go to hit N (1-based) if given
    m_show_search = true;
    std::snprintf(m_search_text, sizeof m_search_text, "%s", c.args[0].c_str());
    search_places(c.args[0]);
    if (c.args.size() > 1) {
      const auto n = static_cast<std::size_t>(std::max(1.0, num(1)));
      if (n > m_search_hits.size()) return fail("find: no hit " + c.args[1]);
      go_to(m_search_hits[n - 1]);
    }
  } else if (c.verb == "table") {  // table LAYER: the attribute table lists that layer
    bool found = false;
    for (std::size_t i = 0; i < doc().layers.size() && !found; ++i)
      if (doc().layers[i].name == c.args[0]) {
        m_table_layer = i;
        m_table_order.clear();
        m_show_table = found = true;
      }
    if (!found) return fail("no layer named '" + c.args[0] + "'");
  } else if (c.verb == "remove") {  // remove LAYER: as the layers panel's 移除图层
    bool found = false;
    for (std::size_t i = 0; i < doc().layers.size() && !found; ++i)
      if (doc().layers[i].name == c.args[0]) {
        found = m_session.remove_layer(i);
        sync_layers();
      }
    if (!found) return fail("no layer named '" + c.args[0] + "'");
  } else if (c.verb == "set_language")
    set_language(c.args[0] == "en" ? Lang::En : Lang::Zh);
  else if (c.verb == "load_layer") {
    auto role = core::role_from_name(c.args[1]);
    if (!role) return fail("unknown role '" + c.args[1] + "'");
    std::string err;
    if (!load_layer_file(c.args[0], *role, c.args.size() > 2 ? c.args[2] : std::string(), err))
      return fail(err);
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
  } else if (c.verb == "basemap") {
    std::string err;
    if (!m_basemaps.script(basemap_host(), c.args, err)) return fail(err);
  } else if (c.verb == "layer_props") {
    std::string err;
    if (!layer_props_script(c.args, err)) return fail(err);
  } else if (c.verb == "scenario_edit") {
    std::string err;
    if (!scenario_script(c.args, err)) return fail(err);
  } else if (c.verb == "project") {
    std::string err;
    if (!script_project(c.args, err)) return fail(err);
  } else if (c.verb == "click") {
    m_script_click = {num(0), num(1)};
    m_script_click_frames = 2;   // pressed this frame, released the next
  } else if (c.verb == "key") {  // key escape: pressed in the next frame, released the one after
    if (c.args[0] != "escape") return fail("key: only 'escape' is known");
    m_script_key = GLFW_KEY_ESCAPE;
    m_script_key_frames = 2;
  } else if (c.verb == "wait")
    m_wait = std::max(0, static_cast<int>(num(0)) - 1);
  else if (c.verb == "screenshot")
    m_pending_screenshot = c.args[0];
  else if (c.verb == "memory")
    print_memory(c.args[0]);
  return true;
}

}  // namespace kepumap::ui
