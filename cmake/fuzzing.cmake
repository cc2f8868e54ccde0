# The fuzz build (OCSCERT_FUZZ): libFuzzer's coverage hooks, AddressSanitizer and UBSan on every
# target this project compiles; the fuzz targets add libFuzzer's main (tests/fuzz). Clang only:
# GCC has no libFuzzer, and MSVC's is left alone, so this stays off there.
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang" OR MSVC)
    message(FATAL_ERROR "OCSCERT_FUZZ needs clang (libFuzzer), not ${CMAKE_CXX_COMPILER_ID}: "
                        "configure with the fuzz preset (CMAKE_CXX_COMPILER=clang++) in a build folder of its own.")
endif()
# Undefined behaviour stops the run like a crash, so libFuzzer keeps the input.
set(OCSCERT_SANITIZERS -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
add_compile_options(-fsanitize=fuzzer-no-link ${OCSCERT_SANITIZERS})
add_link_options(${OCSCERT_SANITIZERS})
