using EditorBridge.Daemon.Plugins;
using Proto = EditorBridge.Protocol.V1;

namespace EditorBridge.Daemon.Services;

/// <summary>CheckEngines: every loaded engine's smoke test, as the contract's answer.</summary>
public sealed class EngineChecks(EngineCatalog catalog)
{
    public async Task<Proto.CheckEnginesResponse> RunAsync(CancellationToken cancellationToken)
    {
        var results = await EngineSmokeTest.RunAsync(catalog.Engines, EngineSmokeTest.DefaultTimeout, cancellationToken);
        var response = new Proto.CheckEnginesResponse();
        response.Engines.AddRange(results.Select(r => new Proto.EngineCheck
        {
            Engine = r.Engine.Name,
            Version = r.Engine.Descriptor.Version,
            Location = r.Engine.Location,
            Outcome = r.Outcome switch
            {
                SmokeOutcome.Passed => Proto.EngineCheckOutcome.Passed,
                SmokeOutcome.Failed => Proto.EngineCheckOutcome.Failed,
                _ => Proto.EngineCheckOutcome.NotTested,
            },
            Operation = r.Operation,
            Message = r.Message,
            ElapsedMs = r.Elapsed.TotalMilliseconds,
        }));
        response.PluginProblems.AddRange(catalog.Problems.Select(p => new Proto.PluginProblem { Location = p.Location, Message = p.Message }));
        return response;
    }
}
