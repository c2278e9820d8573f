// 属性表 / Attribute table: one layer's features as rows, its attributes as columns, sortable by
// any column, a click selects the feature and centres the map on it. Unit layers (banner,
// townships, villages) also show their figures from the session's evaluation: population,
// coverage by any service and the gap, the same numbers as the coverage CSVs.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <limits>
#include <numeric>

#include "io/text.hpp"
#include "render/symbology.hpp"
#include "report/tables.hpp"
#include "ui/analysis_state.hpp"
#include "ui/app_window.hpp"

namespace kepumap::ui {

int unit_level(const session::Session& s, const core::Layer& L) {
  if (!s.ready()) return -1;
  const auto& area = s.evaluation().area;
  for (std::size_t l = 0; l < area.level_layers.size(); ++l)
    if (area.level_layers[l] && area.level_layers[l]->name == L.name &&
        l < s.evaluation().ev.coverage.levels.size() &&
        s.evaluation().ev.coverage.levels[l].size() == L.geom.feature_count())
      return static_cast<int>(l);
  return -1;
}

namespace {

void text(const std::string& s) {
  record(s);
  ImGui::TextUnformatted(s.c_str());
}

std::string number(double v, const char* f) {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

/// One column of the table: what a cell shows, its numeric sort key (none: sorted as text) and
/// the cell exported to CSV/XLSX.
struct Col {
  std::string title;
  std::function<std::string(std::size_t)> cell;
  std::function<double(std::size_t)> key;
  std::function<report::Cell(std::size_t)> out;
  bool percent = false;  ///< a share 0..1 shown (and filtered) in percent
};

/// Decimals of a number written as text ("12.50" -> 2).
int decimals_of(const std::string& t) {
  const auto dot = t.find('.');
  if (dot == std::string::npos) return 0;
  std::size_t n = 0;
  while (dot + 1 + n < t.size() && std::isdigit(static_cast<unsigned char>(t[dot + 1 + n]))) ++n;
  return static_cast<int>(std::min<std::size_t>(n, 6));
}

/// The attribute column the layer's names come from, as the map labels take them (the style's
/// label field when it names a column, else the mapped name), or -1.
int name_column(const core::Layer& L, const LayerUi& ui) {
  const int label = ui.style.label_field.empty() ? -1 : render::style_column(L, ui.style.label_field);
  return label >= 0 ? label : render::style_column(L, "name");
}

/// The columns: the feature's name (attribute `name_col`), a unit layer's figures from the
/// evaluation (the numbers of coverage_<level>.csv), then the other attributes (at most 40 in all).
std::vector<Col> table_columns(const session::Session& session, const core::Layer& L, int level,
                               int name_col) {
  std::vector<Col> cols;
  if (level >= 0) {
    const auto& ev = session.evaluation().ev;
    const auto& units = ev.coverage.levels[static_cast<std::size_t>(level)];
    cols.push_back({tr("Population"), [&units](std::size_t r) { return number(units[r].population, "%.0f"); },
                    [&units](std::size_t r) { return units[r].population; },
                    [&units](std::size_t r) { return report::Cell::count(units[r].population); }});
    for (std::size_t k = 0; k < ev.services.size(); ++k) {
      const std::string name = detail::service_name(ev.services[k].facility);
      cols.push_back({name + " " + tr("covered"),
                      [&units, k](std::size_t r) {
                        return k < units[r].service.size()
                                   ? number(100.0 * units[r].service[k].share(), "%.1f %%")
                                   : std::string();
                      },
                      [&units, k](std::size_t r) {
                        return k < units[r].service.size() ? units[r].service[k].share() : -1.0;
                      },
                      [&units, k](std::size_t r) {
                        return k < units[r].service.size() ? report::Cell::share(units[r].service[k].share())
                                                           : report::Cell("");
                      },
                      true});
      if (ev.services[k].mobile) continue;
      // the mean time of the reachable people; none when nobody can reach one
      auto mean = [&units, k](std::size_t r) {
        if (k >= units[r].service.size()) return std::numeric_limits<double>::infinity();
        const auto& sf = units[r].service[k];
        return sf.population > sf.unreachable && sf.population > 0 ? sf.mean_s
                                                                   : std::numeric_limits<double>::infinity();
      };
      cols.push_back({name + " " + tr("mean min"), [mean](std::size_t r) { return detail::minutes(mean(r)); },
                      [mean](std::size_t r) { return mean(r); },
                      [mean](std::size_t r) {
                        return std::isfinite(mean(r)) ? report::Cell(mean(r) / 60.0, 1) : report::Cell("");
                      }});
      if (level != 0) continue;
      auto nearest = [&units, k](std::size_t r) {
        return k < units[r].service.size() && units[r].service[k].nearest != core::INVALID_ID
                   ? units[r].service[k].nearest_time_s
                   : std::numeric_limits<double>::infinity();
      };
      cols.push_back(
          {name + " " + tr("nearest min"), [nearest](std::size_t r) { return detail::minutes(nearest(r)); },
           [nearest](std::size_t r) { return nearest(r); },
           [nearest](std::size_t r) {
             return std::isfinite(nearest(r)) ? report::Cell(nearest(r) / 60.0, 1) : report::Cell("");
           }});
    }
    cols.push_back({tr("Any"),
                    [&units](std::size_t r) { return number(100.0 * units[r].share_any(), "%.1f %%"); },
                    [&units](std::size_t r) { return units[r].share_any(); },
                    [&units](std::size_t r) { return report::Cell::share(units[r].share_any()); }, true});
    cols.push_back({tr("Priority"), [&units](std::size_t r) { return number(units[r].priority, "%.2f"); },
                    [&units](std::size_t r) { return units[r].priority; },
                    [&units](std::size_t r) { return report::Cell(units[r].priority, 2); }});
    cols.push_back({tr("Gap"), [&units](std::size_t r) { return number(units[r].gap, "%.0f"); },
                    [&units](std::size_t r) { return units[r].gap; },
                    [&units](std::size_t r) { return report::Cell::count(units[r].gap); }});
  }
  const std::size_t first_attr = cols.size();
  for (std::size_t c = 0; c < L.attrs.columns.size() && cols.size() < 40; ++c) {
    const core::Column& col = L.attrs.columns[c];
    auto cell = [&col](std::size_t r) { return col.is_null(r) ? std::string() : col.text(r); };
    Col k{col.name, cell, {}, {}};
    // codes (区划代码, a leading zero) stay text in XLSX, never a number
    const bool code_like =
        col.name.find("code") != std::string::npos || col.name.find("代码") != std::string::npos;
    if (col.type != core::FieldType::Text)
      k.key = [cell](std::size_t r) {
        const std::string t = cell(r);
        return t.empty() ? -1e300 : std::strtod(t.c_str(), nullptr);
      };
    k.out = [cell, code_like, numeric = col.type != core::FieldType::Text](std::size_t r) {
      const std::string t = cell(r);
      if (code_like) return report::Cell::code(t);
      if (numeric && !t.empty()) return report::Cell(std::strtod(t.c_str(), nullptr), decimals_of(t));
      return report::Cell(t);
    };
    cols.push_back(std::move(k));
  }
  // the feature's name first, so a row says what it is
  const std::size_t at = first_attr + static_cast<std::size_t>(std::max(name_col, 0));
  if (name_col >= 0 && at < cols.size()) {
    Col c = std::move(cols[at]);
    cols.erase(cols.begin() + static_cast<std::ptrdiff_t>(at));
    cols.insert(cols.begin(), std::move(c));
  }
  return cols;
}

/// The filter "column op value" (op: >=, <=, !=, =, >, <) when `f` is one over a column of
/// `cols`; else -1 (a text searched in every cell).
struct Condition {
  int col = -1;
  std::string op;
  std::string value;
  double number = 0.0;
  bool numeric = false;
};
Condition parse_condition(const std::string& f, const std::vector<Col>& cols) {
  Condition c;
  for (const char* op : {">=", "<=", "!=", "=", ">", "<"}) {
    const auto at = f.find(op);
    if (at == std::string::npos) continue;
    auto trim = [](std::string t) {
      while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.pop_back();
      std::size_t b = 0;
      while (b < t.size() && std::isspace(static_cast<unsigned char>(t[b]))) ++b;
      return t.substr(b);
    };
    const std::string left = trim(f.substr(0, at)), right = trim(f.substr(at + std::strlen(op)));
    for (std::size_t k = 0; k < cols.size(); ++k)
      if (cols[k].title == left) {
        c.col = static_cast<int>(k);
        c.op = op;
        c.value = right;
        char* end = nullptr;
        c.number = std::strtod(right.c_str(), &end);
        c.numeric = !right.empty() && end && *end == '\0';
        return c;
      }
    return c;
  }
  return c;
}

bool passes(const Condition& c, const Col& col, std::size_t r) {
  if (c.numeric) {
    double v = 0.0;
    if (col.key)
      v = col.key(r);
    else {
      const std::string t = col.cell(r);
      char* end = nullptr;
      v = std::strtod(t.c_str(), &end);
      if (t.empty() || (end && *end != '\0')) return false;
    }
    if (col.percent) v *= 100.0;  // shares are kept 0..1 but shown in percent: "覆盖 < 50" is 50 %
    if (c.op == ">=") return v >= c.number;
    if (c.op == "<=") return v <= c.number;
    if (c.op == ">") return v > c.number;
    if (c.op == "<") return v < c.number;
    if (c.op == "=") return std::abs(v - c.number) < 1e-9 * std::max(1.0, std::abs(c.number));
    return std::abs(v - c.number) >= 1e-9 * std::max(1.0, std::abs(c.number));
  }
  const std::string t = col.cell(r);
  if (c.op == "=") return t == c.value;
  if (c.op == "!=") return t != c.value;
  return false;  // < and > compare numbers only
}

/// The rows of `order` that pass the filter `filter` (a Condition over a column, else a text in
/// any cell) and, with `only`, are selected (`selected(r)`).
std::vector<std::size_t> shown_rows(const std::vector<Col>& cols, const std::vector<std::size_t>& order,
                                    const std::string& filter, bool only,
                                    const std::function<bool(std::size_t)>& selected) {
  const Condition cond = parse_condition(filter, cols);
  std::vector<std::size_t> out;
  for (std::size_t r : order) {
    if (only && !selected(r)) continue;
    if (!filter.empty()) {
      if (cond.col >= 0) {
        if (!passes(cond, cols[static_cast<std::size_t>(cond.col)], r)) continue;
      } else if (std::none_of(cols.begin(), cols.end(),
                              [&](const Col& c) { return c.cell(r).find(filter) != std::string::npos; })) {
        continue;
      }
    }
    out.push_back(r);
  }
  return out;
}

}  // namespace

void App::draw_attribute_table() {
  if (!m_show_table) return;
  m_layout.place("table", Side::Bottom, 620, 320);
  if (!ImGui::Begin(tr_id("Attribute table").c_str(), &m_show_table)) {
    ImGui::End();
    return;
  }
  note_panel_rect("table");
  const auto& layers = doc().layers;
  // a selection made on the map (or by 查找) shows its layer in the table, scrolled to it
  bool scroll_to_sel = false;
  if (m_sel_changed) {
    m_sel_changed = false;
    if (m_sel.valid() && m_sel.layer < layers.size() && !layers[m_sel.layer].is_raster) {
      if (m_table_layer != m_sel.layer) m_table_order.clear();
      m_table_layer = m_sel.layer;
      scroll_to_sel = true;
    }
  }
  if (m_table_layer >= layers.size()) {
    m_table_layer = SIZE_MAX;
    for (std::size_t i = 0; i < layers.size() && m_table_layer == SIZE_MAX; ++i)
      if (!layers[i].is_raster) m_table_layer = i;
  }
  if (m_table_layer == SIZE_MAX) {
    text(tr("No vector layer."));
    ImGui::End();
    return;
  }
  auto shown_name = [&](std::size_t i) {
    return i < m_layers.size() && !m_layers[i].title.empty() ? m_layers[i].title : layers[i].name;
  };
  const std::string current = shown_name(m_table_layer);
  record(current);
  ImGui::SetNextItemWidth(220);
  if (ImGui::BeginCombo(tr_id("Layer").c_str(), current.c_str())) {
    for (std::size_t i = 0; i < layers.size(); ++i)
      if (!layers[i].is_raster &&
          ImGui::Selectable((shown_name(i) + "###tl" + std::to_string(i)).c_str(), i == m_table_layer)) {
        m_table_layer = i;
        m_table_order.clear();
      }
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(240);
  ImGui::InputTextWithHint("##table_filter", tr("filter: text, or Population > 1000"), m_table_filter,
                           sizeof m_table_filter);
  ImGui::SameLine();
  ImGui::Checkbox(tr_id("Selected only").c_str(), &m_table_only_selected);
  const core::Layer& L = layers[m_table_layer];
  const std::size_t rows = L.geom.feature_count();
  const int level = unit_level(m_session, L);
  const std::vector<Col> cols = table_columns(m_session, L, level, name_column(L, m_layers[m_table_layer]));
  if (cols.empty() || rows == 0) {
    text(std::to_string(rows) + " " + tr("features"));
    ImGui::End();
    return;
  }
  if (m_table_order.size() != rows) {  // a new layer: unsorted
    m_table_order.resize(rows);
    std::iota(m_table_order.begin(), m_table_order.end(), std::size_t{0});
    ++m_table_sorts;
  }
  // the rows shown: the sorted order through the filter and "selected only", again only when one
  // of those, the selection or the figures changed (a text filter formats every cell)
  auto refresh_rows = [&] {
    char key[1400];
    const session::Key fig = m_session.key();  // the figures a filter on them reads
    std::snprintf(key, sizeof key, "%zu|%llu|%llu|%p|%d|%llu|%llu|%d|%s", m_table_layer,
                  static_cast<unsigned long long>(fig.revision), static_cast<unsigned long long>(fig.edits),
                  m_session.ready() ? static_cast<const void*>(&m_session.evaluation()) : nullptr, level,
                  static_cast<unsigned long long>(m_sel_version),
                  static_cast<unsigned long long>(m_table_sorts), m_table_only_selected ? 1 : 0,
                  m_table_filter);
    if (m_table_rows_key == key) return;
    m_table_rows_key = key;
    m_table_rows = shown_rows(cols, m_table_order, m_table_filter, m_table_only_selected,
                              [&](std::size_t r) { return is_selected(m_table_layer, r); });
  };
  refresh_rows();
  std::size_t selected_here = 0;
  if (m_sel.valid() && m_sel.layer == m_table_layer) selected_here = m_sel_set.size();
  std::string count = m_table_rows.size() == rows ? std::to_string(rows) + " " + tr("features")
                                                  : std::to_string(m_table_rows.size()) + " / " +
                                                        std::to_string(rows) + " " + tr("features");
  if (selected_here > 0) count += " · " + std::to_string(selected_here) + " " + tr("selected");
  text(count);
  ImGui::SameLine();
  ImGui::BeginDisabled(selected_here == 0);
  if (ImGui::Button(tr_id("Zoom to selection").c_str())) zoom_to_selection();
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (m_table_export[0] == '\0' || m_table_export_layer != m_table_layer) {
    // the export folder beside the project, the layer's shown name as the file name
    std::error_code ec;
    const fs::path dir = m_opt.project.empty()
                             ? fs::current_path(ec) / "kepumap-export"
                             : fs::absolute(m_opt.project, ec).parent_path() / "kepumap-export";
    std::string stem = current;
    for (char& ch : stem)
      if (ch == '/' || ch == '\\' || ch == ':' || ch == ' ') ch = '_';
    std::snprintf(m_table_export, sizeof m_table_export, "%s",
                  (dir / (stem + (selected_here > 0 ? "_selected" : "") + ".xlsx")).string().c_str());
    m_table_export_layer = m_table_layer;
  }
  ImGui::SetNextItemWidth(-160);
  ImGui::InputText("##table_export", m_table_export, sizeof m_table_export);
  ImGui::SameLine();
  if (ImGui::Button(tr_id(selected_here > 0 ? "Export selected" : "Export rows").c_str())) {
    std::string err;
    m_table_export_ok = export_table_selection(m_table_export, err);
    m_table_export_msg = m_table_export_ok ? m_table_export_msg : err;
    if (!m_table_export_ok) m_log.push_back("error: " + err);
  }
  if (!m_table_export_msg.empty()) {
    record(m_table_export_msg);
    if (m_table_export_ok)
      ImGui::TextUnformatted(m_table_export_msg.c_str());
    else
      ImGui::TextColored({0.8f, 0.1f, 0.1f, 1}, "%s", m_table_export_msg.c_str());
  }
  const int ncols = static_cast<int>(std::min<std::size_t>(cols.size(), 64));
  if (ImGui::BeginTable("attribute_table", ncols,
                        ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY |
                            ImGuiTableFlags_ScrollX | ImGuiTableFlags_Sortable |
                            ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_Resizable)) {
    ImGui::TableSetupScrollFreeze(1, 1);
    for (int c = 0; c < ncols; ++c) ImGui::TableSetupColumn(cols[static_cast<std::size_t>(c)].title.c_str());
    ImGui::TableHeadersRow();
    if (ImGuiTableSortSpecs* spec = ImGui::TableGetSortSpecs();
        spec && spec->SpecsDirty && spec->SpecsCount > 0) {
      const auto& s = spec->Specs[0];
      const Col& c = cols[static_cast<std::size_t>(s.ColumnIndex)];
      const bool asc = s.SortDirection == ImGuiSortDirection_Ascending;
      std::stable_sort(m_table_order.begin(), m_table_order.end(), [&](std::size_t a, std::size_t b) {
        if (c.key) return asc ? c.key(a) < c.key(b) : c.key(a) > c.key(b);
        return asc ? c.cell(a) < c.cell(b) : c.cell(a) > c.cell(b);
      });
      spec->SpecsDirty = false;
      ++m_table_sorts;
      refresh_rows();
    }
    if (scroll_to_sel) {
      const auto at = std::find(m_table_rows.begin(), m_table_rows.end(), m_sel.feature);
      if (at != m_table_rows.end()) {
        const float row_h = ImGui::GetTextLineHeight() + 2 * ImGui::GetStyle().CellPadding.y;
        ImGui::SetScrollY(std::max(
            0.0f, static_cast<float>(at - m_table_rows.begin()) * row_h - ImGui::GetWindowHeight() * 0.4f));
      }
    }
    const bool ctrl = ImGui::GetIO().KeyCtrl || ImGui::GetIO().KeyShift;
    ImGuiListClipper clip;
    clip.Begin(static_cast<int>(m_table_rows.size()));
    while (clip.Step())
      for (int k = clip.DisplayStart; k < clip.DisplayEnd; ++k) {
        const std::size_t r = m_table_rows[static_cast<std::size_t>(k)];
        ImGui::TableNextRow();
        for (int c = 0; c < ncols; ++c) {
          ImGui::TableSetColumnIndex(c);
          const std::string t = cols[static_cast<std::size_t>(c)].cell(r);
          record(t);
          if (c == 0) {
            if (ImGui::Selectable((t + "##row" + std::to_string(r)).c_str(), is_selected(m_table_layer, r),
                                  ImGuiSelectableFlags_SpanAllColumns)) {
              select({m_table_layer, r}, ctrl);  // Ctrl-click (or Shift) adds or takes out
              m_sel_changed = false;             // the table shows it already
              if (!ctrl && m_table_layer < m_layers.size() && r < m_layers[m_table_layer].bbox.size() &&
                  !m_layers[m_table_layer].bbox[r].empty())
                m_view.center = m_layers[m_table_layer].bbox[r].center();
            }
          } else {
            ImGui::TextUnformatted(t.c_str());
          }
        }
      }
    ImGui::EndTable();
  }
  ImGui::End();
}

bool App::export_table_selection(const std::string& path, std::string& error) {
  const auto& layers = doc().layers;
  if (m_table_layer >= layers.size() || layers[m_table_layer].is_raster) {
    error = "no vector layer in the attribute table";
    return false;
  }
  const core::Layer& L = layers[m_table_layer];
  const std::vector<Col> cols =
      table_columns(m_session, L, unit_level(m_session, L), name_column(L, m_layers[m_table_layer]));
  const fs::path file(path);
  std::string ext = file.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext != ".csv" && ext != ".xlsx") {
    error = path + ": the file name must end in .csv or .xlsx";
    return false;
  }
  // the selected features in the table's order; none selected: the rows the table shows
  std::vector<std::size_t> order = m_table_order;
  if (order.size() != L.geom.feature_count()) {
    order.resize(L.geom.feature_count());
    std::iota(order.begin(), order.end(), std::size_t{0});
  }
  const bool sel = m_sel.valid() && m_sel.layer == m_table_layer && !m_sel_set.empty();
  const auto selected = [&](std::size_t r) { return is_selected(m_table_layer, r); };
  const std::vector<std::size_t> rows =
      sel ? shown_rows(cols, order, "", true, selected)
          : shown_rows(cols, order, m_table_filter, m_table_only_selected, selected);
  report::Sheet sheet;
  sheet.name =
      report::xlsx_sheet_name(m_table_layer < m_layers.size() && !m_layers[m_table_layer].title.empty()
                                  ? m_layers[m_table_layer].title
                                  : L.name);
  for (const Col& c : cols) sheet.headers.push_back(c.title);
  for (std::size_t r : rows) {
    std::vector<report::Cell> row;
    for (const Col& c : cols) row.push_back(c.out ? c.out(r) : report::Cell(c.cell(r)));
    sheet.rows.push_back(std::move(row));
  }
  try {
    std::error_code ec;
    if (file.has_parent_path()) fs::create_directories(file.parent_path(), ec);
    if (ext == ".csv")
      report::write_csv(file, sheet);
    else
      report::write_xlsx(file, {sheet});
  } catch (const std::exception& e) {
    error = e.what();
    return false;
  }
  m_table_export_msg = std::to_string(rows.size()) + " " + tr("rows written to") + " " + path;
  m_table_export_ok = true;
  m_log.push_back(m_table_export_msg);
  return true;
}

void App::search_places(const std::string& query) {
  m_search_hits.clear();
  m_search_message.clear();
  if (query.empty()) return;
  // two coordinates (decimal degrees or DMS, either order, as the CSV reader reads them): go there
  std::string coord_error;
  if (std::any_of(query.begin(), query.end(), [](unsigned char c) { return std::isdigit(c); })) {
    if (const auto ll = io::parse_lon_lat(query, &coord_error)) {
      if (!m_to_lonlat) {
        m_search_message = tr("Open a project or a layer first.");
        return;
      }
      const core::Vec2 p = m_to_lonlat->apply_inverse(core::Vec2{ll->first, ll->second});
      if (!std::isfinite(p.x) || !std::isfinite(p.y)) {
        m_search_message = query + ": " + tr("cannot be placed in the map's coordinate system");
        return;
      }
      m_view.center = p;
      m_search_message =
          std::string(tr("Centred on")) + " " + number(ll->first, "%.5f") + ", " + number(ll->second, "%.5f");
      return;
    }
  }
  // Names containing the text, in every vector layer with names (units, towns, facilities, ...);
  // letters only also match the names' pinyin initials ("blgt" finds 别力古台镇)
  const bool letters =
      std::all_of(query.begin(), query.end(), [](unsigned char c) { return std::isalpha(c); });
  std::string lower = query;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::vector<render::Selection> by_name, by_initials, inside_initials;
  for (std::size_t li = 0; li < doc().layers.size() && li < m_layers.size(); ++li) {
    auto& ui = m_layers[li];
    if (letters && ui.initials.size() != ui.names.size()) {
      ui.initials.resize(ui.names.size());
      for (std::size_t f = 0; f < ui.names.size(); ++f) ui.initials[f] = io::pinyin_initials(ui.names[f]);
    }
    for (std::size_t f = 0; f < ui.names.size(); ++f) {
      if (ui.names[f].empty()) continue;
      if (ui.names[f].find(query) != std::string::npos)
        by_name.push_back({li, f});
      else if (letters && ui.initials[f].rfind(lower, 0) == 0)
        by_initials.push_back({li, f});
      else if (letters && ui.initials[f].find(lower) != std::string::npos)
        inside_initials.push_back({li, f});
    }
  }
  // names with the text first, then names whose initials begin with it, then the others
  for (const auto* hits : {&by_name, &by_initials, &inside_initials})
    for (const auto& h : *hits)
      if (m_search_hits.size() < 50) m_search_hits.push_back(h);
  if (m_search_hits.empty())
    m_search_message =
        query + ": " + (coord_error.empty() ? std::string(tr("no place of that name")) : coord_error);
}

void App::go_to(render::Selection s) {
  if (!s.valid() || s.layer >= m_layers.size() || s.feature >= m_layers[s.layer].bbox.size()) return;
  select(s);
  const core::BBox& b = m_layers[s.layer].bbox[s.feature];
  if (b.empty()) return;
  m_view.center = b.center();
  const double span = std::max(b.max_x - b.min_x, b.max_y - b.min_y);
  if (span > 0)
    m_view.m_per_px = std::max(5.0, span * 2.5 / std::max(1, std::min(m_view.width_px, m_view.height_px)));
}

void App::draw_search() {
  if (!m_show_search) return;
  m_layout.place("search", Side::Left, 360, 260);
  if (!ImGui::Begin(tr_id("Find place").c_str(), &m_show_search)) {
    ImGui::End();
    return;
  }
  note_panel_rect("search");
  ImGui::SetNextItemWidth(-70);
  const bool enter = ImGui::InputTextWithHint("##search", tr("name, or lon, lat"), m_search_text,
                                              sizeof m_search_text, ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine();
  if (ImGui::Button(tr_id("Find").c_str()) || enter) search_places(m_search_text);
  if (!m_search_message.empty()) text(m_search_message);
  for (std::size_t k = 0; k < m_search_hits.size(); ++k) {
    const auto& h = m_search_hits[k];
    const core::Layer& L = doc().layers[h.layer];
    const std::string layer = !m_layers[h.layer].title.empty() ? m_layers[h.layer].title : L.name;
    const std::string row = m_layers[h.layer].names[h.feature] + "  · " + layer;
    record(row);
    if (ImGui::Selectable((row + "##hit" + std::to_string(k)).c_str(),
                          m_sel.layer == h.layer && m_sel.feature == h.feature))
      go_to(h);
  }
  ImGui::End();
}

double App::measured_km() const {
  // Great-circle length on the mean Earth sphere (R = 6371.0088 km), through lon/lat: within
  // about 0.5 % of the ellipsoid's, whatever the map's projection distorts.
  if (!m_to_lonlat || m_measure_pts.size() < 2) return 0.0;
  constexpr double R = 6371.0088, rad = 3.14159265358979323846 / 180.0;
  double km = 0.0;
  for (std::size_t i = 1; i < m_measure_pts.size(); ++i) {
    const core::Vec2 a = m_to_lonlat->apply(m_measure_pts[i - 1]), b = m_to_lonlat->apply(m_measure_pts[i]);
    const double dlat = (b.y - a.y) * rad, dlon = (b.x - a.x) * rad;
    const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                     std::cos(a.y * rad) * std::cos(b.y * rad) * std::sin(dlon / 2) * std::sin(dlon / 2);
    km += 2 * R * std::asin(std::min(1.0, std::sqrt(h)));
  }
  return km;
}

double App::measured_km2() const {
  // The closed polygon's area in the analysis CRS, which is equal-area (metres²).
  const auto& p = m_measure_pts;
  if (p.size() < 3) return 0.0;
  double a = 0.0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const core::Vec2 &u = p[i], &v = p[(i + 1) % p.size()];
    a += u.x * v.y - v.x * u.y;
  }
  return std::abs(a) / 2.0 / 1e6;
}

void App::update_measure_route() {
  if (m_measure_pts.size() < 2 || !m_session.ready()) {
    if (m_measure_pts.size() < 2) m_route = {};
    if (m_measure_pts.size() >= 2) m_want_figures = true;  // the engine comes with the figures
    return;
  }
  const session::Key key = m_session.key();
  const bool same = m_route.points == m_measure_pts && m_route.key.revision == key.revision &&
                    m_route.key.scenario == key.scenario;
  if (same || m_route.pending) return;
  m_route.pending = true;
  auto pe = m_session.shared_evaluation();
  const std::vector<core::Vec2> pts = m_measure_pts;
  struct Out {
    std::vector<core::Vec2> points;
    session::Key key;
    double seconds = 0.0;
    std::vector<core::Vec2> path;
    bool cancelled = false;
  };
  m_tasks.run<Out>(
      "measure",
      [pe, pts, key, stage = std::string(tr("Route"))](session::TaskState& st) {
        Out o;
        o.points = pts;
        o.key = key;
        st.set_stage(stage, 0, 1);
        // one search per point: leg i -> i + 1 from row i of the matrix
        const analysis::StopMatrix m = analysis::stop_matrix(pe->travel.model, pts, true, st.cancel_flag());
        o.cancelled = st.cancel_flag()->load();
        for (int i = 0; i + 1 < m.n; ++i) {
          const core::ISeconds t = m.at(i, i + 1);
          if (t == core::UNREACHABLE) {
            o.seconds = std::numeric_limits<double>::infinity();
            o.path.clear();
            break;
          }
          o.seconds += static_cast<double>(t);
          for (const auto& q : m.path(i, i + 1)) o.path.push_back(q);
        }
        return o;
      },
      [this](Out& o) {
        m_route.pending = false;
        if (o.cancelled) return;
        m_route.points = std::move(o.points);
        m_route.key = o.key;
        m_route.seconds = o.seconds;
        m_route.path = std::move(o.path);
      });
}

void App::draw_measure() {
  if (!m_measuring) return;
  update_measure_route();
  ImDrawList* dl = ImGui::GetBackgroundDrawList();
  const bool route_now = m_route.points == m_measure_pts && m_route.seconds >= 0;
  if (route_now && m_route.path.size() >= 2) {
    std::vector<ImVec2> rp;
    rp.reserve(m_route.path.size());
    for (const auto& m : m_route.path) {
      const core::Vec2 s = m_view.to_screen(m);
      rp.push_back({static_cast<float>(s.x), static_cast<float>(s.y)});
    }
    dl->AddPolyline(rp.data(), static_cast<int>(rp.size()), IM_COL32(30, 90, 200, 230), 0, 3.0f);
  }
  std::vector<ImVec2> pts;
  for (const auto& m : m_measure_pts) {
    const core::Vec2 s = m_view.to_screen(m);
    pts.push_back({static_cast<float>(s.x), static_cast<float>(s.y)});
  }
  if (pts.size() >= 2)
    dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), IM_COL32(200, 30, 30, 255), 0, 2.5f);
  for (const auto& q : pts) dl->AddCircleFilled(q, 4, IM_COL32(200, 30, 30, 255));
  m_layout.place("measure", Side::Left, 300, 130);
  if (!ImGui::Begin(tr_id("Measure").c_str(), &m_measuring)) {
    ImGui::End();
    return;
  }
  note_panel_rect("measure");
  text(tr("Click on the map to add points."));
  text(std::string(tr("Distance")) + ": " + number(measured_km(), "%.2f") + " km (" +
       std::to_string(m_measure_pts.size()) + " " + tr("points") + ")");
  if (m_measure_pts.size() >= 3)
    text(std::string(tr("Area (closed)")) + ": " + number(measured_km2(), "%.2f") + " km²");
  // the travel time along the points through the travel-time engine (the scenario shown)
  if (m_measure_pts.size() >= 2) {
    std::string t =
        std::string(tr("Travel time")) + " (" + m_session.scenario_label(language() == Lang::En) + "): ";
    if (!route_now)
      t += tr("computing");
    else if (!std::isfinite(m_route.seconds))
      t += tr("no route (outside the travel grid or cut off)");
    else
      t += number(m_route.seconds / 60.0, "%.1f") + " " + tr("min");
    text(t);
  }
  if (ImGui::Button(tr_id("Clear").c_str())) {
    m_measure_pts.clear();
    m_route = {};
  }
  ImGui::End();
}

}  // namespace kepumap::ui
