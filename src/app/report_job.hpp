#pragma once
// Writing the report for a project: used by `kepumap report` and by the desktop app's headless
// fallback (a machine without a display gets the report instead of the window).
#include <filesystem>
#include <string>

#include "app/cli_common.hpp"

namespace kepumap::app {

struct ReportOptions {
  bool a3 = false;
  std::string style_file;  ///< empty = the project's styles/default.json or the installed one
};

/// The style file a report uses: the explicit one, else styles/default.json beside the project
/// or in the source tree; empty path = the built-in default style.
std::filesystem::path find_style(const std::filesystem::path& project, const std::string& explicit_file);

/// Loads, evaluates and writes the report and the coverage outputs to a.out_dir; prints where.
/// Returns the exit code (0, or 2 on bad input).
int run_report_job(const CommonArgs& a, const ReportOptions& opt);

}  // namespace kepumap::app
