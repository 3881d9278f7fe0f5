using EditorBridge.ModelStore.Catalog;

namespace EditorBridge.ModelStore.Tests.Pull;

public sealed class CatalogTests
{
    [Fact]
    public void The_built_in_catalog_has_a_model_of_every_kind_the_engines_run()
    {
        var catalog = ModelCatalog.BuiltIn;

        foreach (var kind in ModelKind.All)
            Assert.Contains(catalog.Entries, e => e.Kind == kind);
        Assert.True(catalog.Entries.Count(e => e.Kind == ModelKind.Style) >= 3, "a few fast-neural-style models");
        var lama = catalog.Get("lama");
        Assert.Equal(512, lama.Signature!.FixedSize);
        Assert.Equal(["image", "mask"], lama.Signature.Inputs.Select(i => i.Role));
    }

    [Fact]
    public void Single_graph_entries_describe_their_model_for_the_onnx_engine_and_serve_their_kinds_operation()
    {
        foreach (var entry in ModelCatalog.BuiltIn.Entries.Where(e => e.Kind != ModelKind.Diffusion))
        {
            Assert.NotNull(entry.Signature);
            Assert.Contains(entry.Files, f => f.Path == entry.Signature.File);
            Assert.NotEmpty(entry.Signature.Inputs);
            Assert.NotEmpty(entry.Signature.Outputs);
            Assert.Equal(KindOperations.For(entry.Kind), entry.Operations);
            Assert.All(entry.Files, f => Assert.NotNull(f.Sha256));
        }
    }

    [Fact]
    public void Entries_whose_tensor_names_no_source_confirms_bind_them_by_position_and_the_others_are_strict()
    {
        var positional = ModelCatalog.BuiltIn.Entries
            .Where(e => e.Signature is { BindByPosition: true })
            .Select(e => e.Name)
            .Order(StringComparer.Ordinal);

        Assert.Equal(["realesr-general-x4v3", "u2netp"], positional);
        Assert.Equal(["input1", "output1"], [.. ModelCatalog.BuiltIn.Get("style-mosaic").Signature!.Inputs.Select(i => i.Name), .. ModelCatalog.BuiltIn.Get("style-mosaic").Signature!.Outputs.Select(o => o.Name)]);
        Assert.Equal("output", ModelCatalog.BuiltIn.Get("lama").Signature!.Outputs.Single().Name);
    }

    [Fact]
    public void Stable_diffusion_needs_its_licence_accepted_and_has_the_diffusers_layout()
    {
        var sd = Assert.Single(ModelCatalog.BuiltIn.Entries, e => e.Kind == ModelKind.Diffusion);

        Assert.Equal("CreativeML-OpenRAIL-M", sd.Licence.Id);
        Assert.True(sd.Licence.RequiresAcceptance);
        Assert.StartsWith("https://", sd.Licence.Url);
        foreach (var part in new[] { "model_index.json", "text_encoder/model.onnx", "unet/model.onnx", "unet/weights.pb", "vae_decoder/model.onnx", "vae_encoder/model.onnx", "tokenizer/vocab.json", "tokenizer/merges.txt" })
            Assert.Contains(sd.Files, f => f.Path == part);
        // no checksums published: recorded on first use, which the entry says
        Assert.True(sd.TrustsOnFirstUse);
        Assert.Contains("trust on first use", sd.Description);
        Assert.InRange(sd.TotalSize, 4_000_000_000, 5_000_000_000);
    }

    [Fact]
    public void Every_entry_names_where_its_urls_and_checksums_come_from()
    {
        foreach (var entry in ModelCatalog.BuiltIn.Entries)
        {
            Assert.NotEmpty(entry.Sources);
            Assert.All(entry.Files, f => Assert.StartsWith("https://", f.Url));
            Assert.False(string.IsNullOrWhiteSpace(entry.Description));
        }
    }

    [Theory]
    [InlineData("""{"models":[{"name":"x","kind":"style","version":"1","description":"","licence":{"id":"MIT"},"operations":["stylize"],"files":[{"path":"m.onnx","url":"ftp://example.org/m.onnx","size":1}],"sources":[]}]}""", "files[0].url")]
    [InlineData("""{"models":[{"name":"x","kind":"style","version":"1","description":"","licence":{"id":"MIT"},"operations":["stylize"],"files":[{"path":"../m.onnx","url":"https://example.org/m.onnx","size":1}],"sources":[]}]}""", "files[0].path")]
    [InlineData("""{"models":[{"name":"x","kind":"style","version":"1","description":"","licence":{"id":"MIT"},"operations":["stylize"],"files":[{"path":"m.onnx","url":"https://example.org/m.onnx","size":1,"sha256":"XYZ"}],"sources":[]}]}""", "files[0].sha256")]
    [InlineData("""{"models":[{"name":"x","kind":"style","version":"1","description":"","licence":{"id":"MIT"},"operations":["stylize"],"files":[{"path":"m.onnx","url":"https://example.org/m.onnx"}],"sources":[]}]}""", "files[0].size")]
    [InlineData("""{"models":[{"name":"X Y","kind":"style","version":"1","description":"","licence":{"id":"MIT"},"operations":["stylize"],"files":[{"path":"m.onnx","url":"https://example.org/m.onnx","size":1}],"sources":[]}]}""", ".name")]
    [InlineData("""{"models":[{"name":"x","kind":"painting","version":"1","description":"","licence":{"id":"MIT"},"operations":["stylize"],"files":[{"path":"m.onnx","url":"https://example.org/m.onnx","size":1}],"sources":[]}]}""", ".kind")]
    [InlineData("""{"models":[{"name":"x","kind":"style","version":"1","description":"","licence":{"id":"X","requiresAcceptance":true},"operations":["stylize"],"files":[{"path":"m.onnx","url":"https://example.org/m.onnx","size":1}],"sources":[]}]}""", "licence.url")]
    public void A_catalog_entry_that_breaks_a_rule_is_refused_naming_the_field(string json, string field)
    {
        var e = Assert.Throws<InvalidDataException>(() => ModelCatalog.Parse(json));

        Assert.Contains("models[0]", e.Message);
        Assert.Contains(field, e.Message);
    }
}
