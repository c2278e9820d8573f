#include "core/table.hpp"

#include <charconv>
#include <cstdio>

namespace kepumap::core {

void Column::push_null() {
  switch (type) {
    case FieldType::Integer:
      ints.push_back(0);
      break;
    case FieldType::Real:
      reals.push_back(0.0);
      break;
    case FieldType::Text:
      texts.emplace_back();
      break;
  }
  null.push_back(1);
}
void Column::push_int(std::int64_t v) {
  if (type == FieldType::Real) return push_real(static_cast<double>(v));
  if (type == FieldType::Text) return push_text(std::to_string(v));
  ints.push_back(v);
  null.push_back(0);
}
void Column::push_real(double v) {
  if (type == FieldType::Integer) {
    ints.push_back(static_cast<std::int64_t>(v));
    null.push_back(0);
    return;
  }
  if (type == FieldType::Text) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.15g", v);
    return push_text(buf);
  }
  reals.push_back(v);
  null.push_back(0);
}
void Column::push_text(std::string v) {
  if (type != FieldType::Text) {
    // Keep the column's type; text that is not a number becomes NULL.
    double d = 0.0;
    auto r = std::from_chars(v.data(), v.data() + v.size(), d);
    if (r.ec != std::errc() || r.ptr != v.data() + v.size()) return push_null();
    return type == FieldType::Integer ? push_int(static_cast<std::int64_t>(d)) : push_real(d);
  }
  texts.push_back(std::move(v));
  null.push_back(0);
}

std::string Column::text(std::size_t row) const {
  if (is_null(row)) return {};
  switch (type) {
    case FieldType::Integer:
      return std::to_string(ints[row]);
    case FieldType::Real: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.15g", reals[row]);
      return buf;
    }
    case FieldType::Text:
      return texts[row];
  }
  return {};
}

std::optional<double> Column::number(std::size_t row) const {
  if (is_null(row)) return std::nullopt;
  switch (type) {
    case FieldType::Integer:
      return static_cast<double>(ints[row]);
    case FieldType::Real:
      return reals[row];
    case FieldType::Text: {
      const std::string& s = texts[row];
      double d = 0.0;
      auto r = std::from_chars(s.data(), s.data() + s.size(), d);
      if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
      return d;
    }
  }
  return std::nullopt;
}

int Table::find(std::string_view name) const {
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i].name == name) return static_cast<int>(i);
  return -1;
}

int Table::add_column(std::string name, FieldType type) {
  const std::size_t rows = row_count();
  Column c;
  c.name = std::move(name);
  c.type = type;
  for (std::size_t i = 0; i < rows; ++i) c.push_null();
  columns.push_back(std::move(c));
  return static_cast<int>(columns.size() - 1);
}

}  // namespace kepumap::core
