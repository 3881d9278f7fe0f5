using System.CommandLine;
using EditorBridge.Cli.Images;
using EditorBridge.Client;
using EditorBridge.Protocol.V1;

namespace EditorBridge.Cli.Commands;

/// <summary>
/// What every job command does around its job, in the order that refuses a wrong command line
/// cheapest first: output paths checked and picture headers read (no daemon yet), then the daemon
/// connected and its limits compared with the headers, then the pictures checked whole and decoded,
/// and only then the job sent.
/// </summary>
public static class JobRun
{
    /// <summary>Connects (starting the daemon where allowed), reads GetInfo and checks the pictures' header sizes against its limits.</summary>
    public static async Task<(DaemonConnection Connection, DaemonInfo Info)> ConnectAsync(ParseResult parse, PictureInput? layer, IEnumerable<PictureInput?> others, CancellationToken cancellationToken)
    {
        var connection = await DaemonConnection.ConnectAsync(GlobalOptions.Connect(parse), cancellationToken);
        try
        {
            var info = await connection.Client.GetInfoAsync(DaemonConnection.ProbeTimeout, cancellationToken);
            if (layer is not null)
                PictureLimits.Check(info.Limits, layer, others.OfType<PictureInput>());
            return (connection, info);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// True when the job's prompt reached a model that paints from text (a diffusion model); the
    /// classic engine and single-graph image models take none.
    /// </summary>
    public static bool TookPrompt(Provenance served, DaemonInfo info) =>
        !string.IsNullOrEmpty(served.Model)
        && info.Models.FirstOrDefault(m => m.Name == served.Model)?.Kind == ModelStore.ModelKind.Diffusion;

    /// <summary>"the classic engine ignores --prompt" (or "the onnx engine (model lama) ignores --prompt and --negative") on stderr, when so.</summary>
    public static void NoteIgnoredPrompt(IReadOnlyList<string> given, Provenance served, DaemonInfo info, TextWriter error)
    {
        if (given.Count == 0 || TookPrompt(served, info))
            return;
        var model = string.IsNullOrEmpty(served.Model) ? "" : $" (model {served.Model})";
        error.WriteLine($"editorbridge: note: the {served.Engine} engine{model} ignores {string.Join(" and ", given)}");
    }
}
