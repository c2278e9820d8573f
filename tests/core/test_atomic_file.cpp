// Writing through a temporary renamed into place (core/atomic_file.hpp): names unique per process
// and call, leftovers of ended processes removed, live ones kept, the reason when it fails.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "core/atomic_file.hpp"

using namespace kepumap;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) {
  const auto d = fs::temp_directory_path() / ("kepumap-atomic-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::set<std::string> names_in(const fs::path& dir) {
  std::set<std::string> s;
  for (const auto& e : fs::directory_iterator(dir)) s.insert(e.path().filename().string());
  return s;
}

/// The id of a process that has ended (a child reaped at once).
long ended_pid() {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return pid;
}

}  // namespace

TEST_CASE("atomic file: temporary names are marked, unique, and keep the extension", "[core][atomic]") {
  const auto dir = scratch("names");
  core::TempFile a(dir / "coverage.gpkg"), b(dir / "coverage.gpkg");
  CHECK(a.path() != b.path());
  CHECK(a.path().extension() == ".gpkg");
  CHECK(a.path().parent_path() == dir);
  long pid = 0;
  CHECK(core::is_temp_name(a.path().filename().string(), &pid));
  CHECK(pid == ::getpid());
  CHECK(core::is_temp_name(a.path().filename().string() + "-journal"));
  CHECK_FALSE(core::is_temp_name("coverage.gpkg"));
  CHECK_FALSE(core::is_temp_name("notes.kepumap-tmp-.txt"));
  CHECK_FALSE(core::is_temp_name("notes.kepumap-tmp-12.txt"));
  CHECK_FALSE(core::is_temp_name("report.tmp.pdf"));
}

TEST_CASE("atomic file: write, replace, and nothing left beside", "[core][atomic]") {
  const auto dir = scratch("write");
  const auto f = dir / "a.csv";
  REQUIRE(core::write_file_atomic(f, "one\n"));
  REQUIRE(core::write_file_atomic(f, "two\n"));
  CHECK(slurp(f) == "two\n");
  CHECK(names_in(dir) == std::set<std::string>{"a.csv"});
  {
    core::TempFile t(dir / "b.txt");
    std::ofstream(t.path()) << "half";
  }  // not committed: removed
  CHECK(names_in(dir) == std::set<std::string>{"a.csv"});
  core::TempFile t(dir / "b.txt");
  std::ofstream(t.path()) << "whole";
  CHECK(t.commit().empty());
  CHECK(slurp(dir / "b.txt") == "whole");
}

TEST_CASE("atomic file: leftovers of ended processes go, those of live ones stay", "[core][atomic]") {
  const auto dir = scratch("stale");
  const std::string dead = "x.kepumap-tmp-" + std::to_string(ended_pid()) + "-1.gpkg";
  const std::string live = "y.kepumap-tmp-" + std::to_string(::getppid()) + "-1.gpkg";
  for (const auto& n : {dead, dead + "-journal", live, std::string("mine.txt")})
    std::ofstream(dir / n) << "x";
  CHECK(core::remove_stale_temps(dir) == 2);
  CHECK(names_in(dir) == std::set<std::string>{live, "mine.txt"});
}

TEST_CASE("atomic file: a folder that cannot be written gives the reason", "[core][atomic]") {
  CHECK(core::write_failure("x", ENOSPC).find("no space left") != std::string::npos);
  CHECK(core::write_failure("x", EROFS).find("read-only") != std::string::npos);
  std::string why;
  CHECK_FALSE(core::write_file_atomic("/proc/kepumap-no/such.txt", "x", &why));
  CHECK_FALSE(why.empty());
}
