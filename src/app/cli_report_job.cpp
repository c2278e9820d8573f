#include "app/report_job.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "core/style.hpp"
#include "report/outputs.hpp"
#include "report/report.hpp"

namespace kepumap::app {

std::filesystem::path find_style(const std::filesystem::path& project, const std::string& explicit_file) {
  if (!explicit_file.empty()) return explicit_file;
  const std::filesystem::path candidates[] = {project.parent_path() / "styles/default.json",
                                              project.parent_path() / "../../styles/default.json",
                                              std::filesystem::path(KEPUMAP_STYLES_DIR) / "default.json"};
  for (const auto& c : candidates)
    if (std::filesystem::exists(c)) return c;
  return {};
}

int run_report_job(const CommonArgs& a, const ReportOptions& opt) {
  auto lp = load_and_evaluate(a);
  if (!lp) return 2;
  std::optional<analysis::ProjectEvaluation> base;
  if (!a.scenario.empty()) {
    core::Diagnostics diag;
    base = analysis::evaluate_project(lp->doc, "", diag);
    if (print_problems(diag)) return 2;
  }
  report::ReportInputs in;
  in.doc = &lp->doc;
  in.pe = &lp->pe;
  in.base = base ? &*base : nullptr;
  in.scenario = a.scenario;
  in.english = a.english;
  in.a3 = opt.a3;
  const auto style_path = find_style(a.project, opt.style_file);
  try {
    in.style = style_path.empty() ? core::default_style() : core::load_style(style_path.string());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char date[16];
  std::strftime(date, sizeof date, "%Y-%m-%d", std::localtime(&now));
  in.date = date;
  report::ReportFiles files;
  try {
    files = report::write_report(in, a.out_dir);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
  if (const std::string err = report::write_coverage_outputs(a.out_dir, lp->doc, lp->pe, a.english, in.style,
                                                             output_crs_definition(a.crs, lp->doc));
      !err.empty()) {
    std::fprintf(stderr, "%s\n", err.c_str());
    return 2;
  }
  std::printf("%s %s (%d %s)\n", a.english ? "report:" : "报告 report:", (a.out_dir / "report.pdf").c_str(),
              files.pages, a.english ? "pages" : "页 pages");
  for (std::size_t i = 1; i < files.written.size(); ++i) std::printf("  %s\n", files.written[i].c_str());
  std::printf("  %s\n", (a.out_dir / "coverage.gpkg").c_str());
  std::printf("  %s\n", (a.out_dir / "coverage.xlsx").c_str());
  return 0;
}

}  // namespace kepumap::app
