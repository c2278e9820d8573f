// libFuzzer target: coordinate parsing and text conversion must never crash; results stay in
// range and conversions always give valid UTF-8.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "io/text.hpp"

namespace {

void require(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kepumap::io;
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  for (Axis axis : {Axis::Unknown, Axis::Longitude, Axis::Latitude}) {
    std::string error;
    const auto v = parse_coordinate(text, axis, &error);
    if (v) {
      require(std::isfinite(*v) && std::abs(*v) <= 180.0);
      if (axis == Axis::Latitude) require(std::abs(*v) <= 90.0);
    } else {
      require(!error.empty());
    }
  }
  std::string error;
  const auto parts = parse_coordinate_parts(text, &error);
  if (parts) {
    require(std::isfinite(parts->degrees) && std::abs(parts->degrees) <= 180.0);
    if (parts->hemisphere == Axis::Latitude) require(std::abs(parts->degrees) <= 90.0);
  }

  // Decoding always yields valid UTF-8, whatever the bytes.
  const std::string enc = detect_encoding(text);
  require(enc == "UTF-8" || enc == "UTF-16" || enc == "GB18030");
  for (const char* e : {"UTF-8", "GB18030", "UTF-16"}) {
    std::size_t replaced = 0;
    const std::string u = to_utf8(text, e, &replaced);
    require(is_valid_utf8(u));
    if (std::string_view(e) == "UTF-8" && is_valid_utf8(text)) require(replaced == 0);
    const std::string n = normalize_fullwidth(u);
    require(is_valid_utf8(n) && n.size() <= u.size());
  }
  return 0;
}
