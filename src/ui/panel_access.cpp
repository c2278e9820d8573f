// The coverage panel's capacity and accessibility section: capacity-limited coverage of one
// fixed facility set (who its venues can actually serve), its E2SFCA index relative to the
// region's mean with the Lorenz curve and the index by township, and the switches of the index
// and catchment maps. The figures are the session's LiveAccess, updated after every edit and
// during a drag (only the moved facility is searched again).
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "ui/analysis_state.hpp"
#include "ui/i18n.hpp"

namespace kepumap::ui {

using namespace detail;

namespace {

/// A greyed note, recorded for the state dump.
void note(const std::string& s) {
  record(s);
  ImGui::TextDisabled("%s", s.c_str());
}

ImU32 imcol(core::Rgba c) {
  auto b = [](float v) { return static_cast<int>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f)); };
  return IM_COL32(b(c.r), b(c.g), b(c.b), 255);
}

/// The Lorenz curve in a square of `side` pixels: the diagonal and the curve.
void draw_lorenz(const std::vector<analysis::LorenzPoint>& lorenz, float side) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 o = ImGui::GetCursorScreenPos();
  dl->AddRectFilled(o, {o.x + side, o.y + side}, IM_COL32(255, 255, 255, 255));
  dl->AddRect(o, {o.x + side, o.y + side}, IM_COL32(120, 120, 120, 255));
  dl->AddLine({o.x, o.y + side}, {o.x + side, o.y}, IM_COL32(150, 150, 150, 255), 1.0f);
  std::vector<ImVec2> pts;
  pts.reserve(lorenz.size());
  for (const auto& p : lorenz)
    pts.push_back(
        {o.x + static_cast<float>(p.population) * side, o.y + side - static_cast<float>(p.index) * side});
  if (pts.size() >= 2)
    dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), IM_COL32(94, 26, 11, 255), 0, 2.0f);
  ImGui::Dummy({side, side});
}

/// Horizontal bars of the relative index of the units (lowest first, at most `n`), coloured on
/// the style's index ramp, with the mean = 1 marked.
void draw_index_bars(const std::vector<std::string>& names, const std::vector<double>& rel,
                     const core::Style& st, std::size_t n) {
  std::vector<std::size_t> order(names.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return rel[a] < rel[b]; });
  if (order.size() > n) order.resize(n);
  double vmax = 1.0;
  for (std::size_t i : order) vmax = std::max(vmax, rel[i]);
  const float label_w = 120.0f, bar_h = ImGui::GetTextLineHeight(),
              width = std::max(120.0f, ImGui::GetContentRegionAvail().x - label_w - 50.0f);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 o = ImGui::GetCursorScreenPos();
  const float scale = width / static_cast<float>(vmax);
  for (std::size_t k = 0; k < order.size(); ++k) {
    const std::size_t i = order[k];
    const float y = o.y + static_cast<float>(k) * (bar_h + 3.0f);
    record(names[i]);
    dl->AddText({o.x, y}, IM_COL32(30, 30, 30, 255), names[i].c_str());
    const float w = std::max(1.0f, static_cast<float>(rel[i]) * scale);
    dl->AddRectFilled({o.x + label_w, y}, {o.x + label_w + w, y + bar_h},
                      imcol(core::index_colour(st, rel[i])));
    dl->AddRect({o.x + label_w, y}, {o.x + label_w + w, y + bar_h}, IM_COL32(110, 110, 110, 255));
    const std::string v = fmt("%.2f", rel[i]);
    dl->AddText({o.x + label_w + w + 4, y}, IM_COL32(30, 30, 30, 255), v.c_str());
  }
  const float h = static_cast<float>(order.size()) * (bar_h + 3.0f);
  dl->AddLine({o.x + label_w + scale, o.y - 2}, {o.x + label_w + scale, o.y + h}, IM_COL32(20, 20, 20, 255),
              1.5f);
  ImGui::Dummy({label_w + width + 50.0f, h + 2});
}

}  // namespace

void AnalysisPanel::State::draw_access(AnalysisHost& h) {
  if (access_open_request) {
    ImGui::SetNextItemOpen(true, ImGuiCond_Always);
    access_open_request = false;
  }
  if (!ImGui::CollapsingHeader(tr_id("Capacity and accessibility").c_str())) return;
  const auto& e = ev(h);
  if (access_ui_set < 0 || static_cast<std::size_t>(access_ui_set) >= e.sets.size() ||
      e.sets[static_cast<std::size_t>(access_ui_set)].mobile)
    access_ui_set = analysis::access_set(e, "");
  if (access_ui_set < 0) {
    text(tr("No fixed facility set with a standard."));
    return;
  }
  const std::string current = service_name(e.sets[static_cast<std::size_t>(access_ui_set)].facility);
  record(current);
  if (ImGui::BeginCombo(tr_id("Facility set").c_str(), current.c_str())) {
    for (std::size_t k = 0; k < e.sets.size(); ++k)
      if (!e.sets[k].mobile &&
          ImGui::Selectable(service_name(e.sets[k].facility).c_str(), static_cast<int>(k) == access_ui_set))
        access_ui_set = static_cast<int>(k);
    ImGui::EndCombo();
  }
  overlay.access_set = access_ui_set;
  std::string why;
  const analysis::LiveAccess* la = h.session.access(static_cast<std::size_t>(access_ui_set), &why);
  ImGui::PushTextWrapPos(0);
  if (!la) {
    const std::string s = std::string(tr("No accessibility figures")) + ": " + why;
    record(s);
    ImGui::TextColored({0.75f, 0.35f, 0.0f, 1}, "%s", s.c_str());
    ImGui::PopTextWrapPos();
    return;
  }
  const auto& area = h.session.evaluation().area;
  const auto& set = e.sets[static_cast<std::size_t>(access_ui_set)];
  if (la->has_capacity()) {
    const auto& c = la->capacity().capacity;
    double people = 0;
    for (double p :
         la->capacity().units.people.empty() ? std::vector<double>{} : la->capacity().units.people.back())
      people += p;
    text(std::string(tr("Served within capacity")) + ": " + fmt("%.0f", c.total_realised) + " " +
         tr("people") + " (" + fmt("%.1f %%", people > 0 ? 100.0 * c.total_realised / people : 0.0) + ") · " +
         tr("within reach") + ": " + fmt("%.0f", c.total_reach) + " (" +
         fmt("%.1f %%", people > 0 ? 100.0 * c.total_reach / people : 0.0) + ")");
    if (ImGui::BeginTable("capacity", 5,
                          ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY,
                          {0, std::min(160.0f, ImGui::GetTextLineHeightWithSpacing() *
                                                   static_cast<float>(c.facilities.size() + 2))})) {
      ImGui::TableSetupScrollFreeze(0, 1);
      for (const char* col : {"Facility", "Capacity", "Realised", "Residual", "Catchment (min)"})
        ImGui::TableSetupColumn(tr(col));
      ImGui::TableHeadersRow();
      for (std::size_t j : c.order) {
        const auto& f = c.facilities[j];
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        // The facility's colour on the catchment map.
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const float sz = ImGui::GetTextLineHeight() * 0.8f;
        ImGui::GetWindowDrawList()->AddRectFilled({p.x, p.y + 2}, {p.x + sz, p.y + 2 + sz},
                                                  imcol(core::category_colour(j)));
        ImGui::Dummy({sz, sz});
        ImGui::SameLine();
        text(j < set.names.size() ? set.names[j] : "#" + std::to_string(j));
        ImGui::TableSetColumnIndex(1);
        text(std::isfinite(f.capacity) ? fmt("%.0f", f.capacity) : std::string(tr("unlimited")));
        ImGui::TableSetColumnIndex(2);
        text(fmt("%.0f", f.realised));
        ImGui::TableSetColumnIndex(3);
        text(std::isfinite(f.capacity) ? fmt("%.0f", f.residual()) : std::string("—"));
        ImGui::TableSetColumnIndex(4);
        text(fmt("%.0f", f.catchment_s / 60.0));
      }
      ImGui::EndTable();
    }
  } else {
    note(tr("No capacity field mapped: every venue counts as unlimited."));
  }
  const analysis::AccessOutcome& ix = la->index();
  text(std::string(tr("E2SFCA index")) + " (" + tr("Gaussian decay") + ", " +
       fmt("%.0f", ix.catchment_s / 60.0) + " " + tr("min") + ", " + tr("supply") + ": " +
       tr(ix.supply.c_str()) + ") · " + tr("Gini") + " " + fmt("%.3f", ix.equity.gini));
  text(std::string(tr("Pastoral")) + " " + fmt("%.2f", ix.equity.pastoral) + " / " + tr("Other") + " " +
       fmt("%.2f", ix.equity.other) + " · " + tr("Border (within the bands)") + " " +
       fmt("%.2f", ix.equity.border) + " / " + tr("Interior") + " " + fmt("%.2f", ix.equity.interior) + " (" +
       tr("region mean = 1") + ")");
  ImGui::PopTextWrapPos();
  // The Lorenz curve beside the lowest townships.
  std::size_t bl = 0;
  for (std::size_t l = 0; l < area.levels.size(); ++l)
    if (area.levels[l].name == "township" || area.levels[l].name == "county") {
      bl = l;
      break;
    }
  std::vector<std::string> names;
  std::vector<double> rel;
  if (bl < area.levels.size() && bl < ix.units.value.size() && ix.mean > 0)
    for (std::size_t u = 0; u < area.levels[bl].names.size() && u < ix.units.value[bl].size(); ++u)
      if (ix.units.people[bl][u] > 0) {
        names.push_back(area.levels[bl].names[u]);
        rel.push_back(ix.units.value[bl][u] / ix.mean);
      }
  ImGui::BeginGroup();
  draw_lorenz(ix.equity.lorenz, 130.0f);
  note(tr("Lorenz curve"));
  ImGui::EndGroup();
  ImGui::SameLine();
  ImGui::BeginGroup();
  draw_index_bars(names, rel, h.style, 12);
  note(tr("Relative index by township, lowest first"));
  ImGui::EndGroup();
  if (ImGui::Checkbox(tr_id("Index map").c_str(), &overlay.index_map) && overlay.index_map)
    overlay.time_map = false;
  ImGui::SameLine();
  ImGui::BeginDisabled(!la->has_capacity());
  ImGui::Checkbox(tr_id("Capacity catchments").c_str(), &overlay.catchment_map);
  ImGui::EndDisabled();
  note(std::string(tr("updated in")) + " " + fmt("%.1f", la->last_ms()) + " ms · " +
       std::to_string(la->searched()) + " " + tr("facilities searched again"));
}

}  // namespace kepumap::ui
