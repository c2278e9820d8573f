// `kepumap coverage project.toml [--scenario NAME] -o DIR [--lang en]`: who is within reach of
// what, per unit, written as a GeoPackage (unit polygons with every figure, travel-time and gap
// rasters), CSV and XLSX tables.
#include <cstdio>

#include "app/cli_common.hpp"
#include "app/verbs.hpp"
#include "report/outputs.hpp"

namespace kepumap::app {

namespace {

int run_coverage(const std::vector<std::string>& args) {
  const auto a = parse_common(args, "coverage", true);
  if (!a) return 2;
  for (const auto& r : a->rest) {
    std::fprintf(stderr, "error: kepumap coverage: unknown argument '%s'\n", r.c_str());
    return 2;
  }
  auto lp = load_and_evaluate(*a);
  if (!lp) return 2;
  const auto& doc = lp->doc;
  const auto& area = lp->pe.area;
  const auto& ev = lp->pe.ev;
  if (const std::string err =
          report::write_coverage_outputs(a->out_dir, lp->doc, lp->pe, a->english, output_style(a->project),
                                         output_crs_definition(a->crs, lp->doc));
      !err.empty()) {
    std::fprintf(stderr, "%s\n", err.c_str());
    return 2;
  }

  // Summary.
  const auto& t = ev.coverage.total;
  std::printf("%s%s%s\n", doc.config.name.c_str(), a->scenario.empty() ? "" : " — ", a->scenario.c_str());
  std::printf("  %s: %.0f\n", a->english ? "population" : "人口", t.population);
  for (std::size_t k = 0; k < ev.services.size(); ++k)
    std::printf("  %-16s %5.1f %%  (%.0f)\n", ev.services[k].facility.c_str(), 100.0 * t.service[k].share(),
                t.service[k].covered);
  std::printf("  %-16s %5.1f %%  (%.0f)\n", a->english ? "any" : "任一 any", 100.0 * t.share_any(),
              t.covered_any);
  std::printf("  %s: %.3f\n", a->english ? "Gini of travel time" : "出行时间基尼系数 Gini",
              ev.coverage.equity.gini_time);
  std::printf("  %s: %s\n", a->english ? "demand" : "需求 demand", area.demand_rule.c_str());
  std::printf("%s %s\n", a->english ? "wrote" : "已写入 wrote", a->out_dir.c_str());
  return 0;
}

VerbRegistration reg{"coverage", "coverage and gaps per unit: GeoPackage, CSV and XLSX (-o DIR)",
                     run_coverage};

}  // namespace
}  // namespace kepumap::app
