// Map labels and symbols drawn over the map by ImGui (placement avoids the panels).
#include "ui/app_window.hpp"

namespace kepumap::ui {

ImVec2 App::label_text_size(ImFont* font, float size, const std::string& text) {
  if (font != m_text_sizes_font) {  // another font: sizes measured with the old one are wrong
    m_text_sizes.clear();
    m_text_sizes_font = font;
  }
  auto& by_text = m_text_sizes[size];
  auto it = by_text.find(text);
  if (it == by_text.end()) it = by_text.emplace(text, font->CalcTextSizeA(size, 1e9f, 0, text.c_str())).first;
  return it->second;
}

void App::place_map_labels(ImFont* font, const render::View& pv, const std::vector<core::BBox>& obstacles) {
  ++m_label_placements;
  // Candidates from visible labelled layers, placed without overlap.
  struct Src {
    std::size_t layer, feature;
    float size;
    core::Rgba colour;
  };
  std::vector<core::LabelCandidate> cands;
  std::vector<Src> srcs;
  // placed over the whole cached map image (larger than the window), in its pixels
  core::BBox screen;
  screen.add(core::Vec2{0, 0});
  screen.add(core::Vec2{static_cast<double>(pv.width_px), static_cast<double>(pv.height_px)});
  core::BBox vis = pv.visible();
  for (std::size_t li : m_order) {
    const core::Layer& L = doc().layers[li];
    const LayerUi& ui = m_layers[li];
    if (!ui.visible || !ui.style.labels || L.is_raster || ui.names.empty()) continue;
    if (ui.style.label_min_zoom_m_per_px > 0 && pv.m_per_px > ui.style.label_min_zoom_m_per_px) continue;
    float size = ui.style.label_size_px;
    for (std::size_t f = 0; f < ui.anchor.size(); ++f) {
      if (ui.names[f].empty() || !vis.contains(ui.anchor[f])) continue;
      // polygons smaller than their label on screen get no label
      core::Vec2 s = pv.to_screen(ui.anchor[f]);
      ImVec2 ts = label_text_size(font, size, ui.names[f]);
      if (L.geom.kind == core::GeomKind::Polygon) {
        const core::BBox& b = ui.bbox[f];
        if (b.width() / pv.m_per_px < ts.x * 0.6) continue;
      }
      core::LabelCandidate c;
      c.anchor = s;
      c.width = ts.x + 4;
      c.height = ts.y + 2;
      c.priority = ui.style.label_priority;
      c.weight = ui.weight[f];
      c.centred = L.geom.kind == core::GeomKind::Polygon;
      c.offset = ui.style.symbol_size_px * 0.5 + 2;
      cands.push_back(c);
      srcs.push_back({li, f, size, ui.style.label_colour});
    }
  }
  // A town and its township often share a name: keep the text once (the higher priority).
  {
    std::vector<std::size_t> idx(cands.size());
    for (std::size_t k = 0; k < idx.size(); ++k) idx[k] = k;
    std::stable_sort(idx.begin(), idx.end(),
                     [&](std::size_t a, std::size_t b) { return cands[a].priority < cands[b].priority; });
    std::set<std::string> seen;
    std::vector<core::LabelCandidate> kept;
    std::vector<Src> kept_src;
    for (std::size_t k : idx)
      if (seen.insert(m_layers[srcs[k].layer].names[srcs[k].feature]).second) {
        kept.push_back(cands[k]);
        kept_src.push_back(srcs[k]);
      }
    cands = std::move(kept);
    srcs = std::move(kept_src);
  }
  auto placed = core::place_labels(cands, screen, obstacles);
  m_label_draws.clear();
  for (const auto& p : placed) {
    const Src& s = srcs[p.index];
    const core::LabelCandidate& c = cands[p.index];
    // kept as the anchor's map point and the text's pixel offset from it, so the labels follow
    // the map image while it is moved or scaled until the next placement
    LabelDraw d{s.layer, s.feature, s.size, s.colour, pv.to_map(c.anchor), {}, {}};
    d.offset = {static_cast<float>(p.top_left.x - c.anchor.x) + 2,
                static_cast<float>(p.top_left.y - c.anchor.y) + 1};
    d.box = {static_cast<float>(c.width), static_cast<float>(c.height)};
    m_label_draws.push_back(d);
  }
}

std::vector<double> App::label_inputs(const render::View& pv, ImFont* font) const {
  int fw = 0, fh = 0;
  fb_size(fw, fh);
  std::vector<double> key{pv.center.x,
                          pv.center.y,
                          pv.m_per_px,
                          static_cast<double>(pv.width_px),
                          static_cast<double>(pv.height_px),
                          static_cast<double>(fw),
                          static_cast<double>(fh),
                          static_cast<double>(reinterpret_cast<std::uintptr_t>(font)),
                          static_cast<double>(reinterpret_cast<std::uintptr_t>(&doc())),
                          static_cast<double>(m_label_generation),
                          static_cast<double>(m_layers.size())};
  for (const auto& b : label_obstacles()) key.insert(key.end(), {b.min_x, b.min_y, b.max_x, b.max_y});
  for (std::size_t li : m_order) {
    const LayerUi& ui = m_layers[li];
    const core::LayerStyle& st = ui.style;
    key.insert(key.end(), {static_cast<double>(li), ui.visible ? 1.0 : 0.0, st.labels ? 1.0 : 0.0,
                           st.label_min_zoom_m_per_px, st.label_size_px,
                           static_cast<double>(st.label_priority), st.symbol_size_px, st.label_colour.r,
                           st.label_colour.g, st.label_colour.b, st.label_colour.a});
  }
  return key;
}

std::vector<core::BBox> App::label_obstacles() const {
  // panels and the scale bar (bottom left) keep labels off
  int fw = 0, fh = 0;
  fb_size(fw, fh);
  std::vector<core::BBox> obstacles = m_panel_rects;
  double sb_y = fh - ImGui::GetFrameHeight() - 24;
  obstacles.push_back(core::BBox{0, sb_y - 22, 260, sb_y + 10});
  return obstacles;
}

std::uint64_t App::over_content() {
  ImFont* font = m_label_font ? m_label_font : ImGui::GetFont();
  // FNV-1a over what the over image shows: the labels' inputs but the image's view (a new image
  // gets its own over image anyway) and the analysis overlays' look
  std::uint64_t h = 1469598103934665603ull;
  auto mix = [&](std::uint64_t v) {
    for (int k = 0; k < 8; ++k) {
      h ^= (v >> (8 * k)) & 0xff;
      h *= 1099511628211ull;
    }
  };
  const std::vector<double> key = label_inputs(render::View{}, font);
  for (double d : key) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &d, sizeof bits);
    mix(bits);
  }
  mix(m_analysis.map_look());
  mix(m_caravan.map_look());
  mix(m_siting.map_look());
  mix(reinterpret_cast<std::uintptr_t>(ImGui::GetIO().Fonts->TexID));
  return h;
}

void App::draw_over(const render::View& pv, int band) {
  // Labels: placed over the map image when it is new or what they depend on changed (window,
  // panels, labelled layers, font); then drawn into its over image, over the analysis surfaces
  // and under the siting results, through ImGui's renderer. The draw list is made for band 0 (or
  // all) and drawn again clipped to each later band.
  if (!m_over_list) m_over_list = std::make_unique<ImDrawList>(ImGui::GetDrawListSharedData());
  ImDrawList* dl = m_over_list.get();
  if (band <= 0 || m_over_clips.size() != static_cast<std::size_t>(dl->CmdBuffer.Size)) {
    ImFont* font = m_label_font ? m_label_font : ImGui::GetFont();
    std::vector<double> key = label_inputs(pv, font);
    if (key != m_label_key) {
      m_label_key = std::move(key);
      // the window's obstacles where they are on the image now
      std::vector<core::BBox> on_image;
      for (const auto& b : label_obstacles()) {
        core::BBox o;
        o.add(pv.to_screen(m_view.to_map({b.min_x, b.min_y})));
        o.add(pv.to_screen(m_view.to_map({b.max_x, b.max_y})));
        on_image.push_back(o);
      }
      place_map_labels(font, pv, on_image);
    }
    dl->_ResetForNewFrame();
    dl->Flags = ImDrawListFlags_AntiAliasedLines | ImDrawListFlags_AntiAliasedLinesUseTex |
                ImDrawListFlags_AntiAliasedFill | ImDrawListFlags_AllowVtxOffset;
    dl->PushClipRect({0, 0}, {static_cast<float>(pv.width_px), static_cast<float>(pv.height_px)});
    dl->PushTextureID(ImGui::GetIO().Fonts->TexID);
    {
      AnalysisHost ah = analysis_host();
      m_analysis.draw_map(ah, dl, pv, ImGui::GetFont());
      m_caravan.draw_map(ah, dl, pv);
    }
    for (const LabelDraw& d : m_label_draws) {
      const core::Vec2 a = pv.to_screen(d.anchor);
      const ImVec2 at{static_cast<float>(a.x) + d.offset.x, static_cast<float>(a.y) + d.offset.y};
      const std::string& text = m_layers[d.layer].names[d.feature];
      const ImU32 halo = IM_COL32(255, 255, 255, 170);
      for (int dx = -1; dx <= 1; ++dx)
        for (int dy = -1; dy <= 1; ++dy)
          if (dx || dy) dl->AddText(font, d.size, {at.x + dx, at.y + dy}, halo, text.c_str());
      dl->AddText(font, d.size, at, to_imu32(d.colour), text.c_str());
    }
    m_over_sites = m_siting.draw_map(dl, pv, ImGui::GetFont());  // above the labels
    m_over_clips.clear();
    for (const ImDrawCmd& c : dl->CmdBuffer) m_over_clips.push_back(c.ClipRect);
  }
  // the band's rows
  const float w = static_cast<float>(pv.width_px), h = static_cast<float>(pv.height_px);
  const int bands = render::Canvas::k_over_parts;
  const float y0 = band < 0 ? 0.0f : static_cast<float>(pv.height_px * band / bands),
              y1 = band < 0 ? h : static_cast<float>(pv.height_px * (band + 1) / bands);
  for (int i = 0; i < dl->CmdBuffer.Size; ++i) {
    const ImVec4& o = m_over_clips[static_cast<std::size_t>(i)];
    dl->CmdBuffer[i].ClipRect = ImVec4(o.x, std::max(o.y, y0), o.z, std::min(o.w, y1));
  }
  ImDrawData dd;
  ImDrawList* lists[1] = {dl};
  dd.Valid = true;
  dd.CmdLists = lists;
  dd.CmdListsCount = 1;
  dd.TotalVtxCount = dl->VtxBuffer.Size;
  dd.TotalIdxCount = dl->IdxBuffer.Size;
  dd.DisplayPos = {0, 0};
  dd.DisplaySize = {w, h};
  dd.FramebufferScale = {1, 1};
  ImGui_ImplOpenGL3_RenderDrawData(&dd);
}

void App::collect_placed_labels() {
  // the labels of the image on screen where they are in the window (--dump-state, UI strings)
  int fw = 0, fh = 0;
  fb_size(fw, fh);
  m_placed.clear();
  for (const LabelDraw& d : m_label_draws) {
    const core::Vec2 a = m_view.to_screen(d.anchor);
    const ImVec2 at{static_cast<float>(a.x) + d.offset.x, static_cast<float>(a.y) + d.offset.y};
    if (at.x > fw || at.y > fh || at.x + d.box.x < 0 || at.y + d.box.y < 0) continue;  // off the window
    const std::string& text = m_layers[d.layer].names[d.feature];
    record(text);
    m_placed.push_back({text, core::BBox{at.x - 2, at.y - 1, at.x - 2 + d.box.x, at.y - 1 + d.box.y}});
  }
  m_label_count = static_cast<int>(m_placed.size());
}

void App::draw_map_overlay() {
  ImDrawList* dl = ImGui::GetBackgroundDrawList();
  int fw = 0, fh = 0;
  fb_size(fw, fh);
  // Scale bar: a round length of about 120 pixels, bottom left above the status bar.
  double target_m = 120 * m_view.m_per_px;
  double pow10 = std::pow(10.0, std::floor(std::log10(target_m)));
  double len_m = pow10;
  for (double k : {1.0, 2.0, 5.0, 10.0})
    if (k * pow10 <= target_m) len_m = k * pow10;
  float len_px = static_cast<float>(len_m / m_view.m_per_px);
  float x0 = 16, y0 = static_cast<float>(fh) - ImGui::GetFrameHeight() - 24;
  dl->AddRectFilled({x0 - 6, y0 - 20}, {x0 + len_px + 60, y0 + 8}, IM_COL32(255, 255, 255, 200), 3);
  dl->AddRectFilled({x0, y0 - 3}, {x0 + len_px / 2, y0 + 3}, IM_COL32(40, 40, 40, 255));
  dl->AddRectFilled({x0 + len_px / 2, y0 - 3}, {x0 + len_px, y0 + 3}, IM_COL32(255, 255, 255, 255));
  dl->AddRect({x0, y0 - 3}, {x0 + len_px, y0 + 3}, IM_COL32(40, 40, 40, 255));
  std::string sl = format_distance(len_m);
  record(sl);
  dl->AddText({x0, y0 - 19}, IM_COL32(30, 30, 30, 255), "0");
  dl->AddText({x0 + len_px - 4, y0 - 19}, IM_COL32(30, 30, 30, 255), sl.c_str());
  // Hover tooltip.
  if (m_hover.valid() && m_mouse_valid) {
    const core::Layer& L = doc().layers[m_hover.layer];
    std::string name = render::feature_name(L, m_hover.feature);
    std::string tip =
        (name.empty() ? std::string("#") + std::to_string(m_hover.feature) : name) + "  ·  " + L.name;
    record(tip);
    ImGui::SetNextWindowPos({static_cast<float>(m_mouse.x) + 14, static_cast<float>(m_mouse.y) + 14});
    ImGui::BeginTooltip();
    ImGui::TextUnformatted(tip.c_str());
    ImGui::EndTooltip();
  }
}

}  // namespace kepumap::ui
