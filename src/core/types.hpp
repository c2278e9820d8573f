#pragma once
// Shared scalar types and ids for every kepumap module (std only).
#include <cstdint>
#include <limits>

namespace kepumap::core {

/// Index of a feature, node, cell or facility; dense, starting at 0.
using Id = std::uint32_t;
using FeatureId = Id;
using NodeId = Id;
using EdgeId = Id;
/// Marks "no such element" wherever an Id is expected.
inline constexpr Id INVALID_ID = std::numeric_limits<Id>::max();

/// A quantity tagged with its unit so seconds and metres cannot be mixed up.
template <class Tag>
struct Quantity {
  double value = 0.0;
  constexpr Quantity() = default;
  constexpr explicit Quantity(double v) : value(v) {}
  constexpr auto operator<=>(const Quantity&) const = default;
  constexpr Quantity operator+(Quantity o) const { return Quantity(value + o.value); }
  constexpr Quantity operator-(Quantity o) const { return Quantity(value - o.value); }
  constexpr Quantity operator*(double k) const { return Quantity(value * k); }
  constexpr Quantity& operator+=(Quantity o) {
    value += o.value;
    return *this;
  }
};
struct SecondsTag {};
struct MetersTag {};
/// Time in seconds.
using Seconds = Quantity<SecondsTag>;
/// Length in metres (in the analysis CRS unless stated otherwise).
using Meters = Quantity<MetersTag>;

/// Travel time in whole seconds, as optimisers use it (exact, comparable objectives).
using ISeconds = std::int32_t;
/// "Unreachable" for integer travel times.
inline constexpr ISeconds UNREACHABLE = std::numeric_limits<ISeconds>::max();

/// Speed in km/h (the unit planners and road tables use).
using KmPerHour = double;
/// Convert a speed to metres per second.
constexpr double mps(KmPerHour v) { return v / 3.6; }

}  // namespace kepumap::core
