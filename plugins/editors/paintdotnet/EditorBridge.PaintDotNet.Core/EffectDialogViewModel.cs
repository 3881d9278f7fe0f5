using System.Collections.Immutable;
using System.ComponentModel;
using System.Globalization;
using EditorBridge.Protocol.V1;

namespace EditorBridge.PaintDotNet.Core;

/// <summary>
/// The state and actions of one effect dialog, free of any UI toolkit. Create it on the UI thread:
/// every property change is raised there, while connecting, reading pixels, the job and encoding
/// the clipboard picture run elsewhere, so Paint.NET's UI never waits on the daemon.
/// </summary>
public sealed partial class EffectDialogViewModel : INotifyPropertyChanged, IDisposable
{
    public const string ClipboardNote = "The result is also put on the clipboard: Edit > Paste into New Layer (Ctrl+Shift+V) gives it a layer of its own.";

    private readonly IDaemonGateway gateway;
    private readonly IHostDocument document;
    private readonly IClipboardTarget? clipboard;
    private readonly IPictureSource? pictures;
    private readonly JobSettings? previous;
    private readonly SynchronizationContext? ui;
    private readonly CancellationTokenSource lifetime = new();
    private CancellationTokenSource? job;
    private OperationCatalog? catalog;
    private DialogState state = DialogState.Connecting;
    private string status = "Connecting to EditorBridge…";
    private string? error;
    private double? progress = 0;
    private BgraImage? preview;
    private string engine = OperationCatalog.BestEngine;
    private IReadOnlyList<string> engines = [];
    private string model = OperationCatalog.AutomaticModel;
    private IReadOnlyList<string> models = [];
    private IReadOnlyList<ParameterField> parameters = [];
    private IReadOnlyList<InputField> inputs = [];
    private IReadOnlyList<JobOutcome> results = [];
    private int chosen;
    private JobOutcome? outcome;
    private string? selectionProblem;

    public EffectDialogViewModel(PluginOperation operation, IDaemonGateway gateway, IHostDocument document, IClipboardTarget? clipboard = null, JobSettings? previous = null,
                                 IPictureSource? pictures = null)
    {
        this.pictures = pictures;
        Operation = operation ?? throw new ArgumentNullException(nameof(operation));
        this.gateway = gateway ?? throw new ArgumentNullException(nameof(gateway));
        this.document = document ?? throw new ArgumentNullException(nameof(document));
        this.clipboard = clipboard;
        this.previous = previous is not null && previous.Operation == operation.Name ? previous : null;
        ui = SynchronizationContext.Current;
        Prompt = this.previous?.Prompt ?? "";
        NegativePrompt = this.previous?.NegativePrompt ?? "";
        GrowPixels = this.previous?.GrowPixels ?? 0;
        SeedText = this.previous?.Seed?.ToString(CultureInfo.InvariantCulture) ?? "";
        Count = operation.CanCount ? this.previous?.Count ?? 1 : 1;
    }

    public event PropertyChangedEventHandler? PropertyChanged;

    /// <summary>Raised (on the UI thread) when a result is ready: the dialog should close with OK.</summary>
    public event EventHandler? Completed;

    public PluginOperation Operation { get; }

    public string Title => $"EditorBridge — {Operation.MenuName}";

    public DialogState State { get => state; private set => Set(ref state, value, nameof(State), nameof(CanRun), nameof(CanEdit), nameof(IsBusy)); }

    /// <summary>One line on what is happening.</summary>
    public string Status { get => status; private set => Set(ref status, value, nameof(Status)); }

    /// <summary>What went wrong and what to do about it; null when all is well.</summary>
    public string? Error { get => error; private set => Set(ref error, value, nameof(Error)); }

    /// <summary>Job progress 0..1; null while the length of the wait is unknown (show a marquee).</summary>
    public double? Progress { get => progress; private set => Set(ref progress, value, nameof(Progress)); }

    /// <summary>The latest small preview from the daemon (BGRA); null until one comes.</summary>
    public BgraImage? Preview { get => preview; private set => Set(ref preview, value, nameof(Preview)); }

    /// <summary>Engine names offering the operation; the first entry, "", lets the daemon choose.</summary>
    public IReadOnlyList<string> Engines { get => engines; private set => Set(ref engines, value, nameof(Engines)); }

    public string Engine
    {
        get => engine;
        set
        {
            if (engine == value || !CanEdit || !engines.Contains(value))
                return;
            engine = value;
            Changed(nameof(Engine));
            BuildModels(model);
            BuildParameters();
            BuildInputs();
        }
    }

    /// <summary>Installed models that serve the operation on the chosen engine, default first; the first entry, "", is automatic (no model sent).</summary>
    public IReadOnlyList<string> Models { get => models; private set => Set(ref models, value, nameof(Models)); }

    public string Model
    {
        get => model;
        set
        {
            if (model == value || !CanEdit || !models.Contains(value))
                return;
            model = value;
            Changed(nameof(Model));
            BuildParameters();
            BuildInputs();
        }
    }

    public IReadOnlyList<ParameterField> Parameters { get => parameters; private set => Set(ref parameters, value, nameof(Parameters)); }

    /// <summary>A picture picker per extra picture the serving engine's operation takes (GetInfo's inputs).</summary>
    public IReadOnlyList<InputField> Inputs { get => inputs; private set => Set(ref inputs, value, nameof(Inputs)); }

    /// <summary>Results per OK (seeds s, s+1, ...); 1 for operations whose result does not depend on the seed.</summary>
    public int Count { get; set; }

    /// <summary>Every result of the last run, in seed order; the painter picks one (<see cref="ChosenResult"/>).</summary>
    public IReadOnlyList<JobOutcome> Results { get => results; private set => Set(ref results, value, nameof(Results)); }

    /// <summary>The index in <see cref="Results"/> of the result the effect renders.</summary>
    public int ChosenResult
    {
        get => chosen;
        set
        {
            if (value < 0 || value >= results.Count || value == chosen)
                return;
            chosen = value;
            Changed(nameof(ChosenResult));
            Outcome = results[value];
        }
    }

    public string Prompt { get; set; }

    public string NegativePrompt { get; set; }

    /// <summary>Empty = a random seed; otherwise a whole number.</summary>
    public string SeedText { get; set; }

    public int GrowPixels { get; set; }

    public int? FeatherPixels { get; set; }

    /// <summary>The cached result once the job succeeded; the effect's tiles are copied from it.</summary>
    public JobOutcome? Outcome { get => outcome; private set => Set(ref outcome, value, nameof(Outcome)); }

    public bool CanRun => state is DialogState.Ready or DialogState.Cancelled or DialogState.Failed && selectionProblem is null;

    public bool CanEdit => state is DialogState.Ready or DialogState.Cancelled or DialogState.Failed;

    public bool IsBusy => state is DialogState.Connecting or DialogState.Running;

    /// <summary>Connects (starting the daemon if needed), reads what it offers and checks the selection.</summary>
    public async Task LoadAsync()
    {
        State = DialogState.Connecting;
        Status = "Connecting to EditorBridge…";
        Progress = null;
        try
        {
            // on the thread pool: finding the program and starting it are blocking calls
            var info = await Task.Run(() => gateway.ConnectAsync(lifetime.Token), lifetime.Token);
            catalog = new OperationCatalog(info);
            if (!catalog.Offers(Operation.Name))
            {
                var offered = catalog.Operations;
                Fail(DialogState.Unavailable, $"No installed EditorBridge engine offers {Operation.MenuName.ToLowerInvariant()} yet (installed: {(offered.Count == 0 ? "none" : string.Join(", ", offered))}). Install an engine or model that offers it.");
                return;
            }

            var requiresMask = catalog.RequiresMask(Operation.Name, OperationCatalog.BestEngine);
            selectionProblem = await Task.Run(() => CheckSelection(requiresMask), lifetime.Token);
            Engines = [OperationCatalog.BestEngine, .. catalog.EnginesFor(Operation.Name)];
            engine = previous is { } p && engines.Contains(p.Engine) ? p.Engine : OperationCatalog.BestEngine;
            Changed(nameof(Engine));
            BuildModels(previous?.Model ?? OperationCatalog.AutomaticModel);
            BuildInputs();
            FeatherPixels = previous?.FeatherPixels ?? (info.GeometryDefaults is { HasFeatherPixels: true } g ? g.FeatherPixels : null);
            BuildParameters();
            if (selectionProblem is not null)
            {
                Fail(DialogState.Unavailable, selectionProblem);
                return;
            }

            Error = null;
            Progress = 0;
            Status = $"Ready: EditorBridge {info.Version}. OK runs {Operation.MenuName.ToLowerInvariant()} on the selection.";
            State = DialogState.Ready;
        }
        catch (EditorBridgeProblem e)
        {
            Fail(DialogState.Unavailable, e.Message);
        }
        catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
        {
            // the dialog closed while connecting
        }
    }

    /// <summary>The settings as the dialog shows them (for the effect's token), valid or not.</summary>
    public JobSettings CurrentSettings()
    {
        TryCollectSettings(out var settings, out _);
        return settings;
    }

    public void Dispose()
    {
        lifetime.Cancel();
        lifetime.Dispose();
    }

    private bool TryCollectSettings(out JobSettings settings, out string? invalid)
    {
        invalid = parameters.Select(p => p.Error).Concat(inputs.Select(i => i.Error)).FirstOrDefault(e => e is not null);
        if (Count is < 1 or > JobSettings.MaxCount)
            invalid ??= $"Results: {Count} is outside 1..{JobSettings.MaxCount}";
        ulong? seed = null;
        if (!string.IsNullOrWhiteSpace(SeedText))
        {
            if (ulong.TryParse(SeedText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var s))
                seed = s;
            else
                invalid ??= $"Seed: '{SeedText}' is not a whole number (leave it empty for a random one)";
        }

        if (GrowPixels is < 0 or > 256)
            invalid ??= $"Grow: {GrowPixels} is outside 0..256";
        if (FeatherPixels is < 0 or > 256)
            invalid ??= $"Feather: {FeatherPixels} is outside 0..256";
        settings = new JobSettings
        {
            Operation = Operation.Name,
            Engine = engine,
            Model = model,
            Prompt = Prompt ?? "",
            NegativePrompt = NegativePrompt ?? "",
            Parameters = parameters.ToImmutableSortedDictionary(p => p.Name, p => p.Value),
            Seed = seed,
            GrowPixels = GrowPixels,
            FeatherPixels = FeatherPixels,
            Count = Operation.CanCount ? Math.Clamp(Count, 1, JobSettings.MaxCount) : 1,
            Inputs = inputs.Where(i => i.Choice != InputField.None).ToImmutableSortedDictionary(i => i.Name, i => i.Choice),
        };
        return invalid is null;
    }

    private void BuildParameters()
    {
        if (catalog is null)
            return;
        var fields = catalog.ParametersFor(Operation.Name, engine, model).Select(p => new ParameterField(p)).ToList();
        // kept per operation (the token is this operation's) and per engine and model: another engine's values may mean other things
        if (previous is not null && previous.Engine == engine && previous.Model == model)
        {
            foreach (var field in fields)
            {
                if (previous.Parameters.TryGetValue(field.Name, out var value) && !field.TrySetValue(value))
                    field.Reset();
            }
        }

        Parameters = fields;
    }

    private void BuildInputs()
    {
        if (catalog is null)
            return;
        var offered = pictures?.Names ?? [];
        var fields = catalog.InputsFor(Operation.Name, engine, model).Select(i => new InputField(i, offered)).ToList();
        foreach (var field in fields)
        {
            if (previous is not null && previous.Inputs.TryGetValue(field.Name, out var choice) && field.Choices.Contains(choice))
                field.Choice = choice;
            else if (field.Required && offered.Count > 0)
                field.Choice = offered[0];
        }

        Inputs = fields;
    }

    private void BuildModels(string wanted)
    {
        if (catalog is null)
            return;
        Models = [OperationCatalog.AutomaticModel, .. catalog.ModelsFor(Operation.Name, engine)];
        var chosen = models.Contains(wanted) ? wanted : OperationCatalog.AutomaticModel;
        if (chosen != model)
        {
            model = chosen;
            Changed(nameof(Model));
        }
    }

    private string? CheckSelection(bool requiresMask)
    {
        try
        {
            JobInput.ReadSelection(document, requiresMask);
            return null;
        }
        catch (EditorBridgeProblem e)
        {
            return e.Message;
        }
    }

    private void Fail(DialogState newState, string message)
    {
        Error = message;
        Progress = 0;
        Status = newState == DialogState.Unavailable ? "Cannot run." : "Failed. Nothing was changed.";
        State = newState;
    }

    private void Set<T>(ref T field, T value, params string[] names)
    {
        if (EqualityComparer<T>.Default.Equals(field, value))
            return;
        field = value;
        foreach (var name in names)
            Changed(name);
    }

    private void Changed(string name)
    {
        var handler = PropertyChanged;
        if (handler is null)
            return;
        var args = new PropertyChangedEventArgs(name);
        if (ui is null || SynchronizationContext.Current == ui)
            handler(this, args);
        else
            ui.Post(_ => handler(this, args), null);
    }
}
