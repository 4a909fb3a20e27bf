// One notification owed, as the outbox holds it: a plain value, read from a stream entry.
#pragma once

#include <string>

namespace halfhour {

struct outbox_entry {
  int shard = 0;
  std::string stream_id;
  std::string key;  // the idempotency key sent to the receiver
  std::string to;   // recipient kind: holder, committee, centre, station, hotline
  std::string organisation;
  std::string kind;  // dispatch, warn, breach, renotify, fallback
  std::string work_order;
  std::string text;
  std::string ref;         // 12345 ticket number for the hotline; the phone of an SMS to one person
  std::string short_code;  // the job's code while it was open, for the reply grammar of an SMS
};

}  // namespace halfhour
