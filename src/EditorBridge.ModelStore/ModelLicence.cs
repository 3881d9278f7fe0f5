namespace EditorBridge.ModelStore;

/// <summary>
/// A model's licence: an SPDX-style id (e.g. "Apache-2.0", "CreativeML-OpenRAIL-M"), its text or
/// where to read it, and whether the user must accept it explicitly before the model is installed.
/// </summary>
public sealed record ModelLicence(string Id, string? Url = null, string? Text = null, bool RequiresAcceptance = false);
