using System.Text.Json;
using EditorBridge.Inference;
using EditorBridge.ModelStore;
using Microsoft.ML.OnnxRuntime;

namespace EditorBridge.Engines.Onnx;

/// <summary>
/// <see cref="IEngine.CheckModel"/> for the onnx kinds: the manifest reads, has a signature fit for the
/// kind, names an ONNX file that is there, and the file's graph matches the signature. The graph is
/// opened on the CPU with optimisations off (only its metadata is read) and closed again. A signature
/// bound by position takes the graph's tensor names into the folder's manifest.
/// </summary>
internal static class ModelFolderCheck
{
    public static IReadOnlyList<string> Check(string directory, string kind)
    {
        if (!ModelShelf.Kinds.Contains(kind))
            return [];
        ModelManifest manifest;
        try
        {
            manifest = ModelManifest.Load(directory);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return [$"{Path.GetFileName(directory)}: {ModelManifest.FileName} cannot be read: {e.Message}"];
        }

        if (manifest.Signature is not { } signature)
            return [$"model '{manifest.Name}' ({kind}): its manifest has no signature (inputs and outputs), so the onnx engine cannot feed it"];
        var problems = SignatureCheck.Roles(manifest.Name, kind, signature).ToList();
        var path = Path.Combine(directory, signature.File);
        if (!File.Exists(path))
        {
            problems.Add($"model '{manifest.Name}': the signature's file '{signature.File}' is not in the folder");
            return problems;
        }

        try
        {
            using var session = SessionOpener.Inspect(path);
            if (signature.BindByPosition)
                problems.AddRange(BindNames(directory, manifest, signature, session, problems.Count == 0));
            else
                problems.AddRange(SignatureCheck.Against(manifest.Name, signature, session));
        }
        catch (OnnxRuntimeException e)
        {
            problems.Add($"model '{manifest.Name}': '{signature.File}' is not a model ONNX Runtime can load: {e.Message.Split('\n')[0]}");
        }

        return problems;
    }

    /// <summary>
    /// Binds a position-bound signature to the graph's names and checks it; when all is well and a name
    /// differs, the folder's manifest gets the graph's names (the store, which calls this on a staged
    /// folder, accepts that change and nothing else, and shows the names taken).
    /// </summary>
    private static IReadOnlyList<string> BindNames(string directory, ModelManifest manifest, ModelSignature signature, InferenceSession session, bool mayWrite)
    {
        var (bound, countProblem) = PositionalBinding.Bind(manifest.Name, signature, session);
        if (countProblem is not null)
            return [countProblem];
        var problems = SignatureCheck.Against(manifest.Name, bound, session).ToList();
        if (problems.Count == 0 && mayWrite && !PositionalBinding.SameNames(signature, bound))
            File.WriteAllText(Path.Combine(directory, ModelManifest.FileName), (manifest with { Signature = bound }).ToJson());
        return problems;
    }
}
