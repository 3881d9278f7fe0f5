using System.Text.Json;
using EditorBridge.ModelStore;
using Microsoft.ML.OnnxRuntime;

namespace EditorBridge.Engines.Onnx;

/// <summary>
/// <see cref="IEngine.CheckModel"/> for the onnx kinds: the manifest reads, has a signature fit for the
/// kind, names an ONNX file that is there, and the file's graph matches the signature. The graph is
/// opened on the CPU with optimisations off (only its metadata is read) and closed again.
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
            using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
            using var session = new InferenceSession(path, options);
            problems.AddRange(SignatureCheck.Against(manifest.Name, signature, session));
        }
        catch (OnnxRuntimeException e)
        {
            problems.Add($"model '{manifest.Name}': '{signature.File}' is not a model ONNX Runtime can load: {e.Message.Split('\n')[0]}");
        }

        return problems;
    }
}
