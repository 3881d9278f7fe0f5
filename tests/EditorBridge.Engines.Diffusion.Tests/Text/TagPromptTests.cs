using EditorBridge.Engines.Diffusion.Text;

namespace EditorBridge.Engines.Diffusion.Tests.Text;

public sealed class TagPromptTests
{
    [Fact]
    public void Tags_become_a_weighted_prompt() =>
        Assert.Equal("1girl, red hair, (smile:1.2)", TagPrompt.Build("1girl, red_hair, smile:1.2"));

    [Fact]
    public void Brackets_in_tags_are_escaped_so_they_stay_text()
    {
        string prompt = TagPrompt.Build("fate_(series), [draft]");

        Assert.Equal(@"fate \(series\), \[draft\]", prompt);
        Assert.Equal("fate (series), [draft]", PromptWeights.PlainText(prompt));
    }

    [Fact]
    public void Repeats_blank_entries_and_new_lines_are_tidied() =>
        Assert.Equal("cat, dog, sky", TagPrompt.Build("cat,, Cat\n dog ,\r\nsky, cat"));

    [Fact]
    public void A_colon_that_is_not_a_weight_stays() =>
        Assert.Equal("re:zero, (blue sky:0.8)", TagPrompt.Build("re:zero, blue sky:0.8"));

    [Fact]
    public void Weighted_tags_parse_back_to_their_weights()
    {
        var fragments = PromptWeights.Parse(TagPrompt.Build([new("smile", 1.25f), new("hat", 1f), new("rain", 0.7f)]));

        Assert.Contains(fragments, f => f.Text == "smile" && Math.Abs(f.Weight - 1.25f) < 1e-6);
        Assert.Contains(fragments, f => f.Text == "rain" && Math.Abs(f.Weight - 0.7f) < 1e-6);
    }

    [Fact]
    public void A_negative_weight_is_refused()
    {
        var error = Assert.Throws<EngineInputException>(() => TagPrompt.Build("smile:-2"));

        Assert.Equal("tags", error.Field);
        Assert.Contains("smile", error.Message);
    }
}
