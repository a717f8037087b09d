/// A line chart drawn with characters, for a terminal: the series is sampled into at most `width`
/// columns and `height` rows, with the scale on the left and the first and last labels below.
/// The values are for the eye only; the exact figures are in the table and the JSON.
public struct LineChart: Sendable {
    public let points: [(label: String, value: Double)]
    public var width = 60
    public var height = 10

    public init(points: [(label: String, value: Double)]) { self.points = points }

    public func rendered() -> String {
        guard let low = points.map(\.value).min(), let high = points.map(\.value).max(),
            !points.isEmpty
        else {
            return "(no data)\n"
        }
        let columns = min(width, points.count)
        let sampled: [Double] = (0..<columns).map { column in
            let start = column * points.count / columns
            let end = max(start + 1, (column + 1) * points.count / columns)
            let slice = points[start..<end].map(\.value)
            return slice.reduce(0, +) / Double(slice.count)
        }
        let span = high - low
        func row(of value: Double) -> Int {
            span == 0 ? height / 2 : Int(((value - low) / span * Double(height - 1)).rounded())
        }
        var grid = Array(repeating: Array(repeating: Character(" "), count: columns), count: height)
        for (column, value) in sampled.enumerated() {
            grid[height - 1 - row(of: value)][column] = "*"
        }
        let labels =
            [format(high)] + Array(repeating: "", count: max(0, height - 2)) + [format(low)]
        let labelWidth = labels.map(\.count).max() ?? 0
        var text = ""
        for (index, line) in grid.enumerated() {
            let label = index < labels.count ? labels[index] : ""
            var drawn =
                String(repeating: " ", count: labelWidth - label.count) + label + " |"
                + String(line)
            while drawn.last == " " { drawn.removeLast() }
            text += drawn + "\n"
        }
        text +=
            String(repeating: " ", count: labelWidth) + " +"
            + String(repeating: "-", count: columns) + "\n"
        let first = points.first?.label ?? ""
        let last = points.last?.label ?? ""
        let gap = max(1, columns - first.count - last.count)
        text +=
            String(repeating: " ", count: labelWidth + 2) + first
            + String(repeating: " ", count: gap) + last + "\n"
        return text
    }

    private func format(_ value: Double) -> String {
        let magnitude = abs(value)
        let decimals = magnitude >= 1000 ? 1 : magnitude >= 10 ? 3 : 5
        var scaled = (value * pow10(decimals)).rounded() / pow10(decimals)
        if scaled == -0.0 { scaled = 0 }
        return String(scaled)
    }

    private func pow10(_ exponent: Int) -> Double {
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }
}
