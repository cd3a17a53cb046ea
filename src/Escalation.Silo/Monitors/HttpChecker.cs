using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Escalation.Logging;
using Escalation.Monitors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Escalation.Silo.Monitors;

/// <summary>
/// Runs HTTP checks off the grains' turns, a bounded number at once, and reports each result to its monitor's grain.
/// The connection refuses forbidden addresses (<see cref="RequestForgeryGuard"/>) after name resolution, so a name that
/// resolves to the metadata service is refused too; redirects are not followed.
/// </summary>
public sealed class HttpChecker(IHttpClientFactory clients, IGrainFactory grains, IOptions<MonitorOptions> options, ILogger<HttpChecker> logger)
    : IHttpChecker
{
    public const string ClientName = "monitors";
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentChecks);

    /// <summary>Off the calling grain's scheduler (Task.Run): the check must not hold or outlive the activation's turns.</summary>
    public void Start(string monitorId, HttpCheckSpec check, DateTimeOffset startedAt) => _ = Task.Run(() => Run(monitorId, check, startedAt));

    private async Task Run(string monitorId, HttpCheckSpec check, DateTimeOffset startedAt)
    {
        // The timeout bounds the wait for a slot too, so a check always ends before its grain gives it up
        // (timeout and MonitorGrain.LostCheckAfter) and starts another: never two at once for one monitor.
        // Real time, not the clock's: it bounds a network call.
        using var timeout = new CancellationTokenSource(check.Timeout);
        var took = Stopwatch.StartNew();
        CheckResult result;
        try
        {
            await _slots.WaitAsync(timeout.Token);
            try
            {
                result = await Probe(check, startedAt, timeout, took);
            }
            finally
            {
                _slots.Release();
            }
        }
        catch (OperationCanceledException)
        {
            result = new CheckResult(startedAt, false, null, $"not started within {Json.IsoDuration.Format(check.Timeout)}: this silo's checker is busy", took.Elapsed);
        }
        try
        {
            await grains.GetGrain<IMonitorGrain>(MonitorKeys.For(monitorId)).CheckDone(result);
        }
        catch (Exception e)
        {
            // The grain gives the check up at its deadline and starts another.
            logger.LogWarning(e, "monitor.report_failed monitor={MonitorId}", LogText.Escape(monitorId));
        }
    }

    private async Task<CheckResult> Probe(HttpCheckSpec check, DateTimeOffset startedAt, CancellationTokenSource timeout, Stopwatch took)
    {
        try
        {
            using var request = new HttpRequestMessage(new HttpMethod(check.Method), check.Url);
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            return new CheckResult(startedAt, status == check.ExpectedStatus, status,
                status == check.ExpectedStatus ? null : $"HTTP {status}, expected {check.ExpectedStatus}", took.Elapsed);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return new CheckResult(startedAt, false, null, $"no answer within {Json.IsoDuration.Format(check.Timeout)}", took.Elapsed);
        }
        catch (Exception e)
        {
            // Whatever went wrong is the check's result: a check that never reports would only be given up on later.
            return new CheckResult(startedAt, false, null, e.GetBaseException().Message, took.Elapsed);
        }
    }

    /// <summary>The handler's connection step: resolve, refuse a forbidden address unless allowed, connect.</summary>
    public static SocketsHttpHandler Handler(MonitorOptions options) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = async (context, ct) =>
        {
            var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct);
            var allowed = options.AllowLinkLocal ? addresses : [.. addresses.Where(a => !RequestForgeryGuard.IsForbidden(a))];
            if (allowed.Length == 0)
                throw new ForbiddenAddressException($"{context.DnsEndPoint.Host} resolves to a link-local or cloud-metadata address: not checked");
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}

public sealed class ForbiddenAddressException(string message) : Exception(message);
