using EditorBridge.Daemon.Core;
using EditorBridge.ModelStore;

namespace EditorBridge.Daemon.Models;

/// <summary>
/// Checks an ImportModel request before the daemon reads anything: an absolute path to a folder or
/// a regular .onnx file (never a device, pipe or relative path), a valid name, a known kind.
/// </summary>
public static class ModelImportRequestValidator
{
    public const int MaxLicenceIdLength = 100;

    private const int MaxPathShown = 200;

    public static string Validate(ModelImportRequest request)
    {
        var path = request.Path;
        if (string.IsNullOrWhiteSpace(path))
            throw RequestException.Invalid("path", "missing; give the absolute path of a model folder on the daemon's machine");
        if (path.Contains('\0') || !Path.IsPathFullyQualified(path))
            throw RequestException.Invalid("path", $"'{Quoted.Short(path, MaxPathShown)}' is not an absolute path; the daemon does not know the client's working folder");
        var full = Path.GetFullPath(path);
        if (!Directory.Exists(full))
        {
            if (!File.Exists(full))
                throw new RequestException(DaemonError.NotFound, "path", $"'{Quoted.Short(full, MaxPathShown)}' does not exist");
            if ((File.GetAttributes(full) & FileAttributes.Device) != 0)
                throw RequestException.Invalid("path", $"'{Quoted.Short(full, MaxPathShown)}' is a device, not a folder");
            if (request.BaseModel.Length > 0)
            {
                if (!full.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
                    throw RequestException.Invalid("path", $"'{Quoted.Short(full, MaxPathShown)}' is not a .safetensors file; a LoRA for base_model '{Quoted.Short(request.BaseModel, 64)}' is one");
            }
            else if (!full.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) && !full.EndsWith(".param", StringComparison.OrdinalIgnoreCase))
                throw RequestException.Invalid("path", $"'{Quoted.Short(full, MaxPathShown)}' is not a folder; only a folder, a single .onnx file or an ncnn .param file (its .bin beside it) can be imported");
        }

        if (request.BaseModel.Length > 0 && Directory.Exists(full))
            throw RequestException.Invalid("path", $"'{Quoted.Short(full, MaxPathShown)}' is a folder; a LoRA for base_model is one .safetensors file");
        if (request.BaseModel.Length > 0 && ModelName.Problem(request.BaseModel) is { } baseProblem)
            throw RequestException.Invalid("base_model", baseProblem);
        if (request.LoraStrength != 0 && (request.BaseModel.Length == 0 || !double.IsFinite(request.LoraStrength) || request.LoraStrength < 0 || request.LoraStrength > 4))
            throw RequestException.Invalid("lora_strength", request.BaseModel.Length == 0 ? "only with base_model (a LoRA import)" : $"{request.LoraStrength}: must be above 0 and at most 4");
        if (request.Name.Length > 0 && ModelName.Problem(request.Name) is { } name)
            throw RequestException.Invalid("name", name);
        if (request.Kind.Length > 0 && !ModelKind.All.Contains(request.Kind))
            throw RequestException.Invalid("kind", $"'{Quoted.Short(request.Kind)}' is not a model kind; one of: {string.Join(", ", ModelKind.All)}");
        if (request.LicenceId.Length > MaxLicenceIdLength || request.LicenceId.Any(char.IsControl))
            throw RequestException.Invalid("licence_id", $"must be at most {MaxLicenceIdLength} printable characters (an SPDX-style id such as 'Apache-2.0')");
        return full;
    }
}
