using EditorBridge.Daemon.Core;
using EditorBridge.Daemon.Plugins;
using EditorBridge.ModelStore;
using Microsoft.Extensions.Options;

namespace EditorBridge.Daemon.Models;

/// <summary>
/// The daemon's side of the model store: imports (checked by every engine), verifies and removes
/// models, and after each change has the engines describe themselves again so GetInfo and job
/// validation see the new models at once. Slow file work runs off the request thread.
/// </summary>
public sealed class InstalledModels(
    ModelStore.ModelStore store,
    EngineCatalog catalog,
    EngineModelCheck engineCheck,
    IOptions<DaemonOptions> options,
    ILogger<InstalledModels> logger)
{
    public ModelStore.ModelStore Store => store;

    /// <summary>Pass to ModelStore.Install: every engine's CheckModel for the staged model's kind.</summary>
    public Func<string, IReadOnlyList<string>> EngineCheck => engineCheck.Check;

    public IReadOnlyList<InstalledModel> List() => store.List();

    public async Task<InstalledModel> ImportAsync(ModelImportRequest request, CancellationToken cancellationToken)
    {
        var path = ModelImportRequestValidator.Validate(request);
        var limits = options.Value.Limits;
        var importOptions = new ModelImportOptions(
            Name: NullIfEmpty(request.Name),
            Kind: NullIfEmpty(request.Kind),
            LicenceId: NullIfEmpty(request.LicenceId),
            Replace: request.Replace,
            MaxTotalBytes: limits.MaxModelBytes,
            MaxFiles: limits.MaxModelFiles);
        if (request.BaseModel.Length > 0)
            return await ImportLoraAsync(request, path, cancellationToken);
        var model = await Task.Run(() => Refused(field: "path", () =>
            new ModelImport(store).Import(path, importOptions, engineCheck.Check, cancellationToken)), cancellationToken);
        ModelsChanged();
        logger.LogInformation("installed model {Model} ({Kind}, {Identity}) from {Path}", model.Name, model.Manifest.Kind, model.Identity, path);
        if (model.SignatureNamesTaken.Count > 0)
            logger.LogInformation("model {Model}: signature names taken from the model: {Names}", model.Name, string.Join("; ", model.SignatureNamesTaken));
        return model;
    }

    // a LoRA merged into an installed diffusion model as a new model (EditorBridge.Lora.LoraVariant)
    private async Task<InstalledModel> ImportLoraAsync(ModelImportRequest request, string path, CancellationToken cancellationToken)
    {
        double strength = request.LoraStrength == 0 ? 1 : request.LoraStrength;
        var (model, merged, unmatched) = await Task.Run(() => Refused(field: "path", () =>
            Lora.LoraVariant.Import(store, request.BaseModel, path, strength, NullIfEmpty(request.Name), request.Replace, engineCheck.Check, cancellationToken)), cancellationToken);
        ModelsChanged();
        logger.LogInformation("made model {Model} from {Base} with LoRA {Path} at {Strength}: {Merged} modules merged, {Unmatched} matched nothing",
            model.Name, request.BaseModel, path, strength, merged, unmatched.Count);
        return model;
    }

    public Task<ModelVerification> VerifyAsync(string name, CancellationToken cancellationToken)
    {
        CheckName(name);
        return Task.Run(() => Refused(field: "name", () => store.Verify(name, cancellationToken)), cancellationToken);
    }

    public void Remove(string name)
    {
        CheckName(name);
        Refused(field: "name", () =>
        {
            store.Remove(name);
            return true;
        });
        ModelsChanged();
        logger.LogInformation("removed model {Model}", name);
    }

    /// <summary>Has every engine describe itself again; call after any install or removal (pull does too).</summary>
    public void ModelsChanged() => catalog.Refresh();

    private static void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name))
            throw RequestException.Invalid("name", "missing; the installed model's name");
        if (ModelName.Problem(name) is { } problem)
            throw RequestException.Invalid("name", problem);
    }

    private static T Refused<T>(string field, Func<T> work)
    {
        try
        {
            return work();
        }
        catch (ModelStoreException e)
        {
            throw ModelStoreErrors.ToRequestException(e, e.Error is ModelStoreError.NotFound or ModelStoreError.AlreadyExists ? "name" : field);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RequestException(DaemonError.Precondition, field, $"the model store could not read or write a file: {e.Message}");
        }
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;
}
