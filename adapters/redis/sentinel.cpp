#include "adapters/redis/sentinel.hpp"

#include <algorithm>
#include <numeric>

namespace halfhour::redis {

std::vector<std::string> master_address_command(const std::string& master) {
  return {"SENTINEL", "get-master-addr-by-name", master};
}

std::optional<endpoint> master_address(const reply& r) {
  if (r.type != reply::kind::array || r.elements.size() != 2) return std::nullopt;
  const auto& host = r.elements[0];
  const auto& port = r.elements[1];
  if (host.type != reply::kind::string || host.str.empty() || port.type != reply::kind::string) return std::nullopt;
  const auto p = port_of(port.str);
  if (!p) return std::nullopt;
  return endpoint{host.str, *p, {}};
}

bool is_primary(const reply& r) {
  return r.type == reply::kind::array && !r.elements.empty() && r.elements[0].type == reply::kind::string &&
         r.elements[0].str == "master";
}

bool is_readonly(const reply& r) { return r.is_error() && r.str.starts_with("READONLY"); }

sentinel_discovery::sentinel_discovery(std::size_t sentinels) : order_(sentinels) {
  std::iota(order_.begin(), order_.end(), std::size_t{0});
}

sentinel_discovery::action sentinel_discovery::start() {
  at_ = 0;
  if (order_.empty()) return {};
  return {action::kind::ask, order_[0], {}};
}

sentinel_discovery::action sentinel_discovery::answered(const reply* r) {
  if (at_ >= order_.size()) return {};  // no round under way
  if (r) {
    if (auto primary = master_address(*r)) {
      // The sentinel that answered goes first next time: the others may be the ones cut off.
      std::rotate(order_.begin(), order_.begin() + static_cast<std::ptrdiff_t>(at_),
                  order_.begin() + static_cast<std::ptrdiff_t>(at_) + 1);
      at_ = order_.size();
      return {action::kind::connect, 0, std::move(*primary)};
    }
  }
  if (++at_ < order_.size()) return {action::kind::ask, order_[at_], {}};
  return {};  // none knew: pause, then a new round
}

}  // namespace halfhour::redis
