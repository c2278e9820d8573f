// Travel scenarios in the app: the scenario choice in the menu bar (every panel, figure and
// export follows it; the status bar names it) and the 出行情景 window that creates, edits and
// deletes the project's [[scenario]]s — off-road speed, road class speeds, closed road classes,
// frozen rivers and lakes — as undoable edits of the session, saved with the project. The
// `scenario_edit` script verb calls the same functions.
#include "ui/app_window.hpp"

namespace kepumap::ui {

namespace {

std::string label_part(const core::Scenario& s) { return session::scenario_title(s, language() == Lang::En); }

double* speed_of(core::Scenario& s, const std::string& cls) {
  for (auto& [c, kmh] : s.road_speeds)
    if (c == cls) return &kmh;
  return nullptr;
}

bool closed(const core::Scenario& s, const std::string& cls) {
  return std::find(s.closed_classes.begin(), s.closed_classes.end(), cls) != s.closed_classes.end();
}

}  // namespace

std::string App::scenario_shown_label() const {
  const std::string& name = m_session.scenario();
  if (name.empty()) return tr("current (base)");
  for (const auto& sc : m_session.document()->config.scenarios)
    if (sc.name == name) return label_part(sc);
  return name;
}

void App::draw_scenario_choice() {
  const auto& list = m_session.document()->config.scenarios;
  const std::string shown = std::string(tr("Scenario")) + ": " + scenario_shown_label();
  record(shown);
  ImGui::SetNextItemWidth(ImGui::CalcTextSize(shown.c_str()).x + ImGui::GetFrameHeight() + 16);
  if (ImGui::BeginCombo("##scenario_choice", shown.c_str())) {
    if (ImGui::Selectable(tr("current (base)"), m_session.scenario().empty())) m_session.set_scenario("");
    for (const auto& sc : list) {
      const std::string l = label_part(sc) + "###scb_" + sc.name;
      record(label_part(sc));
      if (ImGui::Selectable(l.c_str(), sc.name == m_session.scenario())) m_session.set_scenario(sc.name);
    }
    ImGui::Separator();
    if (ImGui::Selectable(tr_id("Edit scenarios...").c_str())) {
      m_show_scenarios = true;
      m_scen_editing = m_session.scenario();
      m_scen_loaded = SIZE_MAX;
    }
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("%s", tr("The travel scenario the map, every panel and every export show"));
}

void App::load_scenario_draft() {
  const auto& list = m_session.document()->config.scenarios;
  m_scen_draft = {};
  m_scen_new = true;
  for (const auto& sc : list)
    if (sc.name == m_scen_editing) {
      m_scen_draft = sc;
      m_scen_new = false;
    }
  if (m_scen_new) {
    // a fresh name: scenario_1, scenario_2, ...
    for (int n = 1;; ++n) {
      const std::string name = "scenario_" + std::to_string(n);
      if (std::none_of(list.begin(), list.end(), [&](const core::Scenario& s) { return s.name == name; })) {
        m_scen_draft.name = name;
        break;
      }
    }
    m_scen_editing.clear();
  }
  std::snprintf(m_scen_name_buf, sizeof m_scen_name_buf, "%s", m_scen_draft.name.c_str());
  std::snprintf(m_scen_label_buf, sizeof m_scen_label_buf, "%s", m_scen_draft.label.c_str());
  m_scen_loaded = m_session.revision();
}

bool App::apply_scenario_draft(std::string& error) {
  core::Scenario s = m_scen_draft;
  if (m_scen_new) s.name = m_scen_name_buf;
  s.label = m_scen_label_buf;
  // a class speed of 0 means "as the base"
  s.road_speeds.erase(std::remove_if(s.road_speeds.begin(), s.road_speeds.end(),
                                     [](const auto& e) { return !(e.second > 0); }),
                      s.road_speeds.end());
  if (!m_session.put_scenario(s, error)) return error.empty();  // no change is no error
  m_scen_editing = s.name;
  sync_layers();
  load_scenario_draft();
  return true;
}

void App::draw_scenario_window() {
  if (!m_show_scenarios) return;
  const core::Document& d = *m_session.document();
  if (m_scen_loaded != m_session.revision()) load_scenario_draft();
  if (m_scen_classes_rev != m_session.revision()) {
    m_scen_classes = analysis::road_classes_used(d, d.config.travel);
    m_scen_classes_rev = m_session.revision();
  }
  m_layout.place("scenarios", Side::Left, 420, 560);
  if (!ImGui::Begin(tr_id("Travel scenarios").c_str(), &m_show_scenarios)) {
    ImGui::End();
    return;
  }
  note_panel_rect("scenarios");
  // which scenario
  {
    const std::string cur = m_scen_new ? std::string(tr("(new scenario)"))
                                       : label_part(m_scen_draft) + " (" + m_scen_draft.name + ")";
    record(cur);
    if (ImGui::BeginCombo(tr_id("Scenario").c_str(), cur.c_str())) {
      for (const auto& sc : d.config.scenarios) {
        record(label_part(sc));
        if (ImGui::Selectable((label_part(sc) + " (" + sc.name + ")###sce_" + sc.name).c_str(),
                              !m_scen_new && sc.name == m_scen_draft.name)) {
          m_scen_editing = sc.name;
          load_scenario_draft();
        }
      }
      if (ImGui::Selectable(tr_id("(new scenario)").c_str(), m_scen_new)) {
        m_scen_editing.clear();
        load_scenario_draft();
      }
      ImGui::EndCombo();
    }
  }
  core::Scenario& s = m_scen_draft;
  const core::TravelSettings& base = d.config.travel;
  if (m_scen_new)
    ImGui::InputText(tr_id("Name (for --scenario)").c_str(), m_scen_name_buf, sizeof m_scen_name_buf);
  else
    ImGui::TextDisabled("%s: %s", tr("Name (for --scenario)"), s.name.c_str());
  ImGui::InputText(tr_id("Label").c_str(), m_scen_label_buf, sizeof m_scen_label_buf);
  // off-road speed
  {
    bool own = s.offroad_kmh.has_value();
    if (ImGui::Checkbox(tr_id("Off-road speed").c_str(), &own))
      s.offroad_kmh = own ? std::optional<double>(base.offroad_kmh) : std::nullopt;
    ImGui::SameLine();
    if (own) {
      double v = *s.offroad_kmh;
      ImGui::SetNextItemWidth(110);
      if (ImGui::InputDouble("km/h##offroad", &v, 1, 5, "%.1f")) s.offroad_kmh = v;
    } else {
      ImGui::TextDisabled("%s %s km/h", tr("as the base:"), format_number(base.offroad_kmh).c_str());
    }
  }
  // rivers and lakes
  {
    int ice = !s.ice ? 0 : *s.ice ? 1 : 2;
    const char* items[] = {tr("As the base"), tr("Frozen: crossed on the ice"), tr("Not frozen")};
    if (ImGui::Combo(tr_id("Rivers and lakes").c_str(), &ice, items, 3))
      s.ice = ice == 0 ? std::nullopt : std::optional<bool>(ice == 1);
  }
  // road classes: speed and closed
  ImGui::TextUnformatted(tr("Road classes (speed 0 = as the base)"));
  std::vector<std::pair<std::string, std::size_t>> rows;  // class, lines
  for (const auto& u : m_scen_classes) rows.emplace_back(u.name, u.lines);
  auto add_row = [&](const std::string& c) {
    if (std::none_of(rows.begin(), rows.end(), [&](const auto& r) { return r.first == c; }))
      rows.emplace_back(c, 0);
  };
  for (const auto& [c, kmh] : s.road_speeds) add_row(c);
  for (const auto& c : s.closed_classes) add_row(c);
  if (rows.empty()) ImGui::TextDisabled("%s", tr("The project has no road layer."));
  const ImGuiTableFlags tf = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY |
                             ImGuiTableFlags_SizingStretchProp;
  if (!rows.empty() && ImGui::BeginTable("##scen_roads", 4, tf,
                                         ImVec2(0, std::min(8.5f, static_cast<float>(rows.size()) + 1.5f) *
                                                       ImGui::GetFrameHeightWithSpacing()))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn(tr("Class"));
    ImGui::TableSetupColumn(tr("Base km/h"));
    ImGui::TableSetupColumn(tr("Scenario km/h"));
    ImGui::TableSetupColumn(tr("Closed"));
    ImGui::TableHeadersRow();
    for (const auto& [cls, lines] : rows) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      record(cls);
      ImGui::TextUnformatted(cls.c_str());
      if (lines > 0 && ImGui::IsItemHovered()) ImGui::SetTooltip("%zu %s", lines, tr("lines"));
      ImGui::TableNextColumn();
      double base_kmh = 0;
      for (const auto& u : m_scen_classes)
        if (u.name == cls) base_kmh = u.kmh;
      if (base_kmh > 0)
        ImGui::TextUnformatted(format_number(base_kmh).c_str());
      else
        ImGui::TextDisabled("—");
      ImGui::TableNextColumn();
      double* own = speed_of(s, cls);
      double v = own ? *own : 0.0;
      ImGui::SetNextItemWidth(-1);
      if (ImGui::InputDouble(("##kmh_" + cls).c_str(), &v, 0, 0, "%.0f")) {
        if (own)
          *own = v;
        else
          s.road_speeds.emplace_back(cls, v);
      }
      ImGui::TableNextColumn();
      bool c = closed(s, cls);
      if (ImGui::Checkbox(("##closed_" + cls).c_str(), &c)) {
        if (c)
          s.closed_classes.push_back(cls);
        else
          s.closed_classes.erase(std::remove(s.closed_classes.begin(), s.closed_classes.end(), cls),
                                 s.closed_classes.end());
      }
    }
    ImGui::EndTable();
  }
  if (!s.closed_tags.empty() || !s.open_tags.empty() || !s.tag_speeds.empty() ||
      !s.landcover_speeds.empty()) {
    const std::string other =
        std::string(tr("Also in project.toml (kept as written):")) + " " +
        std::to_string(s.closed_tags.size() + s.open_tags.size() + s.tag_speeds.size()) + " " +
        tr("tag rules") + ", " + std::to_string(s.landcover_speeds.size()) + " " + tr("land-cover speeds");
    record(other);
    ImGui::TextWrapped("%s", other.c_str());
  }
  ImGui::Separator();
  std::string error;
  if (ImGui::Button(tr_id(m_scen_new ? "Create" : "Apply").c_str())) {
    if (apply_scenario_draft(error)) m_scen_error.clear();
  }
  ImGui::SameLine();
  ImGui::BeginDisabled(m_scen_new);
  if (ImGui::Button(tr_id("Show on the map").c_str())) m_session.set_scenario(s.name);
  ImGui::SameLine();
  if (ImGui::Button(tr_id("Delete scenario").c_str())) {
    if (m_session.remove_scenario(s.name, error)) {
      sync_layers();
      m_scen_editing.clear();
      load_scenario_draft();
    }
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(!m_session.can_undo());
  if (ImGui::Button(tr_id("Undo").c_str())) {
    m_session.undo();
    sync_layers();
  }
  ImGui::EndDisabled();
  if (!error.empty()) {
    m_scen_error = error;
    m_log.push_back(error);
  }
  if (!m_scen_error.empty()) {
    record(m_scen_error);
    ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(200, 40, 30, 255));
    ImGui::TextWrapped("%s", m_scen_error.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::TextDisabled("%s", tr("Saved with the project (File > Save)."));
  ImGui::End();
}

bool App::scenario_script(const std::vector<std::string>& a, std::string& error) {
  // scenario_edit NAME [label TEXT] [offroad KMH|base] [speed CLASS KMH] [close CLASS]
  //               [open CLASS] [ice on|off|base]  -- creates or changes NAME
  // scenario_edit NAME delete
  // scenario_edit undo|redo
  if (a.empty()) {
    error =
        "use scenario_edit NAME [label T] [offroad KMH|base] [speed CLASS KMH] [close CLASS] [open CLASS] "
        "[ice on|off|base] | scenario_edit NAME delete";
    return false;
  }
  if (a.size() == 1 && (a[0] == "undo" || a[0] == "redo")) {  // the window's 撤销 (any edit kind)
    const bool ok = a[0] == "undo" ? m_session.undo() : m_session.redo();
    sync_layers();
    if (!ok) error = "scenario_edit " + a[0] + ": nothing to " + a[0];
    return ok;
  }
  if (a.size() == 2 && a[1] == "delete") {
    if (!m_session.remove_scenario(a[0], error)) return false;
    sync_layers();
    return true;
  }
  core::Scenario s;
  s.name = a[0];
  for (const auto& sc : m_session.document()->config.scenarios)
    if (sc.name == a[0]) s = sc;
  auto num = [&](const std::string& t, double& out) {
    char* end = nullptr;
    out = std::strtod(t.c_str(), &end);
    if (end && *end == 0) return true;
    error = "scenario_edit: '" + t + "' is not a number";
    return false;
  };
  for (std::size_t i = 1; i < a.size(); ++i) {
    const std::string& k = a[i];
    auto arg = [&](std::size_t n) {
      if (i + n < a.size()) return true;
      error = "scenario_edit " + k + ": too few arguments";
      return false;
    };
    double v = 0;
    if (k == "label") {
      if (!arg(1)) return false;
      s.label = a[++i];
    } else if (k == "offroad") {
      if (!arg(1)) return false;
      if (a[i + 1] == "base") {
        s.offroad_kmh.reset();
      } else {
        if (!num(a[i + 1], v)) return false;
        s.offroad_kmh = v;
      }
      ++i;
    } else if (k == "speed") {
      if (!arg(2) || !num(a[i + 2], v)) return false;
      if (double* own = speed_of(s, a[i + 1]))
        *own = v;
      else
        s.road_speeds.emplace_back(a[i + 1], v);
      i += 2;
    } else if (k == "close" || k == "open") {
      if (!arg(1)) return false;
      const std::string& c = a[++i];
      s.closed_classes.erase(std::remove(s.closed_classes.begin(), s.closed_classes.end(), c),
                             s.closed_classes.end());
      if (k == "close") s.closed_classes.push_back(c);
    } else if (k == "ice") {
      if (!arg(1)) return false;
      const std::string& o = a[++i];
      if (o != "on" && o != "off" && o != "base") {
        error = "scenario_edit ice: on, off or base";
        return false;
      }
      s.ice = o == "base" ? std::nullopt : std::optional<bool>(o == "on");
    } else {
      error = "scenario_edit: unknown '" + k + "' (label, offroad, speed, close, open, ice, delete)";
      return false;
    }
  }
  if (!m_session.put_scenario(s, error) && !error.empty()) return false;
  sync_layers();
  return true;
}

}  // namespace kepumap::ui
