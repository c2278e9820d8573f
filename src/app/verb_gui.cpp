// The default verb: `kepumap [project.toml] [options]` opens the desktop app; with no display
// it says so and writes the headless report (as `kepumap report`) instead.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "app/report_job.hpp"
#include "app/verbs.hpp"
#include "ui/app.hpp"

namespace {

int usage_error(const std::string& what) {
  std::fprintf(stderr, "error: %s (kepumap --help)\n", what.c_str());
  return 2;
}

int run_gui(const std::vector<std::string>& args) {
  kepumap::ui::AppOptions o;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string& out) {
      if (i + 1 >= args.size()) return false;
      out = args[++i];
      return true;
    };
    auto int_value = [&](int& out) {
      std::string s;
      if (!value(s)) return false;
      char* end = nullptr;
      long v = std::strtol(s.c_str(), &end, 10);
      if (!end || *end || v < 0 || v > 1000000) return false;
      out = static_cast<int>(v);
      return true;
    };
    if (a == "--screenshot") {
      if (!value(o.screenshot)) return usage_error("--screenshot needs a PNG path");
    } else if (a == "--frames") {
      if (!int_value(o.frames)) return usage_error("--frames needs a frame count");
    } else if (a == "--script") {
      if (!value(o.script)) return usage_error("--script needs a file");
    } else if (a == "--dump-state") {
      if (!value(o.dump_state)) return usage_error("--dump-state needs a file");
    } else if (a == "--bench-pan" || a == "--bench-zoom" || a == "--bench-drag") {
      if (!int_value(o.bench_pan_frames)) return usage_error(a + " needs a frame count");
      o.bench_mode = a.substr(8);
    } else if (a == "--live-input") {
      o.live_input = true;
    } else if (a == "--no-panel-cache") {
      o.panel_cache = false;
    } else if (a == "--use-settings") {
      o.use_settings = true;
    } else if (a == "--size") {
      std::string s;
      if (!value(s) || std::sscanf(s.c_str(), "%dx%d", &o.width, &o.height) != 2 || o.width < 64 ||
          o.height < 64)
        return usage_error("--size needs WIDTHxHEIGHT, e.g. 1280x800");
    } else if (!a.empty() && a[0] == '-') {
      return usage_error("unknown option '" + a + "'");
    } else if (o.project.empty()) {
      o.project = a;
    } else {
      return usage_error("more than one project given ('" + o.project + "' and '" + a + "')");
    }
  }
  int rc = kepumap::ui::run_app(o);
  if (rc != kepumap::ui::k_no_display) return rc;
  if (!o.screenshot.empty() || o.bench_pan_frames > 0) {
    std::fprintf(stderr,
                 "kepumap: 此机器没有显示器，无法截图。(this machine has no display: no screenshot)\n");
    return 2;
  }
  if (o.project.empty()) {
    std::fprintf(stderr,
                 "kepumap: 此机器没有显示器；请指定项目以生成报告 (no display: give a project.toml to get "
                 "its report)\n");
    return 2;
  }
  // No display: the headless report instead of the window, in ./kepumap-report/<project folder>.
  const std::filesystem::path project(o.project);
  const std::string folder = std::filesystem::absolute(project).parent_path().filename().string();
  kepumap::app::CommonArgs a;
  a.project = o.project;
  a.out_dir = std::filesystem::path("kepumap-report") / (folder.empty() ? "project" : folder);
  std::fprintf(stderr,
               "kepumap: 此机器没有显示器，无法打开桌面程序；改为生成报告 %s。\n"
               "kepumap: this machine has no display, so the desktop app cannot open; writing the headless "
               "report to %s instead.\n",
               a.out_dir.c_str(), a.out_dir.c_str());
  return kepumap::app::run_report_job(a, {});
}

const kepumap::app::VerbRegistration reg{"", "open the desktop app (default; a project.toml may follow)",
                                         run_gui};

}  // namespace
