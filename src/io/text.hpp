#pragma once
// Text as offices keep it: encodings (UTF-8, GB18030/GBK, BIG5, UTF-16), full-width characters,
// and coordinates written as decimal degrees or degrees-minutes-seconds.
// std and glibc iconv only: no GDAL here, so the fuzz targets can build this file alone.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace kepumap::io {

/// True if `bytes` is well-formed UTF-8 (no overlong forms, no surrogates, nothing past U+10FFFF).
/// A leading byte-order mark is allowed. The empty string is valid.
bool is_valid_utf8(std::string_view bytes);

/// Guesses the encoding of a text sample (a whole file or its first bytes): "UTF-8" for a UTF-8
/// byte-order mark or well-formed UTF-8 (a sequence cut off at the very end of the sample is
/// allowed), "UTF-16" for a UTF-16 byte-order mark, otherwise "GB18030" (which also decodes GBK
/// and GB2312, what Chinese offices' software writes when it does not write UTF-8).
std::string detect_encoding(std::string_view sample);

/// The iconv name used to decode `encoding` as written in a project file or a .cpg file:
/// trimmed and upper-cased; "UTF8"/"UTF-8-SIG"/"65001" become "UTF-8"; "GBK", "GB2312", "EUC-CN",
/// "CP936", "936" become "GB18030" (their superset); "BIG-5"/"CP950" become "BIG5".
/// Other names are returned upper-cased for iconv to judge.
std::string canonical_encoding(std::string_view encoding);

/// Converts `bytes` in `encoding` (any name iconv knows, see canonical_encoding) to UTF-8.
/// A leading byte-order mark is removed. Byte sequences that are not valid in the encoding become
/// U+FFFD; their number is added to `*replaced` when it is given.
/// Throws std::invalid_argument if iconv does not know the encoding.
std::string to_utf8(std::string_view bytes, const std::string& encoding, std::size_t* replaced = nullptr);

/// UTF-8 text with full-width forms made ASCII: U+FF01..U+FF5E (０-９, Ａ-Ｚ, ．，－＋：；（）…)
/// become U+0021..U+007E and the ideographic space U+3000 a space. Everything else (including
/// invalid bytes) is copied unchanged.
std::string normalize_fullwidth(std::string_view utf8);

/// Which coordinate a value is, or is expected to be.
enum class Axis : std::uint8_t { Unknown, Longitude, Latitude };

/// A coordinate read from text, before range checks against an expected axis.
struct ParsedCoordinate {
  double degrees = 0.0;             ///< signed decimal degrees (south and west negative)
  Axis hemisphere = Axis::Unknown;  ///< Longitude for E/W/东经/西经, Latitude for N/S/北纬/南纬, else Unknown
};

/// Reads one coordinate from UTF-8 text without knowing its axis. Accepts decimal degrees
/// ("114.958", "-3.5"), degrees-minutes-seconds with marks ("114°57′30″", "114°57'30\"",
/// "114度57分30秒", "114°57.5′") or separated by spaces or colons ("114 57 30", "114:57:30"),
/// full-width digits and punctuation, and a hemisphere before or after the number (E, W, N, S in
/// either case, 东经, 西经, 北纬, 南纬, 东, 西, 北, 南). Rejects minutes or seconds of 60 or more,
/// a fraction on a component that is not the last, a sign together with a hemisphere, more than
/// 180 degrees (more than 90 with N/S). On failure returns nullopt and, if `error` is given,
/// stores the reason (Chinese, then English in parentheses).
std::optional<ParsedCoordinate> parse_coordinate_parts(std::string_view text, std::string* error);

/// Reads one coordinate (see parse_coordinate_parts) as decimal degrees and checks it against the
/// expected axis `hint`: |longitude| <= 180, |latitude| <= 90, and a hemisphere letter must match
/// the axis (N/S is a latitude). With Axis::Unknown the hemisphere decides, else the 180 limit.
/// On failure returns nullopt and stores the reason in `*error` if given.
std::optional<double> parse_coordinate(std::string_view text, Axis hint, std::string* error);

/// The pinyin initials of UTF-8 text, lower case, for finding a place by them ("阿巴嘎旗" ->
/// "abgq", "别力古台镇" -> "blgtz"): each Chinese character of GB2312's first level (the 3,755
/// common ones, which that standard orders by pinyin) gives its initial letter; ASCII letters and
/// digits are kept (lower-cased); other characters (the rarer second level, punctuation, spaces)
/// give nothing. A character with two readings gives the one GB2312 files it under.
std::string pinyin_initials(std::string_view utf8);

/// Two coordinates typed in one line, as a place to go to: "114.95, 44.02", "114°57′E 44°01′N",
/// "东经114度57分，北纬44度1分" (each as parse_coordinate_parts reads it, separated by a comma, a
/// full-width comma, a semicolon or spaces). The hemispheres say which is which; without them the
/// first is the longitude, unless only the second can be one (|first| <= 90 < |second|: "44.02,
/// 114.95" as a map site writes it). Returns {lon, lat}, or nullopt with the reason in `*error`.
std::optional<std::pair<double, double>> parse_lon_lat(std::string_view text, std::string* error);

}  // namespace kepumap::io
