#include "session/tasks.hpp"

#include <chrono>

namespace kepumap::session {

namespace {

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

std::string TaskState::stage() const {
  std::lock_guard<std::mutex> lock(m_mutex);
  return m_stage;
}

void TaskState::set_stage(std::string stage, int index, int count) {
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_stage = std::move(stage);
  }
  if (count > 0) m_progress = static_cast<float>(index) / static_cast<float>(count);
}

double TaskState::seconds() const { return now_s() - m_started; }

TaskManager::~TaskManager() { cancel_all(); }

void TaskManager::start(std::shared_ptr<TaskState> state, std::function<void()> work,
                        std::function<void()> finish) {
  state->m_started = now_s();
  // The thread owns the state and the work (and through them every input); it is detached so
  // neither a panel nor the manager ever waits for it.
  std::thread([state, work = std::move(work)]() {
    try {
      work();
    } catch (...) {
      // a work function reports its own failures in its result; nothing may escape a thread
    }
    state->m_done = true;
  }).detach();
  m_tasks.push_back({std::move(state), std::move(finish)});
}

void TaskManager::poll() {
  std::vector<Entry> ended;
  for (auto it = m_tasks.begin(); it != m_tasks.end();)
    if (it->state->done()) {
      ended.push_back(std::move(*it));
      it = m_tasks.erase(it);
    } else {
      ++it;
    }
  for (auto& e : ended) e.finish();  // a completion may start another task
}

std::vector<std::shared_ptr<const TaskState>> TaskManager::running() const {
  std::vector<std::shared_ptr<const TaskState>> out;
  for (const auto& e : m_tasks) out.push_back(e.state);
  return out;
}

std::shared_ptr<TaskState> TaskManager::find(const std::string& name) const {
  for (const auto& e : m_tasks)
    if (e.state->name() == name) return e.state;
  return nullptr;
}

void TaskManager::cancel_all() {
  for (auto& e : m_tasks) e.state->cancel();
}

void TaskManager::abandon_all() {
  cancel_all();
  m_tasks.clear();
}

}  // namespace kepumap::session
