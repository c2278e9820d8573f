// The demo generator is deterministic: two runs give byte-identical files, and its text
// outputs match the committed data/ (so the committed files are what the generator makes).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "skip.hpp"
#include "test_paths.hpp"

namespace fs = std::filesystem;
using namespace kepumap;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::map<std::string, std::string> tree(const fs::path& root) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file()) files[fs::relative(e.path(), root).string()] = slurp(e.path());
  return files;
}

int run_into(const fs::path& out) {
  fs::remove_all(out);
  const std::string cmd = std::string("\"") + KEPUMAP_MAKE_DEMO + "\" --shared \"" +
                          test::shared_data().string() + "\" --out \"" + out.string() + "\" > /dev/null";
  return std::system(cmd.c_str());
}

}  // namespace

TEST_CASE("make_demo: two runs give identical files, matching the committed text files",
          "[data][integration]") {
  if (!test::have_shared_data()) {
    KEPUMAP_SKIP("../shared/data absent: generator not run");
  }
  const fs::path a = fs::temp_directory_path() / "kepumap_make_demo_a";
  const fs::path b = fs::temp_directory_path() / "kepumap_make_demo_b";
  REQUIRE(run_into(a) == 0);
  REQUIRE(run_into(b) == 0);
  const auto ta = tree(a), tb = tree(b);
  CHECK(ta.size() == 11);  // README + 4 project.toml + 4 gpkg + 2 tif
  REQUIRE(ta.size() == tb.size());
  for (const auto& [name, bytes] : ta) {
    INFO(name);
    REQUIRE(tb.count(name) == 1);
    CHECK(bytes == tb.at(name));
    if (name.size() > 5 && (name.ends_with(".toml") || name.ends_with(".md")))
      CHECK(bytes == slurp(test::source_dir() / "data" / name));
  }
  fs::remove_all(a);
  fs::remove_all(b);
}

TEST_CASE("make_demo: bad arguments give exit code 2", "[data][integration]") {
  const std::string cmd =
      std::string("\"") + KEPUMAP_MAKE_DEMO + "\" --shared /nonexistent --out /tmp/x 2> /dev/null";
  const int rc = std::system(cmd.c_str());
  CHECK(WIFEXITED(rc));
  CHECK(WEXITSTATUS(rc) == 2);
}
