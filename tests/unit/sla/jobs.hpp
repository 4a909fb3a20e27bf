// What the domain tests of jobs share: the station's name, the community most of them use
// (丹桂苑, committee 凌四, firm 临客嘉物业) and a ladder naming the station and the centre.
#pragma once

#include <string>
#include <string_view>

#include "sla/work_order.hpp"

namespace halfhour::sla::testing {

inline constexpr std::string_view station = "街道物业应急维修服务站";

inline resolution firm_route() {
  resolution r;
  r.to = route::firm;
  r.community_name = "丹桂苑";
  r.committee = "凌四";
  r.firm = "临客嘉物业";
  return r;
}

inline ladder station_and_centre() {
  ladder l;
  l.station = std::string(station);
  l.centre = "建管中心";
  return l;
}

}  // namespace halfhour::sla::testing
