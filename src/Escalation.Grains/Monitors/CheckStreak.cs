namespace Escalation.Monitors;

/// <summary>When a run of checks opens or resolves the monitor's incident: open after N failures in a row, resolve at the first success.</summary>
public static class CheckStreak
{
    public enum Turn { None, Open, Resolve }

    public static (int Failures, Turn Turn) After(int failures, bool open, bool up, int failuresBeforeOpen)
    {
        if (up) return (0, open ? Turn.Resolve : Turn.None);
        var now = failures + 1;
        return (now, !open && now >= failuresBeforeOpen ? Turn.Open : Turn.None);
    }
}
