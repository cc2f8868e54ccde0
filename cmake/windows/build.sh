#!/usr/bin/env bash
# The Windows build of OcsCert, made on Debian: the native library (ocscert.dll)
# and the native test program cross-compiled with mingw-w64, the test program
# run once under Wine.
#
#   cmake/windows/build.sh deps         OpenSSL, curl, libidn2 and GoogleTest for mingw (cached)
#   cmake/windows/build.sh build        deps, then ocscert.dll, ocscert_native_tests.exe and ocscert_idna_probe.exe
#                                       (in <build>/bin), and the interop assembly precompiled for Windows (<build>/interop)
#   cmake/windows/build.sh test-build   build, with the Wine prefix the tests run in made beside it
#   cmake/windows/build.sh test         test-build, then the test program under wine64
#
# ./build.ps1 test runs `test-build` beside the Linux build and suites, and `test` after them; ./build.ps1 windows
# runs `test` alone; ./build.ps1 package takes ocscert.dll and the interop from `build`.
#
# Debian ships no mingw builds of OpenSSL, curl or libidn2, so they are built from
# Debian's source packages (apt-get source; a deb-src entry is added when there
# is none) into .tools/win-x64/ of this clone and reused while present.
# GoogleTest comes from /usr/src/googletest, nlohmann-json and GSL are
# header-only and taken from the Debian packages.
#
# Environment: OCSCERT_WINDOWS_TOOLS (default <clone>/.tools/win-x64),
# OCSCERT_WINDOWS_BUILD (default <clone>/build/win-x64), OCSCERT_JOBS (default 2).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
tools="${OCSCERT_WINDOWS_TOOLS:-$root/.tools/win-x64}"
build="${OCSCERT_WINDOWS_BUILD:-$root/build/win-x64}"
jobs="${OCSCERT_JOBS:-2}"
host=x86_64-w64-mingw32
task="${1:-build}"

log() { echo "windows: $*" >&2; }
# Waits for every background job named by PID; fails with the last failure's code once all have ended.
# (Jobs run in the background rather than behind `||`, which would switch off set -e inside them.)
wait_all() {
    local pid code=0
    for pid in "$@"; do wait "$pid" || code=$?; done
    return "$code"
}
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
# Runs a long, noisy step with its output in a log file; shows the tail if it fails.
quietly() {
    local logfile="$1"; shift
    if ! "$@" >"$logfile" 2>&1; then
        grep -E -i 'error|\*\*\*' "$logfile" | tail -n 20 | cut -c1-400 >&2 || tail -n 20 "$logfile" | cut -c1-400 >&2
        log "failed: $* (log: $logfile)"
        return 1
    fi
}

ensure_packages() {
    local packages=(g++-mingw-w64-x86-64-posix gcc-mingw-w64-x86-64-posix wine64 make perl patch xz-utils cmake ninja-build)
    local missing=() p
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
    done
    if ((${#missing[@]})); then
        log "installing Debian packages: ${missing[*]}"
        as_root apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
    fi
}

# apt-get source needs deb-src entries; add them (for the suites the machine
# already uses) when there are none.
ensure_deb_src() {
    if grep -rqsE '^(deb-src|Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/; then return; fi
    local codename
    codename="$(. /etc/os-release && echo "$VERSION_CODENAME")"
    log "adding deb-src entries for $codename (apt-get source needs them)"
    as_root tee /etc/apt/sources.list.d/ocscert-deb-src.sources >/dev/null <<EOF
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $codename $codename-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: $codename-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    as_root apt-get update -qq >&2
}

# Downloads Debian's source package `$1` into $tools/src/$1 unless it is there.
fetch_source() {
    local package="$1" dir="$tools/src/$1"
    mkdir -p "$dir"
    compgen -G "$dir/${package}_*.orig.tar.*" >/dev/null && return
    ensure_deb_src
    log "downloading Debian's source package $package"
    (cd "$dir" && apt-get source --download-only "$package" >&2) || true
}

# Unpacks Debian's source package `$1` into $tools/src/$1/src and prints that folder.
# The upstream tarball is the base; Debian's patches are applied in series order
# (curl's security fixes are patches) except those that change the autotools
# build (we do not regenerate configure) and the ones after "Do not add patches
# below" (curl's GnuTLS and NSS flavours). Where the archive has the upstream
# tarball but not the .dsc (the security archive at times), the tarball alone is used.
unpack_source() {
    local package="$1" dir="$tools/src/$1"
    fetch_source "$package"
    local orig
    orig="$(compgen -G "$dir/${package}_*.orig.tar.*" | grep -v '\.asc$' | sort -V | tail -n 1 || true)"
    [ -n "$orig" ] || { log "apt-get source $package brought no upstream tarball"; return 1; }
    rm -rf "$dir/src"
    mkdir -p "$dir/src"
    tar -xf "$orig" -C "$dir/src" --strip-components=1
    basename "$orig" >"$dir/src/.ocscert-source"  # what the cache stamp names
    local debian
    debian="$(compgen -G "$dir/${package}_*.debian.tar.*" | sort -V | tail -n 1 || true)"
    if [ -n "$debian" ]; then
        mkdir -p "$dir/debian-tar"
        tar -xf "$debian" -C "$dir/debian-tar"
        local series="$dir/debian-tar/debian/patches/series" patch applied=0 skipped=0
        if [ -f "$series" ]; then
            while IFS= read -r patch; do
                [[ "$patch" == *"Do not add patches below"* ]] && break
                patch="${patch%%#*}"; patch="${patch// /}"
                [ -n "$patch" ] || continue
                if grep -qE '^\+\+\+ [^ ]*(configure\.ac|\.m4|Makefile\.am)' "$dir/debian-tar/debian/patches/$patch"; then
                    skipped=$((skipped + 1)); continue
                fi
                patch -d "$dir/src" -p1 --batch --forward -s <"$dir/debian-tar/debian/patches/$patch" >&2
                applied=$((applied + 1))
            done <"$series"
        fi
        log "$package: $(basename "$orig") with $applied Debian patches ($skipped build-system patches left out)"
    else
        log "$package: $(basename "$orig") (the archive had no Debian part for it)"
    fi
    echo "$dir/src"
}

# Where the Windows library looks for OpenSSL's configuration, engines and
# modules: compiled in, and by default under the build machine's prefix, which
# on Windows would be a folder like C:\work\... that any user may create (and
# plant an openssl.cnf loading a DLL of theirs into a SYSTEM task). System32 is
# writable by administrators only. The library also reads no openssl.cnf by
# itself (no-autoload-config): its behaviour is not changed by another
# program's machine-wide OpenSSL settings. Changing this recipe rebuilds the cache.
openssl_dirs=(OPENSSLDIR=C:/Windows/System32/OpenSSL ENGINESDIR=C:/Windows/System32/OpenSSL/engines-3
              MODULESDIR=C:/Windows/System32/OpenSSL/ossl-modules)
# -O2 as Debian builds it (OpenSSL's own default is -O3, slower to compile, and this build is on the test run's
# longest path), and without the algorithms and protocols nothing here uses.
openssl_options=(no-tests no-shared no-module no-autoload-config no-aria no-camellia no-idea no-seed no-sm2 no-sm3
                 no-sm4 no-whirlpool no-mdc2 no-rc5 no-srp no-sctp no-dtls no-ssl3 no-comp no-ts)
openssl_recipe="mingw64 ${openssl_options[*]} CFLAGS=-O2 ${openssl_dirs[*]}"

openssl_built() { [ -f "$tools/openssl/.built" ] && grep -qxF "$openssl_recipe" "$tools/openssl/.built"; }

# The libraries and headers, which curl is built against.
build_openssl_libraries() {
    local prefix="$tools/openssl" src="$tools/src/openssl/src"
    openssl_built && return
    src="$(unpack_source openssl)"
    log "building OpenSSL for mingw (static, legacy provider built in; a few minutes)"
    rm -rf "$prefix"
    (cd "$src" && quietly "$tools/openssl-configure.log" ./Configure mingw64 --cross-compile-prefix=$host- CC=gcc-posix \
        --prefix="$prefix" --libdir=lib "${openssl_options[@]}" CFLAGS=-O2)
    # One goal per make: the two goals of one parallel make would build the same objects at once.
    quietly "$tools/openssl-make.log" make -C "$src" -j"$jobs" "${openssl_dirs[@]}" build_libs
    quietly "$tools/openssl-install.log" make -C "$src" "${openssl_dirs[@]}" install_dev
}

# Then, in the same source tree, the tests' offline CA and independent checker: openssl.exe, run
# by the Windows test program. The cache stamp comes last.
build_openssl_cli() {
    local prefix="$tools/openssl" src="$tools/src/openssl/src"
    openssl_built && return
    quietly "$tools/openssl-make-apps.log" make -C "$src" -j"$jobs" "${openssl_dirs[@]}" build_programs
    install -D -m 755 "$src/apps/openssl.exe" "$prefix/bin/openssl.exe"
    install -D -m 644 "$src/apps/openssl.cnf" "$prefix/ssl/openssl.cnf"
    { cat "$src/.ocscert-source"; echo "$openssl_recipe"; } >"$prefix/.built"
    rm -rf "$src"
}

build_curl() {
    local prefix="$tools/curl"
    [ -f "$prefix/.built" ] && return
    local src
    src="$(unpack_source curl)"
    log "building curl for mingw (static, OpenSSL only)"
    rm -rf "$prefix"
    (cd "$src" && quietly "$tools/curl-configure.log" ./configure --host=$host CC=$host-gcc-posix --prefix="$prefix" \
        --disable-shared --enable-static --with-openssl="$tools/openssl" \
        --without-zlib --without-brotli --without-zstd --without-libpsl --without-libidn2 --without-nghttp2 \
        --without-libssh2 --without-librtmp --without-ngtcp2 --without-nghttp3 --without-ca-bundle --without-ca-path \
        --disable-ldap --disable-ldaps --disable-manual --disable-dependency-tracking \
        LIBS="-lcrypt32 -lws2_32 -lgdi32 -lbcrypt")
    quietly "$tools/curl-make.log" make -C "$src/lib" -j"$jobs"
    quietly "$tools/curl-install.log" sh -c "make -C '$src/lib' install && make -C '$src/include' install"
    # curl's autotools install has no CMake package; this one is what FindCURL looks for first.
    mkdir -p "$prefix/lib/cmake/CURL"
    cat >"$prefix/lib/cmake/CURL/CURLConfig.cmake" <<'EOF'
# Static libcurl for mingw, built by cmake/windows/build.sh against the static OpenSSL beside it.
get_filename_component(_curl_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
if(NOT TARGET CURL::libcurl)
    add_library(CURL::libcurl STATIC IMPORTED)
    set_target_properties(CURL::libcurl PROPERTIES
        IMPORTED_LOCATION "${_curl_prefix}/lib/libcurl.a"
        INTERFACE_INCLUDE_DIRECTORIES "${_curl_prefix}/include"
        INTERFACE_COMPILE_DEFINITIONS CURL_STATICLIB
        INTERFACE_LINK_LIBRARIES "${_curl_prefix}/../openssl/lib/libssl.a;${_curl_prefix}/../openssl/lib/libcrypto.a;ws2_32;crypt32;bcrypt;gdi32;advapi32;user32")
endif()
set(CURL_FOUND TRUE)
set(CURL_LIBRARIES CURL::libcurl)
set(CURL_INCLUDE_DIRS "${_curl_prefix}/include")
EOF
    cp "$src/.ocscert-source" "$prefix/.built"
    rm -rf "$src"
}

# libidn2 (international names, names/idna.cpp): static, with the parts of
# libunistring it ships (mingw has no libunistring), no iconv, no documentation.
build_libidn2() {
    local prefix="$tools/libidn2"
    [ -f "$prefix/.built" ] && return
    local src
    src="$(unpack_source libidn2)"
    log "building libidn2 for mingw (static)"
    rm -rf "$prefix"
    (cd "$src" && quietly "$tools/libidn2-configure.log" ./configure --host=$host CC=$host-gcc-posix --prefix="$prefix" \
        --disable-shared --enable-static --disable-doc --disable-nls --disable-valgrind-tests \
        --without-libiconv-prefix --without-libunistring-prefix --without-libintl-prefix)
    # The library and what it is made of; not the idn2 program, its tests or the manual.
    local dir
    for dir in gl unistring lib; do quietly "$tools/libidn2-make.log" make -C "$src/$dir" -j"$jobs"; done
    quietly "$tools/libidn2-install.log" sh -c "make -C '$src/lib' install && make -C '$src' install-pkgconfigDATA"
    cp "$src/.ocscert-source" "$prefix/.built"
    rm -rf "$src"
}

build_googletest() {
    local prefix="$tools/googletest"
    [ -f "$prefix/.built" ] && return
    log "building GoogleTest from /usr/src/googletest for mingw"
    rm -rf "$prefix" "$tools/googletest-build"
    quietly "$tools/googletest.log" cmake -S /usr/src/googletest -B "$tools/googletest-build" -G Ninja \
        -DCMAKE_TOOLCHAIN_FILE="$root/cmake/windows/mingw-w64.toolchain.cmake" -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_INSTALL_PREFIX="$prefix" -DBUILD_GMOCK=OFF -DINSTALL_GTEST=ON
    quietly "$tools/googletest.log" cmake --build "$tools/googletest-build" --parallel "$jobs" --target install
    rm -rf "$tools/googletest-build"
    dpkg-query -W -f='${Version}' googletest >"$prefix/.built" 2>/dev/null || touch "$prefix/.built"
}

# nlohmann-json and GSL are header-only: the Debian headers, copied so that the
# cross build never puts the build machine's /usr/include on its include path,
# with small CMake packages naming the same targets as the Debian ones.
copy_headers() {
    local prefix="$tools/headers"
    [ -f "$prefix/.built" ] && return
    rm -rf "$prefix"
    mkdir -p "$prefix/include" "$prefix/lib/cmake/nlohmann_json" "$prefix/lib/cmake/Microsoft.GSL"
    cp -r /usr/include/nlohmann /usr/include/gsl "$prefix/include/"
    local json_version
    json_version="$(dpkg-query -W -f='${Version}' nlohmann-json3-dev | sed 's/-.*//')"
    cat >"$prefix/lib/cmake/nlohmann_json/nlohmann_jsonConfig.cmake" <<'EOF'
if(NOT TARGET nlohmann_json::nlohmann_json)
    add_library(nlohmann_json::nlohmann_json INTERFACE IMPORTED)
    set_target_properties(nlohmann_json::nlohmann_json PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${CMAKE_CURRENT_LIST_DIR}/../../../include")
endif()
EOF
    cat >"$prefix/lib/cmake/nlohmann_json/nlohmann_jsonConfigVersion.cmake" <<EOF
set(PACKAGE_VERSION "$json_version")
if(PACKAGE_FIND_VERSION_MAJOR EQUAL 3 AND NOT PACKAGE_VERSION VERSION_LESS PACKAGE_FIND_VERSION)
    set(PACKAGE_VERSION_COMPATIBLE TRUE)
endif()
EOF
    cat >"$prefix/lib/cmake/Microsoft.GSL/Microsoft.GSLConfig.cmake" <<'EOF'
if(NOT TARGET Microsoft.GSL::GSL)
    add_library(Microsoft.GSL::GSL INTERFACE IMPORTED)
    set_target_properties(Microsoft.GSL::GSL PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${CMAKE_CURRENT_LIST_DIR}/../../../include")
endif()
EOF
    touch "$prefix/.built"
}

# OpenSSL's libraries first, since curl needs them; then curl, openssl.exe, libidn2 and GoogleTest
# at once: the configure scripts run on one core, and each build waits on steps of its own.
deps() {
    ensure_packages
    mkdir -p "$tools"
    # The sources one at a time first (apt-get is not run twice at once).
    openssl_built || fetch_source openssl
    [ -f "$tools/curl/.built" ] || fetch_source curl
    [ -f "$tools/libidn2/.built" ] || fetch_source libidn2
    build_openssl_libraries
    local beside=()
    build_openssl_cli & beside+=($!)
    build_libidn2 & beside+=($!)
    build_googletest & beside+=($!)
    build_curl & beside+=($!)
    wait_all "${beside[@]}"
    copy_headers
}

# The interop assembly precompiled (ReadyToRun) for Windows, which the package carries in bin/win-x64/.
# The SDK cross-compiles it; the first time, it downloads the Windows runtime pack from NuGet.
publish_interop() {
    quietly "$build/interop-publish.log" dotnet publish "$root/module/interop/OcsCertificate.Interop.csproj" \
        --configuration Release --nologo --runtime win-x64 --self-contained false -p:PublishReadyToRun=true \
        -o "$build/interop" "-p:BaseIntermediateOutputPath=$build/interop-obj/" "-p:BaseOutputPath=$build/interop-bin/"
}

# `build`; with "with-wine-prefix", the Wine prefix is made beside it. The interop and the prefix
# wait mostly on the network and on Wine, so they run beside the compile rather than after it.
build() {
    deps
    mkdir -p "$build"
    local beside=()
    publish_interop & beside+=($!)
    if [ "${1:-}" = with-wine-prefix ]; then
        . "$root/cmake/windows/wine.sh"
        ensure_wine_prefix & beside+=($!)
    fi
    compile & beside+=($!)
    wait_all "${beside[@]}"
}

compile() {
    log "building ocscert.dll and ocscert_native_tests.exe in $build"
    # The project's configure step also registers the PowerShell suite, which
    # wants pwsh and Pester (never run from this build): build.ps1 passes its own.
    local pwsh="${OCSCERT_PWSH:-$root/.tools/pwsh/pwsh}" pester="${OCSCERT_PESTER:-}"
    [ -n "$pester" ] || pester="$(compgen -G "$root/.tools/nuget/pester/*/tools/Pester.psd1" | tail -n 1 || true)"
    # The tests' openssl is the mingw openssl.exe: the Windows test program cannot run Linux programs.
    # The library -O2 without debug information: the package strips it anyway, and it made the compile a
    # third slower. (The test program is -O0 in every build: tests/CMakeLists.txt.)
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$root/cmake/windows/mingw-w64.toolchain.cmake" \
        -DOCSCERT_WINDOWS_DEPS="$tools" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" -DOCSCERT_WARNINGS_AS_ERRORS=ON \
        -DCMAKE_RUNTIME_OUTPUT_DIRECTORY="$build/bin" -DOCSCERT_COPY_TO_MODULE=OFF -DOPENSSL_CLI="Z:$tools/openssl/bin/openssl.exe" \
        -DOCSCERT_PWSH="$pwsh" -DOCSCERT_PESTER="$pester" >"$build.configure.log" 2>&1 || { cat "$build.configure.log" >&2; return 1; }
    cmake --build "$build" --parallel "$jobs" --target ocscert ocscert_native_tests ocscert_idna_probe
}

case "$task" in
    deps) deps ;;
    build) build ;;
    test-build) build with-wine-prefix ;;
    test) build with-wine-prefix; "$root/cmake/windows/run-tests.sh" "$build/bin/ocscert_native_tests.exe" "${@:2}" ;;
    *) echo "usage: $0 [deps|build|test-build|test]" >&2; exit 2 ;;
esac
