// [[basemap]] in project.toml: parsed with every key, bad values one line with the line number,
// and written back by edit_project_basemaps so that load -> save -> load is identical.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "io/project.hpp"
#include "io/project_basemaps.hpp"

using namespace kepumap;

namespace {

const char* k_text = R"([project]
name = "底图"

[[basemap]]
name = "hillshade"
title = "山体阴影"
source = "hillshade.mbtiles"
opacity = 0.6

# the online one
[[basemap]]
name = "osm"
source = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
visible = false
cache = "tiles"

[[basemap]]
name = "amap"
kind = "xyz"
source = "https://webrd01.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}"
shift = "gcj02"
attribution = "© 高德地图"

[[basemap]]
name = "tdt"
kind = "tianditu"
source = "vec"
key = "abc"
)";

core::ProjectConfig parse(const std::string& text, core::Diagnostics& d) {
  return io::parse_project(text, "/tmp/p/project.toml", d);
}

bool same(const core::BasemapSpec& a, const core::BasemapSpec& b) {
  return a.name == b.name && a.title == b.title && a.source == b.source && a.kind == b.kind &&
         a.key == b.key && a.shift == b.shift && a.opacity == b.opacity && a.visible == b.visible &&
         a.attribution == b.attribution && a.cache == b.cache;
}

}  // namespace

TEST_CASE("project: [[basemap]] entries parse with every key", "[io][project][basemap]") {
  core::Diagnostics d;
  const auto cfg = parse(k_text, d);
  INFO((d.problems.empty() ? std::string() : d.problems.front().to_line()));
  REQUIRE(!d.has_errors());
  REQUIRE(cfg.basemaps.size() == 4);
  CHECK(cfg.basemaps[0].title == "山体阴影");
  CHECK(cfg.basemaps[0].opacity == 0.6);
  CHECK(cfg.basemaps[0].line == 4);
  CHECK(cfg.basemaps[1].visible == false);
  CHECK(cfg.basemaps[1].cache == "tiles");
  CHECK(cfg.basemaps[2].shift == "gcj02");
  CHECK(cfg.basemaps[3].kind == "tianditu");
  CHECK(cfg.basemaps[3].key == "abc");
}

TEST_CASE("project: bad [[basemap]] values are one line each with the line number",
          "[io][project][basemap]") {
  struct Case {
    const char* entry;
    const char* says;
    int line;
  };
  const Case cases[] = {
      {"name = \"a\"\nsource = \"x.tif\"\nopacity = 1.5\n", "opacity", 7},
      {"name = \"a\"\nsource = \"x.tif\"\nkind = \"wmts\"\n", "basemap kind", 7},
      {"name = \"a\"\nsource = \"x.tif\"\nshift = \"bd09\"\n", "basemap shift", 7},
      {"name = \"a\"\nsource = \"https://t.example/{z}/{x}.png\"\n", "lacks {y}", 6},
      {"name = \"a\"\nsource = \"ftp://t.example/{z}/{x}/{y}.png\"\n", "scheme", 6},
      {"name = \"a\"\nkind = \"tianditu\"\nsource = \"roads\"\n", "天地图", 7},
      {"name = \"a\"\nsourc = \"x.tif\"\n", "did you mean 'source'", 6},
      {"name = \"a\"\nsource = \"x.tif\"\nvisible = \"yes\"\n", "true or false", 7},
  };
  for (const auto& c : cases) {
    core::Diagnostics d;
    parse(std::string("[project]\nname = \"x\"\n\n[[basemap]]\n") + c.entry, d);
    INFO(c.entry);
    REQUIRE(d.has_errors());
    const auto it = std::find_if(d.problems.begin(), d.problems.end(), [&](const core::Problem& p) {
      return p.to_line().find(c.says) != std::string::npos;
    });
    REQUIRE(it != d.problems.end());
    const std::string line = it->to_line();
    INFO(line);
    CHECK(it->line == c.line);
    CHECK(line.find('\n') == std::string::npos);
  }
  core::Diagnostics d;
  parse(
      "[project]\nname = \"x\"\n[[basemap]]\nname = \"a\"\nsource = \"x.tif\"\n[[basemap]]\nname = "
      "\"a\"\nsource = \"y.tif\"\n",
      d);
  REQUIRE(d.has_errors());
  CHECK(d.problems.front().to_line().find("used twice") != std::string::npos);
}

TEST_CASE("project: [[basemap]] entries survive load, save, load", "[io][project][basemap]") {
  core::Diagnostics d;
  const auto cfg = parse(k_text, d);
  REQUIRE(!d.has_errors());
  // nothing changed: the text stays as it is, comments included
  CHECK(io::edit_project_basemaps(k_text, cfg, cfg.basemaps) == k_text);
  // switched, another opacity, one added
  auto bms = cfg.basemaps;
  bms[0].opacity = 0.35;
  bms[1].visible = true;
  core::BasemapSpec added;
  added.name = "local";
  added.source = "/data/tiles/{z}/{x}/{y}.png";
  added.title = "本地瓦片";
  added.opacity = 0.5;
  bms.push_back(added);
  const std::string saved = io::edit_project_basemaps(k_text, cfg, bms);
  CHECK(saved.find("# the online one") != std::string::npos);
  core::Diagnostics d2;
  const auto again = parse(saved, d2);
  INFO(saved);
  REQUIRE(!d2.has_errors());
  REQUIRE(again.basemaps.size() == bms.size());
  for (std::size_t i = 0; i < bms.size(); ++i) {
    INFO(i);
    CHECK(same(again.basemaps[i], bms[i]));
  }
  // and saving what was loaded again changes nothing
  CHECK(io::edit_project_basemaps(saved, again, again.basemaps) == saved);
}
