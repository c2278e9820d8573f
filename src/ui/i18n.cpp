#include "ui/i18n.hpp"

#include <cstring>

namespace kepumap::ui {

namespace {

struct Entry {
  const char* en;
  const char* zh;
};

// Every string the app shows. Keys are the English text.
constexpr Entry k_strings[] = {
    {"Layers", "图层"},
    {"Inspector", "属性查看"},
    {"Legend", "图例"},
    {"Settings", "设置"},
    {"Language", "语言"},
    {"Style", "样式"},
    {"Visible", "显示"},
    {"Opacity", "不透明度"},
    {"Fill", "填充"},
    {"Line", "线条"},
    {"Line width", "线宽"},
    {"Symbol", "符号"},
    {"Size", "大小"},
    {"Labels", "标注"},
    {"Up", "上移"},
    {"Down", "下移"},
    {"Fit", "缩放至图层"},
    {"Fit all", "全图"},
    {"Reset panel layout", "重置面板布局"},
    {"Add layer...", "添加图层…"},
    {"Add layer", "添加图层"},
    {"Add", "添加"},
    {"Cancel", "取消"},
    {"Folder", "文件夹"},
    {"Parent folder", "上级文件夹"},
    {"File", "文件"},
    {"Role", "类型"},
    {"No file chosen", "未选择文件"},
    {"Could not load the layer", "无法加载图层"},
    {"Loaded layer", "已加载图层"},
    {"Nothing selected: click a feature on the map.", "未选择要素：请在地图上点击。"},
    {"Layer", "图层"},
    {"Feature", "要素"},
    {"Source feature", "源要素编号"},
    {"Area", "面积"},
    {"Length", "长度"},
    {"Field", "字段"},
    {"Value", "值"},
    {"Cursor", "光标"},
    {"Analysis CRS", "分析坐标系"},
    {"Scale", "比例尺"},
    {"Isochrones", "等时线"},
    {"features", "个要素"},
    {"Project", "项目"},
    {"No project", "未打开项目"},
    {"View", "视图"},
    {"Panels", "面板"},
    {"Help", "帮助"},
    {"Drag to pan, wheel to zoom, click to select.", "拖动平移，滚轮缩放，点击选择。"},
    {"Raster", "栅格"},
    {"low", "低"},
    {"high", "高"},
    {"Classes by", "分级字段"},
    {"Other", "其他"},
    {"km", "千米"},
    {"m", "米"},
    {"Problems", "问题"},
    {"Diagnostics", "诊断信息"},
    {"Quit", "退出"},
    {"nearest", "最近设施"},
    {"(figures of an earlier revision)", "（项目更改前的数字）"},
    {"no route (outside the travel grid or cut off)", "无路线（在出行网格之外或被阻断）"},
    {"Travel time", "出行时间"},
    {"Edit scenarios...", "编辑情景…"},
    {"The travel scenario the map, every panel and every export show", "地图、各面板和导出所用的出行情景"},
    {"Travel scenarios", "出行情景"},
    {"(new scenario)", "（新建情景）"},
    {"Name (for --scenario)", "名称（用于 --scenario）"},
    {"Label", "显示名称"},
    {"Off-road speed", "越野速度"},
    {"as the base:", "同现状："},
    {"As the base", "同现状"},
    {"Frozen: crossed on the ice", "封冻：可从冰上通过"},
    {"Not frozen", "未封冻"},
    {"Rivers and lakes", "河流湖泊"},
    {"Road classes (speed 0 = as the base)", "道路等级（速度 0 = 同现状）"},
    {"The project has no road layer.", "本项目没有道路图层。"},
    {"Class", "等级"},
    {"Base km/h", "现状 km/h"},
    {"Scenario km/h", "本情景 km/h"},
    {"Closed", "封闭"},
    {"lines", "条线"},
    {"Also in project.toml (kept as written):", "project.toml 中另有（保持原样）："},
    {"tag rules", "条标签规则"},
    {"land-cover speeds", "项土地覆被速度"},
    {"Create", "创建"},
    {"Apply", "应用"},
    {"Show on the map", "在地图上显示"},
    {"Delete scenario", "删除情景"},
    {"Saved with the project (File > Save).", "随项目保存（文件 > 保存）。"},
    {"computing", "计算中"},
    {"Chinese", "中文"},
    {"English", "English"},
    {"circle", "圆形"},
    {"square", "方形"},
    {"triangle", "三角形"},
    {"diamond", "菱形"},
    {"star", "星形"},
    {"cross", "十字"},
    // analysis panels (ui/panel_analysis.cpp)
    {"Coverage", "覆盖"},
    {"Targets", "规划目标"},
    {"Export", "导出"},
    {"Export...", "导出…"},
    {"Science museum", "科技馆"},
    {"Education base", "科普教育基地"},
    {"Science caravan", "科普大篷车"},
    {"Expert tour", "专家科普行"},
    {"Open a project to compute coverage.", "请先打开项目以计算覆盖。"},
    {"Recompute", "重新计算"},
    {"computing…", "计算中…"},
    {"Population", "人口"},
    {"people", "人"},
    {"mean", "平均"},
    {"min", "分钟"},
    {"standard", "标准"},
    {"Standard", "服务标准"},
    {"Covered by any", "任一服务覆盖"},
    {"Gini of travel time", "出行时间基尼系数"},
    {"Capacity and accessibility", "容量与可达性"},
    {"Landscape", "横向"},
    {"Display name", "显示名称"},
    {"Properties...", "属性…"},
    {"Layer properties", "图层属性"},
    {"Role and fields", "类型与字段"},
    {"Field mapping", "字段对应"},
    {"(none)", "（无）"},
    {"Single colour", "单一颜色"},
    {"Categories", "分类"},
    {"Graduated", "分级"},
    {"Method", "方法"},
    {"Quantile", "分位数"},
    {"Equal interval", "等间距"},
    {"Manual", "手动"},
    {"Breaks", "分级断点"},
    {"Upper bounds of the classes but the last, e.g. 0, 30, 60, 120",
     "各级上限（最后一级除外），如 0, 30, 60, 120"},
    {"Breaks must be 1 to 8 ascending numbers.", "断点须为 1 至 8 个递增的数字。"},
    {"Ramp", "色带"},
    {"Role's ramp", "类型的色带"},
    {"Travel-time ramp", "出行时间色带"},
    {"Gap ramp", "缺口色带"},
    {"Index ramp", "可达性指数色带"},
    {"Population ramp", "人口色带"},
    {"Category colours", "分类颜色"},
    {"Click a swatch to pick its colour.", "单击色块选择颜色。"},
    {"Classes", "分级数"},
    {"Label field", "标注字段"},
    {"Role style", "恢复类型样式"},
    {"Only the first 12 values get a colour of their own.", "仅前 12 个值有各自的颜色。"},
    {"English name", "英文名称"},
    {"Code", "代码"},
    {"Road class", "道路等级"},
    {"Speed", "速度"},
    {"Pastoral", "牧区"},
    {"One-way", "单行"},
    {"Longitude", "经度"},
    {"Latitude", "纬度"},
    {"Attribute table", "属性表"},
    {"No vector layer.", "没有矢量图层。"},
    {"Caravan stops", "停靠点"},
    {"Travel model", "出行模型"},
    {"Tours", "巡展路线"},
    {"Route", "路线"},
    {"Computing figures", "计算指标"},
    {"Caravan tours", "大篷车巡展"},
    {"Siting", "选址"},
    {"What-if drag", "推演拖动"},
    {"figures", "指标"},
    {"features selected", "个要素已选中"},
    {"selected", "已选"},
    {"covered", "覆盖"},
    {"mean min", "平均分钟"},
    {"nearest min", "最近分钟"},
    {"filter: text, or Population > 1000", "筛选：文字，或 人口 > 1000"},
    {"Selected only", "仅所选"},
    {"Zoom to selection", "缩放到所选"},
    {"Clear selection", "清除选择"},
    {"Export selected", "导出所选"},
    {"Export rows", "导出各行"},
    {"rows written to", "行已写入"},
    {"Find place", "查找地点"},
    {"Measure", "测量"},
    {"Log", "日志"},
    {"Copy to clipboard", "复制到剪贴板"},
    {"Click to open the log", "单击打开日志"},
    {"Click on the map to add points.", "在地图上单击添加测量点。"},
    {"Distance", "距离"},
    {"points", "个点"},
    {"Area (closed)", "面积（闭合）"},
    {"Clear", "清除"},
    {"Find", "查找"},
    {"name, or lon, lat", "名称，或 经度, 纬度"},
    {"Open a project or a layer first.", "请先打开项目或图层。"},
    {"cannot be placed in the map's coordinate system", "无法换算到地图坐标系"},
    {"Centred on", "已定位到"},
    {"no place of that name", "没有此名称的地点"},
    {"Remove layer", "移除图层"},
    {"Layer removed", "已移除图层"},
    {"Travel scenario", "出行情景"},
    {"current (base)", "现状"},
    {"This project has no population: every share is 0.", "本项目没有人口数据：各覆盖率均为 0。"},
    {"Map a population field on the finest unit layer, or add a population raster",
     "请在最细一级单元图层上映射人口字段，或添加人口栅格"},
    {"Export map of the view", "导出当前视图地图"},
    {"No fixed facility set with a standard.", "没有带服务标准的固定设施。"},
    {"Facility set", "设施类型"},
    {"No accessibility figures", "无可达性结果"},
    {"Served within capacity", "容量内服务"},
    {"within reach", "可达"},
    {"Facility", "设施"},
    {"Capacity", "容量"},
    {"Realised", "实际服务"},
    {"Residual", "剩余容量"},
    {"Catchment (min)", "服务圈（分钟）"},
    {"unlimited", "不限"},
    {"No capacity field mapped: every venue counts as unlimited.", "未映射容量字段：各场馆按不限容量计。"},
    {"E2SFCA index", "增强两步移动搜索法指数"},
    {"Gaussian decay", "高斯衰减"},
    {"supply", "供给"},
    {"capacity", "容量"},
    {"area", "面积"},
    {"one", "每处 1"},
    {"region mean = 1", "区域均值 = 1"},
    {"Lorenz curve", "洛伦兹曲线"},
    {"Relative index by township, lowest first", "各苏木镇相对指数（由低到高）"},
    {"Index map", "可达性指数图"},
    {"Capacity catchments", "容量服务圈"},
    {"updated in", "更新用时"},
    {"facilities searched again", "个设施重新搜索"},
    {"Priority", "优先系数"},
    {"pastoral", "牧区"},
    {"border band", "边境带"},
    {"remoteness", "偏远度"},
    {"time to the nearest town", "到最近城镇时间"},
    {"Group", "人群"},
    {"Covered", "覆盖率"},
    {"Mean time (min)", "平均时间（分钟）"},
    {"Border (within the bands)", "边境（带内）"},
    {"Interior", "内地"},
    {"Gap map", "缺口地图"},
    {"Travel-time map", "出行时间地图"},
    {"Scenario name", "情景名称"},
    {"Save scenario", "保存情景"},
    {"Load scenario", "载入情景"},
    {"Give the scenario a name.", "请为情景命名。"},
    {"cannot write the file", "无法写入文件"},
    {"Saved", "已保存"},
    {"Loaded", "已载入"},
    {"no scenario named", "没有名为此的情景"},
    {"edits", "项编辑"},
    {"Compare scenarios", "比较情景"},
    {"outside the travel grid (reach nobody)", "个在出行网格之外（覆盖不到任何人）"},
    {"Compared", "已比较"},
    {"scenarios", "个情景"},
    {"Current", "当前"},
    {"Data", "数据"},
    {"Gini", "基尼系数"},
    {"gap (uncovered people × priority)", "缺口（未覆盖人口 × 优先度）"},
    {"Table by unit", "按单位列表"},
    {"Unit", "单位"},
    {"Any", "任一"},
    {"Gap", "缺口"},
    {"What-if", "情景推演"},
    {"Pan", "平移地图"},
    {"Move facility", "移动设施"},
    {"Add facility", "添加设施"},
    {"Facility type", "设施类型"},
    {"Selected", "已选"},
    {"Delete", "删除"},
    {"Undo", "撤销"},
    {"Redo", "重做"},
    {"Edits", "编辑"},
    {"last update", "上次更新"},
    {"New", "新建"},
    {"Edits change only this evaluation, never the source data.", "编辑只改变本次推演，不会改写源数据。"},
    {"The project has no targets.", "项目没有规划目标。"},
    {"cannot evaluate", "无法评估"},
    {"pass", "达标"},
    {"fail", "未达标"},
    {"failing units", "未达标单位"},
    {"Failing units highlighted on the map", "地图上已突出显示未达标单位"},
    {"Write report and tables", "写出报告和表格"},
    {"The export includes the what-if edits.", "导出内容包含情景推演的编辑。"},
    {"Nothing to export yet: the coverage is still being computed.", "尚无可导出的结果：覆盖仍在计算中。"},
    {"Choose a folder first.", "请先选择文件夹。"},
    {"Wrote", "已写入"},
    {"pages", "页"},
    {"Scenario", "情景"},
    {"The figures are of an earlier revision of the project (a layer or the scenario changed).",
     "以下数字属于项目的早前版本（图层或情景已更改）。"},
    {"Name", "名称"},
    {"Level", "级别"},
    {"Rename", "命名"},
    {"Exporting: edits wait until the export ends.", "正在导出：导出结束后才能编辑。"},
    {"Edits in effect", "生效的编辑"},
    {"Exporting…", "正在导出…"},
    {"Tasks", "任务"},
    {"New project...", "新建项目…"},
    {"Open...", "打开…"},
    {"Recent projects", "最近的项目"},
    {"Save", "保存"},
    {"Save as...", "另存为…"},
    {"Close", "关闭"},
    {"No recent projects", "无最近的项目"},
    {"New project", "新建项目"},
    {"Open project", "打开项目"},
    {"Save project as", "项目另存为"},
    {"Path", "路径"},
    {"Go", "转到"},
    {"Create here", "在此新建"},
    {"Open", "打开"},
    {"Unsaved changes", "未保存的更改"},
    {"Don't save", "不保存"},
    {"The project has changes that are not saved. Save them?", "项目有未保存的更改。是否保存？"},
    {"This folder already has a project.toml. Open it?", "此文件夹已有 project.toml。是否打开它？"},
    {"Project opened", "已打开项目"},
    {"Project saved", "项目已保存"},
    {"Project closed", "项目已关闭"},
    {"Could not open the project", "无法打开项目"},
    {"Could not save the project", "无法保存项目"},
    {"Could not create the project", "无法新建项目"},
    {"New project created", "已新建项目"},
    {"layers guessed", "个图层（自动识别）"},
    {"undecided", "待定"},
    {"skipped", "未使用"},
    {"Choose a folder with the data files", "选择存放数据文件的文件夹"},
    {"Choose a project.toml", "选择 project.toml"},
    {"Folder to save the project in (project.toml)", "保存项目的文件夹（project.toml）"},
    // basemaps (ui/basemap_view.cpp)
    {"Basemap", "底图"},
    {"Add basemap...", "添加底图…"},
    {"Add basemap", "添加底图"},
    {"Land and water (quiet background)", "陆地与水系（默认底图）"},
    {"failed (see the log)", "加载失败（见日志）"},
    {"A raster file (GeoTIFF, MBTiles, GeoPackage), a tile URL with {z}/{x}/{y}, or a WMS/WMTS connection",
     "栅格文件（GeoTIFF、MBTiles、GeoPackage）、含 {z}/{x}/{y} 的瓦片地址，或 WMS/WMTS 连接"},
    {"Give a file path or a tile URL", "请输入文件路径或瓦片地址"},
    {"Open a project first", "请先打开项目"},
    {"The tile URL lacks", "瓦片地址缺少"},
    {"Background", "默认底图"},
};

struct RoleEntry {
  core::Role role;
  const char* en;
  const char* zh;
};
constexpr RoleEntry k_roles[] = {
    {core::Role::Banner, "Banner / county", "旗县"},
    {core::Role::Township, "Township / sum", "苏木乡镇"},
    {core::Role::Village, "Gachaa / village", "嘎查村"},
    {core::Role::Town, "Town", "城镇"},
    {core::Role::Museum, "Science museum", "科技馆"},
    {core::Role::EducationBase, "Science education base", "科普教育基地"},
    {core::Role::CaravanDepot, "Caravan depot", "科普大篷车基地"},
    {core::Role::CaravanRoute, "Caravan route", "大篷车路线"},
    {core::Role::CaravanStop, "Caravan stop", "大篷车停靠点"},
    {core::Role::Road, "Road", "道路"},
    {core::Role::Population, "Population", "人口"},
    {core::Role::Border, "Border", "边界"},
    {core::Role::Water, "Water (lakes, rivers)", "水体（湖泊、河流）"},
    {core::Role::Other, "Other", "其他"},
};

Lang g_lang = Lang::Zh;
bool g_recording = false;
std::set<std::string> g_recorded;

}  // namespace

Lang language() { return g_lang; }
void set_language(Lang l) { g_lang = l; }
const char* language_code(Lang l) { return l == Lang::Zh ? "zh" : "en"; }
bool language_from_code(const std::string& s, Lang& out) {
  if (s == "zh" || s == "zh_CN" || s == "cn") {
    out = Lang::Zh;
    return true;
  }
  if (s == "en") {
    out = Lang::En;
    return true;
  }
  return false;
}

void record(const std::string& s) {
  if (g_recording) g_recorded.insert(s);
}

const char* tr(const char* key) {
  const char* out = key;
  if (g_lang == Lang::Zh)
    for (const auto& e : k_strings)
      if (std::strcmp(e.en, key) == 0) {
        out = e.zh;
        break;
      }
  if (g_recording) g_recorded.insert(out);
  return out;
}

std::string tr_id(const char* key) { return std::string(tr(key)) + "###" + key; }

const char* role_label(core::Role r) {
  for (const auto& e : k_roles)
    if (e.role == r) {
      const char* s = g_lang == Lang::Zh ? e.zh : e.en;
      if (g_recording) g_recorded.insert(s);
      return s;
    }
  return "?";
}

std::vector<std::string> all_ui_strings() {
  std::vector<std::string> v;
  for (const auto& e : k_strings) {
    v.emplace_back(e.en);
    v.emplace_back(e.zh);
  }
  for (const auto& e : k_roles) {
    v.emplace_back(e.en);
    v.emplace_back(e.zh);
  }
  return v;
}

void begin_recording() {
  g_recorded.clear();
  g_recording = true;
}
std::set<std::string> end_recording() {
  g_recording = false;
  return std::move(g_recorded);
}

}  // namespace kepumap::ui
