// Configuration and stored records on arbitrary bytes: rules and directory JSON either load or
// throw config_error (never crash), and a corrupt stored work order or event decodes to an error.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "adapters/codec.hpp"
#include "adapters/config.hpp"
#include "sla/classifier.hpp"
#include "sla/resolver.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    switch (data[0] % 4) {
      case 0: {
        auto rules = halfhour::config::parse_rules(body, "fuzz");
        halfhour::sla::classifier c(std::move(rules));  // may refuse rules that cannot work
        (void)c.classify("厨房水管爆了");
        break;
      }
      case 1: {
        auto dir = halfhour::config::parse_directory(body, "fuzz");
        halfhour::sla::resolver r(std::move(dir));
        (void)r.resolve("丹桂苑3号楼");
        break;
      }
      case 2: (void)halfhour::codec::decode_work_order(body); break;
      case 3: (void)halfhour::codec::decode_event(body); break;
    }
  } catch (const halfhour::config::config_error&) {
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
