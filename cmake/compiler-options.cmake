# Compiler options for the targets this project compiles itself. They are
# PRIVATE: whatever links one of our targets (the tests, or a consumer of the
# installed library) keeps its own warning flags.
option(OCSCERT_WARNINGS_AS_ERRORS "Treat compiler warnings as errors (-Werror, /WX); the CMake presets turn it on" OFF)

function(ocscert_compile_options target)
    if(MSVC)
        # /utf-8: the sources hold UTF-8 literals (IDNA, test names).
        target_compile_options(${target} PRIVATE /W4 /utf-8 $<$<BOOL:${OCSCERT_WARNINGS_AS_ERRORS}>:/WX>)
    else()
        target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
            $<$<BOOL:${OCSCERT_WARNINGS_AS_ERRORS}>:-Werror>
            # Line tables only (function names and lines in backtraces and sanitizer reports), not
            # every type and variable of the JSON library's templates: a sixth off the compile time.
            $<$<CONFIG:RelWithDebInfo>:-g1>)
    endif()
endfunction()

# The headers nearly every source of `target` includes, parsed once per target instead of once per
# source (the JSON library alone is 25,000 lines), and any further ones given: with -g1, a third off the build time.
# The fuzz build turns this off (CMAKE_DISABLE_PRECOMPILE_HEADERS), so every source is still compiled
# somewhere with only the includes it names.
function(ocscert_precompile_headers target)
    target_precompile_headers(${target} PRIVATE <algorithm> <chrono> <filesystem> <fstream> <functional> <map> <memory>
        <optional> <string> <string_view> <vector> <nlohmann/json.hpp> <openssl/err.h> <openssl/pem.h> <openssl/x509v3.h> ${ARGN})
endfunction()
