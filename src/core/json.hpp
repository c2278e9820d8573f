#pragma once
// A small JSON reader (RFC 8259) for style files and tests: a plain tree of values.
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kepumap::core {

/// JSON text that does not parse: what and where (1-based line and column).
struct JsonError : std::runtime_error {
  int line = 0;
  int column = 0;
  JsonError(const std::string& what, int l, int c)
      : std::runtime_error(what + " at line " + std::to_string(l) + ", column " + std::to_string(c)),
        line(l),
        column(c) {}
};

/// One JSON value. Objects keep their members in file order.
struct JsonValue {
  enum class Kind { Null, Bool, Number, String, Array, Object };
  Kind kind = Kind::Null;
  bool boolean = false;
  double number = 0.0;
  std::string string;
  std::vector<JsonValue> array;
  std::vector<std::pair<std::string, JsonValue>> object;

  bool is_null() const { return kind == Kind::Null; }
  bool is_number() const { return kind == Kind::Number; }
  bool is_string() const { return kind == Kind::String; }
  bool is_array() const { return kind == Kind::Array; }
  bool is_object() const { return kind == Kind::Object; }
  bool is_bool() const { return kind == Kind::Bool; }
  /// Member `key` of an object, or nullptr (also when this is not an object).
  const JsonValue* find(std::string_view key) const;
};

/// Parses a whole JSON document; throws JsonError.
JsonValue parse_json(std::string_view text);

}  // namespace kepumap::core
