# FindIdn2: libidn2, for international names (UTS #46 mapping and IDNA2008 checks in
# native/src/names/idna.cpp, the only code that uses it). Defines the imported target Idn2::Idn2.
#
# pkg-config is asked first where there is one (Debian; a MinGW cross build with PKG_CONFIG_LIBDIR
# set to the target's sysroot; MSYS2); then idn2.h and the library are looked for on
# CMAKE_PREFIX_PATH (vcpkg, an MSVC build, a hand-built prefix). Set Idn2_ROOT to point at one.
find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND)
    pkg_check_modules(PC_IDN2 QUIET libidn2)
endif()

find_path(Idn2_INCLUDE_DIR idn2.h HINTS ${PC_IDN2_INCLUDE_DIRS})
find_library(Idn2_LIBRARY NAMES idn2 libidn2 HINTS ${PC_IDN2_LIBRARY_DIRS})

if(Idn2_INCLUDE_DIR AND EXISTS "${Idn2_INCLUDE_DIR}/idn2.h")
    file(STRINGS "${Idn2_INCLUDE_DIR}/idn2.h" _idn2_version_line REGEX "^#[ \t]*define[ \t]+IDN2_VERSION[ \t]+\"")
    string(REGEX REPLACE ".*\"([^\"]+)\".*" "\\1" Idn2_VERSION "${_idn2_version_line}")
    unset(_idn2_version_line)
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Idn2
    REQUIRED_VARS Idn2_LIBRARY Idn2_INCLUDE_DIR
    VERSION_VAR Idn2_VERSION
    REASON_FAILURE_MESSAGE
        "libidn2 (2.0 or later) converts international names in certificates. On Debian/Ubuntu: apt-get install libidn2-dev (./build.ps1 installs it). For another target, build or install libidn2 for it and set Idn2_ROOT or CMAKE_PREFIX_PATH to its prefix (or PKG_CONFIG_LIBDIR to its lib/pkgconfig).")
mark_as_advanced(Idn2_INCLUDE_DIR Idn2_LIBRARY)

if(Idn2_FOUND AND NOT TARGET Idn2::Idn2)
    add_library(Idn2::Idn2 UNKNOWN IMPORTED)
    set_target_properties(Idn2::Idn2 PROPERTIES
        IMPORTED_LOCATION "${Idn2_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${Idn2_INCLUDE_DIR}")
    # A static libidn2 (not a MinGW import library, .dll.a) also needs what pkg-config lists for
    # static linking; IDN2_STATIC keeps idn2.h from asking MSVC for dllimport.
    if((Idn2_LIBRARY MATCHES "\\.a$" AND NOT Idn2_LIBRARY MATCHES "\\.dll\\.a$") OR Idn2_LIBRARY MATCHES "idn2_static")
        set_property(TARGET Idn2::Idn2 APPEND PROPERTY INTERFACE_COMPILE_DEFINITIONS IDN2_STATIC)
        if(PC_IDN2_STATIC_LIBRARIES)
            list(REMOVE_ITEM PC_IDN2_STATIC_LIBRARIES idn2)
            set_property(TARGET Idn2::Idn2 APPEND PROPERTY INTERFACE_LINK_LIBRARIES ${PC_IDN2_STATIC_LIBRARIES})
            set_property(TARGET Idn2::Idn2 APPEND PROPERTY INTERFACE_LINK_DIRECTORIES ${PC_IDN2_STATIC_LIBRARY_DIRS})
        endif()
    endif()
endif()
