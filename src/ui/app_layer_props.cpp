// The layer properties window (图层属性, 属性… in the layers panel): a layer's role and field
// mapping (undoable edits of the session) and its own style (single colour, categories,
// graduated classes, labels), and the `layer_props` script verb, which calls the same functions.
#include "ui/app_window.hpp"

namespace kepumap::ui {

namespace {

/// The FieldMap member named `key` ("population"), or null.
std::string* field_member(core::FieldMap& f, const std::string& key) {
  for (const auto& k : core::field_keys(f))
    if (key == k.key) return const_cast<std::string*>(k.value);  // points into `f`, which is ours
  return nullptr;
}

/// The planner's word for a fields key.
const char* field_label(const std::string& key) {
  static const std::pair<const char*, const char*> labels[] = {{"name", "Name"},
                                                               {"name_en", "English name"},
                                                               {"code", "Code"},
                                                               {"population", "Population"},
                                                               {"level", "Level"},
                                                               {"capacity", "Capacity"},
                                                               {"road_class", "Road class"},
                                                               {"speed", "Speed"},
                                                               {"pastoral", "Pastoral"},
                                                               {"oneway", "One-way"},
                                                               {"lon", "Longitude"},
                                                               {"lat", "Latitude"}};
  for (const auto& [k, l] : labels)
    if (key == k) return tr(l);
  return key.c_str();
}

/// A combo of the layer's columns ("" = none); true when the choice changed.
bool column_combo(const char* label, const core::Layer& L, std::string& value, bool numeric_only = false) {
  bool changed = false;
  const std::string none = tr("(none)");
  if (ImGui::BeginCombo(label, value.empty() ? none.c_str() : value.c_str())) {
    if (ImGui::Selectable(none.c_str(), value.empty())) {
      changed = !value.empty();
      value.clear();
    }
    for (const auto& c : L.attrs.columns) {
      if (numeric_only && c.type == core::FieldType::Text) continue;
      record(c.name);
      if (ImGui::Selectable(c.name.c_str(), c.name == value)) {
        changed = c.name != value;
        value = c.name;
      }
    }
    ImGui::EndCombo();
  }
  return changed;
}

}  // namespace

std::size_t App::layer_index(const std::string& name) const {
  for (std::size_t i = 0; i < doc().layers.size(); ++i)
    if (doc().layers[i].name == name) return i;
  return SIZE_MAX;
}

void App::apply_layer_look(std::size_t i, bool texts) {
  if (i >= m_layers.size() || i >= doc().layers.size()) return;
  const core::Layer& L = doc().layers[i];
  LayerUi& ui = m_layers[i];
  const std::string label_field = ui.style.label_field;
  ui.style = core::resolve_layer_style(m_style.for_role(L.role), ui.spec, L, m_style);
  ui.choropleth = render::resolve_choropleth(L, ui.style);
  if (texts || ui.style.label_field != label_field) compute_layer_cache(L, ui);  // the label texts
  ++m_label_generation;
  if (m_renderer && i < m_renderer->layer_count()) m_renderer->restyle(i, L, ui.style);
}

void App::restyle_layer(std::size_t i) {
  if (i >= m_layers.size()) return;
  m_layers[i].spec = capture_style(m_layers[i].style, m_layers[i].spec);
  apply_layer_look(i);
}

void App::follow_layer_changes(const core::Document& old) {
  for (std::size_t i = 0; i < old.layers.size() && i < doc().layers.size(); ++i) {
    const core::Layer &a = old.layers[i], &b = doc().layers[i];
    bool same = a.role == b.role;
    const auto ka = core::field_keys(a.fields), kb = core::field_keys(b.fields);
    for (std::size_t k = 0; same && k < ka.size(); ++k) same = *ka[k].value == *kb[k].value;
    if (!same) apply_layer_look(i, true);  // the name field may have changed
  }
}

void App::follow_styles(bool may_commit) {
  if (!m_ui_doc) return;
  sync_layers();
  const std::size_t n = std::min(m_layers.size(), doc().layers.size());
  m_seen_styles.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    core::LayerStyleSpec now = m_session.layer_style(i);
    if (!(now == m_seen_styles[i])) {  // undo, redo, another project: draw what is in effect
      m_seen_styles[i] = now;
      if (!(m_layers[i].spec == now)) {
        m_layers[i].spec = std::move(now);
        apply_layer_look(i);
      }
    } else if (may_commit && !(m_layers[i].spec == now)) {  // changed here: one edit of the log
      m_session.style_layer(i, m_layers[i].spec);
      m_seen_styles[i] = m_layers[i].spec;
    }
  }
}

bool App::change_layer_role(std::size_t i, core::Role role, std::string& error) {
  if (i >= doc().layers.size()) {
    error = "no such layer";
    return false;
  }
  m_session.change_layer(i, role, doc().layers[i].fields);
  sync_layers();
  return true;
}

bool App::change_layer_field(std::size_t i, const std::string& key, const std::string& column,
                             std::string& error) {
  if (i >= doc().layers.size()) {
    error = "no such layer";
    return false;
  }
  const core::Layer& L = doc().layers[i];
  core::FieldMap f = L.fields;
  std::string* m = field_member(f, key);
  if (!m) {
    std::string keys;
    for (const auto& k : core::field_keys(f)) keys += (keys.empty() ? "" : ", ") + std::string(k.key);
    error = "'" + key + "' is not a fields key (" + keys + ")";
    return false;
  }
  if (!column.empty() && L.attrs.find(column) < 0) {
    error = "layer " + L.name + " has no column '" + column + "'";
    return false;
  }
  *m = column;
  m_session.change_layer(i, L.role, f);
  sync_layers();
  return true;
}

bool App::style_widgets(core::LayerStyle& st, core::GeomKind kind, bool with_fill) {
  bool changed = false;
  if (kind != core::GeomKind::Line && with_fill)
    changed |= ImGui::ColorEdit4(tr_id("Fill").c_str(), &st.fill.r, ImGuiColorEditFlags_NoInputs);
  changed |= ImGui::ColorEdit4(tr_id("Line").c_str(), &st.line.r, ImGuiColorEditFlags_NoInputs);
  if (kind != core::GeomKind::Point)
    changed |= ImGui::SliderFloat(tr_id("Line width").c_str(), &st.line_width_px, 0.0f, 8.0f, "%.1f");
  if (kind == core::GeomKind::Point) {
    int sym = static_cast<int>(st.symbol);
    const char* names[] = {tr("circle"),  tr("square"), tr("triangle"),
                           tr("diamond"), tr("star"),   tr("cross")};
    if (ImGui::Combo(tr_id("Symbol").c_str(), &sym, names, 6)) {
      st.symbol = static_cast<core::Symbol>(sym);
      changed = true;
    }
    changed |= ImGui::SliderFloat(tr_id("Size").c_str(), &st.symbol_size_px, 2.0f, 30.0f, "%.0f");
  }
  return changed;
}

void App::draw_layer_props() {
  if (!m_show_props) return;
  if (m_props_layer >= doc().layers.size() || m_props_layer >= m_layers.size()) {
    m_show_props = false;
    return;
  }
  const std::size_t i = m_props_layer;
  // the layer as the document has it now (a role or field edit replaces the document)
  auto cur = [&]() -> const core::Layer& { return doc().layers[i]; };
  m_layout.place("layer_props", Side::Left, 370, 480);
  if (!ImGui::Begin(tr_id("Layer properties").c_str(), &m_show_props)) {
    ImGui::End();
    return;
  }
  note_panel_rect("layer_props");
  {
    LayerUi& ui = m_layers[i];
    const std::string shown = ui.title.empty() ? cur().name : ui.title;
    record(shown);
    ImGui::TextUnformatted(shown.c_str());
    ImGui::TextDisabled("%s · %s", cur().name.c_str(), cur().report.source.c_str());
  }
  std::string error;
  // --- role and field mapping: edits of the session (undo brings them back) ---------------
  if (ImGui::CollapsingHeader(tr_id("Role and fields").c_str(), ImGuiTreeNodeFlags_DefaultOpen)) {
    const core::Role was = cur().role;
    core::Role role = was;
    if (ImGui::BeginCombo(tr_id("Role").c_str(), role_label(was))) {
      for (core::Role r : core::all_roles())
        if (ImGui::Selectable(role_label(r), r == was)) role = r;
      ImGui::EndCombo();
    }
    if (role != was) change_layer_role(i, role, error);
    if (!cur().is_raster && ImGui::TreeNode(tr_id("Field mapping").c_str())) {
      core::FieldMap f = doc().layers[i].fields;
      for (const auto& k : core::field_keys(f)) {
        std::string v = *k.value;
        if (column_combo((std::string(field_label(k.key)) + "##f_" + k.key).c_str(), doc().layers[i], v)) {
          change_layer_field(i, k.key, v, error);
          break;  // the layer changed under us: the rest next frame
        }
      }
      ImGui::TreePop();
    }
    ImGui::BeginDisabled(!m_session.can_undo());
    if (ImGui::Button(tr_id("Undo").c_str())) {
      m_session.undo();
      follow_styles(false);
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(!m_session.can_redo());
    if (ImGui::Button(tr_id("Redo").c_str())) {
      m_session.redo();
      follow_styles(false);
    }
    ImGui::EndDisabled();
  }
  if (!error.empty()) m_log.push_back(error);
  if (i >= doc().layers.size() || cur().is_raster) {
    ImGui::End();
    return;
  }
  // --- style: the layer's own, saved as `style = { ... }` ---------------------------------
  const core::Layer& now = doc().layers[i];
  LayerUi& ui = m_layers[i];
  bool changed = false;
  if (ImGui::CollapsingHeader(tr_id("Style").c_str(), ImGuiTreeNodeFlags_DefaultOpen)) {
    const std::string kind =
        ui.spec.kind.empty() ? (ui.style.choropleth ? "graduated" : "single") : ui.spec.kind;
    int k = kind == "categories" ? 1 : kind == "graduated" ? 2 : 0;
    const int k_was = k;
    ImGui::RadioButton(tr_id("Single colour").c_str(), &k, 0);
    ImGui::SameLine();
    ImGui::RadioButton(tr_id("Categories").c_str(), &k, 1);
    ImGui::SameLine();
    ImGui::RadioButton(tr_id("Graduated").c_str(), &k, 2);
    if (k != k_was) {
      ui.spec = capture_style(ui.style, ui.spec);
      ui.spec.kind = k == 1 ? "categories" : k == 2 ? "graduated" : "single";
      if (k == 2 && ui.spec.field.empty() && style_column_exists(now, "population"))
        ui.spec.field = "population";
      if (k == 1 && ui.spec.field.empty()) ui.spec.field = "name";
      changed = true;
    }
    if (k >= 1) {
      std::string field = ui.spec.field;
      // a mapped key ("population") shows as its column
      if (const int c = render::style_column(now, field); c >= 0)
        field = now.attrs.columns[static_cast<std::size_t>(c)].name;
      if (column_combo(tr_id("Field").c_str(), now, field, k == 2)) {
        ui.spec.field = field;
        changed = true;
      }
    }
    if (k == 2 && !changed) {
      int method = ui.spec.method == "equal" ? 1 : ui.spec.method == "manual" ? 2 : 0;
      const char* methods[] = {tr("Quantile"), tr("Equal interval"), tr("Manual")};
      if (ImGui::Combo(tr_id("Method").c_str(), &method, methods, 3)) {
        ui.spec = capture_style(ui.style, ui.spec);
        ui.spec.method = method == 1 ? "equal" : method == 2 ? "manual" : "quantile";
        // manual starts from the breaks on the map
        if (method == 2 && ui.spec.breaks.empty() && ui.choropleth) ui.spec.breaks = ui.choropleth->breaks;
        if (method == 2 && ui.spec.breaks.empty()) ui.spec.method = "quantile";
        if (method != 2) ui.spec.breaks.clear();
        m_breaks_layer = SIZE_MAX;
        apply_layer_look(i);
      }
      if (ui.spec.method == "manual") {
        if (m_breaks_layer != i || !ImGui::IsAnyItemActive()) {
          m_breaks_text = breaks_text(ui.spec.breaks);
          m_breaks_layer = i;
        }
        char buf[256];
        std::snprintf(buf, sizeof buf, "%s", m_breaks_text.c_str());
        if (ImGui::InputText(tr_id("Breaks").c_str(), buf, sizeof buf)) {
          m_breaks_text = buf;
          std::vector<double> b;
          if (parse_breaks(m_breaks_text, b)) {
            ui.spec = capture_style(ui.style, ui.spec);
            ui.spec.breaks = std::move(b);
            ui.spec.classes = static_cast<int>(ui.spec.breaks.size()) + 1;
            apply_layer_look(i);
          }
        }
        std::vector<double> b;
        if (parse_breaks(m_breaks_text, b))
          ImGui::TextDisabled("%s", tr("Upper bounds of the classes but the last, e.g. 0, 30, 60, 120"));
        else
          ImGui::TextColored(ImVec4(0.8f, 0.2f, 0.1f, 1), "%s",
                             tr("Breaks must be 1 to 8 ascending numbers."));
      } else {
        int classes = ui.spec.classes > 0 ? ui.spec.classes : 5;
        if (ImGui::SliderInt(tr_id("Classes").c_str(), &classes, 2, 9)) {
          ui.spec.classes = classes;
          changed = true;
        }
      }
      // the ramps of the style file (core::ramp_names), or the role's
      const char* ramp_labels[] = {tr("Role's ramp"), tr("Travel-time ramp"), tr("Gap ramp"),
                                   tr("Index ramp"), tr("Population ramp")};
      const auto& names = core::ramp_names();
      int ramp = 0;
      for (std::size_t r = 0; r < names.size(); ++r)
        if (ui.spec.ramp == names[r]) ramp = static_cast<int>(r) + 1;
      if (ImGui::Combo(tr_id("Ramp").c_str(), &ramp, ramp_labels, static_cast<int>(names.size()) + 1)) {
        ui.spec = capture_style(ui.style, ui.spec);
        ui.spec.ramp = ramp == 0 ? std::string() : std::string(names[static_cast<std::size_t>(ramp - 1)]);
        apply_layer_look(i);
      }
    }
    if (k == 1 && !changed && !ui.style.categories.empty() &&
        ImGui::TreeNodeEx(tr_id("Category colours").c_str(), ImGuiTreeNodeFlags_DefaultOpen)) {
      ImGui::TextDisabled("%s", tr("Click a swatch to pick its colour."));
      for (std::size_t c = 0; c < ui.style.categories.size(); ++c) {
        const std::string value = ui.style.categories[c].first;
        core::Rgba col = ui.style.categories[c].second;
        ImGui::PushID(static_cast<int>(c));
        if (ImGui::ColorEdit3("##category", &col.r,
                              ImGuiColorEditFlags_NoInputs | ImGuiColorEditFlags_NoLabel)) {
          ui.spec = capture_style(ui.style, ui.spec);
          col.a = 1;
          set_category_colour(ui.spec, value, short_hex(col));
          apply_layer_look(i);
        }
        ImGui::SameLine();
        record(value);
        ImGui::TextUnformatted(value.c_str());
        ImGui::PopID();
      }
      ImGui::TreePop();
    }
    if (k == 1 && ui.style.categories.size() >= k_max_categories)
      ImGui::TextWrapped("%s", tr("Only the first 12 values get a colour of their own."));
    changed |= style_widgets(ui.style, now.geom.kind, k == 0);
    changed |= ImGui::SliderFloat(tr_id("Opacity").c_str(), &ui.style.opacity, 0.0f, 1.0f, "%.2f");
    changed |= ImGui::Checkbox(tr_id("Labels").c_str(), &ui.style.labels);
    if (ui.style.labels) {
      std::string lf = ui.spec.label_field;
      if (column_combo(tr_id("Label field").c_str(), now, lf)) {
        ui.spec.label_field = lf;
        changed = true;
      }
    }
    if (ui.spec.given() && ImGui::Button(tr_id("Role style").c_str())) {  // back to the role's style
      ui.spec = {};
      apply_layer_look(i);
    }
  }
  if (changed) restyle_layer(i);
  ImGui::End();
}

bool App::style_column_exists(const core::Layer& L, const std::string& field) const {
  return render::style_column(L, field) >= 0;
}

bool App::layer_props_script(const std::vector<std::string>& a, std::string& error) {
  // each style change one edit of the session's log, as the window's changes are
  follow_styles(true);
  const bool ok = layer_props_command(a, error);
  follow_styles(true);
  return ok;
}

bool App::layer_props_command(const std::vector<std::string>& a, std::string& error) {
  // layer_props LAYER WHAT ARGS...: as the properties window's controls
  if (a.size() < 2) {
    error =
        "layer_props LAYER role|field|style|category|breaks|ramp|fill|line|width|symbol|size|opacity|labels|"
        "undo|redo ...";
    return false;
  }
  const std::size_t i = layer_index(a[0]);
  if (i == SIZE_MAX || i >= m_layers.size()) {
    error = "no layer named '" + a[0] + "'";
    return false;
  }
  const std::string& what = a[1];
  auto need = [&](std::size_t n) {
    if (a.size() >= n) return true;
    error = "layer_props " + what + ": too few arguments";
    return false;
  };
  auto number = [&](std::size_t k, double lo, double hi, double& out) {
    char* end = nullptr;
    out = std::strtod(a[k].c_str(), &end);
    if (end && *end == 0 && out >= lo && out <= hi) return true;
    error = "layer_props " + what + ": '" + a[k] + "' is not a number from " + format_number(lo) + " to " +
            format_number(hi);
    return false;
  };
  auto colour = [&](std::size_t k, core::Rgba& out) {
    auto c = core::parse_colour(a[k].rfind('#', 0) == 0 ? a[k] : "#" + a[k]);
    if (c) {
      out = *c;
      return true;
    }
    error = "layer_props " + what + ": bad colour '" + a[k] + "' (use rrggbb or rrggbbaa)";
    return false;
  };
  LayerUi& ui = m_layers[i];
  double v = 0;
  if (what == "role") {
    if (!need(3)) return false;
    auto r = core::role_from_name(a[2]);
    if (!r) {
      error = "layer_props role: unknown role '" + a[2] + "'";
      return false;
    }
    return change_layer_role(i, *r, error);
  }
  if (what == "field") {  // field KEY [COLUMN]: no column = not mapped
    if (!need(3)) return false;
    return change_layer_field(i, a[2], a.size() > 3 ? a[3] : std::string(), error);
  }
  if (what == "undo" || what == "redo") {
    const bool ok = what == "undo" ? m_session.undo() : m_session.redo();
    follow_styles(false);
    if (!ok) error = "layer_props " + what + ": nothing to " + what;
    return ok;
  }
  if (what == "role_style") {
    ui.spec = {};
    apply_layer_look(i);
    return true;
  }
  if (what == "category") {  // category VALUE COLOUR: the colour of one category
    if (!need(4)) return false;
    core::Rgba c;
    if (!colour(3, c)) return false;
    if (ui.spec.kind != "categories") {
      error = "layer_props category: layer " + a[0] + " is not styled by categories (style categories FIELD)";
      return false;
    }
    if (std::none_of(ui.style.categories.begin(), ui.style.categories.end(),
                     [&](const auto& p) { return p.first == a[2]; })) {
      std::string values;
      for (const auto& p : ui.style.categories) values += (values.empty() ? "" : ", ") + p.first;
      error = "layer_props category: no category '" + a[2] + "' (" + values + ")";
      return false;
    }
    c.a = 1;
    set_category_colour(ui.spec, a[2], short_hex(c));
    apply_layer_look(i);
    return true;
  }
  if (what == "breaks" || what == "ramp") {  // breaks 0,30,60,120 (manual classes) | ramp NAME|role
    if (!need(3)) return false;
    if (ui.spec.kind != "graduated") {
      error = "layer_props " + what + ": layer " + a[0] + " is not graduated (style graduated FIELD)";
      return false;
    }
    core::LayerStyleSpec s = capture_style(ui.style, ui.spec);
    if (what == "breaks") {
      std::string text;
      for (std::size_t k = 2; k < a.size(); ++k) text += a[k] + " ";
      if (!parse_breaks(text, s.breaks)) {
        error = "layer_props breaks: '" + text.substr(0, text.size() - 1) +
                "' is not 1 to 8 ascending numbers (e.g. 0,30,60,120)";
        return false;
      }
      s.method = "manual";
      s.classes = static_cast<int>(s.breaks.size()) + 1;
    } else {
      const auto& names = core::ramp_names();
      if (a[2] != "role" && std::find(names.begin(), names.end(), a[2]) == names.end()) {
        error = "layer_props ramp: unknown ramp '" + a[2] + "' (role, travel_time, gap, index, population)";
        return false;
      }
      s.ramp = a[2] == "role" ? std::string() : a[2];
    }
    ui.spec = s;
    apply_layer_look(i);
    return true;
  }
  // style single | categories FIELD | graduated FIELD [quantile|equal] [N] | graduated FIELD manual BREAKS
  if (what == "style") {
    if (!need(3)) return false;
    core::LayerStyleSpec s = capture_style(ui.style, ui.spec);
    s.kind = a[2];
    if (s.kind == "single") {
      s.field.clear();
    } else if (s.kind == "categories" || s.kind == "graduated") {
      if (!need(4)) return false;
      if (render::style_column(doc().layers[i], a[3]) < 0) {
        error = "layer_props style: layer " + a[0] + " has no field or column '" + a[3] + "'";
        return false;
      }
      s.field = a[3];
      if (s.kind == "graduated") {
        s.method = a.size() > 4 ? a[4] : "quantile";
        if (s.method != "quantile" && s.method != "equal" && s.method != "manual") {
          error = "layer_props style: method '" + s.method + "' (use quantile, equal or manual)";
          return false;
        }
        s.breaks.clear();
        if (s.method == "manual") {
          if (!need(6)) return false;
          if (!parse_breaks(a[5], s.breaks)) {
            error = "layer_props style: breaks '" + a[5] +
                    "' are not 1 to 8 ascending numbers (e.g. 0,30,60,120)";
            return false;
          }
          s.classes = static_cast<int>(s.breaks.size()) + 1;
        } else {
          if (a.size() > 5 && !number(5, 2, 9, v)) return false;
          s.classes = a.size() > 5 ? static_cast<int>(v) : 5;
        }
      }
    } else {
      error = "layer_props style: kind '" + s.kind + "' (use single, categories or graduated)";
      return false;
    }
    ui.spec = s;
    apply_layer_look(i);
    return true;
  }
  if (what == "fill" || what == "line") {
    if (!need(3) || !colour(2, what == "fill" ? ui.style.fill : ui.style.line)) return false;
  } else if (what == "width") {
    if (!need(3) || !number(2, 0, 50, v)) return false;
    ui.style.line_width_px = static_cast<float>(v);
  } else if (what == "size") {
    if (!need(3) || !number(2, 1, 100, v)) return false;
    ui.style.symbol_size_px = static_cast<float>(v);
  } else if (what == "opacity") {
    if (!need(3) || !number(2, 0, 1, v)) return false;
    ui.style.opacity = static_cast<float>(v);
  } else if (what == "symbol") {
    if (!need(3)) return false;
    auto s = core::symbol_from_name(a[2]);
    if (!s) {
      error = "layer_props symbol: unknown symbol '" + a[2] +
              "' (circle, square, triangle, diamond, star, cross)";
      return false;
    }
    ui.style.symbol = *s;
  } else if (what == "labels") {  // labels on|off [FIELD]
    if (!need(3)) return false;
    if (a[2] != "on" && a[2] != "off") {
      error = "layer_props labels: on or off";
      return false;
    }
    ui.style.labels = a[2] == "on";
    if (a.size() > 3) {
      if (render::style_column(doc().layers[i], a[3]) < 0) {
        error = "layer_props labels: layer " + a[0] + " has no field or column '" + a[3] + "'";
        return false;
      }
      ui.spec = capture_style(ui.style, ui.spec);
      ui.spec.label_field = a[3];
    }
  } else {
    error =
        "layer_props: unknown '" + what +
        "' (role, field, style, category, breaks, ramp, fill, line, width, symbol, size, opacity, labels, "
        "role_style, undo, redo)";
    return false;
  }
  restyle_layer(i);
  return true;
}

}  // namespace kepumap::ui
