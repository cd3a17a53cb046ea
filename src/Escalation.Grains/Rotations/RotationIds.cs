using System.Security.Cryptography;

namespace Escalation.Rotations;

public static class RotationIds
{
    public static string NewOverrideId() => "ovr_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
    public static string NewSwapId() => "swp_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
