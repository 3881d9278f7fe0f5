using EditorBridge.Daemon.Plugins;
using EditorBridge.Daemon.Core;
using EditorBridge.Daemon.Models;
using EditorBridge.Daemon.Wire;
using EditorBridge.Engines;
using Microsoft.Extensions.Options;
using Proto = EditorBridge.Protocol.V1;

namespace EditorBridge.Daemon.Services;

/// <summary>Builds GetInfo's answer from the loaded engines and the settings.</summary>
public sealed class DaemonInfoBuilder(EngineCatalog catalog, IOptions<DaemonOptions> options, InstalledModels models)
{
    public static string Version { get; } =
        typeof(DaemonInfoBuilder).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>The answer to <paramref name="request"/>; its context query is planned by the one rule (<see cref="WireContext"/>).</summary>
    public Proto.DaemonInfo Build(Proto.GetInfoRequest? request = null)
    {
        var limits = options.Value.Limits;
        var info = new Proto.DaemonInfo
        {
            Version = Version,
            Pid = Environment.ProcessId,
            Limits = new Proto.Limits
            {
                MaxPixels = limits.MaxPixels,
                MaxSide = limits.MaxSide,
                MaxRequestBytes = limits.MaxRequestBytes,
                MaxConcurrentJobsPerDevice = limits.MaxConcurrentJobsPerDevice,
                BlobBudgetBytes = limits.BlobBudgetBytes,
                BlobTtlSeconds = limits.BlobTtlSeconds,
                SharedMemory = options.Value.SharedMemory,
            },
            GeometryDefaults = WireGeometry.ToWire(options.Value.Geometry),
        };
        var engines = catalog.Engines;
        info.ExecutionProviders.AddRange(engines.SelectMany(e => e.Descriptor.Devices).Append("cpu").Distinct());
        var rule = WireContext.Rule(options.Value.Geometry);
        info.Engines.AddRange(engines.Select(e => ToWire(e, rule)));
        info.Models.AddRange(models.List().Select(ModelWire.ToWire));
        info.ModelsDirectory = models.Store.Root;
        info.OperationRoutes.AddRange(OperationRoutes(engines));
        info.PluginProblems.AddRange(catalog.Problems.Select(p => new Proto.PluginProblem { Location = p.Location, Message = p.Message }));
        if (request?.Context is { } query)
        {
            if (query.Operation.Length > 0 && catalog.Find(query.Operation, query.Engine, query.Model) is null)
                throw RequestException.Invalid("context.operation", $"no installed engine offers '{Quoted.Short(query.Operation)}'{(query.Engine.Length > 0 ? $" on engine '{Quoted.Short(query.Engine)}'" : "")}{(query.Model.Length > 0 ? $" with model '{Quoted.Short(query.Model)}'" : "")}");
            info.Context = WireContext.Answer(query, options.Value.Geometry);
        }
        return info;
    }

    private static IEnumerable<Proto.OperationRoute> OperationRoutes(IReadOnlyList<LoadedEngine> engines) =>
        engines.SelectMany(e => e.Descriptor.Operations.Select(o => o.Name)).Distinct().Order(StringComparer.Ordinal).Select(operation =>
        {
            var route = new Proto.OperationRoute { Operation = operation };
            route.Engines.AddRange(EngineCatalog.Route(engines, operation).Select(e => e.Name));
            return route;
        });

    private static Proto.EngineInfo ToWire(LoadedEngine engine, Proto.ContextRule rule)
    {
        var wire = new Proto.EngineInfo
        {
            Name = engine.Name,
            Version = engine.Descriptor.Version,
            Description = engine.Descriptor.Description,
            Location = engine.Location,
        };
        wire.Devices.AddRange(engine.Descriptor.Devices);
        wire.Operations.AddRange(engine.Descriptor.Operations.Select(o => ToWire(o, rule)));
        return wire;
    }

    private static Proto.OperationInfo ToWire(OperationDescriptor operation, Proto.ContextRule rule)
    {
        var wire = new Proto.OperationInfo
        {
            // one rule for every operation today (the daemon's geometry settings); per operation on
            // the wire so that an engine may one day ask for more context
            ContextRule = rule,
            Name = operation.Name,
            Description = operation.Description,
            RequiresMask = operation.RequiresMask,
            OutputScaleParameter = operation.OutputScaleParameter ?? "",
        };
        wire.Models.AddRange(operation.Models);
        wire.Inputs.AddRange(operation.DeclaredInputs.Select(i => new Proto.InputInfo
        {
            Name = i.Name,
            Description = i.Description,
            Required = i.Required,
            CanvasAligned = i.CanvasAligned,
        }));
        foreach (var p in operation.Parameters)
        {
            var parameter = new Proto.ParameterInfo
            {
                Name = p.Name,
                Kind = (Proto.ParameterKind)((int)p.Kind + 1),
                Description = p.Description,
                DefaultValue = ParameterBinder.ToValue(p.Default),
                Required = p.Required,
                CanvasAxis = (Proto.CanvasAxis)(int)p.Axis,
            };
            if (p.Minimum is { } min)
                parameter.Minimum = min;
            if (p.Maximum is { } max)
                parameter.Maximum = max;
            parameter.Choices.AddRange(p.Choices ?? []);
            wire.Parameters.Add(parameter);
        }

        return wire;
    }
}
