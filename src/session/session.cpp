#include "session/session.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "analysis/facility_layer.hpp"

namespace kepumap::session {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

template <class T>
void insert_at(std::vector<T>& v, std::size_t i, T x) {
  if (i > v.size()) v.resize(i);
  v.insert(v.begin() + static_cast<std::ptrdiff_t>(i), std::move(x));
}
template <class T>
void erase_at(std::vector<T>& v, std::size_t i) {
  if (i < v.size()) v.erase(v.begin() + static_cast<std::ptrdiff_t>(i));
}

bool same_place(core::Vec2 a, core::Vec2 b) {
  return std::abs(a.x - b.x) < 1e-6 && std::abs(a.y - b.y) < 1e-6;
}

bool exactly(core::Vec2 a, core::Vec2 b) { return a.x == b.x && a.y == b.y; }

std::string quoted(const std::string& s, bool english) { return english ? "\"" + s + "\"" : "“" + s + "”"; }

std::string fmt(const char* f, double v) {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

bool is_facility_edit(const Edit& e) { return e.changes_figures(); }

}  // namespace

Evaluated evaluate(std::shared_ptr<const core::Document> doc, std::uint64_t revision,
                   const std::string& scenario, const std::atomic<bool>* cancel) {
  Evaluated out;
  out.doc = std::move(doc);
  out.revision = revision;
  out.scenario = scenario;
  const auto t0 = Clock::now();
  try {
    auto pe = std::make_shared<analysis::ProjectEvaluation>(
        analysis::evaluate_project(*out.doc, scenario, out.diag, cancel));
    if (!out.diag.has_errors()) out.pe = std::move(pe);
  } catch (const std::exception& e) {
    out.diag.error({core::Severity::Error, out.doc->config.file.string(), "", -1, "", 0, e.what(), {}});
  }
  if (cancel && cancel->load()) {
    out.cancelled = true;
    out.pe.reset();
  }
  out.seconds = ms_since(t0) / 1000.0;
  return out;
}

Session::Session(std::shared_ptr<const core::Document> doc) { reset(std::move(doc)); }

void Session::reset(std::shared_ptr<const core::Document> doc) {
  m_edits.clear();
  m_applied = 0;
  m_styles.clear();
  m_drag.reset();
  m_preview.reset();
  m_pe.reset();
  m_pe_doc.reset();
  m_base_points.clear();
  if (m_access) m_access->reset();
  m_access_set = SIZE_MAX;
  ++m_serial;
  new_revision(std::move(doc));
}

void Session::new_revision(std::shared_ptr<const core::Document> doc) {
  m_doc = std::move(doc);
  m_revision = m_next_revision++;
}

std::size_t Session::add_layer(core::Layer layer) {
  Edit e;
  e.kind = Edit::Kind::AddLayer;
  e.index = m_doc ? m_doc->layers.size() : 0;
  e.layer = std::make_shared<const core::Layer>(std::move(layer));
  apply(e, true, nullptr);
  push(std::move(e));
  return m_doc->layers.size() - 1;
}

bool Session::remove_layer(std::size_t index) {
  if (!m_doc || index >= m_doc->layers.size()) return false;
  Edit e;
  e.kind = Edit::Kind::RemoveLayer;
  e.index = index;
  e.layer = std::make_shared<const core::Layer>(m_doc->layers[index]);
  apply(e, true, nullptr);
  push(std::move(e));
  return true;
}

bool Session::change_layer(std::size_t index, core::Role role, const core::FieldMap& fields) {
  if (!m_doc || index >= m_doc->layers.size()) return false;
  const core::Layer& l = m_doc->layers[index];
  auto same = [](const core::FieldMap& a, const core::FieldMap& b) {
    const auto ka = core::field_keys(a), kb = core::field_keys(b);
    for (std::size_t k = 0; k < ka.size(); ++k)
      if (*ka[k].value != *kb[k].value) return false;
    return true;
  };
  if (l.role == role && same(l.fields, fields)) return false;
  Edit e;
  e.kind = Edit::Kind::ChangeLayer;
  e.index = index;
  e.name = l.name;
  e.role = role;
  e.fields = fields;
  e.old_role = l.role;
  e.old_fields = l.fields;
  apply(e, true, nullptr);
  push(std::move(e));
  return true;
}

namespace {

/// Why a scenario definition cannot be used, or empty.
std::string scenario_problem(const core::Scenario& s) {
  if (s.name.empty()) return "a scenario needs a name (情景需要名称)";
  for (unsigned char c : s.name)
    if (!(std::isalnum(c) || c == '_' || c == '-'))
      return "scenario name '" + s.name +
             "': use letters, digits, '_' and '-' only (it is typed after --scenario; "
             "名称只能含字母、数字、_ 和 -)";
  auto speed = [](double v) { return std::isfinite(v) && v > 0 && v <= 300.0; };
  if (s.offroad_kmh && !speed(*s.offroad_kmh))
    return "scenario '" + s.name +
           "': the off-road speed must be above 0 and at most 300 km/h (越野速度无效)";
  for (const auto& [cls, kmh] : s.road_speeds) {
    if (cls.empty()) return "scenario '" + s.name + "': a road speed without a road class";
    if (!speed(kmh))
      return "scenario '" + s.name + "': the speed of road class '" + cls +
             "' must be above 0 and at most 300 km/h (道路速度无效)";
  }
  for (const auto& [cls, kmh] : s.landcover_speeds)
    if (!std::isfinite(cls) || !(std::isfinite(kmh) && kmh >= 0 && kmh <= 300.0))
      return "scenario '" + s.name + "': a land-cover speed must be 0 to 300 km/h";
  return {};
}

bool same_scenario(const core::Scenario& a, const core::Scenario& b) {
  return a.name == b.name && a.label == b.label && a.offroad_kmh == b.offroad_kmh &&
         a.road_speeds == b.road_speeds && a.closed_classes == b.closed_classes &&
         a.closed_tags == b.closed_tags && a.open_tags == b.open_tags && a.tag_speeds == b.tag_speeds &&
         a.landcover_speeds == b.landcover_speeds && a.ice == b.ice;
}

}  // namespace

bool Session::put_scenario(core::Scenario s, std::string& error) {
  error.clear();
  if (!m_doc) return false;
  if (error = scenario_problem(s); !error.empty()) return false;
  const auto& list = m_doc->config.scenarios;
  Edit e;
  e.kind = Edit::Kind::Scenario;
  e.name = s.name;
  e.index = list.size();
  for (std::size_t i = 0; i < list.size(); ++i)
    if (list[i].name == s.name) {
      if (same_scenario(list[i], s)) return false;
      e.index = i;
      e.old_scenario = list[i];
      e.scenario_before = true;
      s.line = list[i].line;
    }
  if (!e.scenario_before) s.line = 0;
  e.scenario = std::move(s);
  e.scenario_after = true;
  apply(e, true, nullptr);
  push(std::move(e));
  return true;
}

bool Session::style_layer(std::size_t index, const core::LayerStyleSpec& style) {
  if (!m_doc || index >= m_doc->layers.size()) return false;
  core::LayerStyleSpec was = layer_style(index);
  if (was == style) return false;
  Edit e;
  e.kind = Edit::Kind::StyleLayer;
  e.index = index;
  e.name = m_doc->layers[index].name;
  e.style = style;
  e.old_style = std::move(was);
  apply(e, true, nullptr);
  push(std::move(e));
  return true;
}

bool Session::remove_scenario(const std::string& name, std::string& error) {
  error.clear();
  if (!m_doc) return false;
  const auto& list = m_doc->config.scenarios;
  for (std::size_t i = 0; i < list.size(); ++i)
    if (list[i].name == name) {
      Edit e;
      e.kind = Edit::Kind::Scenario;
      e.name = name;
      e.index = i;
      e.old_scenario = list[i];
      e.scenario_before = true;
      apply(e, true, nullptr);
      push(std::move(e));
      return true;
    }
  error = "no scenario named '" + name + "' (没有此情景)";
  return false;
}

core::LayerStyleSpec Session::layer_style(std::size_t index) const {
  if (!m_doc || index >= m_doc->layers.size()) return {};
  const std::string& name = m_doc->layers[index].name;
  for (const auto& [n, st] : m_styles)
    if (n == name) return st;
  for (const auto& spec : m_doc->config.layers)
    if (spec.name == name) return spec.style;
  return {};
}

std::shared_ptr<const void> Session::freeze() {
  auto token = std::make_shared<int>(0);
  m_frozen = token;
  return token;
}

bool Session::needs_evaluation() const {
  return m_doc && (!m_pe || m_pe_revision != m_revision || m_pe_scenario != m_scenario);
}

int Session::set_index(const std::string& facility) const {
  if (!m_pe) return -1;
  for (std::size_t k = 0; k < m_pe->ev.sets.size(); ++k)
    if (m_pe->ev.sets[k].facility == facility) return static_cast<int>(k);
  return -1;
}

bool Session::fixed_set(std::size_t k, std::string& error) const {
  if (!m_pe) {
    error = "the coverage is not computed yet (覆盖尚未计算)";
    return false;
  }
  if (m_drag) {
    error = "a facility is being dragged";
    return false;
  }
  if (frozen()) {
    error = "a job is reading the figures (exporting); edit again when it ends (正在导出)";
    return false;
  }
  if (k >= m_pe->ev.sets.size() || m_pe->ev.sets[k].mobile) {
    error = "no fixed facility type " + std::to_string(k);
    return false;
  }
  return true;
}

bool Session::check(const analysis::ProjectEvaluation& pe, const Edit& e, std::string& error) const {
  std::size_t k = pe.ev.sets.size();
  for (std::size_t q = 0; q < pe.ev.sets.size(); ++q)
    if (pe.ev.sets[q].facility == e.facility) k = q;
  if (k == pe.ev.sets.size() || pe.ev.sets[k].mobile) {
    error = "the project has no fixed facility type '" + e.facility + "' (项目中没有此设施类型)";
    return false;
  }
  const auto& s = pe.ev.sets[k];
  auto gone = [&](std::size_t i, core::Vec2 at) {
    if (i < s.points.size() && same_place(s.points[i], at)) return false;
    char b[160];
    std::snprintf(b, sizeof b, "%s #%zu at (%.0f, %.0f) is no longer in the project (设施已不存在)",
                  e.facility.c_str(), i, at.x, at.y);
    error = b;
    return true;
  };
  switch (e.kind) {
    case Edit::Kind::Move:
      return !gone(e.index, e.from);
    case Edit::Kind::Delete:
      return !gone(e.index, e.to);
    case Edit::Kind::Rename:
      if (e.index >= s.points.size()) {
        error = e.facility + " #" + std::to_string(e.index) + " is no longer in the project (设施已不存在)";
        return false;
      }
      return true;
    case Edit::Kind::Add:
      if (e.index > s.points.size()) {
        error = "index " + std::to_string(e.index) + " is beyond the " + std::to_string(s.points.size()) +
                " " + e.facility + " facilities";
        return false;
      }
      return true;
    case Edit::Kind::AcceptSites:
      if (!e.parts.empty() && e.parts.front().index > s.points.size()) {
        error = "the sites were accepted after " + std::to_string(e.parts.front().index) + " " + e.facility +
                " facilities; the project now has " + std::to_string(s.points.size());
        return false;
      }
      return true;
    default:
      return true;
  }
}

bool Session::apply_facility(analysis::ProjectEvaluation& pe, const core::Document& doc, const Edit& e,
                             bool forward, std::string* error) {
  std::string err;
  if (!check(pe, e, err) && forward) {
    if (error) *error = err;
    return false;
  }
  const auto t0 = Clock::now();
  std::size_t k = 0;
  for (std::size_t q = 0; q < pe.ev.sets.size(); ++q)
    if (pe.ev.sets[q].facility == e.facility) k = q;
  auto& s = pe.ev.sets[k];
  auto insert = [&](const Edit& a) {
    // the per-facility columns are parallel to the points where the set has them
    if (s.capacity.size() == s.points.size()) insert_at(s.capacity, a.index, a.capacity);
    if (s.order_key.size() == s.points.size()) insert_at(s.order_key, a.index, a.order_key);
    insert_at(s.names, a.index, a.name);
    insert_at(s.levels, a.index, a.level);
    insert_at(s.floor_area_m2, a.index, a.floor_area_m2);
    insert_at(s.points, a.index, a.to);
  };
  auto erase = [&](std::size_t i) {
    if (s.capacity.size() == s.points.size()) erase_at(s.capacity, i);
    if (s.order_key.size() == s.points.size()) erase_at(s.order_key, i);
    erase_at(s.names, i);
    erase_at(s.levels, i);
    erase_at(s.floor_area_m2, i);
    erase_at(s.points, i);
  };
  auto surface = [&]() { analysis::update_set(pe.ev, k, doc, pe.area, pe.travel.model, m_ws, pe.priority); };
  auto figures = [&]() { analysis::recompute_figures(pe.ev, doc, pe.area, pe.priority); };
  switch (e.kind) {
    case Edit::Kind::Move:
      if (e.index >= s.points.size()) return false;
      s.points[e.index] = forward ? e.to : e.from;
      surface();
      break;
    case Edit::Kind::Add:
    case Edit::Kind::Delete:
      if ((e.kind == Edit::Kind::Add) == forward)
        insert(e);
      else
        erase(e.index);
      surface();
      break;
    case Edit::Kind::AcceptSites:
      if (forward)
        for (const auto& a : e.parts) insert(a);
      else
        for (auto it = e.parts.rbegin(); it != e.parts.rend(); ++it) erase(it->index);
      surface();
      break;
    case Edit::Kind::Rename:
      if (e.index >= s.points.size()) return false;
      if (e.index >= s.names.size()) s.names.resize(e.index + 1);
      if (e.index >= s.levels.size()) s.levels.resize(e.index + 1);
      s.names[e.index] = forward ? e.name : e.old_name;
      s.levels[e.index] = forward ? e.level : e.old_level;
      if (k < pe.ev.services.size()) pe.ev.services[k].facility_names = s.names;
      figures();
      break;
    case Edit::Kind::Standard:
      s.standard_s = forward ? e.new_s : e.old_s;
      if (k < pe.ev.services.size()) pe.ev.services[k].standard_s = s.standard_s;
      figures();
      break;
    default:
      return false;
  }
  refresh_access_targets(pe, doc);
  m_last_ms = ms_since(t0);
  return true;
}

void Session::refresh_access_targets(analysis::ProjectEvaluation& pe, const core::Document& doc) {
  // recompute_figures evaluates the targets without the access figures (they need the travel
  // model); targets on access_index or capacity_coverage_share get them again with the edits.
  if (std::any_of(doc.config.targets.begin(), doc.config.targets.end(), [](const core::Target& t) {
        return t.metric == core::Metric::AccessIndex || t.metric == core::Metric::CapacityCoverageShare;
      }))
    analysis::add_access_targets(pe, doc);
}

bool Session::apply(const Edit& e, bool forward, std::string* error) {
  if (e.kind == Edit::Kind::StyleLayer) {  // a look: neither the document nor the figures change
    const core::LayerStyleSpec& st = forward ? e.style : e.old_style;
    auto it =
        std::find_if(m_styles.begin(), m_styles.end(), [&](const auto& p) { return p.first == e.name; });
    if (it != m_styles.end())
      it->second = st;
    else
      m_styles.emplace_back(e.name, st);
    return true;
  }
  ++m_serial;
  if (e.changes_document()) {
    auto next = std::make_shared<core::Document>(*m_doc);
    if (e.kind == Edit::Kind::ChangeLayer) {
      if (e.index < next->layers.size()) {
        core::Layer& l = next->layers[e.index];
        l.role = forward ? e.role : e.old_role;
        l.fields = forward ? e.fields : e.old_fields;
        for (auto& spec : next->config.layers)  // what 保存 writes
          if (spec.name == l.name) {
            spec.role = l.role;
            spec.fields = l.fields;
          }
      }
      new_revision(std::move(next));
      return true;
    }
    if (e.kind == Edit::Kind::Scenario) {
      auto& list = next->config.scenarios;
      const bool present = forward ? e.scenario_after : e.scenario_before;
      const core::Scenario& def = forward ? e.scenario : e.old_scenario;
      auto it =
          std::find_if(list.begin(), list.end(), [&](const core::Scenario& x) { return x.name == e.name; });
      if (it != list.end()) list.erase(it);
      if (present)
        list.insert(list.begin() + static_cast<std::ptrdiff_t>(std::min(e.index, list.size())), def);
      else if (m_scenario == e.name)
        m_scenario.clear();  // the scenario shown is gone: the base
      new_revision(std::move(next));
      return true;
    }
    const bool add = (e.kind == Edit::Kind::AddLayer) == forward;
    if (add)
      next->layers.insert(
          next->layers.begin() + static_cast<std::ptrdiff_t>(std::min(e.index, next->layers.size())),
          *e.layer);
    else if (e.index < next->layers.size())
      next->layers.erase(next->layers.begin() + static_cast<std::ptrdiff_t>(e.index));
    new_revision(std::move(next));
    return true;
  }
  if (!m_pe) return true;  // applied when an evaluation is installed
  return apply_facility(*m_pe, *m_pe_doc, e, forward, error);
}

void Session::push(Edit e) {
  m_edits.resize(m_applied);
  const bool look = e.kind == Edit::Kind::StyleLayer;
  m_edits.push_back(std::move(e));
  m_applied = m_edits.size();
  if (!look) ++m_serial;  // a style edit leaves the figures (and the overlays drawn from them) as they are
}

bool Session::install(Evaluated e, std::string& message) {
  if (e.revision != m_revision || e.scenario != m_scenario) {
    message = "the evaluation is of an older revision of the project; recomputing (项目已更改，重新计算)";
    return false;
  }
  if (e.cancelled) {
    message = "the evaluation was cancelled (已取消)";
    return false;
  }
  if (!e.pe) {
    message = "the evaluation failed";
    for (const auto& p : e.diag.problems)
      if (p.severity == core::Severity::Error) {
        message = p.to_line();
        break;
      }
    return false;
  }
  std::vector<std::vector<core::Vec2>> base;
  for (const auto& s : e.pe->ev.sets) base.push_back(s.points);
  for (std::size_t i = 0; i < m_applied; ++i) {
    if (!is_facility_edit(m_edits[i])) continue;
    std::string err;
    if (!apply_facility(*e.pe, *e.doc, m_edits[i], true, &err)) {
      message = "edit " + std::to_string(i + 1) + " (" + edit_lines(true)[i] + ") no longer applies: " + err +
                "; the figures and edits are kept as they were (编辑无法重放，保持原状)";
      return false;
    }
  }
  m_pe = std::move(e.pe);
  m_pe_doc = std::move(e.doc);
  m_pe_revision = e.revision;
  m_pe_scenario = e.scenario;
  m_base_points = std::move(base);
  m_drag.reset();
  m_preview.reset();
  if (m_access) m_access->reset();  // another travel model and study area
  m_access_set = SIZE_MAX;
  ++m_serial;
  return true;
}

const analysis::LiveAccess* Session::access(std::size_t k, std::string* why) {
  if (!m_pe) {
    if (why) *why = "no evaluation yet";
    return nullptr;
  }
  if (!m_access) m_access = std::make_unique<analysis::LiveAccess>();
  if (m_access_set != k || !(m_access_key == key())) {
    m_access_error = m_access->update(*m_pe, k);
    m_access_set = k;
    m_access_key = key();
  }
  if (!m_access_error.empty()) {
    if (why) *why = m_access_error;
    return nullptr;
  }
  return m_access.get();
}

bool Session::move_facility(std::size_t k, std::size_t i, core::Vec2 p, std::string& error) {
  if (!fixed_set(k, error)) return false;
  const auto& s = m_pe->ev.sets[k];
  if (i >= s.points.size()) {
    error = "no facility " + std::to_string(i) + " of " + s.facility;
    return false;
  }
  Edit e;
  e.kind = Edit::Kind::Move;
  e.facility = s.facility;
  e.index = i;
  e.from = s.points[i];
  e.to = p;
  e.name = i < s.names.size() ? s.names[i] : std::string();
  if (!apply(e, true, &error)) return false;
  push(std::move(e));
  return true;
}

int Session::add_facility(std::size_t k, core::Vec2 p, const std::string& name, const std::string& level,
                          std::string& error) {
  if (!fixed_set(k, error)) return -1;
  const auto& s = m_pe->ev.sets[k];
  Edit e;
  e.kind = Edit::Kind::Add;
  e.facility = s.facility;
  e.index = s.points.size();
  e.to = p;
  e.name = name.empty() ? "新址 " + std::to_string(e.index + 1) : name;
  e.level = level;
  if (!apply(e, true, &error)) return -1;
  const int idx = static_cast<int>(e.index);
  push(std::move(e));
  return idx;
}

bool Session::delete_facility(std::size_t k, std::size_t i, std::string& error) {
  if (!fixed_set(k, error)) return false;
  const auto& s = m_pe->ev.sets[k];
  if (i >= s.points.size()) {
    error = "no facility " + std::to_string(i) + " of " + s.facility;
    return false;
  }
  Edit e;
  e.kind = Edit::Kind::Delete;
  e.facility = s.facility;
  e.index = i;
  e.to = s.points[i];
  if (i < s.names.size()) e.name = s.names[i];
  if (i < s.levels.size()) e.level = s.levels[i];
  if (i < s.floor_area_m2.size()) e.floor_area_m2 = s.floor_area_m2[i];
  if (i < s.capacity.size()) e.capacity = s.capacity[i];
  if (i < s.order_key.size()) e.order_key = s.order_key[i];
  if (!apply(e, true, &error)) return false;
  push(std::move(e));
  return true;
}

bool Session::rename_facility(std::size_t k, std::size_t i, const std::string& name, const std::string& level,
                              std::string& error) {
  if (!fixed_set(k, error)) return false;
  const auto& s = m_pe->ev.sets[k];
  if (i >= s.points.size()) {
    error = "no facility " + std::to_string(i) + " of " + s.facility;
    return false;
  }
  Edit e;
  e.kind = Edit::Kind::Rename;
  e.facility = s.facility;
  e.index = i;
  e.to = s.points[i];
  e.old_name = i < s.names.size() ? s.names[i] : std::string();
  e.old_level = i < s.levels.size() ? s.levels[i] : std::string();
  e.name = name;
  e.level = level;
  if (e.name == e.old_name && e.level == e.old_level) return true;
  if (!apply(e, true, &error)) return false;
  push(std::move(e));
  return true;
}

bool Session::set_standard(std::size_t k, double seconds, std::string& error) {
  if (!fixed_set(k, error)) return false;
  if (!(seconds >= 0.0)) {
    error = "a standard needs minutes ≥ 0";
    return false;
  }
  Edit e;
  e.kind = Edit::Kind::Standard;
  e.facility = m_pe->ev.sets[k].facility;
  e.old_s = m_pe->ev.sets[k].standard_s;
  e.new_s = seconds;
  if (e.old_s == e.new_s) return true;
  if (!apply(e, true, &error)) return false;
  push(std::move(e));
  return true;
}

void Session::preview_standard(std::size_t k, double seconds) {
  std::string err;
  if (!fixed_set(k, err)) return;
  if (!m_preview || m_preview->first != k) m_preview = std::make_pair(k, m_pe->ev.sets[k].standard_s);
  Edit e;
  e.kind = Edit::Kind::Standard;
  e.facility = m_pe->ev.sets[k].facility;
  e.new_s = seconds;
  ++m_serial;
  apply_facility(*m_pe, *m_pe_doc, e, true, nullptr);
}

void Session::commit_standard(std::size_t k) {
  if (!m_preview || m_preview->first != k || !m_pe) return;
  Edit e;
  e.kind = Edit::Kind::Standard;
  e.facility = m_pe->ev.sets[k].facility;
  e.old_s = m_preview->second;
  e.new_s = m_pe->ev.sets[k].standard_s;
  m_preview.reset();
  if (e.old_s != e.new_s) push(std::move(e));
}

bool Session::accept_sites(const std::string& facility, const std::vector<core::Vec2>& points,
                           const std::vector<std::string>& names, const std::string& level,
                           const std::string& origin, std::string& error) {
  const int k = set_index(facility);
  if (k < 0) {
    error = "the project has no facility type '" + facility + "'";
    return false;
  }
  if (!fixed_set(static_cast<std::size_t>(k), error)) return false;
  if (points.empty()) {
    error = "no sites to accept";
    return false;
  }
  const auto& s = m_pe->ev.sets[static_cast<std::size_t>(k)];
  Edit e;
  e.kind = Edit::Kind::AcceptSites;
  e.facility = facility;
  e.origin = origin;
  for (std::size_t j = 0; j < points.size(); ++j) {
    Edit a;
    a.kind = Edit::Kind::Add;
    a.facility = facility;
    a.index = s.points.size() + j;
    a.to = points[j];
    a.name = j < names.size() && !names[j].empty() ? names[j] : "新址 " + std::to_string(a.index + 1);
    a.level = level;
    e.parts.push_back(std::move(a));
  }
  if (!apply(e, true, &error)) return false;
  push(std::move(e));
  return true;
}

bool Session::begin_drag(std::size_t k, std::size_t i) {
  std::string err;
  if (!fixed_set(k, err) || i >= m_pe->ev.sets[k].points.size()) return false;
  Drag d;
  d.set = k;
  d.index = i;
  d.from = d.last = d.pending = m_pe->ev.sets[k].points[i];
  if (m_tasks) {
    // The steps run as tasks; the first one makes the surface without the facility.
    d.job = std::make_shared<DragJob>();
    d.job->pe = m_pe;
    d.job->doc = m_pe_doc;
    d.job->set = k;
    d.job->index = i;
    const auto& targets = m_pe_doc->config.targets;
    d.job->access_targets = std::any_of(targets.begin(), targets.end(), [](const core::Target& t) {
      return t.metric == core::Metric::AccessIndex || t.metric == core::Metric::CapacityCoverageShare;
    });
    d.alive = std::make_shared<int>(0);
  } else {
    d.drag = std::make_unique<analysis::FacilityDrag>(m_pe->travel.model, m_pe->ev.sets[k].points, i, m_ws);
  }
  m_drag = std::move(d);
  return true;
}

std::optional<Session::DragPlace> Session::drag_place() const {
  if (!m_drag) return std::nullopt;
  return DragPlace{m_drag->set, m_drag->index, m_drag->pending};
}

void Session::drag_to(core::Vec2 p) {
  if (!m_drag || m_drag->ending) return;
  m_drag->pending = p;
  if (m_tasks) {
    if (!m_drag->task && !exactly(p, m_drag->last)) start_drag_step();
    return;
  }
  if (exactly(p, m_drag->last)) return;
  const auto t0 = Clock::now();
  analysis::drag_update(m_pe->ev, m_drag->set, m_drag->index, p, *m_drag->drag, *m_pe_doc, m_pe->area,
                        m_pe->travel.model, m_ws, m_pe->priority);
  refresh_access_targets(*m_pe, *m_pe_doc);
  m_last_ms = ms_since(t0);
  m_drag->last = p;
  ++m_serial;
  record_step(m_drag->drag->last_changed());
}

Session::DragStep Session::drag_step(std::shared_ptr<DragJob> job, core::Vec2 p) {
  // Worker thread: reads the evaluation's travel model, study area and priority (never changed
  // after the evaluation was made) and the job's own figures; nothing else.
  const auto t0 = Clock::now();
  const analysis::ProjectEvaluation& pe = *job->pe;
  if (!job->work) {
    // The figures as the drag began: no edit changes them while a drag is under way (every
    // facility edit, undo and redo waits), and the UI thread only reads them.
    job->work = std::make_unique<analysis::Evaluation>();
    analysis::copy_evaluation(*job->work, pe.ev);
    job->drag = std::make_unique<analysis::FacilityDrag>(pe.travel.model, job->work->sets[job->set].points,
                                                         job->index, job->ws);
  }
  analysis::drag_update(*job->work, job->set, job->index, p, *job->drag, *job->doc, pe.area, pe.travel.model,
                        job->ws, pe.priority);
  if (job->access_targets)
    analysis::add_access_targets(*job->work, pe.travel.model, pe.area, pe.priority, *job->doc);
  // The copy for the UI: the first time whole; then `shown` is figures the UI showed (the drag's
  // start or an earlier step's), which differ from these only in the dragged set and the figures.
  if (!job->shown) {
    job->shown = std::make_unique<analysis::Evaluation>();
    analysis::copy_evaluation(*job->shown, *job->work);
  } else {
    analysis::copy_evaluation(*job->shown, *job->work, job->set);
  }
  DragStep out;
  out.changed = job->drag->last_changed();
  out.at = p;
  out.ms = ms_since(t0);
  out.job = std::move(job);
  return out;
}

void Session::start_drag_step() {
  Drag& d = *m_drag;
  const core::Vec2 p = d.pending;
  std::shared_ptr<DragJob> job = std::move(d.job);  // the task owns it until its step is done
  d.task = m_tasks->run<DragStep>(
      "What-if drag",
      [job = std::move(job), p](TaskState& st) mutable {
        st.set_stage("figures", 0, 1);
        try {
          return drag_step(std::move(job), p);
        } catch (const std::exception&) {
          return DragStep{};  // no job comes back: the drag ends at the last step's figures
        }
      },
      [this, alive = std::weak_ptr<int>(d.alive)](DragStep& step) {
        // Not when the drag is over meanwhile (another evaluation installed, the session reset
        // or destroyed): the step's figures belong to it and are dropped.
        const auto token = alive.lock();
        if (token && m_drag && m_drag->alive == token && m_drag->task) {
          const bool cancelled = m_drag->task->cancelled();
          drag_step_done(step, cancelled);
        }
      });
}

void Session::drag_step_done(DragStep& step, bool cancelled) {
  Drag& d = *m_drag;
  d.task.reset();
  if (!step.job) {  // the step failed (out of memory): the figures stay those of the last one
    finish_drag();
    return;
  }
  d.job = std::move(step.job);
  // The step's figures are shown; the ones shown until now go back to the job for the next copy.
  std::swap(m_pe->ev, *d.job->shown);
  m_last_ms = step.ms;
  d.last = step.at;
  ++m_serial;
  record_step(step.changed);
  if (cancelled) {  // the drag ends where this step put the facility
    d.ending = true;
    d.pending = d.last;
  }
  if (!exactly(d.pending, d.last))
    start_drag_step();
  else if (d.ending)
    finish_drag();
}

void Session::record_step(analysis::CellBox box) {
  constexpr std::size_t keep = 16;
  if (m_steps.size() >= keep) m_steps.erase(m_steps.begin());
  m_steps.emplace_back(m_serial, box);
}

bool Session::changed_since(const Key& k, analysis::CellBox& box) const {
  box = {};
  if (k.revision != m_pe_revision || k.scenario != m_pe_scenario || k.edits > m_serial) return false;
  std::uint64_t want = m_serial;  // every serial in (k.edits, m_serial] must be a recorded step
  for (auto it = m_steps.rbegin(); it != m_steps.rend() && want > k.edits; ++it) {
    if (it->first != want) return false;
    box.add(it->second);
    --want;
  }
  return want == k.edits;
}

void Session::end_drag() {
  if (!m_drag) return;
  m_drag->ending = true;
  if (m_drag->task) return;  // the drag ends when the steps under way have reached the release place
  if (m_tasks && !exactly(m_drag->pending, m_drag->last)) {
    start_drag_step();
    return;
  }
  finish_drag();
}

void Session::finish_drag() {
  Drag d = std::move(*m_drag);
  m_drag.reset();
  if (exactly(d.last, d.from)) return;
  Edit e;
  e.kind = Edit::Kind::Move;
  e.facility = m_pe->ev.sets[d.set].facility;
  e.index = d.index;
  e.from = d.from;
  e.to = d.last;
  const auto& s = m_pe->ev.sets[d.set];
  e.name = d.index < s.names.size() ? s.names[d.index] : std::string();
  push(std::move(e));
  record_step({});  // the figures are those of the last step
}

bool Session::undo() {
  if (!can_undo() || (frozen() && m_edits[m_applied - 1].changes_figures())) return false;
  m_preview.reset();
  --m_applied;
  apply(m_edits[m_applied], false, nullptr);
  return true;
}

bool Session::redo() {
  if (!can_redo() || (frozen() && m_edits[m_applied].changes_figures())) return false;
  m_preview.reset();
  std::string err;
  if (!apply(m_edits[m_applied], true, &err)) return false;
  ++m_applied;
  return true;
}

std::size_t Session::facility_edits() const {
  std::size_t n = 0;
  for (std::size_t i = 0; i < m_applied; ++i) n += is_facility_edit(m_edits[i]) ? 1 : 0;
  return n;
}

std::vector<std::string> Session::edit_lines(bool english, bool facility_only) const {
  auto label = [&](const std::string& facility) {
    static const std::pair<const char*, const char*> names[] = {
        {"museum", "科技馆"}, {"education_base", "科普教育基地"}, {"caravan_depot", "大篷车站"}};
    if (!english)
      for (const auto& [key, zh] : names)
        if (facility == key) return std::string(zh);
    std::string f = facility;
    std::replace(f.begin(), f.end(), '_', ' ');
    return f;
  };
  std::vector<std::string> out;
  for (std::size_t i = 0; i < m_applied; ++i) {
    const Edit& e = m_edits[i];
    if (facility_only && !is_facility_edit(e)) continue;
    const std::string L = label(e.facility);
    switch (e.kind) {
      case Edit::Kind::Move: {
        const double km = std::hypot(e.to.x - e.from.x, e.to.y - e.from.y) / 1000.0;
        out.push_back(english ? "moved " + L + " " + quoted(e.name, true) + " by " + fmt("%.1f", km) + " km"
                              : "移动" + L + quoted(e.name, false) + " " + fmt("%.1f", km) + " 公里");
        break;
      }
      case Edit::Kind::Add:
        out.push_back(english ? "added " + L + " " + quoted(e.name, true)
                              : "新增" + L + quoted(e.name, false));
        break;
      case Edit::Kind::Delete:
        out.push_back(english ? "deleted " + L + " " + quoted(e.name, true)
                              : "删除" + L + quoted(e.name, false));
        break;
      case Edit::Kind::Rename:
        out.push_back(english ? "renamed " + L + " " + quoted(e.old_name, true) + " to " +
                                    quoted(e.name, true) + (e.level.empty() ? "" : " (level " + e.level + ")")
                              : "命名" + L + quoted(e.old_name, false) + " → " + quoted(e.name, false) +
                                    (e.level.empty() ? "" : "（级别 " + e.level + "）"));
        break;
      case Edit::Kind::Standard:
        out.push_back(
            english
                ? L + " standard " + fmt("%.0f", e.old_s / 60) + " → " + fmt("%.0f", e.new_s / 60) + " min"
                : L + "服务标准 " + fmt("%.0f", e.old_s / 60) + " → " + fmt("%.0f", e.new_s / 60) + " 分钟");
        break;
      case Edit::Kind::AcceptSites: {
        std::string names;
        for (const auto& a : e.parts) names += (names.empty() ? "" : english ? ", " : "、") + a.name;
        out.push_back(english ? "accepted " + std::to_string(e.parts.size()) + " new " + L + " sites (" +
                                    e.origin + "): " + names
                              : "采纳选址结果（" + e.origin + "）：新增" + L + " " +
                                    std::to_string(e.parts.size()) + " 处：" + names);
        break;
      }
      case Edit::Kind::AddLayer:
        out.push_back((english ? "added layer " : "添加图层 ") + (e.layer ? e.layer->name : std::string()));
        break;
      case Edit::Kind::RemoveLayer:
        out.push_back((english ? "removed layer " : "移除图层 ") + (e.layer ? e.layer->name : std::string()));
        break;
      case Edit::Kind::ChangeLayer:
        out.push_back((english ? "changed the role or fields of layer " : "修改图层类型或字段 ") + e.name);
        break;
      case Edit::Kind::Scenario:
        out.push_back(english ? std::string(!e.scenario_before  ? "created"
                                            : !e.scenario_after ? "deleted"
                                                                : "changed") +
                                    " travel scenario " + e.name
                              : std::string(!e.scenario_before  ? "新建出行情景 "
                                            : !e.scenario_after ? "删除出行情景 "
                                                                : "修改出行情景 ") +
                                    e.name);
        break;
      case Edit::Kind::StyleLayer:
        out.push_back((english ? "changed the style of layer " : "修改图层样式 ") + e.name);
        break;
    }
  }
  return out;
}

std::string scenario_title(const core::Scenario& sc, bool english) {
  if (sc.label.empty()) return sc.name;
  std::size_t cut = 0;  // the first ASCII letter after the Chinese text
  while (cut < sc.label.size() && !(static_cast<unsigned char>(sc.label[cut]) < 0x80 &&
                                    std::isalpha(static_cast<unsigned char>(sc.label[cut]))))
    ++cut;
  std::string zh = sc.label.substr(0, cut), en = sc.label.substr(cut);
  while (!zh.empty() && zh.back() == ' ') zh.pop_back();
  if (zh.empty() || en.empty()) return sc.label;
  return english ? en : zh;
}

std::string Session::scenario_label(bool english) const {
  // a project scenario by its label ("冬季（积雪）Winter (snow)": the Chinese part in zh, the
  // English after it in en), by its name when it has no label
  std::string s = m_scenario.empty() ? (english ? "current" : "现状") : m_scenario;
  if (!m_scenario.empty() && m_doc)
    for (const auto& sc : m_doc->config.scenarios)
      if (sc.name == m_scenario) s = scenario_title(sc, english);
  if (const std::size_t n = facility_edits(); n > 0)
    s += english ? " + " + std::to_string(n) + " what-if edit" + (n == 1 ? "" : "s")
                 : " + 假设编辑 " + std::to_string(n) + " 项";
  return s;
}

std::vector<core::Layer> Session::edited_facility_layers() const {
  std::vector<core::Layer> out;
  if (!m_pe || !m_pe_doc) return out;
  for (const auto& s : m_pe->ev.sets) {
    if (s.mobile || !analysis::set_differs_from_document(s, *m_pe_doc)) continue;
    const auto role = core::role_from_name(s.facility);
    if (!role) continue;
    out.push_back(analysis::facility_layer(s, *role, s.label + " (what-if)"));
  }
  return out;
}

std::vector<io::SavedEdit> Session::saved_edits() const {
  std::vector<io::SavedEdit> out;
  auto saved = [](const Edit& e) {
    io::SavedEdit x;
    x.facility = e.facility;
    x.index = e.index;
    x.to = e.to;
    x.has_to = true;
    x.name = e.name;
    x.level = e.level;
    x.floor_area_m2 = e.floor_area_m2;
    return x;
  };
  for (std::size_t i = 0; i < m_applied; ++i) {
    const Edit& e = m_edits[i];
    io::SavedEdit x = saved(e);
    switch (e.kind) {
      case Edit::Kind::Move:
        x.kind = "move";
        break;
      case Edit::Kind::Add:
        x.kind = "add";
        break;
      case Edit::Kind::Delete:
        x.kind = "delete";
        break;
      case Edit::Kind::Rename:
        x.kind = "rename";
        break;
      case Edit::Kind::Standard:
        x.kind = "standard";
        x.minutes = e.new_s / 60.0;
        break;
      case Edit::Kind::AcceptSites:
        for (const auto& a : e.parts) {
          io::SavedEdit y = saved(a);
          y.kind = "add";
          out.push_back(std::move(y));
        }
        continue;
      default:
        continue;
    }
    out.push_back(std::move(x));
  }
  return out;
}

bool Session::load_saved(const std::vector<io::SavedEdit>& saved, const std::string& where,
                         std::string& error) {
  return with_saved(saved, where, nullptr, error);
}

bool Session::look_with(const std::vector<io::SavedEdit>& saved, const std::string& where,
                        const std::function<void(const analysis::ProjectEvaluation&)>& look,
                        std::string& error) {
  return with_saved(saved, where, &look, error);
}

bool Session::with_saved(const std::vector<io::SavedEdit>& saved, const std::string& where,
                         const std::function<void(const analysis::ProjectEvaluation&)>* look,
                         std::string& error) {
  if (!m_pe) {
    error = "the coverage is not computed yet (覆盖尚未计算)";
    return false;
  }
  if (m_drag || frozen()) {
    error = m_drag ? "a facility is being dragged" : "a job is reading the figures (exporting) (正在导出)";
    return false;
  }
  // Back to the data: the facility edits in effect undone, newest first (layer edits stay).
  const std::vector<Edit> old = m_edits;
  const std::size_t old_applied = m_applied;
  for (std::size_t i = m_applied; i-- > 0;)
    if (is_facility_edit(m_edits[i])) apply_facility(*m_pe, *m_pe_doc, m_edits[i], false, nullptr);
  std::vector<Edit> done;
  auto restore = [&]() {
    for (auto it = done.rbegin(); it != done.rend(); ++it)
      apply_facility(*m_pe, *m_pe_doc, *it, false, nullptr);
    for (std::size_t i = 0; i < old_applied; ++i)
      if (is_facility_edit(old[i])) apply_facility(*m_pe, *m_pe_doc, old[i], true, nullptr);
    ++m_serial;
  };
  for (std::size_t n = 0; n < saved.size(); ++n) {
    const io::SavedEdit& x = saved[n];
    const std::string at =
        where + (x.line > 0 ? ":" + std::to_string(x.line) : "") + ": edit " + std::to_string(n + 1) + ": ";
    const int k = set_index(x.facility);
    if (k < 0 || m_pe->ev.sets[static_cast<std::size_t>(k)].mobile) {
      error = at + "no fixed facility type '" + x.facility + "'";
      restore();
      return false;
    }
    const auto& s = m_pe->ev.sets[static_cast<std::size_t>(k)];
    Edit e;
    e.facility = x.facility;
    e.index = x.index;
    e.to = x.to;
    if (x.kind == "move" || x.kind == "delete" || x.kind == "rename") {
      if (x.index >= s.points.size()) {
        error = at + "no facility " + std::to_string(x.index) + " of " + x.facility + " (the project has " +
                std::to_string(s.points.size()) + ")";
        restore();
        return false;
      }
      if (x.kind == "move") {
        e.kind = Edit::Kind::Move;
        e.from = s.points[x.index];
        e.name = x.index < s.names.size() ? s.names[x.index] : std::string();
      } else if (x.kind == "delete") {
        e.kind = Edit::Kind::Delete;
        e.to = s.points[x.index];
        e.name = x.index < s.names.size() ? s.names[x.index] : std::string();
        e.level = x.index < s.levels.size() ? s.levels[x.index] : std::string();
        e.floor_area_m2 = x.index < s.floor_area_m2.size() ? s.floor_area_m2[x.index] : 0.0;
        if (x.index < s.capacity.size()) e.capacity = s.capacity[x.index];
        if (x.index < s.order_key.size()) e.order_key = s.order_key[x.index];
      } else {
        e.kind = Edit::Kind::Rename;
        e.to = s.points[x.index];
        e.old_name = x.index < s.names.size() ? s.names[x.index] : std::string();
        e.old_level = x.index < s.levels.size() ? s.levels[x.index] : std::string();
        e.name = x.name;
        e.level = x.level;
      }
    } else if (x.kind == "add") {
      e.kind = Edit::Kind::Add;
      e.name = x.name;
      e.level = x.level;
      e.floor_area_m2 = x.floor_area_m2;
    } else if (x.kind == "standard") {
      e.kind = Edit::Kind::Standard;
      e.old_s = s.standard_s;
      e.new_s = x.minutes * 60.0;
    } else {
      error = at + "unknown kind '" + x.kind + "' (move, add, delete, rename, standard)";
      restore();
      return false;
    }
    std::string err;
    if (!apply_facility(*m_pe, *m_pe_doc, e, true, &err)) {
      error = at + err;
      restore();
      return false;
    }
    done.push_back(std::move(e));
  }
  if (look) {
    (*look)(*m_pe);
    restore();
    return true;
  }
  std::vector<Edit> log;
  for (std::size_t i = 0; i < old_applied; ++i)
    if (!is_facility_edit(old[i])) log.push_back(old[i]);
  for (auto& e : done) log.push_back(std::move(e));
  m_edits = std::move(log);
  m_applied = m_edits.size();
  ++m_serial;
  return true;
}

}  // namespace kepumap::session
