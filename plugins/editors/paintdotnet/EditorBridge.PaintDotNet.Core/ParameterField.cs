using System.ComponentModel;
using System.Globalization;
using EditorBridge.Protocol.V1;

namespace EditorBridge.PaintDotNet.Core;

/// <summary>
/// One operation parameter in the dialog, built from GetInfo's <see cref="ParameterInfo"/>: its
/// kind picks the control (number box, check box, drop-down, text box); values are checked
/// against its range and choices before a job is sent.
/// </summary>
public sealed class ParameterField : INotifyPropertyChanged
{
    private object value;
    private string text;
    private string? error;

    public ParameterField(ParameterInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        Name = info.Name;
        Kind = info.Kind;
        Description = info.Description;
        Minimum = info.HasMinimum ? info.Minimum : null;
        Maximum = info.HasMaximum ? info.Maximum : null;
        Choices = [.. info.Choices];
        Default = FromWire(info);
        value = Default;
        text = Format(Default);
    }

    public event PropertyChangedEventHandler? PropertyChanged;

    public string Name { get; }

    /// <summary>"patch_size" → "Patch size".</summary>
    public string Label => Name.Length == 0 ? Name : char.ToUpperInvariant(Name[0]) + Name[1..].Replace('_', ' ');

    public ParameterKind Kind { get; }

    public string Description { get; }

    public double? Minimum { get; }

    public double? Maximum { get; }

    public IReadOnlyList<string> Choices { get; }

    public object Default { get; }

    /// <summary>The value to send: <see cref="double"/>, <see cref="bool"/> or <see cref="string"/>.</summary>
    public object Value => value;

    /// <summary>The value as the painter typed it.</summary>
    public string Text => text;

    /// <summary>Why <see cref="Text"/> is not a valid value; null when it is.</summary>
    public string? Error => error;

    /// <summary>Sets the value from what the painter typed or picked; false (with <see cref="Error"/>) when it is not valid.</summary>
    public bool TrySetText(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        text = input;
        error = Parse(input, out var parsed);
        if (error is null)
            value = parsed!;
        Changed(nameof(Text));
        Changed(nameof(Error));
        Changed(nameof(Value));
        return error is null;
    }

    /// <summary>Sets a typed value (a previous run's), ignoring one of the wrong kind or out of range.</summary>
    public bool TrySetValue(object previous) => previous switch
    {
        double d when Kind is ParameterKind.Number or ParameterKind.Integer => TrySetText(Format(d)),
        bool b when Kind == ParameterKind.Boolean => TrySetText(Format(b)),
        string s when Kind is ParameterKind.Choice or ParameterKind.Text => TrySetText(s),
        _ => false,
    };

    public void Reset() => TrySetText(Format(Default));

    private string? Parse(string input, out object? parsed)
    {
        parsed = null;
        switch (Kind)
        {
            case ParameterKind.Number:
            case ParameterKind.Integer:
                if (!double.TryParse(input.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                    && !double.TryParse(input.Trim(), NumberStyles.Float, CultureInfo.CurrentCulture, out number))
                    return $"{Label}: '{input}' is not a number";
                if (!double.IsFinite(number))
                    return $"{Label}: must be a finite number";
                if (Kind == ParameterKind.Integer && number != Math.Floor(number))
                    return $"{Label}: must be a whole number";
                if (Minimum is { } min && number < min)
                    return $"{Label}: {Format(number)} is below the minimum {Format(min)}";
                if (Maximum is { } max && number > max)
                    return $"{Label}: {Format(number)} is above the maximum {Format(max)}";
                parsed = number;
                return null;
            case ParameterKind.Boolean:
                if (!bool.TryParse(input.Trim(), out var flag))
                    return $"{Label}: '{input}' is not true or false";
                parsed = flag;
                return null;
            case ParameterKind.Choice:
                if (!Choices.Contains(input))
                    return $"{Label}: '{input}' is not one of {string.Join(", ", Choices)}";
                parsed = input;
                return null;
            default:
                parsed = input;
                return null;
        }
    }

    private static object FromWire(ParameterInfo info)
    {
        var v = info.DefaultValue;
        return info.Kind switch
        {
            ParameterKind.Number or ParameterKind.Integer => v?.KindCase == Google.Protobuf.WellKnownTypes.Value.KindOneofCase.NumberValue ? v.NumberValue : info.HasMinimum ? info.Minimum : 0.0,
            ParameterKind.Boolean => v?.KindCase == Google.Protobuf.WellKnownTypes.Value.KindOneofCase.BoolValue && v.BoolValue,
            ParameterKind.Choice => v?.KindCase == Google.Protobuf.WellKnownTypes.Value.KindOneofCase.StringValue ? v.StringValue : info.Choices.FirstOrDefault() ?? "",
            _ => v?.KindCase == Google.Protobuf.WellKnownTypes.Value.KindOneofCase.StringValue ? v.StringValue : "",
        };
    }

    private static string Format(object v) => v switch
    {
        double d => d.ToString("0.######", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => v.ToString() ?? "",
    };

    private void Changed(string property) => PropertyChanged?.Invoke(this, new PropertyChangedEventArgs(property));
}
