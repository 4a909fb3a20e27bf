// Work orders and their journals as the store keeps them: protobuf packed with zstd and a
// dictionary trained on what the engine writes (adapters/dictionaries/<kind>-<id>.zdict, embedded
// in the binary; made by deploy/tools/train_record_dictionary.py). A record of a short complaint
// is mostly the directory's names, the classifier's reasons and the clocks, and a journal part
// mostly the notices' set phrases, which the dictionaries hold, so they pack to a third or less.
// What was written before packing (plain protobuf) reads as it is; every dictionary ever shipped
// stays in the binary, as records, journals and archive parts need theirs.
#pragma once

#include <boost/system/result.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "sla/work_order.hpp"

namespace halfhour::packing {

// The protobuf, packed with the newest record dictionary.
std::string pack_record(std::string_view protobuf);

// The protobuf again, from a packed record or a plain one, with any protobuf a script appended
// after the frame (create.lua puts the short code there); corrupt when the frame is damaged or
// names a dictionary this binary does not have. A packed journal part unpacks the same way.
boost::system::result<std::string> unpack_record(std::string_view stored);

// A work order as the store keeps it (the version stays beside it) and back, packed or plain.
std::string pack_work_order(const sla::work_order& wo);
boost::system::result<sla::work_order> unpack_work_order(std::string_view stored);

// What a write appends to a journal: the part (a serialized Journal) packed with the newest
// journal dictionary, as a Journal whose one field is that frame (Journal.packed). Concatenated
// journals parse as their merge, so the store's scripts append it as they appended plain parts.
std::string pack_journal_part(std::string_view journal_protobuf);

// The dictionaries new records and journal parts are packed with.
unsigned packing_dictionary();
unsigned journal_dictionary();

namespace detail {
struct embedded_dictionary {
  std::string_view kind;  // "record" or "journal"
  unsigned id;
  std::string_view bytes;
};
std::vector<embedded_dictionary> embedded_dictionaries();  // generated: the dictionaries, oldest first
}  // namespace detail

}  // namespace halfhour::packing
