#include "adapters/errors.hpp"

#include <string>

namespace halfhour {

namespace {

class category final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "halfhour"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::unavailable: return "redis unavailable";
      case errc::timeout: return "redis command timed out";
      case errc::conflict: return "work order changed concurrently";
      case errc::not_found: return "not found";
      case errc::corrupt: return "stored record cannot be decoded";
      case errc::rejected: return "redis rejected the command";
      case errc::stale: return "the deadline was no longer armed for that moment";
      case errc::incompatible: return "redis holds data written in another storage layout";
    }
    return "unknown";
  }
};

}  // namespace

const boost::system::error_category& error_category() {
  static const category c;
  return c;
}

}  // namespace halfhour
