// Open311 GeoReport v2: the services (our categories), posting a request, and reading requests
// back, in the spec's field names. Requests are posted form-encoded, as the spec says (JSON
// with the same names is accepted too); answers are JSON arrays; errors are
// [{"code": <status>, "description": "..."}].
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/channels/request.hpp"
#include "sla/work_order.hpp"

namespace halfhour::channels::open311 {

struct service {
  std::string code;
  std::string name;
  std::string description;
  std::string group;  // "急修" or "一般性维修"
  std::vector<std::string> keywords;
};

std::vector<service> services_of(const sla::classifier_rules& rules);

struct post {
  parsed_request parsed;
  bool readable = false;  // the body could be read at all (then api_key is what it said)
  std::string api_key;
};

// POST /open311/v2/requests.json. `idempotency_header` (Idempotency-Key) keys a retry; without
// it, the same client posting the same form twice is a retry ("open311:" + SHA-256 of the
// client's key and the body).
post parse_post(std::string_view body, std::string_view content_type, std::string_view idempotency_header,
                const std::vector<std::string>& service_codes);

struct query {
  std::vector<std::string> ids;  // service_request_id, comma separated
  std::string service_code;
  std::optional<sla::instant> start;
  std::optional<sla::instant> end;
  std::string status;   // "", "open" or "closed"
  std::string api_key;  // reading needs a key too: the requests carry residents' places
};

struct query_parse {
  bool ok = false;
  query q;
  input_error error;
};

// The query string of GET /open311/v2/requests.json (without the '?').
query_parse parse_query(std::string_view query_string);

// A request as a client may read it: no reporter; phone numbers (in any notation) and room
// numbers taken out of the text; the address down to the building.
std::string render_services(const std::vector<service>& services);
std::string render_requests(const std::vector<sla::work_order>& orders);
std::string render_posted(const sla::work_order& wo);
std::string render_error(int status, std::string_view description);

// Whether an order passes the query's filters (ids are looked up, not filtered here).
bool matches(const query& q, const sla::work_order& wo);

}  // namespace halfhour::channels::open311
