#include "core/road_tags.hpp"

#include <algorithm>
#include "core/ascii.hpp"

namespace kepumap::core {

namespace {

std::string_view trim(std::string_view s) { return trim_blanks(s); }

}  // namespace

const std::vector<std::string_view>& road_tag_keys() {
  static const std::vector<std::string_view> keys = {
      "highway", "tracktype", "surface", "smoothness",    "seasonal", "winter_road", "ice_road", "ford",
      "bridge",  "tunnel",    "access",  "motor_vehicle", "maxspeed", "oneway",      "junction"};
  return keys;
}

bool TagRule::matches(std::string_view value) const {
  const auto v = lower_ascii(trim(value));
  if (v.empty()) return false;
  for (const auto& w : values)
    if (w == "*" || w == v) return true;
  return false;
}

std::optional<TagRule> parse_tag_rule(std::string_view text, std::string* why) {
  auto fail = [&](std::string w) -> std::optional<TagRule> {
    if (why) *why = std::move(w);
    return std::nullopt;
  };
  const auto eq = text.find('=');
  if (eq == std::string_view::npos) return fail("not key=value");
  TagRule r;
  r.key = lower_ascii(trim(text.substr(0, eq)));
  const auto& keys = road_tag_keys();
  if (std::find(keys.begin(), keys.end(), r.key) == keys.end()) return fail("unknown tag '" + r.key + "'");
  std::string_view vals = text.substr(eq + 1);
  while (true) {
    const auto bar = vals.find('|');
    const auto one = lower_ascii(trim(vals.substr(0, bar)));
    if (one.empty()) return fail("empty value");
    r.values.push_back(one);
    if (bar == std::string_view::npos) break;
    vals.remove_prefix(bar + 1);
  }
  return r;
}

}  // namespace kepumap::core
