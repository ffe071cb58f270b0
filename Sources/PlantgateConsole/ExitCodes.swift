import ArgumentParser

/// Every exit status `plantgate` uses, in one place (sysexits-style where one exists).
///
/// Scripts rely on these: 0 all is well, 1 the command worked and found something wrong (a device down,
/// nothing answered a scan, a Modbus exception), 2 the command line was wrong, 69 the daemon or device
/// could not be reached, 78 the configuration is invalid.
public enum PlantgateExit {
    /// Everything worked and nothing is wrong.
    public static let ok: Int32 = 0
    /// The command worked and reports a finding: a device down, a Modbus exception, nothing found.
    public static let finding: Int32 = 1
    /// The command line is wrong (unknown option, bad value, conflicting options).
    public static let usage: Int32 = 2
    /// The daemon or the device is unavailable (EX_UNAVAILABLE).
    public static let unavailable: Int32 = 69
    /// The configuration file has errors (EX_CONFIG).
    public static let config: Int32 = 78

    /// An `ExitCode` to throw from `run()`.
    public static func code(_ status: Int32) -> ExitCode { ExitCode(status) }
}
