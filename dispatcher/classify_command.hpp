// `halfhour classify`: the rules offline. Reads JSON lines {"text":…, "address":…} or plain
// text lines, writes one JSON line per input with the decision and its reasons.
#pragma once

#include <iosfwd>

#include "sla/classifier.hpp"
#include "sla/resolver.hpp"

namespace halfhour {

// Returns the process exit code: 0, or 1 if any line could not be read (it still gets an
// error line of its own, and the following lines are still classified).
int run_classify(std::istream& in, std::ostream& out, const sla::classifier& cls, const sla::resolver& res);

}  // namespace halfhour
