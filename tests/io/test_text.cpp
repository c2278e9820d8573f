// Encodings, full-width folding and coordinate parsing (io/text.hpp).
#include <catch2/catch.hpp>

#include <cmath>
#include <optional>
#include <stdexcept>
#include <string>

#include "io/text.hpp"

using namespace kepumap::io;
using Catch::Matchers::Contains;

namespace {

// "经度" and "阿巴嘎旗" in GB18030 (the same bytes in GBK/GB2312): 经 = BE AD, 度 = B6 C8,
// 阿 = B0 A2, 巴 = B0 CD, 嘎 = B8 C2, 旗 = C6 EC.
const std::string GB_JINGDU = "\xBE\xAD\xB6\xC8";
const std::string GB_ABAGA = "\xB0\xA2\xB0\xCD\xB8\xC2\xC6\xEC";

double coord(std::string_view s, Axis hint = Axis::Unknown) {
  std::string err;
  auto v = parse_coordinate(s, hint, &err);
  INFO("input: " << s << " error: " << err);
  REQUIRE(v.has_value());
  return *v;
}

std::string coord_error(std::string_view s, Axis hint = Axis::Unknown) {
  std::string err;
  auto v = parse_coordinate(s, hint, &err);
  INFO("input: " << s);
  REQUIRE_FALSE(v.has_value());
  REQUIRE_FALSE(err.empty());
  return err;
}

}  // namespace

TEST_CASE("is_valid_utf8 accepts UTF-8 and rejects malformed sequences", "[io][text]") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain ASCII"));
  CHECK(is_valid_utf8("阿巴嘎旗 114°57′30″"));
  CHECK(
      is_valid_utf8("\xEF\xBB\xBF"
                    "经度"));
  CHECK(is_valid_utf8("\xF0\x9F\x98\x80"));        // U+1F600, four bytes
  CHECK_FALSE(is_valid_utf8(GB_JINGDU));           // GB18030 bytes
  CHECK_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong, three bytes
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));      // UTF-16 surrogate
  CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // beyond U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xE7\xBB"));          // cut off
  CHECK_FALSE(is_valid_utf8("\x80"));              // lone continuation byte
}

TEST_CASE("detect_encoding: BOM or valid UTF-8 is UTF-8, otherwise GB18030", "[io][text]") {
  CHECK(detect_encoding("lon,lat\n114.9,44.1\n") == "UTF-8");
  CHECK(detect_encoding("\xEF\xBB\xBF"
                        "a") == "UTF-8");
  CHECK(detect_encoding("经度,纬度") == "UTF-8");
  CHECK(detect_encoding(GB_JINGDU + "," + GB_ABAGA) == "GB18030");
  CHECK(detect_encoding("\xFF\xFE"
                        "a\0") == "UTF-16");
  // A sample cut in the middle of a character is still UTF-8...
  const std::string jing = "经度";
  CHECK(detect_encoding(std::string_view(jing).substr(0, 4)) == "UTF-8");
  // ...but a cut in the middle is not.
  CHECK(detect_encoding(jing.substr(0, 2) + "," + jing) == "GB18030");
}

TEST_CASE("canonical_encoding maps the names offices and .cpg files use", "[io][text]") {
  CHECK(canonical_encoding(" utf8 ") == "UTF-8");
  CHECK(canonical_encoding("UTF-8") == "UTF-8");
  CHECK(canonical_encoding("gbk") == "GB18030");
  CHECK(canonical_encoding("GB2312") == "GB18030");
  CHECK(canonical_encoding("cp936") == "GB18030");
  CHECK(canonical_encoding("936") == "GB18030");
  CHECK(canonical_encoding("Big-5") == "BIG5");
  CHECK(canonical_encoding("latin1") == "LATIN1");
}

TEST_CASE("to_utf8 decodes GB18030, GBK, GB2312, BIG5 and UTF-16", "[io][text]") {
  CHECK(to_utf8(GB_JINGDU, "GB18030") == "经度");
  CHECK(to_utf8(GB_ABAGA, "GBK") == "阿巴嘎旗");
  CHECK(to_utf8(GB_ABAGA, "GB2312") == "阿巴嘎旗");
  CHECK(to_utf8("name," + GB_ABAGA + "\n", "gb18030") == "name,阿巴嘎旗\n");
  // 旗 in Big5 is BA 58, 中 is A4 A4.
  CHECK(to_utf8("\xA4\xA4\xBA\x58", "BIG5") == "中旗");
  // UTF-16 with either BOM; the BOM is dropped.
  CHECK(to_utf8(std::string("\xFF\xFE\x2D\x4EL\0", 6), "UTF-16") == "中L");
  CHECK(to_utf8(std::string("\xFE\xFF\x4E\x2D\0L", 6), "UTF-16") == "中L");
  CHECK(to_utf8(std::string("\xFF\xFE\x2D\x4E", 4), "UTF-16LE") == "中");
  // UTF-8: BOM removed, text unchanged.
  CHECK(to_utf8("\xEF\xBB\xBF"
                "经度",
                "UTF-8") == "经度");
  // ASCII passes through any of them.
  CHECK(to_utf8("lon,lat", "GB18030") == "lon,lat");
}

TEST_CASE("to_utf8 replaces invalid bytes with U+FFFD and counts them", "[io][text]") {
  std::size_t replaced = 0;
  CHECK(to_utf8("a\x80"
                "b",
                "UTF-8", &replaced) ==
        "a\xEF\xBF\xBD"
        "b");
  CHECK(replaced == 1);
  replaced = 0;
  // 0xFF is never valid in GB18030; a trailing lead byte is incomplete.
  const std::string out = to_utf8("x\xFF" + GB_JINGDU + "\xBE", "GB18030", &replaced);
  CHECK(out ==
        "x\xEF\xBF\xBD"
        "经度\xEF\xBF\xBD");
  CHECK(replaced == 2);
  CHECK(is_valid_utf8(out));
}

TEST_CASE("to_utf8 rejects an encoding iconv does not know", "[io][text]") {
  CHECK_THROWS_AS(to_utf8("abc", "NO-SUCH-ENCODING-42"), std::invalid_argument);
}

TEST_CASE("normalize_fullwidth folds full-width forms to ASCII", "[io][text]") {
  CHECK(normalize_fullwidth("１１４．９５８") == "114.958");
  CHECK(normalize_fullwidth("－３．５，＋１：２") == "-3.5,+1:2");
  CHECK(normalize_fullwidth("Ｅ１１４　Ｎ４４") == "E114 N44");
  CHECK(normalize_fullwidth("阿巴嘎旗（ＡＢＡＧ）") == "阿巴嘎旗(ABAG)");
  CHECK(normalize_fullwidth("plain") == "plain");
  CHECK(normalize_fullwidth("a\xFF"
                            "b") ==
        "a\xFF"
        "b");  // invalid bytes kept
}

TEST_CASE("parse_coordinate reads decimal degrees", "[io][text][coordinate]") {
  CHECK(coord("114.958") == Approx(114.958).margin(1e-12));
  CHECK(coord("-3.5") == Approx(-3.5).margin(1e-12));
  CHECK(coord("+44") == Approx(44.0).margin(1e-12));
  CHECK(coord("  44.1  ") == Approx(44.1).margin(1e-12));
  CHECK(coord("0") == 0.0);
  CHECK(coord("180", Axis::Longitude) == 180.0);
  CHECK(coord("-90", Axis::Latitude) == -90.0);
  CHECK(coord("114.958°") == Approx(114.958).margin(1e-12));
}

TEST_CASE("parse_coordinate reads hemispheres before or after", "[io][text][coordinate]") {
  CHECK(coord("E114.958") == Approx(114.958).margin(1e-12));
  CHECK(coord("114.958E") == Approx(114.958).margin(1e-12));
  CHECK(coord("114.958 e") == Approx(114.958).margin(1e-12));
  CHECK(coord("W3.5") == Approx(-3.5).margin(1e-12));
  CHECK(coord("N44.1") == Approx(44.1).margin(1e-12));
  CHECK(coord("44.1S") == Approx(-44.1).margin(1e-12));
  CHECK(coord("东经114.958") == Approx(114.958).margin(1e-12));
  CHECK(coord("北纬44.1") == Approx(44.1).margin(1e-12));
  CHECK(coord("南纬 12.5") == Approx(-12.5).margin(1e-12));
  CHECK(coord("西经 70") == Approx(-70.0).margin(1e-12));
  CHECK(coord("114°57′30″E") == Approx(114.0 + 57.0 / 60 + 30.0 / 3600).margin(1e-12));
  CHECK(coord("N 44°10′") == Approx(44.0 + 10.0 / 60).margin(1e-12));

  auto p = parse_coordinate_parts("N44.1", nullptr);
  REQUIRE(p);
  CHECK(p->hemisphere == Axis::Latitude);
  p = parse_coordinate_parts("东经114", nullptr);
  REQUIRE(p);
  CHECK(p->hemisphere == Axis::Longitude);
  p = parse_coordinate_parts("114", nullptr);
  REQUIRE(p);
  CHECK(p->hemisphere == Axis::Unknown);
}

TEST_CASE("parse_coordinate reads degrees-minutes-seconds in every notation", "[io][text][coordinate]") {
  const double want = 114.0 + 57.0 / 60.0 + 30.0 / 3600.0;  // 114.958333...
  CHECK(want == Approx(114.9583333333).margin(1e-9));
  CHECK(coord("114°57′30″") == Approx(want).margin(1e-12));
  CHECK(coord("114°57'30\"") == Approx(want).margin(1e-12));
  CHECK(coord("114°57'30''") == Approx(want).margin(1e-12));
  CHECK(coord("114度57分30秒") == Approx(want).margin(1e-12));
  CHECK(coord("114 57 30") == Approx(want).margin(1e-12));
  CHECK(coord("114:57:30") == Approx(want).margin(1e-12));
  CHECK(coord("114° 57′ 30″") == Approx(want).margin(1e-12));
  CHECK(coord("114º57’30”") == Approx(want).margin(1e-12));
  CHECK(coord("114°57.5′") == Approx(want).margin(1e-12));
  CHECK(coord("114 57.5") == Approx(want).margin(1e-12));
  CHECK(coord("114°57′30.36″") == Approx(114.0 + 57.0 / 60 + 30.36 / 3600).margin(1e-12));
  CHECK(coord("114度") == Approx(114.0).margin(1e-12));
  CHECK(coord("-114°57′30″") == Approx(-want).margin(1e-12));
  CHECK(coord("44°06′00″N", Axis::Latitude) == Approx(44.1).margin(1e-12));
  CHECK(coord("43°59′59.9″", Axis::Latitude) == Approx(43.0 + 59.0 / 60 + 59.9 / 3600).margin(1e-12));
}

TEST_CASE("parse_coordinate folds full-width digits and punctuation", "[io][text][coordinate]") {
  CHECK(coord("１１４．９５８") == Approx(114.958).margin(1e-12));
  CHECK(coord("－３．５") == Approx(-3.5).margin(1e-12));
  CHECK(coord("Ｅ１１４．９５８") == Approx(114.958).margin(1e-12));
  CHECK(coord("１１４：５７：３０") == Approx(114.0 + 57.0 / 60 + 30.0 / 3600).margin(1e-12));
  CHECK(coord("１１４度５７分３０秒") == Approx(114.0 + 57.0 / 60 + 30.0 / 3600).margin(1e-12));
  CHECK(coord("　４４．１　") == Approx(44.1).margin(1e-12));
}

TEST_CASE("parse_coordinate rejects out-of-range values with a reason", "[io][text][coordinate]") {
  CHECK_THAT(coord_error("114°60′00″"), Contains("minutes"));
  CHECK_THAT(coord_error("114°59′60″"), Contains("seconds"));
  CHECK_THAT(coord_error("114 75"), Contains("minutes"));
  CHECK_THAT(coord_error("180.5", Axis::Longitude), Contains("180"));
  CHECK_THAT(coord_error("181"), Contains("180"));
  CHECK_THAT(coord_error("90.01", Axis::Latitude), Contains("90"));
  CHECK_THAT(coord_error("N95"), Contains("90"));
  CHECK_THAT(coord_error("N44", Axis::Longitude), Contains("N/S"));
  CHECK_THAT(coord_error("E114", Axis::Latitude), Contains("E/W"));
}

TEST_CASE("parse_coordinate rejects malformed text with a reason", "[io][text][coordinate]") {
  CHECK_THAT(coord_error(""), Contains("empty"));
  CHECK_THAT(coord_error("   "), Contains("empty"));
  CHECK_THAT(coord_error("abc"), Contains("unexpected"));
  CHECK_THAT(coord_error("N"), Contains("no number"));
  CHECK_THAT(coord_error("114.9.5"), Contains("unexpected"));
  CHECK_THAT(coord_error("114,958"), Contains("unexpected"));
  CHECK_THAT(coord_error("1 2 3 4"), Contains("too many"));
  CHECK_THAT(coord_error("114.5°30′"), Contains("fraction"));
  CHECK_THAT(coord_error("57′114°"), Contains("order"));
  CHECK_THAT(coord_error("114:"), Contains("missing"));
  CHECK_THAT(coord_error("E-114"), Contains("sign"));
  CHECK_THAT(coord_error("-114W"), Contains("sign"));
  CHECK_THAT(coord_error("E114N"), Contains("twice"));
  CHECK_THAT(coord_error("nan"), Contains("unexpected"));
  CHECK_THAT(coord_error("inf"), Contains("unexpected"));
  CHECK_THAT(coord_error("1e2"), Contains("unexpected"));
  CHECK_THAT(coord_error("\xBE\xAD"), Contains("UTF-8"));
  CHECK_THAT(coord_error(std::string(60, '9')), Contains("too long"));
  CHECK_THAT(coord_error("East 114"), Contains("unexpected"));
}

TEST_CASE("parse_coordinate without an error pointer only returns nullopt", "[io][text][coordinate]") {
  CHECK_FALSE(parse_coordinate("bad", Axis::Longitude, nullptr).has_value());
  CHECK(parse_coordinate("44", Axis::Latitude, nullptr).value() == 44.0);
}

TEST_CASE("plain decimals read the same with or without a degree sign", "[io][text][coordinate]") {
  // "114.958" takes a fast path, "114.958°" the full parser: both must agree exactly.
  for (const char* s : {"0", "-0.5", "+44", "114.958", "179.999999999", "-180", "90.000000000001",
                        "0.0000001", "073.5", "12345678901234567890", "180.0000001"}) {
    std::string e1, e2;
    const auto a = parse_coordinate(s, Axis::Longitude, &e1);
    const auto b = parse_coordinate(std::string(s) + "°", Axis::Longitude, &e2);
    INFO(s << " / " << e1 << " / " << e2);
    REQUIRE(a.has_value() == b.has_value());
    if (a) CHECK(*a == *b);
  }
}

TEST_CASE("pinyin_initials gives the initials of place names for search", "[io][text][pinyin]") {
  CHECK(pinyin_initials("阿巴嘎旗") == "abgq");
  CHECK(pinyin_initials("别力古台镇") == "blgtz");
  CHECK(pinyin_initials("内蒙古自治区") == "nmgzzq");
  CHECK(pinyin_initials("呼和浩特市") == "hhhts");
  CHECK(pinyin_initials("锡林郭勒盟") == "xlglm");
  // the first and last characters of an initial's range in GB2312 (啊 澳, 芭 怖, 匝 座)
  CHECK(pinyin_initials("啊澳芭怖匝座") == "aabbzz");
  CHECK(pinyin_initials("哈过") == "hg");
  // ASCII is kept lower-cased, punctuation and spaces give nothing
  CHECK(pinyin_initials("Abag Banner 1（示例）") == "abagbanner1sl");
  CHECK(pinyin_initials("") == "");
  // a character of GB2312's second level (ordered by radical, not pinyin) gives nothing
  CHECK(pinyin_initials("亍") == "");
}

TEST_CASE("parse_lon_lat reads a typed place in decimal degrees or DMS in either order",
          "[io][text][coordinate]") {
  auto near = [](std::optional<std::pair<double, double>> p, double lon, double lat) {
    return p && std::abs(p->first - lon) < 1e-9 && std::abs(p->second - lat) < 1e-9;
  };
  CHECK(near(parse_lon_lat("114.95, 44.02", nullptr), 114.95, 44.02));
  CHECK(near(parse_lon_lat("114.95 44.02", nullptr), 114.95, 44.02));
  // latitude first, as map sites write it
  CHECK(near(parse_lon_lat("44.02, 114.95", nullptr), 114.95, 44.02));
  CHECK(near(parse_lon_lat("114°57′E, 44°1′12″N", nullptr), 114.95, 44.02));
  CHECK(near(parse_lon_lat("北纬44度1分12秒，东经114度57分", nullptr), 114.95, 44.02));
  CHECK(near(parse_lon_lat("114 57 0 E 44 1 12 N", nullptr), 114.95, 44.02));
  std::string why;
  CHECK(!parse_lon_lat("114.95", &why));
  CHECK(!why.empty());
  CHECK(!parse_lon_lat("44N, 45N", &why));
  CHECK(why.find("纬度") != std::string::npos);
  CHECK(!parse_lon_lat("200, 44", &why));
}
