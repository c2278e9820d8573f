#pragma once
// Readers for the standard routing benchmark formats, so results can be compared with
// published ones: TSPLIB (EUC_2D) and Solomon VRPTW.
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "optimize/tour.hpp"

namespace kepumap::optimize {

/// A file that could not be read; what() is one line naming the file and line.
struct FormatError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// A TSPLIB symmetric instance with planar coordinates.
struct TsplibInstance {
  std::string name;
  std::string edge_weight_type;  ///< "EUC_2D" (only type accepted), "CEIL_2D" also accepted
  std::vector<double> x, y;      ///< node coordinates in file order
  /// The TSPLIB distance: EUC_2D = nint(Euclidean distance); CEIL_2D = ceil.
  CostMatrix matrix() const;
};

/// Reads a TSPLIB .tsp file (TYPE TSP, EDGE_WEIGHT_TYPE EUC_2D or CEIL_2D, NODE_COORD_SECTION).
/// Throws FormatError with "file:line: what" on anything else.
TsplibInstance read_tsplib(const std::filesystem::path& file);
/// Parses TSPLIB text (`file` is only used in messages).
TsplibInstance parse_tsplib(const std::string& text, const std::filesystem::path& file);

/// A Solomon VRPTW instance. Node 0 is the depot; times and distances are in the file's units
/// (travel time = Euclidean distance).
struct SolomonInstance {
  std::string name;
  int vehicles = 0;  ///< fleet size given in the file
  int capacity = 0;  ///< vehicle capacity
  std::vector<double> x, y;
  std::vector<int> demand, ready, due, service;  ///< per node; service may start in [ready, due]
  int size() const { return static_cast<int>(x.size()); }
  double distance(int i, int j) const;  ///< exact Euclidean distance
};

/// Reads a Solomon-format file (name, VEHICLE NUMBER CAPACITY, CUSTOMER table).
/// Throws FormatError with "file:line: what".
SolomonInstance read_solomon(const std::filesystem::path& file);
/// Parses Solomon-format text (`file` is only used in messages).
SolomonInstance parse_solomon(const std::string& text, const std::filesystem::path& file);

/// A VRPTW solution: routes of customer ids (1..n, depot implicit at both ends).
struct SolomonSolution {
  std::vector<std::vector<int>> routes;
  std::vector<int> unserved;  ///< customers in no route
  double distance = 0.0;      ///< exact total Euclidean distance
};

/// Checks a solution against the instance in exact (double) arithmetic: every customer exactly
/// once, capacity, service start within [ready, due], return to the depot by its due time.
/// Returns an empty string when feasible, otherwise the first violation in words.
std::string check_solomon(const SolomonInstance& inst, const SolomonSolution& sol);

/// Settings of the VRPTW search (ruin and recreate + local search, simulated annealing).
struct VrpParams {
  std::uint64_t seed = 1;
  int iterations = 30000;  ///< ruin-and-recreate iterations (deterministic budget)
  /// true: fewest vehicles first, then distance (Solomon's hierarchical objective);
  /// false: distance only (any number of vehicles up to the fleet size).
  bool minimise_vehicles = false;
};

/// Solves a Solomon instance; all customers served if the search finds a way. Times are scaled
/// to integers internally with rounding up, so a solution feasible there is feasible exactly.
SolomonSolution solve_solomon(const SolomonInstance& inst, const VrpParams& params = {});

}  // namespace kepumap::optimize
