namespace EditorBridge.Daemon.Security;

/// <summary>
/// Who made a request, as the guard found it: the painter on this machine (the local token: an
/// admin), or a studio user by the name of their token (<c>editorbridge tokens</c>).
/// </summary>
public sealed record Caller(string Name, bool IsAdmin, bool IsRemote)
{
    private const string ItemKey = "editorbridge.caller";

    public static readonly Caller Local = new("local", IsAdmin: true, IsRemote: false);

    public void AttachTo(HttpContext context) => context.Items[ItemKey] = this;

    /// <summary>The caller the guard attached; a request the guard did not see is nobody's, and refused.</summary>
    public static Caller Of(HttpContext context) =>
        context.Items.TryGetValue(ItemKey, out var caller) && caller is Caller c
            ? c
            : throw new InvalidOperationException("the request guard did not run for this request");

    /// <summary>True when this caller may see and cancel a job <paramref name="owner"/> started.</summary>
    public bool MaySee(string owner) => IsAdmin || owner == Name;
}
