namespace EditorBridge.ModelStore;

/// <summary>A refused store operation; the message names the model and the problem in one sentence.</summary>
public sealed class ModelStoreException(string modelName, ModelStoreError error, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public string ModelName { get; } = modelName;

    public ModelStoreError Error { get; } = error;
}
