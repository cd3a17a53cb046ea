using Escalation.Testing;

namespace Escalation.ClusterTests;

/// <summary>
/// deploy/k8s renders (<c>kubectl kustomize</c>, which needs no server) and every document of every overlay is valid
/// against the Kubernetes API schemas (npm's kubernetes-models, offline: deploy/k8s/validate).
/// </summary>
public sealed class ManifestTests
{
    [Theory, Trait("Category", "Cluster")]
    [InlineData("base")]
    [InlineData("overlays/dev")]
    [InlineData("overlays/production")]
    public async Task Each_overlay_renders_and_is_valid_against_the_API_schemas(string overlay)
    {
        var k8s = Path.Combine(SiloProcess.RepositoryRoot(), "deploy", "k8s");
        var (renderExit, rendered, renderErrors) = await Tool.Run("kubectl", ["kustomize", Path.Combine(k8s, overlay)]);
        Assert.True(renderExit == 0, $"kubectl kustomize {overlay}: {renderErrors}");
        Assert.True(File.Exists(Path.Combine(k8s, "validate", "node_modules", "kubernetes-models", "package.json")),
            "Run `npm ci --prefix deploy/k8s/validate` first (.ci/run does).");
        var (exit, report, errors) = await Tool.Run("node", [Path.Combine(k8s, "validate", "validate.mjs")], rendered);
        Assert.True(exit == 0, $"{overlay}:{Environment.NewLine}{report}{errors}");
        Assert.Contains("ok apps/v1/Deployment escalation", report);
        Assert.Contains("ok policy/v1/PodDisruptionBudget escalation", report);
    }

    [Fact, Trait("Category", "Cluster")]
    public async Task The_validator_refuses_what_the_API_would()
    {
        var validator = Path.Combine(SiloProcess.RepositoryRoot(), "deploy", "k8s", "validate", "validate.mjs");
        var (exit, report, _) = await Tool.Run("node", [validator], """
            apiVersion: apps/v1
            kind: Deployment
            metadata: { name: broken }
            spec:
              replicas: "three"
              selector: { matchLabels: { a: b } }
              template:
                metadata: { labels: { a: b } }
                spec: { containers: [{ name: c, image: i }] }
            """);
        Assert.Equal(1, exit);
        Assert.Contains("INVALID apps/v1/Deployment broken", report);
        Assert.Contains("replicas", report);
    }
}
