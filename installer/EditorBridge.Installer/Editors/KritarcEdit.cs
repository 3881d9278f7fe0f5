namespace EditorBridge.Installer.Editors;

/// <summary>
/// What setting one key in kritarc changed, so that uninstalling can undo exactly that: the
/// value before (null: the key was absent), and what the installer added around it.
/// </summary>
public sealed record KritarcEdit(
    string Section,
    string Key,
    string Value,
    string? Previous,
    bool CreatedFile,
    bool CreatedSection,
    bool AddedSeparator,
    bool AddedFinalNewline);
