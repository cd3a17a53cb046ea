using System.Text.Json;
using Escalation.Json;
using Orleans.Storage;

namespace Escalation.Storage.GrainStates;

/// <summary>Grain state is stored as System.Text.Json in the product's own snake_case convention, readable with psql.</summary>
public sealed class JsonGrainStorageSerializer : IGrainStorageSerializer
{
    public BinaryData Serialize<T>(T? input) => new(JsonSerializer.SerializeToUtf8Bytes(input, EscalationJson.Options));

    public T Deserialize<T>(BinaryData input) => JsonSerializer.Deserialize<T>(input.ToMemory().Span, EscalationJson.Options)!;
}
