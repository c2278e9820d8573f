#include "core/labels.hpp"

#include <algorithm>
#include <numeric>

namespace kepumap::core {

namespace {
bool overlaps(const BBox& a, const BBox& b) {
  return a.min_x < b.max_x && b.min_x < a.max_x && a.min_y < b.max_y && b.min_y < a.max_y;
}
bool inside(const BBox& inner, const BBox& outer) {
  return inner.min_x >= outer.min_x && inner.max_x <= outer.max_x && inner.min_y >= outer.min_y &&
         inner.max_y <= outer.max_y;
}
}  // namespace

std::vector<PlacedLabel> place_labels(const std::vector<LabelCandidate>& candidates, const BBox& bounds,
                                      const std::vector<BBox>& obstacles) {
  std::vector<std::size_t> order(candidates.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (candidates[a].priority != candidates[b].priority)
      return candidates[a].priority < candidates[b].priority;
    return candidates[a].weight > candidates[b].weight;
  });
  // Placed boxes are kept in a uniform bucket grid so each test looks at a few neighbours.
  const double cell = 64.0;
  const double ox = bounds.empty() ? 0.0 : bounds.min_x, oy = bounds.empty() ? 0.0 : bounds.min_y;
  const int gw = bounds.empty() ? 1 : std::max(1, static_cast<int>(bounds.width() / cell) + 1);
  const int gh = bounds.empty() ? 1 : std::max(1, static_cast<int>(bounds.height() / cell) + 1);
  std::vector<std::vector<BBox>> buckets(static_cast<std::size_t>(gw) * gh);
  auto cell_range = [&](const BBox& b, int& c0, int& c1, int& r0, int& r1) {
    c0 = std::clamp(static_cast<int>((b.min_x - ox) / cell), 0, gw - 1);
    c1 = std::clamp(static_cast<int>((b.max_x - ox) / cell), 0, gw - 1);
    r0 = std::clamp(static_cast<int>((b.min_y - oy) / cell), 0, gh - 1);
    r1 = std::clamp(static_cast<int>((b.max_y - oy) / cell), 0, gh - 1);
  };
  auto free = [&](const BBox& b) {
    if (!bounds.empty() && !inside(b, bounds)) return false;
    for (const BBox& o : obstacles)
      if (overlaps(b, o)) return false;
    int c0, c1, r0, r1;
    cell_range(b, c0, c1, r0, r1);
    for (int r = r0; r <= r1; ++r)
      for (int c = c0; c <= c1; ++c)
        for (const BBox& p : buckets[static_cast<std::size_t>(r) * gw + c])
          if (overlaps(b, p)) return false;
    return true;
  };

  std::vector<PlacedLabel> placed;
  for (std::size_t i : order) {
    const LabelCandidate& l = candidates[i];
    Vec2 tries[5];
    int n = 0;
    const double w = l.width, h = l.height, o = l.offset;
    if (l.centred) {
      tries[n++] = {l.anchor.x - w / 2, l.anchor.y - h / 2};
    } else {
      tries[n++] = {l.anchor.x + o, l.anchor.y - h / 2};      // right
      tries[n++] = {l.anchor.x - o - w, l.anchor.y - h / 2};  // left
      tries[n++] = {l.anchor.x - w / 2, l.anchor.y - o - h};  // above
      tries[n++] = {l.anchor.x - w / 2, l.anchor.y + o};      // below
    }
    for (int k = 0; k < n; ++k) {
      BBox b;
      b.add(tries[k]);
      b.add(Vec2{tries[k].x + w, tries[k].y + h});
      if (!free(b)) continue;
      int c0, c1, r0, r1;
      cell_range(b, c0, c1, r0, r1);
      for (int r = r0; r <= r1; ++r)
        for (int c = c0; c <= c1; ++c) buckets[static_cast<std::size_t>(r) * gw + c].push_back(b);
      placed.push_back({i, tries[k]});
      break;
    }
  }
  return placed;
}

}  // namespace kepumap::core
