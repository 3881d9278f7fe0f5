using Grpc.Core;

namespace EditorBridge.Stress;

/// <summary>
/// What a hostile case must get: one of a few outcome kinds (a status code name such as
/// "InvalidArgument", "OK", or "HTTP 404" for answers with no gRPC status) and, for refusals,
/// a field name the message must contain. Unions of expectations accept any of their parts.
/// </summary>
public sealed record Expectation(IReadOnlyList<Expectation.Outcome> Outcomes)
{
    public sealed record Outcome(string Kind, string? Field);

    public static Expectation Ok { get; } = new([new Outcome("OK", null)]);

    public static Expectation Refused(StatusCode code, string? field) => new([new Outcome(code.ToString(), field)]);

    public static Expectation Invalid(string field) => Refused(StatusCode.InvalidArgument, field);

    public static Expectation Http(int status) => new([new Outcome($"HTTP {status}", null)]);

    public static Expectation Closed { get; } = new([new Outcome("connection closed", null)]);

    public static Expectation Any(params Expectation[] parts) => new(parts.SelectMany(p => p.Outcomes).Distinct().ToList());

    public Expectation Or(Expectation other) => Any(this, other);

    public bool IsOk => Outcomes.All(o => o.Kind == "OK");

    /// <summary>Null when <paramref name="observed"/> is acceptable, else why not.</summary>
    public string? Check(Observed observed)
    {
        var sameKind = Outcomes.Where(o => o.Kind == observed.Kind).ToList();
        if (sameKind.Count == 0)
            return $"expected {this}, got {observed}";
        if (sameKind.Any(o => o.Field is null || Names(observed.Message, o.Field)))
            return null;
        return $"the message does not name {string.Join(" or ", sameKind.Select(o => $"'{o.Field}'"))}: {observed}";
    }

    // Field names are given in proto form (layer.offset_x); JSON clients may see them in JSON form (layer.offsetX).
    private static bool Names(string message, string field) =>
        message.Contains(field, StringComparison.Ordinal) || message.Contains(JsonName(field), StringComparison.Ordinal);

    public static string JsonName(string field) =>
        string.Join('.', field.Split('.').Select(part =>
        {
            var words = part.Split('_');
            return words[0] + string.Concat(words.Skip(1).Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]));
        }));

    public override string ToString() => string.Join(" or ", Outcomes.Select(o => o.Field is null ? o.Kind : $"{o.Kind} naming '{o.Field}'"));
}
