#include "ui/map_overlay.hpp"

#include <glad/gl.h>

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>

#include "render/symbology.hpp"
#include "ui/i18n.hpp"

namespace kepumap::ui {

namespace {

/// Index of `l` (a layer of the evaluated document) in the session's current document, matched
/// by position and name (layers are only appended or removed); SIZE_MAX if it is not there.
std::size_t current_index(const AnalysisHost& h, const core::Layer* l) {
  const auto& ed = h.session.evaluated_document();
  if (!l || !ed) return SIZE_MAX;
  const auto idx = static_cast<std::size_t>(l - ed->layers.data());
  if (idx < h.doc.layers.size() && h.doc.layers[idx].name == l->name) return idx;
  for (std::size_t i = 0; i < h.doc.layers.size(); ++i)
    if (h.doc.layers[i].name == l->name) return i;
  return SIZE_MAX;
}

/// RGBA (ImGui's byte order) of a colour at `alpha` 0..255.
std::uint32_t pack(core::Rgba c, float alpha) {
  auto byte = [](float v) {
    return static_cast<std::uint32_t>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f));
  };
  return byte(c.r) | (byte(c.g) << 8) | (byte(c.b) << 16) | (static_cast<std::uint32_t>(alpha) << 24);
}

/// Uploads `px` (w x h RGBA) into texture `tex` (created when 0), nearest-neighbour sampling.
void upload_rgba(unsigned int& tex, int w, int h, const std::vector<std::uint32_t>& px) {
  if (tex == 0) glGenTextures(1, &tex);
  glBindTexture(GL_TEXTURE_2D, tex);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
}

/// The sampling step that keeps a w x h grid within the GL texture limit.
int texture_step(int w, int h) {
  GLint max_size = 0;
  glGetIntegerv(GL_MAX_TEXTURE_SIZE, &max_size);
  int step = 1;
  while (max_size > 0 && (w / step > max_size || h / step > max_size)) ++step;
  return step;
}

}  // namespace

std::string MapOverlay::gap_label() { return tr("gap (uncovered people × priority)"); }

std::vector<std::pair<unsigned int, std::string>> MapOverlay::time_legend(const core::Style& st) {
  std::vector<std::pair<unsigned int, std::string>> out;
  for (std::size_t i = 0; i < st.travel_time_legend_min.size(); ++i) {
    const double m = st.travel_time_legend_min[i];
    const bool last = i + 1 == st.travel_time_legend_min.size();
    out.emplace_back(session::time_rgba(st, m * 60.0) | 0xFF000000u,
                     std::to_string(static_cast<int>(m)) + (last ? "+" : ""));
  }
  return out;
}

void MapOverlay::release_gl() {
  for (unsigned int* t : {&m_time_tex, &m_index_tex, &m_catchment_tex}) {
    if (*t != 0) glDeleteTextures(1, t);
    *t = 0;
  }
}

void MapOverlay::upload_access_textures(AnalysisHost& h) {
  ++m_drawn;
  m_access_key = h.session.key();
  m_access_drawn = access_set;
  m_drawn_index = index_map;
  m_drawn_catchment = catchment_map;
  m_access_frame = core::GridF{};
  const analysis::LiveAccess* la =
      access_set >= 0 ? h.session.access(static_cast<std::size_t>(access_set)) : nullptr;
  if (!la || !la->ready()) return;
  const core::GridF& idx = la->index().index;
  if (idx.width <= 0 || idx.height <= 0) return;
  const int step = texture_step(idx.width, idx.height);
  const int tw = (idx.width + step - 1) / step, th = (idx.height + step - 1) / step;
  m_access_frame = core::GridF(tw, th, idx.origin_x, idx.origin_y, idx.cell * step, 0.0f);
  std::vector<std::uint32_t> px(static_cast<std::size_t>(tw) * static_cast<std::size_t>(th), 0u);
  const double mean = la->index().mean;
  if (index_map && mean > 0) {
    for (int r = 0; r < th; ++r)
      for (int c = 0; c < tw; ++c) {
        const float v = idx.at(c * step, r * step);
        if (std::isfinite(v))  // cells where people live
          px[static_cast<std::size_t>(r) * static_cast<std::size_t>(tw) + static_cast<std::size_t>(c)] =
              pack(core::index_colour(h.style, v / mean), 200.0f);
      }
    upload_rgba(m_index_tex, tw, th, px);
  }
  if (catchment_map && la->has_capacity()) {
    const core::GridI& cg = la->capacity().catchment;
    std::fill(px.begin(), px.end(), 0u);
    for (int r = 0; r < th && cg.width == idx.width; ++r)
      for (int c = 0; c < tw; ++c) {
        const std::int32_t f = cg.at(c * step, r * step);
        if (f >= 0)
          px[static_cast<std::size_t>(r) * static_cast<std::size_t>(tw) + static_cast<std::size_t>(c)] =
              pack(core::category_colour(static_cast<std::size_t>(f)), 190.0f);
      }
    upload_rgba(m_catchment_tex, tw, th, px);
  }
}

void MapOverlay::reset(AnalysisHost& h) {
  m_iso_slot.reset();  // a running trace is of the old figures: its lines are dropped
  m_iso_task.reset();
  m_iso_wanted = false;
  remove_gap_map(h);
  m_gap_ch.reset();
  m_finest_layer = h.session.ready() ? current_index(h, h.session.evaluation().area.finest) : SIZE_MAX;
  m_highlight_features.clear();
  m_highlight_layer = SIZE_MAX;
  mark_dirty();
}

void MapOverlay::remove_gap_map(AnalysisHost& h) {
  if (!m_gap_shown || m_finest_layer >= h.doc.layers.size() || m_finest_layer >= h.renderer.layer_count() ||
      m_finest_layer >= h.layers.size())
    return;
  const core::Layer& L = h.doc.layers[m_finest_layer];
  h.renderer.restyle(m_finest_layer, L, h.layers[m_finest_layer].style);
  h.layers[m_finest_layer].choropleth = render::resolve_choropleth(L, h.layers[m_finest_layer].style);
  m_gap_shown = false;
}

void MapOverlay::upload_time_texture(const AnalysisHost& h) {
  ++m_drawn;
  const bool whole = m_time_dirty || m_time_tex == 0;
  m_time_dirty = false;
  const analysis::CellBox changed = m_time_box;
  m_time_box = {};
  const auto& pe = h.session.evaluation();
  const core::GridF& g = pe.ev.coverage.best_time;
  if (g.width <= 0 || g.height <= 0) return;
  const core::GridI& unit = pe.area.demand.unit;
  if (whole || m_time_img.step * m_time_img.width < g.width ||
      m_time_img.step * m_time_img.height < g.height) {
    m_time_img = session::make_time_image(g, unit, h.style, texture_step(g.width, g.height));
    upload_rgba(m_time_tex, m_time_img.width, m_time_img.height, m_time_img.px);
  } else {
    // a drag step: the texels of the changed cells only
    const analysis::CellBox t = session::texels_of(m_time_img, changed);
    if (t.empty()) return;
    session::recolour(m_time_img, g, unit, h.style, t);
    glBindTexture(GL_TEXTURE_2D, m_time_tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glPixelStorei(GL_UNPACK_ROW_LENGTH, m_time_img.width);
    glPixelStorei(GL_UNPACK_SKIP_PIXELS, t.col0);
    glPixelStorei(GL_UNPACK_SKIP_ROWS, t.row0);
    glTexSubImage2D(GL_TEXTURE_2D, 0, t.col0, t.row0, t.col1 - t.col0, t.row1 - t.row0, GL_RGBA,
                    GL_UNSIGNED_BYTE, m_time_img.px.data());
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    glPixelStorei(GL_UNPACK_SKIP_PIXELS, 0);
    glPixelStorei(GL_UNPACK_SKIP_ROWS, 0);
  }
  m_iso_wanted = true;
  trace_isochrones(h);
}

void MapOverlay::trace_isochrones(const AnalysisHost& h) {
  if (m_iso_slot && m_iso_slot->ready) {  // the last trace ended: its lines replace the old
    m_time_iso = std::move(m_iso_slot->iso);
    ++m_drawn;
    m_iso_slot.reset();
    m_iso_task.reset();
  }
  if (m_iso_task || !m_iso_wanted) return;  // one at a time; the next starts when it ends
  m_iso_wanted = false;
  auto grid = std::make_shared<const core::GridF>(h.session.evaluation().ev.coverage.best_time);
  m_iso_slot = std::make_shared<IsoSlot>();
  const std::string name = tr("Isochrones");
  m_iso_task = h.tasks.run<analysis::Isolines>(
      name,
      [grid, name](session::TaskState& st) {
        st.set_stage(name, 0, 1);
        return analysis::isolines(*grid, analysis::ISOCHRONE_LEVELS_S, st.cancel_flag());
      },
      [slot = std::weak_ptr<IsoSlot>(m_iso_slot)](analysis::Isolines& iso) {
        if (auto s = slot.lock()) {  // not when the figures were replaced meanwhile
          s->iso = std::move(iso);
          s->ready = true;
        }
      });
}

void MapOverlay::refresh(AnalysisHost& h) {
  if (!h.session.ready()) return;
  if (!(h.session.key() == m_key)) {
    // after drag steps only the cells they changed are coloured again
    analysis::CellBox box;
    if (!m_time_dirty && time_map && h.session.changed_since(m_key, box))
      m_time_box.add(box);
    else
      m_time_dirty = true;
    m_map_dirty = true;
    m_key = h.session.key();
  }
  if (m_gap_shown && m_finest_layer < h.layers.size()) {
    const auto& st = h.layers[m_finest_layer].style;
    if (h.style.name != m_applied_style_name || !(st.line == m_applied_line) ||
        st.line_width_px != m_applied_line_width || !h.layers[m_finest_layer].choropleth ||
        h.layers[m_finest_layer].choropleth->attribute != gap_label())
      m_map_dirty = true;
  }
  if (time_map && (m_time_dirty || !m_time_box.empty())) upload_time_texture(h);
  trace_isochrones(h);  // takes finished lines; starts the next trace when the surface changed
  if ((index_map || catchment_map) && (!(m_access_key == h.session.key()) || m_access_drawn != access_set ||
                                       index_map != m_drawn_index || catchment_map != m_drawn_catchment))
    upload_access_textures(h);
  if (!m_map_dirty) return;
  m_map_dirty = false;
  if (m_highlight_target >= 0) highlight(h, m_highlight_target);  // failing units follow edits
  if (!gap_map) {
    remove_gap_map(h);
    return;
  }
  if (m_finest_layer >= h.doc.layers.size() || m_finest_layer >= h.renderer.layer_count() ||
      m_finest_layer >= h.layers.size())
    return;
  const auto& units = h.session.evaluation().ev.coverage.levels.front();
  std::vector<double> gap(units.size());
  for (std::size_t u = 0; u < units.size(); ++u) gap[u] = units[u].gap;
  if (!m_gap_ch) {
    // classes of the figures when first shown, kept while editing so the colours compare; the
    // same rule and colours as the report's map (styles/, core::gap_classes)
    m_gap_layer = h.doc.layers[m_finest_layer];
    m_gap_ch = core::gap_classes(gap, h.style);
  }
  core::Column col;
  col.name = "kepumap_gap";
  col.type = core::FieldType::Real;
  for (std::size_t f = 0; f < m_gap_layer.geom.feature_count(); ++f)
    if (f < gap.size())
      col.push_real(gap[f]);
    else
      col.push_null();
  if (int c = m_gap_layer.attrs.find("kepumap_gap"); c >= 0)
    m_gap_layer.attrs.columns[static_cast<std::size_t>(c)] = std::move(col);
  else
    m_gap_layer.attrs.columns.push_back(std::move(col));
  core::LayerStyle st = h.layers[m_finest_layer].style;
  st.choropleth = m_gap_ch;
  st.categories.clear();  // a layer's own categories give way to the gap classes
  h.renderer.restyle(m_finest_layer, m_gap_layer, st);
  core::Choropleth legend = *m_gap_ch;
  legend.attribute = gap_label();
  h.layers[m_finest_layer].choropleth = legend;
  m_gap_shown = true;
  m_applied_style_name = h.style.name;
  m_applied_line = st.line;
  m_applied_line_width = st.line_width_px;
}

void MapOverlay::highlight(const AnalysisHost& h, int t) {
  ++m_drawn;
  m_highlight_target = t;
  m_highlight_features.clear();
  m_highlight_layer = SIZE_MAX;
  if (!h.session.ready()) return;
  const auto& pe = h.session.evaluation();
  if (t < 0 || static_cast<std::size_t>(t) >= pe.ev.targets.size()) return;
  const auto& tr_ = pe.ev.targets[static_cast<std::size_t>(t)];
  std::set<std::string> failing(tr_.failing.begin(), tr_.failing.end());
  if (failing.empty()) return;
  const auto& area = pe.area;
  std::string want = tr_.target ? std::string(core::scope_info(tr_.target->scope).level) : "";
  std::size_t best_level = SIZE_MAX, best_count = 0;
  for (std::size_t l = 0; l < area.levels.size(); ++l) {
    if (!area.level_layers[l]) continue;
    std::size_t c = 0;
    for (const auto& n : area.levels[l].names) c += failing.count(n);
    if (c > 0 && (area.levels[l].name == want || best_level == SIZE_MAX ||
                  (c > best_count && area.levels[best_level].name != want))) {
      if (best_level != SIZE_MAX && area.levels[best_level].name == want && area.levels[l].name != want)
        continue;
      best_level = l;
      best_count = c;
    }
  }
  if (best_level == SIZE_MAX) return;
  const std::size_t idx = current_index(h, area.level_layers[best_level]);
  if (idx >= h.doc.layers.size()) return;
  m_highlight_layer = idx;
  const auto& names = area.levels[best_level].names;
  for (std::size_t f = 0; f < names.size(); ++f)
    if (failing.count(names[f])) m_highlight_features.push_back(f);
}

std::uint64_t MapOverlay::look() const {
  std::uint64_t h = m_drawn;
  for (std::uint64_t v :
       {std::uint64_t{time_map}, std::uint64_t{index_map}, std::uint64_t{catchment_map},
        static_cast<std::uint64_t>(m_highlight_target + 1), static_cast<std::uint64_t>(m_highlight_layer),
        std::uint64_t{language() == Lang::Zh}})
    h = (h ^ v) * 1099511628211ull;
  return h;
}

void MapOverlay::draw_static(const AnalysisHost& h, ImDrawList* dl, const render::View& view,
                             ImFont* font) const {
  // the surfaces first, then the lines over them
  draw_pass(h, dl, view, font, 0);
  draw_pass(h, dl, view, font, 1);
}

void MapOverlay::draw_pass(const AnalysisHost& h, ImDrawList* dl, const render::View& view, ImFont* font,
                           int part) const {
  if (!h.session.ready()) return;
  const auto& pe = h.session.evaluation();
  auto scr = [&](core::Vec2 p) {
    core::Vec2 s = view.to_screen(p);
    return ImVec2{static_cast<float>(s.x), static_cast<float>(s.y)};
  };
  if (time_map && m_time_tex != 0 && part == 0) {
    const core::GridF& g = pe.ev.coverage.best_time;
    core::Vec2 tl{g.origin_x, g.origin_y}, br{g.origin_x + g.width * g.cell, g.origin_y - g.height * g.cell};
    dl->AddImage(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(m_time_tex)), scr(tl), scr(br));
  }
  if (time_map && m_time_tex != 0 && part == 1) {
    // Isochrones: each level's polylines, labelled in minutes at the middle of its longest line.
    const core::Geometries& iso = m_time_iso.lines;
    std::vector<ImVec2> pts;
    for (core::FeatureId f = 0; f < iso.feature_count() && f < m_time_iso.levels.size(); ++f) {
      const float width = 1.2f + 0.4f * static_cast<float>(f);
      std::size_t longest = 0;
      ImVec2 label_at{};
      for (auto p = iso.parts_begin(f); p < iso.parts_end(f); ++p)
        for (auto r = iso.rings_begin(p); r < iso.rings_end(p); ++r) {
          pts.clear();
          for (const auto& c : iso.ring(r)) pts.push_back(scr(c));
          if (pts.size() < 2) continue;
          dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), IM_COL32(40, 40, 40, 220),
                          ImDrawFlags_None, width);
          if (pts.size() > longest) {
            longest = pts.size();
            label_at = pts[pts.size() / 2];
          }
        }
      if (longest > 0) {
        const std::string t = std::to_string(static_cast<int>(m_time_iso.levels[f] / 60.0)) +
                              (language() == Lang::Zh ? " 分钟" : " min");
        const ImVec2 sz = font->CalcTextSizeA(font->FontSize, 1e9f, 0, t.c_str());
        const ImVec2 at{label_at.x - sz.x / 2, label_at.y - sz.y / 2};
        dl->AddRectFilled({at.x - 2, at.y - 1}, {at.x + sz.x + 2, at.y + sz.y + 1},
                          IM_COL32(255, 255, 255, 210), 3.0f);
        dl->AddText(font, font->FontSize, at, IM_COL32(20, 20, 20, 255), t.c_str());
      }
    }
  }
  // the access view: the index under the catchments
  if (m_access_frame.width > 0 && (index_map || catchment_map) && part == 0) {
    const core::GridF& g = m_access_frame;
    const core::Vec2 tl{g.origin_x, g.origin_y},
        br{g.origin_x + g.width * g.cell, g.origin_y - g.height * g.cell};
    if (index_map && m_index_tex != 0)
      dl->AddImage(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(m_index_tex)), scr(tl), scr(br));
    if (catchment_map && m_catchment_tex != 0)
      dl->AddImage(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(m_catchment_tex)), scr(tl),
                   scr(br));
  }
  // failing units
  if (m_highlight_target >= 0 && m_highlight_layer < h.doc.layers.size() && part == 1) {
    const core::Geometries& g = h.doc.layers[m_highlight_layer].geom;
    std::vector<ImVec2> pts;
    for (std::size_t f : m_highlight_features) {
      if (f >= g.feature_count()) continue;
      auto fid = static_cast<core::FeatureId>(f);
      for (auto p = g.parts_begin(fid); p < g.parts_end(fid); ++p)
        for (auto r = g.rings_begin(p); r < g.rings_end(p); ++r) {
          pts.clear();
          for (const auto& c : g.ring(r)) pts.push_back(scr(c));
          if (pts.size() >= 2)
            dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), IM_COL32(220, 20, 60, 255),
                            ImDrawFlags_Closed, 3.0f);
        }
    }
  }
}

void MapOverlay::draw(const AnalysisHost& h, int active_set, int selected, bool editing) const {
  if (!h.session.ready()) return;
  const auto& pe = h.session.evaluation();
  ImDrawList* dl = ImGui::GetBackgroundDrawList();
  auto scr = [&](core::Vec2 p) {
    core::Vec2 s = h.view.to_screen(p);
    return ImVec2{static_cast<float>(s.x), static_cast<float>(s.y)};
  };
  // the isochrones' minute labels are drawn into the map image: their strings are the UI's
  if (time_map && m_time_tex != 0)
    for (double level : m_time_iso.levels)
      record(std::to_string(static_cast<int>(level / 60.0)) + (language() == Lang::Zh ? " 分钟" : " min"));
  // edited facilities: the data's place crossed out, the edited place drawn with its name
  const auto& e = pe.ev;
  const auto& base_points = h.session.base_points();
  for (std::size_t k = 0; k < e.sets.size() && k < base_points.size(); ++k) {
    if (e.sets[k].mobile) continue;
    const auto& cur = e.sets[k].points;
    const auto& base = base_points[k];
    auto in = [](const std::vector<core::Vec2>& v, core::Vec2 p) {
      return std::any_of(v.begin(), v.end(), [&](core::Vec2 q) { return q.x == p.x && q.y == p.y; });
    };
    const bool active = static_cast<int>(k) == active_set && editing;
    const auto dragged = h.session.drag_place();  // drawn where the mouse holds it, ahead of the figures
    for (const auto& p : base)
      if (!in(cur, p)) {
        ImVec2 s = scr(p);
        dl->AddLine({s.x - 6, s.y - 6}, {s.x + 6, s.y + 6}, IM_COL32(90, 90, 90, 230), 2.5f);
        dl->AddLine({s.x - 6, s.y + 6}, {s.x + 6, s.y - 6}, IM_COL32(90, 90, 90, 230), 2.5f);
      }
    for (std::size_t i = 0; i < cur.size(); ++i) {
      const core::Vec2 at = dragged && dragged->set == k && dragged->index == i ? dragged->at : cur[i];
      const bool edited = !in(base, at);
      const bool sel = static_cast<int>(k) == active_set && static_cast<int>(i) == selected;
      if (!edited && !active && !sel) continue;
      ImVec2 s = scr(at);
      if (edited) {
        dl->AddCircleFilled(s, 7, IM_COL32(255, 140, 0, 240), 16);
        dl->AddCircle(s, 7, IM_COL32(30, 30, 30, 255), 16, 1.5f);
        if (i < e.sets[k].names.size() && !e.sets[k].names[i].empty()) {
          const std::string& n = e.sets[k].names[i];
          record(n);
          dl->AddText({s.x + 9, s.y - 8}, IM_COL32(120, 50, 0, 255), n.c_str());
        }
      }
      if (active) dl->AddCircle(s, 10, IM_COL32(0, 90, 200, 220), 20, 1.5f);
      if (sel) dl->AddCircle(s, 13, IM_COL32(255, 200, 0, 255), 24, 3.0f);
    }
  }
}

}  // namespace kepumap::ui
