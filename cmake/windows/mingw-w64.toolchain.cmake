# Cross-compiling for 64-bit Windows with Debian's mingw-w64 (the -posix
# compilers: std::thread and std::mutex need the winpthreads thread model).
#   cmake -DCMAKE_TOOLCHAIN_FILE=cmake/windows/mingw-w64.toolchain.cmake -DOCSCERT_WINDOWS_DEPS=<prefix> ...
# OCSCERT_WINDOWS_DEPS is where cmake/windows/build.sh put OpenSSL, curl, libidn2,
# GoogleTest and the header-only libraries built or copied for mingw.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(_ocscert_host x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${_ocscert_host}-gcc-posix)
set(CMAKE_CXX_COMPILER ${_ocscert_host}-g++-posix)
set(CMAKE_RC_COMPILER ${_ocscert_host}-windres)

# Try-compiles see the same variable.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES OCSCERT_WINDOWS_DEPS)
if(NOT OCSCERT_WINDOWS_DEPS AND DEFINED ENV{OCSCERT_WINDOWS_DEPS})
    set(OCSCERT_WINDOWS_DEPS "$ENV{OCSCERT_WINDOWS_DEPS}")
endif()

# Libraries, headers and CMake packages come from mingw's sysroot and the deps
# prefix only, never from the build machine's /usr (its glibc headers would
# shadow mingw's); programs (openssl, pebble, scepserver) from the build machine.
set(CMAKE_FIND_ROOT_PATH /usr/${_ocscert_host} ${OCSCERT_WINDOWS_DEPS})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
if(OCSCERT_WINDOWS_DEPS)
    list(APPEND CMAKE_PREFIX_PATH ${OCSCERT_WINDOWS_DEPS}/openssl ${OCSCERT_WINDOWS_DEPS}/curl ${OCSCERT_WINDOWS_DEPS}/libidn2
                                  ${OCSCERT_WINDOWS_DEPS}/googletest ${OCSCERT_WINDOWS_DEPS}/headers)
    set(OPENSSL_ROOT_DIR ${OCSCERT_WINDOWS_DEPS}/openssl)
    # pkg-config (FindIdn2 asks it first) sees only the .pc files built for mingw,
    # never the build machine's (whose libidn2 would bring -lunistring along).
    set(ENV{PKG_CONFIG_LIBDIR} "${OCSCERT_WINDOWS_DEPS}/libidn2/lib/pkgconfig")
    set(ENV{PKG_CONFIG_PATH} "")
endif()
set(OPENSSL_USE_STATIC_LIBS TRUE)

# Programs built here carry their mingw runtime (libgcc, libstdc++, winpthread)
# instead of needing its DLLs beside them (ocscert.dll does this itself).
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")

# GoogleTest's test discovery would run the .exe at build time; the suite is
# run once under Wine by cmake/windows/build.sh instead.
set(CMAKE_GTEST_DISCOVER_TESTS_DISCOVERY_MODE PRE_TEST)
