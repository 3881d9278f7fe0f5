using EditorBridge.LocalState;
using EditorBridge.Testing;

namespace EditorBridge.PaintDotNet.Core.Tests;

/// <summary>The dialog's Studio settings model (URL, token, fingerprint): what a form bound to it saves, refuses and shows.</summary>
public sealed class StudioSettingsTests : IDisposable
{
    private static readonly string Pin = string.Join(':', Enumerable.Repeat("AB", 32));

    private readonly TempDirectory folder = new("ebpdnsettings");

    public void Dispose() => folder.Dispose();

    [Fact]
    public void A_studio_is_saved_in_the_files_every_client_reads_and_the_token_is_kept_but_never_shown()
    {
        var state = folder.File("state");
        var settings = StudioSettings.Load(state);
        Assert.Equal(("", "", false), (settings.Url, settings.Fingerprint, settings.TokenSaved));
        Assert.Empty(settings.Errors);

        settings.Url = " https://gpu1.studio:7443/ ";
        settings.Fingerprint = Pin.Replace(":", "", StringComparison.Ordinal).ToLowerInvariant(); // as some tools print it
        settings.Token = "ebt_painter_token";
        Assert.Empty(settings.Errors);
        var options = settings.Save();
        Assert.Equal(new Uri("https://gpu1.studio:7443"), options.DaemonUrl);
        Assert.Equal(Pin, options.Fingerprint);
        Assert.False(options.AutoStart); // a studio daemon is never started by the plugin
        Assert.Equal("", settings.Token);

        var paths = StatePaths.ForCurrentUser(state);
        Assert.Equal(new StudioConnection("https://gpu1.studio:7443", Pin), StudioConnection.Load(paths)); // what the CLI and Krita read
        Assert.Equal("ebt_painter_token", File.ReadAllText(StudioConnection.TokenPathIn(paths)));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(StudioConnection.TokenPathIn(paths)));

        // opened again: URL and fingerprint shown, the token only as "saved"; an empty token box keeps it
        var again = StudioSettings.Load(state);
        Assert.Equal(("https://gpu1.studio:7443", Pin, true, ""), (again.Url, again.Fingerprint, again.TokenSaved, again.Token));
        again.Fingerprint = "";
        Assert.Empty(again.Errors);
        Assert.Null(again.Save().Fingerprint);
        Assert.Equal("ebt_painter_token", File.ReadAllText(StudioConnection.TokenPathIn(paths)));

        // an empty address: this computer's own daemon again, the token forgotten
        again.Url = "";
        var local = again.Save();
        Assert.Null(local.DaemonUrl);
        Assert.True(local.AutoStart);
        Assert.False(File.Exists(StudioConnection.TokenPathIn(paths)));
        Assert.Null(StudioConnection.Load(paths));
    }

    [Fact]
    public void Bad_entries_are_named_beside_their_fields_and_nothing_is_saved()
    {
        var state = folder.File("bad");
        var settings = StudioSettings.Load(state);
        settings.Url = "http://gpu1.studio:7443";
        settings.Fingerprint = "AB:CD";
        var errors = settings.Errors;
        Assert.Contains("https://HOST:PORT", errors["Url"], StringComparison.Ordinal);
        Assert.Contains("32 hex pairs", errors["Fingerprint"], StringComparison.Ordinal);
        Assert.Contains("token", errors["Token"], StringComparison.Ordinal); // none typed, none saved
        Assert.Throws<InvalidOperationException>(() => settings.Save());
        Assert.Null(StudioConnection.Load(StatePaths.ForCurrentUser(state)));

        settings.Url = "https://gpu1.studio:7443";
        settings.Fingerprint = Pin;
        settings.Token = "two words";
        Assert.Equal(["Token"], settings.Errors.Keys);
        settings.Token = "ebt_ok";
        Assert.Empty(settings.Errors);
    }
}
