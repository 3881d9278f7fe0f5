using System.CommandLine;
using EditorBridge.Installer.Installation;
using EditorBridge.Installer.Platform;
using EditorBridge.Installer.Reporting;

namespace EditorBridge.Installer;

/// <summary>
/// <c>editorbridge-setup</c>: installs EditorBridge for the current user (no administrator
/// rights), or with --uninstall takes it off again. See docs/install.md.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var uninstall = new Option<bool>("--uninstall") { Description = "Remove what the install put on this machine (files you changed stay)" };
        var purge = new Option<bool>("--purge") { Description = "With --uninstall: also delete your EditorBridge settings, token, log and models (and ONNX Runtime's telemetry folder)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be done, change nothing" };
        var autostart = new Option<bool>("--autostart") { Description = "Start the daemon when you log in (systemd user unit, Windows Run key, launchd agent); off by default: the editors start it when they need it" };
        var noAutostart = new Option<bool>("--no-autostart") { Description = "Stop starting the daemon at login (undoes an earlier --autostart)" };
        var noKrita = new Option<bool>("--no-krita") { Description = "Do not install the Krita plugin" };
        var noPaintDotNet = new Option<bool>("--no-paintdotnet") { Description = "Do not install the Paint.NET plugin" };
        var noPath = new Option<bool>("--no-path") { Description = "Windows: do not put the program folder on your PATH" };
        var payload = new Option<string?>("--payload") { Description = "The package folder to install from (default: 'payload' beside this program)" };
        var root = new RootCommand("Installs EditorBridge (the daemon, its engines and the Krita and Paint.NET plugins) for the current user, or removes it.")
        {
            uninstall, purge, dryRun, autostart, noAutostart, noKrita, noPaintDotNet, noPath, payload,
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
                Console.Error.WriteLine($"editorbridge-setup: error: {error.Message}");
            return ExitCodes.Usage;
        }

        // the root command has no action of its own: an action here is --help or --version
        if (parsed.Action is not null)
            return parsed.Invoke();

        if (parsed.GetValue(purge) && !parsed.GetValue(uninstall))
            return Usage("--purge goes with --uninstall");
        if (parsed.GetValue(autostart) && parsed.GetValue(noAutostart))
            return Usage("--autostart and --no-autostart contradict each other");
        if (parsed.GetValue(uninstall) && (parsed.GetValue(autostart) || parsed.GetValue(noKrita) || parsed.GetValue(noPaintDotNet) || parsed.GetValue(payload) is not null))
            return Usage("--uninstall takes only --purge and --dry-run");

        var env = SetupEnvironment.ForThisMachine();
        var report = new Reporter(Console.Out, interactive: !Console.IsOutputRedirected);
        try
        {
            if (parsed.GetValue(uninstall))
                return new Uninstaller(env, new UninstallOptions { DryRun = parsed.GetValue(dryRun), Purge = parsed.GetValue(purge) }, report).Run();

            var options = new SetupOptions
            {
                PayloadDirectory = parsed.GetValue(payload) ?? Path.Combine(AppContext.BaseDirectory, "payload"),
                DryRun = parsed.GetValue(dryRun),
                Autostart = parsed.GetValue(autostart) ? true : parsed.GetValue(noAutostart) ? false : null,
                Krita = !parsed.GetValue(noKrita),
                PaintDotNet = !parsed.GetValue(noPaintDotNet),
                UserPath = !parsed.GetValue(noPath),
                RequiredRuntime = UserFolders.CurrentRuntime,
            };
            return new Installation.Installer(env, options, report).Run();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            report.Error(SetupErrors.Describe(e, e.Data["path"] as string));
            return ExitCodes.Failed;
        }
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine($"editorbridge-setup: error: {message}");
        return ExitCodes.Usage;
    }
}
