namespace EditorBridge.ModelStore;

/// <summary>
/// A tensor name of a position-bound signature (<see cref="ModelSignature.BindByPosition"/>) that the
/// installed manifest took from the model's graph: shown to the user, like a hash recorded on first use.
/// </summary>
/// <param name="Side">"input" or "output".</param>
/// <param name="Position">The tensor's place among the graph's inputs or outputs, from 0.</param>
/// <param name="Described">The name the catalog or manifest gave.</param>
/// <param name="Actual">The graph's own name, now in the installed manifest.</param>
public sealed record SignatureNameTaken(string Side, int Position, string Described, string Actual)
{
    public override string ToString() => $"{Side} {Position} '{Described}' is '{Actual}' in the model";
}
