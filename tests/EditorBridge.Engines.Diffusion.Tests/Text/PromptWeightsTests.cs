using EditorBridge.Engines.Diffusion.Text;

namespace EditorBridge.Engines.Diffusion.Tests.Text;

public sealed class PromptWeightsTests
{
    private static (string Text, float Weight)[] Parse(string prompt) =>
        PromptWeights.Parse(prompt).Select(f => (f.Text, f.Weight)).ToArray();

    [Fact]
    public void Plain_text_has_weight_one() =>
        Assert.Equal([("a red fox", 1f)], Parse("a red fox"));

    [Fact]
    public void Explicit_weight_applies_to_the_group() =>
        Assert.Equal([("a ", 1f), ("red", 1.3f), (" fox", 1f)], Parse("a (red:1.3) fox"));

    [Fact]
    public void Parentheses_multiply_by_1_1_and_nest()
    {
        var parsed = Parse("(a) ((b)) (((c)))");

        Assert.Equal(1.1f, parsed[0].Weight, 1e-6f);
        Assert.Equal(1.21f, parsed[2].Weight, 1e-5f);
        Assert.Equal(1.331f, parsed[4].Weight, 1e-5f);
        Assert.Equal(["a", " ", "b", " ", "c"], parsed.Select(p => p.Text));
    }

    [Fact]
    public void Square_brackets_divide_by_1_1()
    {
        var parsed = Parse("[blurry] [[noise]]");

        Assert.Equal(1 / 1.1f, parsed[0].Weight, 1e-6f);
        Assert.Equal(1 / 1.21f, parsed[2].Weight, 1e-5f);
    }

    [Fact]
    public void Nested_explicit_weights_multiply()
    {
        var parsed = Parse("((castle:1.5) at dusk:0.5)");

        Assert.Equal(("castle", 0.75f), parsed[0]);
        Assert.Equal((" at dusk", 0.5f), parsed[1]);
    }

    [Fact]
    public void Escaped_brackets_are_text() =>
        Assert.Equal([(@"fate (series) [1] \ done", 1f)], Parse(@"fate \(series\) \[1\] \\ done"));

    [Fact]
    public void A_colon_without_a_number_is_text() =>
        Assert.Equal([("style: baroque", 1.1f)], Parse("(style: baroque)"));

    [Fact]
    public void Weights_accept_spaces_and_short_decimals() =>
        Assert.Equal([("cat", 0.5f), ("dog", 2f)], Parse("(cat: .5 )(dog:2)"));

    [Fact]
    public void Empty_groups_and_empty_prompts_give_nothing()
    {
        Assert.Empty(Parse(""));
        Assert.Empty(Parse("()[]"));
    }

    [Theory]
    [InlineData("a (red fox", "'(' is never closed", 3)]
    [InlineData("a red) fox", "')' has no matching '('", 6)]
    [InlineData("a [red) fox", "')' closes the '[' opened at character 3", 7)]
    [InlineData("a (red:1.2.3) fox", "expected a weight", 7)]
    [InlineData("a (red:-1) fox", "0 or more", 7)]
    [InlineData("]", "']' has no matching '['", 1)]
    public void Bad_syntax_is_a_clear_error_naming_the_position(string prompt, string problem, int position)
    {
        var error = Assert.Throws<EngineInputException>(() => PromptWeights.Parse(prompt));

        Assert.Equal("prompt", error.Field);
        Assert.Contains(problem, error.Message);
        Assert.Contains($"character {position}:", error.Message);
    }

    [Fact]
    public void The_error_names_the_field_it_was_given()
    {
        var error = Assert.Throws<EngineInputException>(() => PromptWeights.Parse("(ugly", "negative_prompt"));

        Assert.Equal("negative_prompt", error.Field);
        Assert.StartsWith("negative_prompt:", error.Message);
    }

    [Fact]
    public void Plain_text_strips_the_syntax() =>
        Assert.Equal("a red fox (cub)", PromptWeights.PlainText(@"a ((red:1.2) fox) \(cub\)"));
}
