# Install rules: the C ABI library as a CMake package, so another project can
#   find_package(ocscert CONFIG REQUIRED)
#   target_link_libraries(app PRIVATE ocscert::ocscert)
# Installed: the shared library and its two public headers, nothing else. The
# static ocscert_core, OpenSSL, curl and nlohmann/json are linked PRIVATE into
# the shared library, so the package asks nothing of its consumers.
include(CMakePackageConfigHelpers)
include(GNUInstallDirs)

set(OCSCERT_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/ocscert"
    CACHE STRING "Where the ocscert CMake package files are installed (relative to the prefix)")
mark_as_advanced(OCSCERT_INSTALL_CMAKEDIR)

install(TARGETS ocscert
    EXPORT ocscert-targets
    RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}" COMPONENT ocscert_Runtime
    LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT ocscert_Runtime NAMELINK_COMPONENT ocscert_Development
    ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT ocscert_Development)
install(FILES
        "${PROJECT_SOURCE_DIR}/native/include/ocscert/ocscert.h"
        "${PROJECT_BINARY_DIR}/native/include/ocscert/ocscert_export.h"
    DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/ocscert"
    COMPONENT ocscert_Development)

configure_package_config_file(cmake/ocscert-config.cmake.in
    "${PROJECT_BINARY_DIR}/ocscert-config.cmake"
    INSTALL_DESTINATION "${OCSCERT_INSTALL_CMAKEDIR}")
write_basic_package_version_file("${PROJECT_BINARY_DIR}/ocscert-config-version.cmake"
    COMPATIBILITY SameMajorVersion)
install(FILES
        "${PROJECT_BINARY_DIR}/ocscert-config.cmake"
        "${PROJECT_BINARY_DIR}/ocscert-config-version.cmake"
    DESTINATION "${OCSCERT_INSTALL_CMAKEDIR}"
    COMPONENT ocscert_Development)
install(EXPORT ocscert-targets
    NAMESPACE ocscert::
    DESTINATION "${OCSCERT_INSTALL_CMAKEDIR}"
    COMPONENT ocscert_Development)
