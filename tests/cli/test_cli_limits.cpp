// Resource limits on the command line: all of Inner Mongolia at 100 m is refused at once with
// one line saying the grid's size, the memory it needs and the cell size that fits.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "cli_run.hpp"
#include "test_paths.hpp"

namespace fs = std::filesystem;
using namespace kepumap::test;

namespace {
// data/nmg copied to a scratch folder with `extra` appended to its project.toml.
fs::path nmg_with(const std::string& name, const std::string& extra) {
  const fs::path dir =
      fs::temp_directory_path() / ("kepumap_limits_" + std::to_string(::getpid()) + "_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::copy(source_dir() / "data/nmg", dir, fs::copy_options::recursive);
  std::ofstream(dir / "project.toml", std::ios::app) << extra;
  return dir;
}
}  // namespace

TEST_CASE(
    "cli limits: Inner Mongolia at cell_size_m = 100 over the memory limit is refused in one line, exit 2",
    "[cli][resources]") {
  const fs::path dir = nmg_with("toml", "\n[travel]\ncell_size_m = 100\n\n[limits]\nmemory_gb = 2\n");
  const auto r = run_kepumap("coverage " + shell_quote((dir / "project.toml").string()) + " -o " +
                             shell_quote((dir / "out").string()));
  INFO(r.err);
  CHECK(r.exit_code == 2);
  CHECK(line_count(r.err) == 1);
  CHECK(r.err.find("error: 内存不足 not enough memory: the travel grid at 100 m is ") == 0);
  CHECK(r.err.find(
            " cells and needs about 19 GB; the memory limit is 2 GB ([limits] memory_gb in project.toml); "
            "use cell_size_m ≥ 320 or a smaller extent") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "out"));  // refused before anything was written
  fs::remove_all(dir);
}

TEST_CASE("cli limits: --memory-gb limits every verb - a bad value is one line", "[cli][resources]") {
  const fs::path dir = nmg_with("flag", "\n[travel]\ncell_size_m = 100\n");
  const std::string toml = shell_quote((dir / "project.toml").string());
  for (const std::string& verb :
       {"coverage " + toml + " -o " + shell_quote((dir / "out").string()), "check " + toml,
        "travel " + toml + " --from town -o " + shell_quote((dir / "out").string())}) {
    const auto r = run_kepumap(verb + " --memory-gb 1.5");
    INFO(verb << "\n" << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("the memory limit is 1.5 GB (--memory-gb); use cell_size_m ≥ 370 or a smaller extent") !=
          std::string::npos);
  }
  const auto bad = run_kepumap("check " + toml + " --memory-gb lots");
  CHECK(bad.exit_code == 2);
  CHECK(bad.err == "error: --memory-gb needs a positive number of GB\n");
  const auto bad_toml = nmg_with("bad", "\n[limits]\nmemory_gb = -1\n");
  const auto r = run_kepumap("check " + shell_quote((bad_toml / "project.toml").string()));
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("key 'memory_gb' must be a positive number of GB") != std::string::npos);
  fs::remove_all(dir);
  fs::remove_all(bad_toml);
}
