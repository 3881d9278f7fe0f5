using System.Text.Json;
using EditorBridge.Engines.Diffusion.Text;
using Microsoft.ML.OnnxRuntime;

namespace EditorBridge.Engines.Diffusion.Models;

/// <summary>
/// Checks a diffusers ONNX folder before it is installed: every file the engine needs, and each
/// graph's input/output names, ranks and dtypes. One sentence per problem; nothing stays loaded.
/// </summary>
internal static class DiffusionModelCheck
{
    public static IReadOnlyList<string> Check(string directory)
    {
        var problems = new List<string>();
        if (!Directory.Exists(directory))
            return [$"the folder {directory} does not exist."];
        CheckModelIndex(directory, problems);
        var family = DiffusionModelScan.Family(DiffusionModelScan.JsonObject(Path.Combine(directory, DiffusionLayout.ModelIndex)));
        CheckTokenizer(directory, DiffusionLayout.Tokenizer, problems);
        if (family == DiffusionFamily.StableDiffusionXL)
            CheckTokenizer(directory, DiffusionLayout.Tokenizer2, problems);
        var signatures = new Dictionary<string, GraphSignature>();
        foreach (var expectation in GraphExpectation.Required)
        {
            if (Open(directory, expectation.Component, problems) is { } signature)
            {
                signatures[expectation.Component] = signature;
                CheckGraph(expectation, signature, problems);
            }
        }

        // colorize's controlnet/ and the control layers' controlnet_TYPE/: the same graph contract each
        var controls = new Dictionary<string, GraphSignature?>();
        foreach (var component in ControlTypes.Folders(directory))
        {
            var control = Open(directory, component, problems);
            if (control is not null)
                CheckGraph(GraphExpectation.ControlNet with { Component = component }, control, problems);
            controls[component] = control;
        }

        if (family == DiffusionFamily.StableDiffusionXL && Open(directory, DiffusionLayout.TextEncoder2, problems) is { } second)
            signatures[DiffusionLayout.TextEncoder2] = second;
        if (signatures.TryGetValue(DiffusionLayout.Unet, out var unet))
            CheckUnet(unet, controls, problems);
        SdxlModelCheck.Check(family, signatures, problems);
        return problems;
    }

    private static void CheckModelIndex(string directory, List<string> problems)
    {
        var path = Path.Combine(directory, DiffusionLayout.ModelIndex);
        if (!File.Exists(path))
        {
            problems.Add($"{DiffusionLayout.ModelIndex} is missing: this is not a diffusers model folder.");
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                problems.Add($"{DiffusionLayout.ModelIndex} is not a JSON object.");
        }
        catch (JsonException e)
        {
            problems.Add($"{DiffusionLayout.ModelIndex} is not valid JSON ({e.Message}).");
        }
    }

    private static void CheckTokenizer(string directory, string tokenizer, List<string> problems)
    {
        var folder = Path.Combine(directory, tokenizer);
        var missing = new[] { "vocab.json", "merges.txt" }.Where(f => !File.Exists(Path.Combine(folder, f))).ToList();
        if (missing.Count > 0)
        {
            problems.Add($"{string.Join(" and ", missing.Select(f => $"{tokenizer}/{f}"))} {(missing.Count > 1 ? "are" : "is")} missing.");
            return;
        }

        try
        {
            ClipTokenizer.Load(folder);
        }
        catch (EngineInputException e)
        {
            problems.Add($"{tokenizer}/ cannot be loaded: {e.Message}.");
        }
    }

    private static GraphSignature? Open(string directory, string component, List<string> problems)
    {
        var path = DiffusionLayout.GraphPath(directory, component);
        if (!File.Exists(path))
        {
            problems.Add($"{DiffusionLayout.Relative(component)} is missing.");
            return null;
        }

        try
        {
            return GraphSignature.Read(path);
        }
        catch (OnnxRuntimeException e)
        {
            problems.Add($"{DiffusionLayout.Relative(component)} cannot be opened by ONNX Runtime (a missing external weights file or a damaged graph): {FirstLine(e.Message)}.");
            return null;
        }
    }

    private static void CheckGraph(GraphExpectation expectation, GraphSignature signature, List<string> problems)
    {
        foreach (var tensor in expectation.Inputs)
            CheckTensor(expectation.Component, "input", tensor, signature.Inputs, problems);
        foreach (var tensor in expectation.Outputs)
            CheckTensor(expectation.Component, "output", tensor, signature.Outputs, problems);
    }

    private static void CheckTensor(string component, string side, TensorExpectation expected, IReadOnlyDictionary<string, NodeMetadata> actual, List<string> problems)
    {
        var graph = DiffusionLayout.Relative(component);
        var name = expected.Names.FirstOrDefault(actual.ContainsKey);
        if (name is null)
        {
            problems.Add($"{graph} has no {side} {expected.Describe()} (its {side}s: {string.Join(", ", actual.Keys)}).");
            return;
        }

        var meta = actual[name];
        if (!meta.IsTensor || !expected.Types.Contains(meta.ElementDataType))
        {
            problems.Add($"{graph}: {side} '{name}' is {(meta.IsTensor ? TensorExpectation.TypeName(meta.ElementDataType) : "not a tensor")}, expected {string.Join(" or ", expected.Types.Select(TensorExpectation.TypeName))}.");
            return;
        }

        int rank = meta.Dimensions.Length;
        if (rank < expected.MinRank || rank > expected.MaxRank)
            problems.Add($"{graph}: {side} '{name}' has rank {rank}, expected {(expected.MinRank == expected.MaxRank ? expected.MinRank.ToString() : $"{expected.MinRank} to {expected.MaxRank}")}.");
    }

    private static void CheckUnet(GraphSignature unet, IReadOnlyDictionary<string, GraphSignature?> controls, List<string> problems)
    {
        var graph = DiffusionLayout.Relative(DiffusionLayout.Unet);
        if (unet.Inputs.TryGetValue("sample", out var sample) && sample.Dimensions.Length == 4 && sample.Dimensions[1] > 0 && sample.Dimensions[1] is not (4 or 9))
            problems.Add($"{graph}: input 'sample' has {sample.Dimensions[1]} channels, expected 4 (text to image) or 9 (inpainting).");
        // with a standard input missing (already reported) the other names are not residuals
        var residuals = UnetInputs.Residuals(unet.Inputs.Keys);
        if (residuals.Count == 0 || !new[] { UnetInputs.Sample, UnetInputs.Timestep, UnetInputs.Text }.All(unet.Inputs.ContainsKey))
            return;
        if (controls.Count == 0)
            problems.Add($"{graph} takes ControlNet residuals ({string.Join(", ", residuals)}) but {DiffusionLayout.Relative(DiffusionLayout.ControlNet)} is missing.");
        foreach (var (component, control) in controls)
        {
            if (control is not null && control.Outputs.Count != residuals.Count)
                problems.Add($"{DiffusionLayout.Relative(component)} gives {control.Outputs.Count} residuals but {graph} takes {residuals.Count}.");
        }
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim().TrimEnd('.');
}
