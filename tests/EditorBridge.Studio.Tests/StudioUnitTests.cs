using EditorBridge.Daemon.Security;
using EditorBridge.LocalState;
using EditorBridge.Testing;
using Microsoft.AspNetCore.Http;

namespace EditorBridge.Studio.Tests;

/// <summary>The pieces without a daemon: the hashed tokens file, the server-name rule, the fingerprint form.</summary>
public sealed class StudioUnitTests : IDisposable
{
    private readonly TempDirectory folder = new("ebstudiounit");

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Tokens_are_stored_hashed_owner_only_found_by_token_and_revoked_by_name()
    {
        var path = folder.File("tokens.json");
        var tokens = StudioTokens.Load(path);
        var alice = tokens.Add("alice", admin: false);
        Assert.StartsWith(StudioTokens.Prefix, alice);
        Assert.Throws<InvalidOperationException>(() => tokens.Add("alice", admin: true));
        Assert.Throws<ArgumentException>(() => tokens.Add("a b", admin: false));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));

        var reread = StudioTokens.Load(path);
        Assert.Equal("alice", reread.Find(alice)?.Name);
        Assert.Null(reread.Find(alice + "0"));
        Assert.Null(reread.Find(""));
        Assert.True(reread.Revoke("alice"));
        Assert.False(reread.Revoke("alice"));
        Assert.Null(StudioTokens.Load(path).Find(alice));
    }

    [Fact]
    public void The_local_painters_name_is_no_studio_tokens_name()
    {
        var path = folder.File("tokens.json");
        var tokens = StudioTokens.Load(path);
        Assert.Contains("reserved", Assert.Throws<ArgumentException>(() => tokens.Add("Local", admin: false)).Message);
        // a file edited by hand to hold it: the token is refused, not taken for the daemon's own painter
        var bob = tokens.Add("bob", admin: false);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"bob\"", "\"local\""));
        var (caller, rejection) = new StudioTokenCheck(path).Check(Bearer(bob));
        Assert.Null(caller);
        Assert.Contains("reserved", rejection!.Message);
    }

    [Fact]
    public void A_revoke_and_an_add_in_one_timestamp_tick_are_both_seen()
    {
        var path = folder.File("tokens.json");
        var tokens = StudioTokens.Load(path);
        var alice = tokens.Add("alice", admin: false);
        var check = new StudioTokenCheck(path);
        Assert.Equal("alice", check.Check(Bearer(alice)).Caller?.Name);
        var written = File.GetLastWriteTimeUtc(path);
        var length = new FileInfo(path).Length;

        // a file system that keeps whole seconds: the new file has the old time and (a name as long) the old length
        Assert.True(tokens.Revoke("alice"));
        var carol = tokens.Add("carol", admin: false);
        File.SetLastWriteTimeUtc(path, written);
        Assert.Equal(length, new FileInfo(path).Length);

        Assert.Null(check.Check(Bearer(alice)).Caller);
        Assert.Equal("carol", check.Check(Bearer(carol)).Caller?.Name);
    }

    private static HttpRequest Bearer(string token)
    {
        var http = new DefaultHttpContext();
        http.Request.Headers.Authorization = "Bearer " + token;
        return http.Request;
    }

    [Fact]
    public void A_tokens_file_others_can_read_is_refused()
    {
        if (OperatingSystem.IsWindows())
            return;
        var path = folder.File("tokens.json");
        StudioTokens.Load(path).Add("alice", admin: false);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        Assert.Throws<TokenFileExposedException>(() => StudioTokens.Load(path));
    }

    [Theory]
    [InlineData("gpu1.studio:7443", true)]
    [InlineData("GPU1.Studio", true)]
    [InlineData("10.0.0.5:7443", true)]
    [InlineData("[::1]:7443", false)]
    [InlineData("localhost:7443", false)]
    [InlineData("gpu1.studio.evil.example", false)]
    [InlineData("", false)]
    public void The_network_listener_takes_only_its_server_names(string host, bool allowed)
    {
        var policy = new ServerNamePolicy(["gpu1.studio", "10.0.0.5"]);
        var context = new DefaultHttpContext();
        context.Request.Headers.Host = host;
        Assert.Equal(allowed, policy.CheckHost(context.Request) is null);
    }

    [Fact]
    public void Fingerprints_are_read_in_any_common_form()
    {
        var pin = string.Join(':', Enumerable.Repeat("AB", 32));
        Assert.Equal(pin, CertificatePin.Normalize(string.Concat(Enumerable.Repeat("ab", 32))));
        Assert.Equal(pin, CertificatePin.Normalize("sha256=" + pin.ToLowerInvariant()));
        Assert.Null(CertificatePin.Normalize("AB:CD"));
        Assert.Null(CertificatePin.Normalize(null));
    }
}
