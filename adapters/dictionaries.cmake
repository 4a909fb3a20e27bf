# The dictionaries records and journals are packed with, embedded; every one ever shipped stays
# (what was packed with it needs it), and the highest id of each kind packs from now on. Included
# where record_packing.cpp is built (the adapters, and the fuzz build, which compiles the codec
# from its sources): sets HALFHOUR_RECORD_DICTIONARIES_CPP, generated in the including
# directory's build tree.
file(GLOB halfhour_record_dictionaries CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/adapters/dictionaries/*.zdict)
list(SORT halfhour_record_dictionaries COMPARE NATURAL)
list(JOIN halfhour_record_dictionaries "," halfhour_record_dictionaries_arg)
set(HALFHOUR_RECORD_DICTIONARIES_CPP ${CMAKE_CURRENT_BINARY_DIR}/record_dictionaries.cpp)
add_custom_command(
  OUTPUT ${HALFHOUR_RECORD_DICTIONARIES_CPP}
  COMMAND ${CMAKE_COMMAND} -DOUT=${HALFHOUR_RECORD_DICTIONARIES_CPP} -DDICTIONARIES=${halfhour_record_dictionaries_arg}
          -P ${PROJECT_SOURCE_DIR}/adapters/embed_dictionaries.cmake
  DEPENDS ${halfhour_record_dictionaries} ${PROJECT_SOURCE_DIR}/adapters/embed_dictionaries.cmake
  COMMENT "Embedding the packing dictionaries")
