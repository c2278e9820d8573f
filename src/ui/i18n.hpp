#pragma once
// 中文 / English for every UI string. Chinese is the default.
#include <set>
#include <string>
#include <vector>

#include "core/project.hpp"

namespace kepumap::ui {

enum class Lang { Zh, En };

/// The current language.
Lang language();
void set_language(Lang l);
/// "zh" / "en" and back (nullopt-like: false if unknown).
const char* language_code(Lang l);
bool language_from_code(const std::string& s, Lang& out);

/// The UI string for an English key in the current language (the key itself if untranslated).
/// While recording, every string returned is remembered (see visible_strings).
const char* tr(const char* key);
/// `tr(key)` + "###" + key: a window or widget label whose ImGui id does not change with the language.
std::string tr_id(const char* key);
/// The planner's name for a role in the current language.
const char* role_label(core::Role r);

/// Every UI string in both languages (for building the font's glyph set).
std::vector<std::string> all_ui_strings();

/// Recording of the strings drawn in a frame (for --dump-state): begin clears, end stops.
void begin_recording();
void record(const std::string& s);
std::set<std::string> end_recording();

}  // namespace kepumap::ui
