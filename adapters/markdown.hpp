// Text going into a 企业微信 group robot's markdown message: whatever a reporter typed (an address
// the resolver could not match goes into the subject verbatim) must read as text, never as a
// heading, a link, a quote or a coloured <font> tag in the station's group.
#pragma once

#include <string>
#include <string_view>

namespace halfhour::markdown {

// Backslash-escapes the markdown marks (\ ` * _ [ ] ( ) # ~), writes < > as HTML entities, and
// turns line breaks and other control characters into spaces, so the text stays one line of
// plain text: no heading, quote, link or tag can start inside it.
std::string as_text(std::string_view text);

}  // namespace halfhour::markdown
