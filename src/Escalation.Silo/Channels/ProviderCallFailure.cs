using Polly;
using Polly.Timeout;

namespace Escalation.Silo.Channels;

/// <summary>
/// What a provider call that threw comes to. Unreachable, too slow (the HttpClient timeout or the resilience
/// handler's), or not attempted by the resilience pipeline are all worth another try; the caller's own cancellation
/// is not a delivery outcome and is left to propagate.
/// </summary>
public static class ProviderCallFailure
{
    public static bool IsTransient(Exception ex, CancellationToken ct) => ex switch
    {
        HttpRequestException or TimeoutException or ExecutionRejectedException => true,
        OperationCanceledException => !ct.IsCancellationRequested,
        _ => false,
    };

    /// <summary>Makes one provider call: what <paramref name="send"/> makes of the answer, or the transient outcome of its throwing.</summary>
    public static async Task<DeliveryOutcome> Call(string provider, string call, Func<Task<DeliveryOutcome>> send, CancellationToken ct)
    {
        try
        {
            return await send();
        }
        catch (Exception ex) when (IsTransient(ex, ct))
        {
            return Transient(provider, call, ex);
        }
    }

    public static DeliveryOutcome.Transient Transient(string provider, string call, Exception ex) => new(ex switch
    {
        OperationCanceledException or TimeoutException or TimeoutRejectedException => $"{provider}: timeout waiting for {call}",
        ExecutionRejectedException => $"{provider}: {call} not attempted ({ex.GetType().Name})",
        HttpRequestException http => $"{provider}: {call} unreachable ({http.HttpRequestError}: {http.Message})",
        _ => $"{provider}: {call} failed ({ex.GetType().Name})",
    });
}
