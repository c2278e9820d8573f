// Cancelling the app's long jobs: a cancel set before or while a job runs ends it with a
// cancelled outcome, and nothing of it is kept (the session is unchanged). No timing here: the
// latencies are bench/bench_cancel's figures.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <optional>
#include <thread>

#include "analysis/isolines.hpp"
#include "io/project.hpp"
#include "optimize/caravan_project.hpp"
#include "session/session.hpp"
#include "session/tasks.hpp"
#include "test_paths.hpp"

using namespace kepumap;

namespace {

std::shared_ptr<const core::Document> abag_doc() {
  static std::shared_ptr<const core::Document> doc =
      std::make_shared<const core::Document>(io::load_project(test::source_dir() / "data/abag/project.toml"));
  return doc;
}

const session::Evaluated& abag_evaluated() {
  static const session::Evaluated e = session::evaluate(abag_doc(), 1, "");
  return e;
}

void wait_done(const session::TaskState& st) {
  while (!st.done()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

}  // namespace

TEST_CASE("cancel: an evaluation cancelled before it starts ends cancelled with no figures",
          "[session][cancel]") {
  const std::atomic<bool> cancel{true};
  const session::Evaluated e = session::evaluate(abag_doc(), 1, "", &cancel);
  CHECK(e.cancelled);
  CHECK(e.pe == nullptr);
  session::Session s(abag_doc());
  std::string msg;
  CHECK_FALSE(s.install(e, msg));
  CHECK_FALSE(s.ready());
  CHECK(s.needs_evaluation());
}

TEST_CASE("cancel: an evaluation task cancelled while it runs hands over a cancelled result",
          "[session][cancel]") {
  session::Session s(abag_doc());
  session::TaskManager tm;
  std::optional<session::Evaluated> got;
  auto doc = s.document();
  const std::uint64_t rev = s.revision();
  auto st = tm.run<session::Evaluated>(
      "evaluation",
      [doc, rev](session::TaskState& t) { return session::evaluate(doc, rev, "", t.cancel_flag()); },
      [&](session::Evaluated& e) { got = std::move(e); });
  st->cancel();  // the job checks the flag when it ends at the latest: cancelled whatever the timing
  wait_done(*st);
  tm.poll();
  REQUIRE(got);
  CHECK(got->cancelled);
  CHECK(got->pe == nullptr);
  std::string msg;
  CHECK_FALSE(s.install(std::move(*got), msg));
  CHECK(s.needs_evaluation());
}

TEST_CASE("cancel: an evaluation not cancelled still completes", "[session][cancel]") {
  const std::atomic<bool> cancel{false};
  const session::Evaluated e = session::evaluate(abag_doc(), 1, "", &cancel);
  CHECK_FALSE(e.cancelled);
  CHECK(e.pe != nullptr);
}

TEST_CASE("cancel: a caravan plan cancelled before or while it runs is marked cancelled",
          "[session][cancel]") {
  const auto& ev = abag_evaluated();
  REQUIRE(ev.pe);
  optimize::CaravanProjectOptions o;
  const optimize::CaravanInputs in = optimize::collect_caravan_inputs(*abag_doc(), o);
  REQUIRE(in.problems.empty());
  SECTION("before") {
    const std::atomic<bool> cancel{true};
    o.settings.cancel = &cancel;
    const auto plan = optimize::plan_project_caravans(ev.pe->travel.model, in, o);
    CHECK(plan.cancelled);
    CHECK(plan.plan.tours.empty());
  }
  SECTION("while it runs, through the task manager") {
    session::TaskManager tm;
    std::optional<bool> cancelled;
    auto pe = ev.pe;
    auto st = tm.run<bool>(
        "caravan",
        [pe, in, o](session::TaskState& t) {
          optimize::CaravanProjectOptions run = o;
          run.settings.cancel = t.cancel_flag();
          return optimize::plan_project_caravans(pe->travel.model, in, run).cancelled;
        },
        [&](bool& c) { cancelled = c; });
    st->cancel();
    wait_done(*st);
    tm.poll();
    REQUIRE(cancelled);
    CHECK(*cancelled);
  }
  SECTION("not cancelled: a plan") {
    const std::atomic<bool> cancel{false};
    o.settings.cancel = &cancel;
    const auto plan = optimize::plan_project_caravans(ev.pe->travel.model, in, o);
    CHECK_FALSE(plan.cancelled);
  }
}

TEST_CASE("cancel: isolines cancelled before the trace give no lines", "[session][cancel]") {
  const auto& ev = abag_evaluated();
  REQUIRE(ev.pe);
  const auto& grid = ev.pe->ev.coverage.best_time;
  const auto full = analysis::isolines(grid, analysis::ISOCHRONE_LEVELS_S);
  REQUIRE(full.lines.feature_count() > 0);
  const std::atomic<bool> cancel{true};
  const auto none = analysis::isolines(grid, analysis::ISOCHRONE_LEVELS_S, &cancel);
  CHECK(none.lines.feature_count() == 0);
  CHECK(none.levels.empty());
}
