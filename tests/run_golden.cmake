# Runs one golden test (STYLE.md §7): the real binary on NAME.charter, compared with NAME.expected.
#
#   cmake -DCHARTER=<binary> -DINPUT=<dir>/NAME.charter -P tests/run_golden.cmake
#
# - Runs in the input's folder `charter check NAME.charter`, or `charter ARGS` when the input's first
#   line is `# run: ARGS` (split as a shell would: quotes and backslashes respected).
# - Standard input is NAME.stdin beside the input when there is one (for `repl` tests), else empty.
# - The actual output is stdout, then stderr, then a last line `[exit N]`. NO_COLOR is set.
# - On a mismatch it prints `diff -u` of expected and actual and fails. With UPDATE_GOLDEN=1 in the
#   environment it writes the actual output to NAME.expected instead, and passes.

cmake_minimum_required(VERSION 3.25)

foreach(required CHARTER INPUT)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "run_golden.cmake: pass -D${required}=…")
  endif()
endforeach()
if(NOT EXISTS "${INPUT}")
  message(FATAL_ERROR "run_golden.cmake: no input ${INPUT}")
endif()

get_filename_component(dir "${INPUT}" DIRECTORY)
get_filename_component(file_name "${INPUT}" NAME)
string(REGEX REPLACE "\\.charter$" "" stem "${file_name}")
set(expected_file "${dir}/${stem}.expected")
set(stdin_file "${dir}/${stem}.stdin")

# The command: `# run: ARGS` on the first line, else `check NAME.charter`.
file(READ "${INPUT}" head LIMIT 4096)
if(head MATCHES "^# run:([^\r\n]*)")
  string(STRIP "${CMAKE_MATCH_1}" run_line)
  separate_arguments(args UNIX_COMMAND "${run_line}")
else()
  set(args check "${file_name}")
endif()

if(EXISTS "${stdin_file}")
  set(input_file "${stdin_file}")
else()
  set(input_file /dev/null)
endif()

set(ENV{NO_COLOR} 1)          # never colour, even if a terminal leaks through
execute_process(
  COMMAND "${CHARTER}" ${args}
  WORKING_DIRECTORY "${dir}"
  INPUT_FILE "${input_file}"
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err
  RESULT_VARIABLE rc
  TIMEOUT 60)                 # §9: no input may hang the interpreter

set(actual "${out}${err}")
if(NOT actual STREQUAL "" AND NOT actual MATCHES "\n$")
  string(APPEND actual "\n")  # keep `[exit N]` on a line of its own
endif()
string(APPEND actual "[exit ${rc}]\n")

if("$ENV{UPDATE_GOLDEN}" STREQUAL "1")
  file(WRITE "${expected_file}" "${actual}")
  message(STATUS "updated ${expected_file}")
  return()
endif()

if(NOT EXISTS "${expected_file}")
  message(FATAL_ERROR "no ${stem}.expected beside ${INPUT}: run with UPDATE_GOLDEN=1 to create it")
endif()
file(READ "${expected_file}" expected)
if(actual STREQUAL expected)
  return()
endif()

# Write the actual output next to the build's other files (one per input, so parallel ctest
# runs do not collide) and let diff show the difference.
string(MD5 input_hash "${INPUT}")
string(SUBSTRING "${input_hash}" 0 8 input_hash)
set(actual_file "${CMAKE_CURRENT_BINARY_DIR}/golden-actual/${stem}-${input_hash}.actual")
file(WRITE "${actual_file}" "${actual}")
execute_process(COMMAND diff -u --label "${stem}.expected" --label "${stem} (actual)"
                        "${expected_file}" "${actual_file}")
message(FATAL_ERROR "golden test ${INPUT} differs from ${stem}.expected (the diff is above; "
                    "UPDATE_GOLDEN=1 ctest -R … accepts the new output)")
