using System.Windows.Forms;
using EditorBridge.PaintDotNet.Core;

namespace EditorBridge.PaintDotNet;

/// <summary>
/// The dialog's extra rows: a picture picker per input of the operation (GetInfo's inputs), how
/// many results to make, the result picker with "Use this result" after a run with several, and
/// "Reset" for the parameters. Widgets only, over <see cref="EffectDialogViewModel"/>.
/// </summary>
internal sealed class ChoicesPanel : TableLayoutPanel
{
    private readonly EffectDialogViewModel model;
    private readonly Func<Task, Task> observe;
    private readonly NumericUpDown countBox = new() { Minimum = 1, Maximum = JobSettings.MaxCount, Width = 60 };
    private readonly ComboBox resultBox = new() { DropDownStyle = ComboBoxStyle.DropDownList, Width = 220 };
    private readonly Button useButton = new() { Text = "Use this result", AutoSize = true };
    private readonly Button resetButton = new() { Text = "Reset settings", AutoSize = true };
    private readonly TableLayoutPanel inputPanel = new() { ColumnCount = 2, AutoSize = true };

    public ChoicesPanel(EffectDialogViewModel model, Func<Task, Task> observe)
    {
        this.model = model;
        this.observe = observe;
        ColumnCount = 2;
        AutoSize = true;
        Controls.Add(inputPanel);
        SetColumnSpan(inputPanel, 2);
        if (model.Operation.CanCount)
        {
            Controls.Add(new Label { Text = "Results", AutoSize = true, Anchor = AnchorStyles.Left });
            Controls.Add(countBox);
            countBox.Value = Math.Clamp(model.Count, 1, JobSettings.MaxCount);
            countBox.ValueChanged += (_, _) => model.Count = (int)countBox.Value;
            Controls.Add(resultBox);
            Controls.Add(useButton);
        }

        Controls.Add(resetButton);
        resultBox.SelectedIndexChanged += (_, _) => model.ChosenResult = resultBox.SelectedIndex;
        useButton.Click += (_, _) => _ = observe(model.AcceptAsync());
        resetButton.Click += (_, _) => model.ResetParameters();
        Refresh(nameof(EffectDialogViewModel.Inputs));
    }

    /// <summary>Called when the view model's property <paramref name="property"/> changed.</summary>
    public void Refresh(string? property)
    {
        if (property == nameof(EffectDialogViewModel.Inputs))
            BuildInputs();
        if (property is nameof(EffectDialogViewModel.Results) or nameof(EffectDialogViewModel.ChosenResult))
        {
            resultBox.Items.Clear();
            foreach (var result in model.Results)
                resultBox.Items.Add($"Seed {result.Seed}");
            if (model.Results.Count > 0)
                resultBox.SelectedIndex = model.ChosenResult;
        }

        bool several = model.Results.Count > 1 && model.State == DialogState.Succeeded;
        resultBox.Visible = useButton.Visible = several;
        countBox.Enabled = resetButton.Enabled = inputPanel.Enabled = model.CanEdit;
    }

    private void BuildInputs()
    {
        inputPanel.SuspendLayout();
        inputPanel.Controls.Clear();
        foreach (var field in model.Inputs)
        {
            var box = new ComboBox { DropDownStyle = ComboBoxStyle.DropDownList, Width = 160 };
            foreach (var choice in field.Choices)
                box.Items.Add(choice.Length == 0 ? "None" : choice);
            box.SelectedIndex = Math.Max(0, field.Choices.ToList().IndexOf(field.Choice));
            box.SelectedIndexChanged += (_, _) => field.Choice = field.Choices[Math.Max(0, box.SelectedIndex)];
            inputPanel.Controls.Add(new Label { Text = field.Label, AutoSize = true, Anchor = AnchorStyles.Left });
            inputPanel.Controls.Add(box);
        }

        inputPanel.ResumeLayout();
    }
}
