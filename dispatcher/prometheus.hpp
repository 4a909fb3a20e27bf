// Prometheus's text format, written in one place: each series with its HELP and TYPE lines,
// unlabelled, labelled or as a cumulative histogram.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace halfhour {

class prometheus_text {
 public:
  template <class Value>
  prometheus_text& counter(std::string_view name, std::string_view help, Value v) {
    return single(name, "counter", help, v);
  }
  template <class Value>
  prometheus_text& gauge(std::string_view name, std::string_view help, Value v) {
    return single(name, "gauge", help, v);
  }
  // One series per label value: {label="value"} v.
  template <class Value>
  prometheus_text& labelled(std::string_view name, std::string_view type, std::string_view help, std::string_view label,
                            const std::vector<std::pair<std::string, Value>>& values) {
    head(name, type, help);
    for (const auto& [l, v] : values) out_ += fmt::format("{}{{{}=\"{}\"}} {}\n", name, label, l, v);
    return *this;
  }
  // `counts[i]` observations at or under `bounds[i]`, the last count for everything above.
  prometheus_text& histogram(std::string_view name, std::string_view help, std::span<const long long> bounds,
                             std::span<const std::uint64_t> counts, long long sum) {
    head(name, "histogram", help);
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < bounds.size(); ++i) {
      cumulative += counts[i];
      out_ += fmt::format("{}_bucket{{le=\"{}\"}} {}\n", name, bounds[i], cumulative);
    }
    cumulative += counts.back();
    out_ += fmt::format("{}_bucket{{le=\"+Inf\"}} {}\n{}_sum {}\n{}_count {}\n", name, cumulative, name, sum, name,
                        cumulative);
    return *this;
  }
  prometheus_text& raw(std::string_view text) {
    out_ += text;
    return *this;
  }
  std::string str() && { return std::move(out_); }

 private:
  void head(std::string_view name, std::string_view type, std::string_view help) {
    out_ += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  }
  template <class Value>
  prometheus_text& single(std::string_view name, std::string_view type, std::string_view help, Value v) {
    head(name, type, help);
    out_ += fmt::format("{} {}\n", name, v);
    return *this;
  }

  std::string out_;
};

}  // namespace halfhour
