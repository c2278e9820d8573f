// What a scripted run leaves behind: the screenshot and the state dump (--dump-state).
#include "ui/app_window.hpp"

namespace kepumap::ui {

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
    << "\", \"feature\": " << (m_sel.valid() ? static_cast<long long>(m_sel.feature) : -1LL)
    << ", \"features\": [";
  if (m_sel.valid())
    for (std::size_t k = 0; k < m_sel_set.size(); ++k) j << (k ? ", " : "") << m_sel_set[k];
  j << "]},\n";
  j << "  \"table\": {\"layer\": \""
    << (m_show_table && m_table_layer < doc().layers.size() ? esc(doc().layers[m_table_layer].name) : "")
    << "\", \"rows_shown\": " << (m_show_table ? static_cast<long long>(m_table_rows.size()) : -1LL)
    << "},\n";
  j << "  \"labels\": " << m_label_count << ",\n";
  j << "  \"measure\": {\"points\": " << m_measure_pts.size() << ", \"km\": " << measured_km()
    << ", \"km2\": " << measured_km2() << ", \"route_minutes\": "
    << (m_route.points == m_measure_pts && m_route.seconds >= 0 && std::isfinite(m_route.seconds)
            ? m_route.seconds / 60.0
            : -1.0)
    << ", \"route_points\": " << m_route.path.size() << "},\n";
  j << "  \"label_placements\": " << m_label_placements << ",\n";
  j << "  \"map_sites\": " << m_over_sites << ",\n";
  j << "  \"panel_px_redrawn\": " << (m_ui_cache ? m_ui_cache->redrawn_px() : -1) << ",\n";
  // the session: revision, edits in effect, whether the figures are current, and the figures
  // other outputs print (the consistency test compares them with the CLI's)
  j << "  \"session\": {\"revision\": " << m_session.revision() << ", \"edits\": " << m_session.applied()
    << ", \"facility_edits\": " << m_session.facility_edits()
    << ", \"stale\": " << (m_session.stale() ? "true" : "false") << ", \"scenario\": \""
    << esc(m_session.scenario_label(false)) << "\", \"scenario_name\": \"" << esc(m_session.scenario())
    << "\", \"evaluated_scenario\": \"" << esc(m_session.key().scenario) << "\", \"scenarios\": [";
  {
    const auto& scs = m_session.document()->config.scenarios;
    for (std::size_t k = 0; k < scs.size(); ++k)
      j << (k ? ", " : "") << "{\"name\": \"" << esc(scs[k].name)
        << "\", \"offroad_kmh\": " << (scs[k].offroad_kmh ? *scs[k].offroad_kmh : -1.0)
        << ", \"road_speeds\": " << scs[k].road_speeds.size()
        << ", \"closed\": " << scs[k].closed_classes.size() << "}";
  }
  j << "]";
  if (m_session.ready()) {
    const auto& ev = m_session.evaluation().ev;
    j << ", \"population\": " << ev.coverage.total.population
      << ", \"covered_any\": " << ev.coverage.total.covered_any << ", \"services\": {";
    for (std::size_t k = 0; k < ev.services.size(); ++k)
      j << (k ? ", " : "") << "\"" << esc(ev.services[k].facility)
        << "\": {\"covered\": " << ev.coverage.total.service[k].covered
        << ", \"share\": " << ev.coverage.total.service[k].share()
        << ", \"facilities\": " << ev.sets[k].points.size() << "}";
    j << "}, \"targets\": {";
    for (std::size_t k = 0; k < ev.targets.size(); ++k)
      j << (k ? ", " : "") << "\"" << esc(ev.targets[k].target ? ev.targets[k].target->id : std::string("?"))
        << "\": {\"value\": " << ev.targets[k].value
        << ", \"pass\": " << (ev.targets[k].pass ? "true" : "false") << "}";
    j << "}, \"gini_time\": " << ev.coverage.equity.gini_time << ", \"units\": {";
    // every unit of every level, as the unit table and the map read them
    const auto& area = m_session.evaluation().area;
    for (std::size_t l = 0; l < area.levels.size() && l < ev.coverage.levels.size(); ++l) {
      j << (l ? ", " : "") << "\"" << esc(area.levels[l].name) << "\": [";
      for (std::size_t u = 0; u < ev.coverage.levels[l].size() && u < area.levels[l].names.size(); ++u) {
        const auto& f = ev.coverage.levels[l][u];
        j << (u ? ", " : "") << "{\"name\": \"" << esc(area.levels[l].names[u])
          << "\", \"population\": " << f.population << ", \"covered\": [";
        for (std::size_t k = 0; k < f.service.size(); ++k) j << (k ? ", " : "") << f.service[k].covered;
        j << "], \"covered_any\": " << f.covered_any << ", \"gap\": " << f.gap << "}";
      }
      j << "]";
    }
    j << "}";
  }
  j << "},\n  \"layers\": [";
  for (std::size_t i = 0; i < doc().layers.size() && i < m_layers.size(); ++i) {
    const core::Layer& L = doc().layers[i];
    const LayerUi& ui = m_layers[i];
    j << (i ? ", " : "") << "{\"name\": \"" << esc(L.name) << "\", \"role\": \"" << core::role_name(L.role)
      << "\", \"name_field\": \"" << esc(L.fields.name) << "\", \"style\": \"" << esc(ui.spec.kind)
      << "\", \"field\": \"" << esc(ui.spec.field)
      << "\", \"classes\": " << (ui.choropleth ? ui.choropleth->breaks.size() + 1 : 0)
      << ", \"categories\": " << ui.style.categories.size() << ", \"fill\": \"" << short_hex(ui.style.fill)
      << "\", \"labels\": " << (ui.style.labels ? "true" : "false") << ", \"method\": \""
      << esc(ui.choropleth ? ui.choropleth->method : std::string()) << "\", \"ramp\": \"" << esc(ui.spec.ramp)
      << "\", \"breaks\": [";
    if (ui.choropleth)
      for (std::size_t k = 0; k < ui.choropleth->breaks.size(); ++k)
        j << (k ? ", " : "") << ui.choropleth->breaks[k];
    j << "], \"category_colours\": {";  // the colours drawn, value -> #rrggbb
    for (std::size_t k = 0; k < ui.style.categories.size(); ++k)
      j << (k ? ", " : "") << "\"" << esc(ui.style.categories[k].first) << "\": \""
        << short_hex(ui.style.categories[k].second) << "\"";
    j << "}}";
  }
  j << "],\n  \"log\": [";
  for (std::size_t k = 0; k < m_log.size(); ++k) j << (k ? ", " : "") << "\"" << esc(m_log[k]) << "\"";
  j << "],\n";
  j << "  \"panels\": {\"layers\": " << m_show_layers << ", \"inspector\": " << m_show_inspector
    << ", \"legend\": " << m_show_legend << ", \"settings\": " << m_show_settings
    << ", \"layer_props\": " << m_show_props << ", \"scenarios\": " << m_show_scenarios << "},\n";
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

}  // namespace kepumap::ui
