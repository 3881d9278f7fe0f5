namespace EditorBridge.Engines;

/// <summary>Thrown by an engine when the request cannot be served as given; names the field.</summary>
public sealed class EngineInputException : Exception
{
    public EngineInputException(string field, string message)
        : base(message)
    {
        Field = field;
    }

    public string Field { get; }
}
