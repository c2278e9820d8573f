#pragma once
// Tables for reports and exports: one plain Sheet type written as CSV (UTF-8 with BOM, so
// spreadsheet programs show Chinese right) or as an XLSX workbook (libxlsxwriter).
#include <filesystem>
#include <string>
#include <variant>
#include <vector>

namespace kepumap::report {

/// A cell: text, or a number shown with `decimals` places (NaN = empty cell).
struct Cell {
  std::variant<std::string, double> value;
  int decimals = 0;
  Cell(std::string s) : value(std::move(s)) {}  // NOLINT: implicit by design
  Cell(const char* s) : value(std::string(s)) {}  // NOLINT
  Cell(double v, int d = 0) : value(v), decimals(d) {}  // NOLINT
  bool is_text() const { return std::holds_alternative<std::string>(value); }
  /// The cell as it is printed in CSV and PDF tables.
  std::string text() const;
};

/// One table: a sheet name (≤ 31 characters in XLSX), headers and rows of cells.
struct Sheet {
  std::string name;
  std::vector<std::string> headers;
  std::vector<std::vector<Cell>> rows;
};

/// Writes one sheet as CSV (RFC 4180 quoting, UTF-8 with BOM); temp file + rename.
/// Throws std::runtime_error naming the file on failure.
void write_csv(const std::filesystem::path& path, const Sheet& sheet);

/// Writes sheets as one XLSX workbook (bold frozen header row, numbers as numbers); temp file +
/// rename. Throws std::runtime_error naming the file on failure.
void write_xlsx(const std::filesystem::path& path, const std::vector<Sheet>& sheets);

}  // namespace kepumap::report
