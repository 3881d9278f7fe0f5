using EditorBridge.LocalState;
using EditorBridge.Testing;

namespace EditorBridge.Daemon.Tests;

public sealed class LocalStateTests
{
    [Fact]
    public void The_token_file_is_created_for_the_user_alone_and_read_back()
    {
        using var temp = new TempDirectory();
        var path = temp.File("token");
        var token = TokenFile.LoadOrCreate(path);
        Assert.Equal(64, token.Length);
        Assert.Equal(token, TokenFile.LoadOrCreate(path));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.True(TokenFile.IsPrivate(path));
    }

    [Theory]
    [InlineData(UnixFileMode.OtherRead)]
    [InlineData(UnixFileMode.GroupRead)]
    [InlineData(UnixFileMode.GroupWrite)]
    public void A_token_file_open_to_others_is_refused_with_the_fix_and_left_as_it_is(UnixFileMode extra)
    {
        if (OperatingSystem.IsWindows())
            return;
        using var temp = new TempDirectory();
        var path = temp.File("token");
        TokenFile.LoadOrCreate(path);
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | extra;
        File.SetUnixFileMode(path, mode);
        Assert.False(TokenFile.IsPrivate(path));

        var e = Assert.Throws<TokenFileExposedException>(() => TokenFile.LoadOrCreate(path));

        Assert.Contains($"token file {path} is open to other users (mode 0{Convert.ToString((int)mode, 8)})", e.Message);
        Assert.Contains($"rm '{path}'", e.Message);
        Assert.Contains($"chmod 600 '{path}'", e.Message);
        Assert.Equal(mode, File.GetUnixFileMode(path)); // not silently "fixed": the token may already be known
    }

    [Fact]
    public void A_damaged_token_file_is_reported_with_the_fix()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("token"), "short");
        Assert.Contains("delete it", Assert.Throws<InvalidDataException>(() => TokenFile.Read(temp.File("token"))).Message);
    }

    [Fact]
    public void Only_one_holder_of_the_instance_lock_at_a_time()
    {
        using var temp = new TempDirectory();
        using (var first = InstanceLock.TryAcquire(temp.File("daemon.lock")))
        {
            Assert.NotNull(first);
            Assert.Null(InstanceLock.TryAcquire(temp.File("daemon.lock")));
        }

        using var again = InstanceLock.TryAcquire(temp.File("daemon.lock"));
        Assert.NotNull(again);
    }

    [Fact]
    public void A_discovery_file_naming_a_dead_process_is_seen_as_stale()
    {
        using var temp = new TempDirectory();
        var path = temp.File("daemon.json");
        var dead = new DiscoveryInfo(1234, 1235, FindDeadPid(), "0.1.0", 0);
        dead.Write(path);
        var read = DiscoveryInfo.TryRead(path);
        Assert.Equal(dead, read);
        Assert.False(read!.ProcessIsAlive());
        Assert.True((dead with { Pid = Environment.ProcessId }).ProcessIsAlive());
        File.WriteAllText(path, "{ not json");
        Assert.Null(DiscoveryInfo.TryRead(path));
    }

    private static int FindDeadPid()
    {
        for (int pid = 4_000_000; ; pid--)
        {
            try
            {
                System.Diagnostics.Process.GetProcessById(pid).Dispose();
            }
            catch (ArgumentException)
            {
                return pid;
            }
        }
    }
}
