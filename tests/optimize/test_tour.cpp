// TSP and VRPTW solvers against published optima (TSPLIB, Solomon) and brute force.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>

#include "optimize/tour.hpp"
#include "optimize/tour_formats.hpp"
#include "optimize/tour_rng.hpp"
#include "skip.hpp"
#include "test_paths.hpp"

using namespace kepumap::optimize;
namespace fs = std::filesystem;

namespace {

bool is_permutation_of_n(const std::vector<int>& order, int n) {
  std::vector<int> s = order;
  std::sort(s.begin(), s.end());
  for (int i = 0; i < n; ++i)
    if (static_cast<int>(s.size()) != n || s[static_cast<std::size_t>(i)] != i) return false;
  return true;
}

CostMatrix random_euclid(int n, std::uint64_t seed) {
  detail::Rng rng(seed);
  std::vector<double> x(static_cast<std::size_t>(n)), y(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    x[static_cast<std::size_t>(i)] = rng.uniform() * 1000;
    y[static_cast<std::size_t>(i)] = rng.uniform() * 1000;
  }
  CostMatrix m(n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      m.at(i, j) = static_cast<std::int32_t>(
          std::lround(std::hypot(x[static_cast<std::size_t>(i)] - x[static_cast<std::size_t>(j)],
                                 y[static_cast<std::size_t>(i)] - y[static_cast<std::size_t>(j)])));
  return m;
}

std::int64_t brute_force_tsp(const CostMatrix& m) {
  std::vector<int> perm(static_cast<std::size_t>(m.n - 1));
  std::iota(perm.begin(), perm.end(), 1);
  std::int64_t best = -1;
  do {
    std::int64_t len = m.at(0, perm.front()) + m.at(perm.back(), 0);
    for (std::size_t i = 0; i + 1 < perm.size(); ++i) len += m.at(perm[i], perm[i + 1]);
    if (best < 0 || len < best) best = len;
  } while (std::next_permutation(perm.begin(), perm.end()));
  return best;
}

fs::path write_temp(const std::string& name, const std::string& text) {
  const fs::path p = fs::temp_directory_path() / name;
  std::ofstream(p) << text;
  return p;
}

}  // namespace

TEST_CASE("TSP search matches brute force on small random instances", "[tour][tsp]") {
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    const int n = 5 + static_cast<int>(seed % 4);  // 5..8 cities
    const CostMatrix m = random_euclid(n, seed);
    const auto r = solve_tsp(m, TspParams{seed, 10, 200, true});
    REQUIRE(is_permutation_of_n(r.order, n));
    CHECK(r.length == tour_length(m, r.order));
    CHECK(r.length == brute_force_tsp(m));
  }
}

TEST_CASE("TSP search handles tiny instances", "[tour][tsp]") {
  for (int n = 0; n <= 4; ++n) {
    const CostMatrix m = random_euclid(n, 3);
    const auto r = solve_tsp(m);
    REQUIRE(is_permutation_of_n(r.order, n));
    CHECK(r.length == tour_length(m, r.order));
    if (n >= 2) CHECK(r.length == brute_force_tsp(m));
    const auto b = tsp_nearest_neighbour_2opt(m);
    CHECK(is_permutation_of_n(b.order, n));
  }
}

TEST_CASE("TSP search is deterministic for a seed and never worse than its baseline", "[tour][tsp]") {
  const CostMatrix m = random_euclid(300, 99);
  TspParams p;
  p.seed = 7;
  p.iterations = 3000;
  const auto a = solve_tsp(m, p);
  const auto b = solve_tsp(m, p);
  CHECK(a.order == b.order);
  CHECK(a.length == b.length);
  REQUIRE(is_permutation_of_n(a.order, 300));
  const auto base = tsp_nearest_neighbour_2opt(m);
  REQUIRE(is_permutation_of_n(base.order, 300));
  CHECK(base.length == tour_length(m, base.order));
  CHECK(a.length <= base.length);
  CHECK(tour_length(m, tsp_nearest_neighbour(m)) >= base.length);
}

TEST_CASE("TSPLIB instances within 2 % of the proven optimum", "[tour][tsp][tsplib]") {
  if (!kepumap::test::have_shared_data()) {
    KEPUMAP_SKIP("shared data absent: skipping TSPLIB quality test");
  }
  struct Case {
    const char* file;
    std::int64_t optimum;
  };
  const Case cases[] = {
      {"eil51.tsp", 426}, {"berlin52.tsp", 7542}, {"kroA100.tsp", 21282}, {"ch150.tsp", 6528}};
  for (const auto& c : cases) {
    const auto inst = read_tsplib(kepumap::test::shared_data() / "bench/tsplib" / c.file);
    const auto m = inst.matrix();
    const auto r = solve_tsp(m);
    INFO(c.file << ": " << r.length << " vs optimum " << c.optimum);
    REQUIRE(is_permutation_of_n(r.order, m.n));
    CHECK(r.length == tour_length(m, r.order));
    CHECK(r.length >= c.optimum);  // a shorter tour would mean a wrong distance function
    CHECK(static_cast<double>(r.length) <= 1.02 * static_cast<double>(c.optimum));
  }
}

TEST_CASE("TSPLIB reader rounds EUC_2D and reports bad files with a line", "[tour][tsplib]") {
  const auto ok = write_temp("kepumap_tour_ok.tsp",
                             "NAME : tiny\nTYPE : TSP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EUC_2D\n"
                             "NODE_COORD_SECTION\n1 0 0\n2 3 4\n3 0 2.5\nEOF\n");
  const auto inst = read_tsplib(ok);
  REQUIRE(inst.x.size() == 3);
  const auto m = inst.matrix();
  CHECK(m.at(0, 1) == 5);
  CHECK(m.at(0, 2) == 3);  // nint(2.5) = 3 in TSPLIB's (int)(x + 0.5)
  CHECK(m.at(1, 2) == 3);  // sqrt(9 + 2.25) = 3.35
  const auto bad = write_temp("kepumap_tour_bad.tsp",
                              "NAME : bad\nTYPE : TSP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EUC_2D\n"
                              "NODE_COORD_SECTION\n1 0 0\n2 three 4\n");
  try {
    read_tsplib(bad);
    FAIL("no error");
  } catch (const FormatError& e) {
    CHECK(std::string(e.what()).find(":7:") != std::string::npos);
  }
  const auto geo =
      write_temp("kepumap_tour_geo.tsp",
                 "NAME : g\nTYPE : TSP\nDIMENSION : 1\nEDGE_WEIGHT_TYPE : GEO\nNODE_COORD_SECTION\n1 0 0\n");
  CHECK_THROWS_AS(read_tsplib(geo), FormatError);
  CHECK_THROWS_AS(read_tsplib("/nonexistent/kepumap.tsp"), FormatError);
}

TEST_CASE("Solomon instances feasible and within 5 % of the best-known distance", "[tour][vrptw][solomon]") {
  if (!kepumap::test::have_shared_data()) {
    KEPUMAP_SKIP("shared data absent: skipping Solomon quality test");
  }
  // We minimise distance only (vehicles up to the fleet size), so the reference is the
  // best-known distance-only value; C101's optimum is the same under both objectives.
  // No lower-bound check: an earlier version found 1639.75 on RC101, below the listed 1643.41,
  // and the exact checker (double arithmetic, every window and capacity) accepted it.
  struct Case {
    const char* file;
    double best;
  };
  const Case cases[] = {
      {"C101.txt", 828.94}, {"R101.txt", 1642.88}, {"RC101.txt", 1643.41}, {"R201.txt", 1149.68}};
  for (const auto& c : cases) {
    const auto inst = read_solomon(kepumap::test::shared_data() / "bench/solomon" / c.file);
    const auto sol = solve_solomon(inst);
    INFO(c.file << ": " << sol.distance << " with " << sol.routes.size() << " vehicles vs " << c.best);
    CHECK(sol.unserved.empty());
    CHECK(check_solomon(inst, sol).empty());
    CHECK(sol.distance <= 1.05 * c.best);
  }
}

TEST_CASE("Solomon search is deterministic and the checker catches violations", "[tour][vrptw]") {
  if (!kepumap::test::have_shared_data()) {
    KEPUMAP_SKIP("shared data absent: skipping");
  }
  const auto inst = read_solomon(kepumap::test::shared_data() / "bench/solomon/R101.txt");
  VrpParams p;
  p.seed = 3;
  p.iterations = 2000;
  const auto a = solve_solomon(inst, p);
  const auto b = solve_solomon(inst, p);
  CHECK(a.routes == b.routes);
  REQUIRE(check_solomon(inst, a).empty());
  // Reversing a tight-window route must break a window; merging all routes breaks capacity.
  SolomonSolution rev = a;
  for (auto& r : rev.routes) std::reverse(r.begin(), r.end());
  CHECK_FALSE(check_solomon(inst, rev).empty());
  SolomonSolution dropped = a;
  dropped.routes.front().pop_back();
  CHECK_FALSE(check_solomon(inst, dropped).empty());
}

TEST_CASE("Solomon reader reports a bad row with its line", "[tour][solomon]") {
  const auto bad =
      write_temp("kepumap_tour_bad_solomon.txt",
                 "X1\n\nVEHICLE\nNUMBER     CAPACITY\n  2         10\n\nCUSTOMER\n"
                 "CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME\n\n"
                 "0 0 0 0 0 100 0\n1 1 1 1 50 10 1\n");
  try {
    read_solomon(bad);
    FAIL("no error");
  } catch (const FormatError& e) {
    CHECK(std::string(e.what()).find(":11:") != std::string::npos);
  }
  const auto ok =
      write_temp("kepumap_tour_ok_solomon.txt",
                 "X2\n\nVEHICLE\nNUMBER     CAPACITY\n  2         10\n\nCUSTOMER\n"
                 "CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME\n\n"
                 "0 0 0 0 0 100 0\n1 3 4 6 0 50 1\n2 -3 4 6 0 50 1\n");
  const auto inst = read_solomon(ok);
  REQUIRE(inst.size() == 3);
  const auto sol = solve_solomon(inst, VrpParams{1, 200, false});
  // Demands 6 + 6 exceed capacity 10: two vehicles, 10 + 10.
  CHECK(sol.routes.size() == 2);
  CHECK(sol.distance == Approx(20.0));
  CHECK(check_solomon(inst, sol).empty());
}
