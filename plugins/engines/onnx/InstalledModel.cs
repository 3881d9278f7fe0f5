using EditorBridge.ModelStore;

namespace EditorBridge.Engines.Onnx;

/// <summary>A model of one of this engine's kinds found in the store: its folder, manifest and identity (hash).</summary>
internal sealed record InstalledModel(string Directory, ModelManifest Manifest, ModelSignature Signature, string Identity)
{
    public string Name => Manifest.Name;

    public string Kind => Manifest.Kind;

    public string OnnxPath => Path.Combine(Directory, Signature.File);

    public TensorDescription Input(string role) =>
        Signature.Inputs.FirstOrDefault(i => i.Role == role)
        ?? throw new InvalidDataException($"model '{Name}' has no input with role '{role}' in its manifest signature");

    public TensorDescription? OptionalInput(string role) => Signature.Inputs.FirstOrDefault(i => i.Role == role);

    public TensorDescription Output(params string[] roles) =>
        Signature.Outputs.FirstOrDefault(o => roles.Contains(o.Role))
        ?? throw new InvalidDataException($"model '{Name}' has no output with role {string.Join(" or ", roles.Select(r => $"'{r}'"))} in its manifest signature");
}
