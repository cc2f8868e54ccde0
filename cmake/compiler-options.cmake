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
            $<$<BOOL:${OCSCERT_WARNINGS_AS_ERRORS}>:-Werror>)
    endif()
endfunction()
