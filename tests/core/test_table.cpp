#include <catch2/catch.hpp>

#include "core/diagnostics.hpp"
#include "core/project.hpp"
#include "core/table.hpp"

using namespace kepumap::core;

TEST_CASE("typed columns convert and keep NULLs", "[core]") {
  Table t;
  const int pop = t.add_column("人口", FieldType::Integer);
  const int name = t.add_column("名称", FieldType::Text);
  t.columns[pop].push_int(1200);
  t.columns[name].push_text("查干淖尔镇");
  t.columns[pop].push_text("not a number");  // becomes NULL in an integer column
  t.columns[name].push_null();
  REQUIRE(t.row_count() == 2);
  CHECK(t.find("人口") == pop);
  CHECK(t.find("missing") == -1);
  CHECK(t.columns[pop].number(0).value() == 1200.0);
  CHECK_FALSE(t.columns[pop].number(1).has_value());
  CHECK(t.columns[name].text(0) == "查干淖尔镇");
  CHECK(t.columns[name].is_null(1));
  // A column added later is NULL for existing rows.
  const int lvl = t.add_column("level", FieldType::Real);
  CHECK(t.columns[lvl].size() == 2);
  CHECK(t.columns[lvl].is_null(0));
}

TEST_CASE("roles round-trip through their project-file names", "[core]") {
  for (Role r : all_roles()) CHECK(role_from_name(role_name(r)) == r);
  CHECK_FALSE(role_from_name("educationbase").has_value());
}

TEST_CASE("a problem prints as one line naming file, layer, feature and field", "[core]") {
  Problem p;
  p.file = "roads.shp";
  p.layer = "roads";
  p.feature = 12;
  p.field = "speed";
  p.what = "not a number: 'fast'";
  CHECK(p.to_line() == "error: roads.shp: layer roads: feature 12: field speed: not a number: 'fast'");
}
