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
    public void Job_ids_name_their_backend_and_a_cancel_by_id_carries_it_as_the_header_nginx_routes_on()
    {
        Assert.Equal("b1.job-0123456789abcdef", Protocol.BackendRoute.JobId("b1", "job-0123456789abcdef"));
        Assert.Equal("job-0123456789abcdef", Protocol.BackendRoute.JobId(null, "job-0123456789abcdef"));
        Assert.Equal("gpu-2", Protocol.BackendRoute.BackendOf("gpu-2.job-0123456789abcdef"));
        Assert.Null(Protocol.BackendRoute.BackendOf("job-0123456789abcdef")); // a plain id: balanced like any call
        Assert.Null(Protocol.BackendRoute.BackendOf("Bad Name.job-1")); // never a header value nginx does not expect
        Assert.Null(Protocol.BackendRoute.BackendOf(".job-1"));
        Assert.Null(Protocol.BackendRoute.HeadersFor("job-1"));
        var header = Assert.Single(Protocol.BackendRoute.HeadersFor("b2.job-1")!);
        Assert.Equal((Protocol.BackendRoute.Header, "b2"), (header.Key, header.Value));

        // a name nginx's map and the URL path could not carry is refused when the daemon starts
        var options = new Daemon.Core.DaemonOptions();
        options.Remote.BackendName = "GPU 1";
        var refused = Assert.Throws<InvalidDataException>(() => Daemon.Hosting.DaemonOptionsLoader.Check(options));
        Assert.Contains("Remote:BackendName", refused.Message, StringComparison.Ordinal);
        options.Remote.BackendName = "gpu-1";
        Daemon.Hosting.DaemonOptionsLoader.Check(options);
    }

    [Fact]
    public void A_studio_address_is_https_and_a_pin_is_32_hex_pairs_for_every_client()
    {
        Assert.Equal("https://gpu1.studio:7443", StudioConnection.NormalizeUrl(" https://gpu1.studio:7443/ "));
        Assert.Contains("https://HOST:PORT", Assert.Throws<FormatException>(() => StudioConnection.NormalizeUrl("http://gpu1.studio:7443")).Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => StudioConnection.NormalizeUrl("gpu1.studio:7443"));
        Assert.Null(StudioConnection.NormalizePin("  "));
        Assert.Equal(string.Join(':', Enumerable.Repeat("AB", 32)), StudioConnection.NormalizePin(string.Concat(Enumerable.Repeat("ab", 32))));
        Assert.Contains("32 hex pairs", Assert.Throws<FormatException>(() => StudioConnection.NormalizePin("AB:CD")).Message, StringComparison.Ordinal);
    }

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
