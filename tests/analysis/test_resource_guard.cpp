// The travel grid's resource guard (analysis/travel_project.hpp): the smallest cell size it
// suggests fits, the next smaller one does not.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "analysis/travel_project.hpp"
#include "core/resources.hpp"

using namespace kepumap;

TEST_CASE("resource guard: the travel grid's refusal names its size and a cell size that fits",
          "[analysis][resources]") {
  core::BBox ext;
  ext.add(core::Vec2{0, 0});
  ext.add(core::Vec2{2'222'000, 1'822'600});  // about all of Inner Mongolia
  const double limit_gb = 2.0;
  std::string msg;
  try {
    analysis::guard_travel_grid(ext, 100.0, limit_gb);
  } catch (const core::ResourceError& e) {
    msg = e.what();
  }
  INFO(msg);
  REQUIRE(!msg.empty());
  CHECK(msg.find("the travel grid at 100 m is 22,221 × 18,227 cells and needs about 19 GB") !=
        std::string::npos);
  CHECK(msg.find("the memory limit is 2 GB ([limits] memory_gb in project.toml)") != std::string::npos);
  const auto at = msg.find("use cell_size_m ≥ ");
  REQUIRE(at != std::string::npos);
  const double k = std::stod(msg.substr(at + std::string("use cell_size_m ≥ ").size()));
  CHECK(msg.substr(msg.size() - std::string(" or a smaller extent").size()) == " or a smaller extent");
  auto bytes = [&](double c) {
    return (std::ceil(ext.width() / c) + 1) * (std::ceil(ext.height() / c) + 1) *
           analysis::TRAVEL_BYTES_PER_CELL;
  };
  CHECK(bytes(k) <= limit_gb * 1e9);
  CHECK(bytes(k - 10) > limit_gb * 1e9);
  CHECK_NOTHROW(analysis::guard_travel_grid(ext, k, limit_gb));
}
