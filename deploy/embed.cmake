# Writes a C++ file holding the default directory and rules as string literals.
file(READ ${DIRECTORY} directory_json)
file(READ ${RULES} rules_json)
file(WRITE ${OUT} "// Generated from deploy/directory.json and deploy/rules.json; do not edit.\n"
  "#include \"deploy/defaults.hpp\"\n"
  "namespace halfhour::defaults {\n"
  "std::string_view directory_json() { return R\"halfhour_json(${directory_json})halfhour_json\"; }\n"
  "std::string_view rules_json() { return R\"halfhour_json(${rules_json})halfhour_json\"; }\n"
  "}\n")
