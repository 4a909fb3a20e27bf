// Work orders and reports the engine's tests share: one community, one firm, a burst pipe.
#pragma once

#include <string>

#include "adapters/channels/request.hpp"
#include "sla/machine.hpp"

namespace halfhour::testing {

inline const sla::instant t0 = sla::from_ms(1'795'000'000'000);
inline const std::string station = "街道物业应急维修服务站";
inline const std::string firm = "临客嘉物业";

inline sla::classification burst() { return {sla::urgency::urgent, "burst_pipe", "水管爆裂水漫", {}, "", false}; }
inline sla::classification door() { return {sla::urgency::general, "door_lock", "门锁门禁对讲", {}, "", false}; }

// 丹桂苑, building `building`, the firm's; or, with no community, the station's to place.
inline sla::resolution placed(std::string community = "丹桂苑", std::string building = "3") {
  sla::resolution r;
  if (community.empty()) return r;
  r.to = sla::route::firm;
  r.community_name = std::move(community);
  r.committee = "凌四";
  r.firm = firm;
  r.building = std::move(building);
  return r;
}

inline sla::ladder ladder() {
  sla::ladder l;
  l.station = station;
  l.centre = "建管中心";
  return l;
}

inline sla::intake intake(std::string no = "1", std::string content = "3号楼水管爆了") {
  return {sla::channel::hotline_12345, std::move(no), {"王女士", "13912345678"},
          std::move(content),          "丹桂苑3号楼", std::nullopt};
}

inline channels::request ticket(std::string no = "1", std::string content = "3号楼水管爆了") {
  channels::request r;
  r.intake = intake(no, std::move(content));
  r.idempotency_key = "12345:" + no;
  return r;
}

// The job a report accepted at `when` opened, as stored (version 1).
inline sla::work_order job(std::string id, sla::instant when, sla::classification cls = burst(),
                           sla::resolution where = placed()) {
  auto wo =
      sla::accept(intake("J" + id), std::move(id), std::move(cls), std::move(where), ladder(), sla::limits{}, when)
          .next;
  wo.version = 1;
  return wo;
}

}  // namespace halfhour::testing
