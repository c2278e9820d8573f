# cmake -DPROBE=exe -DTAG=[tag] -DEXPECT=code -P check_exit.cmake: runs the probe's test cases of
# TAG (with CI unset, so a skip stays a skip) and fails unless it exits with EXPECT.
set(ENV{CI} "")
execute_process(COMMAND ${PROBE} ${TAG} RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
if(NOT rc EQUAL EXPECT)
  message(FATAL_ERROR "${PROBE} ${TAG} exited with ${rc}, expected ${EXPECT}")
endif()
