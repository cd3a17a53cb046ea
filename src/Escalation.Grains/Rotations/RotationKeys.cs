using Escalation.Keys;

namespace Escalation.Rotations;

/// <summary>A rotation grain is keyed by the rotation id, escaped: an id from a URL may be any text.</summary>
public static class RotationKeys
{
    public static string For(string rotationId) => GrainKey.Escape(rotationId);

    public static string IdOf(string grainKey) => GrainKey.Unescape(grainKey);
}
