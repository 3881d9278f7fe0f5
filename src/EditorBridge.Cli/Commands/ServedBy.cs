using EditorBridge.Protocol.V1;

namespace EditorBridge.Cli.Commands;

/// <summary>Who served a job, from its provenance: "diffusion/dpmpp_2m_karras, model tiny-sd (1a2b3c4d5e6f) on cpu" (", steered by scribble" with control layers).</summary>
public static class ServedBy
{
    public const int ShortHashLength = 12;

    public static string Describe(Provenance provenance, string? method = null)
    {
        var engine = method is null ? provenance.Engine : $"{provenance.Engine}/{method}";
        var controls = provenance.Controls.Count > 0 ? $", steered by {string.Join(" + ", provenance.Controls)}" : "";
        return $"{engine}{Model(provenance)}{controls} on {provenance.Device}";
    }

    /// <summary>", model NAME (HASH)" when a model served the job, else empty.</summary>
    public static string Model(Provenance provenance)
    {
        if (string.IsNullOrEmpty(provenance.Model) && string.IsNullOrEmpty(provenance.ModelHash))
            return "";
        var name = string.IsNullOrEmpty(provenance.Model) ? "(unnamed)" : provenance.Model;
        var hash = provenance.ModelHash.Length > ShortHashLength ? provenance.ModelHash[..ShortHashLength] : provenance.ModelHash;
        return string.IsNullOrEmpty(hash) ? $", model {name}" : $", model {name} ({hash})";
    }
}
