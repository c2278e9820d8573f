#include <algorithm>
#include <catch2/catch.hpp>

#include "analysis/goals.hpp"

using namespace kepumap;

namespace {
// Three gachaas in two sums in one banner; every gachaa has 100 people.
struct Fixture {
  std::vector<analysis::UnitLevel> levels{
      {"village", {"甲嘎查", "乙嘎查", "丙嘎查"}, {"", "", ""}, {0, 0, 1}},
      {"township", {"东苏木", "西苏木"}, {"", ""}, {0, 0}},
      {"banner", {"阿巴嘎旗"}, {""}, {core::INVALID_ID}}};
  analysis::CoverageResult cov;
  std::vector<analysis::ServiceInput> services;
  Fixture() {
    analysis::ServiceInput base;
    base.facility = "education_base";
    analysis::ServiceInput caravan;
    caravan.facility = "caravan";
    caravan.mobile = true;
    caravan.visits = {2, 1, 0};
    caravan.visits_required = 1;
    services = {base, caravan};
    const double covered[3] = {100, 40, 0};
    cov.levels.resize(3);
    for (int l = 0; l < 3; ++l) cov.levels[l].resize(levels[l].names.size());
    for (int u = 0; u < 3; ++u) {
      auto& f = cov.levels[0][u];
      f.population = 100;
      f.service.resize(2);
      f.service[0].population = 100;
      f.service[0].covered = covered[u];
      f.covered_any = u < 2 ? 100 : 0;
    }
    // townships and banner summed by hand
    auto sum = [&](analysis::UnitFigures& t, std::initializer_list<int> kids) {
      t.service.resize(2);
      for (int k : kids) {
        t.population += 100;
        t.service[0].population += 100;
        t.service[0].covered += covered[k];
        t.covered_any += k < 2 ? 100 : 0;
      }
    };
    sum(cov.levels[1][0], {0, 1});
    sum(cov.levels[1][1], {2});
    sum(cov.levels[2][0], {0, 1, 2});
  }
  analysis::GoalInputs inputs() const {
    analysis::GoalInputs in;
    in.levels = levels;
    in.coverage = &cov;
    in.services = services;
    in.facilities = {
        {"education_base", "region", 0, 0}, {"education_base", "banner", 2, 0}, {"museum", "", 0, 1200}};
    return in;
  }
};

core::Target target(std::string metric, std::string facility, std::string scope, double threshold,
                    std::string level = "") {
  core::Target t;
  t.id = metric + "_" + scope;
  t.metric = core::metric_from_name(metric).value();
  t.facility = std::move(facility);
  t.scope = core::scope_from_name(scope).value();
  t.threshold = threshold;
  t.level = std::move(level);
  return t;
}
}  // namespace

TEST_CASE("targets: coverage share over the banner and per township", "[goals]") {
  Fixture fx;
  const core::Target ts[] = {target("coverage_share", "education_base", "banner", 0.45),
                             target("coverage_share", "education_base", "every_township", 0.5),
                             target("population_share", "any", "banner", 0.8)};
  const auto r = analysis::evaluate_targets(ts, fx.inputs());
  REQUIRE(r.size() == 3);
  CHECK(r[0].evaluated);
  CHECK(r[0].value == Approx(140.0 / 300));
  CHECK(r[0].pass);
  CHECK_FALSE(r[1].pass);
  CHECK(r[1].value == Approx(0.0));  // the worst township (西苏木)
  REQUIRE(r[1].failing.size() == 1);
  CHECK(r[1].failing[0] == "西苏木");
  CHECK(r[2].value == Approx(200.0 / 300));
  CHECK_FALSE(r[2].pass);
}

TEST_CASE("targets: facility counts by level, caravan visits, units reached, venue area", "[goals]") {
  Fixture fx;
  const core::Target ts[] = {target("facility_count", "education_base", "every_township", 1),
                             target("facility_count", "education_base", "banner", 1, "region"),
                             target("caravan_visits", "caravan", "every_township", 2),
                             target("units_reached_share", "caravan", "every_village", 0.6),
                             target("venue_area", "museum", "banner", 1000),
                             target("coverage_share", "education_base", "every_league", 0.5)};
  const auto r = analysis::evaluate_targets(ts, fx.inputs());
  CHECK(r[0].pass);  // one base in each township
  CHECK(r[1].pass);
  CHECK(r[1].value == 1);  // only one region-level base
  CHECK_FALSE(r[2].pass);  // 东苏木 3 visits, 西苏木 0
  CHECK(r[2].failing == std::vector<std::string>{"西苏木"});
  CHECK(r[3].value == Approx(2.0 / 3));
  CHECK(r[3].pass);
  CHECK(r[4].pass);
  CHECK(r[4].value == 1200);
  CHECK_FALSE(r[5].evaluated);  // no league level in a banner project
  CHECK(r[5].reason.find("every_league") != std::string::npos);
}

TEST_CASE("targets: the metric and scope tables name each enum once and parse back", "[goals]") {
  std::vector<std::string_view> names;
  for (const auto& m : core::metric_table()) {
    CHECK(core::metric_from_name(m.name) == m.metric);
    CHECK(core::metric_name(m.metric) == m.name);
    CHECK(!m.zh.empty());
    CHECK(!m.en.empty());
    names.push_back(m.name);
  }
  CHECK(names.size() == 8);
  for (const auto& s : core::scope_table()) {
    CHECK(core::scope_from_name(s.name) == s.scope);
    CHECK(core::scope_name(s.scope) == s.name);
    names.push_back(s.name);
  }
  CHECK(names.size() == 14);
  std::sort(names.begin(), names.end());
  CHECK(std::adjacent_find(names.begin(), names.end()) == names.end());
  CHECK_FALSE(core::metric_from_name("coverage").has_value());
  CHECK_FALSE(core::scope_from_name("total").has_value());
}

TEST_CASE("targets: access index and capacity coverage share", "[goals][access]") {
  Fixture fx;
  analysis::GoalInputs in;
  in.levels = fx.levels;
  in.coverage = &fx.cov;
  in.services = fx.services;
  analysis::AccessFigures af;
  af.facility = "education_base";
  af.relative = {{1.4, 0.9, 0.3}, {1.15, 0.3}, {1.0}};
  af.capacity_share = {{0.9, 0.5, 0.1}, {0.7, 0.1}, {0.5}};
  in.access.push_back(af);
  std::vector<core::Target> targets(3);
  targets[0].metric = core::Metric::AccessIndex;
  targets[0].facility = "education_base";
  targets[0].scope = core::Scope::EveryTownship;
  targets[0].threshold = 0.5;
  targets[1] = targets[0];
  targets[1].metric = core::Metric::CapacityCoverageShare;
  targets[1].scope = core::Scope::Banner;
  targets[1].threshold = 0.5;
  targets[2] = targets[0];
  targets[2].facility = "museum";
  const auto r = analysis::evaluate_targets(targets, in);
  REQUIRE(r[0].evaluated);
  CHECK(!r[0].pass);
  CHECK(r[0].value == Approx(0.3));
  CHECK(r[0].failing == std::vector<std::string>{"西苏木"});
  REQUIRE(r[1].evaluated);
  CHECK(r[1].pass);
  CHECK(r[1].value == Approx(0.5));
  CHECK(!r[2].evaluated);  // no access figures for museums
  CHECK(r[2].reason.find("museum") != std::string::npos);
}
