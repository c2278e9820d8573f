#pragma once
// Travelling-salesman tours over an integer-scaled cost matrix (plain data, std only).
// Used for single-vehicle caravan loops and for TSPLIB comparisons; the multi-vehicle,
// multi-day solver is in caravan.hpp and tour_vrp.hpp.
#include <cstdint>
#include <vector>

namespace kepumap::optimize {

/// A dense n×n cost matrix of integers (seconds, metres, or a scaled unit), row-major:
/// at(i, j) is the cost of going from i to j.
struct CostMatrix {
  int n = 0;
  std::vector<std::int32_t> v;  ///< n*n entries

  CostMatrix() = default;
  explicit CostMatrix(int size) : n(size), v(static_cast<std::size_t>(size) * size, 0) {}
  std::int32_t at(int i, int j) const { return v[static_cast<std::size_t>(i) * n + j]; }
  std::int32_t& at(int i, int j) { return v[static_cast<std::size_t>(i) * n + j]; }
};

/// Length of the closed tour `order` (a permutation of 0..n-1) under `m`, in the matrix unit.
std::int64_t tour_length(const CostMatrix& m, const std::vector<int>& order);

/// Settings of the TSP search. The search is deterministic for a given seed and budget.
struct TspParams {
  std::uint64_t seed = 1;
  int neighbours = 10;  ///< candidate list size per city for 2-opt and Or-opt
  int iterations = -1;  ///< iterated-local-search kicks; -1 = automatic (grows with n)
  bool or_opt = true;   ///< Or-opt moves (segments of 1-3 cities, either direction)
};

/// Result: a closed tour (start city 0 first) and its length in the matrix unit.
struct TspResult {
  std::vector<int> order;
  std::int64_t length = 0;
  int iterations = 0;  ///< perturbation kicks actually run
};

/// Best tour found by nearest-neighbour start, 2-opt + Or-opt local search with neighbour
/// lists and don't-look bits, then iterated local search with local double-bridge kicks.
/// `m` must be symmetric (at(i,j) == at(j,i)).
TspResult solve_tsp(const CostMatrix& m, const TspParams& params = {});

/// Baseline for benchmarks: nearest-neighbour tour improved by 2-opt (neighbour lists,
/// don't-look bits) to a local optimum; no Or-opt, no perturbation.
TspResult tsp_nearest_neighbour_2opt(const CostMatrix& m, int neighbours = 10);

/// Nearest-neighbour tour only (from city 0).
std::vector<int> tsp_nearest_neighbour(const CostMatrix& m);

}  // namespace kepumap::optimize
