#pragma once
// Caravan (科普大篷车 / 流动科技馆) tour planning on plain data: multi-day tours from one depot
// with exhibitions at stops, a working day, a daily driving limit, overnight stops, a longest
// tour, several vehicles, required visits per stop per year and a season calendar.
// Inputs are stop×stop integer matrices (seconds, metres) from the travel-time engine.
#include <atomic>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/types.hpp"
#include "optimize/tour.hpp"

namespace kepumap::optimize {

/// A place a caravan can visit (exhibit at) or sleep at. Index = row of the matrices.
struct CaravanStop {
  std::string name;                   ///< 中文 name, used in messages
  int visits_per_year = 1;            ///< required exhibitions a year; 0 = only a place to sleep/pass
  core::ISeconds service = 3 * 3600;  ///< exhibition length, seconds
  core::ISeconds open = 0;            ///< earliest exhibition start, seconds after midnight
  core::ISeconds close = 24 * 3600;   ///< exhibition must end by this, seconds after midnight
  bool lodging = false;               ///< overnight possible here (township seat, hotel)
  double population = 0.0;            ///< people reached by a visit
  int priority = 0;                   ///< higher first when time runs short (border, pastoral)
};

/// Working rules and the season. Times are seconds after midnight unless stated.
struct CaravanSettings {
  core::ISeconds day_start = 8 * 3600;            ///< crew starts driving
  core::ISeconds day_end = 20 * 3600;             ///< all work and driving ends
  core::ISeconds max_drive_per_day = 8 * 3600;    ///< longest driving in one day, seconds
  bool overnight_anywhere = true;                 ///< false: sleep only at lodging stops or the depot
  int max_tour_days = 5;                          ///< longest tour, days (depot to depot)
  int vehicles = 1;                               ///< caravans available
  int rest_days = 1;                              ///< days a vehicle stays home between tours
  int year = 2025;                                ///< calendar year planned
  std::vector<int> blocked_months;                ///< 1..12: no tour day in these months
  std::vector<std::pair<int, int>> blocked_days;  ///< day-of-year ranges [first, last], 1-based
  std::int64_t day_cost = 4 * 3600;               ///< objective: one tour day costs this many driving seconds
  std::uint64_t seed = 1;                         ///< the plan is the same for the same seed
  int iterations = 4000;                          ///< search budget per round (deterministic)
  /// When given and true, planning stops within one search iteration; the plan is then incomplete
  /// and the caller discards it (plan_project_caravans marks it cancelled).
  const std::atomic<bool>* cancel = nullptr;
};

/// The whole problem. `time.at(i, j)` is driving seconds from stop i to stop j
/// (core::UNREACHABLE if no route); `meters` is optional (n = 0 when absent).
struct CaravanProblem {
  std::vector<CaravanStop> stops;
  int depot = 0;  ///< index of the depot in `stops` (its visits are ignored)
  CostMatrix time;
  CostMatrix meters;
  CaravanSettings settings;
};

/// What a crew does during one part of a tour day.
enum class StepKind : std::uint8_t { Drive, Wait, Exhibit, Overnight };

/// One step of a day-by-day itinerary. Times are seconds after midnight of `day`
/// (an Overnight step ends at day_start of the next day, written as end > 24 h).
struct ItineraryStep {
  int day = 0;  ///< 0 = first day of the tour
  core::ISeconds start = 0, end = 0;
  StepKind kind = StepKind::Drive;
  int from = -1, to = -1;  ///< stop indices; equal for Wait / Exhibit / Overnight
};

/// One tour from the depot back to it.
struct CaravanTour {
  int round = 0;           ///< 0 = first visits, 1 = second visits of stops that need two, ...
  int vehicle = -1;        ///< -1 = not scheduled (no vehicle-days left)
  int first_day = -1;      ///< day of year (0-based) the tour starts, -1 = not scheduled
  int days = 0;            ///< length in days
  std::vector<int> stops;  ///< stops exhibited at, in order
  std::vector<ItineraryStep> steps;
  core::ISeconds drive = 0;  ///< total driving, seconds
  std::int64_t meters = 0;   ///< total distance, metres (0 without a distance matrix)
};

/// A stop whose required visits were not all planned, and why (中文 first, English after).
struct UnservedStop {
  int stop = -1;
  int missing = 0;  ///< visits short of the requirement
  std::string reason;
};

/// Totals over the scheduled tours.
struct CaravanTotals {
  double km = 0.0;  ///< 0 without a distance matrix
  double drive_hours = 0.0;
  int tours = 0;         ///< scheduled tours
  int vehicle_days = 0;  ///< days on tour, all vehicles
  int open_days = 0;     ///< season days open for touring, per vehicle
  int visits = 0;        ///< exhibitions planned
  int visits_required = 0;
  double people = 0.0;     ///< population of stops visited at least once
  int stops_met = 0;       ///< stops that get all their required visits
  int stops_required = 0;  ///< stops with a requirement
  double share_met() const { return stops_required ? static_cast<double>(stops_met) / stops_required : 1.0; }
  double share_visits() const {
    return visits_required ? static_cast<double>(visits) / visits_required : 1.0;
  }
};

/// The year's plan: tours (scheduled ones in calendar order first), unserved stops, totals.
struct CaravanPlan {
  std::vector<CaravanTour> tours;
  std::vector<UnservedStop> unserved;
  CaravanTotals totals;
};

/// Checks the problem's shape (matrix sizes, depot index, settings in range); returns one
/// line per problem (empty when fine).
std::vector<std::string> validate(const CaravanProblem& p);

/// Plans the year: for each round of visits a multi-day routing problem is solved
/// (regret-2 insertion, ruin-and-recreate with 2-opt/Or-opt/relocate/exchange/
/// 2-opt*/cross-exchange local search), then tours are put on the vehicles' calendars.
/// Deterministic for the settings' seed. `validate` must return no problems.
CaravanPlan plan_caravans(const CaravanProblem& p);

/// Simulates one tour over `stops` (depot implicit at both ends) with the greedy day rule:
/// go on while the next leg and exhibition fit today's driving and working time, otherwise
/// sleep where allowed (or detour to the best lodging place). Returns false if infeasible;
/// fills `out` (steps, days, drive, metres) when given.
bool simulate_tour(const CaravanProblem& p, const std::vector<int>& stops, CaravanTour* out);

/// Moves one visit of `stop` from tour `from_tour` to tour `to_tour` (indices into plan.tours),
/// as when a planner drags a stop between tours: the stop goes to the cheapest feasible place in
/// the target tour, both tours' orders are improved (2-opt and relocate within the tour), the
/// itineraries are simulated again and the calendar and totals recomputed (a tour left empty is
/// dropped). Returns false with the plan unchanged and `why` set (中文 and English) if the target
/// tour cannot take the stop or the indices are wrong.
bool move_stop(const CaravanProblem& p, CaravanPlan& plan, int stop, int from_tour, int to_tour,
               std::string* why = nullptr);

/// An existing route (stops in a given order) cut into tours: each tour takes the following stops
/// while the tour stays feasible (daily limits, windows, longest tour), then a new one starts.
/// Stops no tour can include are listed with the reason. Tours are not put on the calendar.
struct SequenceEvaluation {
  std::vector<CaravanTour> tours;
  std::vector<UnservedStop> unserved;
  int days = 0;              ///< sum of tour days
  core::ISeconds drive = 0;  ///< total driving, seconds
  std::int64_t meters = 0;   ///< total distance, metres (0 without a distance matrix)
};
SequenceEvaluation evaluate_sequence(const CaravanProblem& p, const std::vector<int>& sequence);

/// Independent check of a tour's itinerary against the rules (daily driving, working day,
/// opening hours, overnight places, tour length, continuity). Empty string when it holds.
std::string check_tour(const CaravanProblem& p, const CaravanTour& t);

/// "2025-05-03" for a 0-based day of the year.
std::string date_string(int year, int day_of_year);
/// Clock time of a tour's seconds from its first day's midnight: "08:30", "17:05 (+2)" on the
/// third day.
std::string clock_string(long long seconds);
/// Days in a year (365 or 366).
int days_in_year(int year);
/// Month 1..12 of a 0-based day of the year.
int month_of(int year, int day_of_year);

}  // namespace kepumap::optimize
