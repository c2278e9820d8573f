#pragma once
// The app's one session: the project as an immutable revision, the travel scenario chosen, one
// log of every change the planner makes (facility moves, additions, deletions and renames,
// accepted siting results, service standards, layers added or removed) with undo and redo across
// all of them, and the evaluation of (revision, scenario) with the log's facility edits applied.
// No ImGui and no GL here: the panels draw what the session holds and call it to change it; the
// test script calls the same functions.
//
// Evaluations are made by a job (session::evaluate, on a worker thread over the revision) and
// installed with install(): the facility edits in effect are replayed on the new evaluation, so
// recomputing never drops an edit. A change to the document (a layer added) makes the figures
// stale until the new revision's evaluation is installed; stale() says so.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/access_project.hpp"
#include "analysis/evaluation.hpp"
#include "analysis/whatif.hpp"
#include "core/document.hpp"
#include "io/scenario_file.hpp"
#include "session/tasks.hpp"

namespace kepumap::session {

/// One change in the session's log.
struct Edit {
  enum class Kind : std::uint8_t {
    Move,         ///< a facility moved from `from` to `to`
    Add,          ///< a facility added at `index` of its set, at `to`
    Delete,       ///< facility `index` deleted (its place, name, level kept for undo)
    Rename,       ///< facility `index` renamed / given a level (old_* kept for undo)
    Standard,     ///< the set's service standard changed from old_s to new_s seconds
    AcceptSites,  ///< siting results accepted: `parts` are Add edits applied together
    AddLayer,     ///< `layer` appended to the document (a new revision)
    RemoveLayer,  ///< layer `index` removed from the document (a new revision; `layer` kept)
    ChangeLayer,  ///< layer `index`'s role and field mapping changed (a new revision; old_* kept)
    Scenario,     ///< travel scenario created, changed or deleted (a new revision; the old one kept)
    StyleLayer,   ///< layer `name`'s own style changed from old_style to style (no new revision)
  };
  Kind kind = Kind::Move;
  std::string facility;             ///< facility set ("education_base") of facility and standard edits
  std::size_t index = 0;            ///< facility index in its set, or layer index
  core::Vec2 from{}, to{};          ///< Move: old and new place; Add/Delete: the facility's place
  std::string name, level;          ///< Add/Delete: the facility's; Rename: the new ones
  std::string old_name, old_level;  ///< Rename: the previous ones
  double floor_area_m2 = 0.0;
  double capacity = std::numeric_limits<double>::infinity();   ///< Add/Delete: the facility's (+inf unknown)
  double order_key = std::numeric_limits<double>::infinity();  ///< Add/Delete: its order field
  double old_s = 0.0, new_s = 0.0;                             ///< Standard: seconds
  std::vector<Edit> parts;                                     ///< AcceptSites
  std::string origin;                        ///< AcceptSites: what produced them ("MCLP, p = 2")
  std::shared_ptr<const core::Layer> layer;  ///< AddLayer/RemoveLayer
  core::Role role = core::Role::Other, old_role = core::Role::Other;  ///< ChangeLayer
  core::FieldMap fields, old_fields;                                  ///< ChangeLayer
  /// Scenario: the definition after and before (`scenario_after`/`scenario_before` false = none:
  /// created or deleted); `index` is its place in the project's list.
  core::Scenario scenario, old_scenario;
  bool scenario_after = false, scenario_before = false;
  core::LayerStyleSpec style, old_style;  ///< StyleLayer

  bool changes_document() const {
    return kind == Kind::AddLayer || kind == Kind::RemoveLayer || kind == Kind::ChangeLayer ||
           kind == Kind::Scenario;
  }
  /// A facility or standard edit: one the figures include.
  bool changes_figures() const { return !changes_document() && kind != Kind::StyleLayer; }
};

/// An evaluation of one revision under one travel scenario, as a job returns it.
struct Evaluated {
  std::shared_ptr<const core::Document> doc;
  std::uint64_t revision = 0;
  std::string scenario;                             ///< travel [[scenario]] name, "" = base
  std::shared_ptr<analysis::ProjectEvaluation> pe;  ///< null when it failed or was cancelled
  core::Diagnostics diag;
  bool cancelled = false;
  double seconds = 0.0;
};

/// Evaluates `doc` (revision `revision`) under `scenario`; safe on any thread (reads only `doc`).
/// When `cancel` becomes true the result is marked cancelled as soon as the current stage ends.
Evaluated evaluate(std::shared_ptr<const core::Document> doc, std::uint64_t revision,
                   const std::string& scenario, const std::atomic<bool>* cancel = nullptr);

/// What the figures on screen are of: revision, scenario and the edits in effect (serial changes
/// with every apply, undo and redo). Panels compare it to know when to redraw their overlays.
struct Key {
  std::uint64_t revision = 0;
  std::string scenario;
  std::uint64_t edits = 0;
  bool operator==(const Key&) const = default;
};

/// A scenario's label in one language: "冬季（积雪）Winter (snow)" gives "冬季（积雪）" or "Winter
/// (snow)"; a label in one language only is given whole; no label gives the name.
std::string scenario_title(const core::Scenario& s, bool english);

class Session {
 public:
  Session() = default;
  explicit Session(std::shared_ptr<const core::Document> doc);

  // --- the document -----------------------------------------------------------------------
  /// The current revision (never null after construction with a document).
  const std::shared_ptr<const core::Document>& document() const { return m_doc; }
  std::uint64_t revision() const { return m_revision; }
  /// Replaces the document with no edit in the log (opening another project): the log and the
  /// evaluation are cleared.
  void reset(std::shared_ptr<const core::Document> doc);
  /// Appends a layer to the document: a new revision, an undoable edit. Returns its index.
  std::size_t add_layer(core::Layer layer);
  /// Removes layer `index`: a new revision, an undoable edit. False if there is no such layer.
  bool remove_layer(std::size_t index);
  /// Gives layer `index` role `role` and field mapping `fields` (the layer properties window):
  /// a new revision, an undoable edit; the figures become stale. False if there is no such
  /// layer or nothing changes.
  bool change_layer(std::size_t index, core::Role role, const core::FieldMap& fields);
  /// Gives layer `index` its own style `style` (the layer properties window): an undoable edit
  /// that is no new revision, so the figures stay as they are (a look, not the analysis). False
  /// if there is no such layer or the style is the one in effect.
  bool style_layer(std::size_t index, const core::LayerStyleSpec& style);
  /// The own style in effect of layer `index`: the last style edit's in effect, else the
  /// project file's (`style = { ... }`); kind "" = its role's.
  core::LayerStyleSpec layer_style(std::size_t index) const;

  /// Creates travel scenario `s` ([[scenario]]) or, when one of that name exists, replaces its
  /// definition (the scenario window): a new revision, an undoable edit; the figures of that
  /// scenario become stale. False with one line in `error` when the name or a speed is not valid
  /// or nothing changes (then `error` is empty).
  bool put_scenario(core::Scenario s, std::string& error);
  /// Deletes travel scenario `name` (an undoable edit); the base is shown when it was chosen.
  bool remove_scenario(const std::string& name, std::string& error);

  // --- scenario and evaluation ------------------------------------------------------------
  const std::string& scenario() const { return m_scenario; }
  /// Chooses the travel scenario ("" = base): the figures become stale.
  void set_scenario(std::string name) { m_scenario = std::move(name); }
  /// True when there is no evaluation of the current (revision, scenario) installed.
  bool needs_evaluation() const;
  /// Installs a finished evaluation and replays the facility edits in effect on it. False with
  /// one line in `message` when it is not for the current revision and scenario, failed, or an
  /// edit no longer applies (the facility is gone): then the session is unchanged.
  bool install(Evaluated e, std::string& message);
  /// An evaluation is installed (possibly stale).
  bool ready() const { return m_pe != nullptr; }
  /// The installed figures are of an older revision or another scenario.
  bool stale() const { return m_pe && (m_pe_revision != m_revision || m_pe_scenario != m_scenario); }
  /// The evaluation with the edits in effect. Only when ready().
  const analysis::ProjectEvaluation& evaluation() const { return *m_pe; }
  /// Shared so a job can keep it alive; jobs read only its travel model, study area and
  /// priority (the figures in `ev` change with every edit, on the UI thread).
  std::shared_ptr<const analysis::ProjectEvaluation> shared_evaluation() const { return m_pe; }
  /// A job that reads the figures in `ev` (export) holds the returned token while it runs; until
  /// every token is released the facility edits are refused (frozen() is true).
  std::shared_ptr<const void> freeze();
  bool frozen() const { return !m_frozen.expired(); }
  /// The document the installed evaluation was made from.
  const std::shared_ptr<const core::Document>& evaluated_document() const { return m_pe_doc; }
  Key key() const { return {m_pe_revision, m_pe_scenario, m_serial}; }
  /// Facility places per set as evaluated from the data, before any edit (for the map overlay).
  const std::vector<std::vector<core::Vec2>>& base_points() const { return m_base_points; }
  /// Wall time of the last figure update, milliseconds.
  double last_update_ms() const { return m_last_ms; }
  /// Index of the set named `facility`, -1 if none (fixed or mobile).
  int set_index(const std::string& facility) const;
  /// The capacity view and the E2SFCA index of fixed set `k` with the edits in effect, brought up
  /// to date when the figures changed since the last call (after a move only the moved facility
  /// is searched again, so it follows a drag). Null, with the reason in `why`, when there are no
  /// figures (no people, no facilities, a mobile set). Only when ready().
  const analysis::LiveAccess* access(std::size_t k, std::string* why = nullptr);

  // --- edits ------------------------------------------------------------------------------
  /// Moves facility `i` of set `k` to `p` (analysis CRS metres). False with `error` if invalid.
  bool move_facility(std::size_t k, std::size_t i, core::Vec2 p, std::string& error);
  /// Adds a facility to fixed set `k` at `p`; name "" = "新址 N". Returns its index, or -1.
  int add_facility(std::size_t k, core::Vec2 p, const std::string& name, const std::string& level,
                   std::string& error);
  bool delete_facility(std::size_t k, std::size_t i, std::string& error);
  /// Names facility `i` of set `k` and gives it a level (new sites can be named).
  bool rename_facility(std::size_t k, std::size_t i, const std::string& name, const std::string& level,
                       std::string& error);
  /// Sets the standard of set `k` to `seconds` as one edit.
  bool set_standard(std::size_t k, double seconds, std::string& error);
  /// The slider: shows `seconds` without an edit; commit_standard records the edit from the
  /// value before the first preview.
  void preview_standard(std::size_t k, double seconds);
  void commit_standard(std::size_t k);
  /// Accepts siting results: the sites are added to fixed set `facility` as one edit.
  bool accept_sites(const std::string& facility, const std::vector<core::Vec2>& points,
                    const std::vector<std::string>& names, const std::string& level,
                    const std::string& origin, std::string& error);

  /// Runs the figure updates of drags as tasks on `tasks` (the app's task manager, which must
  /// outlive the session's use of it, and the session must stay where it is while a drag is
  /// under way: the step's completion calls it); null (the default: tests, tools) computes each
  /// drag step within drag_to.
  void use_tasks(TaskManager* tasks) { m_tasks = tasks; }

  /// A drag of facility `i` of set `k`: begin, move (fast what-if update), end (one Move edit).
  /// With a task manager each step's figures are computed by a task ("What-if drag") over the
  /// evaluation's immutable parts and a copy of the figures the task owns: drag_to only records
  /// the newest place and starts a step when none is computing (while one is, further places
  /// only replace the pending one; when it ends the next step starts from the newest); the
  /// figures shown are the last finished step's. end_drag lets the steps reach the release
  /// place; when that step's figures arrive the Move edit is recorded and the drag is over
  /// (the figures are then those of one step there computed within drag_to: every time and
  /// figure a full recompute with the facility there gives). When the step
  /// task is cancelled, the drag ends where its step put the facility. Without a task manager
  /// every call finishes its work before it returns.
  bool begin_drag(std::size_t k, std::size_t i);
  void drag_to(core::Vec2 p);
  void end_drag();
  /// A drag is under way: held, or released with its last steps still computing. Facility
  /// edits, undo and redo wait until it is over.
  bool dragging() const { return m_drag.has_value(); }
  /// The mouse holds the dragged facility: drag_to follows it (false once end_drag was called).
  bool drag_held() const { return m_drag && !m_drag->ending; }
  /// A drag step computes in the background now.
  bool drag_computing() const { return m_drag && m_drag->task != nullptr; }
  /// The dragged facility (set, index) and its newest place (analysis CRS metres), which the
  /// figures may not have reached yet; nullopt when no drag is under way.
  struct DragPlace {
    std::size_t set = 0, index = 0;
    core::Vec2 at{};
  };
  std::optional<DragPlace> drag_place() const;
  /// Frame cells (of the travel grid, as evaluation().ev.coverage.best_time) whose time the last
  /// drag step changed; empty when there was none or it changed nothing.
  analysis::CellBox changed_cells() const {
    return m_steps.empty() ? analysis::CellBox{} : m_steps.back().second;
  }
  /// True when every change since the figures had key `k` was a drag step (or the end of a
  /// drag), with the cells they changed in `box`; false when something else changed (then the
  /// whole of every overlay is out of date).
  bool changed_since(const Key& k, analysis::CellBox& box) const;

  bool can_undo() const { return m_applied > 0 && !m_drag; }
  bool can_redo() const { return m_applied < m_edits.size() && !m_drag; }
  bool undo();
  bool redo();
  const std::vector<Edit>& edits() const { return m_edits; }
  std::size_t applied() const { return m_applied; }  ///< edits[0, applied) are in effect
  /// Facility and standard edits in effect (what the figures include), AcceptSites counted once.
  std::size_t facility_edits() const;

  // --- outputs ----------------------------------------------------------------------------
  /// One line per edit in effect, for the report and the app ("新增科普教育基地“新址 1”");
  /// `facility_only`: only the edits the figures include (no layer edits).
  std::vector<std::string> edit_lines(bool english, bool facility_only = false) const;
  /// The scenario a report names: the travel scenario (or 现状/current) and, with edits, "+ N
  /// what-if edits".
  std::string scenario_label(bool english) const;
  /// One point layer per edited fixed set (accepted and added sites included), with the set's
  /// role: what maps and the report draw instead of the document's layers of that role.
  std::vector<core::Layer> edited_facility_layers() const;

  // --- scenario files ---------------------------------------------------------------------
  /// The facility and standard edits in effect as saved edits (AcceptSites as adds).
  std::vector<io::SavedEdit> saved_edits() const;
  /// Replaces the facility edits in effect by `edits` (read from a file, named `where` in
  /// messages). False with one line in `error` when one does not apply; the session is then
  /// unchanged.
  bool load_saved(const std::vector<io::SavedEdit>& edits, const std::string& where, std::string& error);
  /// Calls `look` with the figures the data would give with `edits` instead of the facility
  /// edits in effect, then puts the session back exactly as it was (scenario comparison).
  bool look_with(const std::vector<io::SavedEdit>& edits, const std::string& where,
                 const std::function<void(const analysis::ProjectEvaluation&)>& look, std::string& error);

 private:
  bool with_saved(const std::vector<io::SavedEdit>& edits, const std::string& where,
                  const std::function<void(const analysis::ProjectEvaluation&)>* look, std::string& error);
  bool apply(const Edit& e, bool forward, std::string* error);
  bool apply_facility(analysis::ProjectEvaluation& pe, const core::Document& doc, const Edit& e, bool forward,
                      std::string* error);
  bool check(const analysis::ProjectEvaluation& pe, const Edit& e, std::string& error) const;
  void push(Edit e);
  void record_step(analysis::CellBox box);
  void new_revision(std::shared_ptr<const core::Document> doc);
  void update_set(std::size_t k);
  void refresh_access_targets(analysis::ProjectEvaluation& pe, const core::Document& doc);
  void update_standard(std::size_t k);
  bool fixed_set(std::size_t k, std::string& error) const;

  std::shared_ptr<const core::Document> m_doc;
  std::uint64_t m_revision = 0;
  std::uint64_t m_next_revision = 1;
  std::string m_scenario;
  std::vector<Edit> m_edits;
  std::size_t m_applied = 0;
  /// Layer name -> its own style as the style edits in effect left it.
  std::vector<std::pair<std::string, core::LayerStyleSpec>> m_styles;
  std::uint64_t m_serial = 0;

  std::shared_ptr<analysis::ProjectEvaluation> m_pe;
  std::shared_ptr<const core::Document> m_pe_doc;
  std::uint64_t m_pe_revision = 0;
  std::string m_pe_scenario;
  std::vector<std::vector<core::Vec2>> m_base_points;
  analysis::SearchWorkspace m_ws;
  double m_last_ms = 0.0;
  std::unique_ptr<analysis::LiveAccess> m_access;  ///< built on first use
  Key m_access_key;
  std::size_t m_access_set = SIZE_MAX;
  std::string m_access_error;

  /// What a drag step reads and writes besides the place: owned by one thread at a time (the
  /// step computing, else parked in Drag::job between steps, untouched by the UI thread).
  struct DragJob {
    std::shared_ptr<const analysis::ProjectEvaluation> pe;  ///< read: travel model, area, priority
    std::shared_ptr<const core::Document> doc;
    std::size_t set = 0, index = 0;
    bool access_targets = false;                   ///< the project has access_index/capacity targets
    std::unique_ptr<analysis::FacilityDrag> drag;  ///< made by the first step
    analysis::SearchWorkspace ws;
    std::unique_ptr<analysis::Evaluation> work;   ///< the figures of the newest step
    std::unique_ptr<analysis::Evaluation> shown;  ///< a copy of `work` for the UI, or the UI's old one
  };
  /// A finished drag step.
  struct DragStep {
    std::shared_ptr<DragJob> job;
    core::Vec2 at{};
    analysis::CellBox changed;
    double ms = 0.0;
  };
  static DragStep drag_step(std::shared_ptr<DragJob> job, core::Vec2 p);
  void start_drag_step();
  void drag_step_done(DragStep& step, bool cancelled);
  void finish_drag();

  struct Drag {
    std::size_t set = 0, index = 0;
    core::Vec2 from{}, last{}, pending{};          ///< last: where the figures are; pending: the newest place
    bool ending = false;                           ///< released: the steps run to `pending`, then it ends
    std::unique_ptr<analysis::FacilityDrag> drag;  ///< without a task manager
    std::shared_ptr<DragJob> job;                  ///< with one: parked between steps
    std::shared_ptr<TaskState> task;               ///< the step computing
    std::shared_ptr<int> alive;                    ///< a step's result is taken while this lives
  };
  TaskManager* m_tasks = nullptr;
  std::optional<Drag> m_drag;
  /// The last drag steps: (m_serial after the step, cells it changed), oldest first.
  std::vector<std::pair<std::uint64_t, analysis::CellBox>> m_steps;
  std::optional<std::pair<std::size_t, double>> m_preview;  ///< set, standard before the preview
  std::weak_ptr<const void> m_frozen;
};

}  // namespace kepumap::session
