#pragma once
// The app's one task manager (in the manner of ImHex's): every long job runs on a worker thread
// over immutable inputs it owns (shared_ptr), reports a named stage and a fraction done, and
// can be cancelled; its result is handed to a completion function on the UI thread by poll().
// Nothing here blocks: destroying the manager cancels its tasks and lets their threads end on
// their own (their results are dropped).
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace kepumap::session {

/// What a running task shows and how it is stopped; shared by the worker and the UI.
class TaskState {
 public:
  explicit TaskState(std::string name) : m_name(std::move(name)) {}
  const std::string& name() const { return m_name; }
  /// The stage now running ("Travel model", "Solving") and the fraction done, 0..1 (< 0: unknown).
  std::string stage() const;
  float progress() const { return m_progress.load(); }
  /// Worker side: a new stage `index` of `count` (the fraction moves to index / count).
  void set_stage(std::string stage, int index, int count);
  /// Worker side: the fraction done within the whole task.
  void set_progress(float f) { m_progress = f; }
  void cancel() { m_cancel = true; }
  bool cancelled() const { return m_cancel.load(); }
  /// The flag the solvers poll (optimize::SitingOptions::cancel and friends).
  const std::atomic<bool>* cancel_flag() const { return &m_cancel; }
  bool done() const { return m_done.load(); }
  /// Seconds since the task started.
  double seconds() const;

 private:
  friend class TaskManager;
  std::string m_name;
  mutable std::mutex m_mutex;
  std::string m_stage;
  std::atomic<float> m_progress{-1.0f};
  std::atomic<bool> m_cancel{false};
  std::atomic<bool> m_done{false};
  double m_started = 0.0;
};

class TaskManager {
 public:
  TaskManager() = default;
  TaskManager(const TaskManager&) = delete;
  TaskManager& operator=(const TaskManager&) = delete;
  /// Cancels every task; never waits for one.
  ~TaskManager();

  /// Runs `work(state)` on a new worker thread. When it has returned, the next poll() on the UI
  /// thread calls `finish(result)` (also when cancelled: the work decides what a cancelled result
  /// holds). `work` must own or share everything it reads.
  template <class R>
  std::shared_ptr<TaskState> run(std::string name, std::function<R(TaskState&)> work,
                                 std::function<void(R&)> finish) {
    auto state = std::make_shared<TaskState>(std::move(name));
    auto slot = std::make_shared<std::optional<R>>();
    start(
        state, [state, slot, work = std::move(work)]() { slot->emplace(work(*state)); },
        [slot, finish = std::move(finish)]() {
          if (*slot) finish(**slot);
        });
    return state;
  }

  /// Calls the completion functions of tasks that have ended (UI thread, once per frame).
  void poll();
  /// Tasks running now, oldest first.
  std::vector<std::shared_ptr<const TaskState>> running() const;
  /// A running task with this name, or null.
  std::shared_ptr<TaskState> find(const std::string& name) const;
  /// Asks every task to stop.
  void cancel_all();
  /// Asks every task to stop and forgets it: its completion is never called (another project
  /// opened; the results would belong to the old one). The threads end on their own.
  void abandon_all();

 private:
  void start(std::shared_ptr<TaskState> state, std::function<void()> work, std::function<void()> finish);
  struct Entry {
    std::shared_ptr<TaskState> state;
    std::function<void()> finish;
  };
  std::vector<Entry> m_tasks;
};

}  // namespace kepumap::session
