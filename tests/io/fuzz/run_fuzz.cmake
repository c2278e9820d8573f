# Runs one libFuzzer target briefly: cmake -DFUZZER=exe -DRUNS=n -DWORK=dir -DSEEDS=dir -P run_fuzz.cmake
# Bounded by the number of runs (never by wall time); fails if the fuzzer finds a crash.
if(NOT RUNS)
  set(RUNS 20000)
endif()
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
execute_process(
  COMMAND ${FUZZER} -runs=${RUNS} -max_len=4096 -seed=1 -timeout=60 -artifact_prefix=${WORK}/ ${WORK} ${SEEDS}
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "fuzzer ${FUZZER} failed (exit ${rc}); crashing inputs are in ${WORK}\n${out}")
endif()
string(REGEX MATCH "Done [0-9]+ runs[^\n]*" done "${out}")
message(STATUS "${done}")
