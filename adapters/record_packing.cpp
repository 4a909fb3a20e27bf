#include "adapters/record_packing.hpp"

#include <zstd.h>

#include <map>
#include <memory>
#include <stdexcept>

#include "adapters/codec.hpp"
#include "adapters/errors.hpp"
#include "halfhour/v1/halfhour.pb.h"

namespace halfhour::packing {

namespace pb = halfhour::v1;

namespace {

// A frame starts with these four bytes (RFC 8878); a WorkOrder's first byte is the tag of its id
// (field 1), never 0x28, so the two cannot be taken for each other.
constexpr std::string_view zstd_magic{"\x28\xb5\x2f\xfd", 4};
// Fast to pack and as small as the slower levels on records this short.
constexpr int level = 3;
// A record is kilobytes; a frame claiming more is damaged, not a record to allocate for.
constexpr unsigned long long largest_record = 16ull << 20;

struct cdict_free {
  void operator()(ZSTD_CDict* d) const { ZSTD_freeCDict(d); }
};
struct ddict_free {
  void operator()(ZSTD_DDict* d) const { ZSTD_freeDDict(d); }
};
struct cctx_free {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct dctx_free {
  void operator()(ZSTD_DCtx* c) const { ZSTD_freeDCtx(c); }
};

// The dictionaries, digested once; read-only after, so shared by every thread.
struct dictionaries {
  struct newest {
    std::unique_ptr<ZSTD_CDict, cdict_free> cdict;
    unsigned id = 0;
  };
  newest record, journal;
  std::map<unsigned, std::unique_ptr<ZSTD_DDict, ddict_free>> by_id;

  dictionaries() {
    for (const auto& d : detail::embedded_dictionaries()) {
      if (ZSTD_getDictID_fromDict(d.bytes.data(), d.bytes.size()) != d.id || by_id.contains(d.id))
        throw std::logic_error("dictionary " + std::to_string(d.id) + " carries another id or is there twice");
      by_id[d.id].reset(ZSTD_createDDict(d.bytes.data(), d.bytes.size()));
      if (d.kind != "record" && d.kind != "journal") throw std::logic_error("dictionary of no known kind");
      auto& n = d.kind == "journal" ? journal : record;
      if (d.id >= n.id) {
        n.id = d.id;
        n.cdict.reset(ZSTD_createCDict(d.bytes.data(), d.bytes.size(), level));
      }
    }
    if (!record.cdict || !journal.cdict) throw std::logic_error("no record or no journal dictionary embedded");
  }
};

const dictionaries& dicts() {
  static const dictionaries d;
  return d;
}

std::string pack(std::string_view protobuf, const ZSTD_CDict* dict) {
  thread_local std::unique_ptr<ZSTD_CCtx, cctx_free> ctx(ZSTD_createCCtx());
  std::string out(ZSTD_compressBound(protobuf.size()), '\0');
  const auto n = ZSTD_compress_usingCDict(ctx.get(), out.data(), out.size(), protobuf.data(), protobuf.size(), dict);
  // Only a too small buffer fails, and compressBound rules that out.
  if (ZSTD_isError(n)) throw std::logic_error(std::string("zstd: ") + ZSTD_getErrorName(n));
  out.resize(n);
  return out;
}

}  // namespace

std::string pack_record(std::string_view protobuf) { return pack(protobuf, dicts().record.cdict.get()); }

std::string pack_journal_part(std::string_view journal_protobuf) {
  // A write with no event and no notice appends nothing, as before packing: a frame of nothing
  // would still be bytes, and the archive reads a journal that grew as a job that moved on.
  if (journal_protobuf.empty()) return {};
  pb::Journal part;
  part.add_packed(pack(journal_protobuf, dicts().journal.cdict.get()));
  return part.SerializeAsString();
}

boost::system::result<std::string> unpack_record(std::string_view stored) {
  if (!stored.starts_with(zstd_magic)) return std::string(stored);
  const auto id = ZSTD_getDictID_fromFrame(stored.data(), stored.size());
  const auto& known = dicts().by_id;
  const auto dict = known.find(id);
  const auto size = ZSTD_getFrameContentSize(stored.data(), stored.size());
  const auto frame = ZSTD_findFrameCompressedSize(stored.data(), stored.size());
  if (dict == known.end() || size == ZSTD_CONTENTSIZE_UNKNOWN || size == ZSTD_CONTENTSIZE_ERROR ||
      size > largest_record || ZSTD_isError(frame))
    return make_error_code(errc::corrupt);
  thread_local std::unique_ptr<ZSTD_DCtx, dctx_free> ctx(ZSTD_createDCtx());
  std::string out(size, '\0');
  const auto n =
      ZSTD_decompress_usingDDict(ctx.get(), out.data(), out.size(), stored.data(), frame, dict->second.get());
  if (ZSTD_isError(n) || n != size) return make_error_code(errc::corrupt);
  // Fields the create script appended after the frame (the short code): protobuf concatenated
  // parses as the merge, so they go on the end as they are.
  out.append(stored.substr(frame));
  return out;
}

std::string pack_work_order(const sla::work_order& wo) { return pack_record(codec::encode_work_order(wo)); }

boost::system::result<sla::work_order> unpack_work_order(std::string_view stored) {
  auto protobuf = unpack_record(stored);
  if (!protobuf) return protobuf.error();
  return codec::decode_work_order(*protobuf);
}

unsigned packing_dictionary() { return dicts().record.id; }
unsigned journal_dictionary() { return dicts().journal.id; }

}  // namespace halfhour::packing
