#pragma once
// Command-line verbs of the kepumap executable. Each verb lives in its own verb_*.cpp and
// registers itself with a static VerbRegistration, so modules add verbs without touching main.
#include <functional>
#include <string>
#include <vector>

namespace kepumap::app {

/// A verb gets its arguments after the verb name and returns the process exit code:
/// 0 success, 1 a checked target missed, 2 bad input (one line per problem on stderr).
using VerbFn = std::function<int(const std::vector<std::string>& args)>;

struct Verb {
  std::string name;     ///< "info", "coverage", ...; "" is the default (no verb: the desktop app)
  std::string summary;  ///< one line for `kepumap --help`
  VerbFn run;
};

/// Every registered verb.
std::vector<Verb>& verbs();

/// Registers a verb at static-initialisation time.
struct VerbRegistration {
  VerbRegistration(std::string name, std::string summary, VerbFn fn);
};

}  // namespace kepumap::app
