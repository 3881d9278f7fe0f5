using System.Text;

namespace EditorBridge.ModelStore;

/// <summary>
/// Model names are folder names in the store: 1–64 characters of a–z, 0–9, '.', '_' and '-',
/// starting with a letter or digit, so they are the same on every file system and never a path.
/// </summary>
public static class ModelName
{
    public const int MaxLength = 64;

    /// <summary>Null when <paramref name="name"/> is a valid model name, otherwise why not.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name))
            return "the model name is empty";
        if (name.Length > MaxLength)
            return $"the model name '{name}' is longer than {MaxLength} characters";
        if (!char.IsAsciiLetterLower(name[0]) && !char.IsAsciiDigit(name[0]))
            return $"the model name '{name}' must start with a lower-case letter or a digit";
        return name.All(IsAllowed) ? null
            : $"the model name '{name}' may only hold lower-case letters, digits, '.', '_' and '-'";
    }

    public static void Validate(string? name)
    {
        if (Problem(name) is { } problem)
            throw new ModelStoreException(name ?? "", ModelStoreError.Invalid, Capitalised(problem) + ".");
    }

    /// <summary>A valid name made from a folder or file name ("SD 1.5 (onnx)" → "sd-1.5-onnx").</summary>
    public static string FromFolderName(string folderName)
    {
        var name = new StringBuilder();
        foreach (var c in folderName.ToLowerInvariant())
        {
            var kept = IsAllowed(c) ? c : '-';
            if (kept == '-' && (name.Length == 0 || name[^1] == '-'))
                continue;
            name.Append(kept);
        }

        var result = name.ToString().TrimStart('.', '_', '-').TrimEnd('-');
        return result.Length > MaxLength ? result[..MaxLength].TrimEnd('-') : result;
    }

    internal static string Capitalised(string sentence) =>
        sentence.Length == 0 ? sentence : char.ToUpperInvariant(sentence[0]) + sentence[1..];

    private static bool IsAllowed(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '-';
}
