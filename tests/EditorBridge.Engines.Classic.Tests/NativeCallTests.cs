namespace EditorBridge.Engines.Classic.Tests;

/// <summary>
/// A native OpenCV call cannot be interrupted, so a cancelled job must not wait for it: the job's task
/// ends while the call is still running, and the call finishes alone. Shown with work that is held on a
/// gate until the task has ended (no clock: a busy machine cannot change the outcome, only the hang guard).
/// </summary>
public sealed class NativeCallTests
{
    [Fact]
    public async Task A_cancel_ends_the_task_while_the_uninterruptible_work_still_runs()
    {
        using var gate = new ManualResetEventSlim();
        using var working = new ManualResetEventSlim();
        using var cancellation = new CancellationTokenSource();
        var work = NativeCall.RunAsync(() =>
        {
            working.Set();
            gate.Wait(TimeSpan.FromMinutes(2));
            return 1;
        }, cancellation.Token);
        Assert.True(working.Wait(TimeSpan.FromMinutes(2)), "the work never started");

        cancellation.Cancel();

        // were the task to wait for the work, this would end in the hang guard's TimeoutException
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => work.WaitAsync(TimeSpan.FromMinutes(2)));
        gate.Set();
    }
}
