// Cancel latency of the app's long jobs on a demo project (default data/nmg): each job kind is
// started on a worker thread with the same call and cancel flag the app's task uses
// (session/tasks.hpp), the flag is set after a delay, and the time from setting it to the job's
// return is measured. Prints, per kind, the job's uncancelled length and the median and worst
// latency over the delays (a delay past the job's end counts as "ended first"). Asserts nothing.
//
// usage: bench_cancel [project.toml] [kinds...]
//   kinds: evaluation siting_matrix siting_solve caravan report_pdf coverage_outputs isolines
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "analysis/isolines.hpp"
#include "io/project.hpp"
#include "optimize/caravan_project.hpp"
#include "report/outputs.hpp"
#include "report/report.hpp"
#include "session/session.hpp"

namespace fs = std::filesystem;
namespace opt = kepumap::optimize;
using namespace kepumap;

// bench_cancel_siting.cpp (optimize/siting.hpp and optimize/tour.hpp may not meet in one file):
// the siting panel's two stages as jobs, false if the instance cannot be built.
bool siting_jobs(std::shared_ptr<const core::Document> doc,
                 std::shared_ptr<const analysis::ProjectEvaluation> pe, const std::string& project,
                 std::function<bool(const std::atomic<bool>*)>& matrix,
                 std::function<bool(const std::atomic<bool>*)>& solve);

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

/// One job kind: runs to its end or until *cancel, and says whether it reported "cancelled".
struct Kind {
  std::string name;
  std::function<bool(const std::atomic<bool>*)> run;
};

struct Figures {
  double full_s = 0.0;
  std::vector<double> latency_s;
  int ended_first = 0;
  int not_marked = 0;  // cancelled after the flag but not reported as cancelled
};

Figures measure(const Kind& k, const std::vector<double>& delays) {
  Figures f;
  {
    const auto t0 = Clock::now();
    k.run(nullptr);
    f.full_s = since(t0);
  }
  for (double d : delays) {
    if (d >= f.full_s) continue;
    std::atomic<bool> cancel{false};
    std::atomic<bool> done{false};
    bool marked = false;
    Clock::time_point t_end;
    std::thread worker([&] {
      marked = k.run(&cancel);
      t_end = Clock::now();
      done = true;
    });
    std::this_thread::sleep_for(std::chrono::duration<double>(d));
    const bool first = done.load();
    const auto t_cancel = Clock::now();
    cancel = true;
    worker.join();
    if (first) {
      ++f.ended_first;
      continue;
    }
    f.latency_s.push_back(std::chrono::duration<double>(t_end - t_cancel).count());
    if (!marked) ++f.not_marked;
  }
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path project = argc > 1 ? fs::path(argv[1]) : fs::path("data/nmg/project.toml");
  std::vector<std::string> wanted(argv + std::min(argc, 2), argv + argc);
  auto doc = std::make_shared<const core::Document>(io::load_project(project));
  std::fprintf(stderr, "bench_cancel: evaluating %s once for the inputs\n", project.string().c_str());
  session::Evaluated base = session::evaluate(doc, 1, "");
  if (!base.pe) {
    std::fprintf(stderr, "bench_cancel: the evaluation failed\n");
    return 1;
  }
  const auto pe = base.pe;
  const fs::path out = fs::temp_directory_path() / ("kepumap-bench-cancel-" + std::to_string(::getpid()));

  std::function<bool(const std::atomic<bool>*)> matrix, solve;
  const bool siting = siting_jobs(doc, pe, project.string(), matrix, solve);
  opt::CaravanProjectOptions co;
  const opt::CaravanInputs ci = opt::collect_caravan_inputs(*doc, co);
  const core::GridF grid = pe->ev.coverage.best_time;

  std::vector<Kind> kinds;
  kinds.push_back(
      {"evaluation", [&](const std::atomic<bool>* c) { return session::evaluate(doc, 1, "", c).cancelled; }});
  if (siting) {
    kinds.push_back({"siting_matrix", matrix});
    kinds.push_back({"siting_solve", solve});
  } else {
    std::printf("siting: no instance on this project (see the message above); not measured\n");
  }
  kinds.push_back({"caravan", [&](const std::atomic<bool>* c) {
                     opt::CaravanProjectOptions o = co;
                     o.settings.cancel = c;
                     return opt::plan_project_caravans(pe->travel.model, ci, o).cancelled;
                   }});
  kinds.push_back({"report_pdf", [&](const std::atomic<bool>* c) {
                     report::ReportInputs in;
                     in.doc = doc.get();
                     in.pe = pe.get();
                     in.date = "2026-01-01";
                     in.cancel = c;
                     std::error_code ec;
                     fs::remove_all(out, ec);
                     try {
                       report::write_report(in, out);
                     } catch (const report::Cancelled&) {
                       return true;
                     }
                     return false;
                   }});
  kinds.push_back({"coverage_outputs", [&](const std::atomic<bool>* c) {
                     std::error_code ec;
                     fs::remove_all(out, ec);
                     fs::create_directories(out, ec);
                     const std::string e =
                         report::write_coverage_outputs(out, *doc, *pe, false, core::Style{}, {}, c);
                     return c && c->load() && !e.empty();
                   }});
  kinds.push_back({"isolines", [&](const std::atomic<bool>* c) {
                     auto iso = analysis::isolines(grid, analysis::ISOCHRONE_LEVELS_S, c);
                     return c && c->load();
                   }});

  const std::vector<double> delays{0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1.2, 2.0, 3.0};
  std::printf(
      "| job | uncancelled s | cancels | median latency ms | max latency ms | ended first | not marked |\n");
  std::printf("|---|---|---|---|---|---|---|\n");
  for (const Kind& k : kinds) {
    if (!wanted.empty() && std::find(wanted.begin(), wanted.end(), k.name) == wanted.end()) continue;
    Figures f = measure(k, delays);
    std::sort(f.latency_s.begin(), f.latency_s.end());
    const double med = f.latency_s.empty() ? 0.0 : f.latency_s[f.latency_s.size() / 2] * 1000.0;
    const double worst = f.latency_s.empty() ? 0.0 : f.latency_s.back() * 1000.0;
    std::printf("| %s | %.2f | %zu | %.0f | %.0f | %d | %d |\n", k.name.c_str(), f.full_s, f.latency_s.size(),
                med, worst, f.ended_first, f.not_marked);
    std::fflush(stdout);
  }
  std::error_code ec;
  fs::remove_all(out, ec);
  return 0;
}
