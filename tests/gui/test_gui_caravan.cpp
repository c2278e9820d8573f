// The app's caravan panel under Xvfb + llvmpipe: its tour count, total km and vehicle-days for
// data/abag equal what `kepumap caravan project.toml -o DIR` prints with the same options; a
// stop moved between tours re-plans; an impossible move or a bad command exits 2 with one line.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "test_paths.hpp"

namespace fs = std::filesystem;
using namespace kepumap;

namespace {

fs::path scratch() {
  fs::path p = fs::temp_directory_path() / ("kepumap_gui_caravan_" + std::to_string(::getpid()));
  std::error_code ec;
  fs::create_directories(p / "cfg", ec);
  return p;
}

struct RemoveScratch {
  ~RemoveScratch() {
    std::error_code ec;
    if (!std::getenv("KEPUMAP_KEEP_GUI_OUTPUT")) fs::remove_all(scratch(), ec);
  }
} g_remove_scratch;

std::string bin() { return (test::binary_dir() / "src/app/kepumap").string(); }

/// An Xvfb server shared by the runs of this file (display number read from fd 3).
struct Xserver {
  long pid = -1;
  std::string display;
  Xserver() {
    const fs::path num = scratch() / "display", pidf = scratch() / "xvfb.pid";
    const std::string cmd = "(Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>'" + num.string() +
                            "' >/dev/null 2>&1 & echo $! >'" + pidf.string() + "')";
    if (std::system(cmd.c_str()) != 0) return;
    std::ifstream(pidf) >> pid;
    for (int i = 0; i < 200 && display.empty(); ++i) {
      std::string n;
      std::ifstream(num) >> n;
      if (n.empty()) ::usleep(50000);
      else display = ":" + n;
    }
  }
  ~Xserver() {
    if (pid > 0) ::kill(static_cast<pid_t>(pid), SIGTERM);
  }
};

Xserver& xserver() {
  static Xserver x;
  return x;
}

bool runnable() {
  if (std::system("command -v Xvfb >/dev/null 2>&1") != 0) {
    WARN("Xvfb not installed (Debian package xvfb): skipped");
    return false;
  }
  if (xserver().display.empty()) {
    WARN("Xvfb did not start: skipped");
    return false;
  }
  if (!fs::exists(test::source_dir() / "data/abag/project.toml")) {
    WARN("no data/abag/project.toml: skipped");
    return false;
  }
  return true;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Runs the app on data/abag with `script`; returns the exit code.
int app(const std::string& name, const std::string& script) {
  const fs::path d = scratch();
  std::ofstream(d / (name + ".txt")) << script;
  const std::string cmd = "cd '" + test::source_dir().string() + "' && XDG_CONFIG_HOME='" + (d / "cfg").string() +
                          "' DISPLAY=" + xserver().display + " LIBGL_ALWAYS_SOFTWARE=1 '" + bin() +
                          "' data/abag/project.toml --size 1280x800 --frames 3 --dump-state '" +
                          (d / (name + ".json")).string() + "' --script '" + (d / (name + ".txt")).string() +
                          "' >/dev/null 2>'" + (d / (name + ".err")).string() + "'";
  const int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/// The dumped UI string starting with `prefix` (empty if none).
std::string ui_line(const std::string& name, const std::string& prefix) {
  std::istringstream in(slurp(scratch() / (name + ".json")));
  std::string l;
  while (std::getline(in, l)) {
    const auto a = l.find("\"" + prefix);
    if (a == std::string::npos) continue;
    const auto b = l.find('"', a + 1);
    return l.substr(a + 1, b - a - 1);
  }
  return {};
}

/// stdout of a shell command.
std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ::pclose(p);
  return out;
}

/// "Tours: N, total km: X, vehicle-days: D" built from the CLI's lines
/// "行程 tours: N (出车 D 天 ..." and "里程 distance: X km; ...".
std::string cli_summary(const std::string& out) {
  int tours = -1, days = -1;
  double km = -1;
  std::istringstream in(out);
  std::string l;
  while (std::getline(in, l)) {
    if (l.rfind("行程 tours: ", 0) == 0) std::sscanf(l.c_str(), "行程 tours: %d (出车 %d", &tours, &days);
    if (l.rfind("里程 distance: ", 0) == 0) std::sscanf(l.c_str(), "里程 distance: %lf", &km);
  }
  if (tours < 0 || days < 0 || km < 0) return {};
  char buf[128];
  std::snprintf(buf, sizeof buf, "Tours: %d, total km: %.1f, vehicle-days: %d", tours, km, days);
  return buf;
}

const std::string k_options = "caravan set max_days 2\ncaravan set vehicles 2\ncaravan set drive_hours 6\n";
const std::string k_cli_options = " --max-days 2 --vehicles 2 --drive-hours 6";

}  // namespace

TEST_CASE("the caravan panel plans what `kepumap caravan` prints", "[gui][caravan]") {
  if (!runnable()) return;
  for (int variant = 0; variant < 2; ++variant) {
    const std::string cli_opts = variant ? k_cli_options : "";
    const std::string out = run("cd '" + test::source_dir().string() + "' && '" + bin() +
                                "' caravan data/abag/project.toml -o '" + (scratch() / "cli").string() + "'" + cli_opts);
    const std::string want = cli_summary(out);
    INFO("cli: " << out);
    REQUIRE(!want.empty());
    const std::string name = "plan" + std::to_string(variant);
    REQUIRE(app(name, "set_language en\ncaravan open\n" + (variant ? k_options : std::string()) +
                          "caravan run\ncaravan wait\ncaravan select 1\n") == 0);
    CHECK(ui_line(name, "Tours: ") == want);
    CHECK(ui_line(name, "Visits ").rfind("Visits 12 / 12;", 0) == 0);
  }
  // Chinese by default
  REQUIRE(app("plan_zh", "caravan run\ncaravan wait\n") == 0);
  CHECK(!ui_line("plan_zh", "行程 ").empty());
}

TEST_CASE("the caravan panel moves a stop to another tour and re-plans", "[gui][caravan]") {
  if (!runnable()) return;
  const std::string base = "set_language en\n" + k_options + "caravan run\ncaravan wait\n";
  REQUIRE(app("before", base) == 0);
  const std::string before = ui_line("before", "Tours: ");
  REQUIRE(!before.empty());
  // 巴彦图嘎嘎查 is on tour 1 of this plan (see caravan_routes.geojson of the CLI run); tour 3 can take it.
  REQUIRE(app("moved", base + "caravan move 巴彦图嘎嘎查 1 3\n") == 0);
  CHECK(ui_line("moved", "Stop moved") == "Stop moved and tours re-planned.");
  const std::string after = ui_line("moved", "Tours: ");
  CHECK(!after.empty());
  CHECK(after != before);  // the tours changed: another length
  CHECK(ui_line("moved", "Visits ").rfind("Visits 12 / 12;", 0) == 0);  // every visit still planned
  // 吉呼朗图嘎查 (tour 3) does not fit tour 2 within 2 days and 6 h driving: one line, exit 2.
  REQUIRE(app("refused", base + "caravan move 吉呼朗图嘎查 3 2\n") == 2);
  const std::string err = slurp(scratch() / "refused.err");
  CHECK(err.find("caravan move: 吉呼朗图嘎查") != std::string::npos);
  // unknown commands and stops
  CHECK(app("bad1", "caravan fly\n") == 2);
  CHECK(app("bad2", base + "caravan move 没有这个站 1 2\n") == 2);
  CHECK(slurp(scratch() / "bad2.err").find("has no stop named") != std::string::npos);
}
