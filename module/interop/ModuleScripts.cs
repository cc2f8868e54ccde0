using System;
using System.Collections.Generic;
using System.IO;

namespace OcsCertificate.Interop;

/// <summary>
/// Which scripts the module's .psm1 dot-sources: bin/OcsCertificate.Functions.ps1, the build's merge of
/// Private/*.ps1 and Public/*.ps1 (cmake/merge-module-scripts.cmake; one file imports faster than 29),
/// when its first line names exactly the files there are and none is newer than it; otherwise each
/// file, so that during development an edited file is never shadowed by a stale merge. Worked out
/// here rather than in the .psm1, where the same few lines of script cost a fresh process more to
/// compile than the merge saved.
/// </summary>
public static class ModuleScripts
{
    public const string MergedName = "OcsCertificate.Functions.ps1";

    public static string[] ToLoad(string moduleRoot)
    {
        var sources = new List<string>();
        foreach (var folder in new[] { "Private", "Public" })
        {
            var found = Directory.GetFiles(Path.Combine(moduleRoot, folder), "*.ps1");
            Array.Sort(found, StringComparer.Ordinal);
            sources.AddRange(found);
        }
        var merged = Path.Combine(moduleRoot, "bin", MergedName);
        if (!File.Exists(merged)) return sources.ToArray();
        var built = File.GetLastWriteTimeUtc(merged);
        var names = new List<string>(sources.Count);
        foreach (var source in sources)
        {
            if (File.GetLastWriteTimeUtc(source) > built) return sources.ToArray();
            names.Add(Path.GetRelativePath(moduleRoot, source).Replace('\\', '/'));
        }
        string? first;
        using (var reader = new StreamReader(merged)) first = reader.ReadLine();
        return first == "# OcsCertificate.Functions: " + string.Join(' ', names) ? new[] { merged } : sources.ToArray();
    }
}
