namespace EditorBridge.Inference;

/// <summary>The execution providers EditorBridge knows, by the names settings and reports use.</summary>
public enum ExecutionProvider
{
    Cpu,
    Cuda,
    DirectML,
}
