// Caravan tours drawn over the map, and dragging a stop onto another tour.
#include "ui/panel_caravan_state.hpp"

namespace kepumap::ui {

/// Stop node drawn within `radius` pixels of `px` (nearest), or -1.
int CaravanPanel::State::stop_at(const AnalysisHost& h, core::Vec2 px, double radius) const {
  const auto& r = job->result;
  const int nd = r.depot_count, ns = static_cast<int>(job->inputs.stops.size());
  int best = -1;
  double bd = radius;
  for (int i = nd; i < nd + ns; ++i) {
    const core::Vec2 s = h.view.to_screen(r.points[static_cast<std::size_t>(i)]);
    const double d = std::hypot(s.x - px.x, s.y - px.y);
    if (d <= bd) {
      bd = d;
      best = i;
    }
  }
  return best;
}

/// A scheduled tour visiting `stop` other than `not_tour`: the selected one first, else the first.
int CaravanPanel::State::tour_with(int stop, int not_tour) const {
  const auto& tours = job->result.plan.tours;
  auto has = [&](int i) {
    const auto& t = tours[static_cast<std::size_t>(i)];
    return i != not_tour && t.first_day >= 0 &&
           std::find(t.stops.begin(), t.stops.end(), stop) != t.stops.end();
  };
  if (selected >= 0 && selected < static_cast<int>(tours.size()) && has(selected)) return selected;
  for (int i = 0; i < static_cast<int>(tours.size()); ++i)
    if (has(i)) return i;
  return -1;
}

void CaravanPanel::State::draw_overlay(const AnalysisHost& h, ImDrawList* dl,
                                       const render::View& view) const {
  (void)h;
  if (!show || !show_on_map || !ready()) return;
  const auto& r = job->result;
  auto scr = [&](core::Vec2 p) {
    const core::Vec2 s = view.to_screen(p);
    return ImVec2{static_cast<float>(s.x), static_cast<float>(s.y)};
  };
  std::vector<ImVec2> pts;
  std::size_t k = 0;
  for (std::size_t i = 0; i < r.plan.tours.size(); ++i) {
    const auto& t = r.plan.tours[i];
    if (t.first_day < 0) continue;
    const bool sel = selected == static_cast<int>(i);
    const bool dim = selected >= 0 && !sel;
    pts.clear();
    for (const auto& stp : t.steps) {
      if (stp.kind != opt::StepKind::Drive) continue;
      const auto& path = r.leg_path(stp.from, stp.to);
      if (path.empty()) {  // no road path known: a straight leg
        pts.push_back(scr(r.points[static_cast<std::size_t>(stp.from)]));
        pts.push_back(scr(r.points[static_cast<std::size_t>(stp.to)]));
      } else
        for (const auto& p : path) pts.push_back(scr(p));
    }
    if (pts.size() >= 2)
      dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), tour_colour(k, dim ? 70 : 230),
                      ImDrawFlags_None, sel ? 4.0f : 2.0f);
    ++k;
  }
  std::set<int> unserved;
  for (const auto& u : r.plan.unserved) unserved.insert(u.stop);
  const int nd = r.depot_count;
  const int ns = static_cast<int>(job->inputs.stops.size());
  for (int i = nd; i < nd + ns; ++i) {
    const ImVec2 s = scr(r.points[static_cast<std::size_t>(i)]);
    if (unserved.count(i)) {
      dl->AddLine({s.x - 5, s.y - 5}, {s.x + 5, s.y + 5}, IM_COL32(220, 30, 30, 255), 2.5f);
      dl->AddLine({s.x - 5, s.y + 5}, {s.x + 5, s.y - 5}, IM_COL32(220, 30, 30, 255), 2.5f);
    } else {
      dl->AddCircleFilled(s, 4.0f, IM_COL32(255, 255, 255, 255));
      dl->AddCircle(s, 4.0f, IM_COL32(30, 30, 30, 255), 12, 1.5f);
    }
  }
  for (int d = 0; d < nd; ++d) {
    const ImVec2 s = scr(r.points[static_cast<std::size_t>(d)]);
    dl->AddRectFilled({s.x - 7, s.y - 7}, {s.x + 7, s.y + 7}, IM_COL32(200, 40, 40, 255));
    dl->AddRect({s.x - 7, s.y - 7}, {s.x + 7, s.y + 7}, IM_COL32(255, 255, 255, 255), 0.0f, 0, 2.0f);
  }
}

void CaravanPanel::State::draw_drag(const AnalysisHost& h) const {
  if (!show || !show_on_map || !ready() || drag_stop < 0) return;
  ImDrawList* dl = ImGui::GetBackgroundDrawList();
  const core::Vec2 s = h.view.to_screen(job->result.points[static_cast<std::size_t>(drag_stop)]);
  const ImVec2 a{static_cast<float>(s.x), static_cast<float>(s.y)};
  const ImVec2 b{static_cast<float>(cursor.x), static_cast<float>(cursor.y)};
  dl->AddLine(a, b, IM_COL32(20, 20, 20, 220), 2.0f);
  dl->AddCircle(b, 7.0f, IM_COL32(20, 20, 20, 220), 16, 2.0f);
}

bool CaravanPanel::mouse_event(AnalysisHost& h, int kind, core::Vec2 px, bool on_map) {
  m->cursor = px;
  if (kind == 1) {
    if (m->drag_stop < 0) return false;
    const int stop = m->drag_stop, from = m->drag_from;
    m->drag_stop = m->drag_from = -1;
    if (!m->can_drag()) return true;
    const int onto = m->stop_at(h, px, 10.0);
    const int to = onto >= 0 && onto != stop ? m->tour_with(onto, from) : -1;
    if (to < 0) {
      m->message = "未放到其他行程的站点上 (drop the stop on a stop of another tour)";
      return true;
    }
    std::string why;
    if (m->move(stop, from, to, why)) {
      m->message = T("Stop moved and tours re-planned.");
      m->selected = std::min(to, static_cast<int>(m->job->result.plan.tours.size()) - 1);
    } else
      m->message = why;
    return true;
  }
  if (kind != 0 || !on_map || !m->can_drag()) return false;
  const int stop = m->stop_at(h, px, 8.0);
  if (stop < 0) return false;
  const int from = m->tour_with(stop, -1);
  if (from < 0) return false;
  m->drag_stop = stop;
  m->drag_from = from;
  return true;
}

void CaravanPanel::mouse_at(core::Vec2 px) { m->cursor = px; }

}  // namespace kepumap::ui
