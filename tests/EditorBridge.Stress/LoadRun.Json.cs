using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using EditorBridge.Client;
using EditorBridge.Protocol.V1;
using Google.Protobuf;
using Grpc.Core;

namespace EditorBridge.Stress;
/// <summary>The load run's JSON client: blobs up, a job through the transcoded route, the result down, as the Krita bridge does.</summary>
public static partial class LoadRun
{
    private static async Task RunJsonAsync(HttpClient http, Spec spec, Outcome outcome, CancellationToken cancellationToken)
    {
        var request = spec.Request.Clone();
        request.Layer.BlobId = await PutAsync(http, spec.Request.Layer.Data.ToByteArray(), cancellationToken);
        request.Mask.BlobId = await PutAsync(http, spec.Request.Mask.Coverage.ToByteArray(), cancellationToken);
        request.ResultDelivery = ResultDelivery.Blob;
        using var disconnect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var message = new HttpRequestMessage(HttpMethod.Post, "/v1/jobs") { Content = new StringContent(JsonFormatter.Default.Format(request), Encoding.UTF8, "application/json") };
        var known = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = new Stopwatch();
        var canceller = spec.Cancel == Cancel.None ? Task.CompletedTask : CancelLaterAsync();
        try
        {
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, disconnect.Token);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(disconnect.Token));
            while (await reader.ReadLineAsync(disconnect.Token) is { } line)
            {
                if (line.Length == 0)
                    continue;
                var node = JsonNode.Parse(line)!;
                if (node["code"] is not null)
                {
                    (outcome.Status, outcome.Message) = ((StatusCode)(int)node["code"]!, (string?)node["message"] ?? "");
                    break;
                }

                var e = JsonParser.Default.Parse<JobEvent>(line);
                Record(outcome, e, known);
                if (e.EventCase == JobEvent.EventOneofCase.Result)
                {
                    var bytes = await http.GetByteArrayAsync($"/v1/blobs/{e.Result.Layer.BlobId}", cancellationToken);
                    e.Result.Layer.Data = ByteString.CopyFrom(bytes);
                    outcome.Result = e.Result;
                }
            }
        }
        catch (Exception e) when (spec.Cancel == Cancel.Disconnect && !cancellationToken.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            // went away after the result had arrived: the cancellation came too late
            if (outcome.Result is null)
                (outcome.Status, outcome.Message) = (StatusCode.Cancelled, "the client went away");
            else
                outcome.CancelTooLate = true;
        }

        known.TrySetResult("");
        await canceller;
        if (clock.IsRunning)
            outcome.CancelLatency = clock.Elapsed;

        async Task CancelLaterAsync()
        {
            var id = await known.Task;
            if (id.Length == 0)
                return;
            await Task.Delay(spec.CancelAfterMs, cancellationToken);
            clock.Start();
            if (spec.Cancel == Cancel.Disconnect)
            {
                await disconnect.CancelAsync();
                return;
            }

            using var answer = await http.PostAsync($"/v1/jobs/{id}/cancel", new StringContent("{}", Encoding.UTF8, "application/json"), cancellationToken);
            if (answer.StatusCode == System.Net.HttpStatusCode.BadRequest || (int)answer.StatusCode == 412 || !answer.IsSuccessStatusCode)
                outcome.CancelTooLate = true;
        }
    }

    private static async Task<string> PutAsync(HttpClient http, byte[] bytes, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await http.PostAsync("/v1/blobs", content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"PutBlob: {(int)response.StatusCode} {body}");
        return (string)JsonNode.Parse(body)!["blobId"]!;
    }
}
