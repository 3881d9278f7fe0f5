namespace EditorBridge.Installer.Host;

/// <summary>The slice of HKEY_CURRENT_USER the installer uses (the Run key, the Uninstall entry, the user's PATH).</summary>
public interface IUserRegistry
{
    RegistryValue? Get(string key, string name);

    bool KeyExists(string key);

    void Set(string key, string name, RegistryValue value);

    void Delete(string key, string name);

    /// <summary>Deletes the key when it has no values and no subkeys left.</summary>
    void DeleteKeyIfEmpty(string key);

    /// <summary>Tells running programs (Explorer) that the user's environment changed.</summary>
    void BroadcastEnvironmentChange();
}
