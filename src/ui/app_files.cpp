// Adding a layer from a file: the file dialog and the reader (a new revision of the session).
#include "ui/app_window.hpp"

namespace kepumap::ui {

bool App::load_layer_file(const std::string& path, core::Role role, const std::string& source_layer,
                          std::string& error) {
  try {
    // The same file (and layer inside it) twice would draw and count everything twice.
    std::error_code ec;
    const fs::path want = fs::weakly_canonical(fs::path(path), ec);
    for (const auto& l : doc().layers) {
      std::error_code ec2;
      const fs::path have = fs::weakly_canonical(fs::path(l.report.source), ec2);
      if (!l.report.source.empty() && !ec && !ec2 && have == want &&
          (source_layer.empty() || l.report.source_layer.empty() || l.report.source_layer == source_layer)) {
        error = path + (source_layer.empty() ? "" : " (" + source_layer + ")") +
                ": already in the project as layer '" + l.name +
                "' (该文件已在项目中); remove that layer first";
        return false;
      }
    }
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    core::Layer layer;
    if (doc().analysis_crs.empty()) {
      core::Document d = io::load_data_file(path, source_layer);
      for (const auto& p : d.diagnostics.problems)
        if (p.severity == core::Severity::Error) {
          error = p.to_line();
          return false;
        }
      if (d.layers.empty()) {
        error = path + ": no layer";
        return false;
      }
      {
        // the first layer of a map without a project sets its CRS: a new document, no edit
        auto next = std::make_shared<core::Document>(doc());
        next->analysis_crs = d.analysis_crs;
        next->analysis_crs_name = d.analysis_crs_name;
        m_session.reset(std::move(next));
        m_ui_doc = m_session.document();
        m_ui_revision = m_session.revision();
      }
      m_renderer->set_origin(d.extent().center());
      m_to_lonlat = std::make_unique<geo::Transform>(doc().analysis_crs, "EPSG:4326");
      layer = std::move(d.layers.front());
    } else if (ext == ".tif" || ext == ".tiff") {
      core::Diagnostics diag;
      auto grid = io::read_population_raster(path, "", doc().analysis_crs, doc().config.travel.cell_size_m,
                                             layer.report, diag);
      if (!grid) {
        error = diag.problems.empty() ? path + ": cannot read" : diag.problems.front().to_line();
        return false;
      }
      layer.is_raster = true;
      layer.raster = std::move(*grid);
    } else {
      io::VectorReadOptions opts;
      opts.role = role;
      opts.layer = source_layer;
      opts.label = source_layer.empty() ? fs::path(path).stem().string() : source_layer;
      layer = io::read_vector_layer(path, opts, doc().analysis_crs);
    }
    layer.role = role;
    std::string base = source_layer.empty() ? fs::path(path).stem().string() : source_layer, name = base;
    for (int k = 2;
         std::any_of(doc().layers.begin(), doc().layers.end(), [&](const auto& l) { return l.name == name; });
         ++k)
      name = base + " " + std::to_string(k);
    layer.name = name;
    m_session.add_layer(std::move(layer));
    sync_layers();
    m_fonts_dirty = true;
    m_status = std::string(tr("Loaded layer")) + ": " + name;
    return true;
  } catch (const std::exception& e) {
    error = e.what();
    return false;
  }
}

std::vector<fs::directory_entry> app_detail::list_dialog_folder(const fs::path& dir,
                                                                const std::set<std::string>& exts) {
  std::vector<fs::directory_entry> entries;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, fs::directory_options::skip_permission_denied, ec)) {
    std::string name = e.path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    std::string ext = e.path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    if (e.is_directory(ec) || exts.count(ext)) entries.push_back(e);
  }
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    std::error_code e1, e2;
    bool da = a.is_directory(e1), db = b.is_directory(e2);
    return da != db ? da : a.path().filename() < b.path().filename();
  });
  return entries;
}

bool App::draw_path_box() {
  ImGui::SetNextItemWidth(-ImGui::CalcTextSize(tr("Go")).x - ImGui::GetStyle().FramePadding.x * 4 -
                          ImGui::CalcTextSize(tr("Path")).x - ImGui::GetStyle().ItemSpacing.x * 2);
  bool go = ImGui::InputText(tr_id("Path").c_str(), m_dialog_path, sizeof m_dialog_path,
                             ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine();
  go |= ImGui::Button(tr_id("Go").c_str());
  if (!go || m_dialog_path[0] == '\0') return false;
  std::error_code ec;
  const fs::path p = fs::absolute(fs::path(m_dialog_path), ec).lexically_normal();
  if (fs::is_directory(p, ec)) {
    m_dialog_dir = p;
    m_dialog_file.clear();
    return false;
  }
  if (fs::is_directory(p.parent_path(), ec)) m_dialog_dir = p.parent_path();
  m_dialog_file = p.string();
  return true;
}

void App::draw_file_dialog() {
  if (!m_show_file_dialog) return;
  if (m_dialog_dir.empty()) {
    std::error_code ec;
    m_dialog_dir =
        m_settings.get("last_dir")
            .value_or(m_opt.project.empty() ? fs::current_path(ec).string()
                                            : fs::absolute(m_opt.project, ec).parent_path().string());
  }
  m_layout.place("file_dialog", Side::Float, 560, 420);
  if (!ImGui::Begin(tr_id("Add layer").c_str(), &m_show_file_dialog)) {
    ImGui::End();
    return;
  }
  note_panel_rect("add_layer");
  ImGui::Text("%s: %s", tr("Folder"), m_dialog_dir.string().c_str());
  if (ImGui::Button(tr_id("Parent folder").c_str()) && m_dialog_dir.has_parent_path()) {
    m_dialog_dir = m_dialog_dir.parent_path();
    m_dialog_file.clear();
  }
  draw_path_box();
  static const std::set<std::string> exts = {".geojson", ".json", ".gpkg", ".shp",      ".csv",
                                             ".kml",     ".kmz",  ".fgb",  ".topojson", ".gpx",
                                             ".tif",     ".tiff", ".xlsx"};
  std::error_code ec;
  const std::vector<fs::directory_entry> entries = list_dialog_folder(m_dialog_dir, exts);
  ImGui::BeginChild("files", {0, -ImGui::GetFrameHeightWithSpacing() * 3}, true);
  fs::path enter;
  for (const auto& e : entries) {
    bool dir = e.is_directory(ec);
    std::string label = (dir ? "[+] " : "    ") + e.path().filename().string();
    if (ImGui::Selectable(label.c_str(), !dir && m_dialog_file == e.path().string(),
                          ImGuiSelectableFlags_AllowDoubleClick)) {
      if (dir)
        enter = e.path();
      else if (m_dialog_file != e.path().string()) {
        m_dialog_file = e.path().string();
        // a multi-layer source: offer its layers
        m_dialog_layers.clear();
        m_dialog_layer = 0;
        m_dialog_error.clear();
        std::string ext = e.path().extension().string();
        if (ext != ".tif" && ext != ".tiff") {
          try {
            m_dialog_layers = io::list_vector_layers(m_dialog_file);
          } catch (const std::exception& ex) {
            m_dialog_error = ex.what();
          }
        }
      }
    }
  }
  ImGui::EndChild();
  if (!enter.empty()) {
    m_dialog_dir = enter;
    m_dialog_file.clear();
  }
  ImGui::Text(
      "%s: %s", tr("File"),
      m_dialog_file.empty() ? tr("No file chosen") : fs::path(m_dialog_file).filename().string().c_str());
  if (m_dialog_layers.size() > 1 &&
      ImGui::BeginCombo(tr_id("Layer").c_str(),
                        m_dialog_layers[static_cast<std::size_t>(m_dialog_layer)].c_str())) {
    for (std::size_t k = 0; k < m_dialog_layers.size(); ++k)
      if (ImGui::Selectable(m_dialog_layers[k].c_str(), static_cast<int>(k) == m_dialog_layer))
        m_dialog_layer = static_cast<int>(k);
    ImGui::EndCombo();
  }
  const auto& roles = core::all_roles();
  if (ImGui::BeginCombo(tr_id("Role").c_str(), role_label(static_cast<core::Role>(m_dialog_role)))) {
    for (auto r : roles)
      if (ImGui::Selectable(role_label(r), static_cast<int>(r) == m_dialog_role))
        m_dialog_role = static_cast<int>(r);
    ImGui::EndCombo();
  }
  ImGui::BeginDisabled(m_dialog_file.empty());
  if (ImGui::Button(tr_id("Add").c_str())) {
    std::string err;
    std::string inner = m_dialog_layers.size() > 1 ? m_dialog_layers[static_cast<std::size_t>(m_dialog_layer)]
                                                   : std::string();
    if (load_layer_file(m_dialog_file, static_cast<core::Role>(m_dialog_role), inner, err)) {
      m_show_file_dialog = false;
      m_dialog_error.clear();
    } else {
      m_dialog_error = err;
    }
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button(tr_id("Cancel").c_str())) m_show_file_dialog = false;
  if (!m_dialog_error.empty()) {
    ImGui::SameLine();
    ImGui::TextColored({0.8f, 0.1f, 0.1f, 1}, "%s: %s", tr("Could not load the layer"),
                       m_dialog_error.c_str());
  }
  ImGui::End();
}

}  // namespace kepumap::ui
