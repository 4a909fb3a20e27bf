// Configuration and stored records on arbitrary bytes: rules and directory JSON either load or
// throw config_error (never crash), and a corrupt stored work order, event or journal decodes to
// an error; a work order that decodes prints as JSON.
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
    // Modulo 8 keeps the seed corpus's first bytes meaning what they did under modulo 4.
    switch (data[0] % 8) {
      case 0:
      case 4: {
        auto rules = halfhour::config::parse_rules(body, "fuzz");
        halfhour::sla::classifier c(std::move(rules));  // may refuse rules that cannot work
        (void)c.classify("厨房水管爆了");
        break;
      }
      case 1:
      case 5: {
        auto dir = halfhour::config::parse_directory(body, "fuzz");
        halfhour::sla::resolver r(std::move(dir));
        (void)r.resolve("丹桂苑3号楼");
        break;
      }
      case 2: {
        // What decodes is printed as the API prints it: the JSON printer on any stored record.
        if (auto wo = halfhour::codec::decode_work_order(body))
          (void)halfhour::codec::render_work_order(*wo, {}, halfhour::codec::format::json);
        break;
      }
      case 6: (void)halfhour::codec::decode_journal(body); break;
      case 3:
      case 7: (void)halfhour::codec::decode_event(body); break;
    }
  } catch (const halfhour::config::config_error&) {
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
