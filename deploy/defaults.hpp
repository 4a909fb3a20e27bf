// The configuration halfhour ships with: the Dongming directory and the classifier rules,
// as the proto3 JSON of halfhour.v1.Directory and halfhour.v1.ClassifierRules.
#pragma once

#include <string_view>

namespace halfhour::defaults {

std::string_view directory_json();
std::string_view rules_json();

}  // namespace halfhour::defaults
