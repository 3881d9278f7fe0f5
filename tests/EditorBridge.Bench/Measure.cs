using System.Diagnostics;

namespace EditorBridge.Bench;

/// <summary>Medians of repeated timings, after a warm-up run.</summary>
internal static class Measure
{
    public static async Task<double> MedianMsAsync(int repeats, Func<Task> action)
    {
        await action();
        var times = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            await action();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return times[times.Count / 2];
    }
}
