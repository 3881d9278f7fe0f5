using EditorBridge.LocalState;

namespace EditorBridge.PaintDotNet.Core;

/// <summary>
/// The dialog's Studio settings, without the form: which daemon this machine uses (a studio's,
/// by URL, token and pinned fingerprint, or its own). It reads and writes the same two files as
/// <c>editorbridge remote set</c> and the Krita docker (<see cref="StudioConnection"/>); a WinForms
/// page binds its three text boxes to <see cref="Url"/>, <see cref="Token"/>, <see cref="Fingerprint"/>
/// and shows <see cref="Errors"/> beside them. The saved token is never read back into the form:
/// left empty, it is kept.
/// </summary>
public sealed class StudioSettings
{
    private readonly StatePaths paths;

    private StudioSettings(StatePaths paths, StudioConnection? saved)
    {
        this.paths = paths;
        Url = saved?.Url ?? "";
        Fingerprint = saved?.Fingerprint ?? "";
        TokenSaved = saved is not null && File.Exists(StudioConnection.TokenPathIn(paths));
    }

    /// <summary>https://HOST:PORT of the studio daemon (or its balancer); empty: this computer's own daemon.</summary>
    public string Url { get; set; }

    /// <summary>The token the admin gave; empty keeps the saved one. Write-only for the form (a password box).</summary>
    public string Token { get; set; } = "";

    /// <summary>The certificate's SHA-256 fingerprint to pin; empty: the system's certificate checks.</summary>
    public string Fingerprint { get; set; }

    /// <summary>A token is saved for the URL (the form says "(saved)" in the empty token box).</summary>
    public bool TokenSaved { get; }

    /// <summary>What the form shows under the fields: field name → message; empty when Save may go ahead.</summary>
    public IReadOnlyDictionary<string, string> Errors
    {
        get
        {
            var errors = new Dictionary<string, string>();
            if (Url.Trim().Length == 0)
                return errors;
            Check(errors, nameof(Url), () => StudioConnection.NormalizeUrl(Url));
            Check(errors, nameof(Fingerprint), () => StudioConnection.NormalizePin(Fingerprint));
            if (Token.Trim().Length == 0 && !TokenSaved)
                errors[nameof(Token)] = "enter the token your admin gave you";
            else if (Token.Trim().Any(char.IsWhiteSpace))
                errors[nameof(Token)] = "a token is one word: copy it again";
            return errors;
        }
    }

    /// <summary>The settings saved on this machine (or none: its own daemon).</summary>
    public static StudioSettings Load(string? stateDirectory = null)
    {
        var paths = StatePaths.ForCurrentUser(stateDirectory);
        return new StudioSettings(paths, StudioConnection.Load(paths));
    }

    /// <summary>
    /// Saves what the form holds (an empty URL goes back to this computer's daemon and forgets the
    /// token) and returns the options the next connection uses. Refused while <see cref="Errors"/> has any.
    /// </summary>
    public DaemonGatewayOptions Save()
    {
        if (Errors.Count > 0)
            throw new InvalidOperationException("the studio settings have errors: " + string.Join("; ", Errors.Select(e => $"{e.Key}: {e.Value}")));
        if (Url.Trim().Length == 0)
            StudioConnection.Clear(paths);
        else
            new StudioConnection(StudioConnection.NormalizeUrl(Url), StudioConnection.NormalizePin(Fingerprint)).Save(paths, Token.Trim().Length > 0 ? Token : null);
        Token = "";
        return DaemonGatewayOptions.ForThisMachine(paths.StateDirectory);
    }

    private static void Check(Dictionary<string, string> errors, string field, Func<string?> normalize)
    {
        try
        {
            normalize();
        }
        catch (FormatException e)
        {
            errors[field] = e.Message;
        }
    }
}
