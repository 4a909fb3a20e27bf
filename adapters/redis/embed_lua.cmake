# Writes a C++ file holding each Lua script as a string literal, one function per script named
# after its file. Whole-line comments are dropped: they are for the reader of the .lua file, and
# a script sent whole (EVAL) would carry them over the wire each time.
# Usage: cmake -DOUT=<file.cpp> -DSCRIPTS=<a.lua,b.lua,...> -P embed_lua.cmake
string(REPLACE "," ";" scripts "${SCRIPTS}")
file(WRITE ${OUT} "// Generated from adapters/redis/lua/*.lua by adapters/redis/embed_lua.cmake; do not edit.\n"
  "#include \"adapters/redis/lua.hpp\"\n"
  "namespace halfhour::redis::lua {\n")
foreach(path IN LISTS scripts)
  get_filename_component(name ${path} NAME_WE)
  file(READ ${path} body)
  # A newline in front, so the first line is a line like the others.
  string(REGEX REPLACE "\n[ \t]*--[^\n]*" "" body "\n${body}")
  file(APPEND ${OUT} "std::string_view ${name}() { return R\"halfhour_lua(${body})halfhour_lua\"; }\n")
endforeach()
file(APPEND ${OUT} "}\n")
