using EditorBridge.ModelStore;
using EditorBridge.ModelStore.Catalog;

namespace EditorBridge.Daemon.Models;

/// <summary>A catalog model and, when it is installed, the installed one.</summary>
public sealed record CatalogItem(CatalogEntry Entry, InstalledModel? Installed);
