import Foundation

/// Several series on one character grid, each drawn with its own digit (1 for the first series),
/// the scale on the left and the first and last x labels below; where series overlap, the
/// lower-numbered one shows. For the eye only: the exact figures are in the table.
public struct SeriesChart: Sendable {
    /// Each series' values at the shared x positions; nil where it has none.
    public let series: [[Double?]]
    public let firstLabel: String
    public let lastLabel: String
    public var width = 60
    public var height = 12

    public init(series: [[Double?]], firstLabel: String, lastLabel: String) {
        self.series = series
        self.firstLabel = firstLabel
        self.lastLabel = lastLabel
    }

    public func rendered() -> String {
        let values = series.flatMap { $0.compactMap { $0 } }
        guard let low = values.min(), let high = values.max(), let count = series.first?.count,
            count > 0
        else { return "(no data)\n" }
        let columns = min(width, count)
        let span = high - low
        func row(_ value: Double) -> Int {
            span == 0 ? height / 2 : Int(((value - low) / span * Double(height - 1)).rounded())
        }
        var grid = Array(repeating: Array(repeating: Character(" "), count: columns), count: height)
        for (number, line) in series.enumerated().reversed() {
            let marker = Character(number < 9 ? "\(number + 1)" : "*")
            for column in 0..<columns {
                let index = columns == 1 ? 0 : column * (count - 1) / (columns - 1)
                if let value = line[index] { grid[height - 1 - row(value)][column] = marker }
            }
        }
        let labels =
            [Self.format(high)] + Array(repeating: "", count: max(0, height - 2)) + [
                Self.format(low)
            ]
        let labelWidth = labels.map(\.count).max() ?? 0
        var text = ""
        for (index, line) in grid.enumerated() {
            let label = labels[index]
            var drawn =
                String(repeating: " ", count: labelWidth - label.count) + label + " |"
                + String(line)
            while drawn.last == " " { drawn.removeLast() }
            text += drawn + "\n"
        }
        text +=
            String(repeating: " ", count: labelWidth) + " +"
            + String(repeating: "-", count: columns) + "\n"
        let gap = max(1, columns - firstLabel.count - lastLabel.count)
        text +=
            String(repeating: " ", count: labelWidth + 2) + firstLabel
            + String(repeating: " ", count: gap)
            + lastLabel + "\n"
        return text
    }

    static func format(_ value: Double) -> String {
        let hundredths = Int64((value * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = hundredths.magnitude
        return "\(sign)\(magnitude / 100).\(magnitude % 100 < 10 ? "0" : "")\(magnitude % 100)"
    }
}
