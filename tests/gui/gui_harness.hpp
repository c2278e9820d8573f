#pragma once
// Shared harness of the GUI panel tests: one Xvfb per test executable, the real kepumap binary
// run on data/abag with a script and --dump-state, the dumped UI strings read back, and shell
// commands captured. Each test file defines gui_scratch_tag() naming its scratch folder.
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

#include "render/view.hpp"
#include "skip.hpp"
#include "test_paths.hpp"

namespace kepumap::test::gui {

namespace fs = std::filesystem;

/// The test file's scratch folder name part ("analysis", "siting", ...); defined by each file.
const char* gui_scratch_tag();

/// The scratch folder of this test process (created with a cfg/ folder for the app's settings).
inline fs::path work() {
  fs::path p = fs::temp_directory_path() /
               (std::string("kepumap_gui_") + gui_scratch_tag() + "_" + std::to_string(::getpid()));
  std::error_code ec;
  fs::create_directories(p / "cfg", ec);
  return p;
}

/// Removes the scratch folder when the tests end (KEPUMAP_KEEP_GUI_OUTPUT keeps it).
struct Cleanup {
  ~Cleanup() {
    std::error_code ec;
    if (!std::getenv("KEPUMAP_KEEP_GUI_OUTPUT")) fs::remove_all(work(), ec);
  }
};
inline Cleanup g_cleanup;

inline std::string kepumap_bin() { return (binary_dir() / "src/app/kepumap").string(); }

/// One X server for all the runs of a test executable: Xvfb picks a free display and writes its
/// number to fd 3.
struct Display {
  long pid = -1;
  std::string name;
  Display() {
    const fs::path num = work() / "display", pidf = work() / "xvfb.pid";
    const std::string cmd = "(Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>'" + num.string() +
                            "' >/dev/null 2>&1 & echo $! >'" + pidf.string() + "')";
    if (std::system(cmd.c_str()) != 0) return;
    std::ifstream(pidf) >> pid;
    for (int i = 0; i < 200 && name.empty(); ++i) {
      std::string n;
      std::ifstream(num) >> n;
      if (n.empty())
        ::usleep(50000);
      else
        name = ":" + n;
    }
  }
  ~Display() {
    if (pid > 0) ::kill(static_cast<pid_t>(pid), SIGTERM);
  }
};

inline Display& display() {
  static Display d;
  return d;
}

/// False (the test recorded as skipped, or failed under CI) when the GUI tests cannot run here.
inline bool can_run() {
  const char* why = nullptr;
  if (std::system("command -v Xvfb >/dev/null 2>&1") != 0)
    why = "Xvfb not installed (Debian package xvfb): skipped";
  else if (display().name.empty())
    why = "Xvfb did not start: skipped";
  else if (!fs::exists(source_dir() / "data/abag/project.toml"))
    why = "no data/abag/project.toml: skipped";
  if (!why) return true;
  ::kepumap::test::record_skip_installed(why);  // a failure under CI
  return false;
}

/// Polls (every 0.1 s, up to `seconds`) until `file` exists; true when it does. The GUI tests wait
/// for a condition like this instead of sleeping a fixed time.
inline bool wait_for_file(const fs::path& file, double seconds = 120.0) {
  for (int i = 0; i < static_cast<int>(seconds * 10) && !fs::exists(file); ++i) ::usleep(100000);
  return fs::exists(file);
}

/// A shell command line that runs `cmd` in the background and, once it has exited, writes its exit
/// code to `done` (so a test waits for the app to finish, not for a fixed time).
inline std::string in_background(const std::string& cmd, const fs::path& done) {
  std::error_code ec;
  fs::remove(done, ec);
  return "( " + cmd + "; echo $? >'" + done.string() + "' ) >/dev/null 2>&1 &";
}

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// The map view a run ended with (from its dumped state work()/name.json).
inline render::View dumped_view(const std::string& name) {
  const std::string j = slurp(work() / (name + ".json"));
  auto num = [&](const std::string& key) {
    const auto p = j.find("\"" + key + "\": ");
    return p == std::string::npos ? 0.0 : std::strtod(j.c_str() + p + key.size() + 4, nullptr);
  };
  render::View v;
  v.center = {num("center_x"), num("center_y")};
  v.m_per_px = num("m_per_px");
  v.width_px = static_cast<int>(num("width"));
  v.height_px = static_cast<int>(num("height"));
  return v;
}

/// Runs the app on `project` (relative to the repository; data/abag by default) with `script`,
/// dumping its state to work()/name.json, in a window of `size` ("WxH"); returns the exit code.
inline int run_app(const std::string& name, const std::string& script,
                   const std::string& project = "data/abag/project.toml",
                   const std::string& size = "1280x800") {
  const fs::path dir = work();
  std::ofstream(dir / (name + ".txt")) << script;
  const std::string cmd =
      "cd '" + source_dir().string() + "' && XDG_CONFIG_HOME='" + (dir / "cfg").string() +
      "' DISPLAY=" + display().name + " LIBGL_ALWAYS_SOFTWARE=1 '" + kepumap_bin() + "' '" + project +
      "' --size " + size + " --frames 3 --dump-state '" + (dir / (name + ".json")).string() + "' --script '" +
      (dir / (name + ".txt")).string() + "' >/dev/null 2>'" + (dir / (name + ".err")).string() + "'";
  const int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/// The "ui_text" strings of a dumped state (one JSON string per line).
inline std::vector<std::string> ui_text(const std::string& name) {
  std::istringstream in(slurp(work() / (name + ".json")));
  std::vector<std::string> out;
  std::string line;
  bool inside = false;
  while (std::getline(in, line)) {
    if (line.find("\"ui_text\": [") != std::string::npos) {
      inside = true;
      continue;
    }
    if (!inside) continue;
    const auto a = line.find('"'), b = line.rfind('"');
    if (a == std::string::npos || b <= a) break;
    std::string s;
    const std::string raw = line.substr(a + 1, b - a - 1);
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '\\' && i + 1 < raw.size()) ++i;
      s += raw[i];
    }
    out.push_back(s);
  }
  return out;
}

/// stdout of a shell command.
inline std::string capture(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ::pclose(p);
  return out;
}

}  // namespace kepumap::test::gui
