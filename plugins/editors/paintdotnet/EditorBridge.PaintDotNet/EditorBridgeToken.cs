using EditorBridge.PaintDotNet.Core;
using PaintDotNet.Effects;

namespace EditorBridge.PaintDotNet;

/// <summary>
/// What the dialog hands the effect: the settings (Paint.NET keeps them for the next time the
/// dialog opens) and the cached result the tiles are copied from. Clones share the result: it is
/// immutable.
/// </summary>
public sealed class EditorBridgeToken : EffectConfigToken
{
    public EditorBridgeToken()
    {
    }

    private EditorBridgeToken(EditorBridgeToken copyMe)
        : base(copyMe)
    {
        Settings = copyMe.Settings;
        Outcome = copyMe.Outcome;
    }

    public JobSettings? Settings { get; set; }

    public JobOutcome? Outcome { get; set; }

    public override object Clone() => new EditorBridgeToken(this);
}
