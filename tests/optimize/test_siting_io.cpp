// OR-Library and matrix CSV readers: known answers on tiny inline files, and one clear line
// (file, line, field) for every kind of bad input.
#include <catch2/catch.hpp>

#include <string>

#include "optimize/siting_io.hpp"

using namespace kepumap::optimize;

namespace {
std::string error_of(const std::string& text, bool orlib) {
  try {
    if (orlib)
      (void)parse_orlib_pmedian(text, "t.txt");
    else
      (void)parse_matrix_csv(text, "t.csv");
  } catch (const InstanceFileError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("OR-Library: shortest paths, later duplicate edge wins", "[siting][io]") {
  // 1-2 (5), 2-3 (5), 1-3 first 20 then 7: the later line wins, so d(1,3) = 7, not 10 or 20.
  const OrlibInstance o = parse_orlib_pmedian("3 4 1\n1 2 5\n2 3 5\n1 3 20\n3 1 7\n", "t.txt");
  CHECK(o.p == 1);
  CHECK(o.nodes == 3);
  CHECK(o.edges == 3);
  const CostMatrix& t = o.instance.times;
  CHECK(t.at(0, 2) == 7);
  CHECK(t.at(2, 0) == 7);
  CHECK(t.at(0, 1) == 5);
  CHECK(t.at(1, 2) == 5);
  CHECK(t.at(1, 1) == 0);
  // A later, LONGER duplicate also wins: 1-3 becomes 30, so the path through 2 (10) is shortest.
  const OrlibInstance q = parse_orlib_pmedian("3 4 1\n1 2 5\n2 3 5\n1 3 7\n1 3 30\n", "t.txt");
  CHECK(q.instance.times.at(0, 2) == 10);
}

TEST_CASE("OR-Library: bad files give one line naming file and line", "[siting][io]") {
  CHECK(error_of("", true).find("t.txt") != std::string::npos);
  CHECK(error_of("3 2\n", true).find("t.txt:1") != std::string::npos);
  CHECK(error_of("3 2 1\n1 2 5\n", true).find("announces 2 edges") != std::string::npos);
  CHECK(error_of("3 1 1\n1 4 5\n", true).find("t.txt:2") != std::string::npos);
  CHECK(error_of("3 1 1\n1 2 x\n", true).find("t.txt:2") != std::string::npos);
  CHECK(error_of("3 1 1\n1 2 -5\n", true).find("cost") != std::string::npos);
  CHECK(error_of("3 1 5\n1 2 5\n", true).find("p must be") != std::string::npos);
  CHECK(error_of("3 1 1\n1 2 5\n", true).empty());
}

TEST_CASE("matrix CSV: demands, priorities, unreachable cells, candidate rows", "[siting][io]") {
  const std::string csv =
      "# two gachaa seats and one soum seat\n"
      "demand,population,priority,A,B,C\n"
      "g1,120,1.5,600,,1800\n"
      "g2,80,1,-,900,300\n"
      "@cost,,,10,20,30\n"
      "@existing,,,0,0,1\n"
      "@group,,,s1,s1,s2\n";
  const SitingInstance inst = parse_matrix_csv(csv, "t.csv");
  CHECK(inst.num_demands() == 2);
  CHECK(inst.num_candidates() == 3);
  CHECK(inst.population == std::vector<std::int64_t>{120, 80});
  CHECK(inst.priority == std::vector<std::int32_t>{1500, 1000});
  CHECK(inst.times.at(0, 0) == 600);
  CHECK(inst.times.at(0, 1) == kepumap::core::UNREACHABLE);
  CHECK(inst.times.at(1, 2) == 300);
  CHECK(inst.cost == std::vector<std::int64_t>{10, 20, 30});
  CHECK(inst.existing == std::vector<kepumap::core::Id>{2});
  CHECK(inst.group[0] == inst.group[1]);
  CHECK(inst.group[0] != inst.group[2]);
  CHECK(inst.candidate_names[1] == "B");
  CHECK(validate(inst).empty());
}

TEST_CASE("matrix CSV: bad files give one line naming file, line and field", "[siting][io]") {
  CHECK(error_of("", false).find("t.csv") != std::string::npos);
  CHECK(error_of("demand,population\n", false).find("t.csv:1") != std::string::npos);
  const std::string e1 = error_of("demand,population,A\nd1,ten,5\n", false);
  CHECK(e1.find("t.csv:2") != std::string::npos);
  CHECK(e1.find("field population") != std::string::npos);
  const std::string e2 = error_of("demand,population,A,B\nd1,10,5,abc\n", false);
  CHECK(e2.find("field B") != std::string::npos);
  CHECK(error_of("demand,population,A\nd1,10\n", false).find("cells") != std::string::npos);
  CHECK(error_of("demand,population,A\nd1,10,5\n@colour,,3\n", false).find("@colour") != std::string::npos);
  CHECK(error_of("demand,population,A\n", false).find("no demand rows") != std::string::npos);
  CHECK(error_of("demand,population,A\nd1,10,-4\n", false).find("t.csv:2") != std::string::npos);
}

TEST_CASE("candidate-major sparse matrix converts to demand rows sorted by time", "[siting][io]") {
  // Candidate 0 reaches demands 0 (50 s) and 2 (10 s); candidate 1 reaches demand 0 (20 s).
  const CostMatrix m = from_candidate_major(3, 2, {0, 2, 3}, {0, 2, 0}, {50, 10, 20});
  CHECK(m.rows == 3);
  CHECK(m.at(0, 0) == 50);
  CHECK(m.at(0, 1) == 20);
  CHECK(m.at(2, 0) == 10);
  CHECK(m.at(1, 0) == kepumap::core::UNREACHABLE);
  REQUIRE(m.offsets[1] - m.offsets[0] == 2);
  CHECK(m.cand[m.offsets[0]] == 1);  // row 0 sorted by time: candidate 1 (20 s) first
}
