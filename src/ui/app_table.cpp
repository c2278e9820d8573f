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

void App::search_places(const std::string& query) {
  m_search_hits.clear();
  m_search_message.clear();
  if (query.empty()) return;
  // "lon, lat" (or "lon lat") in degrees: go there.
  {
    double lon = 0, lat = 0;
    char rest = 0;
    if ((std::sscanf(query.c_str(), "%lf , %lf %c", &lon, &lat, &rest) == 2 ||
         std::sscanf(query.c_str(), "%lf %lf %c", &lon, &lat, &rest) == 2) &&
        lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90) {
      if (!m_to_lonlat) {
        m_search_message = tr("Open a project or a layer first.");
        return;
      }
      const core::Vec2 p = m_to_lonlat->apply_inverse(core::Vec2{lon, lat});
      if (!std::isfinite(p.x) || !std::isfinite(p.y)) {
        m_search_message = query + ": " + tr("cannot be placed in the map's coordinate system");
        return;
      }
      m_view.center = p;
      m_search_message =
          std::string(tr("Centred on")) + " " + number(lon, "%.5f") + ", " + number(lat, "%.5f");
      return;
    }
  }
  // Names containing the text, in every vector layer with names (units, towns, facilities, ...).
  for (std::size_t li = 0; li < doc().layers.size() && li < m_layers.size(); ++li) {
    const auto& names = m_layers[li].names;
    for (std::size_t f = 0; f < names.size() && m_search_hits.size() < 50; ++f)
      if (!names[f].empty() && names[f].find(query) != std::string::npos) m_search_hits.push_back({li, f});
  }
  if (m_search_hits.empty()) m_search_message = query + ": " + tr("no place of that name");
}

void App::go_to(render::Selection s) {
  if (!s.valid() || s.layer >= m_layers.size() || s.feature >= m_layers[s.layer].bbox.size()) return;
  m_sel = s;
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
      [pe, pts, key](session::TaskState& st) {
        Out o;
        o.points = pts;
        o.key = key;
        st.set_stage("route", 0, 1);
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
