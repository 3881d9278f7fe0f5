using System.Globalization;
using EditorBridge.Daemon.Core;
using EditorBridge.Engines;
using Google.Protobuf.WellKnownTypes;

namespace EditorBridge.Daemon.Wire;

/// <summary>
/// Checks request parameters against an operation's declared parameters and fills in defaults:
/// unknown names, wrong types, NaN/infinite numbers, out-of-range values and unknown choices are
/// refused with the parameter named, and so is a missing required one.
/// </summary>
public static class ParameterBinder
{
    public const int MaxTextLength = 4096;

    public static IReadOnlyDictionary<string, object> Bind(OperationDescriptor operation, Struct? parameters)
    {
        var declared = operation.Parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var bound = operation.Parameters.ToDictionary(p => p.Name, p => p.Default, StringComparer.Ordinal);
        foreach (var (name, value) in parameters?.Fields ?? [])
        {
            var field = $"parameters.{Quoted.Short(name)}";
            if (!declared.TryGetValue(name, out var parameter))
                throw RequestException.Invalid(field, $"unknown parameter for '{operation.Name}'; known: {string.Join(", ", declared.Keys)}");
            bound[name] = Convert(parameter, value, field);
        }

        foreach (var parameter in operation.Parameters.Where(p => p.Required && !(parameters?.Fields.ContainsKey(p.Name) ?? false)))
            throw RequestException.Invalid($"parameters.{parameter.Name}", $"missing; '{operation.Name}' needs it ({parameter.Description})");
        return bound;
    }

    public static Struct ToStruct(IReadOnlyDictionary<string, object> parameters)
    {
        var result = new Struct();
        foreach (var (name, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
            result.Fields[name] = ToValue(value);
        return result;
    }

    public static Value ToValue(object value) => value switch
    {
        bool b => Value.ForBool(b),
        string s => Value.ForString(s),
        IConvertible n => Value.ForNumber(n.ToDouble(CultureInfo.InvariantCulture)),
        _ => Value.ForString(value.ToString() ?? ""),
    };

    private static object Convert(ParameterDescriptor parameter, Value value, string field) => parameter.Kind switch
    {
        ParameterKind.Number => Number(parameter, value, field, integer: false),
        ParameterKind.Integer => Number(parameter, value, field, integer: true),
        ParameterKind.Boolean => value.KindCase == Value.KindOneofCase.BoolValue
            ? value.BoolValue
            : throw RequestException.Invalid(field, $"expected true or false, got {Describe(value)}"),
        ParameterKind.Choice => Choice(parameter, value, field),
        _ => Text(value, field),
    };

    private static double Number(ParameterDescriptor parameter, Value value, string field, bool integer)
    {
        if (value.KindCase != Value.KindOneofCase.NumberValue)
            throw RequestException.Invalid(field, $"expected a number, got {Describe(value)}");
        double n = value.NumberValue;
        if (!double.IsFinite(n))
            throw RequestException.Invalid(field, $"{n} is not a finite number");
        if (integer && n != Math.Floor(n))
            throw RequestException.Invalid(field, $"{n} is not a whole number");
        if (n < parameter.Minimum || n > parameter.Maximum)
            throw RequestException.Invalid(field, $"{n} is outside {parameter.Minimum}..{parameter.Maximum}");
        return n;
    }

    private static string Choice(ParameterDescriptor parameter, Value value, string field)
    {
        var choices = parameter.Choices ?? [];
        if (value.KindCase != Value.KindOneofCase.StringValue || !choices.Contains(value.StringValue, StringComparer.Ordinal))
            throw RequestException.Invalid(field, $"{Describe(value)} is not one of: {string.Join(", ", choices)}");
        return value.StringValue;
    }

    private static string Text(Value value, string field)
    {
        if (value.KindCase != Value.KindOneofCase.StringValue)
            throw RequestException.Invalid(field, $"expected text, got {Describe(value)}");
        if (value.StringValue.Length > MaxTextLength)
            throw RequestException.Invalid(field, $"{value.StringValue.Length} characters, limit {MaxTextLength}");
        return value.StringValue;
    }

    private static string Describe(Value value) => value.KindCase switch
    {
        Value.KindOneofCase.StringValue => $"'{Quoted.Short(value.StringValue)}'",
        Value.KindOneofCase.NumberValue => value.NumberValue.ToString(CultureInfo.InvariantCulture),
        Value.KindOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        Value.KindOneofCase.NullValue => "null",
        Value.KindOneofCase.StructValue => "an object",
        Value.KindOneofCase.ListValue => "a list",
        _ => "nothing",
    };
}
