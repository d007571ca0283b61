# Runs one golden test (STYLE.md §7): the real binary on NAME.charter, compared with NAME.expected.
#
#   cmake -DCHARTER=<binary> -DINPUT=<dir>/NAME.charter -P tests/run_golden.cmake
#
# - Runs in the input's folder `charter check NAME.charter`, or `charter ARGS` when the input's first
#   line is `# run: ARGS` (split as a shell would, quotes respected).
# - Standard input is NAME.stdin beside the input when there is one (for `repl` tests), else empty.
# - The actual output is stdout, then stderr, then a last line `[exit N]`. NO_COLOR is set.
# - On a mismatch it prints `diff -u` of expected and actual and fails. With UPDATE_GOLDEN=1 in the
#   environment it writes the actual output to NAME.expected instead, and passes.
#
# The output is handled as files, byte for byte: CMake's strings would turn CRLF into LF
# (execute_process's OUTPUT_VARIABLE and file(READ) both do), and CSV output must keep its CRLF.

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

# Scratch files, one set per input so that parallel ctest runs do not collide; outside the source
# tree even when the script is run by hand from there.
if(DEFINED ENV{TMPDIR} AND IS_DIRECTORY "$ENV{TMPDIR}")
  set(scratch_dir "$ENV{TMPDIR}/charter-golden")
else()
  set(scratch_dir "/tmp/charter-golden")
endif()
file(MAKE_DIRECTORY "${scratch_dir}")
string(MD5 input_hash "${INPUT}")
string(SUBSTRING "${input_hash}" 0 8 input_hash)
set(scratch "${scratch_dir}/${stem}-${input_hash}")

set(ENV{NO_COLOR} 1)          # never colour, even if a terminal leaks through
execute_process(
  COMMAND "${CHARTER}" ${args}
  WORKING_DIRECTORY "${dir}"
  INPUT_FILE "${input_file}"
  OUTPUT_FILE "${scratch}.stdout"
  ERROR_FILE "${scratch}.stderr"
  RESULT_VARIABLE rc
  TIMEOUT 60)                 # §9: no input may hang the interpreter

# actual = stdout, stderr, a newline if the output does not end in one, `[exit N]`.
set(actual_file "${scratch}.actual")
execute_process(COMMAND "${CMAKE_COMMAND}" -E cat "${scratch}.stdout" "${scratch}.stderr"
                OUTPUT_FILE "${actual_file}")
file(SIZE "${actual_file}" size)
if(size GREATER 0)
  math(EXPR last "${size} - 1")
  file(READ "${actual_file}" last_byte OFFSET ${last} LIMIT 1 HEX)
  if(NOT last_byte STREQUAL "0a")
    file(APPEND "${actual_file}" "\n")   # keep `[exit N]` on a line of its own
  endif()
endif()
file(APPEND "${actual_file}" "[exit ${rc}]\n")

if("$ENV{UPDATE_GOLDEN}" STREQUAL "1")
  file(COPY_FILE "${actual_file}" "${expected_file}")
  message(STATUS "updated ${expected_file}")
  return()
endif()

if(NOT EXISTS "${expected_file}")
  message(FATAL_ERROR "no ${stem}.expected beside ${INPUT}: run with UPDATE_GOLDEN=1 to create it")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files "${expected_file}" "${actual_file}"
                RESULT_VARIABLE differs OUTPUT_QUIET ERROR_QUIET)
if(differs EQUAL 0)
  return()
endif()

execute_process(COMMAND diff -u --label "${stem}.expected" --label "${stem} (actual)"
                        "${expected_file}" "${actual_file}")
message(FATAL_ERROR "golden test ${INPUT} differs from ${stem}.expected (the diff is above; "
                    "the output is in ${actual_file}; UPDATE_GOLDEN=1 ctest -R … accepts it)")
