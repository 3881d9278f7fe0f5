namespace EditorBridge.ModelStore.Pull;

/// <summary>A pull that could not finish; the message names the model, the file and the numbers, in one line.</summary>
public sealed class PullException(PullFailure failure, string message, Exception? inner = null) : Exception(message, inner)
{
    public PullFailure Failure { get; } = failure;

    /// <summary>Set for <see cref="PullFailure.LicenceNotAccepted"/>: the licence to show the user.</summary>
    public ModelLicence? Licence { get; init; }
}
