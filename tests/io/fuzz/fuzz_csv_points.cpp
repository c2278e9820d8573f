// libFuzzer target: parse_csv_points must never crash and always return a consistent result.
// The first input byte picks the options (forced encoding, delimiter, swap fixing); the rest is
// the file.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "io/csv_points.hpp"
#include "io/text.hpp"

namespace {

void require(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kepumap;
  if (size == 0) return 0;
  const std::uint8_t sel = data[0];
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);

  io::CsvOptions opt;
  static const char* const encodings[] = {"", "", "UTF-8", "GB18030", "GBK", "BIG5", "UTF-16", "no-such"};
  static const char* const delimiters[] = {"", "", ",", ";", "\t", "\xEF\xBC\x8C"};
  opt.encoding = encodings[sel % 8];
  opt.delimiter = delimiters[(sel / 8) % 6];
  opt.fix_swapped = (sel & 0x40) == 0;
  opt.bad_rows_are_errors = (sel & 0x80) == 0;
  if ((sel % 5) == 4) opt.lon_column = "b";

  const io::CsvPoints c = io::parse_csv_points(bytes, opt, "fuzz.csv");
  require(c.points.kind == core::GeomKind::Point);
  require(c.points.feature_count() == c.table.row_count());
  require(c.points.feature_count() == c.source_lines.size());
  require(c.points.feature_count() + c.rows_skipped <= c.rows_read || c.rows_read == 0);
  for (const auto& col : c.table.columns) require(col.size() == c.table.row_count());
  for (const auto& p : c.points.coords)
    require(std::isfinite(p.x) && std::isfinite(p.y) && std::abs(p.x) <= 180.0 && std::abs(p.y) <= 90.0);
  for (int line : c.source_lines) require(line >= 2);
  // Every text value is UTF-8 after decoding.
  for (const auto& col : c.table.columns)
    for (const auto& t : col.texts) require(io::is_valid_utf8(t));
  for (const auto& p : c.diagnostics.problems) require(!p.what.empty() && !p.to_line().empty());
  return 0;
}
