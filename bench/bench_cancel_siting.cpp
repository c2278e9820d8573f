// The siting jobs of bench_cancel: the travel-time matrix and the solver, as the siting panel
// runs them (first travel-time standard, MCLP, p = 3, the default candidates).
#include <atomic>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>

#include "optimize/siting_project.hpp"

using namespace kepumap;
namespace opt = kepumap::optimize;

bool siting_jobs(std::shared_ptr<const core::Document> doc,
                 std::shared_ptr<const analysis::ProjectEvaluation> pe, const std::string& project,
                 std::function<bool(const std::atomic<bool>*)>& matrix,
                 std::function<bool(const std::atomic<bool>*)>& solve);

bool siting_jobs(std::shared_ptr<const core::Document> doc,
                 std::shared_ptr<const analysis::ProjectEvaluation> pe, const std::string& project,
                 std::function<bool(const std::atomic<bool>*)>& matrix,
                 std::function<bool(const std::atomic<bool>*)>& solve) {
  opt::ProjectSitingSpec spec;
  for (const auto& s : pe->ev.sets)
    if (!s.mobile) {
      spec.facility = s.facility;
      break;
    }
  spec.problem = opt::SitingProblem::Mclp;
  std::string err;
  auto ps = opt::build_project_siting(*doc, *pe, spec, project, err);
  if (!ps) {
    std::fprintf(stderr, "bench_cancel: siting: %s\n", err.c_str());
    return false;
  }
  std::fprintf(stderr, "bench_cancel: siting %s: %zu candidates, %zu demands\n", spec.facility.c_str(),
               ps->instance.num_candidates(), ps->instance.num_demands());
  auto shared = std::make_shared<const opt::ProjectSiting>(std::move(*ps));
  opt::SitingOptions so;
  so.problem = spec.problem;
  so.p = 3;
  so.standard = shared->standard;
  matrix = [doc, pe, spec, project](const std::atomic<bool>* c) {
    std::string e;
    auto r = opt::build_project_siting(*doc, *pe, spec, project, e, c);
    return c && c->load();
  };
  solve = [shared, so](const std::atomic<bool>* c) {
    opt::SitingOptions o = so;
    o.cancel = c;
    return opt::solve_siting(shared->instance, o).status == opt::SolveStatus::Cancelled;
  };
  return true;
}
