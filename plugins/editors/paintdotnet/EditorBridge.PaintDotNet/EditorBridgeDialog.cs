using System.ComponentModel;
using System.Drawing;
using System.Drawing.Imaging;
using System.Globalization;
using System.Windows.Forms;
using EditorBridge.PaintDotNet.Core;
using EditorBridge.Protocol.V1;
using PaintDotNet;
using PaintDotNet.Effects;
using PixelFormat = System.Drawing.Imaging.PixelFormat;

namespace EditorBridge.PaintDotNet;

/// <summary>
/// The dialog: prompt, engine, model, the operation's parameters (from the daemon's GetInfo), a progress
/// bar with the daemon's preview, OK and Cancel. Widgets only: what they show and do is
/// <see cref="EffectDialogViewModel"/>'s, which never blocks this thread.
/// </summary>
internal sealed class EditorBridgeDialog : EffectConfigForm<EditorBridgeEffect, EditorBridgeToken>
{
    private readonly PluginOperation operation;
    private readonly ComboBox engineBox = new() { DropDownStyle = ComboBoxStyle.DropDownList, Width = 220 };
    private readonly ComboBox modelBox = new() { DropDownStyle = ComboBoxStyle.DropDownList, Width = 220 };
    private readonly TextBox promptBox = new() { Multiline = true, Height = 60, Width = 360, ScrollBars = ScrollBars.Vertical };
    private readonly TextBox negativeBox = new() { Width = 360 };
    private readonly TextBox seedBox = new() { Width = 160 };
    private readonly NumericUpDown growBox = new() { Minimum = 0, Maximum = 256, Width = 80 };
    private readonly NumericUpDown featherBox = new() { Minimum = 0, Maximum = 256, Width = 80 };
    private readonly TableLayoutPanel parameterPanel = new() { ColumnCount = 2, AutoSize = true, Dock = DockStyle.Top };
    private readonly PictureBox previewBox = new() { Width = 256, Height = 256, SizeMode = PictureBoxSizeMode.Zoom, BorderStyle = BorderStyle.FixedSingle };
    private readonly ProgressBar progressBar = new() { Width = 360, Height = 18, Maximum = 1000 };
    private readonly Label statusLabel = new() { AutoSize = true, MaximumSize = new Size(640, 0) };
    private readonly Label errorLabel = new() { AutoSize = true, MaximumSize = new Size(640, 0), ForeColor = Color.Firebrick };
    private readonly Button okButton = new() { Text = "OK", Width = 90 };
    private readonly Button cancelButton = new() { Text = "Cancel", Width = 90 };
    private readonly ToolTip tips = new();
    private readonly Panel choicesHost = new() { AutoSize = true };
    private ChoicesPanel? choices;
    private EffectDialogViewModel? model;
    private JobSettings? previous;
    private bool updatingControls;

    public EditorBridgeDialog(PluginOperation operation)
    {
        this.operation = operation;
        Text = $"EditorBridge — {operation.MenuName}";
        FormBorderStyle = FormBorderStyle.FixedDialog;
        MaximizeBox = MinimizeBox = false;
        AutoSize = true;
        AutoSizeMode = AutoSizeMode.GrowAndShrink;
        StartPosition = FormStartPosition.CenterParent;
        BuildLayout();
    }

    protected override EffectConfigToken OnCreateInitialToken() => new EditorBridgeToken();

    protected override void OnUpdateDialogFromToken(EditorBridgeToken token) => previous = token.Settings;

    protected override void OnUpdateTokenFromDialog(EditorBridgeToken token)
    {
        if (model is null)
            return;
        token.Settings = model.CurrentSettings();
        token.Outcome = model.Outcome;
    }

    protected override void OnLoaded()
    {
        base.OnLoaded();
        var document = PaintDotNetDocument.Of(Environment.Document.Size, Environment.Selection, () => Environment.GetSourceBitmapBgra32());
        model = new EffectDialogViewModel(operation, new DaemonGateway(), document, new WindowsClipboard(), previous, new WindowsClipboardPicture());
        model.PropertyChanged += OnModelChanged;
        choices = new ChoicesPanel(model, Observe);
        choicesHost.Controls.Add(choices);
        model.Completed += (_, _) =>
        {
            UpdateTokenFromDialog();
            DialogResult = DialogResult.OK;
            Close();
        };
        ShowModel();
        _ = Observe(model.LoadAsync());
    }

    protected override void OnFormClosing(FormClosingEventArgs e)
    {
        model?.Cancel();
        base.OnFormClosing(e);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            model?.Dispose();
            previewBox.Image?.Dispose();
            tips.Dispose();
        }

        base.Dispose(disposing);
    }

    private void BuildLayout()
    {
        var root = new TableLayoutPanel { ColumnCount = 2, AutoSize = true, Dock = DockStyle.Fill, Padding = new Padding(10) };
        var settings = new TableLayoutPanel { ColumnCount = 2, AutoSize = true };
        AddRow(settings, "Engine", engineBox);
        AddRow(settings, "Model", modelBox);
        AddRow(settings, "Prompt", promptBox);
        AddRow(settings, "Negative prompt", negativeBox);
        AddRow(settings, "Seed (empty = random)", seedBox);
        AddRow(settings, "Grow selection (px)", growBox);
        AddRow(settings, "Soft edge (px)", featherBox);

        var left = new FlowLayoutPanel { FlowDirection = FlowDirection.TopDown, AutoSize = true, WrapContents = false };
        left.Controls.Add(new Label { Text = operation.Description, AutoSize = true, MaximumSize = new Size(480, 0) });
        left.Controls.Add(settings);
        left.Controls.Add(parameterPanel);
        left.Controls.Add(choicesHost);
        left.Controls.Add(progressBar);
        left.Controls.Add(statusLabel);
        left.Controls.Add(errorLabel);
        left.Controls.Add(new Label
        {
            Text = "Paint.NET effects cannot add layers. " + EffectDialogViewModel.ClipboardNote,
            AutoSize = true,
            MaximumSize = new Size(480, 0),
            ForeColor = SystemColors.GrayText,
        });
        var buttons = new FlowLayoutPanel { FlowDirection = FlowDirection.RightToLeft, AutoSize = true, Dock = DockStyle.Fill };
        buttons.Controls.Add(cancelButton);
        buttons.Controls.Add(okButton);
        left.Controls.Add(buttons);

        root.Controls.Add(left, 0, 0);
        root.Controls.Add(previewBox, 1, 0);
        Controls.Add(root);
        AcceptButton = okButton;

        engineBox.Format += (_, e) => e.Value = e.ListItem as string is { Length: 0 } ? "Best installed" : e.ListItem;
        engineBox.SelectedIndexChanged += (_, _) =>
        {
            if (!updatingControls && model is not null && engineBox.SelectedItem is string engine)
                model.Engine = engine;
        };
        modelBox.Format += (_, e) => e.Value = e.ListItem as string is { Length: 0 } ? "Automatic" : e.ListItem;
        modelBox.SelectedIndexChanged += (_, _) =>
        {
            if (!updatingControls && model is not null && modelBox.SelectedItem is string chosen)
                model.Model = chosen;
        };
        promptBox.TextChanged += (_, _) => Push(m => m.Prompt = promptBox.Text);
        negativeBox.TextChanged += (_, _) => Push(m => m.NegativePrompt = negativeBox.Text);
        seedBox.TextChanged += (_, _) => Push(m => m.SeedText = seedBox.Text);
        growBox.ValueChanged += (_, _) => Push(m => m.GrowPixels = (int)growBox.Value);
        featherBox.ValueChanged += (_, _) => Push(m => m.FeatherPixels = (int)featherBox.Value);
        okButton.Click += (_, _) =>
        {
            if (model is not null)
                _ = Observe(model.RunAsync());
        };
        cancelButton.Click += (_, _) =>
        {
            if (model is not null && model.Cancel())
                return; // the job stops; the dialog stays open
            DialogResult = DialogResult.Cancel;
            Close();
        };
    }

    private static void AddRow(TableLayoutPanel panel, string label, Control control)
    {
        panel.Controls.Add(new Label { Text = label, AutoSize = true, Anchor = AnchorStyles.Left, Margin = new Padding(3, 6, 3, 3) });
        panel.Controls.Add(control);
    }

    private void Push(Action<EffectDialogViewModel> change)
    {
        if (!updatingControls && model is not null)
            change(model);
    }

    private void OnModelChanged(object? sender, PropertyChangedEventArgs e)
    {
        if (IsDisposed)
            return;
        if (e.PropertyName == nameof(EffectDialogViewModel.Parameters))
            BuildParameterControls();
        else if (e.PropertyName == nameof(EffectDialogViewModel.Preview))
            ShowPreview(model?.Preview);
        choices?.Refresh(e.PropertyName);
        ShowModel();
    }

    private void ShowModel()
    {
        if (model is not { } m)
            return;
        updatingControls = true;
        try
        {
            if (!engineBox.Items.Cast<string>().SequenceEqual(m.Engines))
            {
                engineBox.Items.Clear();
                foreach (var engine in m.Engines)
                    engineBox.Items.Add(engine);
            }

            engineBox.SelectedItem = m.Engine;
            if (!modelBox.Items.Cast<string>().SequenceEqual(m.Models))
            {
                modelBox.Items.Clear();
                foreach (var name in m.Models)
                    modelBox.Items.Add(name);
            }

            modelBox.SelectedItem = m.Model;
            if (promptBox.Text != m.Prompt)
                promptBox.Text = m.Prompt;
            if (negativeBox.Text != m.NegativePrompt)
                negativeBox.Text = m.NegativePrompt;
            if (seedBox.Text != m.SeedText)
                seedBox.Text = m.SeedText;
            growBox.Value = Math.Clamp(m.GrowPixels, 0, 256);
            featherBox.Value = Math.Clamp(m.FeatherPixels ?? 0, 0, 256);

            bool editable = m.CanEdit;
            foreach (var control in new Control[] { engineBox, modelBox, promptBox, negativeBox, seedBox, growBox, featherBox, parameterPanel })
                control.Enabled = editable;
            okButton.Enabled = m.CanRun;
            cancelButton.Text = m.State == DialogState.Running ? "Stop" : "Cancel";
            progressBar.Style = m.IsBusy && m.Progress is null ? ProgressBarStyle.Marquee : ProgressBarStyle.Continuous;
            progressBar.Value = (int)Math.Round(Math.Clamp(m.Progress ?? 0, 0, 1) * 1000);
            statusLabel.Text = m.Status;
            errorLabel.Text = m.Error ?? "";
            errorLabel.Visible = m.Error is not null;
        }
        finally
        {
            updatingControls = false;
        }
    }

    private void BuildParameterControls()
    {
        parameterPanel.SuspendLayout();
        parameterPanel.Controls.Clear();
        foreach (var field in model?.Parameters ?? [])
        {
            Control control = field.Kind switch
            {
                ParameterKind.Number or ParameterKind.Integer => MakeNumberBox(field),
                ParameterKind.Boolean => MakeCheckBox(field),
                ParameterKind.Choice => MakeChoiceBox(field),
                _ => MakeTextBox(field),
            };
            tips.SetToolTip(control, field.Description);
            AddRow(parameterPanel, field.Label, control);
        }

        parameterPanel.ResumeLayout();
    }

    private static NumericUpDown MakeNumberBox(ParameterField field)
    {
        bool whole = field.Kind == ParameterKind.Integer;
        var box = new NumericUpDown
        {
            DecimalPlaces = whole ? 0 : 3,
            Increment = whole ? 1 : 0.01m,
            Minimum = (decimal)(field.Minimum ?? -1_000_000),
            Maximum = (decimal)(field.Maximum ?? 1_000_000),
            Width = 100,
        };
        box.Value = Math.Clamp((decimal)(double)field.Value, box.Minimum, box.Maximum);
        box.ValueChanged += (_, _) => field.TrySetText(box.Value.ToString(CultureInfo.InvariantCulture));
        return box;
    }

    private static CheckBox MakeCheckBox(ParameterField field)
    {
        var box = new CheckBox { Checked = (bool)field.Value, AutoSize = true };
        box.CheckedChanged += (_, _) => field.TrySetText(box.Checked ? "true" : "false");
        return box;
    }

    private static ComboBox MakeChoiceBox(ParameterField field)
    {
        var box = new ComboBox { DropDownStyle = ComboBoxStyle.DropDownList, Width = 160 };
        foreach (var choice in field.Choices)
            box.Items.Add(choice);
        box.SelectedItem = field.Value;
        box.SelectedIndexChanged += (_, _) => field.TrySetText(box.SelectedItem as string ?? "");
        return box;
    }

    private static TextBox MakeTextBox(ParameterField field)
    {
        var box = new TextBox { Text = (string)field.Value, Width = 240 };
        box.TextChanged += (_, _) => field.TrySetText(box.Text);
        return box;
    }

    private unsafe void ShowPreview(BgraImage? image)
    {
        var old = previewBox.Image;
        if (image is null)
        {
            previewBox.Image = null;
            old?.Dispose();
            return;
        }

        // Format32bppArgb is BGRA in memory with straight alpha: the same bytes as Paint.NET's pixels
        var bitmap = new Bitmap(image.Bounds.Width, image.Bounds.Height, PixelFormat.Format32bppArgb);
        var data = bitmap.LockBits(new Rectangle(0, 0, bitmap.Width, bitmap.Height), ImageLockMode.WriteOnly, PixelFormat.Format32bppArgb);
        try
        {
            for (int y = 0; y < bitmap.Height; y++)
                image.Pixels.AsSpan(y * image.Stride, image.Stride).CopyTo(new Span<byte>((byte*)data.Scan0 + (long)y * data.Stride, image.Stride));
        }
        finally
        {
            bitmap.UnlockBits(data);
        }

        previewBox.Image = bitmap;
        old?.Dispose();
    }

    /// <summary>Keeps an unexpected failure of a background task from vanishing: it shows in the dialog.</summary>
    private async Task Observe(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception e) when (!IsDisposed)
        {
            errorLabel.Text = $"Unexpected error: {e.Message}";
            errorLabel.Visible = true;
        }
    }
}
