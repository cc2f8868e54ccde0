using System;
using System.Collections.Concurrent;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using System.Threading;

namespace OcsCertificate.Interop;

// The C ABI of libocscert (native/include/ocscert/ocscert.h), loaded by full
// path from the module's bin/<rid>/ folder, or from $OCSCERT_NATIVE_LIBRARY.
// The fixed functions (version, errors, strings, context) are imported here;
// operations are looked up by name, so a new operation needs nothing here.
internal static unsafe partial class NativeMethods
{
    private const string Library = "ocscert";

    // Loaded once; both the DllImports below and the operation lookups use this handle.
    // A failed load is not remembered (PublicationOnly), so fixing the path and trying again works.
    private static readonly Lazy<IntPtr> Handle = new(Load, LazyThreadSafetyMode.PublicationOnly);

    static NativeMethods()
    {
        NativeLibrary.SetDllImportResolver(typeof(NativeMethods).Assembly, Resolve);
    }

    internal static void EnsureResolver() { }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == Library ? Handle.Value : IntPtr.Zero;

    // The .NET runtime identifier of this process, e.g. linux-x64: the bin/ subfolder
    // the build copies the native library into (cmake/module-layout.cmake).
    internal static string RuntimeIdentifier()
    {
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        return $"{os}-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}";
    }

    // One module folder serves every system it carries a bin/<rid>/ folder for; on
    // another (an ARM server, say) the error names what this one is and what the module has.
    private static IntPtr Load()
    {
        var path = LibraryPath();
        if (!File.Exists(path) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OCSCERT_NATIVE_LIBRARY")))
        {
            var bin = Path.GetDirectoryName(Path.GetDirectoryName(path))!;
            var carried = Directory.Exists(bin) ? Array.ConvertAll(Directory.GetDirectories(bin), d => Path.GetFileName(d)!) : Array.Empty<string>();
            Array.Sort(carried, StringComparer.Ordinal);
            throw new DllNotFoundException(
                $"OcsCertificate has no native library for this system ({RuntimeIdentifier()}): '{path}' does not exist. " +
                $"This module folder carries: {(carried.Length > 0 ? string.Join(", ", carried) : "none")}.");
        }
        return NativeLibrary.Load(path);
    }

    internal static string LibraryPath()
    {
        var overridden = Environment.GetEnvironmentVariable("OCSCERT_NATIVE_LIBRARY");
        if (!string.IsNullOrEmpty(overridden)) return overridden;
        var dir = Path.GetDirectoryName(typeof(NativeMethods).Assembly.Location)!;
        var file = OperatingSystem.IsWindows() ? "ocscert.dll" : OperatingSystem.IsMacOS() ? "libocscert.dylib" : "libocscert.so";
        // The precompiled interop sits in bin/<rid>/ beside the library; the portable one in bin/.
        return Path.GetFileName(dir) == RuntimeIdentifier() ? Path.Combine(dir, file) : Path.Combine(dir, RuntimeIdentifier(), file);
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

    // Operations are ocscert_<noun>_<verb>, all of the shape
    //   int (char **out_json, ocscert_context *context, const char *input_json, ocscert_error **error).
    // The fixed functions above share the ocscert_ prefix but not the shape, so their names are refused.
    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)+$")]
    private static partial Regex OperationName();

    private static readonly string[] NotOperations = { "context_", "error_", "string_" };

    private static readonly ConcurrentDictionary<string, IntPtr> Operations = new(StringComparer.Ordinal);

    /// <summary>The address of ocscert_<paramref name="operation"/>, looked up once per name.</summary>
    /// <exception cref="ArgumentException">The library has no such operation.</exception>
    internal static delegate* unmanaged[Cdecl]<IntPtr*, IntPtr, byte*, IntPtr*, int> Operation(string operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var address = Operations.GetOrAdd(operation, static name =>
        {
            if (!OperationName().IsMatch(name) || Array.Exists(NotOperations, prefix => name.StartsWith(prefix, StringComparison.Ordinal)))
                throw new ArgumentException($"Unknown operation '{name}': an operation is named like 'request_new'.", nameof(operation));
            if (!NativeLibrary.TryGetExport(Handle.Value, "ocscert_" + name, out var found))
                throw new ArgumentException($"Unknown operation '{name}': the native library '{LibraryPath()}' exports no function ocscert_{name}.", nameof(operation));
            return found;
        });
        return (delegate* unmanaged[Cdecl]<IntPtr*, IntPtr, byte*, IntPtr*, int>)address;
    }
}
