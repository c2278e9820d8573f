// The demo project evaluated through the library: totals exact, and a what-if drag step equal
// to a full recomputation of the same edit.
#include <catch2/catch.hpp>

#include "analysis/evaluation.hpp"
#include "io/project.hpp"
#include "test_paths.hpp"

using namespace kepumap;

TEST_CASE("阿巴嘎旗: covered plus uncovered people equal the census total exactly", "[evaluation]") {
  const core::Document doc = io::load_project(test::source_dir() / "data/abag/project.toml");
  REQUIRE_FALSE(doc.diagnostics.has_errors());
  core::Diagnostics diag;
  const auto pe = analysis::evaluate_project(doc, "", diag);
  REQUIRE_FALSE(diag.has_errors());
  const auto& t = pe.ev.coverage.total;
  // The population raster is warped with a sum-preserving resampling into float cells: the total
  // is the census figure to within float rounding (a thousandth of a person).
  CHECK(t.population == Approx(38589.0).margin(1e-3));
  for (const auto& s : t.service) CHECK(s.covered + s.uncovered() == t.population);
  double villages = 0;
  for (const auto& u : pe.ev.coverage.levels[0]) villages += u.population;
  CHECK(villages == Approx(t.population).margin(1e-6));
}

TEST_CASE("阿巴嘎旗: a what-if drag step gives the numbers of a full recomputation", "[evaluation][whatif]") {
  const core::Document doc = io::load_project(test::source_dir() / "data/abag/project.toml");
  core::Diagnostics diag;
  auto pe = analysis::evaluate_project(doc, "", diag);
  REQUIRE_FALSE(diag.has_errors());
  std::size_t k = pe.ev.sets.size();
  for (std::size_t i = 0; i < pe.ev.sets.size(); ++i)
    if (pe.ev.sets[i].facility == "education_base") k = i;
  REQUIRE(k < pe.ev.sets.size());
  REQUIRE(pe.ev.sets[k].points.size() >= 2);
  analysis::SearchWorkspace ws;
  const analysis::FacilityDrag drag(pe.travel.model, pe.ev.sets[k].points, 1, ws);
  core::Vec2 p = pe.ev.sets[k].points[1];
  p.x += 15'000;
  p.y -= 8'000;
  analysis::drag_update(pe.ev, k, 1, p, drag, doc, pe.area, pe.travel.model, ws, pe.priority);
  const auto dragged = pe.ev.coverage;
  analysis::update_set(pe.ev, k, doc, pe.area, pe.travel.model, ws, pe.priority);  // full search, same edit
  const auto& full = pe.ev.coverage;
  CHECK(dragged.total.service[k].covered == full.total.service[k].covered);
  CHECK(dragged.total.service[k].mean_s == full.total.service[k].mean_s);
  CHECK(dragged.total.covered_any == full.total.covered_any);
  CHECK(dragged.equity.gini_time == full.equity.gini_time);
  for (std::size_t u = 0; u < full.levels[0].size(); ++u) {
    CHECK(dragged.levels[0][u].service[k].covered == full.levels[0][u].service[k].covered);
    CHECK(dragged.levels[0][u].gap == full.levels[0][u].gap);
  }
}
