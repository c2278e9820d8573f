// TSPLIB and Solomon readers and the exact Solomon feasibility check.
#include "optimize/tour_formats.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

namespace kepumap::optimize {

namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::string upper(std::string s) {
  for (auto& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}

/// Largest coordinate accepted: distances between nodes stay far inside 32-bit integers.
constexpr double k_max_coordinate = 1e8;
/// Largest demand, time or service accepted (stored as int).
constexpr double k_max_amount = 1e9;

[[noreturn]] void fail(const std::filesystem::path& file, int line, const std::string& what) {
  std::string msg = file.string();
  if (line > 0) msg += ":" + std::to_string(line);
  throw FormatError(msg + ": " + what);
}

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) fail(file, 0, "cannot open the file (无法打开文件)");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

CostMatrix TsplibInstance::matrix() const {
  const int n = static_cast<int>(x.size());
  CostMatrix m(n);
  const bool ceil_type = edge_weight_type == "CEIL_2D";
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      const double dx = x[static_cast<std::size_t>(i)] - x[static_cast<std::size_t>(j)];
      const double dy = y[static_cast<std::size_t>(i)] - y[static_cast<std::size_t>(j)];
      const double e = std::sqrt(dx * dx + dy * dy);
      // TSPLIB's nint(x) is (int)(x + 0.5).
      m.at(i, j) = static_cast<std::int32_t>(ceil_type ? std::ceil(e) : std::floor(e + 0.5));
    }
  return m;
}

TsplibInstance read_tsplib(const std::filesystem::path& file) { return parse_tsplib(read_text(file), file); }

TsplibInstance parse_tsplib(const std::string& text, const std::filesystem::path& file) {
  std::istringstream in(text);
  TsplibInstance inst;
  std::string line;
  int lineno = 0, dimension = -1;
  bool coords = false;
  std::string type;
  while (std::getline(in, line)) {
    ++lineno;
    const std::string t = trim(line);
    if (t.empty()) continue;
    if (!coords) {
      const auto colon = t.find(':');
      const std::string key = upper(trim(colon == std::string::npos ? t : t.substr(0, colon)));
      const std::string val = colon == std::string::npos ? std::string{} : trim(t.substr(colon + 1));
      if (key == "NAME")
        inst.name = val;
      else if (key == "TYPE")
        type = upper(val);
      else if (key == "DIMENSION") {
        try {
          dimension = std::stoi(val);
        } catch (...) {
          fail(file, lineno, "DIMENSION is not a number: '" + val + "'");
        }
        if (dimension <= 0) fail(file, lineno, "DIMENSION must be positive");
      } else if (key == "EDGE_WEIGHT_TYPE")
        inst.edge_weight_type = upper(val);
      else if (key == "NODE_COORD_SECTION") {
        if (type != "TSP") fail(file, lineno, "only TYPE: TSP is supported (got '" + type + "')");
        if (inst.edge_weight_type != "EUC_2D" && inst.edge_weight_type != "CEIL_2D")
          fail(file, lineno,
               "only EDGE_WEIGHT_TYPE EUC_2D or CEIL_2D is supported (got '" + inst.edge_weight_type + "')");
        if (dimension <= 0) fail(file, lineno, "NODE_COORD_SECTION before DIMENSION");
        coords = true;
      } else if (key == "EOF")
        break;
      else if (key == "EDGE_WEIGHT_SECTION" || key == "DISPLAY_DATA_SECTION")
        fail(file, lineno, "section " + key + " is not supported (use NODE_COORD_SECTION)");
      continue;
    }
    if (upper(t) == "EOF") break;
    std::istringstream ss(t);
    long id = 0;
    double xx = 0, yy = 0;
    if (!(ss >> id >> xx >> yy)) fail(file, lineno, "expected 'id x y', got '" + t + "'");
    if (id != static_cast<long>(inst.x.size()) + 1)
      fail(
          file, lineno,
          "node ids must run 1.." + std::to_string(dimension) + " in order (got " + std::to_string(id) + ")");
    if (static_cast<int>(inst.x.size()) >= dimension)
      fail(file, lineno, "more nodes than DIMENSION " + std::to_string(dimension));
    if (!(std::abs(xx) <= k_max_coordinate && std::abs(yy) <= k_max_coordinate))
      fail(file, lineno, "coordinates must lie within ±1e8 (distances are 32-bit integers), got '" + t + "'");
    inst.x.push_back(xx);
    inst.y.push_back(yy);
  }
  if (!coords) fail(file, 0, "no NODE_COORD_SECTION");
  if (static_cast<int>(inst.x.size()) != dimension)
    fail(file, lineno,
         "DIMENSION is " + std::to_string(dimension) + " but " + std::to_string(inst.x.size()) +
             " nodes were given");
  return inst;
}

double SolomonInstance::distance(int i, int j) const {
  const double dx = x[static_cast<std::size_t>(i)] - x[static_cast<std::size_t>(j)];
  const double dy = y[static_cast<std::size_t>(i)] - y[static_cast<std::size_t>(j)];
  return std::sqrt(dx * dx + dy * dy);
}

SolomonInstance read_solomon(const std::filesystem::path& file) {
  return parse_solomon(read_text(file), file);
}

SolomonInstance parse_solomon(const std::string& text, const std::filesystem::path& file) {
  std::istringstream in(text);
  SolomonInstance inst;
  std::string line;
  int lineno = 0;
  enum { Name, Vehicle, Customers } state = Name;
  bool have_vehicle = false;
  while (std::getline(in, line)) {
    ++lineno;
    const std::string t = trim(line);
    if (t.empty()) continue;
    const std::string u = upper(t);
    if (state == Name) {
      inst.name = t;
      state = Vehicle;
      continue;
    }
    if (u == "CUSTOMER") {
      if (!have_vehicle) fail(file, lineno, "CUSTOMER section before the vehicle number and capacity");
      state = Customers;
      continue;
    }
    if (u == "VEHICLE" || u.rfind("NUMBER", 0) == 0 || u.rfind("CUST", 0) == 0) continue;
    std::istringstream ss(t);
    if (state == Vehicle) {
      if (!(ss >> inst.vehicles >> inst.capacity) || inst.vehicles <= 0 || inst.capacity <= 0)
        fail(file, lineno, "expected 'vehicles capacity' (two positive integers), got '" + t + "'");
      have_vehicle = true;
      continue;
    }
    long id = 0;
    double xx = 0, yy = 0, q = 0, r = 0, d = 0, s = 0;
    if (!(ss >> id >> xx >> yy >> q >> r >> d >> s))
      fail(file, lineno, "expected 'id x y demand ready due service', got '" + t + "'");
    if (id != inst.size())
      fail(file, lineno, "customer ids must run 0,1,2,... in order (got " + std::to_string(id) + ")");
    if (r > d) fail(file, lineno, "ready time after due date");
    if (q < 0 || s < 0) fail(file, lineno, "negative demand or service time");
    if (!(std::abs(xx) <= k_max_coordinate && std::abs(yy) <= k_max_coordinate))
      fail(file, lineno, "coordinates must lie within ±1e8, got '" + t + "'");
    if (!(q <= k_max_amount && std::abs(r) <= k_max_amount && std::abs(d) <= k_max_amount &&
          s <= k_max_amount))
      fail(file, lineno, "demand, times and service must lie within ±1e9 (32-bit integers), got '" + t + "'");
    inst.x.push_back(xx);
    inst.y.push_back(yy);
    inst.demand.push_back(static_cast<int>(std::lround(q)));
    inst.ready.push_back(static_cast<int>(std::lround(r)));
    inst.due.push_back(static_cast<int>(std::lround(d)));
    inst.service.push_back(static_cast<int>(std::lround(s)));
  }
  if (inst.size() < 2) fail(file, lineno, "no customers (need the depot row 0 and at least one customer)");
  return inst;
}

std::string check_solomon(const SolomonInstance& inst, const SolomonSolution& sol) {
  const int n = inst.size();
  std::vector<int> seen(static_cast<std::size_t>(n), 0);
  if (static_cast<int>(sol.routes.size()) > inst.vehicles)
    return std::to_string(sol.routes.size()) + " routes but only " + std::to_string(inst.vehicles) +
           " vehicles";
  for (std::size_t r = 0; r < sol.routes.size(); ++r) {
    double t = inst.ready[0];
    int load = 0, prev = 0;
    for (int c : sol.routes[r]) {
      if (c <= 0 || c >= n) return "route " + std::to_string(r) + ": bad customer id " + std::to_string(c);
      ++seen[static_cast<std::size_t>(c)];
      load += inst.demand[static_cast<std::size_t>(c)];
      t = std::max(t + inst.distance(prev, c), static_cast<double>(inst.ready[static_cast<std::size_t>(c)]));
      if (t > inst.due[static_cast<std::size_t>(c)] + 1e-9)
        return "route " + std::to_string(r) + ": customer " + std::to_string(c) + " served at " +
               std::to_string(t) + " after its due time " +
               std::to_string(inst.due[static_cast<std::size_t>(c)]);
      t += inst.service[static_cast<std::size_t>(c)];
      prev = c;
    }
    t += inst.distance(prev, 0);
    if (t > inst.due[0] + 1e-9) return "route " + std::to_string(r) + ": back at the depot too late";
    if (load > inst.capacity) return "route " + std::to_string(r) + ": load over capacity";
  }
  for (int c = 1; c < n; ++c) {
    const bool unserved = std::find(sol.unserved.begin(), sol.unserved.end(), c) != sol.unserved.end();
    if (seen[static_cast<std::size_t>(c)] + (unserved ? 1 : 0) != 1)
      return "customer " + std::to_string(c) + " visited " +
             std::to_string(seen[static_cast<std::size_t>(c)]) + " times";
  }
  return {};
}

}  // namespace kepumap::optimize
