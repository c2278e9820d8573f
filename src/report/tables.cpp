#include "report/tables.hpp"

#include <xlsxwriter.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <stdexcept>

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


std::filesystem::path temp_beside(const std::filesystem::path& path) {
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  return tmp;
}

void finish_rename(const std::filesystem::path& tmp, const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    throw std::runtime_error(path.string() + ": cannot move the written file into place");
  }
}

}  // namespace

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
  const auto tmp = temp_beside(path);
  {
    std::ofstream out(tmp, std::ios::binary);
    if (!out) throw std::runtime_error(path.string() + ": cannot create the file");
    out << "\xEF\xBB\xBF";
    for (std::size_t i = 0; i < sheet.headers.size(); ++i) out << (i ? "," : "") << csv_field(sheet.headers[i]);
    out << "\r\n";
    for (const auto& row : sheet.rows) {
      for (std::size_t i = 0; i < row.size(); ++i) out << (i ? "," : "") << csv_field(row[i].text());
      out << "\r\n";
    }
    out.flush();
    if (!out) throw std::runtime_error(path.string() + ": writing failed");
  }
  finish_rename(tmp, path);
}

void write_xlsx(const std::filesystem::path& path, const std::vector<Sheet>& sheets) {
  const auto tmp = temp_beside(path);
  lxw_workbook* wb = workbook_new(tmp.c_str());
  if (!wb) throw std::runtime_error(path.string() + ": cannot create the workbook");
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  format_set_bg_color(bold, 0xE8EEF4);
  std::vector<lxw_format*> number_formats(7, nullptr);
  const char* patterns[] = {"0", "0.0", "0.00", "0.000", "0.0000", "0.00000", "0.000000"};
  for (int d = 0; d < 7; ++d) {
    number_formats[d] = workbook_add_format(wb);
    format_set_num_format(number_formats[d], patterns[d]);
  }
  for (const Sheet& s : sheets) {
    // Sheet names: at most 31 characters (counted in UTF-8 code points by Excel; bytes here to be safe).
    std::string name = s.name.substr(0, 31);
    while (!name.empty() && (static_cast<unsigned char>(name.back()) & 0xC0) == 0x80) name.pop_back();
    if (!name.empty() && (static_cast<unsigned char>(name.back()) & 0x80)) name.pop_back();
    lxw_worksheet* ws = workbook_add_worksheet(wb, name.empty() ? nullptr : name.c_str());
    if (!ws) {
      workbook_close(wb);
      std::filesystem::remove(tmp);
      throw std::runtime_error(path.string() + ": sheet '" + s.name + "' cannot be added");
    }
    for (std::size_t c = 0; c < s.headers.size(); ++c) {
      worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), s.headers[c].c_str(), bold);
      worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), c == 0 ? 22 : 14, nullptr);
    }
    worksheet_freeze_panes(ws, 1, 1);
    for (std::size_t r = 0; r < s.rows.size(); ++r)
      for (std::size_t c = 0; c < s.rows[r].size(); ++c) {
        const Cell& cell = s.rows[r][c];
        const auto row = static_cast<lxw_row_t>(r + 1);
        const auto col = static_cast<lxw_col_t>(c);
        if (cell.is_text()) {
          worksheet_write_string(ws, row, col, cell.str.c_str(), nullptr);
        } else {
          const double v = cell.number;
          if (std::isfinite(v)) worksheet_write_number(ws, row, col, v, number_formats[std::clamp(cell.decimals, 0, 6)]);
        }
      }
  }
  if (workbook_close(wb) != LXW_NO_ERROR) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    throw std::runtime_error(path.string() + ": writing the workbook failed");
  }
  finish_rename(tmp, path);
}

}  // namespace kepumap::report
