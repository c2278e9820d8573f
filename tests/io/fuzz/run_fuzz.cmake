# Runs one libFuzzer target briefly: cmake -DFUZZER=exe -DWORK=dir -DSEEDS=dir -P run_fuzz.cmake
# Bounded by the number of runs (never by wall time); fails if the fuzzer finds a crash.
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
execute_process(
  COMMAND ${FUZZER} -runs=20000 -max_len=4096 -seed=1 -timeout=60 -artifact_prefix=${WORK}/ ${WORK} ${SEEDS}
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "fuzzer ${FUZZER} failed (exit ${rc}); crashing inputs are in ${WORK}\n${out}")
endif()
string(REGEX MATCH "Done [0-9]+ runs[^\n]*" done "${out}")
message(STATUS "${done}")
