// Seats of units (io::place_people): the seat mapping (join by code, lon/lat fields), the
// largest town or village point inside, a point inside the polygon; bad seat joins and text
// population fields are one error naming layer, feature and field.
#include <catch2/catch.hpp>

#include "core/document.hpp"
#include "geo/crs.hpp"
#include "io/people.hpp"

using namespace kepumap;

namespace {

core::Geometries polygon(std::vector<core::Vec2> ring) {
  core::Geometries g;
  g.kind = core::GeomKind::Polygon;
  ring.push_back(ring.front());
  g.add_ring(ring);
  g.end_part();
  g.end_feature();
  return g;
}

// A U-shaped township whose centroid (15, 13.6) km lies in the notch, outside it.
core::Layer u_township() {
  core::Layer l;
  l.name = "townships";
  l.role = core::Role::Township;
  l.geom = polygon({{0, 0},
                    {30'000, 0},
                    {30'000, 30'000},
                    {20'000, 30'000},
                    {20'000, 10'000},
                    {10'000, 10'000},
                    {10'000, 30'000},
                    {0, 30'000}});
  l.fields.code = "code";
  const int c = l.attrs.add_column("code", core::FieldType::Text);
  l.attrs.columns[static_cast<std::size_t>(c)].push_text("150001");
  l.source_index = {0};
  return l;
}

core::Layer points(std::string name, core::Role role, const std::vector<core::Vec2>& pts,
                   const std::vector<std::string>& codes, const std::vector<double>& people) {
  core::Layer l;
  l.name = std::move(name);
  l.role = role;
  l.geom.kind = core::GeomKind::Point;
  for (auto p : pts) l.geom.add_point_feature(p);
  l.fields.code = "code";
  const int cc = l.attrs.add_column("code", core::FieldType::Text);
  for (const auto& c : codes) l.attrs.columns[static_cast<std::size_t>(cc)].push_text(c);
  if (!people.empty()) {
    l.fields.population = "pop";
    auto& col = l.attrs.columns[static_cast<std::size_t>(l.attrs.add_column("pop", core::FieldType::Real))];
    col.reals = people;
    col.null.assign(people.size(), 0);
  }
  for (std::size_t i = 0; i < pts.size(); ++i) l.source_index.push_back(static_cast<long long>(i));
  return l;
}

core::Document doc_with(std::vector<core::Layer> layers) {
  core::Document d;
  d.config.file = "test/project.toml";
  d.analysis_crs = "+proj=aea +lat_0=43 +lon_0=115 +lat_1=42 +lat_2=44 +ellps=WGS84 +units=m +no_defs";
  for (auto& l : layers) {
    core::LayerSpec s;
    s.name = l.name;
    s.role = l.role;
    d.config.layers.push_back(s);
    d.layers.push_back(std::move(l));
  }
  return d;
}

std::string errors(const core::Diagnostics& d) {
  std::string s;
  for (const auto& p : d.problems)
    if (p.severity == core::Severity::Error) s += p.to_line() + "\n";
  return s;
}

}  // namespace

TEST_CASE("seats: a point inside the unit, never the centroid in the notch", "[people][seat]") {
  auto doc = doc_with({u_township()});
  const core::Vec2 centroid = core::feature_centroid(doc.layers[0].geom, 0);
  REQUIRE_FALSE(core::feature_contains(doc.layers[0].geom, 0, centroid));  // the case this is about
  io::place_people(doc);
  REQUIRE(errors(doc.diagnostics).empty());
  const auto& u = doc.layers[0];
  REQUIRE(u.seats.size() == 1);
  CHECK(core::feature_contains(u.geom, 0, u.seats[0]));
  CHECK(u.seat_from[0] == core::Layer::SeatFrom::Inside);
}

TEST_CASE("seats: the largest town or village point inside the unit", "[people][seat]") {
  // 9000 people outside the unit (in the notch), 500 and 100 inside: the 500 wins.
  auto doc = doc_with(
      {u_township(), points("towns", core::Role::Town, {{15'000, 20'000}, {5000, 25'000}, {25'000, 5000}},
                            {"x", "y", "z"}, {9000, 100, 500})});
  io::place_people(doc);
  REQUIRE(errors(doc.diagnostics).empty());
  const auto& u = doc.layers[0];
  CHECK(u.seats[0].x == 25'000);
  CHECK(u.seats[0].y == 5000);
  CHECK(u.seat_from[0] == core::Layer::SeatFrom::Point);
}

TEST_CASE("seats: joined by code from a point layer, a join that matches nothing is an error",
          "[people][seat]") {
  auto doc = doc_with({u_township(), points("seats", core::Role::Other, {{2000, 2000}, {28'000, 28'000}},
                                            {"150002", "150001"}, {})});
  doc.config.layers[0].seat.layer = "seats";
  doc.config.layers[0].seat.by = "code";
  io::place_people(doc);
  REQUIRE(errors(doc.diagnostics).empty());
  CHECK(doc.layers[0].seats[0].x == 28'000);
  CHECK(doc.layers[0].seat_from[0] == core::Layer::SeatFrom::Mapped);

  auto bad = doc_with({u_township(), points("seats", core::Role::Other, {{2000, 2000}}, {"999"}, {})});
  bad.config.layers[0].seat.layer = "seats";
  bad.config.layers[0].seat.by = "code";
  io::place_people(bad);
  const std::string e = errors(bad.diagnostics);
  CHECK(e.find("layer townships") != std::string::npos);
  CHECK(e.find("feature 0") != std::string::npos);
  CHECK(e.find("field code") != std::string::npos);
  CHECK(e.find("matches nothing") != std::string::npos);
  CHECK(std::count(e.begin(), e.end(), '\n') == 1);  // one line

  auto nolayer = doc_with({u_township()});
  nolayer.config.layers[0].seat.layer = "nowhere";
  nolayer.config.layers[0].seat.by = "name";
  io::place_people(nolayer);
  CHECK(errors(nolayer.diagnostics).find("'nowhere'") != std::string::npos);
}

TEST_CASE("seats: from lon/lat fields in WGS84 degrees", "[people][seat]") {
  auto doc = doc_with({u_township()});
  auto& u = doc.layers[0];
  // Put the unit around 115E 43N in the analysis CRS and give its seat in degrees.
  const geo::Transform tr("EPSG:4326", doc.analysis_crs);
  const core::Vec2 o = tr.apply(core::Vec2{115.0, 43.0});
  for (auto& p : u.geom.coords) p = {p.x + o.x, p.y + o.y};
  const core::Vec2 seat_m{o.x + 25'000, o.y + 25'000};
  const core::Vec2 seat_deg = tr.apply_inverse(seat_m);
  u.attrs.add_column("seat_lon", core::FieldType::Real);
  u.attrs.add_column("seat_lat", core::FieldType::Text);
  u.attrs.columns[1].reals[0] = seat_deg.x;
  u.attrs.columns[1].null[0] = 0;
  u.attrs.columns[2].texts[0] = std::to_string(seat_deg.y);
  u.attrs.columns[2].null[0] = 0;
  doc.config.layers[0].seat.lon = "seat_lon";
  doc.config.layers[0].seat.lat = "seat_lat";
  io::place_people(doc);
  REQUIRE(errors(doc.diagnostics).empty());
  CHECK(u.seats[0].x == Approx(seat_m.x).margin(1.0));
  CHECK(u.seats[0].y == Approx(seat_m.y).margin(1.0));

  u.attrs.columns[2].texts[0] = "north";
  core::Document again = doc;
  again.diagnostics = {};
  io::place_people(again);
  const std::string e = errors(again.diagnostics);
  CHECK(e.find("field seat_lat") != std::string::npos);
  CHECK(e.find("'north'") != std::string::npos);
}

TEST_CASE("a population field holding text is one error naming the feature and field", "[people]") {
  auto l = points("villages", core::Role::Village, {{1000, 1000}, {2000, 2000}}, {"a", "b"}, {});
  l.fields.population = "people";
  auto& col = l.attrs.columns[static_cast<std::size_t>(l.attrs.add_column("people", core::FieldType::Text))];
  col.texts = {"120", "约 300"};
  col.null = {0, 0};
  l.report.source = "villages.csv";
  auto doc = doc_with({std::move(l)});
  io::place_people(doc);
  const std::string e = errors(doc.diagnostics);
  CHECK(e.find("villages.csv") != std::string::npos);
  CHECK(e.find("layer villages") != std::string::npos);
  CHECK(e.find("feature 1") != std::string::npos);
  CHECK(e.find("field people") != std::string::npos);
  CHECK(std::count(e.begin(), e.end(), '\n') == 1);
}
