namespace Escalation.Api.Auth;

/// <summary>
/// Endpoint metadata: the endpoint reads the Authorization header as its own credential (an integration's secret,
/// sent as bearer or basic auth), so it is not looked up as an API key nor counted as a failed one.
/// </summary>
public sealed class OwnCredentials;
