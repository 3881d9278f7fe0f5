using EditorBridge.Daemon.Jobs;
using Proto = EditorBridge.Protocol.V1;

namespace EditorBridge.Daemon.Wire;

/// <summary>A job's updates, result and state as the contract's messages.</summary>
public static class JobWire
{
    public static Proto.JobEvent ToWire(JobUpdate update, string jobId)
    {
        var e = update switch
        {
            JobUpdate.Queued q => new Proto.JobEvent { Queued = new Proto.JobQueued { Position = q.Position } },
            JobUpdate.Started s => new Proto.JobEvent { Started = new Proto.JobStarted { Engine = s.Engine, Device = s.Device } },
            JobUpdate.Progress p => new Proto.JobEvent { Progress = new Proto.JobProgress { Step = p.Step, Total = p.Total, Fraction = p.Fraction, Stage = p.Stage } },
            JobUpdate.Preview p => new Proto.JobEvent { Preview = new Proto.JobPreview { Image = WireImages.ToWire(p.Image) } },
            JobUpdate.Succeeded r => new Proto.JobEvent { Result = ToWire(r.Result) },
            JobUpdate.Failed f => new Proto.JobEvent { Error = new Proto.JobError { Code = (int)ErrorCodes.For(f.Error), Message = f.Message, Field = f.Field } },
            _ => throw new ArgumentOutOfRangeException(nameof(update), update.GetType().Name, "no message for this update"),
        };
        e.JobId = jobId;
        return e;
    }

    public static Proto.JobResult ToWire(JobResult result)
    {
        var wire = new Proto.JobResult
        {
            Layer = result.LayerRegion is { } at ? WireImages.InRegion(at.Bounds, at.Format, at.At) : WireImages.ToWire(result.Layer!, result.LayerBlobId),
            Provenance = ToWire(result.Provenance),
        };
        if (result.Mask is { } mask)
            wire.Mask = result.MaskRegion is { } maskAt ? WireImages.InRegion(mask, maskAt) : WireImages.ToWire(mask, result.MaskBlobId);
        return wire;
    }

    public static Proto.Provenance ToWire(JobProvenance p)
    {
        var wire = new Proto.Provenance
        {
        Operation = p.Operation,
        Engine = p.Engine,
        EngineVersion = p.EngineVersion,
        ModelHash = p.ModelHash,
        Model = p.Model,
        Seed = p.Seed,
        Parameters = ParameterBinder.ToStruct(p.Parameters),
        Geometry = WireGeometry.ToWire(p.Geometry),
        Device = p.Device,
        Timings = new Proto.Timings { QueuedMs = p.QueuedMs, EngineMs = p.EngineMs, TotalMs = p.TotalMs, PixelsIn = p.PixelsIn, PixelsOut = p.PixelsOut },
        };
        if (p.Variant is { } variant)
        {
            wire.BaseModel = variant.BaseModel;
            wire.Loras.AddRange(ModelWire.ToWire(variant.Loras));
        }

        wire.Controls.AddRange(p.Controls);
        return wire;
    }

    public static Proto.JobState ToWire(JobState state) => state switch
    {
        JobState.Queued => Proto.JobState.Queued,
        JobState.Running => Proto.JobState.Running,
        JobState.Succeeded => Proto.JobState.Succeeded,
        JobState.Failed => Proto.JobState.Failed,
        JobState.Cancelled => Proto.JobState.Cancelled,
        _ => Proto.JobState.Unspecified,
    };
}
