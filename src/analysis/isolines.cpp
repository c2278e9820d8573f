#include "analysis/isolines.hpp"

#include <array>
#include <cmath>
#include <unordered_map>

namespace kepumap::analysis {

namespace {

// Segment table of marching squares: for each case (bit0 TL, bit1 TR, bit2 BR, bit3 BL below
// the level), pairs of cell edges (0 top, 1 right, 2 bottom, 3 left); -1 ends the list.
// Saddles (5, 10) are given for "centre below"; the other resolution is swapped in code.
constexpr std::array<std::array<int, 4>, 16> k_cases{{
    {-1, -1, -1, -1},  // 0
    {3, 0, -1, -1},    // 1 TL
    {0, 1, -1, -1},    // 2 TR
    {3, 1, -1, -1},    // 3 TL TR
    {1, 2, -1, -1},    // 4 BR
    {0, 1, 2, 3},      // 5 TL BR, centre below: cut off TR and BL
    {0, 2, -1, -1},    // 6 TR BR
    {3, 2, -1, -1},    // 7 TL TR BR
    {2, 3, -1, -1},    // 8 BL
    {0, 2, -1, -1},    // 9 TL BL
    {3, 0, 1, 2},      // 10 TR BL, centre below: cut off TL and BR
    {1, 2, -1, -1},    // 11 TL TR BL
    {3, 1, -1, -1},    // 12 BR BL
    {0, 1, -1, -1},    // 13 TL BR BL
    {3, 0, -1, -1},    // 14 TR BR BL
    {-1, -1, -1, -1},  // 15
}};

}  // namespace

Isolines isolines(const core::GridF& g, std::span<const double> levels, const std::atomic<bool>* cancel) {
  Isolines out;
  out.lines.kind = core::GeomKind::Line;
  const int w = g.width, h = g.height;
  const bool nodata_finite = std::isfinite(g.nodata);
  auto valid = [&](float v) { return std::isfinite(v) && !(nodata_finite && v == g.nodata); };
  for (const double level : levels) {
    out.levels.push_back(level);
    // Segments as pairs of edge keys; each key's point.
    std::vector<std::array<std::uint64_t, 2>> segs;
    std::unordered_map<std::uint64_t, core::Vec2> point;
    std::unordered_map<std::uint64_t, std::array<std::int64_t, 2>> at_key;  // segments touching a key
    auto edge_key = [&](int c, int r, int e) -> std::uint64_t {
      // e: 0 top (horizontal at row r), 1 right (vertical at col c+1), 2 bottom, 3 left.
      switch (e) {
        case 0:
          return (static_cast<std::uint64_t>(r) * (w + 1) + c) * 2;
        case 1:
          return (static_cast<std::uint64_t>(r) * (w + 1) + c + 1) * 2 + 1;
        case 2:
          return (static_cast<std::uint64_t>(r + 1) * (w + 1) + c) * 2;
        default:
          return (static_cast<std::uint64_t>(r) * (w + 1) + c) * 2 + 1;
      }
    };
    for (int r = 0; r + 1 < h; ++r) {
      if (cancel && cancel->load(std::memory_order_relaxed)) return Isolines{};
      for (int c = 0; c + 1 < w; ++c) {
        const float v[4] = {g.at(c, r), g.at(c + 1, r), g.at(c + 1, r + 1), g.at(c, r + 1)};
        if (!valid(v[0]) || !valid(v[1]) || !valid(v[2]) || !valid(v[3])) continue;
        int idx = 0;
        for (int k = 0; k < 4; ++k)
          if (v[k] < level) idx |= 1 << k;
        if (idx == 0 || idx == 15) continue;
        auto cs = k_cases[static_cast<std::size_t>(idx)];
        if (idx == 5 || idx == 10) {
          const double mean = (static_cast<double>(v[0]) + v[1] + v[2] + v[3]) / 4.0;
          if (!(mean < level)) cs = k_cases[static_cast<std::size_t>(idx == 5 ? 10 : 5)];
        }
        const core::Vec2 p[4] = {g.cell_center(c, r), g.cell_center(c + 1, r), g.cell_center(c + 1, r + 1),
                                 g.cell_center(c, r + 1)};
        auto crossing = [&](int e) {
          const int a = e, b = (e + 1) % 4;  // edge e joins corners e and e+1
          const double t = (level - v[a]) / (static_cast<double>(v[b]) - v[a]);
          return core::Vec2{p[a].x + (p[b].x - p[a].x) * t, p[a].y + (p[b].y - p[a].y) * t};
        };
        for (int s = 0; s < 4 && cs[static_cast<std::size_t>(s)] >= 0; s += 2) {
          const int e1 = cs[static_cast<std::size_t>(s)], e2 = cs[static_cast<std::size_t>(s + 1)];
          const auto k1 = edge_key(c, r, e1), k2 = edge_key(c, r, e2);
          point.emplace(k1, crossing(e1));
          point.emplace(k2, crossing(e2));
          const auto si = static_cast<std::int64_t>(segs.size());
          segs.push_back({k1, k2});
          for (auto key : {k1, k2}) {
            auto [it, fresh] = at_key.try_emplace(key, std::array<std::int64_t, 2>{-1, -1});
            (void)fresh;
            if (it->second[0] < 0)
              it->second[0] = si;
            else
              it->second[1] = si;
          }
        }
      }
    }
    // Join segments into polylines: open chains from their ends first, then closed loops.
    std::vector<std::uint8_t> used(segs.size(), 0);
    std::vector<core::Vec2> line;
    auto walk = [&](std::size_t s0, std::uint64_t start) {
      line.clear();
      line.push_back(point[start]);
      std::uint64_t key = start;
      std::int64_t s = static_cast<std::int64_t>(s0);
      while (s >= 0 && !used[static_cast<std::size_t>(s)]) {
        used[static_cast<std::size_t>(s)] = 1;
        const auto& sg = segs[static_cast<std::size_t>(s)];
        key = sg[0] == key ? sg[1] : sg[0];
        line.push_back(point[key]);
        const auto& nb = at_key[key];
        s = nb[0] == s ? nb[1] : nb[0];
      }
      if (line.size() >= 2) {
        out.lines.add_ring(line);
        out.lines.end_part();
      }
    };
    for (std::size_t s = 0; s < segs.size(); ++s) {
      if (used[s]) continue;
      for (int end = 0; end < 2; ++end) {
        const auto key = segs[s][static_cast<std::size_t>(end)];
        const auto& nb = at_key[key];
        if (nb[1] < 0) {  // an open end
          walk(s, key);
          break;
        }
      }
    }
    for (std::size_t s = 0; s < segs.size(); ++s) {
      if (used[s]) continue;
      walk(s, segs[s][0]);
    }
    out.lines.end_feature();
  }
  return out;
}

}  // namespace kepumap::analysis
