using EditorBridge.Engines.Diffusion.Models;
using EditorBridge.Engines.Diffusion.Runtime;
using EditorBridge.Engines.Diffusion.Text;
using EditorBridge.Inference;
using Microsoft.ML.OnnxRuntime;

namespace EditorBridge.Engines.Diffusion.Tests.Sdxl;

/// <summary>
/// SDXL's text conditioning against an oracle that runs the two exported encoders directly and
/// picks their outputs by name, as diffusers' encode_prompt does (hidden_states[-2] of each,
/// concatenated; the second encoder's text_embeds pooled; zeros for an empty negative prompt).
/// </summary>
public sealed class SdxlConditioningTests(SdxlModelStore store) : IClassFixture<SdxlModelStore>, IDisposable
{
    private readonly SharedSessions sessions = new([ExecutionProvider.Cpu], TimeSpan.FromMinutes(1));

    public void Dispose() => sessions.Dispose();

    [Fact]
    public void The_hidden_states_are_both_encoders_penultimate_layers_side_by_side_and_the_pooled_is_the_second_encoders()
    {
        var model = store.ModelDirectory(SdxlModelStore.Plain);

        var text = Encode(model, "a red cat", "blurry", guided: true, zeroEmptyNegative: true);

        var (first, _) = Oracle(model, "text_encoder", "tokenizer", "a red cat", "hidden_states.1");
        var (second, pooled) = Oracle(model, "text_encoder_2", "tokenizer_2", "a red cat", "hidden_states.1");
        var (negativeFirst, _) = Oracle(model, "text_encoder", "tokenizer", "blurry", "hidden_states.1");
        Assert.Equal((2, 77, 768 + 1280, 1280), (text.Batch, text.Tokens, text.Width, text.PooledWidth));
        for (int token = 0; token < 77; token++)
        {
            Close(first.AsSpan(token * 768, 768), Row(text, 1, token).AsSpan(0, 768));
            Close(second.AsSpan(token * 1280, 1280), Row(text, 1, token).AsSpan(768, 1280));
            Close(negativeFirst.AsSpan(token * 768, 768), Row(text, 0, token).AsSpan(0, 768));
        }

        Close(pooled, text.Pooled.AsSpan(1280, 1280));
    }

    [Fact]
    public void The_last_layer_is_not_what_SDXL_uses_so_taking_it_would_fail_the_oracle()
    {
        var model = store.ModelDirectory(SdxlModelStore.Plain);

        var text = Encode(model, "a red cat", "", guided: false, zeroEmptyNegative: true);
        var (last, _) = Oracle(model, "text_encoder", "tokenizer", "a red cat", "hidden_states.2");

        Assert.NotEqual(last.AsSpan(0, 768).ToArray(), Row(text, 0, 0).AsSpan(0, 768).ToArray());
    }

    [Fact]
    public void An_empty_negative_prompt_gives_zero_unconditional_embeddings_when_the_model_asks_for_it()
    {
        var model = store.ModelDirectory(SdxlModelStore.Plain);

        var zeroed = Encode(model, "a red cat", "", guided: true, zeroEmptyNegative: true);
        var encoded = Encode(model, "a red cat", "", guided: true, zeroEmptyNegative: false);

        Assert.All(zeroed.Hidden.AsSpan(0, 77 * 2048).ToArray(), v => Assert.Equal(0f, v));
        Assert.All(zeroed.Pooled!.AsSpan(0, 1280).ToArray(), v => Assert.Equal(0f, v));
        Assert.Equal(encoded.Hidden.AsSpan(77 * 2048).ToArray(), zeroed.Hidden.AsSpan(77 * 2048).ToArray());
        Assert.Contains(encoded.Hidden.AsSpan(0, 77 * 2048).ToArray(), v => v != 0);
    }

    [Fact]
    public void Time_ids_are_original_size_crop_top_left_and_target_size_as_height_then_width()
    {
        // diffusers _get_add_time_ids: list(original_size + crops_coords_top_left + target_size), sizes as (height, width)
        Assert.Equal([512f, 768f, 0f, 0f, 512f, 768f], SdxlTextConditioning.TimeIds(width: 768, height: 512));
    }

    [Fact]
    public void The_unet_is_fed_the_hidden_states_the_pooled_embedding_and_the_time_ids_for_both_rows()
    {
        var model = store.ModelDirectory(SdxlModelStore.Plain);
        var text = Encode(model, "a red cat", "blurry", guided: true, zeroEmptyNegative: true);
        using var unet = sessions.Acquire(Path.Combine(model, "unet", "model.onnx"));
        using var predictor = new NoisePredictor(unet, [], null, text, 7.5f, SdxlTextConditioning.TimeIds(64, 48));

        var (names, values) = predictor.Conditioning(unet);

        Assert.Equal(["encoder_hidden_states", "text_embeds", "time_ids"], names);
        Assert.Equal(text.Hidden, TensorData.Read(values[0]));
        Assert.Equal(text.Pooled, TensorData.Read(values[1]));
        Assert.Equal([48f, 64f, 0f, 0f, 48f, 64f, 48f, 64f, 0f, 0f, 48f, 64f], TensorData.Read(values[2]));
        Assert.Equal([2L, 6L], TensorData.Shape(values[2]));
    }

    private TextConditioning Encode(string model, string prompt, string negative, bool guided, bool zeroEmptyNegative)
    {
        using var first = sessions.Acquire(Path.Combine(model, "text_encoder", "model.onnx"));
        using var second = sessions.Acquire(Path.Combine(model, "text_encoder_2", "model.onnx"));
        return SdxlTextConditioning.Encode(
            [(ClipTokenizer.Load(Path.Combine(model, "tokenizer")), first), (ClipTokenizer.Load(Path.Combine(model, "tokenizer_2")), second)],
            prompt, negative, guided, zeroEmptyNegative, CancellationToken.None);
    }

    // runs one encoder by hand: its own tokenizer's ids, the named hidden-state output and the first output (pooled)
    private static (float[] Hidden, float[] First) Oracle(string model, string encoder, string tokenizer, string prompt, string hiddenName)
    {
        var ids = ClipTokenizer.Load(Path.Combine(model, tokenizer)).Encode(prompt, "prompt").Ids;
        using var opened = SessionOpener.Open(Path.Combine(model, encoder, "model.onnx"), [ExecutionProvider.Cpu]);
        var session = opened.Session;
        using var input = OrtValue.CreateTensorValueFromMemory(ids, [1, ids.Length]);
        using var outputs = session.Run(new RunOptions(), ["input_ids"], [input], [hiddenName, session.OutputNames[0]]);
        return (outputs[0].GetTensorDataAsSpan<float>().ToArray(), outputs[1].GetTensorDataAsSpan<float>().ToArray());
    }

    // The oracle runs batch 1 in its own session, the engine batch 2 in a shared one: ONNX Runtime's
    // vectorised Sin/Cos may round the last bit differently; 1e-5 is ~100 float32 ulps at these magnitudes (≤ 1),
    // while taking the wrong layer or encoder differs by ~0.1 (see the last-layer test).
    private static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f, $"value {i}: expected {expected[i]}, got {actual[i]}");
    }

    private static float[] Row(TextConditioning text, int row, int token) =>
        text.Hidden.AsSpan((row * text.Tokens + token) * text.Width, text.Width).ToArray();
}
