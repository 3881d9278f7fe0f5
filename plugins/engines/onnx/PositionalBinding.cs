using EditorBridge.ModelStore;
using Microsoft.ML.OnnxRuntime;

namespace EditorBridge.Engines.Onnx;

/// <summary>
/// A signature marked <see cref="ModelSignature.BindByPosition"/> gets the graph's real tensor names:
/// the i-th described input is the graph's i-th input (likewise outputs). Whether ranks, data types and
/// fixed dimensions then agree is <see cref="SignatureCheck.Against"/>'s to say, with its usual sentences.
/// </summary>
internal static class PositionalBinding
{
    /// <summary>The signature with the graph's names, or the count that does not fit.</summary>
    public static (ModelSignature Bound, string? Problem) Bind(string model, ModelSignature signature, InferenceSession session)
    {
        var inputs = session.InputNames;
        var outputs = session.OutputNames;
        if (signature.Inputs.Count != inputs.Count)
            return (signature, $"model '{model}': its manifest signature binds {signature.Inputs.Count} input(s) by position, but the ONNX file takes {inputs.Count} ({Quoted(inputs)})");
        if (signature.Outputs.Count > outputs.Count)
            return (signature, $"model '{model}': its manifest signature binds {signature.Outputs.Count} output(s) by position, but the ONNX file gives {outputs.Count} ({Quoted(outputs)})");

        var bound = signature with
        {
            Inputs = [.. signature.Inputs.Select((tensor, i) => tensor with { Name = inputs[i] })],
            Outputs = [.. signature.Outputs.Select((tensor, i) => tensor with { Name = outputs[i] })],
        };
        return (bound, null);
    }

    public static bool SameNames(ModelSignature a, ModelSignature b) =>
        a.Inputs.Select(t => t.Name).SequenceEqual(b.Inputs.Select(t => t.Name))
        && a.Outputs.Select(t => t.Name).SequenceEqual(b.Outputs.Select(t => t.Name));

    private static string Quoted(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));
}
