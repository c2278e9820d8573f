#include "analysis/whatif.hpp"

#include <limits>

namespace kepumap::analysis {

FacilityDrag::FacilityDrag(const TravelModel& m, std::span<const core::Vec2> facilities, std::size_t moving,
                           SearchWorkspace& ws)
    : m_moving(moving) {
  std::vector<core::Vec2> others;
  for (std::size_t i = 0; i < facilities.size(); ++i)
    if (i != moving) others.push_back(facilities[i]);
  m_without = travel_surface(m, others, ws);
  // Labels back to indices in the full set.
  for (auto& n : m_without.nearest.data)
    if (n >= 0 && static_cast<std::size_t>(n) >= moving) ++n;
  // The others' costs per padded cell node, exactly as the search left them.
  m_others.assign(m.cell_nodes(), UNREACHED_DS);
  if (!others.empty())
    for (int r = 0; r < m.height; ++r)
      for (int c = 0; c < m.width; ++c) {
        const std::uint32_t node = m.cell_node(c, r);
        m_others[node] = ws.dist[node];
      }
}

void FacilityDrag::move_to(const TravelModel& m, core::Vec2 p, TravelSurface& out,
                           SearchWorkspace& ws) const {
  out.seconds = m_without.seconds;
  out.nearest = m_without.nearest;
  out.unplaced.clear();
  const PointAnchor a = anchor_point(m, p);
  m_last_settled = 0;
  if (!a.ok) {
    out.unplaced.push_back(static_cast<std::uint32_t>(m_moving));
    return;
  }
  const Seed seed{a.node, a.cost, static_cast<std::int32_t>(m_moving)};
  SearchOptions opt;
  opt.prune = m_others.data();
  run_search(m, ws, std::span<const Seed>(&seed, 1), opt);
  for (int r = 0; r < m.height; ++r) {
    const std::uint32_t base = m.cell_node(0, r);
    float* so = out.seconds.data.data() + static_cast<std::size_t>(r) * m.width;
    std::int32_t* no = out.nearest.data.data() + static_cast<std::size_t>(r) * m.width;
    for (int c = 0; c < m.width; ++c) {
      const Deciseconds d = ws.dist[base + c];
      if (d < m_others[base + c]) {
        so[c] = static_cast<float>(d / DS_PER_S);
        no[c] = static_cast<std::int32_t>(m_moving);
        ++m_last_settled;
      }
    }
  }
  reach_water_cells(m, out);
}

}  // namespace kepumap::analysis
