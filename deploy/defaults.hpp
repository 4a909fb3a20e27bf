// The configuration halfhour ships with: the Dongming directory, the classifier rules and the
// State Council's holiday notices, as the proto3 JSON of halfhour.v1.Directory,
// halfhour.v1.ClassifierRules and one halfhour.v1.HolidayYear per year (deploy/calendar/).
#pragma once

#include <string_view>
#include <vector>

namespace halfhour::defaults {

std::string_view directory_json();
std::string_view rules_json();
std::string_view scorecard_json();  // halfhour.v1.ScorecardRules
std::vector<std::string_view> calendar_years();

}  // namespace halfhour::defaults
