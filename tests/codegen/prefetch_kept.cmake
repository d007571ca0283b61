# Checks that the functions whose speed rests on prefetching still contain prefetch
# instructions: GCC once deleted every prefetch of the loader's read-ahead without a word
# (engine/prefetch.hpp), and only a profile at a million rows showed it.
#   cmake -DOBJDUMP=objdump -DBINARY=charter -P prefetch_kept.cmake
set(functions
    _ZN7charter4lang12_GLOBAL__N_19ReadAhead4stepEv   # lang/facts_file.cpp: a data file's name lookups
    _ZN7charter6engine5Store7of_rowsEjSt6vectorINS0_5ValueESaIS3_EES2_IjSaIjEE)  # engine/store.cpp: row dedup
foreach(function IN LISTS functions)
  execute_process(COMMAND ${OBJDUMP} -d --no-show-raw-insn --disassemble=${function} ${BINARY}
                  OUTPUT_VARIABLE code RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${OBJDUMP} failed on ${BINARY}")
  endif()
  if(NOT code MATCHES "<${function}>:")
    message(FATAL_ERROR "${function} is not in ${BINARY}: renamed or inlined? Update this test's list")
  endif()
  if(NOT code MATCHES "prefetch")
    message(FATAL_ERROR "${function} has no prefetch instruction: the compiler dropped it (see engine/prefetch.hpp)")
  endif()
endforeach()
message(STATUS "prefetches kept in ${BINARY}")
