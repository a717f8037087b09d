/// Where progress goes: standard error, redrawn in place on a terminal, else a line at each
/// quarter so logs stay short.
public struct ProgressSink {
    let redraws: Bool
    let write: (String) -> Void

    public init(redraws: Bool, write: @escaping (String) -> Void) {
        self.redraws = redraws
        self.write = write
    }

    /// A bar for one piece of long work (`import`, `quote`, `submit`).
    func bar(_ label: String, unit: String = "items") -> ProgressBar {
        ProgressBar(label: label, unit: unit, sink: self)
    }
}

/// `quote   [##########··········]  52%  5,200/10,000 items`, drawn as work advances.
final class ProgressBar {
    static let width = 20
    let label: String
    let unit: String
    let sink: ProgressSink
    private var lastShown = -1

    init(label: String, unit: String, sink: ProgressSink) {
        self.label = label
        self.unit = unit
        self.sink = sink
    }

    func update(_ done: Int, of total: Int) {
        guard total > 0 else {
            // Read as it streams: how many so far, every 10,000 in a log.
            guard sink.redraws || done % 10_000 == 0 else { return }
            let line = "\(label.padding(7)) \(Self.grouped(done)) \(unit) so far"
            sink.write(sink.redraws ? "\r" + line : line + "\n")
            return
        }
        let percent = min(100, done * 100 / total)
        let step = sink.redraws ? percent : percent / 25 * 25
        guard step != lastShown else { return }
        lastShown = step
        let filled = percent * Self.width / 100
        let bar =
            String(repeating: "#", count: filled)
            + String(repeating: "·", count: Self.width - filled)
        let line =
            "\(label.padding(7)) [\(bar)] \(String(percent).leftPadded(3))%  \(Self.grouped(done))/\(Self.grouped(total)) \(unit)"
        if sink.redraws {
            sink.write("\r" + line + (done >= total ? "\n" : ""))
        } else {
            sink.write(line + "\n")
        }
    }

    static func grouped(_ value: Int) -> String {
        let digits = Array(String(value))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
