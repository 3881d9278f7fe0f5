using System.Reflection;
using System.Reflection.Emit;

namespace EditorBridge.Daemon.Tests;

/// <summary>
/// The types a type refers to: in its signatures (base type, interfaces, fields, properties, method
/// parameters and returns, locals, attributes, generic arguments) and in its method bodies (the
/// tokens of calls, field accesses, object creations, casts and typeof, read from the IL). What
/// compiles to a bare constant (an enum member cast to int) leaves no reference and is not seen.
/// </summary>
internal static class TypeReferences
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly OpCode?[] OneByte = new OpCode?[256];
    private static readonly OpCode?[] TwoByte = new OpCode?[256];

    static TypeReferences()
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var op = (OpCode)field.GetValue(null)!;
            var value = (ushort)op.Value;
            if ((value & 0xFF00) == 0xFE00)
                TwoByte[value & 0xFF] = op;
            else
                OneByte[value] = op;
        }
    }

    /// <summary>"type → referenced type" for every reference of <paramref name="types"/> into a namespace starting with one of <paramref name="forbidden"/>.</summary>
    public static List<string> Violations(IEnumerable<Type> types, IReadOnlyList<string> forbidden) =>
        [.. types
            .SelectMany(type => Of(type).Select(referenced => (type, referenced)))
            .Where(r => r.referenced.Namespace is { } ns && forbidden.Any(f => ns == f || ns.StartsWith(f + ".", StringComparison.Ordinal)))
            .Select(r => $"{r.type.FullName} → {r.referenced.FullName}")
            .Distinct()
            .Order(StringComparer.Ordinal)];

    public static IEnumerable<Type> Of(Type type)
    {
        var found = new List<Type>();
        if (type.BaseType is { } baseType)
            found.Add(baseType);
        found.AddRange(type.GetInterfaces());
        found.AddRange(type.CustomAttributes.Select(a => a.AttributeType));
        foreach (var field in type.GetFields(Declared))
            found.Add(field.FieldType);
        foreach (var property in type.GetProperties(Declared))
            found.Add(property.PropertyType);
        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (method is MethodInfo info)
                found.Add(info.ReturnType);
            found.AddRange(method.GetParameters().Select(p => p.ParameterType));
            found.AddRange(method.CustomAttributes.Select(a => a.AttributeType));
            found.AddRange(InBody(method));
        }

        return found.SelectMany(Expand).Distinct();
    }

    private static IEnumerable<Type> InBody(MethodBase method)
    {
        var body = method.GetMethodBody();
        if (body is null)
            yield break;
        foreach (var local in body.LocalVariables)
            yield return local.LocalType;
        var il = body.GetILAsByteArray() ?? [];
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method is MethodInfo { IsGenericMethod: true } ? method.GetGenericArguments() : null;
        for (int i = 0; i < il.Length;)
        {
            var op = il[i] == 0xFE ? TwoByte[il[i + 1]] : OneByte[il[i]];
            i += il[i] == 0xFE ? 2 : 1;
            if (op is null)
                throw new InvalidDataException($"{method.DeclaringType}.{method.Name}: unknown opcode at IL offset {i}");
            switch (op.Value.OperandType)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    i += 1;
                    break;
                case OperandType.InlineVar:
                    i += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    i += 8;
                    break;
                case OperandType.InlineSwitch:
                    i += 4 + 4 * BitConverter.ToInt32(il, i);
                    break;
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineType or OperandType.InlineTok:
                    var member = method.Module.ResolveMember(BitConverter.ToInt32(il, i), typeArguments, methodArguments);
                    i += 4;
                    foreach (var t in Signature(member))
                        yield return t;
                    break;
                default:
                    // InlineI, InlineBrTarget, ShortInlineR, InlineString, InlineSig: a 4-byte operand naming no type
                    i += 4;
                    break;
            }
        }
    }

    private static IEnumerable<Type> Signature(MemberInfo? member)
    {
        switch (member)
        {
            case Type type:
                yield return type;
                break;
            case FieldInfo field:
                yield return field.DeclaringType!;
                yield return field.FieldType;
                break;
            case MethodBase method:
                if (method.DeclaringType is { } declaring)
                    yield return declaring;
                if (method is MethodInfo info)
                    yield return info.ReturnType;
                foreach (var p in method.GetParameters())
                    yield return p.ParameterType;
                if (method is MethodInfo { IsGenericMethod: true })
                    foreach (var argument in method.GetGenericArguments())
                        yield return argument;
                break;
        }
    }

    // Arrays, by-refs, pointers and generic arguments refer to their parts too.
    private static IEnumerable<Type> Expand(Type type)
    {
        yield return type;
        if (type.HasElementType)
            foreach (var t in Expand(type.GetElementType()!))
                yield return t;
        if (type.IsGenericType && !type.IsGenericTypeDefinition)
            foreach (var t in type.GetGenericArguments().SelectMany(Expand))
                yield return t;
    }
}
