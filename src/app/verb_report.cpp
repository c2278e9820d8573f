// `kepumap report project.toml [--scenario NAME] -o DIR [--lang en] [--a3] [--style FILE]`:
// the PDF report with its maps as PNG and SVG, plus the coverage GeoPackage, CSV and XLSX.
#include <chrono>
#include <cstdio>
#include <ctime>

#include "app/cli_common.hpp"
#include "app/report_job.hpp"
#include "app/verbs.hpp"

namespace kepumap::app {

namespace {

int run_report(const std::vector<std::string>& args) {
  auto a = parse_common(args, "report", true);
  if (!a) return 2;
  ReportOptions opt;
  for (std::size_t i = 0; i < a->rest.size(); ++i) {
    if (a->rest[i] == "--a3") {
      opt.a3 = true;
    } else if (a->rest[i] == "--style" && i + 1 < a->rest.size()) {
      opt.style_file = a->rest[++i];
    } else {
      std::fprintf(stderr, "error: kepumap report: unknown argument '%s'\n", a->rest[i].c_str());
      return 2;
    }
  }
  return run_report_job(*a, opt);
}

VerbRegistration reg{"report", "PDF report with maps and tables, plus coverage outputs (-o DIR)", run_report};

}  // namespace
}  // namespace kepumap::app
