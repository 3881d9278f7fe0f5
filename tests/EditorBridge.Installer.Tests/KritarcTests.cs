using System.Text;
using EditorBridge.Installer.Editors;

namespace EditorBridge.Installer.Tests;

/// <summary>One key set in kritarc and taken out again, every other byte as it was.</summary>
public sealed class KritarcTests
{
    private const string Key = "enable_editorbridge";

    public static TheoryData<string, string> Files => new()
    {
        { "no [python] group", "[General]\nfoo=bar\nlist=a,b,c\n" },
        { "no final newline", "[General]\nfoo=bar" },
        { "CRLF line ends", "[General]\r\nfoo=bar\r\n\r\n[python]\r\nenable_other=true\r\n" },
        { "[python] with others", "[python]\nenable_scripter=true\n\n[General]\nx=1\n" },
        { "[python] last, no final newline", "[General]\nx=1\n\n[python]\nenable_scripter=true" },
        { "[python] empty at the end", "[General]\nx=1\n\n[python]\n" },
        { "comments and odd lines", "# comment\n[General]\n  spaced = value with = sign\nnot a key line\n\n[python]\n; other comment\n" },
        { "empty file", "" },
        { "only blank lines", "\n\n" },
        { "unicode", "[General]\nrecentFiles=/home/ana/dibujo ñ 日本.kra\n" },
        { "key already false", "[python]\nenable_editorbridge=false\nenable_other=true\n" },
        { "key twice in two groups", "[python]\nenable_editorbridge=false\n[General]\nx=1\n[python]\nenable_editorbridge=false\n" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Set_then_undo_gives_back_the_same_bytes(string why, string content)
    {
        foreach (var bom in new[] { false, true })
        {
            var original = (bom ? new byte[] { 0xEF, 0xBB, 0xBF } : []).Concat(Encoding.UTF8.GetBytes(content)).ToArray();
            var (changed, edit) = Kritarc.Set(original, "python", Key, "true");

            Assert.Equal("true", Kritarc.Get(changed, "python", Key));
            Assert.Equal(bom, changed.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }));
            var restored = Kritarc.Undo(changed, edit);
            Assert.True(restored is not null && restored.AsSpan().SequenceEqual(original),
                $"{why} (BOM {bom}): after undo\n---\n{Encoding.UTF8.GetString(restored ?? [])}\n--- expected\n{content}");
        }
    }

    [Fact]
    public void Only_the_key_line_is_added_and_every_other_line_is_kept()
    {
        var original = "[General]\r\nfoo=bar\r\n\r\n[python]\r\nenable_other=true\r\n\r\n[MainWindow]\r\nState=AAAA==\r\n";

        var (changed, _) = Kritarc.Set(Encoding.UTF8.GetBytes(original), "python", Key, "true");

        Assert.Equal("[General]\r\nfoo=bar\r\n\r\n[python]\r\nenable_other=true\r\nenable_editorbridge=true\r\n\r\n[MainWindow]\r\nState=AAAA==\r\n", Encoding.UTF8.GetString(changed));
    }

    [Fact]
    public void A_missing_file_is_created_with_the_group_and_undo_deletes_it()
    {
        var (content, edit) = Kritarc.Set(null, "python", Key, "true");

        Assert.Equal("[python]\nenable_editorbridge=true\n", Encoding.UTF8.GetString(content));
        Assert.True(edit.CreatedFile);
        Assert.Null(Kritarc.Undo(content, edit));
    }

    [Fact]
    public void Undo_keeps_what_Krita_wrote_meanwhile()
    {
        var (content, edit) = Kritarc.Set(Encoding.UTF8.GetBytes("[General]\nx=1\n"), "python", Key, "true");
        var rewrittenByKrita = Encoding.UTF8.GetString(content).Replace("x=1", "x=2\ny=3") + "[Other]\nz=4\n";

        var undone = Encoding.UTF8.GetString(Kritarc.Undo(Encoding.UTF8.GetBytes(rewrittenByKrita), edit)!);

        Assert.Equal("[General]\nx=2\ny=3\n[Other]\nz=4\n", undone);
    }

    [Fact]
    public void Undo_puts_back_the_old_value()
    {
        var (content, edit) = Kritarc.Set(Encoding.UTF8.GetBytes("[python]\nenable_editorbridge=false\n"), "python", Key, "true");

        Assert.Equal("false", edit.Previous);
        Assert.Equal("[python]\nenable_editorbridge=false\n", Encoding.UTF8.GetString(Kritarc.Undo(content, edit)!));
    }

    [Fact]
    public void Setting_a_key_that_is_already_set_changes_nothing()
    {
        var original = Encoding.UTF8.GetBytes("[python]\nenable_editorbridge=true\n");

        var (content, edit) = Kritarc.Set(original, "python", Key, "true");

        Assert.Equal(original, content);
        Assert.Equal("true", edit.Previous);
    }

    [Theory]
    [InlineData(new byte[] { 0x5B, 0x70, 0x79, 0x00, 0x5D }, "NUL")]
    [InlineData(new byte[] { 0x5B, 0x47, 0x5D, 0x0A, 0x78, 0x3D, 0xC3, 0x28 }, "not UTF-8")]
    [InlineData(new byte[] { 0xFF, 0xFE, 0x5B, 0x00 }, "NUL")]
    public void A_file_that_is_not_text_is_refused(byte[] content, string reason)
    {
        var e = Assert.Throws<KritarcUnreadableException>(() => Kritarc.Set(content, "python", Key, "true"));

        Assert.Contains(reason, e.Message);
    }
}
