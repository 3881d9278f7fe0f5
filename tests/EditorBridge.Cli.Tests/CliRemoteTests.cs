using EditorBridge.Testing;

namespace EditorBridge.Cli.Tests;

/// <summary>`editorbridge remote set` refuses what no client could use, before it reads the token, with one line and the usage exit code.</summary>
public sealed class CliRemoteTests
{
    [Theory]
    [InlineData("http://gpu1.studio:7443", null, "expected https://HOST:PORT")]
    [InlineData("https://gpu1.studio:7443", "AB:CD", "32 hex pairs")]
    public async Task Remote_set_refuses_a_plain_address_or_a_broken_pin_and_saves_nothing(string url, string? pin, string said)
    {
        using var state = new TempDirectory("cliremote");
        var args = new List<string> { "--state-dir", state.Path, "remote", "set", url };
        if (pin is not null)
            args.AddRange(["--pin", pin]);
        var run = await CliProcess.RunAsync([.. args]);
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains(said, Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(state.Path, LocalState.StudioConnection.FileName)));
    }
}
