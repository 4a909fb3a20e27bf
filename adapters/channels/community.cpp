#include "adapters/channels/community.hpp"

#include <algorithm>

#include "halfhour/v1/halfhour.pb.h"

namespace halfhour::channels {

namespace pb = halfhour::v1;

namespace {

parsed_request refuse(const input_error& e) { return channels::refuse(e.status, e.code, e.field, e.message); }

std::vector<std::string> list(const google::protobuf::RepeatedPtrField<std::string>& f) { return {f.begin(), f.end()}; }

}  // namespace

parsed_request parse_community_cloud(std::string_view body, std::string_view content_type) {
  pb::CommunityCloudPost m;
  if (auto err = read_message(body, content_type, m)) return refuse(*err);
  auto photos = list(m.photos());
  std::optional<input_error> err;
  if ((err = check::id("post_id", m.post_id(), "帖子编号")) ||
      (err = check::text("community", m.community(), 100, true, "小区")) ||
      (err = check::text("text", m.text(), 4000, true, "帖子内容")) ||
      (err = check::text("address", m.address(), 500, false, "地址")) ||
      (err = check::text("author", m.author(), 100, false, "发帖人")) || (err = check::phone("phone", m.phone())) ||
      (err = check::photos("photos", photos)))
    return refuse(*err);
  parsed_request p;
  auto& in = p.req.intake;
  if ((err = read_time("posted_at", m.posted_at(), in.reported_at))) return refuse(*err);
  p.ok = true;
  in.source = sla::channel::community_cloud;
  in.external_no = m.post_id();
  in.who = {m.author(), without_spaces(m.phone())};
  in.content = m.text();
  // The platform knows the community; the author may add the building and flat.
  in.address = m.community() + m.address();
  in.photos = std::move(photos);
  p.req.idempotency_key = "cloud:" + m.post_id();
  return p;
}

parsed_request parse_wechat(std::string_view body, std::string_view content_type,
                            const std::map<std::string, std::string>& groups) {
  pb::WechatMessage m;
  if (auto err = read_message(body, content_type, m)) return refuse(*err);
  auto photos = list(m.photos());
  std::optional<input_error> err;
  if ((err = check::id("message_id", m.message_id(), "消息编号")) ||
      (err = check::text("group_name", m.group_name(), 100, true, "群名称")) ||
      (err = check::text("text", m.text(), 4000, true, "消息内容")) ||
      (err = check::text("sender", m.sender(), 100, false, "发送人昵称")) || (err = check::photos("photos", photos)))
    return refuse(*err);
  parsed_request p;
  auto& in = p.req.intake;
  if ((err = read_time("sent_at", m.sent_at(), in.reported_at))) return refuse(*err);
  p.ok = true;
  in.source = sla::channel::wechat;
  in.external_no = m.message_id();
  in.who = {m.sender(), ""};  // a nickname; the group has no phone numbers to give
  in.content = m.text();
  auto g = groups.find(m.group_name());
  in.address = g == groups.end() ? m.group_name() : g->second;
  in.photos = std::move(photos);
  p.req.idempotency_key = "wechat:" + m.message_id();
  p.req.screen = true;
  return p;
}

parsed_request parse_walk_in(std::string_view body, std::string_view content_type, std::string_view committee,
                             const std::vector<std::string>& communities) {
  pb::WalkInForm m;
  if (auto err = read_message(body, content_type, m)) return refuse(*err);
  std::optional<input_error> err;
  if ((err = check::id("form_no", m.form_no(), "表单编号")) ||
      (err = check::text("community", m.community(), 100, true, "小区")) ||
      (err = check::text("text", m.text(), 4000, true, "诉求内容")) ||
      (err = check::text("address", m.address(), 500, false, "地址")) ||
      (err = check::text("name", m.name(), 100, false, "姓名")) || (err = check::phone("phone", m.phone())))
    return refuse(*err);
  if (m.kind() != "walk_in" && m.kind() != "suggestion_box")
    return channels::refuse(400, "invalid_field", "kind", "kind须为walk_in（来访）或suggestion_box（意见箱）");
  if (std::find(communities.begin(), communities.end(), m.community()) == communities.end())
    return channels::refuse(403, "not_your_community", "community",
                            "“" + m.community() + "”不在" + std::string(committee) + "居委的辖区内");
  parsed_request p;
  p.ok = true;
  auto& in = p.req.intake;
  in.source = m.kind() == "walk_in" ? sla::channel::walk_in : sla::channel::suggestion_box;
  in.external_no = m.form_no();
  in.who = {m.name(), without_spaces(m.phone())};
  in.content = m.text();
  in.address = m.community() + m.address();
  p.req.idempotency_key = "walkin:" + std::string(committee) + ":" + m.form_no();
  return p;
}

}  // namespace halfhour::channels
