#pragma once
// Tables for reports and exports: one plain Sheet type written as CSV (UTF-8 with BOM, so
// spreadsheet programs show Chinese right) or as an XLSX workbook (libxlsxwriter).
#include <filesystem>
#include <string>
#include <vector>

namespace kepumap::report {

/// How a cell is shown in XLSX (and, for codes, in CSV).
enum class CellKind : unsigned char {
  General,  ///< text as text, numbers with `decimals` places
  Share,    ///< a fraction 0..1: XLSX shows a percentage ("0.0%"), CSV the fraction
  Count,    ///< a whole number (people, stops): XLSX "#,##0", CSV without decimals
  Date,     ///< text "YYYY-MM-DD": XLSX a real date
  Time,     ///< text "HH:MM" (hours may exceed 23): XLSX a real time of day
  Code,     ///< an identifier made of digits (区划代码): text everywhere, never a number
};

/// A cell: text, or a number shown with `decimals` places (NaN = empty cell). A plain struct,
/// not a variant (GCC 12 warns falsely about variants of strings in initializer lists).
struct Cell {
  std::string str;
  double number = 0.0;
  bool numeric = false;
  int decimals = 0;
  CellKind kind = CellKind::General;
  Cell(std::string s) : str(std::move(s)) {}                            // NOLINT: implicit by design
  Cell(const char* s) : str(s) {}                                       // NOLINT
  Cell(double v, int d = 0) : number(v), numeric(true), decimals(d) {}  // NOLINT
  static Cell share(double v, int d = 3) {
    Cell c(v, d);
    c.kind = CellKind::Share;
    return c;
  }
  static Cell count(double v) {
    Cell c(v, 0);
    c.kind = CellKind::Count;
    return c;
  }
  static Cell date(std::string s) {
    Cell c(std::move(s));
    c.kind = CellKind::Date;
    return c;
  }
  static Cell time(std::string s) {
    Cell c(std::move(s));
    c.kind = CellKind::Time;
    return c;
  }
  static Cell code(std::string s) {
    Cell c(std::move(s));
    c.kind = CellKind::Code;
    return c;
  }
  bool is_text() const { return !numeric; }
  /// The cell as it is printed in CSV and PDF tables.
  std::string text() const;
};

/// One table: a sheet name (≤ 31 characters in XLSX), headers and rows of cells.
struct Sheet {
  std::string name;
  std::vector<std::string> headers;
  std::vector<std::vector<Cell>> rows;
};

/// A CSV field quoted per RFC 4180 when it holds a comma, quote or line break.
std::string csv_field(const std::string& s);

/// A code as a CSV field Excel/WPS keep as text: a code of digits that Excel would turn into a
/// number (12 digits or more, shown as 1.52522E+11, or a leading zero) is written ="…", anything
/// else as csv_field.
std::string csv_code_field(const std::string& s);

/// The XLSX sheet name for `name`: kept whole when it fits, else cut to 31 characters (code
/// points) at a character boundary; characters Excel forbids ([]:*?/\) become "_".
std::string xlsx_sheet_name(const std::string& name);

/// Writes one sheet as CSV (RFC 4180 quoting, UTF-8 with BOM); temp file + rename.
/// Throws std::runtime_error naming the file on failure.
void write_csv(const std::filesystem::path& path, const Sheet& sheet);

/// Writes sheets as one XLSX workbook: bold header row frozen and repeated on every printed page,
/// autofilter, column widths from the content, shares as percentages, counts as integers, dates
/// and times as real dates and times, codes as text; printed landscape on A4, one page wide.
/// Temp file + rename. Throws std::runtime_error naming the file on failure.
void write_xlsx(const std::filesystem::path& path, const std::vector<Sheet>& sheets);

}  // namespace kepumap::report
