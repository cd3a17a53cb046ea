namespace Escalation.Api.Http;

public static class RequestBody
{
    /// <summary>The body's bytes as sent; null when it is longer than <paramref name="limit"/> bytes (sent without a length, say).</summary>
    public static async Task<byte[]?> ReadAtMost(Stream body, long limit, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
