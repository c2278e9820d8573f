// The 文件 (File) menu: new project (io::init_project), open, recent projects, save, save as,
// close, and the unsaved-changes prompt. Saving itself is session::save_project (no UI here).
#include "io/init_project.hpp"
#include "ui/app_window.hpp"

namespace kepumap::ui {

namespace {
constexpr std::size_t k_recent_max = 8;

int default_rank(const core::Layer& l) {
  if (l.geom.kind == core::GeomKind::Polygon && !l.is_raster) return 0;
  if (l.is_raster) return 1;
  if (l.geom.kind == core::GeomKind::Line) return 2;
  return 3;
}
}  // namespace

std::vector<session::LayerLook> App::layer_looks() const {
  std::vector<session::LayerLook> out(m_layers.size());
  for (std::size_t i = 0; i < m_layers.size(); ++i) {
    out[i].visible = m_layers[i].visible;
    out[i].title = m_layers[i].title;
    out[i].style = m_layers[i].spec;
  }
  // the draw order is written only when it is not the default one (or the file had one)
  std::vector<std::size_t> def;
  for (std::size_t i = 0; i < doc().layers.size(); ++i) {
    auto pos = std::find_if(def.begin(), def.end(), [&](std::size_t k) {
      return default_rank(doc().layers[k]) > default_rank(doc().layers[i]);
    });
    def.insert(pos, i);
  }
  bool had = std::any_of(doc().config.layers.begin(), doc().config.layers.end(),
                         [](const auto& l) { return l.draw_order > 0; });
  if (had || def != m_order)
    for (std::size_t k = 0; k < m_order.size(); ++k)
      if (m_order[k] < out.size()) out[m_order[k]].draw_order = static_cast<int>(k + 1);
  return out;
}

void App::apply_project_looks() {
  std::vector<int> order(m_layers.size(), 0);
  for (std::size_t i = 0; i < doc().layers.size() && i < m_layers.size(); ++i)
    for (const auto& spec : doc().config.layers)
      if (spec.name == doc().layers[i].name) {
        m_layers[i].visible = spec.visible;
        m_layers[i].title = spec.title;
        order[i] = spec.draw_order;
        m_layers[i].spec = spec.style;
        if (spec.style.given()) apply_layer_look(i);
      }
  if (std::any_of(order.begin(), order.end(), [](int o) { return o > 0; }))
    std::stable_sort(m_order.begin(), m_order.end(), [&](std::size_t a, std::size_t b) {
      const int oa = order[a] > 0 ? order[a] : 1 << 20, ob = order[b] > 0 ? order[b] : 1 << 20;
      return oa < ob;
    });
}

void App::mark_clean() {
  m_clean_edits = m_session.edits().size();
  m_clean_applied = m_session.applied();
  m_clean_revision = m_session.revision();
  m_clean_looks = layer_looks();
}

bool App::project_dirty() const {
  if (m_opt.project.empty()) return false;
  if (m_session.edits().size() != m_clean_edits || m_session.applied() != m_clean_applied ||
      m_session.revision() != m_clean_revision)
    return true;
  if (m_basemaps.dirty(doc())) return true;
  const auto now = layer_looks();
  if (now.size() != m_clean_looks.size()) return true;
  for (std::size_t i = 0; i < now.size(); ++i)
    if (now[i].visible != m_clean_looks[i].visible || now[i].draw_order != m_clean_looks[i].draw_order ||
        now[i].title != m_clean_looks[i].title || now[i].style != m_clean_looks[i].style)
      return true;
  return false;
}

std::vector<std::string> App::recent_projects() const {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < k_recent_max; ++i)
    if (auto v = m_settings.get("recent." + std::to_string(i)); v && !v->empty()) out.push_back(*v);
  return out;
}

void App::remember_recent(const fs::path& file) {
  std::error_code ec;
  const std::string p = fs::absolute(file, ec).lexically_normal().string();
  std::vector<std::string> list = recent_projects();
  list.erase(std::remove(list.begin(), list.end(), p), list.end());
  list.insert(list.begin(), p);
  if (list.size() > k_recent_max) list.resize(k_recent_max);
  for (std::size_t i = 0; i < k_recent_max; ++i)
    m_settings.set("recent." + std::to_string(i), i < list.size() ? list[i] : std::string());
}

void App::rebuild_layers() {
  m_layers.clear();
  m_order.clear();
  m_renderer->clear();
  core::BBox ext = doc().extent();
  m_renderer->set_origin(ext.empty() ? core::Vec2{} : ext.center());
  for (std::size_t i = 0; i < doc().layers.size(); ++i) add_layer_ui(i);
  m_to_lonlat.reset();
  if (!doc().analysis_crs.empty()) {
    try {
      m_to_lonlat = std::make_unique<geo::Transform>(doc().analysis_crs, "EPSG:4326");
    } catch (const std::exception& e) {
      m_log.push_back(std::string("warning: no lon/lat for the cursor: ") + e.what());
    }
  }
  clear_selection();
  m_hover = {};
  m_fonts_dirty = true;
}

bool App::open_project(const fs::path& file, std::string& error, bool keep_view) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) {
    error = file.string() + ": no such project file";
    return false;
  }
  auto next = std::make_shared<core::Document>(io::load_project(file));
  for (const auto& p : next->diagnostics.problems)
    if (p.severity == core::Severity::Error) {
      std::size_t n = 0;
      for (const auto& q : next->diagnostics.problems) n += q.severity == core::Severity::Error ? 1 : 0;
      error = p.to_line() + (n > 1 ? " (+" + std::to_string(n - 1) + ")" : "");
      return false;
    }
  for (const auto& p : next->diagnostics.problems) m_log.push_back(p.to_line());
  replace_document(std::move(next), file.string());
  apply_project_looks();
  if (!keep_view) fit_layer("all");
  mark_clean();
  remember_recent(file);
  return true;
}

void App::replace_document(std::shared_ptr<const core::Document> next, std::string project) {
  // the old project's runs are dropped: their results must not reach the new one's panels
  m_tasks.abandon_all();
  m_analysis.reset();
  m_caravan.reset();
  m_siting.reset();
  m_failed = {};
  m_eval_error.clear();
  m_session.reset(std::move(next));
  m_ui_doc = m_session.document();
  m_ui_revision = m_session.revision();
  m_opt.project = std::move(project);
  rebuild_layers();
}

bool App::new_project(const fs::path& folder, std::string& error) {
  std::error_code ec;
  if (fs::exists(folder / "project.toml", ec)) {
    m_offer_open = folder / "project.toml";  // never overwritten: offer to open it
    return true;
  }
  io::InitResult r = io::init_project(folder);
  if (!r.written) {
    error = r.diagnostics.problems.empty() ? folder.string() + ": nothing written"
                                           : r.diagnostics.problems.front().to_line();
    return false;
  }
  m_log.push_back(std::string(tr("New project created")) + ": " + r.project_file.string() + " · " +
                  std::to_string(r.loaded_layers) + " " + tr("layers guessed") + " · " + r.analysis_crs_name);
  for (const auto& l : r.layers)
    m_log.push_back("  " + l.spec.name + " → " + role_label(l.spec.role) + " (" + l.kind + ", " +
                    std::to_string(l.features) + ")" + (l.why.empty() ? "" : ": " + l.why.front()) +
                    (l.include ? "" : " [—]"));
  for (const auto& u : r.undecided) m_log.push_back(std::string("  ") + tr("undecided") + ": " + u);
  for (const auto& l : r.layers)
    for (const auto& u : l.undecided)
      m_log.push_back(std::string("  ") + tr("undecided") + ": " + l.spec.name + ": " + u);
  for (const auto& s : r.skipped) m_log.push_back(std::string("  ") + tr("skipped") + ": " + s);
  return open_project(r.project_file, error);
}

bool App::save_project(const fs::path& file, std::string& error) {
  const fs::path target = file.empty() ? fs::path(m_opt.project) : file;
  session::SaveReport rep;
  const std::vector<core::BasemapSpec> basemaps = m_basemaps.specs();
  if (!session::save_project(m_session, target, layer_looks(), rep, error, &basemaps)) return false;
  // reopened from what was written: the session then holds exactly the saved project
  const render::View v = m_view;
  if (!open_project(target, error, true)) return false;
  m_view = v;
  m_status = std::string(tr("Project saved")) + ": " + target.string();
  for (const auto& w : rep.written) m_log.push_back(std::string(tr("Project saved")) + ": " + w.string());
  return true;
}

void App::close_project() {
  replace_document(std::make_shared<const core::Document>(), {});
  mark_clean();
  m_status = tr("Project closed");
}

void App::request(Pending what, fs::path path) {
  m_pending = what;
  m_pending_path = std::move(path);
  if (project_dirty())
    m_show_unsaved = true;
  else
    run_pending();
}

void App::run_pending() {
  const Pending what = m_pending;
  m_pending = Pending::None;
  std::string err;
  switch (what) {
    case Pending::Quit:
      m_quit_confirmed = true;
      glfwSetWindowShouldClose(m_win, 1);
      break;
    case Pending::Open:
      if (open_project(m_pending_path, err))
        m_status = std::string(tr("Project opened")) + ": " + m_pending_path.string();
      else
        m_log.push_back(std::string(tr("Could not open the project")) + ": " + err);
      break;
    case Pending::New:
      if (!new_project(m_pending_path, err))
        m_log.push_back(std::string(tr("Could not create the project")) + ": " + err);
      break;
    case Pending::Close:
      close_project();
      break;
    case Pending::None:
      break;
  }
}

void App::open_project_dialog(ProjectDialog d) {
  m_project_dialog = d;
  m_dialog_path[0] = '\0';
  m_dialog_file.clear();
  m_dialog_error.clear();
}

void App::file_shortcuts(bool ctrl) {
  const bool s_now = glfwGetKey(m_win, GLFW_KEY_S) == GLFW_PRESS,
             o_now = glfwGetKey(m_win, GLFW_KEY_O) == GLFW_PRESS;
  const bool typing = ImGui::GetIO().WantTextInput;
  if (ctrl && s_now && !m_s_was && !typing && !m_opt.project.empty() && project_dirty()) {
    std::string err;
    if (!save_project({}, err)) m_log.push_back(std::string(tr("Could not save the project")) + ": " + err);
  }
  if (ctrl && o_now && !m_o_was && !typing) open_project_dialog(ProjectDialog::Open);
  m_s_was = s_now;
  m_o_was = o_now;
}

void App::draw_file_menu() {
  if (!ImGui::BeginMenu(tr_id("File").c_str())) return;
  note_panel_rect("file_menu");
  auto dialog = [&](ProjectDialog d) { open_project_dialog(d); };
  if (ImGui::MenuItem(tr_id("New project...").c_str())) dialog(ProjectDialog::New);
  if (ImGui::MenuItem(tr_id("Open...").c_str(), "Ctrl+O")) dialog(ProjectDialog::Open);
  if (ImGui::BeginMenu(tr_id("Recent projects").c_str())) {
    const auto recent = recent_projects();
    if (recent.empty()) ImGui::TextDisabled("%s", tr("No recent projects"));
    for (const auto& r : recent) {
      record(r);
      if (ImGui::MenuItem(r.c_str())) request(Pending::Open, r);
    }
    ImGui::EndMenu();
  }
  ImGui::Separator();
  const bool open = !m_opt.project.empty();
  if (ImGui::MenuItem(tr_id("Save").c_str(), "Ctrl+S", false, open && project_dirty())) {
    std::string err;
    if (!save_project({}, err)) m_log.push_back(std::string(tr("Could not save the project")) + ": " + err);
  }
  if (ImGui::MenuItem(tr_id("Save as...").c_str(), nullptr, false, open)) dialog(ProjectDialog::SaveAs);
  if (ImGui::MenuItem(tr_id("Close").c_str(), nullptr, false, open)) request(Pending::Close);
  ImGui::Separator();
  if (ImGui::MenuItem(tr_id("Quit").c_str(), "Ctrl+Q")) glfwSetWindowShouldClose(m_win, 1);
  ImGui::EndMenu();
}

void App::draw_project_dialog() {
  if (m_project_dialog == ProjectDialog::None) return;
  if (m_dialog_dir.empty()) {
    std::error_code ec;
    m_dialog_dir =
        m_opt.project.empty() ? fs::current_path(ec) : fs::absolute(m_opt.project, ec).parent_path();
  }
  const char* title = m_project_dialog == ProjectDialog::Open  ? "Open project"
                      : m_project_dialog == ProjectDialog::New ? "New project"
                                                               : "Save project as";
  const char* hint = m_project_dialog == ProjectDialog::Open ? "Choose a project.toml"
                     : m_project_dialog == ProjectDialog::New
                         ? "Choose a folder with the data files"
                         : "Folder to save the project in (project.toml)";
  m_layout.place("project_dialog", Side::Float, 560, 420);
  bool show = true;
  if (!ImGui::Begin(tr_id(title).c_str(), &show)) {
    ImGui::End();
    if (!show) m_project_dialog = ProjectDialog::None;
    return;
  }
  note_panel_rect("project_dialog");
  ImGui::TextUnformatted(tr(hint));
  ImGui::Text("%s: %s", tr("Folder"), m_dialog_dir.string().c_str());
  if (ImGui::Button(tr_id("Parent folder").c_str()) && m_dialog_dir.has_parent_path())
    m_dialog_dir = m_dialog_dir.parent_path();
  bool typed = draw_path_box();
  static const std::set<std::string> toml = {".toml"};
  const auto entries = list_dialog_folder(
      m_dialog_dir, m_project_dialog == ProjectDialog::Open ? toml : std::set<std::string>{});
  ImGui::BeginChild("project_files", {0, -ImGui::GetFrameHeightWithSpacing() * 2}, true);
  fs::path enter;
  bool chosen = false;
  std::error_code ec;
  for (const auto& e : entries) {
    const bool dir = e.is_directory(ec);
    std::string label = (dir ? "[+] " : "    ") + e.path().filename().string();
    if (ImGui::Selectable(label.c_str(), !dir && m_dialog_file == e.path().string(),
                          ImGuiSelectableFlags_AllowDoubleClick)) {
      if (dir)
        enter = e.path();
      else {
        m_dialog_file = e.path().string();
        chosen = ImGui::IsMouseDoubleClicked(0);
      }
    }
  }
  ImGui::EndChild();
  if (!enter.empty()) {
    m_dialog_dir = enter;
    m_dialog_file.clear();
  }
  const char* action = m_project_dialog == ProjectDialog::Open  ? "Open"
                       : m_project_dialog == ProjectDialog::New ? "Create here"
                                                                : "Save";
  const bool go = ImGui::Button(tr_id(action).c_str()) || chosen || typed;
  ImGui::SameLine();
  if (ImGui::Button(tr_id("Cancel").c_str())) show = false;
  if (!m_dialog_error.empty()) {
    ImGui::SameLine();
    ImGui::TextColored({0.8f, 0.1f, 0.1f, 1}, "%s", m_dialog_error.c_str());
  }
  ImGui::End();
  if (go) {
    const ProjectDialog d = m_project_dialog;
    if (d == ProjectDialog::Open && !m_dialog_file.empty()) {
      m_project_dialog = ProjectDialog::None;
      request(Pending::Open, m_dialog_file);
    } else if (d == ProjectDialog::New) {
      m_project_dialog = ProjectDialog::None;
      request(Pending::New, m_dialog_file.empty() ? m_dialog_dir : fs::path(m_dialog_file));
    } else if (d == ProjectDialog::SaveAs) {
      fs::path target = m_dialog_file.empty() ? m_dialog_dir / "project.toml" : fs::path(m_dialog_file);
      std::string err;
      if (save_project(target, err))
        m_project_dialog = ProjectDialog::None;
      else {
        m_dialog_error = err;
        m_log.push_back(std::string(tr("Could not save the project")) + ": " + err);
      }
    }
  }
  if (!show) m_project_dialog = ProjectDialog::None;
}

void App::draw_unsaved_prompt() {
  if (m_show_unsaved) ImGui::OpenPopup(tr_id("Unsaved changes").c_str());
  if (!m_offer_open.empty()) ImGui::OpenPopup(tr_id("Open project").c_str());
  if (ImGui::BeginPopupModal(tr_id("Unsaved changes").c_str(), nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    note_panel_rect("unsaved_prompt");
    ImGui::TextUnformatted(tr("The project has changes that are not saved. Save them?"));
    for (const auto& l : m_session.edit_lines(language() == Lang::En)) ImGui::BulletText("%s", l.c_str());
    int answer = -1;
    if (ImGui::Button(tr_id("Save").c_str())) answer = 0;
    ImGui::SameLine();
    if (ImGui::Button(tr_id("Don't save").c_str())) answer = 1;
    ImGui::SameLine();
    if (ImGui::Button(tr_id("Cancel").c_str())) answer = 2;  // Escape: escape_key()
    if (answer >= 0) {
      m_show_unsaved = false;
      ImGui::CloseCurrentPopup();
      std::string err;
      if (answer == 0 && !save_project({}, err)) {
        m_log.push_back(std::string(tr("Could not save the project")) + ": " + err);
        m_pending = Pending::None;  // not saved: nothing else happens
      } else if (answer == 2) {
        m_pending = Pending::None;
      } else {
        run_pending();
      }
    }
    ImGui::EndPopup();
  }
  if (ImGui::BeginPopupModal(tr_id("Open project").c_str(), nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::TextUnformatted(tr("This folder already has a project.toml. Open it?"));
    ImGui::TextUnformatted(m_offer_open.string().c_str());
    int answer = -1;
    if (ImGui::Button(tr_id("Open").c_str())) answer = 0;
    ImGui::SameLine();
    if (ImGui::Button(tr_id("Cancel").c_str())) answer = 1;
    if (answer >= 0) {
      const fs::path p = m_offer_open;
      m_offer_open.clear();
      ImGui::CloseCurrentPopup();
      std::string err;
      if (answer == 0 && !open_project(p, err))
        m_log.push_back(std::string(tr("Could not open the project")) + ": " + err);
    }
    ImGui::EndPopup();
  }
}

bool App::script_project(const std::vector<std::string>& a, std::string& error) {
  const std::string& cmd = a[0];
  if (cmd == "open" && a.size() == 2)
    request(Pending::Open, a[1]);
  else if (cmd == "new" && a.size() == 2)
    request(Pending::New, a[1]);
  else if (cmd == "close" && a.size() == 1)
    request(Pending::Close);
  else if (cmd == "quit" && a.size() == 1)
    request(Pending::Quit);
  else if (cmd == "save" && a.size() <= 2) {
    std::string err;
    if (!save_project(a.size() == 2 ? fs::path(a[1]) : fs::path(), err))
      m_log.push_back(std::string(tr("Could not save the project")) + ": " + err);
  } else if (cmd == "answer" && a.size() == 2) {
    if (m_show_unsaved) {
      m_show_unsaved = false;
      std::string err;
      if (a[1] == "save") {
        if (save_project({}, err))
          run_pending();
        else
          m_log.push_back(std::string(tr("Could not save the project")) + ": " + err);
      } else if (a[1] == "discard")
        run_pending();
      else
        m_pending = Pending::None;
    } else if (!m_offer_open.empty()) {
      const fs::path p = m_offer_open;
      m_offer_open.clear();
      std::string err;
      if (a[1] == "open" && !open_project(p, err))
        m_log.push_back(std::string(tr("Could not open the project")) + ": " + err);
    } else {
      error = "project answer: no question is asked";
      return false;
    }
  } else if (cmd == "dialog" && a.size() == 2) {
    m_project_dialog = a[1] == "open"  ? ProjectDialog::Open
                       : a[1] == "new" ? ProjectDialog::New
                                       : ProjectDialog::SaveAs;
  } else {
    error =
        "project: new FOLDER | open FILE | save [FILE] | close | quit | answer save|discard|cancel|open | "
        "dialog open|new|save_as";
    return false;
  }
  return true;
}

void App::apply_script_mouse() {
  ImGuiIO& io = ImGui::GetIO();
  if (m_script_key_frames > 0 && m_script_key >= 0 && m_script_key < IM_ARRAYSIZE(io.KeysDown)) {
    io.KeysDown[m_script_key] = m_script_key_frames == 2;  // as the GLFW key callback sets it
    --m_script_key_frames;
  }
  if (m_script_click_frames <= 0) return;
  io.MousePos = {static_cast<float>(m_script_click.x), static_cast<float>(m_script_click.y)};
  io.MouseDown[0] = m_script_click_frames == 2;
  --m_script_click_frames;
}

}  // namespace kepumap::ui
