using EditorBridge.Stress;
using System.Reflection;
using System.Security.Cryptography;
using EditorBridge.Daemon.Security;
using Microsoft.AspNetCore.Http;

namespace EditorBridge.Reliability.Tests;

/// <summary>
/// The token is compared in constant time by construction, which no clock on a busy machine can show
/// (the times are reported by the benchmark, tests/EditorBridge.Bench "timings", and the reliability
/// report): the check calls <see cref="CryptographicOperations.FixedTimeEquals"/> and no comparison that
/// stops at the first difference, and it compares every byte (a token wrong in any single byte is refused).
/// </summary>
public sealed class TokenComparisonTests
{
    private static readonly string Token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void The_check_compares_with_FixedTimeEquals_and_with_nothing_that_stops_early()
    {
        var called = CalledMethods(typeof(BearerToken).GetMethod(nameof(BearerToken.Check))!).ToList();

        Assert.Contains(called, m => m.DeclaringType == typeof(CryptographicOperations) && m.Name == nameof(CryptographicOperations.FixedTimeEquals));
        var early = called.Where(m => m.Name is "SequenceEqual" or "SequenceCompareTo" or "CompareOrdinal" or "op_Equality" or "Compare"
            || m.Name == "Equals" && m.DeclaringType != typeof(object)).Select(m => $"{m.DeclaringType?.Name}.{m.Name}").ToList();
        Assert.True(early.Count == 0, "the token check also calls " + string.Join(", ", early));
    }

    [Fact]
    public void A_token_wrong_in_any_single_byte_is_refused_and_the_right_one_accepted()
    {
        var check = new BearerToken(Token);

        Assert.Null(check.Check(Request(Token)));
        for (int i = 0; i < Token.Length; i++)
        {
            var wrong = Token[..i] + (Token[i] == 'a' ? 'b' : 'a') + Token[(i + 1)..];
            Assert.True(check.Check(Request(wrong)) is { } refused && refused.Message.Contains("wrong token"), $"a token wrong only at character {i} was accepted");
        }

        Assert.NotNull(check.Check(Request(Token[..^1])));
        Assert.NotNull(check.Check(Request(Token + "0")));
    }

    [Fact]
    public void Guard_the_method_scan_sees_an_early_exit_comparison()
    {
        var called = CalledMethods(typeof(TokenComparisonTests).GetMethod(nameof(EarlyExit), BindingFlags.NonPublic | BindingFlags.Static)!);

        Assert.Contains(called, m => m.Name == "SequenceEqual");
    }

    private static bool EarlyExit(byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b);

    private static HttpRequest Request(string token)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Authorization = "Bearer " + token;
        return context.Request;
    }

    /// <summary>The methods a method's IL calls (call, callvirt), resolved from their metadata tokens.</summary>
    private static IEnumerable<MethodBase> CalledMethods(MethodInfo method)
    {
        var il = method.GetMethodBody()!.GetILAsByteArray()!;
        var found = new List<MethodBase>();
        for (int i = 0; i + 4 < il.Length; i++)
        {
            if (il[i] is not (0x28 or 0x6F))
                continue;
            try
            {
                if (method.Module.ResolveMethod(BitConverter.ToInt32(il, i + 1), method.DeclaringType?.GetGenericArguments(), method.GetGenericArguments()) is { } callee)
                    found.Add(callee);
            }
            catch (ArgumentException)
            {
                // not a call's token: a byte of another instruction's operand
            }
        }

        return found;
    }
}
