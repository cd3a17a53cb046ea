namespace Escalation.Deadlines;

/// <summary>The grain storage of the grains other than incidents: one row each in <c>grain_states</c>, with its next deadline.</summary>
public static class GrainStates
{
    public const string Store = "grain-states";
}
