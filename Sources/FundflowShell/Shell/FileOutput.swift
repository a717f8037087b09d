import Foundation

/// Writes a file a command produces (an export, a chart) in one step: a reader never sees half
/// of it, and a failure names the file.
func writeAtomically(_ text: String, to file: String) throws {
    do {
        try Data(text.utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
    } catch {
        throw ShellError.cannotWrite(file, reason: error.localizedDescription)
    }
}
