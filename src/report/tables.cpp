#include "report/tables.hpp"

#include <xlsxwriter.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <stdexcept>

#include "core/atomic_file.hpp"

namespace kepumap::report {

std::string Cell::text() const {
  if (!numeric) return str;
  const double v = number;
  if (!std::isfinite(v)) return {};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

namespace {

/// One line for a file that could not be written: the reason from the file system when it
/// tells (full, read-only), else `what`.
std::string cannot_write(const std::filesystem::path& path, const std::string& what) {
  const std::string why = core::write_failure(path);
  return path.string() + ": cannot write (无法写入): " + (why.empty() ? what : why);
}

}  // namespace

std::string csv_code_field(const std::string& s) {
  const bool digits = !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
  if (digits && (s.size() >= 12 || (s.size() > 1 && s[0] == '0'))) return "\"=\"\"" + s + "\"\"\"";
  return csv_field(s);
}

std::string xlsx_sheet_name(const std::string& name) {
  std::string out;
  std::size_t chars = 0;
  for (std::size_t i = 0; i < name.size();) {
    const auto b = static_cast<unsigned char>(name[i]);
    std::size_t len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 1;
    if (i + len > name.size()) len = name.size() - i;
    if (chars == 31) break;
    std::string ch = name.substr(i, len);
    if (len == 1 && std::string("[]:*?/\\").find(ch[0]) != std::string::npos) ch = "_";
    out += ch;
    ++chars;
    i += len;
  }
  return out;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

void write_csv(const std::filesystem::path& path, const Sheet& sheet) {
  std::ostringstream out;
  out << "\xEF\xBB\xBF";
  for (std::size_t i = 0; i < sheet.headers.size(); ++i) out << (i ? "," : "") << csv_field(sheet.headers[i]);
  out << "\r\n";
  for (const auto& row : sheet.rows) {
    for (std::size_t i = 0; i < row.size(); ++i)
      out << (i ? "," : "")
          << (row[i].kind == CellKind::Code ? csv_code_field(row[i].str) : csv_field(row[i].text()));
    out << "\r\n";
  }
  std::string why;
  if (!core::write_file_atomic(path, out.str(), &why))
    throw std::runtime_error(path.string() + ": cannot write (无法写入): " + why);
}

namespace {

/// Display width of UTF-8 text in Excel column units: East Asian characters count two.
double text_width(const std::string& s) {
  double w = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80)
      w += 1.0;
    else if (b >= 0xE0)
      w += 2.0;  // 3- and 4-byte sequences: CJK and wide symbols
    else if (b >= 0xC0)
      w += 1.0;
  }
  return w;
}

/// "YYYY-MM-DD" and/or "HH:MM[:SS]" as an lxw_datetime; false when `s` is neither.
bool parse_datetime(const std::string& s, bool date, lxw_datetime& dt) {
  dt = lxw_datetime{};
  if (date) {
    int y = 0, m = 0, d = 0;
    if (std::sscanf(s.c_str(), "%d-%d-%d", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 || d > 31)
      return false;
    dt.year = y;
    dt.month = m;
    dt.day = d;
    return true;
  }
  int h = 0, mi = 0;
  if (std::sscanf(s.c_str(), "%d:%d", &h, &mi) != 2 || h < 0 || mi < 0 || mi > 59) return false;
  // Times past midnight (26:30 on a long day) become day + time: Excel adds them up right.
  dt.year = 0;
  dt.month = 0;
  dt.day = h / 24;
  dt.hour = h % 24;
  dt.min = mi;
  return true;
}

}  // namespace

void write_xlsx(const std::filesystem::path& path, const std::vector<Sheet>& sheets) {
  // libxlsxwriter writes the zip to a temporary beside the target, renamed into place at the end.
  core::TempFile tmp(path);
  lxw_workbook* wb = workbook_new(tmp.path().c_str());
  if (!wb) throw std::runtime_error(cannot_write(path, "cannot create the workbook"));
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  format_set_bg_color(bold, 0xE8EEF4);
  format_set_text_wrap(bold);
  format_set_align(bold, LXW_ALIGN_VERTICAL_TOP);
  std::vector<lxw_format*> number_formats(7, nullptr);
  const char* patterns[] = {"0", "0.0", "0.00", "0.000", "0.0000", "0.00000", "0.000000"};
  for (int d = 0; d < 7; ++d) {
    number_formats[d] = workbook_add_format(wb);
    format_set_num_format(number_formats[d], patterns[d]);
  }
  std::vector<lxw_format*> percent_formats(4, nullptr);
  const char* pct[] = {"0%", "0.0%", "0.00%", "0.000%"};
  for (int d = 0; d < 4; ++d) {
    percent_formats[d] = workbook_add_format(wb);
    format_set_num_format(percent_formats[d], pct[d]);
  }
  lxw_format* count_format = workbook_add_format(wb);
  format_set_num_format(count_format, "#,##0");
  lxw_format* date_format = workbook_add_format(wb);
  format_set_num_format(date_format, "yyyy-mm-dd");
  lxw_format* time_format = workbook_add_format(wb);
  format_set_num_format(time_format, "[h]:mm");
  lxw_format* text_format = workbook_add_format(wb);
  format_set_num_format(text_format, "@");
  std::vector<std::string> used;
  for (const Sheet& s : sheets) {
    // Sheet names: whole unless longer than Excel's 31 characters; unique ignoring case.
    std::string name = xlsx_sheet_name(s.name);
    auto lower = [](std::string v) {
      for (auto& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return v;
    };
    for (int n = 2; std::find(used.begin(), used.end(), lower(name)) != used.end(); ++n) {
      const std::string suffix = "~" + std::to_string(n);
      std::string base = xlsx_sheet_name(s.name);
      std::string cut;
      std::size_t chars = 0;
      for (std::size_t i = 0; i < base.size(); ++i) {
        if ((static_cast<unsigned char>(base[i]) & 0xC0) != 0x80 && ++chars > 31 - suffix.size()) break;
        cut += base[i];
      }
      name = cut + suffix;
    }
    used.push_back(lower(name));
    lxw_worksheet* ws = workbook_add_worksheet(wb, name.empty() ? nullptr : name.c_str());
    if (!ws) {
      workbook_close(wb);
      throw std::runtime_error(path.string() + ": sheet '" + s.name + "' cannot be added");
    }
    std::vector<double> width(s.headers.size(), 6.0);
    for (std::size_t c = 0; c < s.headers.size(); ++c) {
      worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), s.headers[c].c_str(), bold);
      width[c] = std::max(width[c], std::min(text_width(s.headers[c]), 24.0) + 2.0);
    }
    for (std::size_t r = 0; r < s.rows.size(); ++r)
      for (std::size_t c = 0; c < s.rows[r].size(); ++c) {
        const Cell& cell = s.rows[r][c];
        const auto row = static_cast<lxw_row_t>(r + 1);
        const auto col = static_cast<lxw_col_t>(c);
        double w = 0;
        lxw_datetime dt;
        if ((cell.kind == CellKind::Date || cell.kind == CellKind::Time) &&
            parse_datetime(cell.str, cell.kind == CellKind::Date, dt)) {
          worksheet_write_datetime(ws, row, col, &dt,
                                   cell.kind == CellKind::Date ? date_format : time_format);
          w = cell.kind == CellKind::Date ? 10.0 : 6.0;
        } else if (cell.is_text()) {
          worksheet_write_string(ws, row, col, cell.str.c_str(),
                                 cell.kind == CellKind::Code ? text_format : nullptr);
          w = text_width(cell.str);
        } else {
          const double v = cell.number;
          if (!std::isfinite(v)) continue;
          lxw_format* f = number_formats[std::clamp(cell.decimals, 0, 6)];
          if (cell.kind == CellKind::Share) f = percent_formats[std::clamp(cell.decimals - 2, 0, 3)];
          if (cell.kind == CellKind::Count) f = count_format;
          worksheet_write_number(ws, row, col, v, f);
          w = text_width(cell.kind == CellKind::Share ? cell.text() + "%" : cell.text()) + 1.0;
        }
        if (c < width.size()) width[c] = std::max(width[c], w + 2.0);
      }
    for (std::size_t c = 0; c < width.size(); ++c)
      worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), std::min(width[c], 60.0),
                           nullptr);
    worksheet_freeze_panes(ws, 1, 1);
    if (!s.headers.empty()) {
      worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(s.rows.size()),
                           static_cast<lxw_col_t>(s.headers.size() - 1));
      worksheet_repeat_rows(ws, 0, 0);
    }
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9);  // A4
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_set_margins(ws, 0.4, 0.4, 0.6, 0.6);
    worksheet_set_footer(ws, "&C&P / &N");
  }
  if (const lxw_error err = workbook_close(wb); err != LXW_NO_ERROR)
    throw std::runtime_error(
        cannot_write(path, std::string("writing the workbook failed: ") + lxw_strerror(err)));
  if (const std::string why = tmp.commit(); !why.empty())
    throw std::runtime_error(path.string() + ": cannot write (无法写入): " + why);
}

}  // namespace kepumap::report
