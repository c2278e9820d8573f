#pragma once
// Tag rules on road lines ("surface=unpaved", "winter_road=yes", "ford=*"), used by [travel] and
// [[scenario]] closed_tags / open_tags / tag_speeds. Plain std.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kepumap::core {

/// The tags kepumap reads from road lines (attributes of that name, or OSM `other_tags`).
const std::vector<std::string_view>& road_tag_keys();

/// A tag rule "key=value", "key=v1|v2" or "key=*" (any non-empty value); values compare ignoring
/// ASCII case and surrounding spaces.
struct TagRule {
  std::string key;
  std::vector<std::string> values;  ///< lower case; {"*"} = any non-empty value
  bool matches(std::string_view value) const;
};

/// Parses a tag rule; nullopt with `why` filled if it is not "key=value" with a known key.
std::optional<TagRule> parse_tag_rule(std::string_view text, std::string* why = nullptr);

}  // namespace kepumap::core
