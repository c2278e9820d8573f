// libFuzzer target: the OSM `other_tags` hstore parser (core/hstore.cpp) must never crash; what
// it parses formats back to text it parses to the same pairs, and hstore_get agrees with it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/hstore.hpp"

namespace {

void require(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kepumap::core;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::pair<std::string, std::string>> pairs;
  const bool complete = parse_hstore(text, pairs);
  // Round trip: the pairs read (complete or not) survive format -> parse unchanged.
  std::vector<std::pair<std::string, std::string>> again;
  require(parse_hstore(format_hstore(pairs), again));
  require(again == pairs);
  // hstore_get returns the first value of a key that was read (an empty key is never looked up).
  if (!pairs.empty() && !pairs.front().first.empty()) {
    const auto& key = pairs.front().first;
    const auto v = hstore_get(text, key);
    require(v.has_value() && *v == pairs.front().second);
  }
  if (complete && size > 0) {
    // Any key of a complete list is found, with its first value.
    for (const auto& [k, val] : pairs) {
      if (k.empty()) continue;
      std::string first;
      for (const auto& [k2, v2] : pairs)
        if (k2 == k) {
          first = v2;
          break;
        }
      const auto v = hstore_get(text, k);
      require(v.has_value() && *v == first);
    }
  }
  return 0;
}
