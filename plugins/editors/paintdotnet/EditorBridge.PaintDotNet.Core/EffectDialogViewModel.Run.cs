using EditorBridge.Protocol.V1;

namespace EditorBridge.PaintDotNet.Core;

/// <summary>The dialog's runs: OK runs the job (or several, one per seed), the painter picks a result, Cancel stops.</summary>
public sealed partial class EffectDialogViewModel
{
    /// <summary>
    /// The OK button: runs the job once, caches the result, puts it on the clipboard and raises
    /// <see cref="Completed"/>. Does nothing unless <see cref="CanRun"/>.
    /// </summary>
    public async Task RunAsync()
    {
        if (!CanRun || catalog is null)
            return;
        if (!TryCollectSettings(out var settings, out var invalid))
        {
            Error = invalid;
            return;
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(lifetime.Token);
        job = cancel;
        Error = null;
        Preview = null;
        Progress = null;
        Status = "Reading the selection…";
        State = DialogState.Running;
        var events = new Progress<JobEvent>(OnJobEvent);
        try
        {
            var requiresMask = catalog.RequiresMask(settings.Operation, settings.Engine);
            var input = await JobInput.CaptureAsync(document, requiresMask, settings, gateway, catalog.Info.Limits, cancel.Token);
            var chosenPictures = await Task.Run(() => JobPictures.Capture(pictures, inputs, input.Layer.Bounds, document.SelectionBounds), cancel.Token);
            var all = new List<JobOutcome>();
            ulong first = settings.Seed ?? (settings.Count > 1 ? (ulong)Random.Shared.NextInt64(1L << 31) : 0);
            for (int i = 0; i < settings.Count; i++)
            {
                Status = settings.Count > 1 ? $"Sending result {i + 1} of {settings.Count} to EditorBridge…" : "Sending to EditorBridge…";
                var one = settings.Count > 1 || settings.Seed is not null ? settings with { Seed = first + (ulong)i } : settings;
                all.Add(await JobRunner.RunAsync(gateway, input, one, events, cancel.Token, chosenPictures));
                Results = [.. all];
            }

            chosen = 0;
            Changed(nameof(ChosenResult));
            var result = all[0];
            Outcome = result;
            Progress = 1;
            if (all.Count > 1)
            {
                Status = $"{all.Count} results (seeds {string.Join(", ", all.Select(r => r.Seed))}): pick one, then Use this result.";
                State = DialogState.Succeeded;
                return;
            }

            Status = "Putting the result on the clipboard…";
            var note = await PutOnClipboardAsync(result, cancel.Token);
            Status = $"Done with {Served(result)} on {result.Device} in {result.TotalMilliseconds / 1000:0.00} s (seed {result.Seed}). {note}";
            State = DialogState.Succeeded;
            Completed?.Invoke(this, EventArgs.Empty);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Progress = 0;
            Status = "Cancelled. Nothing was changed.";
            State = DialogState.Cancelled;
        }
        catch (EditorBridgeProblem e)
        {
            Fail(e.Kind == ProblemKind.SelectRegionFirst ? DialogState.Unavailable : DialogState.Failed, e.Message);
        }
        finally
        {
            job = null;
        }
    }

    /// <summary>"Use this result" after a run with several results: the chosen one goes on the clipboard and the dialog closes.</summary>
    public async Task AcceptAsync()
    {
        if (Outcome is not { } result || state != DialogState.Succeeded)
            return;
        var note = await PutOnClipboardAsync(result, lifetime.Token);
        Status = $"Result {chosen + 1} of {results.Count} (seed {result.Seed}). {note}";
        Completed?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>Puts the engine's defaults back into the parameters shown.</summary>
    public void ResetParameters()
    {
        foreach (var field in parameters)
            field.Reset();
        Changed(nameof(Parameters));
    }

    /// <summary>The Cancel button: cancels a running job and returns true; false when nothing runs (close the dialog).</summary>
    public bool Cancel()
    {
        if (job is not { } running)
            return false;
        Status = "Cancelling…";
        running.Cancel();
        return true;
    }

    private static string Served(JobOutcome result) =>
        result.Model.Length == 0 ? result.Engine : $"{result.Engine} (model {result.Model})";

    private async Task<string> PutOnClipboardAsync(JobOutcome result, CancellationToken cancellationToken)
    {
        if (clipboard is null)
            return "";
        var image = await Task.Run(() => ClipboardImage.From(result, cancellationToken), cancellationToken);
        try
        {
            clipboard.SetImage(image);
            return ClipboardNote;
        }
        catch (Exception e) when (e is System.Runtime.InteropServices.ExternalException or InvalidOperationException or IOException)
        {
            // another program holds the clipboard: the result itself is fine
            return $"(The clipboard was busy, so the result is not on it: {e.Message})";
        }
    }

    private void OnJobEvent(JobEvent e)
    {
        if (state != DialogState.Running)
            return;
        switch (e.EventCase)
        {
            case JobEvent.EventOneofCase.Queued:
                Status = e.Queued.Position == 0 ? "Next in line…" : $"Waiting: {e.Queued.Position} job(s) ahead…";
                break;
            case JobEvent.EventOneofCase.Started:
                Status = $"Running on {e.Started.Engine} ({e.Started.Device})…";
                break;
            case JobEvent.EventOneofCase.Progress:
                Progress = Math.Clamp(e.Progress.Fraction, 0, 1);
                Status = $"{(string.IsNullOrEmpty(e.Progress.Stage) ? "Working" : e.Progress.Stage)}: {Progress:P0}";
                break;
            case JobEvent.EventOneofCase.Preview:
                try
                {
                    Preview = WirePixels.FromWire(e.Preview.Image, "preview");
                }
                catch (InvalidDataException)
                {
                    // a bad preview is not worth failing the job for
                }

                break;
        }
    }
}
