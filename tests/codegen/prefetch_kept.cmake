# Checks that the functions whose speed rests on prefetching still contain prefetch
# instructions: GCC once deleted every prefetch of the loader's read-ahead without a word
# (engine/prefetch.hpp), and only a profile at a million rows showed it.
#   cmake -DOBJDUMP=objdump -DNM=nm -DBINARY=charter -P prefetch_kept.cmake
# Each function is named by the start of its mangled name, so that a change of its parameters
# does not break the test.
set(functions
    _ZN7charter4lang12_GLOBAL__N_19ReadAhead4stepEv   # lang/facts_file.cpp: a data file's name lookups
    _ZN7charter6engine5Store4Impl19drop_repeats_hashed)  # engine/store.cpp: dropping repeated rows
execute_process(COMMAND ${NM} ${BINARY} OUTPUT_VARIABLE symbols RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NM} failed on ${BINARY}")
endif()
foreach(prefix IN LISTS functions)
  string(REGEX MATCH "[ \n]${prefix}[A-Za-z0-9_]*\n" symbol "${symbols}")
  string(STRIP "${symbol}" symbol)
  if(symbol STREQUAL "")
    message(FATAL_ERROR "no function ${prefix}… in ${BINARY}: renamed or inlined? Update this test's list")
  endif()
  execute_process(COMMAND ${OBJDUMP} -d --no-show-raw-insn --disassemble=${symbol} ${BINARY}
                  OUTPUT_VARIABLE code RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0 OR NOT code MATCHES "<${symbol}>:")
    message(FATAL_ERROR "${OBJDUMP} could not disassemble ${symbol} in ${BINARY}")
  endif()
  if(NOT code MATCHES "prefetch")
    message(FATAL_ERROR "${symbol} has no prefetch instruction: the compiler dropped it (see engine/prefetch.hpp)")
  endif()
endforeach()
message(STATUS "prefetches kept in ${BINARY}")
