using Microsoft.Extensions.Logging;

namespace EditorBridge.Testing;

internal static class LoggingBuilderExtensions
{
    public static ILoggingBuilder SetMinimumLevelWarning(this ILoggingBuilder builder) => builder.SetMinimumLevel(LogLevel.Warning);
}
