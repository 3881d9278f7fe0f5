using EditorBridge.Daemon.Jobs;
using EditorBridge.Daemon.Services;

namespace EditorBridge.Daemon.Tests;

/// <summary>
/// The daemon's core (errors and settings, jobs and their queue and executor, blobs, models and
/// pulls, plugin loading) knows no transport: no gRPC, protobuf or contract message, and nothing of
/// the edge namespaces that map it to the wire, so the namespaces do not import each other in a circle.
/// </summary>
public sealed class CoreBoundaryTests
{
    private static readonly string[] CoreNamespaces =
    [
        "EditorBridge.Daemon.Core",
        "EditorBridge.Daemon.Jobs",
        "EditorBridge.Daemon.Blobs",
        "EditorBridge.Daemon.Models",
        "EditorBridge.Daemon.Plugins",
    ];

    private static readonly string[] Transport =
    [
        "Grpc",
        "Google.Protobuf",
        "Google.Rpc",
        "Google.Api",
        "EditorBridge.Protocol",
        "Microsoft.AspNetCore",
        "EditorBridge.Daemon.Hosting",
        "EditorBridge.Daemon.Services",
        "EditorBridge.Daemon.Wire",
        "EditorBridge.Daemon.Security",
    ];

    [Fact]
    public void The_core_namespaces_reference_no_transport_type()
    {
        var core = typeof(JobQueue).Assembly.GetTypes().Where(t => CoreNamespaces.Contains(t.Namespace)).ToList();
        // every core namespace is there (a renamed one would otherwise pass unchecked)
        Assert.Equal(CoreNamespaces.Order(), core.Select(t => t.Namespace!).Distinct().Order());

        var violations = TypeReferences.Violations(core, Transport);

        Assert.True(violations.Count == 0, "core types referring to the transport:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void Guard_the_check_sees_transport_types_in_signatures_and_in_method_bodies()
    {
        // the edge refers to gRPC in its signatures (an interceptor)...
        Assert.Contains(TypeReferences.Violations([typeof(ErrorInterceptor)], Transport), v => v.EndsWith("→ Grpc.Core.Interceptors.Interceptor", StringComparison.Ordinal));
        // ...and a reference made only inside a method body is found too
        Assert.Equal(
            [$"{typeof(BodyOnlyReference).FullName} → Grpc.Core.Status", $"{typeof(BodyOnlyReference).FullName} → Grpc.Core.StatusCode"],
            TypeReferences.Violations([typeof(BodyOnlyReference)], Transport));
        Assert.Empty(TypeReferences.Violations([typeof(CoreBoundaryTests)], ["Grpc"]));
    }

    private static class BodyOnlyReference
    {
        public static object Make() => new Grpc.Core.Status(Grpc.Core.StatusCode.Cancelled, "only in the body");
    }
}
