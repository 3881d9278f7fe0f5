namespace EditorBridge.Engines.Classic;

public sealed record ExemplarFillOptions(int PatchSize = 7, int IterationsPerLevel = 5, ulong Seed = 0);
