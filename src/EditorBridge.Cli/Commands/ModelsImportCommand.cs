using System.CommandLine;
using EditorBridge.Client;
using EditorBridge.Protocol.V1;

namespace EditorBridge.Cli.Commands;

/// <summary><c>editorbridge models import DIR|FILE.onnx|FILE.param</c>: install a model from a local folder, .onnx file or ncnn model.</summary>
public static class ModelsImportCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("path")
        {
            Description = "A folder with manifest.json, a diffusers ONNX folder, a folder with one .onnx graph, one .onnx file, an ncnn model's .param file (its .bin beside it; converted to ONNX), or (with --base) a LoRA .safetensors file",
        };
        var name = new Option<string?>("--name") { Description = "The model's name (default: the manifest's, or the folder's)" };
        var kind = new Option<string?>("--kind") { Description = "Kind of a single .onnx graph: inpaint, upscale, colorize, style, segment" };
        var licence = new Option<string?>("--licence") { Description = "Licence id to record when the folder has no manifest (e.g. Apache-2.0)" };
        var replace = new Option<bool>("--replace") { Description = "Replace an installed model of the same name" };
        var baseModel = new Option<string?>("--base") { Description = "Merge the LoRA file PATH into this installed diffusion model, as a new model" };
        var strength = new Option<double?>("--strength") { Description = "The LoRA's strength with --base (above 0, at most 4; default 1)" };
        var command = new Command("import", "Install a model from a folder on this machine, checking every file") { path, name, kind, licence, replace, baseModel, strength };
        command.SetAction((parse, cancellationToken) => GlobalOptions.Guard(async () =>
        {
            var request = new ImportModelRequest
            {
                // the daemon runs on this machine but not in this folder
                Path = Path.GetFullPath(parse.GetValue(path)!),
                Name = parse.GetValue(name) ?? "",
                Kind = parse.GetValue(kind) ?? "",
                LicenceId = parse.GetValue(licence) ?? "",
                Replace = parse.GetValue(replace),
                BaseModel = parse.GetValue(baseModel) ?? "",
                LoraStrength = parse.GetValue(strength) ?? 0,
            };
            using var connection = await DaemonConnection.ConnectAsync(GlobalOptions.Connect(parse), cancellationToken);
            var model = await connection.Client.Raw.ImportModelAsync(request, cancellationToken: cancellationToken);
            Console.WriteLine($"installed {model.Name}: {model.Kind}, {model.FileCount} files, {ModelsCommand.Size(model.SizeBytes)}, serves {string.Join(", ", model.Operations)}; identity {model.Identity}");
            if (model.BaseModel.Length > 0)
                Console.WriteLine($"made from {model.BaseModel} with {string.Join(", ", model.Loras.Select(l => $"{l.File} at {l.Strength:0.###}"))}");
            if (model.SignatureNamesTaken.Count > 0)
                Console.WriteLine($"signature names taken from the model: {string.Join("; ", model.SignatureNamesTaken)}");
            if (model.LicenceId == "unknown")
                Console.WriteLine("licence: unknown (pass --licence ID to record it); check the model's own licence before sharing what it makes");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
