// 属性表 / Attribute table: one layer's features as rows, its attributes as columns, sortable by
// any column, a click selects the feature and centres the map on it. Unit layers (banner,
// townships, villages) also show their figures from the session's evaluation: population,
// coverage by any service and the gap, the same numbers as the coverage CSVs.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <numeric>

#include "ui/app_window.hpp"

namespace kepumap::ui {

namespace {

/// Where a layer's units are in the evaluation (by name; -1 if the layer holds no units).
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

void text(const std::string& s) {
  record(s);
  ImGui::TextUnformatted(s.c_str());
}

std::string number(double v, const char* f) {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

}  // namespace

void App::draw_attribute_table() {
  if (!m_show_table) return;
  ImGui::SetNextWindowPos({340, 420}, ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize({620, 320}, ImGuiCond_FirstUseEver);
  if (!ImGui::Begin(tr_id("Attribute table").c_str(), &m_show_table)) {
    ImGui::End();
    return;
  }
  note_panel_rect("table");
  const auto& layers = doc().layers;
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
  if (ImGui::BeginCombo(tr_id("Layer").c_str(), current.c_str())) {
    for (std::size_t i = 0; i < layers.size(); ++i)
      if (!layers[i].is_raster &&
          ImGui::Selectable((shown_name(i) + "###tl" + std::to_string(i)).c_str(), i == m_table_layer)) {
        m_table_layer = i;
        m_table_order.clear();
      }
    ImGui::EndCombo();
  }
  const core::Layer& L = layers[m_table_layer];
  const std::size_t rows = L.geom.feature_count();
  const int level = unit_level(m_session, L);
  // Columns: the figures (unit layers), then the attributes (at most 30).
  struct Col {
    std::string title;
    std::function<std::string(std::size_t)> cell;
    std::function<double(std::size_t)> key;  // numeric sort key; empty = sort by text
  };
  std::vector<Col> cols;
  if (level >= 0) {
    const auto& units = m_session.evaluation().ev.coverage.levels[static_cast<std::size_t>(level)];
    cols.push_back({tr("Population"), [&units](std::size_t r) { return number(units[r].population, "%.0f"); },
                    [&units](std::size_t r) { return units[r].population; }});
    cols.push_back({tr("Any"),
                    [&units](std::size_t r) { return number(100.0 * units[r].share_any(), "%.1f %%"); },
                    [&units](std::size_t r) { return units[r].share_any(); }});
    cols.push_back({tr("Gap"), [&units](std::size_t r) { return number(units[r].gap, "%.0f"); },
                    [&units](std::size_t r) { return units[r].gap; }});
  }
  for (std::size_t c = 0; c < L.attrs.columns.size() && cols.size() < 33; ++c) {
    const core::Column& col = L.attrs.columns[c];
    Col k{col.name, [&col](std::size_t r) { return col.is_null(r) ? std::string() : col.text(r); }, {}};
    if (col.type != core::FieldType::Text)
      k.key = [&col](std::size_t r) {
        const std::string t = col.is_null(r) ? std::string() : col.text(r);
        return t.empty() ? -1e300 : std::strtod(t.c_str(), nullptr);
      };
    cols.push_back(std::move(k));
  }
  text(std::to_string(rows) + " " + tr("features"));
  if (cols.empty() || rows == 0) {
    ImGui::End();
    return;
  }
  if (m_table_order.size() != rows) {
    m_table_order.resize(rows);
    std::iota(m_table_order.begin(), m_table_order.end(), std::size_t{0});
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
    }
    ImGuiListClipper clip;
    clip.Begin(static_cast<int>(rows));
    while (clip.Step())
      for (int k = clip.DisplayStart; k < clip.DisplayEnd; ++k) {
        const std::size_t r = m_table_order[static_cast<std::size_t>(k)];
        ImGui::TableNextRow();
        for (int c = 0; c < ncols; ++c) {
          ImGui::TableSetColumnIndex(c);
          const std::string t = cols[static_cast<std::size_t>(c)].cell(r);
          record(t);
          if (c == 0) {
            const bool sel = m_sel.layer == m_table_layer && m_sel.feature == r;
            if (ImGui::Selectable((t + "##row" + std::to_string(r)).c_str(), sel,
                                  ImGuiSelectableFlags_SpanAllColumns)) {
              m_sel = {m_table_layer, r};
              if (m_table_layer < m_layers.size() && r < m_layers[m_table_layer].bbox.size() &&
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

}  // namespace kepumap::ui
