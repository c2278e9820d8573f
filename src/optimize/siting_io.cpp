// OR-Library p-median and matrix CSV readers for plain siting instances.
#include "optimize/siting_io.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <queue>
#include <sstream>

namespace kepumap::optimize {

namespace {

[[noreturn]] void fail(const std::string& file, int line, const std::string& field, const std::string& what) {
  core::Problem p;
  p.file = file;
  p.line = line;
  p.field = field;
  p.what = what;
  throw InstanceFileError(std::move(p));
}

std::string read_all(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) fail(file.string(), 0, "", "cannot open the file (无法打开文件)");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool parse_int(std::string_view s, long long& v) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  if (s.empty()) return false;
  if (s.front() == '+') s.remove_prefix(1);
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && ptr == s.data() + s.size();
}

bool parse_num(std::string_view s, double& v) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  if (s.empty()) return false;
  if (s.front() == '+') s.remove_prefix(1);
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && ptr == s.data() + s.size() && std::isfinite(v);
}

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

/// Splits one CSV line (RFC 4180 quotes, no embedded newlines).
std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (std::size_t k = 0; k < line.size(); ++k) {
    const char ch = line[k];
    if (quoted) {
      if (ch == '"' && k + 1 < line.size() && line[k + 1] == '"') {
        cur.push_back('"');
        ++k;
      } else if (ch == '"') {
        quoted = false;
      } else {
        cur.push_back(ch);
      }
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == ',') {
      out.push_back(trim(cur));
      cur.clear();
    } else {
      cur.push_back(ch);
    }
  }
  out.push_back(trim(cur));
  return out;
}

}  // namespace

std::vector<core::ISeconds> all_pairs_shortest(std::size_t n, const std::vector<CostEntry>& edges) {
  // Adjacency in CSR, both directions.
  std::vector<std::uint32_t> off(n + 1, 0), to;
  std::vector<std::int64_t> wt;
  for (const CostEntry& e : edges) {
    ++off[e.demand + 1];
    ++off[e.candidate + 1];
  }
  for (std::size_t v = 0; v < n; ++v) off[v + 1] += off[v];
  to.resize(off[n]);
  wt.resize(off[n]);
  std::vector<std::uint32_t> pos(off.begin(), off.end() - 1);
  for (const CostEntry& e : edges) {
    to[pos[e.demand]] = e.candidate;
    wt[pos[e.demand]++] = e.time;
    to[pos[e.candidate]] = e.demand;
    wt[pos[e.candidate]++] = e.time;
  }
  std::vector<core::ISeconds> out(n * n, core::UNREACHABLE);
  std::vector<std::int64_t> dist(n);
  using Item = std::pair<std::int64_t, std::uint32_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
  constexpr std::int64_t INF = std::numeric_limits<std::int64_t>::max();
  for (std::size_t s = 0; s < n; ++s) {
    std::fill(dist.begin(), dist.end(), INF);
    dist[s] = 0;
    heap.emplace(0, static_cast<std::uint32_t>(s));
    while (!heap.empty()) {
      const auto [d, v] = heap.top();
      heap.pop();
      if (d != dist[v]) continue;
      for (std::uint32_t k = off[v]; k < off[v + 1]; ++k) {
        const std::int64_t nd = d + wt[k];
        if (nd < dist[to[k]]) {
          dist[to[k]] = nd;
          heap.emplace(nd, to[k]);
        }
      }
    }
    for (std::size_t v = 0; v < n; ++v)
      if (dist[v] != INF)
        out[s * n + v] = static_cast<core::ISeconds>(std::min<std::int64_t>(dist[v], core::UNREACHABLE - 1));
  }
  return out;
}

OrlibInstance parse_orlib_pmedian(const std::string& text, const std::string& file) {
  std::istringstream in(text);
  std::string line;
  int lineno = 0;
  long long n = -1, m = -1, p = -1;
  // Header: the first non-empty line.
  while (std::getline(in, line)) {
    ++lineno;
    if (trim(line).empty()) continue;
    std::istringstream ls(line);
    std::string a, b, c, extra;
    ls >> a >> b >> c;
    if (!parse_int(a, n) || !parse_int(b, m) || !parse_int(c, p) || (ls >> extra))
      fail(file, lineno, "", "header must be three integers 'n m p' (首行应为 n m p)");
    break;
  }
  if (n < 0) fail(file, lineno, "", "empty file: no 'n m p' header (空文件)");
  if (n < 1 || n > 20000) fail(file, lineno, "n", "node count must be 1..20000, got " + std::to_string(n));
  if (m < 0) fail(file, lineno, "m", "edge count must be >= 0, got " + std::to_string(m));
  if (p < 1 || p > n) fail(file, lineno, "p", "p must be 1..n, got " + std::to_string(p));
  // Edges: the later duplicate wins (Beasley's rule), in either orientation.
  std::map<std::pair<std::uint32_t, std::uint32_t>, core::ISeconds> edge;
  long long seen = 0;
  while (seen < m && std::getline(in, line)) {
    ++lineno;
    if (trim(line).empty()) continue;
    std::istringstream ls(line);
    std::string a, b, c, extra;
    ls >> a >> b >> c;
    long long i = 0, j = 0, cost = 0;
    if (!parse_int(a, i) || !parse_int(b, j) || !parse_int(c, cost) || (ls >> extra))
      fail(file, lineno, "", "edge line must be three integers 'i j cost' (边应为 i j cost)");
    if (i < 1 || i > n || j < 1 || j > n)
      fail(file, lineno, "",
           "node " + std::to_string(i < 1 || i > n ? i : j) + " is outside 1.." + std::to_string(n));
    if (cost < 0 || cost >= core::UNREACHABLE)
      fail(file, lineno, "cost", "cost must be a non-negative integer");
    const auto a0 = static_cast<std::uint32_t>(i - 1), b0 = static_cast<std::uint32_t>(j - 1);
    edge[{std::min(a0, b0), std::max(a0, b0)}] = static_cast<core::ISeconds>(cost);
    ++seen;
  }
  if (seen < m)
    fail(file, lineno, "",
         "the header announces " + std::to_string(m) + " edges but the file has " + std::to_string(seen) +
             " (边数不足)");
  std::vector<CostEntry> edges;
  edges.reserve(edge.size());
  for (const auto& [k, c] : edge)
    if (k.first != k.second) edges.push_back({k.first, k.second, c});
  OrlibInstance out;
  out.p = static_cast<int>(p);
  out.nodes = static_cast<std::size_t>(n);
  out.edges = edges.size();
  const std::size_t nn = static_cast<std::size_t>(n);
  std::vector<core::ISeconds> d = all_pairs_shortest(nn, edges);
  out.instance.times = dense_matrix(nn, nn, d);
  out.instance.population.assign(nn, 1);
  return out;
}

OrlibInstance read_orlib_pmedian(const std::filesystem::path& file) {
  return parse_orlib_pmedian(read_all(file), file.string());
}

SitingInstance parse_matrix_csv(const std::string& text_in, const std::string& file) {
  std::string text = text_in;
  if (text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xEF &&
      static_cast<unsigned char>(text[1]) == 0xBB && static_cast<unsigned char>(text[2]) == 0xBF)
    text.erase(0, 3);
  std::istringstream in(text);
  std::string line;
  int lineno = 0;
  std::vector<std::string> header;
  while (std::getline(in, line)) {
    ++lineno;
    const std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    header = split_csv(line);
    break;
  }
  if (header.empty()) fail(file, lineno, "", "empty file: no header row (空文件，缺少表头)");
  if (header.size() < 3)
    fail(file, lineno, "", "header must be: demand,population[,priority],<candidate>... (表头格式错误)");
  const bool has_priority = header[2] == "priority" || header[2] == "优先级";
  const std::size_t first_cand = has_priority ? 3 : 2;
  if (header.size() <= first_cand)
    fail(file, lineno, "", "no candidate columns after the demand columns (没有候选点列)");
  SitingInstance inst;
  const std::size_t m = header.size() - first_cand;
  for (std::size_t j = first_cand; j < header.size(); ++j) {
    if (header[j].empty())
      fail(file, lineno, "column " + std::to_string(j + 1), "empty candidate name (候选点名称为空)");
    inst.candidate_names.push_back(header[j]);
  }
  std::vector<CostEntry> entries;
  std::vector<std::uint8_t> existing(m, 0);
  std::vector<std::uint8_t> have_cost(0), have_cap(0);
  std::map<std::string, core::Id> group_ids;
  std::size_t row = 0;
  while (std::getline(in, line)) {
    ++lineno;
    const std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    std::vector<std::string> cells = split_csv(line);
    if (cells.size() != header.size())
      fail(file, lineno, "",
           "row has " + std::to_string(cells.size()) + " cells, the header has " +
               std::to_string(header.size()) + " (列数与表头不符)");
    const std::string& name = cells[0];
    if (!name.empty() && name[0] == '@') {
      // Candidate attribute rows.
      const bool is_cost = name == "@cost", is_cap = name == "@capacity", is_exist = name == "@existing",
                 is_group = name == "@group";
      if (!is_cost && !is_cap && !is_exist && !is_group)
        fail(file, lineno, name, "unknown row; use @cost, @capacity, @existing or @group (未知的属性行)");
      if (is_cost) inst.cost.assign(m, 0);
      if (is_cap) inst.capacity.assign(m, 0);
      if (is_group) inst.group.assign(m, core::INVALID_ID);
      for (std::size_t j = 0; j < m; ++j) {
        const std::string& c = cells[first_cand + j];
        const std::string where = name + " / " + header[first_cand + j];
        if (is_group) {
          if (c.empty()) continue;
          const auto it = group_ids.emplace(c, static_cast<core::Id>(group_ids.size())).first;
          inst.group[j] = it->second;
          continue;
        }
        long long v = 0;
        if (c.empty() && is_exist) continue;
        if (!parse_int(c, v) || v < 0)
          fail(file, lineno, where, "'" + c + "' is not a non-negative integer (应为非负整数)");
        if (is_cost) inst.cost[j] = v;
        if (is_cap) inst.capacity[j] = v;
        if (is_exist) {
          if (v > 1) fail(file, lineno, where, "@existing takes 0 or 1 (应为 0 或 1)");
          existing[j] = static_cast<std::uint8_t>(v);
        }
      }
      continue;
    }
    if (name.empty()) fail(file, lineno, header[0], "empty demand name (需求点名称为空)");
    long long pop = 0;
    if (!parse_int(cells[1], pop) || pop < 0)
      fail(file, lineno, header[1],
           "population '" + cells[1] + "' is not a non-negative integer (人口应为非负整数)");
    std::int32_t prio = PRIORITY_SCALE;
    if (has_priority) {
      double pr = 0.0;
      if (!parse_num(cells[2], pr) || pr < 0.0 || pr > 1000.0)
        fail(file, lineno, header[2], "priority '" + cells[2] + "' is not a number 0..1000 (优先级应为数字)");
      prio = static_cast<std::int32_t>(std::lround(pr * PRIORITY_SCALE));
    }
    for (std::size_t j = 0; j < m; ++j) {
      const std::string& c = cells[first_cand + j];
      if (c.empty() || c == "-" || c == "inf" || c == "NA") continue;
      double sec = 0.0;
      if (!parse_num(c, sec) || sec < 0.0 || sec >= static_cast<double>(core::UNREACHABLE))
        fail(file, lineno, header[first_cand + j],
             "time '" + c + "' is not a number of seconds >= 0 (时间应为秒数)");
      entries.push_back({static_cast<std::uint32_t>(row), static_cast<std::uint32_t>(j),
                         static_cast<core::ISeconds>(std::llround(sec))});
    }
    inst.demand_names.push_back(name);
    inst.population.push_back(pop);
    inst.priority.push_back(prio);
    ++row;
  }
  if (row == 0) fail(file, lineno, "", "no demand rows (没有需求点行)");
  if (!has_priority) inst.priority.clear();
  for (std::size_t j = 0; j < m; ++j)
    if (existing[j]) inst.existing.push_back(static_cast<core::Id>(j));
  inst.times = triplet_matrix(row, m, std::move(entries));
  return inst;
}

SitingInstance read_matrix_csv(const std::filesystem::path& file) {
  return parse_matrix_csv(read_all(file), file.string());
}

}  // namespace kepumap::optimize
