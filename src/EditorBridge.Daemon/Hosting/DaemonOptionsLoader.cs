using EditorBridge.Daemon.Core;
using EditorBridge.Imaging;
using EditorBridge.LocalState;
using Microsoft.Extensions.Configuration;

namespace EditorBridge.Daemon.Hosting;

/// <summary>
/// Reads daemon settings: <c>settings.json</c> in the state folder, then environment variables
/// <c>EDITORBRIDGE_*</c> (e.g. <c>EDITORBRIDGE_GrpcPort</c>, <c>EDITORBRIDGE_Limits__MaxRequestBytes</c>);
/// command-line flags are applied on top by the caller. Settings that do not make sense are
/// refused with the setting named.
/// </summary>
public static class DaemonOptionsLoader
{
    public const string FileName = "settings.json";

    public static DaemonOptions Load(string? stateDirectory)
    {
        var paths = StatePaths.ForCurrentUser(stateDirectory);
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(paths.StateDirectory, FileName), optional: true, reloadOnChange: false)
            .AddEnvironmentVariables("EDITORBRIDGE_")
            .Build();
        var options = new DaemonOptions();
        try
        {
            configuration.Bind(options);
            var geometry = new GeometrySettings();
            configuration.GetSection(nameof(DaemonOptions.Geometry)).Bind(geometry);
            options.Geometry = geometry;
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidDataException($"{Path.Combine(paths.StateDirectory, FileName)}: {e.Message}", e);
        }

        options.StateDirectory = stateDirectory ?? options.StateDirectory;
        Check(options);
        return options;
    }

    public static void Check(DaemonOptions options)
    {
        var l = options.Limits;
        Require(options.GrpcPort is >= 0 and <= 65535, "GrpcPort", options.GrpcPort);
        Require(options.HttpPort is >= 0 and <= 65535, "HttpPort", options.HttpPort);
        Require(l.MaxRequestBytes > 0, "Limits:MaxRequestBytes", l.MaxRequestBytes);
        Require(l.MaxPixels > 0, "Limits:MaxPixels", l.MaxPixels);
        Require(l.MaxSide > 0, "Limits:MaxSide", l.MaxSide);
        Require(l.MaxConcurrentJobsPerDevice > 0, "Limits:MaxConcurrentJobsPerDevice", l.MaxConcurrentJobsPerDevice);
        Require(l.BlobBudgetBytes >= 0, "Limits:BlobBudgetBytes", l.BlobBudgetBytes);
        Require(l.BlobTtlSeconds > 0, "Limits:BlobTtlSeconds", l.BlobTtlSeconds);
        Require(l.JobTimeoutSeconds >= 0, "Limits:JobTimeoutSeconds", l.JobTimeoutSeconds);
        if (!string.IsNullOrEmpty(options.Remote.BackendName) && !Protocol.BackendRoute.IsValidName(options.Remote.BackendName))
            throw new InvalidDataException($"setting Remote:BackendName: '{options.Remote.BackendName}' is not a backend name (lowercase letters, digits and '-', up to {Protocol.BackendRoute.MaxNameLength})");
        if (options.Geometry.Validate() is { } bad)
            throw new InvalidDataException($"setting Geometry:{bad.Field}: {bad.Message}");
    }

    private static void Require(bool ok, string name, object value)
    {
        if (!ok)
            throw new InvalidDataException($"setting {name}: {value} is out of range");
    }
}
