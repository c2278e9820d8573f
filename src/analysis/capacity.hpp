#pragma once
// Capacity-limited coverage (README "Capacity and balance"): each facility's catchment grows
// outward in travel-time order until its capacity or the standard's minutes are reached; the
// people it takes leave the pool before the next facility grows. Plain data in, plain data out.
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "analysis/travel.hpp"

namespace kepumap::analysis {

/// The order facilities take their people in.
enum class CapacityOrder : std::uint8_t {
  Given,       ///< ascending `order_key` (a field of the facilities), ties by facility index
  Population,  ///< most people within the standard first (counted on the full pool), ties by index
  Capacity,    ///< largest capacity first (unlimited before any number), ties by index
};

/// Settings of one run.
struct CapacityParams {
  double standard_s = 0.0;  ///< seconds; a cell counts when its time ≤ standard_s
  /// People per facility (per year, visitors or seats: the unit the [[standard]] declares);
  /// +inf = unlimited (no capacity given). Empty = every facility unlimited.
  std::vector<double> capacity;
  CapacityOrder order = CapacityOrder::Capacity;
  std::vector<double> order_key;  ///< per facility, for CapacityOrder::Given
};

/// Figures of one facility.
struct FacilityCapacity {
  double capacity = std::numeric_limits<double>::infinity();  ///< as given (+inf unlimited)
  double realised = 0.0;                                      ///< people it took (≤ capacity)
  double residual() const { return std::isfinite(capacity) ? capacity - realised : 0.0; }
  double within_standard = 0.0;  ///< people within the standard of it on the full pool
  double catchment_s = 0.0;      ///< time of the farthest ring it took people from, seconds (0 if none)
  std::uint32_t rank = 0;        ///< position in the processing order (0 = first)
};

/// Everything capacity_coverage returns.
struct CapacityResult {
  std::vector<FacilityCapacity> facilities;  ///< by facility index
  std::vector<std::uint32_t> order;          ///< facility indices in processing order
  std::vector<double> served;                ///< per item: people served within capacity
  std::vector<double> reach;                 ///< per item: people within the standard of any facility
  std::vector<std::int32_t> catchment;       ///< per item: facility that took most of its people, -1
  double total_realised = 0.0;               ///< sum of realised = sum of served
  double total_reach = 0.0;
};

/// Runs the coverage. `people` per item (a grid cell or a demand point), `reach` the facilities'
/// reach lists over the same items (entries beyond standard_s are ignored). A ring is the set of
/// items at exactly the same time from the facility; when a ring holds more people than the
/// capacity left, every item of the ring gives the same fraction of its remaining people (the
/// overflowing ring is split proportionally) and the rest stays in the pool for the next
/// facility. With every capacity unlimited the served people equal the people within reach.
CapacityResult capacity_coverage(std::span<const double> people, const ReachLists& reach,
                                 const CapacityParams& params);

}  // namespace kepumap::analysis
