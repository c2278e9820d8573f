#pragma once
// What-if moves of one facility, fast enough to follow the planner's drag: when the drag
// starts, the travel surface of the facility's set without it is computed once; each move then
// searches only where the moved facility is nearer than every other one (the search is pruned
// with the others' times, which is exact), and the two are combined. A move that continues from
// the surface the previous move wrote touches only the cells either move won, and reports the
// box of cells that changed (so the app redraws only that part of its travel-time image).
#include <algorithm>
#include <cstddef>
#include <span>
#include <vector>

#include "analysis/travel.hpp"

namespace kepumap::analysis {

/// A rectangle of frame cells (columns [col0, col1), rows [row0, row1), row 0 at the top, as in
/// core::GridF); empty when col1 <= col0 or row1 <= row0.
struct CellBox {
  int col0 = 0, row0 = 0, col1 = 0, row1 = 0;

  bool empty() const { return col1 <= col0 || row1 <= row0; }
  bool contains(int col, int row) const { return col >= col0 && col < col1 && row >= row0 && row < row1; }
  /// Grows the box to hold cell (col,row).
  void add(int col, int row) {
    if (empty()) {
      *this = {col, row, col + 1, row + 1};
      return;
    }
    col0 = std::min(col0, col);
    row0 = std::min(row0, row);
    col1 = std::max(col1, col + 1);
    row1 = std::max(row1, row + 1);
  }
  /// Grows the box to hold `b`.
  void add(const CellBox& b) {
    if (b.empty()) return;
    if (empty()) {
      *this = b;
      return;
    }
    col0 = std::min(col0, b.col0);
    row0 = std::min(row0, b.row0);
    col1 = std::max(col1, b.col1);
    row1 = std::max(row1, b.row1);
  }
  /// The whole frame of a width x height grid.
  static CellBox whole(int width, int height) { return {0, 0, width, height}; }
  bool operator==(const CellBox&) const = default;
};

/// One facility of a set being moved.
class FacilityDrag {
 public:
  /// `facilities` are the set's locations (analysis CRS metres); `moving` the index being moved.
  FacilityDrag(const TravelModel& m, std::span<const core::Vec2> facilities, std::size_t moving,
               SearchWorkspace& ws);

  /// The set's surface with the moving facility at `p`: times in seconds and nearest-facility
  /// indices as travel_surface would give for the whole set. `ws` is reused between moves.
  /// When `out` is the surface the previous move wrote (the same object, not changed since),
  /// only the cells the previous or this move's facility is nearest to are written again;
  /// otherwise every cell is compared and written.
  void move_to(const TravelModel& m, core::Vec2 p, TravelSurface& out, SearchWorkspace& ws) const;

  /// Cells the last move's pruned search settled (how much of the grid it touched).
  std::size_t last_settled() const { return m_last_settled; }
  /// The box of frame cells whose time (seconds) or nearest facility the last move changed in
  /// `out` (water cells included); empty when it changed nothing.
  CellBox last_changed() const { return m_last_changed; }

 private:
  std::size_t m_moving = 0;
  std::vector<Deciseconds> m_others;  ///< per padded cell node: cost from the other facilities
  TravelSurface m_without;            ///< the set's surface without the moving facility
  mutable std::size_t m_last_settled = 0;
  mutable CellBox m_last_changed;
  // The surface the last move wrote and the box of cells its facility was nearest to there (the
  // only cells, water aside, where that surface differs from m_without).
  mutable const TravelSurface* m_last_out = nullptr;
  mutable const float* m_last_data = nullptr;
  mutable CellBox m_last_won;
  mutable std::vector<float> m_water_s;  ///< scratch: the water cells' times before a move
  mutable std::vector<std::int32_t> m_water_n;
};

}  // namespace kepumap::analysis
