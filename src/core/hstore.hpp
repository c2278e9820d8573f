#pragma once
// hstore-style "key"=>"value" lists, as GDAL's OSM driver writes the tags it has no column for
// into `other_tags`. Plain std; never throws on bad input (it is fuzzed: tests/io/fuzz).
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kepumap::core {

/// Parses `"k1"=>"v1","k2"=>"v2"` (quoted with backslash escapes, or bare words; `NULL` as a
/// bare value is an empty value; spaces around tokens ignored). Pairs parsed before a syntax
/// error are kept in `out`; returns false if the text is not a complete hstore list.
bool parse_hstore(std::string_view text, std::vector<std::pair<std::string, std::string>>& out);

/// The value of `key` in an hstore list (first occurrence; exact key), nullopt if absent.
/// Reads only as far as needed; a malformed list gives what was read before the error.
std::optional<std::string> hstore_get(std::string_view text, std::string_view key);

/// Writes pairs as an hstore list (`"k"=>"v"`, quotes and backslashes escaped) that
/// parse_hstore reads back to the same pairs.
std::string format_hstore(const std::vector<std::pair<std::string, std::string>>& pairs);

}  // namespace kepumap::core
