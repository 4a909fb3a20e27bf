#include "adapters/channels/hotline.hpp"

#include "halfhour/v1/halfhour.pb.h"

namespace halfhour::channels {

namespace pb = halfhour::v1;

parsed_request parse_hotline_ticket(std::string_view body, std::string_view content_type) {
  pb::HotlineTicket m;
  if (auto err = read_message(body, content_type, m)) return refuse(err->status, err->code, err->field, err->message);

  std::optional<input_error> err;
  if ((err = check::id("ticket_no", m.ticket_no(), "工单编号")) ||
      (err = check::text("content", m.content(), 4000, true, "诉求内容")) ||
      (err = check::text("address", m.address(), 500, false, "地址")) ||
      (err = check::text("caller_name", m.caller_name(), 100, false, "姓名")) ||
      (err = check::phone("caller_phone", m.caller_phone())) ||
      (err = check::text("category_hint", m.category_hint(), 100, false, "类别提示")) ||
      (err = check::text("urgency_hint", m.urgency_hint(), 100, false, "紧急程度提示")))
    return refuse(err->status, err->code, err->field, err->message);

  parsed_request p;
  auto& in = p.req.intake;
  if ((err = read_time("reported_at", m.reported_at(), in.reported_at)))
    return refuse(err->status, err->code, err->field, err->message);
  p.ok = true;
  in.source = sla::channel::hotline_12345;
  in.external_no = m.ticket_no();
  in.who = {m.caller_name(), without_spaces(m.caller_phone())};
  in.content = m.content();
  in.address = m.address();
  p.req.hints = {m.category_hint(), m.urgency_hint()};
  p.req.idempotency_key = "12345:" + m.ticket_no();
  return p;
}

}  // namespace halfhour::channels
