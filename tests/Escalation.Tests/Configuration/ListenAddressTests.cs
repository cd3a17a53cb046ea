using Escalation.Silo.Hosting;
using Microsoft.Extensions.Configuration;

namespace Escalation.Tests.Configuration;

public sealed class ListenAddressTests
{
    [Theory]
    [InlineData("urls", "http://0.0.0.0:8080", true)]
    [InlineData("http_ports", "8080", true)]
    [InlineData("https_ports", "8443", true)]
    [InlineData("Kestrel:Endpoints:Http:Url", "http://0.0.0.0:8080", true)]
    [InlineData("Logging:LogLevel:Default", "Information", false)]
    public void The_default_applies_only_when_no_address_is_given(string key, string value, bool given) =>
        Assert.Equal(given, ListenAddress.IsGiven(new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build()));
}
