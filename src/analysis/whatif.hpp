#pragma once
// What-if moves of one facility, fast enough to follow the planner's drag: when the drag
// starts, the travel surface of the facility's set without it is computed once; each move then
// searches only where the moved facility is nearer than every other one (the search is pruned
// with the others' times, which is exact), and the two are combined.
#include <cstddef>
#include <span>
#include <vector>

#include "analysis/travel.hpp"

namespace kepumap::analysis {

/// One facility of a set being moved.
class FacilityDrag {
 public:
  /// `facilities` are the set's locations (analysis CRS metres); `moving` the index being moved.
  FacilityDrag(const TravelModel& m, std::span<const core::Vec2> facilities, std::size_t moving,
               SearchWorkspace& ws);

  /// The set's surface with the moving facility at `p`: times in seconds and nearest-facility
  /// indices as travel_surface would give for the whole set. `ws` is reused between moves.
  void move_to(const TravelModel& m, core::Vec2 p, TravelSurface& out, SearchWorkspace& ws) const;

  /// Cells the last move's pruned search settled (how much of the grid it touched).
  std::size_t last_settled() const { return m_last_settled; }

 private:
  std::size_t m_moving = 0;
  std::vector<Deciseconds> m_others;  ///< per padded cell node: cost from the other facilities
  TravelSurface m_without;            ///< the set's surface without the moving facility
  mutable std::size_t m_last_settled = 0;
};

}  // namespace kepumap::analysis
