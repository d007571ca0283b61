# Installs the freshly built Charter into a scratch prefix, builds examples/embed against the
# installed package (out of tree, as an embedder would) and runs it on the Syddanmark example.
#   cmake -DBUILD=<charter build dir> -DSOURCE=<repo> -DWORK=<scratch dir> -P tests/embed.cmake
file(REMOVE_RECURSE "${WORK}")
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "failed: ${ARGN}\n${out}\n${err}")
  endif()
  set(output "${out}" PARENT_SCOPE)
endfunction()
run(${CMAKE_COMMAND} --install "${BUILD}" --prefix "${WORK}/prefix")
run(${CMAKE_COMMAND} -S "${SOURCE}/examples/embed" -B "${WORK}/build" -G Ninja
    -DCMAKE_PREFIX_PATH=${WORK}/prefix -DCMAKE_BUILD_TYPE=Release)
run(${CMAKE_COMMAND} --build "${WORK}/build")
run("${WORK}/build/route_case" "${SOURCE}/examples/syddanmark/model.charter" Spor3Eksempel)
message(STATUS "${output}")
foreach(expected "route of Spor3Eksempel:" "a bad question: unknown entity `NoSuchFlow`" "0 error-level violations")
  string(FIND "${output}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "expected `${expected}` in the output")
  endif()
endforeach()
