// The community doors: a 社区云 post, a residents' WeChat group message forwarded by a bot, and
// the walk-in / suggestion-box form of the residents' committee. Each maps its own payload onto
// the one intake, with its own idempotency key.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/channels/request.hpp"

namespace halfhour::channels {

// POST /v1/channels/community-cloud. The post's community and address become the address the
// resolver reads; its text is the request. Key "cloud:<post_id>".
parsed_request parse_community_cloud(std::string_view body, std::string_view content_type);

// POST /v1/channels/wechat. `groups` maps a group's name to its community where the name does
// not say it; otherwise the group's name is read as an address ("丹桂苑业主群"). The message is
// screened before dispatch. Key "wechat:<message_id>".
parsed_request parse_wechat(std::string_view body, std::string_view content_type,
                            const std::map<std::string, std::string>& groups);

// POST /v1/channels/walk-in, from committee staff. `communities` are the committee's own: a
// form for another committee's community is refused. Key "walkin:<committee>:<form_no>".
parsed_request parse_walk_in(std::string_view body, std::string_view content_type, std::string_view committee,
                             const std::vector<std::string>& communities);

}  // namespace halfhour::channels
