#pragma once
// Columnar attribute tables: one typed vector per column.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kepumap::core {

enum class FieldType : std::uint8_t { Integer, Real, Text };

/// One attribute column. Only the vector matching `type` is used; `null[i]` marks missing values.
struct Column {
  std::string name;
  FieldType type = FieldType::Text;
  std::vector<std::int64_t> ints;
  std::vector<double> reals;
  std::vector<std::string> texts;
  std::vector<std::uint8_t> null;

  std::size_t size() const { return null.size(); }
  bool is_null(std::size_t row) const { return null[row] != 0; }
  void push_null();
  void push_int(std::int64_t v);
  void push_real(double v);
  void push_text(std::string v);
  /// The value as text (numbers formatted plainly; empty for NULL).
  std::string text(std::size_t row) const;
  /// The value as a number (text parsed if it is a number); nullopt for NULL or non-numeric text.
  std::optional<double> number(std::size_t row) const;
};

/// Attributes of a layer: every column has row_count() rows, one per feature.
struct Table {
  std::vector<Column> columns;

  std::size_t row_count() const { return columns.empty() ? m_rows : columns.front().size(); }
  /// Index of the column named `name` (exact match), or -1.
  int find(std::string_view name) const;
  /// Adds a column filled with NULLs for existing rows; returns its index.
  int add_column(std::string name, FieldType type);
  /// For tables without columns: remember the row count.
  void set_rows_without_columns(std::size_t n) { m_rows = n; }

 private:
  std::size_t m_rows = 0;
};

}  // namespace kepumap::core
