namespace EditorBridge.Installer.Host;

/// <summary>Runs a helper program (systemctl, launchctl) and says whether it succeeded; never throws.</summary>
public interface ICommandRunner
{
    (bool Ok, string Output) Run(string program, params string[] arguments);
}
