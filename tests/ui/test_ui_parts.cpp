// The GL-free parts of the app.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "core/geometry.hpp"
#include "ui/i18n.hpp"
#include "ui/script.hpp"
#include "ui/settings.hpp"
#include "ui/ui_layer.hpp"

using namespace kepumap;

TEST_CASE("script: commands parsed, every bad line reported with its number", "[ui][script]") {
  std::vector<std::string> errors;
  auto cmds = ui::parse_script(
      "# test\npan 10 -5\nzoom 2\nzoom 1.5 100 200\nselect 3 4  # click\nwait 3\n"
      "set_language en\nload_layer a.geojson museum\nfit all\nhide roads\n",
      "t.txt", errors);
  CHECK(errors.empty());
  REQUIRE(cmds.size() == 9);
  CHECK(cmds[0].verb == "pan");
  CHECK(cmds[0].args == std::vector<std::string>{"10", "-5"});
  CHECK(cmds[3].line == 5);
  cmds = ui::parse_script("pan 1\nfly 2 3\nzoom x\nzoom 2 3\nset_language fr\nwait 2\n", "t.txt", errors);
  REQUIRE(errors.size() == 5);
  CHECK(errors[0] == "t.txt:1: pan: wrong number of arguments");
  CHECK(errors[1] == "t.txt:2: unknown command 'fly'");
  CHECK(errors[2] == "t.txt:3: zoom: 'x' is not a number");
  CHECK(errors[3] == "t.txt:4: zoom: wrong number of arguments");
  CHECK(errors[4] == "t.txt:5: set_language: use en or zh");
  CHECK(cmds.size() == 1);
}

TEST_CASE("settings: written atomically and read back", "[ui][settings]") {
  auto dir = std::filesystem::temp_directory_path() / ("kepumap_settings_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  ui::Settings s;
  s.set("window.w", 1234);
  s.set("view./a b/p.toml", std::string("1.5 -2 300"));
  s.set("panel.legend", false);
  s.set("scale", 0.125);
  REQUIRE(ui::save_settings(s, dir / "sub" / "settings.ini"));
  auto r = ui::load_settings(dir / "sub" / "settings.ini");
  CHECK(r.get_int("window.w", 0) == 1234);
  CHECK(r.get("view./a b/p.toml") == std::optional<std::string>("1.5 -2 300"));
  CHECK_FALSE(r.get_bool("panel.legend", true));
  CHECK(r.get_double("scale", 0) == 0.125);
  CHECK(r.get_int("missing", 7) == 7);
  std::size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir / "sub")) files += e.is_regular_file();
  CHECK(files == 1);  // no temporary left behind
  std::filesystem::remove_all(dir);
}

TEST_CASE("config folder follows XDG_CONFIG_HOME", "[ui][settings]") {
  ::setenv("XDG_CONFIG_HOME", "/tmp/xdg_test", 1);
  CHECK(ui::config_dir() == std::filesystem::path("/tmp/xdg_test/kepumap"));
}

TEST_CASE("i18n: Chinese by default, English after the switch, every string translated", "[ui][i18n]") {
  ui::set_language(ui::Lang::Zh);
  CHECK(std::string(ui::tr("Layers")) == "图层");
  CHECK(std::string(ui::role_label(core::Role::Banner)) == "旗县");
  ui::set_language(ui::Lang::En);
  CHECK(std::string(ui::tr("Layers")) == "Layers");
  CHECK(ui::tr_id("Legend") == "Legend###Legend");
  ui::set_language(ui::Lang::Zh);
  CHECK(ui::tr_id("Legend") == "图例###Legend");
  auto all = ui::all_ui_strings();
  REQUIRE(all.size() % 2 == 0);
  for (std::size_t i = 0; i < all.size(); i += 2) {
    INFO(all[i]);
    bool ascii_only = true;
    for (unsigned char c : all[i + 1]) ascii_only = ascii_only && c < 0x80;
    // every Chinese string has Chinese characters, except names that stay as they are
    if (all[i] != "English") CHECK_FALSE(ascii_only);
  }
  ui::begin_recording();
  ui::tr("Inspector");
  auto rec = ui::end_recording();
  CHECK(rec.count("属性查看") == 1);
}

TEST_CASE("label anchor lies inside concave polygons and outside their holes", "[ui][labels]") {
  // a U shape: the centroid of the outline is in the notch
  core::Geometries g;
  g.kind = core::GeomKind::Polygon;
  std::vector<core::Vec2> u{{0, 0}, {10, 0}, {10, 10}, {7, 10}, {7, 2}, {3, 2}, {3, 10}, {0, 10}, {0, 0}};
  g.add_ring(u);
  g.end_part();
  g.end_feature();
  core::Vec2 p = ui::interior_point(g, 0);
  CHECK(core::feature_contains(g, 0, p));
  // a square with a hole in the middle
  core::Geometries h;
  h.kind = core::GeomKind::Polygon;
  std::vector<core::Vec2> outer{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}};
  std::vector<core::Vec2> hole{{2, 2}, {2, 8}, {8, 8}, {8, 2}, {2, 2}};
  h.add_ring(outer);
  h.add_ring(hole);
  h.end_part();
  h.end_feature();
  p = ui::interior_point(h, 0);
  CHECK(core::feature_contains(h, 0, p));
  CHECK(ui::distance_to_feature(h, 0, {5, 5}) == Approx(3.0));
}
