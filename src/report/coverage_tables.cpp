#include "report/coverage_tables.hpp"

#include <cmath>

namespace kepumap::report {

namespace {

double minutes(double s) { return s / 60.0; }

std::string parent_name(const analysis::StudyArea& area, std::size_t level, std::size_t u) {
  const auto& lv = area.levels[level];
  if (level + 1 >= area.levels.size() || u >= lv.parent.size() || lv.parent[u] == core::INVALID_ID) return {};
  return area.levels[level + 1].names[lv.parent[u]];
}

// Short ASCII key for a service in GIS column names.
std::string key_of(const std::string& facility) {
  if (facility == "education_base") return "base";
  if (facility == "museum") return "museum";
  if (facility == "caravan") return "caravan";
  if (facility == "expert_tour") return "expert";
  std::string k;
  for (char c : facility)
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') k += c;
  return k.empty() ? "svc" : k.substr(0, 12);
}

// The part of a bilingual label in one language: labels are "中文（…）English" or plain.
}  // namespace

std::string service_label(const std::string& facility, const std::string& label, bool english) {
  struct N {
    const char* key;
    const char* zh;
    const char* en;
  };
  static const N names[] = {{"museum", "科技馆", "museum"},
                            {"education_base", "科普教育基地", "education base"},
                            {"caravan", "科普大篷车", "caravan"},
                            {"expert_tour", "专家科普行", "expert tour"},
                            {"caravan_depot", "大篷车站", "caravan depot"}};
  for (const auto& n : names)
    if (facility == n.key) return english ? n.en : n.zh;
  if (english) return facility;
  const auto cut = label.find(' ');
  return cut == std::string::npos ? label : label.substr(0, cut);
}

namespace {}  // namespace

std::string level_label(const std::string& level, bool english) {
  struct L {
    const char* key;
    const char* zh;
    const char* en;
  };
  static const L labels[] = {{"village", "嘎查村", "villages"}, {"township", "苏木镇", "townships"},
                             {"banner", "旗县", "banner"},      {"county", "旗县", "counties"},
                             {"league", "盟市", "leagues"},     {"region", "全区", "region"}};
  for (const auto& l : labels)
    if (level == l.key) return english ? l.en : l.zh;
  return level;
}

std::vector<Sheet> coverage_sheets(const analysis::StudyArea& area, const analysis::Evaluation& ev,
                                   bool english) {
  std::vector<Sheet> sheets;
  const auto& services = ev.services;
  for (std::size_t l = 0; l < area.levels.size(); ++l) {
    Sheet s;
    s.name = level_label(area.levels[l].name, english);
    s.headers = english ? std::vector<std::string>{"name", "code", "parent", "population"}
                        : std::vector<std::string>{"名称", "代码", "上级", "人口"};
    for (const auto& sv : services) {
      const std::string lab = service_label(sv.facility, sv.label, english);
      if (english) {
        s.headers.insert(s.headers.end(), {lab + " covered", lab + " share"});
        if (!sv.mobile)
          s.headers.insert(s.headers.end(), {lab + " mean min", lab + " median min", lab + " p90 min"});
        if (!sv.mobile && l == 0)
          s.headers.insert(s.headers.end(), {lab + " nearest", lab + " nearest min", lab + " nearest km"});
      } else {
        s.headers.insert(s.headers.end(), {lab + " 覆盖人口", lab + " 覆盖率"});
        if (!sv.mobile)
          s.headers.insert(s.headers.end(),
                           {lab + " 平均时间(分)", lab + " 中位时间(分)", lab + " 90%时间(分)"});
        if (!sv.mobile && l == 0)
          s.headers.insert(s.headers.end(),
                           {lab + " 最近设施", lab + " 最近时间(分)", lab + " 最近距离(公里)"});
      }
    }
    if (english)
      s.headers.insert(s.headers.end(), {"covered by any", "share by any", "priority", "gap"});
    else
      s.headers.insert(s.headers.end(), {"任一覆盖人口", "任一覆盖率", "优先系数", "缺口"});
    const auto& lv = area.levels[l];
    for (std::size_t u = 0; u < lv.names.size(); ++u) {
      const analysis::UnitFigures& f = ev.coverage.levels[l][u];
      std::vector<Cell> row{lv.names[u], Cell::code(u < lv.codes.size() ? lv.codes[u] : std::string()),
                            parent_name(area, l, u), Cell::count(f.population)};
      for (std::size_t k = 0; k < services.size(); ++k) {
        const auto& sf = f.service[k];
        row.push_back(Cell::count(sf.covered));
        row.push_back(Cell::share(sf.share()));
        if (!services[k].mobile) {
          const bool any = sf.population - sf.unreachable > 0;
          row.push_back(Cell(any ? minutes(sf.mean_s) : std::nan(""), 1));
          row.push_back(Cell(any ? minutes(sf.median_s) : std::nan(""), 1));
          row.push_back(Cell(any ? minutes(sf.p90_s) : std::nan(""), 1));
          if (l == 0) {
            const bool has = sf.nearest != core::INVALID_ID;
            row.push_back(has && sf.nearest < services[k].facility_names.size()
                              ? services[k].facility_names[sf.nearest]
                              : std::string());
            row.push_back(Cell(has ? minutes(sf.nearest_time_s) : std::nan(""), 1));
            row.push_back(Cell(has ? sf.nearest_distance_m / 1000.0 : std::nan(""), 1));
          }
        }
      }
      row.push_back(Cell::count(f.covered_any));
      row.push_back(Cell::share(f.share_any()));
      row.push_back(Cell(f.priority, 2));
      row.push_back(Cell::count(f.gap));
      s.rows.push_back(std::move(row));
    }
    sheets.push_back(std::move(s));
  }
  return sheets;
}

Sheet equity_sheet(const analysis::Evaluation& ev, bool english) {
  Sheet s;
  s.name = english ? "equity" : "均衡性";
  s.headers =
      english ? std::vector<std::string>{"group", "population", "covered by any", "share",
                                         "mean min to nearest venue"}
              : std::vector<std::string>{"人群", "人口", "任一覆盖人口", "覆盖率", "到最近场馆平均时间(分)"};
  const auto& e = ev.coverage.equity;
  const std::pair<const analysis::GroupFigures*, const char*> groups[] = {
      {&e.pastoral, "牧区"}, {&e.other, "非牧区"}, {&e.border, "边境带"}, {&e.interior, "内地"}};
  for (const auto& [g, zh] : groups)
    s.rows.push_back({english ? g->name : std::string(zh), Cell::count(g->population),
                      Cell::count(g->covered_any), Cell::share(g->share()), Cell(minutes(g->mean_s), 1)});
  s.rows.push_back({english ? "Gini of travel time" : "出行时间基尼系数", Cell(e.gini_time, 3), "", "", ""});
  return s;
}

std::string target_name(const core::Target& t, bool english) {
  struct W {
    const char* key;
    const char* zh;
    const char* en;
  };
  static const W levels[] = {{"national", "国家级", "national"},
                             {"region", "自治区级", "regional"},
                             {"league", "盟市级", "league"},
                             {"banner", "旗县级", "banner"}};
  auto word = [&](const auto& table, const std::string& key) -> std::string {
    for (const auto& w : table)
      if (key == w.key) return english ? w.en : w.zh;
    return key;
  };
  const core::ScopeInfo& sc = core::scope_info(t.scope);
  const core::MetricInfo& mi = core::metric_info(t.metric);
  std::string name(english ? sc.en : sc.zh);
  const std::string metric(english ? mi.en : mi.zh);
  const std::string lv = t.level.empty() ? std::string() : word(levels, t.level);
  const std::string fac = t.facility.empty() ? std::string() : service_label(t.facility, "", english);
  if (english) return name + " " + (lv.empty() ? "" : lv + " ") + fac + " " + metric;
  return name + lv + fac + metric;
}

std::string unit_label(const std::string& unit, bool english) {
  struct W {
    const char* key;
    const char* zh;
    const char* en;
  };
  static const W units[] = {{"share", "%", "%"},        {"count", "个", "count"},
                            {"m2", "平方米", "m²"},     {"visits/year", "次/年", "visits/year"},
                            {"minutes", "分钟", "min"}, {"people", "人", "people"}};
  for (const auto& w : units)
    if (unit == w.key) return english ? w.en : w.zh;
  return unit;
}

Sheet targets_sheet(const analysis::Evaluation& ev, bool english) {
  Sheet s;
  s.name = english ? "targets" : "规划目标";
  s.headers = english ? std::vector<std::string>{"target",    "metric", "scope",         "value",
                                                 "threshold", "unit",   "result",        "failing units",
                                                 "deadline",  "source", "plan sentence", "id"}
                      : std::vector<std::string>{"目标", "指标",       "范围", "现值", "目标值",   "单位",
                                                 "结果", "未达标单元", "期限", "来源", "规划原文", "编号"};
  for (const auto& r : ev.targets) {
    const core::Target& t = *r.target;
    std::string failing;
    for (std::size_t i = 0; i < r.failing.size(); ++i) failing += (i ? "、" : "") + r.failing[i];
    std::string result = !r.evaluated ? (english ? "not evaluated: " : "无法评估：") + r.reason
                         : r.pass     ? (english ? "pass" : "达标")
                                      : (english ? "fail" : "未达标");
    const bool share = t.unit == "share";
    auto figure = [&](double v) { return share ? Cell::share(v, 3) : Cell(v, v == std::floor(v) ? 0 : 3); };
    s.rows.push_back({target_name(t, english), std::string(core::metric_name(t.metric)),
                      std::string(core::scope_name(t.scope)), r.evaluated ? figure(r.value) : Cell(""),
                      figure(t.threshold), unit_label(t.unit, english), result, failing,
                      Cell(static_cast<double>(t.deadline), 0), t.source, t.quote, t.id});
  }
  return s;
}

core::Table unit_attributes(const analysis::StudyArea& area, const analysis::Evaluation& ev,
                            std::size_t level, bool english,
                            std::vector<std::pair<std::string, std::string>>* aliases) {
  core::Table t;
  const auto& lv = area.levels[level];
  const auto& figs = ev.coverage.levels[level];
  auto titled = [&](int col, const std::string& zh, const std::string& en) {
    if (aliases) aliases->emplace_back(t.columns[static_cast<std::size_t>(col)].name, english ? en : zh);
    return col;
  };
  auto text_col = [&](const char* name, const char* zh, const char* en) {
    return titled(t.add_column(name, core::FieldType::Text), zh, en);
  };
  auto real_col = [&](const std::string& name, const std::string& zh, const std::string& en) {
    return titled(t.add_column(name, core::FieldType::Real), zh, en);
  };
  const int cn = text_col("name", "名称", "name"), cc = text_col("code", "代码", "code"),
            cp = text_col("parent", "上级", "parent"), cpop = real_col("population", "人口", "population");
  std::vector<std::vector<int>> svc_cols;
  for (const auto& sv : ev.services) {
    const std::string k = key_of(sv.facility);
    const std::string zh = service_label(sv.facility, sv.label, false);
    const std::string en = service_label(sv.facility, sv.label, true);
    std::vector<int> cols{real_col(k + "_covered", zh + " 覆盖人口", en + " covered"),
                          real_col(k + "_share", zh + " 覆盖率", en + " share")};
    if (!sv.mobile) {
      cols.push_back(real_col(k + "_mean_min", zh + " 平均时间(分)", en + " mean min"));
      cols.push_back(real_col(k + "_median_min", zh + " 中位时间(分)", en + " median min"));
      cols.push_back(real_col(k + "_p90_min", zh + " 90%时间(分)", en + " p90 min"));
    }
    svc_cols.push_back(cols);
  }
  const int cany = real_col("covered_any", "任一覆盖人口", "covered by any"),
            cshare = real_col("share_any", "任一覆盖率", "share by any"),
            cpr = real_col("priority", "优先系数", "priority"), cgap = real_col("gap", "缺口", "gap");
  for (std::size_t u = 0; u < lv.names.size(); ++u) {
    const auto& f = figs[u];
    t.columns[cn].push_text(lv.names[u]);
    t.columns[cc].push_text(u < lv.codes.size() ? lv.codes[u] : std::string());
    t.columns[cp].push_text(parent_name(area, level, u));
    t.columns[cpop].push_real(f.population);
    for (std::size_t k = 0; k < ev.services.size(); ++k) {
      const auto& sf = f.service[k];
      const auto& cols = svc_cols[k];
      t.columns[cols[0]].push_real(sf.covered);
      t.columns[cols[1]].push_real(sf.share());
      if (!ev.services[k].mobile) {
        const bool any = sf.population - sf.unreachable > 0;
        for (int i = 2; i < 5; ++i)
          if (!any) t.columns[cols[i]].push_null();
        if (any) {
          t.columns[cols[2]].push_real(minutes(sf.mean_s));
          t.columns[cols[3]].push_real(minutes(sf.median_s));
          t.columns[cols[4]].push_real(minutes(sf.p90_s));
        }
      }
    }
    t.columns[cany].push_real(f.covered_any);
    t.columns[cshare].push_real(f.share_any());
    t.columns[cpr].push_real(f.priority);
    t.columns[cgap].push_real(f.gap);
  }
  return t;
}

}  // namespace kepumap::report
