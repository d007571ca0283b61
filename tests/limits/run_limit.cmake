# Runs one limits test: make_input writes the hostile input, the real binary runs on it, and its
# output is compared with the expected file, as tests/run_golden.cmake does for golden tests.
#
#   cmake -DCHARTER=<binary> -DMAKE_INPUT=<generator> -DCASE=<name> -DRUN="<args>"
#         -DWORK=<scratch dir> -DEXPECTED=<file> -P tests/limits/run_limit.cmake
#
# The output is stdout, then stderr, then `[exit N]`, then `[time ok]` when the run took less than
# the case's allowance (§9: no input runs past its limits). UPDATE_GOLDEN=1 writes the expected file.
cmake_minimum_required(VERSION 3.25)

foreach(required CHARTER MAKE_INPUT CASE RUN WORK EXPECTED)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "run_limit.cmake: pass -D${required}=…")
  endif()
endforeach()

set(dir "${WORK}/${CASE}")
set(out "${WORK}/${CASE}")   # .stdout, .stderr, .actual: beside the inputs, not among them
execute_process(COMMAND "${MAKE_INPUT}" "${CASE}" "${dir}" RESULT_VARIABLE made)
if(NOT made EQUAL 0)
  message(FATAL_ERROR "make_input ${CASE} failed: ${made}")
endif()

# §9 and docs/reliability.md: Charter never writes to a model or data file.
execute_process(COMMAND "${MAKE_INPUT}" --digest "${dir}" OUTPUT_VARIABLE digest_before)

separate_arguments(args UNIX_COMMAND "${RUN}")
set(stdin /dev/null)   # model/CASE.stdin when the case types its input (`repl`)
if(EXISTS "${dir}/model/${CASE}.stdin")
  set(stdin "${dir}/model/${CASE}.stdin")
endif()
set(ENV{NO_COLOR} 1)
string(TIMESTAMP started "%s")
execute_process(
  COMMAND "${CHARTER}" ${args}
  WORKING_DIRECTORY "${dir}/model"
  INPUT_FILE "${stdin}"
  OUTPUT_FILE "${out}.stdout"
  ERROR_FILE "${out}.stderr"
  RESULT_VARIABLE rc
  TIMEOUT 240)
string(TIMESTAMP finished "%s")
math(EXPR seconds "${finished} - ${started}")

execute_process(COMMAND "${MAKE_INPUT}" --digest "${dir}" OUTPUT_VARIABLE digest_after)
if(NOT digest_before STREQUAL digest_after)
  message(FATAL_ERROR "${CASE}: charter changed its input files:\n${digest_before}\n→\n${digest_after}")
endif()

set(actual "${out}.actual")
execute_process(COMMAND "${CMAKE_COMMAND}" -E cat "${out}.stdout" "${out}.stderr" OUTPUT_FILE "${actual}")
file(SIZE "${actual}" size)
if(size GREATER 65536)
  message(FATAL_ERROR "${CASE}: ${size} bytes of output; a limit's message should be short (see ${actual})")
endif()
if(size GREATER 0)
  math(EXPR last "${size} - 1")
  file(READ "${actual}" last_byte OFFSET ${last} LIMIT 1 HEX)
  if(NOT last_byte STREQUAL "0a")
    file(APPEND "${actual}" "\n")
  endif()
endif()
file(APPEND "${actual}" "[exit ${rc}]\n")
# Evaluation limits stop a run at --timeout (60 s by default); parsing and resolving hostile
# input must be quick. Sanitizer builds run a few times slower, hence the margin.
if(seconds LESS 120)
  file(APPEND "${actual}" "[time ok]\n")
else()
  file(APPEND "${actual}" "[time ${seconds} s]\n")
endif()

if("$ENV{UPDATE_GOLDEN}" STREQUAL "1")
  file(COPY_FILE "${actual}" "${EXPECTED}")
  message(STATUS "updated ${EXPECTED} (${seconds} s)")
  return()
endif()
if(NOT EXISTS "${EXPECTED}")
  message(FATAL_ERROR "no ${EXPECTED}: run with UPDATE_GOLDEN=1 to create it")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files "${EXPECTED}" "${actual}" RESULT_VARIABLE differs
                OUTPUT_QUIET ERROR_QUIET)
if(differs EQUAL 0)
  file(REMOVE_RECURSE "${dir}")   # the inputs run to hundreds of MB (sparse files aside)
  file(REMOVE "${out}.stdout" "${out}.stderr" "${out}.actual")
  return()
endif()
execute_process(COMMAND diff -u --label "${CASE}.expected" --label "${CASE} (actual)" "${EXPECTED}" "${actual}")
message(FATAL_ERROR "limits test ${CASE} differs from ${EXPECTED} (${seconds} s; the diff is above)")
