using EditorBridge.Engines.Diffusion.Text;

namespace EditorBridge.Engines.Diffusion.Tests.Text;

/// <summary>The tokenizer on CLIP's real merges, against token ids published by other projects.</summary>
public sealed class ClipTokenizerRealVocabularyTests(RealClipVocabulary clip) : IClassFixture<RealClipVocabulary>
{
    [Theory]
    // elixir-nx/bumblebee, test/bumblebee/text/clip_text_test.exs (commit 5a5a611c): input_ids of openai/clip-vit-base-patch32.
    [InlineData("a photo of a cat", new[] { 49406, 320, 1125, 539, 320, 2368, 49407 })]
    [InlineData("a photo of a dog", new[] { 49406, 320, 1125, 539, 320, 1929, 49407 })]
    // apple/ml-stable-diffusion, swift/StableDiffusionTests/StableDiffusionTests.swift, testBPETokenizer (commit 909d1fd3).
    [InlineData("a photo of an astronaut riding a horse on mars", new[] { 49406, 320, 1125, 539, 550, 18376, 6765, 320, 4558, 525, 7496, 49407 })]
    [InlineData("Apple CoreML developer tools on a Macbook Air are fast", new[] { 49406, 3055, 19622, 5780, 10929, 5771, 525, 320, 20617, 1922, 631, 1953, 49407 })]
    public void Matches_published_clip_ids(string prompt, int[] expected)
    {
        var tokenized = clip.Tokenizer.Encode(prompt);

        Assert.Equal(expected, tokenized.Ids.Take(expected.Length));
        Assert.All(tokenized.Ids.Skip(expected.Length), id => Assert.Equal(49407, id));
        Assert.Equal(ClipTokenizer.MaxLength, tokenized.Ids.Length);
        Assert.False(tokenized.Truncated);
    }

    [Theory]
    // Parity cases against Hugging Face's CLIPTokenizer published in the tests of public CLIP ports (a Zig
    // SDXL port, a C++ SD 1.5 runner, a JavaScript BPE library; found by content, repositories not recorded
    // by the search index): case, punctuation, contractions, single digits, accents through the byte map.
    [InlineData("A PHOTO of  a Cat!", new[] { 49406, 320, 1125, 539, 320, 2368, 256, 49407 })]
    [InlineData("don't stop 42 times", new[] { 49406, 847, 713, 1691, 275, 273, 1661, 49407 })]
    [InlineData("cafe uber naive", new[] { 49406, 4979, 10668, 43362, 49407 })]
    [InlineData(@"hello-world, 3.14 \(test\)", new[] { 49406, 3306, 268, 1002, 267, 274, 269, 272, 275, 263, 1628, 264, 49407 })]
    [InlineData("caf\u00E9 \u00FCber na\u00EFve", new[] { 49406, 15304, 6522, 1516, 1097, 35689, 563, 49407 })]
    [InlineData("Hello, world!", new[] { 49406, 3306, 267, 1002, 256, 49407 })]
    public void Matches_hugging_face_on_punctuation_digits_and_accents(string prompt, int[] expected) =>
        Assert.Equal(expected, clip.Tokenizer.Encode(prompt).Ids.Take(expected.Length));

    [Theory]
    [InlineData("")]
    [InlineData("  \t\n ")]
    public void An_empty_prompt_is_start_then_end_then_padding(string prompt)
    {
        var tokenized = clip.Tokenizer.Encode(prompt);

        Assert.Equal([49406, 49407, 49407], tokenized.Ids.Take(3));
        Assert.All(tokenized.Weights, w => Assert.Equal(1f, w));
        Assert.False(tokenized.Weighted);
    }

    [Fact]
    public void Case_and_white_space_do_not_change_the_ids()
    {
        var plain = clip.Tokenizer.Encode("a photo of a cat").Ids;

        Assert.Equal(plain, clip.Tokenizer.Encode("  A   PHOTO of\ta Cat \n").Ids);
    }

    [Fact]
    public void Weighted_words_keep_their_ids_and_carry_the_weight()
    {
        var weighted = clip.Tokenizer.Encode("a photo of a (cat:1.5)");

        Assert.Equal(clip.Tokenizer.Encode("a photo of a cat").Ids, weighted.Ids);
        Assert.Equal([1f, 1f, 1f, 1f, 1f, 1.5f, 1f, 1f], weighted.Weights.Take(8));
    }

    [Fact]
    public void A_long_prompt_is_cut_to_75_text_tokens_and_reports_what_was_dropped()
    {
        string prompt = string.Join(' ', Enumerable.Repeat("cat", 80)) + " wearing a red hat";

        var tokenized = clip.Tokenizer.Encode(prompt);

        Assert.Equal(ClipTokenizer.MaxLength, tokenized.Ids.Length);
        Assert.Equal(49406, tokenized.Ids[0]);
        Assert.Equal(49407, tokenized.Ids[^1]);
        Assert.All(tokenized.Ids[1..^1], id => Assert.Equal(2368, id));
        Assert.True(tokenized.Truncated);
        Assert.Equal(80 - 75 + 4, tokenized.DroppedTokenCount);
        Assert.Equal("cat cat cat cat cat wearing a red", tokenized.DroppedText);
        Assert.Equal("cat cat cat", tokenized.KeptText);
    }

    [Fact]
    public void Truncation_inside_multi_byte_text_reports_whole_characters()
    {
        string prompt = string.Join(' ', Enumerable.Repeat("東京", 60)) + " 🙂 café";

        var tokenized = clip.Tokenizer.Encode(prompt);

        // Each 東京 is several byte-level tokens; offsets still point at whole characters of the prompt.
        Assert.Equal(clip.Tokenizer.TextTokenIds(prompt).Count - 75, tokenized.DroppedTokenCount);
        Assert.Equal(string.Join(' ', Enumerable.Repeat("東京", 8)), tokenized.DroppedText);
        Assert.Equal("東京 東京 東京", tokenized.KeptText);
    }

    [Fact]
    public void Non_ascii_text_is_tokenized_byte_level_without_unknown_tokens()
    {
        var ids = clip.Tokenizer.TextTokenIds("café 東京 🙂");

        Assert.NotEmpty(ids);
        Assert.DoesNotContain(49407, ids);
        Assert.DoesNotContain(49406, ids);
    }
}
