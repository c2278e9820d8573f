// The panel layout's plain parts (ui/layout.hpp): stacked columns never overlap and stay between
// the bars, shrinking to the minimum and then spilling into a further column; imgui.ini text kept
// inside the window; nothing written from a minimised window.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "ui/layout.hpp"

using namespace kepumap::ui;

namespace {

bool overlap(const PanelRect& a, const PanelRect& b) {
  return a.x < b.right() && b.x < a.right() && a.y < b.bottom() && b.y < a.bottom();
}

void check_column(const std::vector<PanelRect>& r, float top, float bottom, float x0, float x1) {
  for (std::size_t i = 0; i < r.size(); ++i) {
    INFO("panel " << i);
    CHECK(r[i].y >= top);
    CHECK(r[i].bottom() <= bottom + 0.01f);
    CHECK(r[i].x >= x0);
    CHECK(r[i].right() <= x1 + 0.01f);
    CHECK(r[i].h >= std::min(k_min_panel_h, bottom - top) - 0.01f);
    for (std::size_t j = i + 1; j < r.size(); ++j) CHECK_FALSE(overlap(r[i], r[j]));
  }
}

}  // namespace

TEST_CASE("layout: stacked panels keep their preferred heights when they fit", "[ui][layout]") {
  const auto r = stack_column({{300, 200}, {300, 150}}, 10, 300, 24, 776, 1);
  REQUIRE(r.size() == 2);
  CHECK(r[0].h == Approx(200));
  CHECK(r[1].h == Approx(150));
  CHECK(r[1].y == Approx(r[0].bottom() + k_panel_gap));
  check_column(r, 24, 776, 10, 310);
}

TEST_CASE("layout: a stretching panel takes what is left of the column", "[ui][layout]") {
  const auto r = stack_column({{340, 300}, {250, 0}}, 900, 340, 24, 776, -1);
  REQUIRE(r.size() == 2);
  CHECK(r[1].bottom() == Approx(776 - k_panel_gap));
  check_column(r, 24, 776, 900, 1240);
}

TEST_CASE("layout: too many panels shrink, then spill into a column further in", "[ui][layout]") {
  const std::vector<ColumnItem> five = {{340, 360}, {250, 0}, {460, 560}, {450, 620}, {560, 0}};
  const auto shrunk = stack_column(five, 860, 410, 24, 776, -1);
  REQUIRE(shrunk.size() == 5);
  check_column(shrunk, 24, 776, 860, 1270);
  // the heights add up to the column
  CHECK(shrunk.back().bottom() == Approx(776 - k_panel_gap));
  // a low window: the panels that do not fit at the minimum height go one column to the left
  const auto spilled = stack_column(five, 860, 410, 24, 400, -1);
  REQUIRE(spilled.size() == 5);
  check_column(spilled, 24, 400, 860 - 2 * (410 + k_panel_gap), 1270);
  CHECK(spilled.back().x < 860);
}

TEST_CASE("layout: a rectangle is kept inside a box, shrunk when bigger", "[ui][layout]") {
  const PanelRect a = keep_inside({1200, 700, 300, 200}, 0, 24, 1000, 600);
  CHECK(a.right() == Approx(1000));
  CHECK(a.bottom() == Approx(600));
  const PanelRect b = keep_inside({-50, 0, 2000, 100}, 0, 24, 1000, 600);
  CHECK(b.x == Approx(0));
  CHECK(b.y == Approx(24));
  CHECK(b.w == Approx(1000));
}

TEST_CASE("layout: imgui.ini windows kept inside the window, nothing from a minimised one", "[ui][layout]") {
  const std::string ini =
      "[Window][Layers]\nPos=1500,900\nSize=320,440\nCollapsed=0\n\n[Window][Legend]\nPos=0,0\nSize=250,300\n"
      "Collapsed=0\n\n[Table][0x1234,2]\nColumn 0  Weight=1.0000\n";
  const std::string out = sanitize_ini(ini, 1280, 800, 24);
  CHECK(out.find("[Window][Layers]\nPos=960,360\nSize=320,440\n") != std::string::npos);
  CHECK(out.find("[Window][Legend]\nPos=0,24\nSize=250,300\n") != std::string::npos);
  CHECK(out.find("[Table][0x1234,2]\nColumn 0  Weight=1.0000\n") != std::string::npos);
  CHECK(sanitize_ini(ini, 0, 0, 24).empty());
}

TEST_CASE("layout: with no room for another column the last one takes every panel left", "[ui][layout]") {
  const std::vector<ColumnItem> five = {{340, 360}, {250, 0}, {460, 560}, {450, 620}, {560, 0}};
  const auto r = stack_column(five, 860, 410, 24, 300, -1, 1);
  REQUIRE(r.size() == 5);
  for (std::size_t i = 0; i < r.size(); ++i) {
    INFO("panel " << i);
    CHECK(r[i].x == Approx(860));
    CHECK(r[i].y >= 24);
    CHECK(r[i].bottom() <= 300.01f);
    for (std::size_t j = i + 1; j < r.size(); ++j) CHECK_FALSE(overlap(r[i], r[j]));
  }
}
