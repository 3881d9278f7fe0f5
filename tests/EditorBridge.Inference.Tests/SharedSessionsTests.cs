using EditorBridge.Inference;
using EditorBridge.Testing;
using Microsoft.Extensions.Time.Testing;

namespace EditorBridge.Inference.Tests;

public sealed class SharedSessionsTests : IDisposable
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(5);
    private readonly TempDirectory temp = new();
    private readonly FakeTimeProvider clock = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Concurrent_jobs_share_one_session_per_model()
    {
        var path = TinyModelFiles.Double(temp.Path);
        using var sessions = new SharedSessions([ExecutionProvider.Cpu], Idle, clock);
        using var start = new Barrier(4);

        var leases = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait();
            return sessions.Acquire(path);
        })));

        Assert.Equal(1, sessions.OpenCount);
        Assert.All(leases, lease => Assert.Same(leases[0].Session, lease.Session));
        foreach (var lease in leases)
            lease.Dispose();
    }

    [Fact]
    public void A_session_unused_for_the_idle_time_is_closed_and_reopened_on_the_next_job()
    {
        var path = TinyModelFiles.Double(temp.Path);
        using var sessions = new SharedSessions([ExecutionProvider.Cpu], Idle, clock);
        var first = sessions.Acquire(path);
        var firstSession = first.Session;
        first.Dispose();

        clock.Advance(Idle - TimeSpan.FromSeconds(1));
        Assert.Equal(1, sessions.OpenCount);
        clock.Advance(Idle);
        Assert.Equal(0, sessions.OpenCount);

        using var again = sessions.Acquire(path);
        Assert.Equal(1, sessions.OpenCount);
        Assert.NotSame(firstSession, again.Session);
    }

    [Fact]
    public void A_lease_keeps_its_session_open_past_the_idle_time()
    {
        var path = TinyModelFiles.Double(temp.Path);
        using var sessions = new SharedSessions([ExecutionProvider.Cpu], Idle, clock);
        var lease = sessions.Acquire(path);

        clock.Advance(Idle * 3);
        Assert.Equal(1, sessions.OpenCount);
        using (var results = lease.Session.Run([Microsoft.ML.OnnxRuntime.NamedOnnxValue.CreateFromTensor("x", new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>(new float[] { 1, 2, 3 }, [1, 3]))]))
            Assert.Equal([2f, 4f, 6f], results.First().AsEnumerable<float>());

        lease.Dispose();
        clock.Advance(Idle * 2);
        Assert.Equal(0, sessions.OpenCount);
    }

    [Fact]
    public void Disposing_a_lease_twice_returns_it_once()
    {
        var path = TinyModelFiles.Double(temp.Path);
        using var sessions = new SharedSessions([ExecutionProvider.Cpu], Idle, clock);
        var held = sessions.Acquire(path);
        var other = sessions.Acquire(path);
        other.Dispose();
        other.Dispose();

        clock.Advance(Idle * 2);

        Assert.Equal(1, sessions.OpenCount);
        held.Dispose();
    }

    [Fact]
    public void After_dispose_no_session_is_open_and_none_can_be_leased()
    {
        var path = TinyModelFiles.Double(temp.Path);
        var sessions = new SharedSessions([ExecutionProvider.Cpu], Idle, clock);
        sessions.Acquire(path).Dispose();

        sessions.Dispose();

        Assert.Equal(0, sessions.OpenCount);
        Assert.Throws<ObjectDisposedException>(() => sessions.Acquire(path));
    }
}
