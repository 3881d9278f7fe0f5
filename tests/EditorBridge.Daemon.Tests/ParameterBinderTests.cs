using EditorBridge.Daemon.Core;
using EditorBridge.Daemon.Wire;
using EditorBridge.Engines;
using Google.Protobuf.WellKnownTypes;

namespace EditorBridge.Daemon.Tests;

public sealed class ParameterBinderTests
{
    private static readonly OperationDescriptor Operation = new("fill", "",
    [
        new ParameterDescriptor("method", ParameterKind.Choice, "", "auto", Choices: ["auto", "telea"]),
        new ParameterDescriptor("radius", ParameterKind.Number, "", 5.0, 1, 50),
        new ParameterDescriptor("size", ParameterKind.Integer, "", 7.0, 3, 21),
        new ParameterDescriptor("fast", ParameterKind.Boolean, "", false),
        new ParameterDescriptor("note", ParameterKind.Text, "", ""),
    ]);

    [Fact]
    public void Defaults_are_filled_in_and_given_values_kept()
    {
        var bound = ParameterBinder.Bind(Operation, Struct(("radius", Value.ForNumber(3)), ("fast", Value.ForBool(true))));
        Assert.Equal("auto", bound["method"]);
        Assert.Equal(3.0, bound["radius"]);
        Assert.Equal(7.0, bound["size"]);
        Assert.Equal(true, bound["fast"]);
    }

    public static TheoryData<string, Value, string> BadValues => new()
    {
        { "radius", Value.ForNumber(double.NaN), "not a finite number" },
        { "radius", Value.ForNumber(double.PositiveInfinity), "not a finite number" },
        { "radius", Value.ForNumber(0.5), "outside 1..50" },
        { "radius", Value.ForString("5"), "expected a number" },
        { "size", Value.ForNumber(7.5), "not a whole number" },
        { "method", Value.ForString("magic"), "not one of: auto, telea" },
        { "method", Value.ForNumber(1), "not one of" },
        { "fast", Value.ForString("yes"), "expected true or false" },
        { "note", Value.ForString(new string('x', 5000)), "limit 4096" },
        { "colour", Value.ForString("red"), "unknown parameter" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Bad_values_are_refused_naming_the_parameter(string name, Value value, string why)
    {
        var e = Assert.Throws<RequestException>(() => ParameterBinder.Bind(Operation, Struct((name, value))));
        Assert.Equal(DaemonError.Invalid, e.Error);
        Assert.Equal($"parameters.{name}", e.Field);
        Assert.Contains(why, e.Message);
    }

    private static Struct Struct(params (string Name, Value Value)[] fields)
    {
        var s = new Struct();
        foreach (var (name, value) in fields)
            s.Fields[name] = value;
        return s;
    }
}
