# cmake -DBUILD_DIR=<ocscert build> -DWORK_DIR=<scratch> -DGENERATOR=<generator>
#       [-DCONFIG=<config>] [-DEXPECTED_VERSION=<x.y.z>] [-DC_FLAGS=<flags>]
#       [-DMAKE_PROGRAM=<ninja/make>] [-DPLATFORM=<-A>] [-DBIN_DIR=<bin>] -P run-consumer-test.cmake
# Installs the built project into WORK_DIR/prefix, configures and builds the
# consumer project next to this script against it, then runs the program.
# Any failing step fails the test.
foreach(var BUILD_DIR WORK_DIR GENERATOR)
    if(NOT ${var})
        message(FATAL_ERROR "Pass -D${var}=...")
    endif()
endforeach()
set(prefix "${WORK_DIR}/prefix")
set(consumer_build "${WORK_DIR}/build")
file(REMOVE_RECURSE "${WORK_DIR}")

message(STATUS "Installing ${BUILD_DIR} into ${prefix}")
set(config_args "")
if(CONFIG)
    set(config_args --config "${CONFIG}")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${prefix}" ${config_args}
    COMMAND_ERROR_IS_FATAL ANY)

# Only the shared library, its two headers and the package files are installed,
# and the package names none of the library's private dependencies.
file(GLOB_RECURSE installed LIST_DIRECTORIES false RELATIVE "${prefix}" "${prefix}/*")
message(STATUS "Installed:\n   ${installed}")
foreach(file IN LISTS installed)
    if(file MATCHES "^include/" AND NOT file MATCHES "/ocscert/ocscert(_export)?\\.h$")
        message(FATAL_ERROR "Unexpected header installed: ${file}")
    endif()
    if(file MATCHES "ocscert_core")
        message(FATAL_ERROR "The internal static core was installed: ${file}")
    endif()
    if(file MATCHES "ocscert-targets\\.cmake$")
        file(READ "${prefix}/${file}" targets)
        if(targets MATCHES "OpenSSL|CURL|nlohmann|GSL|ocscert_core")
            message(FATAL_ERROR "${file} leaks a private dependency of the library:\n${targets}")
        endif()
    endif()
endforeach()

message(STATUS "Configuring the consumer against ${prefix}")
set(configure_args -G "${GENERATOR}" "-DCMAKE_PREFIX_PATH=${prefix}")
if(PLATFORM)
    list(APPEND configure_args -A "${PLATFORM}")
endif()
if(MAKE_PROGRAM)
    list(APPEND configure_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
if(CONFIG)
    list(APPEND configure_args "-DCMAKE_BUILD_TYPE=${CONFIG}")
endif()
if(C_FLAGS)
    # Sanitizer builds: the program must load the sanitizer runtime first.
    list(APPEND configure_args "-DCMAKE_C_FLAGS=${C_FLAGS}")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" -S "${CMAKE_CURRENT_LIST_DIR}" -B "${consumer_build}" ${configure_args}
    COMMAND_ERROR_IS_FATAL ANY)
file(STRINGS "${consumer_build}/CMakeCache.txt" found REGEX "^ocscert_DIR:")
string(FIND "${found}" "${prefix}/" at)
if(NOT at GREATER -1)
    message(FATAL_ERROR "find_package(ocscert) found another installation: ${found}")
endif()

message(STATUS "Building the consumer")
execute_process(COMMAND "${CMAKE_COMMAND}" --build "${consumer_build}" ${config_args}
    COMMAND_ERROR_IS_FATAL ANY)

if(CMAKE_HOST_WIN32)
    set(ENV{PATH} "${prefix}/${BIN_DIR};$ENV{PATH}")
    file(GLOB_RECURSE program LIST_DIRECTORIES false "${consumer_build}/ocscert_consumer.exe")
else()
    file(GLOB_RECURSE program LIST_DIRECTORIES false "${consumer_build}/ocscert_consumer")
endif()
list(LENGTH program count)
if(NOT count EQUAL 1)
    message(FATAL_ERROR "Expected one built ocscert_consumer, found: ${program}")
endif()
set(ENV{OCSCERT_STORE} "${WORK_DIR}/store")
execute_process(COMMAND "${program}" OUTPUT_VARIABLE output OUTPUT_STRIP_TRAILING_WHITESPACE
    COMMAND_ERROR_IS_FATAL ANY)
message(STATUS "${program} printed: ${output}")
if(NOT output MATCHES "^ocscert [0-9]+\\.[0-9]+\\.[0-9]+$")
    message(FATAL_ERROR "Unexpected output from ${program}: '${output}'")
endif()
if(EXPECTED_VERSION AND NOT output STREQUAL "ocscert ${EXPECTED_VERSION}")
    message(FATAL_ERROR "The consumer ran library version '${output}', expected ${EXPECTED_VERSION}")
endif()
