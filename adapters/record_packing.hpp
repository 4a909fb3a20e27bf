// Work-order records as the store keeps them: the protobuf packed with zstd and a dictionary
// trained on records (adapters/dictionaries/record-<id>.zdict, embedded in the binary; made by
// deploy/tools/train_record_dictionary.py). The record of a short complaint is mostly the
// directory's names, the classifier's reasons and the clocks, which the dictionary holds, so it
// packs to about a quarter. A record written before packing (plain protobuf) reads as it is;
// every dictionary ever shipped stays in the binary, as records and archive parts need theirs.
#pragma once

#include <boost/system/result.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "sla/work_order.hpp"

namespace halfhour::packing {

// The protobuf, packed with the newest dictionary.
std::string pack_record(std::string_view protobuf);

// The protobuf again, from a packed record or a plain one, with any protobuf a script appended
// after the frame (create.lua puts the short code there); corrupt when the frame is damaged or
// names a dictionary this binary does not have.
boost::system::result<std::string> unpack_record(std::string_view stored);

// A work order as the store keeps it (the version stays beside it) and back, packed or plain.
std::string pack_work_order(const sla::work_order& wo);
boost::system::result<sla::work_order> unpack_work_order(std::string_view stored);

// The dictionary new records are packed with.
unsigned packing_dictionary();

namespace detail {
struct embedded_dictionary {
  unsigned id;
  std::string_view bytes;
};
std::vector<embedded_dictionary> embedded_dictionaries();  // generated: the dictionaries, oldest first
}  // namespace detail

}  // namespace halfhour::packing
