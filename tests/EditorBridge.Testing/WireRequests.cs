using EditorBridge.Protocol.V1;
using Google.Protobuf;

namespace EditorBridge.Testing;

/// <summary>Builds wire requests from test pictures.</summary>
public static class WireRequests
{
    public static Image Layer(RgbaPicture picture, int offsetX = 0, int offsetY = 0) => new()
    {
        Width = picture.Width,
        Height = picture.Height,
        OffsetX = offsetX,
        OffsetY = offsetY,
        Format = PixelFormat.Rgba8,
        Data = ByteString.CopyFrom(picture.Rgba),
    };

    public static Mask Rectangle(int x, int y, int width, int height, byte coverage = 255) => new()
    {
        Width = width,
        Height = height,
        OffsetX = x,
        OffsetY = y,
        Coverage = ByteString.CopyFrom(Enumerable.Repeat(coverage, width * height).ToArray()),
    };

    public static JobRequest Fill(RgbaPicture picture, Mask mask, string method = "telea", ulong seed = 1) => new()
    {
        Operation = "fill",
        Layer = Layer(picture),
        Mask = mask,
        Seed = seed,
        Parameters = new Google.Protobuf.WellKnownTypes.Struct { Fields = { ["method"] = Google.Protobuf.WellKnownTypes.Value.ForString(method) } },
    };
}
