# Included by the generated perf CTest files: which targets file, repetitions and server folder this ctest
# run uses. Environment variables win over the cache, so CI can pick another target set without editing
# CMake files: VOXPERF_PERF_TARGETS=targets/mine.json ctest -L perf
set(perf_targets "${VOXPERF_PERF_TARGETS_DEFAULT}")
if(DEFINED ENV{VOXPERF_PERF_TARGETS})
  set(perf_targets "$ENV{VOXPERF_PERF_TARGETS}")
endif()
get_filename_component(perf_targets "${perf_targets}" ABSOLUTE)
get_filename_component(perf_target_set "${perf_targets}" NAME_WE)
set(perf_repetitions "${VOXPERF_PERF_REPETITIONS_DEFAULT}")
if(DEFINED ENV{VOXPERF_PERF_REPETITIONS})
  set(perf_repetitions "$ENV{VOXPERF_PERF_REPETITIONS}")
endif()
set(perf_servers "${VOXPERF_PERF_WORK_DIR}/servers")
