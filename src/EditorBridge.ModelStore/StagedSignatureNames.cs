namespace EditorBridge.ModelStore;

/// <summary>
/// What the engines' check may change in a staged manifest: only the tensor names of a position-bound
/// signature (<see cref="ModelSignature.BindByPosition"/>), tensor for tensor. Anything else it changed
/// is refused, so a check can never alter the files, kind or licence the store verified.
/// </summary>
internal static class StagedSignatureNames
{
    /// <summary>The names taken from the graph; a problem when the staged manifest changed in another way.</summary>
    public static (IReadOnlyList<SignatureNameTaken> Taken, string? Problem) Between(ModelManifest described, ModelManifest staged)
    {
        const string changed = "the engine check changed the staged manifest beyond the tensor names of a signature bound by position";
        if (described.Signature is not { BindByPosition: true } signature || staged.Signature is not { } rewritten
            || rewritten.Inputs.Count != signature.Inputs.Count || rewritten.Outputs.Count != signature.Outputs.Count)
            return ([], described.ToJson() == staged.ToJson() ? null : changed);

        var renamed = described with
        {
            Signature = signature with { Inputs = Renamed(signature.Inputs, rewritten.Inputs), Outputs = Renamed(signature.Outputs, rewritten.Outputs) },
        };
        if (renamed.ToJson() != staged.ToJson())
            return ([], changed);
        return ([.. Taken("input", signature.Inputs, rewritten.Inputs), .. Taken("output", signature.Outputs, rewritten.Outputs)], null);
    }

    private static List<TensorDescription> Renamed(IReadOnlyList<TensorDescription> described, IReadOnlyList<TensorDescription> rewritten) =>
        [.. described.Select((tensor, i) => tensor with { Name = rewritten[i].Name })];

    private static IEnumerable<SignatureNameTaken> Taken(string side, IReadOnlyList<TensorDescription> described, IReadOnlyList<TensorDescription> rewritten) =>
        described.Select((tensor, i) => new SignatureNameTaken(side, i, tensor.Name, rewritten[i].Name))
            .Where(taken => taken.Described != taken.Actual);
}
