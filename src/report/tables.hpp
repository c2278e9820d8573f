#pragma once
// Tables for reports and exports: one plain Sheet type written as CSV (UTF-8 with BOM, so
// spreadsheet programs show Chinese right) or as an XLSX workbook (libxlsxwriter).
#include <filesystem>
#include <string>
#include <vector>

namespace kepumap::report {

/// A cell: text, or a number shown with `decimals` places (NaN = empty cell). A plain struct,
/// not a variant (GCC 12 warns falsely about variants of strings in initializer lists).
struct Cell {
  std::string str;
  double number = 0.0;
  bool numeric = false;
  int decimals = 0;
  Cell(std::string s) : str(std::move(s)) {}  // NOLINT: implicit by design
  Cell(const char* s) : str(s) {}  // NOLINT
  Cell(double v, int d = 0) : number(v), numeric(true), decimals(d) {}  // NOLINT
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

/// Writes one sheet as CSV (RFC 4180 quoting, UTF-8 with BOM); temp file + rename.
/// Throws std::runtime_error naming the file on failure.
void write_csv(const std::filesystem::path& path, const Sheet& sheet);

/// Writes sheets as one XLSX workbook (bold frozen header row, numbers as numbers); temp file +
/// rename. Throws std::runtime_error naming the file on failure.
void write_xlsx(const std::filesystem::path& path, const std::vector<Sheet>& sheets);

}  // namespace kepumap::report
