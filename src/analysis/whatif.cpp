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

namespace {

bool same_time(float a, float b) { return a == b || (std::isinf(a) && std::isinf(b) && (a > 0) == (b > 0)); }

}  // namespace

void FacilityDrag::move_to(const TravelModel& m, core::Vec2 p, TravelSurface& out,
                           SearchWorkspace& ws) const {
  const int w = m.width, h = m.height;
  const std::size_t cells = static_cast<std::size_t>(w) * static_cast<std::size_t>(h);
  m_last_changed = {};
  m_last_settled = 0;
  // Cells to write again: those the previous move's facility won when `out` is what it wrote,
  // else all of them (compared with what `out` holds when it has the frame's size).
  CellBox redo = m_last_won;
  const bool continues = m_last_out == &out && out.seconds.data.data() == m_last_data &&
                         out.seconds.data.size() == cells && out.nearest.data.size() == cells;
  if (!continues) {
    redo = CellBox::whole(w, h);
    if (out.seconds.data.size() != cells || out.nearest.data.size() != cells || out.seconds.width != w ||
        out.nearest.width != w) {
      out.seconds = m_without.seconds;
      out.nearest = m_without.nearest;
      m_last_changed = CellBox::whole(w, h);
    }
  }
  out.unplaced.clear();
  m_last_won = {};
  const PointAnchor a = anchor_point(m, p);
  if (a.ok) {
    const Seed seed{a.node, a.cost, static_cast<std::int32_t>(m_moving)};
    SearchOptions opt;
    opt.prune = m_others.data();
    run_search(m, ws, std::span<const Seed>(&seed, 1), opt);
    // Only the tiles the search wrote to can hold a cell it won.
    const auto grid_tiles =
        static_cast<std::uint32_t>(ws.tiles_wide) * static_cast<std::uint32_t>(ws.tiles_high);
    for (const std::uint32_t t : ws.used_tiles) {
      if (t >= grid_tiles) continue;
      const int pr0 = static_cast<int>(t / static_cast<std::uint32_t>(ws.tiles_wide)) << SEARCH_TILE_SHIFT;
      const int pc0 = static_cast<int>(t % static_cast<std::uint32_t>(ws.tiles_wide)) << SEARCH_TILE_SHIFT;
      const int r0 = std::max(0, pr0 - 2), r1 = std::min(h, pr0 + (1 << SEARCH_TILE_SHIFT) - 2);
      const int c0 = std::max(0, pc0 - 2), c1 = std::min(w, pc0 + (1 << SEARCH_TILE_SHIFT) - 2);
      for (int r = r0; r < r1; ++r) {
        const std::uint32_t base = m.cell_node(0, r);
        for (int c = c0; c < c1; ++c)
          if (ws.dist[base + c] < m_others[base + c]) {
            m_last_won.add(c, r);
            ++m_last_settled;
          }
      }
    }
  } else {
    out.unplaced.push_back(static_cast<std::uint32_t>(m_moving));
  }
  const bool water = !m.water_cells.empty() && m.water_mask.size() == cells;
  if (water) {  // their times before the move, to see which changed
    m_water_s.resize(m.water_cells.size());
    m_water_n.resize(m.water_cells.size());
    for (std::size_t j = 0; j < m.water_cells.size(); ++j) {
      m_water_s[j] = out.seconds.data[m.water_cells[j]];
      m_water_n[j] = out.nearest.data[m.water_cells[j]];
    }
  }
  CellBox write = redo;
  write.add(m_last_won);
  const auto moving = static_cast<std::int32_t>(m_moving);
  for (int r = write.row0; r < write.row1; ++r) {
    const std::uint32_t base = m.cell_node(0, r);
    const std::size_t row = static_cast<std::size_t>(r) * static_cast<std::size_t>(w);
    float* so = out.seconds.data.data() + row;
    std::int32_t* no = out.nearest.data.data() + row;
    const float* sw = m_without.seconds.data.data() + row;
    const std::int32_t* nw = m_without.nearest.data.data() + row;
    for (int c = write.col0; c < write.col1; ++c) {
      if (water && m.water_mask[row + static_cast<std::size_t>(c)]) continue;
      float s = sw[c];
      std::int32_t n = nw[c];
      if (a.ok && m_last_won.contains(c, r)) {
        const Deciseconds d = ws.dist[base + c];
        if (d < m_others[base + c]) {
          s = static_cast<float>(d / DS_PER_S);
          n = moving;
        }
      }
      if (!same_time(so[c], s) || no[c] != n) {
        m_last_changed.add(c, r);
        so[c] = s;
        no[c] = n;
      }
    }
  }
  if (water) {
    // Water cells are reached from their banks: from the others' times again, then this move's.
    for (const std::uint32_t i : m.water_cells) {
      out.seconds.data[i] = m_without.seconds.data[i];
      out.nearest.data[i] = m_without.nearest.data[i];
    }
    reach_water_cells(m, out);
    for (std::size_t j = 0; j < m.water_cells.size(); ++j) {
      const std::uint32_t i = m.water_cells[j];
      if (!same_time(out.seconds.data[i], m_water_s[j]) || out.nearest.data[i] != m_water_n[j])
        m_last_changed.add(static_cast<int>(i % static_cast<std::uint32_t>(w)),
                           static_cast<int>(i / static_cast<std::uint32_t>(w)));
    }
  }
  m_last_out = &out;
  m_last_data = out.seconds.data.data();
}

}  // namespace kepumap::analysis
