using System.Text;

namespace EditorBridge.Installer.Editors;

/// <summary>
/// Edits one key of Krita's settings file (INI groups <c>[name]</c>, lines <c>key=value</c>)
/// and leaves every other byte as it was: line endings (LF or CRLF), a UTF-8 byte-order mark,
/// comments, blank lines and the order of everything else. A file that is not UTF-8 text (NUL
/// bytes, invalid sequences) is refused, never rewritten.
/// </summary>
public static class Kritarc
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>The content with <paramref name="key"/>=<paramref name="value"/> in <paramref name="section"/>, and what changed.</summary>
    /// <param name="original">The file's bytes; null when there is no file.</param>
    public static (byte[] Content, KritarcEdit Edit) Set(byte[]? original, string section, string key, string value)
    {
        var doc = Document.Parse(original ?? [], "kritarc");
        var keyLines = doc.KeyLines(section, key);
        if (keyLines.Count > 0)
        {
            var previous = Document.ValueOf(doc.Lines[keyLines[^1]].Text);
            foreach (var i in keyLines)
                doc.Lines[i] = doc.Lines[i] with { Text = $"{key}={value}" };
            return (doc.ToBytes(), new KritarcEdit(section, key, value, previous, original is null, false, false, false));
        }

        var header = doc.SectionHeaders(section);
        if (header.Count > 0)
        {
            var end = doc.SectionEnd(header[0]);
            var insertAt = end;
            while (insertAt > header[0] + 1 && string.IsNullOrWhiteSpace(doc.Lines[insertAt - 1].Text))
                insertAt--;
            var addedEnding = doc.EnsureEnding(insertAt - 1);
            doc.Lines.Insert(insertAt, new Line($"{key}={value}", doc.Newline));
            return (doc.ToBytes(), new KritarcEdit(section, key, value, null, original is null, false, false, addedEnding));
        }

        bool addedNewline = false, addedSeparator = false;
        if (doc.Lines.Count > 0)
        {
            addedNewline = doc.EnsureEnding(doc.Lines.Count - 1);
            if (!string.IsNullOrWhiteSpace(doc.Lines[^1].Text))
            {
                doc.Lines.Add(new Line("", doc.Newline));
                addedSeparator = true;
            }
        }

        doc.Lines.Add(new Line($"[{section}]", doc.Newline));
        doc.Lines.Add(new Line($"{key}={value}", doc.Newline));
        return (doc.ToBytes(), new KritarcEdit(section, key, value, null, original is null, true, addedSeparator, addedNewline));
    }

    /// <summary>
    /// Undoes <paramref name="edit"/> on the file as it is now (Krita may have rewritten other
    /// parts meanwhile): the key gets its old value back or goes away, and a group the installer
    /// added goes too when nothing else is in it. Null: the installer created the file and
    /// nothing else is in it, so the file goes.
    /// </summary>
    public static byte[]? Undo(byte[] current, KritarcEdit edit)
    {
        var doc = Document.Parse(current, "kritarc");
        var keyLines = doc.KeyLines(edit.Section, edit.Key);
        if (edit.Previous is not null)
        {
            foreach (var i in keyLines)
                doc.Lines[i] = doc.Lines[i] with { Text = $"{edit.Key}={edit.Previous}" };
            return doc.ToBytes();
        }

        bool removedLast = keyLines.Count > 0 && keyLines[^1] == doc.Lines.Count - 1;
        for (int k = keyLines.Count - 1; k >= 0; k--)
            doc.Lines.RemoveAt(keyLines[k]);
        if (removedLast && edit.AddedFinalNewline && !edit.CreatedSection && doc.Lines.Count > 0)
            doc.Lines[^1] = doc.Lines[^1] with { Ending = "" };

        if (edit.CreatedSection)
        {
            foreach (var header in doc.SectionHeaders(edit.Section).AsEnumerable().Reverse())
            {
                var end = doc.SectionEnd(header);
                if (Enumerable.Range(header + 1, end - header - 1).Any(i => !string.IsNullOrWhiteSpace(doc.Lines[i].Text)))
                    continue;
                doc.Lines.RemoveRange(header, end - header);
                bool atEnd = header == doc.Lines.Count;
                if (edit.AddedSeparator && header > 0 && doc.Lines[header - 1].Text.Length == 0)
                {
                    doc.Lines.RemoveAt(header - 1);
                    if (atEnd && edit.AddedFinalNewline && doc.Lines.Count > 0)
                        doc.Lines[^1] = doc.Lines[^1] with { Ending = "" };
                }
            }
        }

        if (edit.CreatedFile && doc.Lines.All(l => string.IsNullOrWhiteSpace(l.Text)))
            return null;
        return doc.ToBytes();
    }

    /// <summary>The key's value (the last one, as Krita reads it); null when absent.</summary>
    public static string? Get(byte[] content, string section, string key)
    {
        var doc = Document.Parse(content, "kritarc");
        var lines = doc.KeyLines(section, key);
        return lines.Count == 0 ? null : Document.ValueOf(doc.Lines[lines[^1]].Text);
    }

    /// <summary>Throws <see cref="KritarcUnreadableException"/> when the bytes are not a text settings file.</summary>
    public static void Check(byte[] content) => Document.Parse(content, "kritarc");

    private readonly record struct Line(string Text, string Ending);

    private sealed class Document
    {
        private bool bom;

        public List<Line> Lines { get; } = [];

        public string Newline { get; private set; } = "\n";

        public static Document Parse(byte[] bytes, string name)
        {
            var doc = new Document();
            var body = bytes.AsSpan();
            if (body.StartsWith(Bom))
            {
                doc.bom = true;
                body = body[Bom.Length..];
            }

            if (body.IndexOf((byte)0) >= 0)
                throw new KritarcUnreadableException($"{name} contains NUL bytes: it is not a text settings file");
            string text;
            try
            {
                text = StrictUtf8.GetString(body);
            }
            catch (DecoderFallbackException e)
            {
                throw new KritarcUnreadableException($"{name} is not UTF-8 text (invalid byte at offset {e.Index})");
            }

            if (text.Contains("\r\n", StringComparison.Ordinal))
                doc.Newline = "\r\n";
            int start = 0;
            while (start < text.Length)
            {
                int nl = text.IndexOf('\n', start);
                if (nl < 0)
                {
                    doc.Lines.Add(new Line(text[start..], ""));
                    break;
                }

                int contentEnd = nl > start && text[nl - 1] == '\r' ? nl - 1 : nl;
                doc.Lines.Add(new Line(text[start..contentEnd], text[contentEnd..(nl + 1)]));
                start = nl + 1;
            }

            return doc;
        }

        public byte[] ToBytes()
        {
            var text = new StringBuilder();
            foreach (var line in Lines)
                text.Append(line.Text).Append(line.Ending);
            var body = StrictUtf8.GetBytes(text.ToString());
            return bom ? [.. Bom, .. body] : body;
        }

        /// <summary>Gives line <paramref name="index"/> a line ending if it has none; true when it added one.</summary>
        public bool EnsureEnding(int index)
        {
            if (index < 0 || Lines[index].Ending.Length > 0)
                return false;
            Lines[index] = Lines[index] with { Ending = Newline };
            return true;
        }

        public List<int> SectionHeaders(string section)
        {
            var headers = new List<int>();
            for (int i = 0; i < Lines.Count; i++)
            {
                if (Lines[i].Text.Trim() == $"[{section}]")
                    headers.Add(i);
            }

            return headers;
        }

        /// <summary>The index just past the group that starts at <paramref name="header"/>.</summary>
        public int SectionEnd(int header)
        {
            int i = header + 1;
            while (i < Lines.Count && !Lines[i].Text.TrimStart().StartsWith('['))
                i++;
            return i;
        }

        public List<int> KeyLines(string section, string key)
        {
            var found = new List<int>();
            foreach (var header in SectionHeaders(section))
            {
                for (int i = header + 1; i < SectionEnd(header); i++)
                {
                    var text = Lines[i].Text;
                    var eq = text.IndexOf('=');
                    if (eq > 0 && text[..eq].Trim() == key)
                        found.Add(i);
                }
            }

            return found;
        }

        public static string ValueOf(string line) => line[(line.IndexOf('=') + 1)..].Trim();
    }
}
