// What the codec's translation units share: timestamps and the domain's enums on the schema's.
// Internal to adapters/codec*.cpp: it includes the generated schema.
#pragma once

#include "halfhour/v1/halfhour.pb.h"
#include "sla/time.hpp"

namespace halfhour::codec::detail {

inline void set_time(google::protobuf::Timestamp* ts, sla::instant t) {
  auto ms = sla::to_ms(t);
  auto secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  ts->set_seconds(secs);
  ts->set_nanos(static_cast<int>((ms - secs * 1000) * 1'000'000));
}

inline sla::instant get_time(const google::protobuf::Timestamp& ts) {
  return sla::from_ms(ts.seconds() * 1000 + ts.nanos() / 1'000'000);
}

// The domain's enums mirror the schema's in order, offset by the schema's UNSPECIFIED = 0.
template <class To, class From>
To shift_up(From v) {
  return static_cast<To>(static_cast<int>(v) + 1);
}
template <class To, class From>
To shift_down(From v) {
  return static_cast<To>(static_cast<int>(v) - 1);
}

}  // namespace halfhour::codec::detail
