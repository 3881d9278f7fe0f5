namespace EditorBridge.ModelStore.Pull;

/// <summary>
/// Where files come from: the publisher's URLs (no mirror), an http(s) base URL, or a local folder.
/// A mirror serves each file as <c>&lt;mirror&gt;/&lt;model name&gt;/&lt;file path&gt;</c>.
/// </summary>
internal sealed record MirrorSetting(Uri? BaseUrl, string? Folder)
{
    public static MirrorSetting Publisher { get; } = new(null, null);

    public static MirrorSetting Parse(string? mirror)
    {
        if (string.IsNullOrWhiteSpace(mirror))
            return Publisher;
        if (Uri.TryCreate(mirror, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            return new MirrorSetting(uri, null);
        string folder = uri is { IsFile: true } ? uri.LocalPath : mirror;
        if (Directory.Exists(folder))
            return new MirrorSetting(null, Path.GetFullPath(folder));
        throw new PullException(PullFailure.BadMirror, $"mirror '{mirror}' is neither an http(s) URL nor an existing folder");
    }

    public Uri UrlOf(string model, string file, string publisherUrl)
    {
        if (BaseUrl is null)
            return new Uri(publisherUrl);
        var relative = string.Join('/', new[] { model }.Concat(file.Split('/')).Select(Uri.EscapeDataString));
        return new Uri(BaseUrl.AbsoluteUri.TrimEnd('/') + "/" + relative);
    }

    public string PathOf(string model, string file) => Path.Combine([Folder!, model, .. file.Split('/')]);
}
