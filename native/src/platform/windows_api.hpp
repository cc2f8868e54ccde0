// <windows.h> as the Windows sources and tests want it: lean, and without the min/max macros that
// would break std::min and std::numeric_limits<>::max. Guarded, because libstdc++ on mingw (read
// first through the precompiled headers) defines NOMINMAX itself. Nothing on other systems.
#pragma once
#ifdef _WIN32
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>
#endif
