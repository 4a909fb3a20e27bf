// The API's JSON: the proto3 JSON mapping of a message, with proto field names and every
// field without presence printed (protobuf's preserve_proto_field_names and
// always_print_primitive_fields), written straight from the message by reflection.
//
// Why not MessageToJsonString: in protobuf 3.21 it re-parses the binary through a type resolver
// and builds a tree of every default field before printing; on a work order that is some 40 %
// of the engine's CPU per ticket. Messages holding a well-known type other than Timestamp go to
// protobuf's own printer, so the output is the mapping's for every message.
#pragma once

#include <string>

namespace google::protobuf {
class Message;
}

namespace halfhour::codec {

std::string print_json(const google::protobuf::Message& m);

}  // namespace halfhour::codec
