// Between the domain's types and the wire: protobuf binary for what Redis stores, the proto3
// JSON mapping (proto field names) for the HTTP API.
#pragma once

#include <boost/system/result.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "sla/work_order.hpp"

namespace halfhour::codec {

std::string encode_work_order(const sla::work_order& wo);
boost::system::result<sla::work_order> decode_work_order(std::string_view bytes);

std::string encode_event(const sla::event& e);
boost::system::result<sla::event> decode_event(std::string_view bytes);

enum class format { json, protobuf };

// The work order as the API shows it, with its history.
std::string render_work_order(const sla::work_order& wo, const std::vector<sla::event>& history, format f);

std::string error_json(std::string_view code, std::string_view field, std::string_view message);

// RFC 3339 with the Asia/Shanghai offset, for people-facing text and logs.
std::string shanghai_time(sla::instant t);

}  // namespace halfhour::codec
