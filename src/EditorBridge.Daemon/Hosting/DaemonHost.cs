using EditorBridge.Daemon.Blobs;
using EditorBridge.Daemon.Core;
using EditorBridge.Daemon.Plugins;
using EditorBridge.Daemon.Jobs;
using EditorBridge.Daemon.Models;
using EditorBridge.Daemon.Security;
using EditorBridge.Daemon.Services;
using EditorBridge.LocalState;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace EditorBridge.Daemon.Hosting;

/// <summary>
/// A running daemon: holds the per-user instance lock, the token, the loopback listeners and
/// the discovery file. Dispose (or <see cref="StopAsync"/>) to stop it.
/// </summary>
public sealed class DaemonHost : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly InstanceLock instanceLock;
    private readonly StatePaths paths;
    private readonly string? grpcSocket;

    private DaemonHost(WebApplication app, InstanceLock instanceLock, StatePaths paths, DiscoveryInfo discovery, string? grpcSocket, RemoteListener? remote)
    {
        this.app = app;
        this.instanceLock = instanceLock;
        this.paths = paths;
        this.grpcSocket = grpcSocket;
        Discovery = discovery;
        Remote = remote;
    }

    public DiscoveryInfo Discovery { get; }

    /// <summary>The network listener (TLS + studio tokens), when <see cref="DaemonOptions.Remote"/> asks for one.</summary>
    public RemoteListener? Remote { get; }

    public StatePaths Paths => paths;

    public IServiceProvider Services => app.Services;

    /// <summary>The Unix-domain socket gRPC is also served on (<see cref="GrpcUnixSocket"/>); null when there is none.</summary>
    public string? GrpcSocketPath => grpcSocket;

    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => app.WaitForShutdownAsync(cancellationToken);

    /// <summary>
    /// Starts serving. <paramref name="extraEngines"/> are served beside the plugins (tests use
    /// this for engines that misbehave on purpose). Throws <see cref="DaemonAlreadyRunningException"/>
    /// when another daemon holds this user's state folder.
    /// </summary>
    public static async Task<DaemonHost> StartAsync(DaemonOptions options, IEnumerable<LoadedEngine>? extraEngines = null, Action<ILoggingBuilder>? logging = null, CancellationToken cancellationToken = default)
    {
        var paths = StatePaths.ForCurrentUser(options.StateDirectory);
        paths.EnsureExists();
        var instanceLock = InstanceLock.TryAcquire(paths.LockFile)
            ?? throw new DaemonAlreadyRunningException(paths, DiscoveryInfo.TryRead(paths.DiscoveryFile));
        try
        {
            var token = TokenFile.LoadOrCreate(paths.TokenFile);
            var remote = RemoteListener.Prepare(options.Remote, paths);
            // only the daemon holding the lock owns the regions folder: what is in it is left over
            RegionFolder.Prepare(paths.RegionsDirectory);
            var store = new ModelStore.ModelStore(EngineEnvironments.For(options).ModelsDirectory);
            CleanStaging(store);
            var catalog = LoadEngines(options, extraEngines);
            var socket = GrpcUnixSocket.Prepare(options, paths, out var noSocket);
            if (noSocket is not null)
                Console.Error.WriteLine($"editorbridge: gRPC on TCP only, no Unix socket: {noSocket}");
            var (app, grpcPort, httpPort) = await ListenAsync(options, token, remote, catalog, store, socket, logging, paths.RegionsDirectory, cancellationToken);
            if (socket is not null)
                GrpcUnixSocket.Restrict(socket);
            var discovery = new DiscoveryInfo(grpcPort, httpPort, Environment.ProcessId, DaemonInfoBuilder.Version, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            discovery.Write(paths.DiscoveryFile);
            return new DaemonHost(app, instanceLock, paths, discovery, socket, remote);
        }
        catch
        {
            instanceLock.Dispose();
            throw;
        }
    }

    // A free port is picked, then bound: on a busy machine another process can take it in between
    // ("address already in use", seen when test suites started daemons side by side). Ports the daemon
    // picked itself are picked again a few times; a port the user configured is never changed.
    private static async Task<(WebApplication App, int GrpcPort, int HttpPort)> ListenAsync(
        DaemonOptions options, string token, RemoteListener? remote, EngineCatalog catalog, ModelStore.ModelStore store, string? grpcSocket, Action<ILoggingBuilder>? logging, string regionsDirectory, CancellationToken cancellationToken)
    {
        const int attempts = 5;
        for (int attempt = 1; ; attempt++)
        {
            var (grpcPort, httpPort) = (FreePort.OrGiven(options.GrpcPort), FreePort.OrGiven(options.HttpPort));
            var app = Build(options, token, remote, catalog, store, grpcPort, httpPort, grpcSocket, logging, regionsDirectory);
            try
            {
                await app.StartAsync(cancellationToken);
                return (app, grpcPort, httpPort);
            }
            catch (IOException e) when (e.InnerException is AddressInUseException && (options.GrpcPort <= 0 || options.HttpPort <= 0) && attempt < attempts)
            {
                await app.DisposeAsync();
                GrpcUnixSocket.Remove(grpcSocket); // bound last, but never left for the next attempt to trip on
            }
        }
    }

    // Only this (single-instance) daemon installs, so whatever is in staging is from an interrupted
    // install; a store that cannot be cleaned now (read-only, locked) must not keep the daemon down.
    private static void CleanStaging(ModelStore.ModelStore store)
    {
        try
        {
            store.CleanStaging();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ModelStore.ModelStoreException)
        {
            Console.Error.WriteLine($"editorbridge: model store '{store.Root}': staging not cleaned: {e.Message}");
        }
    }

    public async Task StopAsync()
    {
        var current = DiscoveryInfo.TryRead(paths.DiscoveryFile);
        if (current?.Pid == Environment.ProcessId && current.GrpcPort == Discovery.GrpcPort)
            File.Delete(paths.DiscoveryFile);
        await app.StopAsync();
        GrpcUnixSocket.Remove(grpcSocket);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await app.DisposeAsync();
        instanceLock.Dispose();
    }

    private static EngineCatalog LoadEngines(DaemonOptions options, IEnumerable<LoadedEngine>? extraEngines)
    {
        var directory = string.IsNullOrEmpty(options.EnginesDirectory) ? DefaultEnginesDirectory : options.EnginesDirectory;
        var environment = EngineEnvironments.For(options);
        var (engines, problems) = EnginePluginLoader.LoadAll(directory, environment);
        if (!string.IsNullOrEmpty(options.ExtraEnginesDirectory))
        {
            var (extra, extraProblems) = EnginePluginLoader.LoadAll(options.ExtraEnginesDirectory, environment);
            engines.AddRange(extra);
            problems.AddRange(extraProblems);
        }

        engines.AddRange(extraEngines ?? []);
        return new EngineCatalog(engines, problems);
    }

    // A pixel region lives as long as the connection that made it (HttpContext.Connection.Id is this id).
    private static void ReleaseRegionsOnClose(ListenOptions listen, HttpProtocols protocols, PixelRegions regions)
    {
        listen.Protocols = protocols;
        listen.Use(next => async connection =>
        {
            try
            {
                await next(connection);
            }
            finally
            {
                regions.ReleaseOwner(connection.ConnectionId);
            }
        });
    }

    public static string DefaultEnginesDirectory => Path.Combine(AppContext.BaseDirectory, "engines");

    private static WebApplication Build(DaemonOptions options, string token, RemoteListener? remote, EngineCatalog catalog, ModelStore.ModelStore store, int grpcPort, int httpPort, string? grpcSocket, Action<ILoggingBuilder>? logging, string regionsDirectory)
    {
        var blobs = new BlobStore(Options.Create(options), TimeProvider.System);
        var regions = new PixelRegions(options, TimeProvider.System, blobs, regionsDirectory);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, Args = [] });
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning).AddFilter("Grpc", LogLevel.Warning);
        logging?.Invoke(builder.Logging);
        var limits = options.Limits;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = limits.MaxRequestBytes;
            kestrel.Limits.Http2.InitialConnectionWindowSize = 256 * 1024 * 1024;
            kestrel.Limits.Http2.InitialStreamWindowSize = 128 * 1024 * 1024;
            kestrel.Limits.Http2.MaxFrameSize = 1024 * 1024;
            // gRPC needs HTTP/2, and cleartext HTTP/2 cannot share a port with HTTP/1.1.
            kestrel.ListenLocalhost(grpcPort, listen => ReleaseRegionsOnClose(listen, HttpProtocols.Http2, regions));
            kestrel.ListenLocalhost(httpPort, listen => ReleaseRegionsOnClose(listen, HttpProtocols.Http1, regions));
            if (grpcSocket is not null)
                kestrel.ListenUnixSocket(grpcSocket, listen => ReleaseRegionsOnClose(listen, HttpProtocols.Http2, regions));
            // the network listener: TLS only, where ALPN lets gRPC (HTTP/2) and JSON (HTTP/1.1) share the port
            if (remote is not null)
                kestrel.Listen(remote.EndPoint, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(remote.Certificate);
                });
        });
        var services = builder.Services;
        services.AddSingleton(Options.Create(options));
        services.AddSingleton(new BearerToken(token));
        services.AddSingleton(remote is null ? RemoteRules.None : new RemoteRules(remote.Names, remote.Tokens));
        services.AddSingleton(catalog);
        services.AddSingleton(store);
        services.AddSingleton<EngineModelCheck>();
        services.AddSingleton<InstalledModels>();
        services.AddSingleton<ModelPulls>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(blobs);
        services.AddSingleton(regions);
        services.AddSingleton<IJobExecutor, JobExecutor>();
        services.AddSingleton<JobQueue>();
        services.AddSingleton<JobRequestValidator>();
        services.AddSingleton<DaemonInfoBuilder>();
        services.AddSingleton<EngineChecks>();
        services.AddHostedService<IdleMemoryTrim>();
        services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = (int)Math.Min(limits.MaxRequestBytes, int.MaxValue);
            grpc.MaxSendMessageSize = null;
            // Exceptions in our handlers never reach gRPC (ErrorInterceptor maps them all); what does is
            // gRPC failing to read a request, and its type tells a corrupt message from a daemon out of
            // memory (GrpcStatusRewrite).
            grpc.EnableDetailedErrors = true;
            grpc.Interceptors.Add<ErrorInterceptor>();
        }).AddJsonTranscoding(json =>
        {
            json.JsonSettings.WriteInt64sAsStrings = true;
            // error details (field violations) must be known to be written as JSON
            json.TypeRegistry = Google.Protobuf.Reflection.TypeRegistry.FromFiles(Google.Rpc.ErrorDetailsReflection.Descriptor);
        });

        var app = builder.Build();
        app.UseMiddleware<RequestGuardMiddleware>();
        app.UseMiddleware<JsonRequestErrorMiddleware>();
        app.MapGrpcService<EditorBridgeService>();
        return app;
    }
}
