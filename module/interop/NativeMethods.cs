using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace OcsCertificate.Interop;

// The C ABI of libocscert (native/include/ocscert/ocscert.h), loaded by full
// path from the module's bin/<rid>/ folder, or from $OCSCERT_NATIVE_LIBRARY.
internal static unsafe class NativeMethods
{
    private const string Library = "ocscert";

    static NativeMethods()
    {
        NativeLibrary.SetDllImportResolver(typeof(NativeMethods).Assembly, Resolve);
    }

    internal static void EnsureResolver() { }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Library) return IntPtr.Zero;
        return NativeLibrary.Load(LibraryPath());
    }

    internal static string LibraryPath()
    {
        var overridden = Environment.GetEnvironmentVariable("OCSCERT_NATIVE_LIBRARY");
        if (!string.IsNullOrEmpty(overridden)) return overridden;
        var dir = Path.GetDirectoryName(typeof(NativeMethods).Assembly.Location)!;
        string os, file;
        if (OperatingSystem.IsWindows()) { os = "win"; file = "ocscert.dll"; }
        else if (OperatingSystem.IsMacOS()) { os = "osx"; file = "libocscert.dylib"; }
        else { os = "linux"; file = "libocscert.so"; }
        var arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        return Path.Combine(dir, $"{os}-{arch}", file);
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate void ProgressCallback(IntPtr userData, IntPtr progressJson);

    [DllImport(Library)] internal static extern IntPtr ocscert_version();
    [DllImport(Library)] internal static extern int ocscert_error_code(IntPtr error);
    [DllImport(Library)] internal static extern IntPtr ocscert_error_reason(IntPtr error);
    [DllImport(Library)] internal static extern IntPtr ocscert_error_field(IntPtr error);
    [DllImport(Library)] internal static extern IntPtr ocscert_error_message(IntPtr error);
    [DllImport(Library)] internal static extern void ocscert_error_free(IntPtr error);
    [DllImport(Library)] internal static extern void ocscert_string_free(IntPtr text);
    [DllImport(Library)] internal static extern int ocscert_context_new(out IntPtr context, byte* optionsJson, out IntPtr error);
    [DllImport(Library)] internal static extern void ocscert_context_free(IntPtr context);
    [DllImport(Library)] internal static extern void ocscert_context_set_progress(IntPtr context, IntPtr callback, IntPtr userData);
    [DllImport(Library)] internal static extern void ocscert_context_cancel(IntPtr context);
    [DllImport(Library)] internal static extern void ocscert_context_reset_cancel(IntPtr context);

    // Every operation has this shape: (out JSON, context, input JSON, out error).
    internal delegate int Operation(out IntPtr outJson, IntPtr context, byte* inputJson, out IntPtr error);

    [DllImport(Library)] internal static extern int ocscert_names_resolve(out IntPtr outJson, IntPtr context, byte* inputJson, out IntPtr error);
    [DllImport(Library)] internal static extern int ocscert_request_new(out IntPtr outJson, IntPtr context, byte* inputJson, out IntPtr error);
    [DllImport(Library)] internal static extern int ocscert_request_list(out IntPtr outJson, IntPtr context, byte* inputJson, out IntPtr error);
    [DllImport(Library)] internal static extern int ocscert_request_remove(out IntPtr outJson, IntPtr context, byte* inputJson, out IntPtr error);
    [DllImport(Library)] internal static extern int ocscert_request_complete(out IntPtr outJson, IntPtr context, byte* inputJson, out IntPtr error);
    [DllImport(Library)] internal static extern int ocscert_request_submit(out IntPtr outJson, IntPtr context, byte* inputJson, out IntPtr error);
    [DllImport(Library)] internal static extern int ocscert_request_receive(out IntPtr outJson, IntPtr context, byte* inputJson, out IntPtr error);
    [DllImport(Library)] internal static extern int ocscert_certificate_list(out IntPtr outJson, IntPtr context, byte* inputJson, out IntPtr error);
    [DllImport(Library)] internal static extern int ocscert_binding_set(out IntPtr outJson, IntPtr context, byte* inputJson, out IntPtr error);
    [DllImport(Library)] internal static extern int ocscert_binding_apply(out IntPtr outJson, IntPtr context, byte* inputJson, out IntPtr error);
    [DllImport(Library)] internal static extern int ocscert_binding_list(out IntPtr outJson, IntPtr context, byte* inputJson, out IntPtr error);
    [DllImport(Library)] internal static extern int ocscert_certificate_test(out IntPtr outJson, IntPtr context, byte* inputJson, out IntPtr error);
    [DllImport(Library)] internal static extern int ocscert_certificate_import(out IntPtr outJson, IntPtr context, byte* inputJson, out IntPtr error);
    [DllImport(Library)] internal static extern int ocscert_certificate_export(out IntPtr outJson, IntPtr context, byte* inputJson, out IntPtr error);
    [DllImport(Library)] internal static extern int ocscert_certificate_remove(out IntPtr outJson, IntPtr context, byte* inputJson, out IntPtr error);
    [DllImport(Library)] internal static extern int ocscert_renewal_register(out IntPtr outJson, IntPtr context, byte* inputJson, out IntPtr error);
    [DllImport(Library)] internal static extern int ocscert_renewal_unregister(out IntPtr outJson, IntPtr context, byte* inputJson, out IntPtr error);
    [DllImport(Library)] internal static extern int ocscert_renewal_registration(out IntPtr outJson, IntPtr context, byte* inputJson, out IntPtr error);
}
