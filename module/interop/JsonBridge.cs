using System;
using System.Collections;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Text;
using System.Text.Json;

namespace OcsCertificate.Interop;

/// <summary>
/// The library's JSON to and from PowerShell values, with System.Text.Json (precompiled in .NET
/// itself). ConvertTo-Json and ConvertFrom-Json give the same shapes, but they load the Utility
/// module and Newtonsoft.Json, whose compilation dominated a fresh process's first call.
/// </summary>
public static class JsonBridge
{
    private const int MaxDepth = 64;

    /// <summary>
    /// A value as compact JSON, as ConvertTo-Json -Compress writes it: dictionaries and objects' properties
    /// as JSON objects, lists as arrays, switches as booleans, times in ISO 8601 (round-trip form).
    /// </summary>
    public static string ToJson(object? value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
            Write(writer, value, 0);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>
    /// JSON as ConvertFrom-Json returns it: objects as PSCustomObject, arrays as object[], integers as
    /// Int64, other numbers as Double, ISO 8601 date-times as DateTime (UTC when they end in Z).
    /// </summary>
    public static object? FromJson(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxDepth });
        return Read(document.RootElement);
    }

    private static void Write(Utf8JsonWriter writer, object? value, int depth)
    {
        if (depth > MaxDepth) throw new ArgumentException("The value is nested too deeply to pass to the native library.");
        if (value is PSObject wrapped && wrapped.BaseObject is not PSCustomObject) value = wrapped.BaseObject;
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                return;
            case string s:
                writer.WriteStringValue(s);
                return;
            case char c:
                writer.WriteStringValue(c.ToString());
                return;
            case bool b:
                writer.WriteBooleanValue(b);
                return;
            case SwitchParameter sw:
                writer.WriteBooleanValue(sw.IsPresent);
                return;
            case Enum e:
                writer.WriteNumberValue(Convert.ToInt64(e, CultureInfo.InvariantCulture));
                return;
            case int or long or short or sbyte or byte or ushort or uint:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                return;
            case ulong u:
                writer.WriteNumberValue(u);
                return;
            case float or double:
                writer.WriteNumberValue(Convert.ToDouble(value, CultureInfo.InvariantCulture));
                return;
            case decimal d:
                writer.WriteNumberValue(d);
                return;
            case DateTime t:
                writer.WriteStringValue(t.ToString("o", CultureInfo.InvariantCulture));
                return;
            case DateTimeOffset o:
                writer.WriteStringValue(o.ToString("o", CultureInfo.InvariantCulture));
                return;
            case IDictionary dictionary:
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "");
                    Write(writer, entry.Value, depth + 1);
                }
                writer.WriteEndObject();
                return;
            case IEnumerable list:
                writer.WriteStartArray();
                foreach (var item in list) Write(writer, item, depth + 1);
                writer.WriteEndArray();
                return;
        }
        // A PSCustomObject or any other object: its readable properties, as ConvertTo-Json takes them.
        writer.WriteStartObject();
        foreach (var property in PSObject.AsPSObject(value).Properties)
        {
            if (!property.IsGettable) continue;
            object? item;
            try { item = property.Value; }
            catch (GetValueException) { continue; }
            writer.WritePropertyName(property.Name);
            Write(writer, item, depth + 1);
        }
        writer.WriteEndObject();
    }

    private static object? Read(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var result = new PSObject();
                foreach (var property in element.EnumerateObject())
                    result.Properties.Add(new PSNoteProperty(property.Name, Read(property.Value)));
                return result;
            case JsonValueKind.Array:
                var items = new object?[element.GetArrayLength()];
                var i = 0;
                foreach (var item in element.EnumerateArray()) items[i++] = Read(item);
                return items;
            case JsonValueKind.String:
                var text = element.GetString()!;
                if (LooksLikeTime(text) && element.TryGetDateTimeOffset(out var time))
                    return text.EndsWith('Z') ? time.UtcDateTime : time.LocalDateTime;
                return text;
            case JsonValueKind.Number:
                if (element.TryGetInt64(out var whole)) return whole;
                return element.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }

    // yyyy-MM-ddTHH:mm:ss...: what ConvertFrom-Json turns into a DateTime.
    private static bool LooksLikeTime(string s) =>
        s.Length >= 19 && s.Length <= 40 && s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':' && s[16] == ':' && char.IsAsciiDigit(s[0]);
}
