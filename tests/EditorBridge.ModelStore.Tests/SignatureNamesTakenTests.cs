using EditorBridge.Testing;

namespace EditorBridge.ModelStore.Tests;

/// <summary>
/// The one change an engine check may make to a staged manifest: the graph's tensor names for a
/// signature bound by position. The store keeps them, reports them, and refuses every other change.
/// </summary>
public sealed class SignatureNamesTakenTests : IDisposable
{
    private readonly TempDirectory temp = new("store");
    private readonly ModelStore store;

    public SignatureNamesTakenTests() => store = new ModelStore(Path.Combine(temp.Path, "models"));

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Names_a_check_writes_for_a_position_bound_signature_are_installed_and_reported()
    {
        var (staging, manifest) = Stage("u2netp", bindByPosition: true);

        var installed = store.Install(staging, manifest, directory => Rename(directory, "input.1", "1959"));

        Assert.Equal(["input 0 'input' is 'input.1' in the model", "output 0 'output' is '1959' in the model"], installed.SignatureNamesTaken.Select(t => t.ToString()));
        var kept = store.Find("u2netp")!.Manifest.Signature!;
        Assert.Equal(("input.1", "1959"), (kept.Inputs[0].Name, kept.Outputs[0].Name));
        Assert.Equal([1, 3, 320, 320], kept.Inputs[0].Shape);
        Assert.True(kept.BindByPosition);
        Assert.Equal(manifest.Identity(), installed.Identity);
        Assert.True(store.Verify("u2netp").IsIntact);
    }

    [Fact]
    public void A_check_that_leaves_the_names_reports_none()
    {
        var (staging, manifest) = Stage("u2netp", bindByPosition: true);

        var installed = store.Install(staging, manifest, _ => []);

        Assert.Empty(installed.SignatureNamesTaken);
        Assert.Equal("input", installed.Manifest.Signature!.Inputs[0].Name);
    }

    [Fact]
    public void Renaming_a_strict_signature_is_refused()
    {
        var (staging, manifest) = Stage("u2netp", bindByPosition: false);

        var e = Assert.Throws<ModelStoreException>(() => store.Install(staging, manifest, directory => Rename(directory, "input.1", "1959")));

        Assert.Equal(ModelStoreError.CheckFailed, e.Error);
        Assert.Contains("Model 'u2netp' was not installed: the engine check changed the staged manifest beyond the tensor names of a signature bound by position", e.Message);
        Assert.Null(store.Find("u2netp"));
    }

    [Fact]
    public void A_check_that_changes_more_than_names_is_refused_even_when_bound_by_position()
    {
        var (staging, manifest) = Stage("u2netp", bindByPosition: true);

        var e = Assert.Throws<ModelStoreException>(() => store.Install(staging, manifest, directory =>
        {
            var staged = ModelManifest.Load(directory);
            var signature = staged.Signature!;
            var widened = signature with { Inputs = [signature.Inputs[0] with { Name = "input.1", Shape = [1, 3, 640, 640] }] };
            File.WriteAllText(Path.Combine(directory, ModelManifest.FileName), (staged with { Signature = widened }).ToJson());
            return [];
        }));

        Assert.Contains("changed the staged manifest beyond the tensor names", e.Message);
        Assert.Null(store.Find("u2netp"));
    }

    private static IReadOnlyList<string> Rename(string directory, string input, string output)
    {
        var staged = ModelManifest.Load(directory);
        var signature = staged.Signature!;
        var renamed = signature with
        {
            Inputs = [signature.Inputs[0] with { Name = input }],
            Outputs = [signature.Outputs[0] with { Name = output }],
        };
        File.WriteAllText(Path.Combine(directory, ModelManifest.FileName), (staged with { Signature = renamed }).ToJson());
        return [];
    }

    private (string Staging, ModelManifest Manifest) Stage(string name, bool bindByPosition)
    {
        var content = ModelFolders.Bytes(2048, 7);
        var (folder, listed) = ModelFolders.WithManifest(temp.Path, "src-" + name, name, ModelKind.Segment, ["segment"], ("u2netp.onnx", content));
        var signature = new ModelSignature(
            "u2netp.onnx",
            [new TensorDescription("input", "image", [1, 3, 320, 320], Range: [0, 1], Mean: [0.485, 0.456, 0.406], Std: [0.229, 0.224, 0.225])],
            [new TensorDescription("output", "mask", [1, 1, 320, 320], Range: [0, 1], Channels: "l")],
            FixedSize: 320,
            BindByPosition: bindByPosition);
        var staging = store.NewStagingDirectory(name);
        ModelFolders.Write(staging, "u2netp.onnx", content);
        Directory.Delete(folder, recursive: true);
        return (staging, listed with { Signature = signature });
    }
}
