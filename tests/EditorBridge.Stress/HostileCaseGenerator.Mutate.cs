using System.Text;
using System.Text.Json.Nodes;
using EditorBridge.Protocol.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace EditorBridge.Stress;

/// <summary>The changes a job request gets: random or at a boundary, one field at a time, each described.</summary>
public sealed partial class HostileCaseGenerator
{
    /// <summary>One random or boundary change to a job request; returns what it did.</summary>
    private string Mutate(Random r, JobRequest q)
    {
        var limits = info.Limits;
        switch (r.Next(24))
        {
            case 0:
                q.Operation = r.Pick("", r.Text(), "FILL", "fill ", "generate", "segment", "restore", r.TextOfLength(100_000));
                return $"operation = '{Observed.Shorten(q.Operation, 30)}'";
            case 1:
                q.Engine = r.Pick(r.Text(r.Next(1, 40)), "CLASSIC", "faults", r.TextOfLength(5000));
                return $"engine = '{Observed.Shorten(q.Engine, 30)}'";
            case 2:
                q.Layer = null;
                return "no layer";
            case 3 or 4:
                if (q.Layer is null)
                    return "-";
                if (r.Chance(0.5))
                    q.Layer.Width = r.BoundaryInt(q.Layer.Width, limits.MaxSide);
                else
                    q.Layer.Height = r.BoundaryInt(q.Layer.Height, limits.MaxSide);
                return $"layer {q.Layer.Width}x{q.Layer.Height}";
            case 5:
                if (q.Layer is null)
                    return "-";
                q.Layer.Format = (PixelFormat)r.Pick(0, 1, 2, 3, 99, -1, int.MaxValue, int.MinValue);
                return $"layer.format = {(int)q.Layer.Format}";
            case 6:
                if (q.Layer is null)
                    return "-";
                int offset = r.Pick(int.MinValue, int.MaxValue, 1 << 28, -(1 << 28), (1 << 28) + 1, -(1 << 28) - 1, r.Next(-100, 100), r.Next());
                if (r.Chance(0.5))
                    q.Layer.OffsetX = offset;
                else
                    q.Layer.OffsetY = offset;
                return $"layer offset ({q.Layer.OffsetX},{q.Layer.OffsetY})";
            case 7:
                if (q.Layer is null)
                    return "-";
                return ChangeBytes(r, q.Layer.PixelsCase == Image.PixelsOneofCase.Data ? q.Layer.Data : null, b => q.Layer.Data = b, () => q.Layer.ClearPixels(), "layer.data");
            case 8:
                if (q.Layer is null)
                    return "-";
                q.Layer.BlobId = HostileId(r);
                return $"layer.blob_id = '{Observed.Shorten(q.Layer.BlobId, 30)}'";
            case 9:
                q.Mask = null;
                return "no mask";
            case 10 or 11:
                if (q.Mask is null)
                    return "-";
                if (r.Chance(0.5))
                    q.Mask.Width = r.BoundaryInt(q.Mask.Width, limits.MaxSide);
                else
                    q.Mask.Height = r.BoundaryInt(q.Mask.Height, limits.MaxSide);
                return $"mask {q.Mask.Width}x{q.Mask.Height}";
            case 12:
                if (q.Mask is null)
                    return "-";
                int layerX = q.Layer?.OffsetX ?? 0;
                int at = r.Pick(int.MinValue, int.MaxValue, (1 << 28) + 1, layerX - 1, layerX, layerX + (q.Layer?.Width ?? 0), r.Next(-100, 100));
                if (r.Chance(0.5))
                    q.Mask.OffsetX = at;
                else
                    q.Mask.OffsetY = at;
                return $"mask offset ({q.Mask.OffsetX},{q.Mask.OffsetY})";
            case 13:
                if (q.Mask is null)
                    return "-";
                if (r.Chance(0.25) && q.Mask.CoverageSourceCase == Mask.CoverageSourceOneofCase.Coverage)
                {
                    q.Mask.Coverage = ByteString.CopyFrom(new byte[q.Mask.Coverage.Length]);
                    return "empty selection";
                }

                return ChangeBytes(r, q.Mask.CoverageSourceCase == Mask.CoverageSourceOneofCase.Coverage ? q.Mask.Coverage : null, b => q.Mask.Coverage = b, () => q.Mask.ClearCoverageSource(), "mask.coverage");
            case 14:
                if (q.Mask is null)
                    return "-";
                q.Mask.BlobId = HostileId(r);
                return $"mask.blob_id = '{Observed.Shorten(q.Mask.BlobId, 30)}'";
            case 15 or 16:
            {
                var p = r.Pick([.. Fill.Parameters]);
                q.Parameters ??= new Struct();
                q.Parameters.Fields[p.Name] = HostileValue(r, p);
                return $"parameters.{p.Name} = {Describe(q.Parameters.Fields[p.Name])}";
            }

            case 17:
            {
                var name = r.Pick(r.Text(r.Next(1, 40)), r.TextOfLength(5000), "", "method ", "Method", "radius\u0000");
                q.Parameters ??= new Struct();
                q.Parameters.Fields[name] = Value.ForNumber(1);
                return $"unknown parameter '{Observed.Shorten(name, 30)}'";
            }

            case 18:
                if (r.Chance(0.3))
                    q.ClearSeed();
                else
                    q.Seed = r.Pick(0UL, ulong.MaxValue, (ulong)r.NextInt64());
                return "seed changed";
            case 19:
            {
                var text = r.Chance(0.7) ? r.TextOfLength(r.Pick(0, 4095, 4096, 4097, r.Next(0, 10_000), 100_000, r.Chance(0.1) ? 1_000_000 : 10)) : r.Text();
                switch (r.Next(3))
                {
                    case 0: q.Prompt = text; return $"prompt of {text.Length} units";
                    case 1: q.NegativePrompt = text; return $"negative_prompt of {text.Length} units";
                    default: q.ClientLabel = text; return $"client_label of {text.Length} units";
                }
            }

            case 20:
            {
                q.Geometry ??= new GeometryOptions();
                var d = info.GeometryDefaults;
                switch (r.Next(5))
                {
                    case 0: q.Geometry.ContextMarginPercent = r.BoundaryDouble(0, 400); break;
                    case 1: q.Geometry.ContextMinPixels = r.BoundaryInt(d.ContextMinPixels, 4096); break;
                    case 2: q.Geometry.ContextMaxPixels = r.BoundaryInt(d.ContextMaxPixels, 8192); break;
                    case 3: q.Geometry.GrowPixels = r.BoundaryInt(d.GrowPixels, 256); break;
                    default: q.Geometry.FeatherPixels = r.BoundaryInt(d.FeatherPixels, 256); break;
                }

                return $"geometry {q.Geometry}";
            }

            case 21:
                q.ResultDelivery = (ResultDelivery)r.Pick(0, 1, 2, 3, -1, 99, int.MaxValue);
                return $"result_delivery = {(int)q.ResultDelivery}";
            case 22:
                q.Parameters ??= new Struct();
                q.Parameters.Fields["method"] = Value.ForString(r.Pick("telea", "ns", "fsr", "exemplar", "auto"));
                return $"method {q.Parameters.Fields["method"].StringValue}";
            default:
                if (q.Layer is null || q.Layer.PixelsCase != Image.PixelsOneofCase.Data)
                    return "-";
                q.Layer.Data = ByteString.CopyFrom(r.Bytes(q.Layer.Data.Length));
                return "random layer pixels";
        }
    }

    private static string ChangeBytes(Random r, ByteString? current, Action<ByteString> set, Action clear, string field)
    {
        int length = current?.Length ?? 0;
        switch (r.Next(5))
        {
            case 0:
                clear();
                return $"{field} missing";
            case 1:
                set(ByteString.Empty);
                return $"{field} empty";
            case 2:
                int cut = Math.Max(1, r.Pick(1, r.Next(1, Math.Max(2, length))));
                set(ByteString.CopyFrom(new byte[Math.Max(0, length - cut)]));
                return $"{field} {cut} bytes short";
            default:
                int extra = r.Pick(1, 3, r.Next(1, 1000), 1 << 20);
                var bytes = new byte[length + extra];
                current?.Span.CopyTo(bytes);
                bytes[^1] = 255;
                set(ByteString.CopyFrom(bytes));
                return $"{field} {extra} bytes long";
        }
    }

    private static string HostileId(Random r) =>
        r.Pick("", r.Text(r.Next(1, 40)), "blob-" + Convert.ToHexStringLower(r.Bytes(12)), "../../etc/passwd", "blob-%00", r.TextOfLength(10_000));

    private static Value HostileValue(Random r, ParameterInfo p) => r.Next(8) switch
    {
        0 or 1 => Value.ForNumber(r.BoundaryDouble(p.HasMinimum ? p.Minimum : 0, p.HasMaximum ? p.Maximum : 100)),
        2 => Value.ForNumber(Math.Round((p.HasMinimum ? p.Minimum : 0) + r.NextDouble() * ((p.HasMaximum ? p.Maximum : 100) - (p.HasMinimum ? p.Minimum : 0)))),
        3 => Value.ForString(p.Choices.Count > 0 && r.Chance(0.6) ? r.Pick(p.Choices[r.Next(p.Choices.Count)], p.Choices[0].ToUpperInvariant(), p.Choices[0] + " ") : r.Text()),
        4 => Value.ForBool(r.Chance(0.5)),
        5 => Value.ForNull(),
        6 => Value.ForList(Value.ForNumber(1), Value.ForString("x")),
        _ => Value.ForStruct(new Struct { Fields = { ["a"] = Value.ForNumber(1) } }),
    };

    private static string Describe(Value v) => v.KindCase switch
    {
        Value.KindOneofCase.NumberValue => v.NumberValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Value.KindOneofCase.StringValue => $"'{Observed.Shorten(v.StringValue, 20)}'",
        _ => v.KindCase.ToString(),
    };
}
