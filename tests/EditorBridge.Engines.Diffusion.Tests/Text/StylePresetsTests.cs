using EditorBridge.Engines.Diffusion.Text;

namespace EditorBridge.Engines.Diffusion.Tests.Text;

public sealed class StylePresetsTests
{
    [Fact]
    public void Every_preset_has_a_unique_name_and_places_the_prompt()
    {
        Assert.Equal(StylePresets.All.Count, StylePresets.Names.Distinct().Count());
        Assert.All(StylePresets.All, p => Assert.Contains(StylePreset.Placeholder, p.PositiveTemplate));
        Assert.Contains("watercolour", StylePresets.Names);
        Assert.Contains("anime_line_art", StylePresets.Names);
    }

    [Fact]
    public void Apply_fills_the_template_and_extends_the_negative_prompt()
    {
        var styled = StylePresets.Find("oil_painting").Apply(" a lighthouse ", "people");

        Assert.StartsWith("oil painting of a lighthouse, visible brush strokes", styled.Positive);
        Assert.StartsWith("people, photo", styled.Negative);
    }

    [Fact]
    public void An_empty_prompt_leaves_no_dangling_commas()
    {
        var styled = StylePresets.Find("photo").Apply("", "");

        Assert.StartsWith("photograph, natural light", styled.Positive);
        Assert.DoesNotContain(", ,", styled.Positive);
        Assert.False(styled.Negative.StartsWith(',') || styled.Negative.StartsWith(' '));
    }

    [Fact]
    public void Every_styled_prompt_parses_as_weighted_text()
    {
        foreach (var preset in StylePresets.All)
        {
            var styled = preset.Apply("(a cat:1.2)", "[blurry]");
            Assert.NotEmpty(PromptWeights.Parse(styled.Positive));
            PromptWeights.Parse(styled.Negative);
        }
    }

    [Theory]
    [InlineData("Oil painting", "oil_painting")]
    [InlineData("pixel-art", "pixel_art")]
    [InlineData("WATERCOLOR", "watercolour")]
    public void Lookup_forgives_case_spaces_and_spelling(string name, string expected) =>
        Assert.Equal(expected, StylePresets.Find(name).Name);

    [Fact]
    public void An_unknown_style_lists_the_known_ones()
    {
        var error = Assert.Throws<EngineInputException>(() => StylePresets.Find("cubism"));

        Assert.Equal("style", error.Field);
        Assert.Contains("cubism", error.Message);
        Assert.All(StylePresets.Names, name => Assert.Contains(name, error.Message));
    }
}
