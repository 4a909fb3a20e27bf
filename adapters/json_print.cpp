#include "adapters/json_print.hpp"

#include <fmt/format.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/util/json_util.h>

#include <cmath>
#include <ctime>
#include <mutex>
#include <unordered_map>

namespace halfhour::codec {

namespace gp = google::protobuf;

namespace {

constexpr std::string_view timestamp_type = "google.protobuf.Timestamp";

// Whether this printer maps every field of `d` (and of the messages it holds) as protobuf's
// would: bytes and anything well-known but Timestamp (Duration, Struct, wrappers, Any) are left
// to protobuf.
bool printable(const gp::Descriptor* d, std::unordered_map<const gp::Descriptor*, bool>& seen) {
  if (auto it = seen.find(d); it != seen.end()) return it->second;
  seen[d] = true;  // a recursive type is as printable as its other fields say
  bool ok = true;
  for (int i = 0; i < d->field_count() && ok; ++i) {
    const auto* f = d->field(i);
    if (f->type() == gp::FieldDescriptor::TYPE_BYTES) ok = false;
    if (f->cpp_type() != gp::FieldDescriptor::CPPTYPE_MESSAGE) continue;
    const auto* t = f->message_type();
    if (t->full_name() == timestamp_type) continue;
    if (t->file()->package() == "google.protobuf") ok = false;
    else ok = printable(t, seen);
  }
  seen[d] = ok;
  return ok;
}

bool printable(const gp::Descriptor* d) {
  static std::mutex m;
  static std::unordered_map<const gp::Descriptor*, bool> seen;
  std::lock_guard lock(m);
  return printable(d, seen);
}

void put_string(std::string& out, std::string_view s) {
  out += '"';
  std::size_t run = 0;  // start of the bytes copied as they are
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const char* esc = nullptr;
    char buf[8];
    if (c == '"') esc = "\\\"";
    else if (c == '\\') esc = "\\\\";
    else if (c == '\n') esc = "\\n";
    else if (c == '\r') esc = "\\r";
    else if (c == '\t') esc = "\\t";
    else if (c == '\b') esc = "\\b";
    else if (c == '\f') esc = "\\f";
    else if (c < 0x20 || c == 0x7f) {
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      esc = buf;
    } else if (c == 0xe2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
               (static_cast<unsigned char>(s[i + 2]) == 0xa8 || static_cast<unsigned char>(s[i + 2]) == 0xa9)) {
      // U+2028 and U+2029 end a line in JavaScript source: escaped, as protobuf does.
      out.append(s.data() + run, i - run);
      out += static_cast<unsigned char>(s[i + 2]) == 0xa8 ? "\\u2028" : "\\u2029";
      i += 2;
      run = i + 1;
      continue;
    }
    if (!esc) continue;
    out.append(s.data() + run, i - run);
    out += esc;
    run = i + 1;
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

void put_double(std::string& out, double v) {
  if (std::isnan(v)) out += "\"NaN\"";
  else if (std::isinf(v)) out += v > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  else fmt::format_to(std::back_inserter(out), "{}", v);
}

// RFC 3339 in UTC with 0, 3, 6 or 9 fractional digits, as the mapping prints a Timestamp.
void put_timestamp(std::string& out, const gp::Message& ts) {
  const auto* d = ts.GetDescriptor();
  const auto* r = ts.GetReflection();
  const std::int64_t seconds = r->GetInt64(ts, d->FindFieldByNumber(1));
  const std::int32_t nanos = r->GetInt32(ts, d->FindFieldByNumber(2));
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  fmt::format_to(std::back_inserter(out), "\"{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", tm.tm_year + 1900, tm.tm_mon + 1,
                 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  if (nanos != 0) {
    if (nanos % 1'000'000 == 0) fmt::format_to(std::back_inserter(out), ".{:03}", nanos / 1'000'000);
    else if (nanos % 1'000 == 0) fmt::format_to(std::back_inserter(out), ".{:06}", nanos / 1'000);
    else fmt::format_to(std::back_inserter(out), ".{:09}", nanos);
  }
  out += "Z\"";
}

void put_message(std::string& out, const gp::Message& m);

// One value of field `f`: the element `i` of a repeated field, or the singular value (i < 0).
void put_value(std::string& out, const gp::Message& m, const gp::FieldDescriptor* f, int i) {
  const auto* r = m.GetReflection();
  const bool rep = i >= 0;
  switch (f->cpp_type()) {
    case gp::FieldDescriptor::CPPTYPE_INT32:
      fmt::format_to(std::back_inserter(out), "{}", rep ? r->GetRepeatedInt32(m, f, i) : r->GetInt32(m, f));
      break;
    case gp::FieldDescriptor::CPPTYPE_UINT32:
      fmt::format_to(std::back_inserter(out), "{}", rep ? r->GetRepeatedUInt32(m, f, i) : r->GetUInt32(m, f));
      break;
    case gp::FieldDescriptor::CPPTYPE_INT64:  // quoted: JavaScript numbers hold 53 bits
      fmt::format_to(std::back_inserter(out), "\"{}\"", rep ? r->GetRepeatedInt64(m, f, i) : r->GetInt64(m, f));
      break;
    case gp::FieldDescriptor::CPPTYPE_UINT64:
      fmt::format_to(std::back_inserter(out), "\"{}\"", rep ? r->GetRepeatedUInt64(m, f, i) : r->GetUInt64(m, f));
      break;
    case gp::FieldDescriptor::CPPTYPE_DOUBLE:
      put_double(out, rep ? r->GetRepeatedDouble(m, f, i) : r->GetDouble(m, f));
      break;
    case gp::FieldDescriptor::CPPTYPE_FLOAT:
      put_double(out, static_cast<double>(rep ? r->GetRepeatedFloat(m, f, i) : r->GetFloat(m, f)));
      break;
    case gp::FieldDescriptor::CPPTYPE_BOOL:
      out += (rep ? r->GetRepeatedBool(m, f, i) : r->GetBool(m, f)) ? "true" : "false";
      break;
    case gp::FieldDescriptor::CPPTYPE_ENUM: {
      const int v = rep ? r->GetRepeatedEnumValue(m, f, i) : r->GetEnumValue(m, f);
      if (const auto* ev = f->enum_type()->FindValueByNumber(v)) put_string(out, ev->name());
      else fmt::format_to(std::back_inserter(out), "{}", v);
      break;
    }
    case gp::FieldDescriptor::CPPTYPE_STRING: {
      std::string scratch;
      const std::string& s =
          rep ? r->GetRepeatedStringReference(m, f, i, &scratch) : r->GetStringReference(m, f, &scratch);
      put_string(out, s);  // never bytes: printable() leaves those (base64) to protobuf
      break;
    }
    case gp::FieldDescriptor::CPPTYPE_MESSAGE: {
      const auto& sub = rep ? r->GetRepeatedMessage(m, f, i) : r->GetMessage(m, f);
      if (sub.GetDescriptor()->full_name() == timestamp_type) put_timestamp(out, sub);
      else put_message(out, sub);
      break;
    }
  }
}

void put_message(std::string& out, const gp::Message& m) {
  const auto* d = m.GetDescriptor();
  const auto* r = m.GetReflection();
  out += '{';
  bool first = true;
  for (int k = 0; k < d->field_count(); ++k) {
    const auto* f = d->field(k);
    if (!f->is_repeated() && f->has_presence() && !r->HasField(m, f)) continue;  // messages, optionals, oneofs
    if (!first) out += ',';
    first = false;
    put_string(out, f->name());
    out += ':';
    if (f->is_map()) {
      const auto* key = f->message_type()->map_key();
      const auto* value = f->message_type()->map_value();
      out += '{';
      for (int i = 0; i < r->FieldSize(m, f); ++i) {
        const auto& entry = r->GetRepeatedMessage(m, f, i);
        if (i) out += ',';
        std::string k_json;
        put_value(k_json, entry, key, -1);
        if (k_json.front() != '"') k_json = "\"" + k_json + "\"";  // map keys are strings in JSON
        out += k_json;
        out += ':';
        put_value(out, entry, value, -1);
      }
      out += '}';
    } else if (f->is_repeated()) {
      out += '[';
      for (int i = 0; i < r->FieldSize(m, f); ++i) {
        if (i) out += ',';
        put_value(out, m, f, i);
      }
      out += ']';
    } else {
      put_value(out, m, f, -1);
    }
  }
  out += '}';
}

}  // namespace

std::string print_json(const gp::Message& m) {
  std::string out;
  if (!printable(m.GetDescriptor())) {
    gp::util::JsonPrintOptions opts;
    opts.preserve_proto_field_names = true;
    opts.always_print_primitive_fields = true;
    (void)gp::util::MessageToJsonString(m, &out, opts);  // cannot fail for our own messages
    return out;
  }
  out.reserve(1024);
  put_message(out, m);
  return out;
}

}  // namespace halfhour::codec
