using EditorBridge.Engines.Diffusion.Text;
using EditorBridge.Testing;

namespace EditorBridge.Engines.Diffusion.Tests.Text;

/// <summary>Loading a model's tokenizer folder: pad token choice and clear errors for broken folders.</summary>
public sealed class ClipTokenizerLoadingTests(RealClipVocabulary clip) : IClassFixture<RealClipVocabulary>
{
    private TempDirectory CopyOfTokenizer()
    {
        var copy = new TempDirectory("tok");
        foreach (string name in new[] { "vocab.json", "merges.txt" })
            File.Copy(Path.Combine(clip.DirectoryPath, name), copy.File(name));
        return copy;
    }

    [Fact]
    public void Stable_diffusion_15_pads_with_the_end_token() =>
        Assert.Equal(49407, clip.Tokenizer.PadId);

    [Fact]
    public void A_pad_token_object_in_special_tokens_map_is_used()
    {
        using var folder = CopyOfTokenizer();
        // SD 2.x's tokenizer pads with "!" (id 0), written as an AddedToken object.
        File.WriteAllText(folder.File("special_tokens_map.json"), """{"pad_token": {"content": "!", "lstrip": false}}""");

        var tokenizer = ClipTokenizer.Load(folder.Path);
        var ids = tokenizer.Encode("a cat").Ids;

        Assert.Equal(0, tokenizer.PadId);
        Assert.Equal([49406, 320, 2368, 49407, 0], ids.Take(5));
        Assert.All(ids.Skip(4), id => Assert.Equal(0, id));
    }

    [Fact]
    public void The_tokenizer_config_pad_token_is_read_when_there_is_no_special_tokens_map()
    {
        using var folder = CopyOfTokenizer();
        File.WriteAllText(folder.File("tokenizer_config.json"), """{"model_max_length": 77, "pad_token": "<|endoftext|>"}""");

        Assert.Equal(49407, ClipTokenizer.Load(folder.Path).PadId);
    }

    [Theory]
    [InlineData("vocab.json")]
    [InlineData("merges.txt")]
    public void A_missing_file_is_named(string missing)
    {
        using var folder = CopyOfTokenizer();
        File.Delete(folder.File(missing));

        var error = Assert.Throws<EngineInputException>(() => ClipTokenizer.Load(folder.Path));

        Assert.Equal("model", error.Field);
        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void A_broken_vocabulary_is_named()
    {
        using var folder = CopyOfTokenizer();
        File.WriteAllText(folder.File("vocab.json"), "[1, 2");

        var error = Assert.Throws<EngineInputException>(() => ClipTokenizer.Load(folder.Path));

        Assert.Contains("vocab.json", error.Message);
    }

    [Fact]
    public void An_unknown_pad_token_is_named()
    {
        using var folder = CopyOfTokenizer();
        File.WriteAllText(folder.File("special_tokens_map.json"), """{"pad_token": "<pad>"}""");

        var error = Assert.Throws<EngineInputException>(() => ClipTokenizer.Load(folder.Path));

        Assert.Contains("<pad>", error.Message);
    }

    [Fact]
    public void Malformed_weights_in_a_prompt_are_reported_for_that_field()
    {
        var error = Assert.Throws<EngineInputException>(() => clip.Tokenizer.Encode("ugly (hands", "negative_prompt"));

        Assert.Equal("negative_prompt", error.Field);
    }

    [Fact]
    public void Html_entities_are_resolved_as_clip_does() =>
        Assert.Equal(clip.Tokenizer.Encode("salt & pepper").Ids, clip.Tokenizer.Encode("salt &amp;amp; pepper").Ids);
}
