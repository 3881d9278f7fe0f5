using System.Buffers;
using System.Net;
using System.Net.Http.Headers;

namespace EditorBridge.ModelStore.Pull;

/// <summary>
/// Brings a partial file to its full size over HTTP: asks for the missing bytes with a Range request
/// (If-Range with the server's validator, so a changed file starts over instead of being spliced), gives
/// up on a connection that sends nothing for <see cref="PullOptions.StallTimeout"/>, and retries with a
/// doubling delay; the count of tries starts again whenever a try brought bytes.
/// </summary>
internal sealed class HttpFetcher(HttpClient http, PullOptions options)
{
    public async Task FetchAsync(Uri url, FetchJob job, CancellationToken cancellationToken)
    {
        int failures = 0;
        while (!job.IsComplete)
        {
            long before = job.Part.Length;
            try
            {
                await FetchOnceAsync(url, job, cancellationToken);
            }
            catch (RetryableFetchException e)
            {
                failures = job.Part.Length > before ? 1 : failures + 1;
                if (failures >= options.Attempts)
                {
                    throw new PullException(e.Failure,
                        $"{e.Message}; gave up after {failures} tries ({DiskSpace.Bytes(job.Part.Length)} of {job.Label} kept, the next pull resumes)", e);
                }

                await Task.Delay(options.RetryDelay * Math.Pow(2, failures - 1), cancellationToken);
            }
        }
    }

    private async Task FetchOnceAsync(Uri url, FetchJob job, CancellationToken cancellationToken)
    {
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stall.CancelAfter(options.StallTimeout);
        using var request = RangeRequest(url, job);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stall.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RetryableFetchException(PullFailure.Network, $"{url.Host} did not answer within {Seconds(options.StallTimeout)} for {job.Label}", e);
        }
        catch (HttpRequestException e)
        {
            throw new RetryableFetchException(PullFailure.Network, $"cannot fetch {job.Label} from {url}: {e.Message}", e);
        }

        using (response)
        {
            long offset = AcceptResponse(url, job, response);
            await CopyBodyAsync(url, job, response, offset, stall, cancellationToken);
        }
    }

    private static HttpRequestMessage RangeRequest(Uri url, FetchJob job)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (job.Part.Length > 0)
        {
            request.Headers.Range = new RangeHeaderValue(job.Part.Length, null);
            if (job.Record.Validator is { } validator && job.Record.Url == url.AbsoluteUri)
                request.Headers.TryAddWithoutValidation("If-Range", validator);
        }

        return request;
    }

    /// <summary>Checks the status and length; returns where the body's bytes start in the file.</summary>
    private long AcceptResponse(Uri url, FetchJob job, HttpResponseMessage response)
    {
        var status = response.StatusCode;
        string answered = $"{url} answered HTTP {(int)status} {response.ReasonPhrase}";
        if (status is HttpStatusCode.NotFound or HttpStatusCode.Gone)
            throw new PullException(PullFailure.NotFound, $"{job.Label} is not there: {answered}");
        if (status == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            Discard(job);
            throw new RetryableFetchException(PullFailure.ServerError, $"{answered} to a resume; starting {job.Label} over");
        }

        if (status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500)
            throw new RetryableFetchException(PullFailure.ServerError, answered);
        if (status is not (HttpStatusCode.OK or HttpStatusCode.PartialContent))
            throw new PullException(PullFailure.ServerError, $"cannot fetch {job.Label}: {answered}");

        long? total = response.Content.Headers.ContentLength;
        if (status == HttpStatusCode.PartialContent)
        {
            var range = response.Content.Headers.ContentRange;
            if (range?.From != job.Part.Length)
            {
                Discard(job);
                throw new RetryableFetchException(PullFailure.ServerError, $"{url} sent bytes from {range?.From} when asked from {job.Part.Length}; starting {job.Label} over");
            }

            total = range.Length;
        }
        else if (job.Part.Length > 0)
        {
            // the server ignored the range, or the file changed since (If-Range): the whole file comes again
            Discard(job);
        }

        if (total is long length)
            job.LearnSize(length, url.ToString());
        RememberValidator(url, job, response);
        return job.Part.Length;
    }

    private static void RememberValidator(Uri url, FetchJob job, HttpResponseMessage response)
    {
        // weak ETags are not allowed in If-Range; Last-Modified is
        var etag = response.Headers.ETag;
        job.Record.Validator = etag is { IsWeak: false } ? etag.ToString() : response.Content.Headers.LastModified?.ToString("R");
        job.Record.Url = url.AbsoluteUri;
        job.SaveState();
    }

    private async Task CopyBodyAsync(Uri url, FetchJob job, HttpResponseMessage response, long offset, CancellationTokenSource stall, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(128 * 1024);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(stall.Token);
            while (true)
            {
                stall.CancelAfter(options.StallTimeout);
                int read = await ReadAsync(url, job, body, buffer, stall.Token, cancellationToken);
                if (read == 0)
                    break;
                if (job.Part.Length + read > job.Size)
                    throw new PullException(PullFailure.Corrupt, $"{url} sends more than the {job.Size} bytes the catalog gives for {job.Label}: not the published file");
                await job.Part.AppendAsync(buffer.AsMemory(0, read), cancellationToken);
                job.Meter.Fetched(read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (job.Size is null)
            job.LearnSize(job.Part.Length, url.ToString());
        if (job.Part.Length < job.Size)
            throw new RetryableFetchException(PullFailure.Network, $"{url} ended {job.Label} at {job.Part.Length} of {job.Size} bytes (from {offset})");
    }

    private async Task<int> ReadAsync(Uri url, FetchJob job, Stream body, byte[] buffer, CancellationToken stall, CancellationToken cancellationToken)
    {
        try
        {
            return await body.ReadAsync(buffer, stall);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RetryableFetchException(PullFailure.Network, $"{url.Host} sent nothing for {Seconds(options.StallTimeout)} while sending {job.Label} ({job.Part.Length} of {job.Size} bytes)", e);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw new RetryableFetchException(PullFailure.Network, $"the connection to {url.Host} broke while sending {job.Label} ({job.Part.Length} of {job.Size} bytes): {e.Message}", e);
        }
    }

    private static void Discard(FetchJob job)
    {
        job.Meter.Discarded(job.Part.Length);
        job.Part.Restart();
    }

    private static string Seconds(TimeSpan t) => $"{t.TotalSeconds:0.##} s";
}
