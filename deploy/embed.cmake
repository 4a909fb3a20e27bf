# Writes a C++ file holding the default directory, rules, scorecard and holiday notices as string literals.
file(READ ${DIRECTORY} directory_json)
file(READ ${RULES} rules_json)
file(READ ${SCORECARD} scorecard_json)
# The holiday notices, one file per year, in the order of their names.
file(GLOB calendar_files ${CALENDAR_DIR}/*.json)
list(SORT calendar_files)
set(calendar_entries "")
foreach(f IN LISTS calendar_files)
  file(READ ${f} year_json)
  string(APPEND calendar_entries "R\"halfhour_json(${year_json})halfhour_json\",\n")
endforeach()
file(WRITE ${OUT} "// Generated from deploy/directory.json, deploy/rules.json, deploy/scorecard.json and deploy/calendar/; do not edit.\n"
  "#include \"deploy/defaults.hpp\"\n"
  "namespace halfhour::defaults {\n"
  "std::string_view directory_json() { return R\"halfhour_json(${directory_json})halfhour_json\"; }\n"
  "std::string_view rules_json() { return R\"halfhour_json(${rules_json})halfhour_json\"; }\n"
  "std::string_view scorecard_json() { return R\"halfhour_json(${scorecard_json})halfhour_json\"; }\n"
  "std::vector<std::string_view> calendar_years() { return {\n${calendar_entries}}; }\n"
  "}\n")
