namespace EditorBridge.Imaging;

/// <summary>
/// The geometry of one selection job: what the engine sees (a context crop around the grown
/// selection, scaled to its working size, with a hard hole mask) and how its answer goes back
/// (scaled back, cut to the selection's bounding box, feather-blended into the original).
/// </summary>
public sealed class SelectionWorkArea
{
    private SelectionWorkArea(Raster layer, SelectionMask? requested, SelectionMask? selection, PixelRect bounds, PixelRect context, int workWidth, int workHeight, GeometrySettings settings)
    {
        Layer = layer;
        Requested = requested;
        Selection = selection;
        ResultBounds = bounds;
        Context = context;
        WorkWidth = workWidth;
        WorkHeight = workHeight;
        Settings = settings;
    }

    /// <summary>The layer (grown over the selection, transparent in the new area, when outpainting).</summary>
    public Raster Layer { get; }

    /// <summary>The selection as the painter made it, before growing; null when the whole layer is the work area.</summary>
    public SelectionMask? Requested { get; }

    /// <summary>The selection after growing; null when the whole layer is the work area.</summary>
    public SelectionMask? Selection { get; }

    /// <summary>Canvas bounds of the returned layer: the grown selection's bounding box.</summary>
    public PixelRect ResultBounds { get; }

    /// <summary>Canvas area the engine sees.</summary>
    public PixelRect Context { get; }

    public int WorkWidth { get; }

    public int WorkHeight { get; }

    public GeometrySettings Settings { get; }

    /// <summary>
    /// The layer's bounds as sent. When outpainting grew it, the new canvas inside the context is part of
    /// the hole (<see cref="WorkHole"/>, <see cref="WorkSelected"/>) even where unselected: the engine fills
    /// it from the layer's real pixels instead of reading its transparent ones as context, and the blend,
    /// limited to the grown selection, leaves the unselected part transparent.
    /// </summary>
    public PixelRect LayerBefore { get; private init; }

    /// <summary>Plans the work area. Throws <see cref="ArgumentException"/> when the selection is empty or outside the layer.</summary>
    /// <remarks>
    /// With <see cref="GeometrySettings.Outpaint"/> the layer first grows over the selection
    /// (<see cref="ContextCrop.Canvas"/>, transparent in the new area): the new area is part of the hole,
    /// the engine fills it from the layer around it, and the result's bounds reach into it.
    /// </remarks>
    public static SelectionWorkArea Plan(Raster layer, SelectionMask mask, GeometrySettings settings, int maxWorkingSide, int sizeMultiple)
    {
        var original = layer.Bounds;
        if (settings.Outpaint)
            layer = layer.Extend(ContextCrop.Canvas(layer.Bounds, mask.SelectedBounds(), outpaint: true));
        if (!layer.Bounds.Contains(mask.Bounds))
        {
            if (!settings.Outpaint)
                throw new ArgumentException($"mask {mask.Bounds} is not inside layer {layer.Bounds}", nameof(mask));
            // the grown layer holds every selected pixel: only unselected margin is cut off
            mask = mask.CropTo(mask.Bounds.Intersect(layer.Bounds));
        }
        var grown = mask.Grow(settings.GrowPixels, layer.Bounds);
        var bounds = grown.SelectedBounds();
        if (bounds.IsEmpty)
            throw new ArgumentException("the selection is empty", nameof(mask));
        var context = ContextCrop.Around(bounds, layer.Bounds, settings);
        var (w, h) = WorkScale.Fit(context.Width, context.Height, maxWorkingSide, sizeMultiple);
        return new SelectionWorkArea(layer, mask, grown, bounds, context, w, h, settings) { LayerBefore = original };
    }

    /// <summary>The whole layer as the work area: for operations that take no selection.</summary>
    public static SelectionWorkArea WholeLayer(Raster layer, int maxWorkingSide, int sizeMultiple)
    {
        var settings = GeometrySettings.Default with { GrowPixels = 0, FeatherPixels = 0 };
        var (w, h) = WorkScale.Fit(layer.Bounds.Width, layer.Bounds.Height, maxWorkingSide, sizeMultiple);
        return new SelectionWorkArea(layer, null, null, layer.Bounds, layer.Bounds, w, h, settings);
    }

    public bool IsScaled => WorkWidth != Context.Width || WorkHeight != Context.Height;

    /// <summary>The context crop as RGBA8 at working size (shared with the layer when nothing changes: read only).</summary>
    public byte[] WorkImage()
    {
        var crop = Layer.Crop(Context);
        var rgba8 = crop.Format == PixelFormat.Rgba8 ? crop.Data : crop.ToRgba8();
        return Resampler.ResizeRgba8(rgba8, Context.Width, Context.Height, WorkWidth, WorkHeight);
    }

    /// <summary>The hole at working size: 255 where the grown selection has any coverage (and on outpainting's new canvas); null for the whole layer.</summary>
    public byte[]? WorkHole()
    {
        if (Selection is null)
            return null;
        return Hard(Selection.CoverageIn(Context));
    }

    /// <summary>
    /// The painter's selection before growing, at working size: 255 where it has any coverage
    /// (inside <see cref="WorkHole"/>: the rest of the hole is the grown band); null for the whole layer.
    /// </summary>
    public byte[]? WorkSelected()
    {
        if (Requested is null)
            return null;
        return Hard(Requested.CoverageIn(Context));
    }

    // 255 where any coverage, and on the new canvas outpainting added; at working size.
    private byte[] Hard(byte[] coverage)
    {
        bool grown = !LayerBefore.IsEmpty && LayerBefore != Layer.Bounds;
        for (int i = 0; i < coverage.Length; i++)
        {
            bool fresh = grown && !LayerBefore.Contains(Context.X + i % Context.Width, Context.Y + i / Context.Width);
            coverage[i] = coverage[i] > 0 || fresh ? (byte)255 : (byte)0;
        }

        return Resampler.ResizeMask(coverage, Context.Width, Context.Height, WorkWidth, WorkHeight);
    }

    /// <summary>
    /// A canvas-aligned extra picture (hints, an object layer) cut to the work area and scaled like
    /// the layer: RGBA8 at working size, transparent where <paramref name="input"/> does not reach.
    /// </summary>
    public byte[] WorkInput(Raster input)
    {
        var overlap = input.Bounds.Intersect(Context);
        var rgba = new byte[Context.Area * 4];
        if (!overlap.IsEmpty)
        {
            var crop = input.Crop(overlap);
            var pixels = crop.Format == PixelFormat.Rgba8 ? crop.Data : crop.ToRgba8();
            int rowBytes = overlap.Width * 4;
            for (int y = 0; y < overlap.Height; y++)
                Buffer.BlockCopy(pixels, y * rowBytes, rgba, ((overlap.Y - Context.Y + y) * Context.Width + overlap.X - Context.X) * 4, rowBytes);
        }

        return Resampler.ResizeRgba8(rgba, Context.Width, Context.Height, WorkWidth, WorkHeight);
    }

    /// <summary>A canvas x coordinate in work-image pixels (continuous: pixel centres keep their place).</summary>
    public double WorkX(double canvasX) => (canvasX + 0.5 - Context.X) * WorkWidth / Context.Width - 0.5;

    /// <summary>A canvas y coordinate in work-image pixels.</summary>
    public double WorkY(double canvasY) => (canvasY + 0.5 - Context.Y) * WorkHeight / Context.Height - 0.5;

    /// <summary>A horizontal canvas length in work-image pixels.</summary>
    public double WorkWidthOf(double canvasLength) => canvasLength * WorkWidth / Context.Width;

    /// <summary>A vertical canvas length in work-image pixels.</summary>
    public double WorkHeightOf(double canvasLength) => canvasLength * WorkHeight / Context.Height;

    /// <summary>
    /// Turns an engine's upscaled answer (<paramref name="scale"/> times the work size) into the
    /// result layer: the whole layer, <paramref name="scale"/> times larger, at <paramref name="scale"/>
    /// times its offset. Whole-layer work areas only.
    /// </summary>
    public Raster ComposeScaled(byte[] engineRgba8, int scale)
    {
        if (scale == 1)
            return Compose(engineRgba8);
        if (Selection is not null)
            throw new InvalidOperationException("a scaled result needs the whole layer as the work area");
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        var bounds = new PixelRect(Context.X * scale, Context.Y * scale, Context.Width * scale, Context.Height * scale);
        var full = Resampler.ResizeRgba8(engineRgba8, WorkWidth * scale, WorkHeight * scale, bounds.Width, bounds.Height);
        return Layer.Format == PixelFormat.Rgba8 ? new Raster(bounds, PixelFormat.Rgba8, full) : Raster.FromRgba8(bounds, full, Layer.Format);
    }

    /// <summary>
    /// Turns a work-size selection an engine found (segment) into a canvas selection over the work
    /// area, soft edges kept; limited to the (grown) request selection when there was one.
    /// </summary>
    public SelectionMask ComposeMask(byte[] workCoverage)
    {
        var coverage = Resampler.ResizeCoverage(workCoverage, WorkWidth, WorkHeight, Context.Width, Context.Height);
        if (ReferenceEquals(coverage, workCoverage))
            coverage = (byte[])coverage.Clone();
        if (Selection is not null)
        {
            var limit = Selection.CoverageIn(Context);
            for (int i = 0; i < coverage.Length; i++)
                coverage[i] = (byte)((coverage[i] * limit[i] + 127) / 255);
        }

        return new SelectionMask(Context, coverage);
    }

    /// <summary>
    /// The result layer of an operation that answers a selection and leaves the pixels alone
    /// (segment): the bounds <see cref="Compose"/> would give, with the layer's own pixels. The
    /// engine's work image may be a scaled copy; scaling it back would change every pixel.
    /// </summary>
    public Raster Unchanged() => Layer.Crop(Selection is null ? Context : ResultBounds);

    /// <summary>
    /// Whether <see cref="Compose"/> only puts the engine's answer into the layer's format (the whole
    /// layer, unscaled: no resampling, no blend): then <see cref="ComposeInto"/> writes the same bytes
    /// into a place the caller has (a shared-memory region) instead of a new array.
    /// </summary>
    public bool ComposesWhole => Selection is null && !IsScaled;

    /// <summary>
    /// The bytes of <see cref="Compose"/>'s layer for <paramref name="engineRgba8"/>, written into
    /// <paramref name="target"/> (<see cref="Context"/>'s size in the layer's format); only where
    /// <see cref="ComposesWhole"/>. The layer is only read: a 16-bit channel the engine left at its
    /// rounding keeps the layer's value, as in <see cref="Raster.FromRgba8(PixelRect, byte[], Raster)"/>.
    /// </summary>
    public void ComposeInto(ReadOnlySpan<byte> engineRgba8, Span<byte> target)
    {
        if (!ComposesWhole)
            throw new InvalidOperationException("only an unscaled whole-layer answer is written in place");
        Raster.WriteFromRgba8(engineRgba8, Layer.Crop(Context), target);
    }

    /// <summary>Turns the engine's work-size RGBA8 answer into the result layer.</summary>
    public Raster Compose(byte[] engineRgba8)
    {
        var full = Resampler.ResizeRgba8(engineRgba8, WorkWidth, WorkHeight, Context.Width, Context.Height);
        if (Selection is null)
            return Raster.FromRgba8(Context, full, Layer.Crop(Context));
        var contextRaster = new Raster(Context, PixelFormat.Rgba8, full);
        var replacement = contextRaster.Crop(ResultBounds).Data;
        var weights = FeatheredBlend.Weights(Selection, ResultBounds, Settings.FeatherPixels, Layer.Bounds);
        if (Requested is not null && Settings.GrowPixels > 0)
            KeepSelectedWhole(weights);
        return FeatheredBlend.Apply(Layer.Crop(ResultBounds), replacement, weights);
    }

    // Growing exists to hide the seam in the band around the selection: the painter's own selection
    // is replaced at least as fully as they selected it, else a trace of what they removed shows through
    // where the feather's ramp (measured from the grown edge) has not quite reached 1.
    private void KeepSelectedWhole(float[] weights)
    {
        var selected = Requested!.CoverageIn(ResultBounds);
        for (int i = 0; i < weights.Length; i++)
            weights[i] = Math.Max(weights[i], selected[i] / 255f);
    }
}
