// The app's own panels: menu, layers, inspector, legend, status bar, settings.
#include "ui/analysis_state.hpp"
#include "ui/app_window.hpp"

namespace kepumap::ui {

namespace {
/// The status bar's height (at least ImGui's smallest window), pixels.
float status_bar_height() { return std::max(ImGui::GetFrameHeight() + 6, ImGui::GetStyle().WindowMinSize.y); }
}  // namespace

void App::note_panel_rect(const char* name) {
  m_panel_names.emplace_back(name);
  ImVec2 p = ImGui::GetWindowPos(), s = ImGui::GetWindowSize();
  core::BBox b;
  b.add(core::Vec2{p.x, p.y});
  b.add(core::Vec2{p.x + s.x, p.y + s.y});
  m_panel_rects.push_back(b);
  m_layout.drawn(name);
}

void App::draw_menu() {
  {
    // the panels are laid out between the menu bar and the status bar (draw_status_bar)
    const ImVec2 d = ImGui::GetIO().DisplaySize;
    m_layout.begin_frame(d.x, d.y, ImGui::GetFrameHeight(), status_bar_height());
  }
  escape_key();
  if (!ImGui::BeginMainMenuBar()) return;
  draw_file_menu();
  if (ImGui::BeginMenu(tr_id("View").c_str())) {
    ImGui::MenuItem(tr_id("Layers").c_str(), nullptr, &m_show_layers);
    ImGui::MenuItem(tr_id("Inspector").c_str(), nullptr, &m_show_inspector);
    ImGui::MenuItem(tr_id("Legend").c_str(), nullptr, &m_show_legend);
    ImGui::MenuItem(tr_id("Attribute table").c_str(), nullptr, &m_show_table);
    ImGui::MenuItem(tr_id("Find place").c_str(), nullptr, &m_show_search);
    ImGui::MenuItem(tr_id("Measure").c_str(), nullptr, &m_measuring);
    ImGui::MenuItem(tr_id("Log").c_str(), nullptr, &m_show_log);
    ImGui::MenuItem(tr_id("Settings").c_str(), nullptr, &m_show_settings);
    ImGui::MenuItem(tr_id("Travel scenarios").c_str(), nullptr, &m_show_scenarios);
    m_analysis.menu_items();
    m_caravan.menu_items();
    m_siting.menu_items();
    ImGui::Separator();
    if (ImGui::MenuItem(tr_id("Fit all").c_str())) fit_layer("all");
    if (ImGui::MenuItem(tr_id("Zoom to selection").c_str(), nullptr, false, m_sel.valid()))
      zoom_to_selection();
    if (ImGui::MenuItem(tr_id("Clear selection").c_str(), nullptr, false, m_sel.valid())) clear_selection();
    if (ImGui::MenuItem(tr_id("Reset panel layout").c_str())) m_layout.reset();
    if (ImGui::MenuItem(tr_id("Add layer...").c_str())) m_show_file_dialog = true;
    ImGui::Separator();
    if (ImGui::MenuItem(tr_id("Quit").c_str(), "Ctrl+Q")) glfwSetWindowShouldClose(m_win, 1);
    ImGui::EndMenu();
  }
  // The travel scenario shown, always visible (the map, every panel and export follow it).
  draw_scenario_choice();
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
  m_layout.place("layers", Side::Left, 320, 440);
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
    const std::string& shown = ui.title.empty() ? L.name : ui.title;
    record(shown);
    // the role in brackets, unless the name already says it (大篷车停靠点 (大篷车停靠点))
    const bool same = shown == role_label(L.role);
    bool open = same ? ImGui::TreeNode("##layer", "%s", shown.c_str())
                     : ImGui::TreeNode("##layer", "%s  (%s)", shown.c_str(), role_label(L.role));
    if (open) {
      // The display name (saved as `title`): what the layer list and the legend show.
      char title[128];
      std::snprintf(title, sizeof title, "%s", ui.title.c_str());
      if (ImGui::InputTextWithHint(tr_id("Display name").c_str(), L.name.c_str(), title, sizeof title))
        ui.title = title;
      ImGui::SliderFloat(tr_id("Opacity").c_str(), &ui.opacity, 0.0f, 1.0f, "%.2f");
      bool changed = false;
      if (!L.is_raster) {
        changed |= style_widgets(ui.style, L.geom.kind, !ui.choropleth);
        changed |= ImGui::Checkbox(tr_id("Labels").c_str(), &ui.style.labels);
      }
      if (ImGui::Button(tr_id("Properties...").c_str())) {
        m_props_layer = li;
        m_show_props = true;
      }
      ImGui::SameLine();
      if (ImGui::Button(tr_id("Fit").c_str())) fit_layer(L.name);
      ImGui::SameLine();
      if (ImGui::Button(tr_id("Remove layer").c_str())) m_remove_layer = li;
      ImGui::TextDisabled("%zu %s · %s", L.is_raster ? std::size_t{0} : L.geom.feature_count(),
                          tr("features"), L.report.source.c_str());
      if (changed) restyle_layer(li);  // saved as the layer's own style
      ImGui::TreePop();
    }
    ImGui::PopID();
  }
  if (m_remove_layer != SIZE_MAX) {  // an undoable edit of the session (撤销 brings it back)
    const std::size_t li = m_remove_layer;
    m_remove_layer = SIZE_MAX;
    const std::string name = li < doc().layers.size() ? doc().layers[li].name : std::string();
    if (m_session.remove_layer(li)) {
      sync_layers();
      m_status = std::string(tr("Layer removed")) + ": " + name;
      m_log.push_back(m_status);
      move_from = -1;  // the order was rebuilt
    }
  }
  if (move_from >= 0) {
    int to = move_from + move_dir;
    if (to >= 0 && to < static_cast<int>(m_order.size()))
      std::swap(m_order[static_cast<std::size_t>(move_from)], m_order[static_cast<std::size_t>(to)]);
  }
  m_basemaps.layers_section(basemap_host());
  ImGui::End();
}

void App::draw_inspector() {
  if (!m_show_inspector) return;
  int fw = 0, fh = 0;
  fb_size(fw, fh);
  m_layout.place("inspector", Side::Right, 340, std::min(360.0f, static_cast<float>(fh) * 0.45f));
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
  const std::string shown = m_sel.layer < m_layers.size() && !m_layers[m_sel.layer].title.empty()
                                ? m_layers[m_sel.layer].title
                                : L.name;
  record(shown);
  ImGui::Text("%s: %s", tr("Layer"), shown.c_str());
  if (m_sel_set.size() > 1) {
    const std::string n = std::to_string(m_sel_set.size()) + " " + tr("features selected");
    record(n);
    ImGui::TextUnformatted(n.c_str());
  }
  // A unit (banner, township, gachaa): its figures from the evaluation first, the numbers of
  // coverage_<level>.csv and the coverage panel's table
  if (const int level = unit_level(m_session, L); level >= 0 && m_session.ready()) {
    const auto& ev = m_session.evaluation().ev;
    const auto& u = ev.coverage.levels[static_cast<std::size_t>(level)][f];
    auto line = [](const std::string& s) {
      record(s);
      ImGui::TextUnformatted(s.c_str());
    };
    if (f < m_layers[m_sel.layer].names.size()) line(m_layers[m_sel.layer].names[f]);
    line(std::string(tr("Population")) + ": " + detail::fmt("%.0f", u.population));
    for (std::size_t k = 0; k < ev.services.size() && k < u.service.size(); ++k) {
      const auto& sf = u.service[k];
      std::string t = detail::service_name(ev.services[k].facility) + ": " +
                      detail::fmt("%.1f %%", 100.0 * sf.share()) + " · " + detail::fmt("%.0f", sf.covered) +
                      " " + tr("people");
      if (!ev.services[k].mobile) {
        if (sf.population > sf.unreachable && sf.population > 0)
          t += " · " + std::string(tr("mean")) + " " + detail::minutes(sf.mean_s) + " " + tr("min");
        if (level == 0 && sf.nearest != core::INVALID_ID)
          t +=
              " · " + std::string(tr("nearest")) + " " + detail::minutes(sf.nearest_time_s) + " " + tr("min");
      }
      line(t);
    }
    line(std::string(tr("Covered by any")) + ": " + detail::fmt("%.1f %%", 100.0 * u.share_any()));
    line(std::string(tr("Priority")) + ": " + detail::fmt("%.2f", u.priority) + " · " + tr("Gap") + ": " +
         detail::fmt("%.0f", u.gap));
    if (m_session.stale()) ImGui::TextDisabled("%s", tr("(figures of an earlier revision)"));
    ImGui::Separator();
  }
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
  // under the inspector, down to the status bar (what the right column leaves)
  m_layout.place("legend", Side::Right, 250, 0);
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
    std::string title = ui.title.empty() ? L.name : ui.title;
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
    } else if (!st.categories.empty() && L.geom.kind != core::GeomKind::Line) {
      record(title);
      ImGui::TextUnformatted(title.c_str());
      for (const auto& [value, colour] : st.categories)
        swatch_row(
            [&](ImVec2 p) {
              if (L.geom.kind == core::GeomKind::Point)
                draw_symbol(dl, {p.x + sw / 2, p.y + sh / 2}, std::min(sh, st.symbol_size_px + 2), st.symbol,
                            to_imu32(colour), to_imu32(st.line));
              else
                dl->AddRectFilled(p, {p.x + sw, p.y + sh}, to_imu32(colour));
            },
            "  " + value);
    } else if (L.geom.kind == core::GeomKind::Polygon ||
               (L.geom.kind == core::GeomKind::Point && ui.choropleth)) {
      if (ui.choropleth) {
        record(title);
        ImGui::TextUnformatted(title.c_str());
        ImGui::TextDisabled("%s %s", tr("Classes by"), ui.choropleth->attribute.c_str());
        const auto& ch = *ui.choropleth;
        int n = static_cast<int>(ch.breaks.size()) + 1;
        for (int k = 0; k < n; ++k) {
          const std::string label = ch.class_label(k);  // as the report and the QGIS style label it
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
  const float h = status_bar_height();
  ImGui::SetNextWindowPos({0, static_cast<float>(fh) - h});
  ImGui::SetNextWindowSize({static_cast<float>(fw), h});
  ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                           ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                           ImGuiWindowFlags_NoBringToFrontOnFocus;
  ImGui::Begin("##status", nullptr, flags);
  note_panel_rect("status");
  // every panel has been placed this frame (the analysis panels before the status bar)
  m_layout.end_frame();
  if (!m_fit_pending.empty()) {
    const std::string name = m_fit_pending;
    m_fit_pending.clear();
    // unless the view was moved meanwhile (a script's first command)
    if (m_view.center.x == m_fit_pending_view.center.x && m_view.center.y == m_fit_pending_view.center.y &&
        m_view.m_per_px == m_fit_pending_view.m_per_px)
      fit_layer(name);
  }
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
  // the scenario the figures are of (and that they are being computed)
  text += std::string(tr("Scenario")) + ": " + m_session.scenario_label(language() == Lang::En);
  if (m_session.needs_evaluation() && m_session.ready()) text += std::string(" (") + tr("computing") + ")";
  text += "   ";
  // 1:N at 96 dpi (0.2646 mm per pixel)
  std::snprintf(buf, sizeof buf, "%s 1:%s   %.1f m/px", tr("Scale"),
                group_thousands(m_view.m_per_px / 0.0002646).c_str(), m_view.m_per_px);
  text += buf;
  for (const auto& t : m_tasks.running()) {
    // the task's key ("evaluation", "siting", ...) in the planner's words
    const std::string& n = t->name();
    const char* shown = n == "evaluation" ? tr("Computing figures")
                        : n == "measure"  ? tr("Measure")
                        : n == "caravan"  ? tr("Caravan tours")
                        : n == "siting"   ? tr("Siting")
                        : n == "export"   ? tr("Export")
                                          : tr(n.c_str());  // "What-if drag" (the session's)
    std::snprintf(buf, sizeof buf, "   [%s: %s %.0f%%]", shown, tr(t->stage().c_str()),
                  100.0 * std::max(0.0f, t->progress()));
    text += buf;
  }
  if (!m_log.empty() && m_log.size() > m_log_seen) text += "   " + m_log.back();
  if (!m_status.empty()) text += "   " + m_status;
  ImGui::TextUnformatted(text.c_str());
  if (ImGui::IsItemClicked()) m_show_log = true;  // the whole message is in the log
  if (ImGui::IsItemHovered() && !m_log.empty()) ImGui::SetTooltip("%s", tr("Click to open the log"));
  ImGui::End();
}

void App::draw_log() {
  if (!m_show_log) return;
  m_layout.place("log", Side::Bottom, 620, 260);
  if (!ImGui::Begin(tr_id("Log").c_str(), &m_show_log)) {
    ImGui::End();
    return;
  }
  note_panel_rect("log");
  if (ImGui::Button(tr_id("Copy to clipboard").c_str())) {
    std::string all;
    for (const auto& p : doc().diagnostics.problems) all += p.to_line() + "\n";
    for (const auto& l : m_log) all += l + "\n";
    ImGui::SetClipboardText(all.c_str());
  }
  ImGui::Separator();
  ImGui::BeginChild("log_lines");
  ImGui::PushTextWrapPos(0);
  // the project's load diagnostics, then this session's messages, oldest first, each whole
  for (const auto& p : doc().diagnostics.problems) {
    const std::string l = p.to_line();
    record(l);
    ImGui::TextColored(
        p.severity == core::Severity::Error ? ImVec4{0.8f, 0.1f, 0.1f, 1} : ImVec4{0.6f, 0.4f, 0.0f, 1}, "%s",
        l.c_str());
  }
  for (const auto& l : m_log) {
    record(l);
    ImGui::TextUnformatted(l.c_str());
  }
  ImGui::PopTextWrapPos();
  if (ImGui::GetScrollY() >= ImGui::GetScrollMaxY()) ImGui::SetScrollHereY(1.0f);
  ImGui::EndChild();
  ImGui::End();
}

void App::draw_settings() {
  if (!m_show_settings) return;
  m_layout.place("settings", Side::Left, 300, 200);
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

}  // namespace kepumap::ui
