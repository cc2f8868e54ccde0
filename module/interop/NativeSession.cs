using System;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using System.Text;

namespace OcsCertificate.Interop;

/// <summary>A failure reported by the native library, with its stable reason token and the input field at fault.</summary>
public sealed class OcsCertException : Exception
{
    public OcsCertException(int code, string reason, string field, string message) : base(message)
    {
        Code = code;
        Reason = reason;
        Field = field;
    }

    /// <summary>The ocscert_status code (negative).</summary>
    public int Code { get; }
    /// <summary>A stable PascalCase token, used as the ErrorRecord's ErrorId.</summary>
    public string Reason { get; }
    /// <summary>The JSON input field at fault ("" if none); named like the cmdlet parameter.</summary>
    public string Field { get; }
}

/// <summary>One native context: a store location, progress reporting and cancellation.</summary>
public sealed unsafe class NativeSession : IDisposable
{
    private IntPtr _context;

    public NativeSession(string? storePath)
    {
        NativeMethods.EnsureResolver();
        // JsonBridge, not JsonSerializer: the serializer's reflection over an anonymous type
        // had .NET compile about 110 more methods in every fresh process.
        var options = storePath is null ? "{}" : JsonBridge.ToJson(new System.Collections.Hashtable { ["storePath"] = storePath });
        fixed (byte* input = Utf8(options))
        {
            var status = NativeMethods.ocscert_context_new(out _context, input, out var error);
            ThrowIfFailed(status, error);
        }
    }

    /// <summary>The native library's version (ocscert_version), e.g. "0.1.0". Loads the library.</summary>
    public static string Version
    {
        get
        {
            NativeMethods.EnsureResolver();
            return Marshal.PtrToStringUTF8(NativeMethods.ocscert_version()) ?? "";
        }
    }

    /// <summary>The native library's path: $OCSCERT_NATIVE_LIBRARY, else bin/&lt;rid&gt;/ beside this assembly.</summary>
    public static string LibraryPath => NativeMethods.LibraryPath();

    /// <summary>The .NET runtime identifier of this process (e.g. linux-x64), which names the bin/ folder of the native library.</summary>
    public static string RuntimeIdentifier => NativeMethods.RuntimeIdentifier();

    /// <summary>Runs one operation ("names_resolve", "request_new", ...: ocscert_&lt;operation&gt; in ocscert.h) with JSON in and out.</summary>
    /// <exception cref="ArgumentException">The native library has no such operation.</exception>
    /// <param name="progress">Called on this thread with progress JSON; may be null.</param>
    public string Invoke(string operation, string inputJson, Action<string>? progress = null)
    {
        ObjectDisposedException.ThrowIf(_context == IntPtr.Zero, this);
        var op = NativeMethods.Operation(operation);
        NativeMethods.ProgressCallback? callback = progress is null
            ? null
            : (_, json) => progress(Marshal.PtrToStringUTF8(json) ?? "{}");
        var callbackPointer = callback is null ? IntPtr.Zero : Marshal.GetFunctionPointerForDelegate(callback);
        NativeMethods.ocscert_context_set_progress(_context, callbackPointer, IntPtr.Zero);
        try
        {
            fixed (byte* input = Utf8(inputJson))
            {
                IntPtr output = IntPtr.Zero, error = IntPtr.Zero;
                var status = op(&output, _context, input, &error);
                ThrowIfFailed(status, error);
                try { return Marshal.PtrToStringUTF8(output) ?? "{}"; }
                finally { NativeMethods.ocscert_string_free(output); }
            }
        }
        finally
        {
            NativeMethods.ocscert_context_set_progress(_context, IntPtr.Zero, IntPtr.Zero);
            GC.KeepAlive(callback);
        }
    }

    private readonly ConcurrentQueue<string> _progress = new();

    /// <summary>
    /// Runs the operation on a worker thread, so the PowerShell thread stays free
    /// to show progress (TryDequeueProgress) and to be stopped with Ctrl+C (Cancel).
    /// </summary>
    public Task<string> Start(string operation, string inputJson) =>
        Task.Run(() => Invoke(operation, inputJson, _progress.Enqueue));

    /// <summary>Progress JSON queued by the running operation, oldest first.</summary>
    public bool TryDequeueProgress(out string? progressJson) => _progress.TryDequeue(out progressJson);

    /// <summary>Asks the running operation to stop; safe from any thread (Ctrl+C handlers).</summary>
    public void Cancel()
    {
        if (_context != IntPtr.Zero) NativeMethods.ocscert_context_cancel(_context);
    }

    public void Dispose()
    {
        NativeMethods.ocscert_context_free(_context);
        _context = IntPtr.Zero;
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text + "\0");

    private static void ThrowIfFailed(int status, IntPtr error)
    {
        if (status == 0) return;
        try
        {
            throw new OcsCertException(
                status,
                Marshal.PtrToStringUTF8(NativeMethods.ocscert_error_reason(error)) ?? "Unknown",
                Marshal.PtrToStringUTF8(NativeMethods.ocscert_error_field(error)) ?? "",
                Marshal.PtrToStringUTF8(NativeMethods.ocscert_error_message(error)) ?? $"The native library failed with status {status}.");
        }
        finally
        {
            NativeMethods.ocscert_error_free(error);
        }
    }
}
