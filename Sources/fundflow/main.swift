import Foundation
import FundflowShell

#if canImport(Glibc)
    import Glibc
#endif

// The executable only touches the terminal; everything else is FundflowShell's `Launcher`.
let terminal = ProcessTerminal()
let status = Launcher.run(
    arguments: Array(CommandLine.arguments.dropFirst()),
    environment: ProcessInfo.processInfo.environment,
    terminal: terminal)
terminal.close()
exit(status)
