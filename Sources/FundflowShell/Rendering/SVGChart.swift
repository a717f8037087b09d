import Foundation

/// A line chart as an SVG document: axes with ticks and labels, one polyline per series (class
/// `series`, `data-series` its 1-based number), a legend, and optional vertical markers. The
/// coordinates are for drawing only; the exact figures are in the table, the CSV and the JSON.
public struct SVGChart: Sendable {
    public struct Series: Sendable {
        public let name: String
        /// Points in data units; a gap (a route that cannot carry the amount) is left out.
        public let points: [(x: Double, y: Double)]

        public init(name: String, points: [(x: Double, y: Double)]) {
            self.name = name
            self.points = points
        }
    }

    public struct Marker: Sendable {
        public let x: Double
        public let label: String

        public init(x: Double, label: String) {
            self.x = x
            self.label = label
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var logarithmicX: Bool
    public var series: [Series]
    public var markers: [Marker] = []
    public var width = 900.0
    public var height = 540.0

    public init(title: String, xLabel: String, yLabel: String, logarithmicX: Bool, series: [Series])
    {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.logarithmicX = logarithmicX
        self.series = series
    }

    /// Colour-blind-safe (Okabe–Ito) colours, one per series.
    static let colours = [
        "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000",
    ]

    public func rendered() -> String {
        let left = 80.0
        let right = 260.0
        let top = 50.0
        let bottom = 70.0
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let xs = series.flatMap { $0.points.map(\.x) } + markers.map(\.x)
        let ys = series.flatMap { $0.points.map(\.y) }
        let xAxis = Axis(
            low: xs.min() ?? 0, high: xs.max() ?? 1, logarithmic: logarithmicX, length: plotWidth)
        let yAxis = Axis(
            low: min(0, ys.min() ?? 0), high: ys.max() ?? 1, logarithmic: false, length: plotHeight)
        func px(_ x: Double) -> Double { left + xAxis.position(x) }
        func py(_ y: Double) -> Double { top + plotHeight - yAxis.position(y) }

        var svg = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Self.f(width))" height="\(Self.f(height))" \
            viewBox="0 0 \(Self.f(width)) \(Self.f(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">

            """
        svg +=
            "<rect x=\"0\" y=\"0\" width=\"\(Self.f(width))\" height=\"\(Self.f(height))\" fill=\"#ffffff\"/>\n"
        svg +=
            "<text x=\"\(Self.f(left))\" y=\"28\" font-size=\"16\" font-weight=\"bold\">\(Self.escape(title))</text>\n"
        // Grid and ticks.
        svg += "<g class=\"axes\" stroke=\"#999999\" stroke-width=\"1\">\n"
        for tick in yAxis.ticks() {
            let y = py(tick)
            svg +=
                "<line x1=\"\(Self.f(left))\" y1=\"\(Self.f(y))\" x2=\"\(Self.f(left + plotWidth))\" y2=\"\(Self.f(y))\" stroke=\"#e5e5e5\"/>\n"
            svg +=
                "<text class=\"tick\" x=\"\(Self.f(left - 8))\" y=\"\(Self.f(y + 4))\" text-anchor=\"end\" stroke=\"none\" fill=\"#333333\">\(Axis.label(tick))</text>\n"
        }
        for tick in xAxis.ticks() {
            let x = px(tick)
            svg +=
                "<line x1=\"\(Self.f(x))\" y1=\"\(Self.f(top))\" x2=\"\(Self.f(x))\" y2=\"\(Self.f(top + plotHeight))\" stroke=\"#e5e5e5\"/>\n"
            svg +=
                "<text class=\"tick\" x=\"\(Self.f(x))\" y=\"\(Self.f(top + plotHeight + 18))\" text-anchor=\"middle\" stroke=\"none\" fill=\"#333333\">\(Axis.label(tick))</text>\n"
        }
        svg +=
            "<line x1=\"\(Self.f(left))\" y1=\"\(Self.f(top + plotHeight))\" x2=\"\(Self.f(left + plotWidth))\" y2=\"\(Self.f(top + plotHeight))\" stroke=\"#333333\"/>\n"
        svg +=
            "<line x1=\"\(Self.f(left))\" y1=\"\(Self.f(top))\" x2=\"\(Self.f(left))\" y2=\"\(Self.f(top + plotHeight))\" stroke=\"#333333\"/>\n"
        svg += "</g>\n"
        svg +=
            "<text x=\"\(Self.f(left + plotWidth / 2))\" y=\"\(Self.f(height - 24))\" text-anchor=\"middle\">\(Self.escape(xLabel))</text>\n"
        svg +=
            "<text x=\"20\" y=\"\(Self.f(top + plotHeight / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 20 \(Self.f(top + plotHeight / 2)))\">\(Self.escape(yLabel))</text>\n"
        // Markers (break-even amounts).
        for marker in markers {
            let x = px(marker.x)
            svg +=
                "<line class=\"marker\" x1=\"\(Self.f(x))\" y1=\"\(Self.f(top))\" x2=\"\(Self.f(x))\" y2=\"\(Self.f(top + plotHeight))\" stroke=\"#666666\" stroke-dasharray=\"4 3\"/>\n"
            svg +=
                "<text x=\"\(Self.f(x + 3))\" y=\"\(Self.f(top + 12))\" font-size=\"10\" fill=\"#444444\">\(Self.escape(marker.label))</text>\n"
        }
        // One line per series.
        for (index, line) in series.enumerated() {
            let colour = Self.colours[index % Self.colours.count]
            let points = line.points.map { "\(Self.f(px($0.x))),\(Self.f(py($0.y)))" }.joined(
                separator: " ")
            svg +=
                "<polyline class=\"series\" data-series=\"\(index + 1)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(points)\"><title>\(Self.escape(line.name))</title></polyline>\n"
        }
        // Legend.
        svg += "<g class=\"legend\">\n"
        for (index, line) in series.enumerated() {
            let colour = Self.colours[index % Self.colours.count]
            let y = top + 10 + Double(index) * 36
            let x = left + plotWidth + 16
            svg +=
                "<line x1=\"\(Self.f(x))\" y1=\"\(Self.f(y))\" x2=\"\(Self.f(x + 22))\" y2=\"\(Self.f(y))\" stroke=\"\(colour)\" stroke-width=\"3\"/>\n"
            let words = Self.wrap(line.name, width: 34)
            for (row, text) in words.prefix(2).enumerated() {
                svg +=
                    "<text x=\"\(Self.f(x + 28))\" y=\"\(Self.f(y + 4 + Double(row) * 13))\" font-size=\"10\">\(Self.escape(text))</text>\n"
            }
        }
        svg += "</g>\n</svg>\n"
        return svg
    }

    /// A scale from data units to pixels, with round ticks (1-2-5 steps, or powers of ten and
    /// their 2 and 5 multiples on a logarithmic scale).
    struct Axis {
        let low: Double
        let high: Double
        let logarithmic: Bool
        let length: Double

        func position(_ value: Double) -> Double {
            if logarithmic {
                let a = log10(max(low, 1e-12))
                let b = log10(max(high, 1e-12))
                return b == a ? length / 2 : (log10(max(value, 1e-12)) - a) / (b - a) * length
            }
            let (a, b) = bounds
            return b == a ? length / 2 : (value - a) / (b - a) * length
        }

        /// Linear bounds widened to whole ticks.
        var bounds: (Double, Double) {
            guard !logarithmic else { return (low, high) }
            let step = self.step
            let a = (low / step).rounded(.down) * step
            var b = (high / step).rounded(.up) * step
            if b == a { b = a + step }
            return (a, b)
        }

        var step: Double {
            let span = max(high - low, 1e-9)
            let raw = span / 6
            let magnitude = pow(10, (log10(raw)).rounded(.down))
            for factor in [1.0, 2.0, 5.0, 10.0] where raw <= factor * magnitude {
                return factor * magnitude
            }
            return 10 * magnitude
        }

        func ticks() -> [Double] {
            if logarithmic {
                var ticks: [Double] = []
                var decade = pow(10, log10(max(low, 1e-12)).rounded(.down))
                let decades = log10(max(high, 1e-12)) - log10(max(low, 1e-12))
                let factors: [Double] = decades > 4 ? [1] : [1, 2, 5]
                while decade <= high {
                    for factor in factors
                    where decade * factor >= low * 0.999 && decade * factor <= high * 1.001 {
                        ticks.append(decade * factor)
                    }
                    decade *= 10
                }
                return ticks
            }
            let (a, b) = bounds
            var ticks: [Double] = []
            var value = a
            while value <= b + step / 2 {
                ticks.append(abs(value) < step / 1e6 ? 0 : value)
                value += step
            }
            return ticks
        }

        /// A tick label: thousands as k, millions as M, up to two decimals.
        static func label(_ value: Double) -> String {
            let magnitude = abs(value)
            if magnitude >= 1_000_000 { return trimmed(value / 1_000_000) + "M" }
            if magnitude >= 10_000 { return trimmed(value / 1000) + "k" }
            return trimmed(value)
        }

        static func trimmed(_ value: Double) -> String {
            var text = SVGChart.f(value)
            if text.contains(".") {
                while text.hasSuffix("0") { text.removeLast() }
                if text.hasSuffix(".") { text.removeLast() }
            }
            return text
        }
    }

    /// A coordinate with two decimals, no locale.
    static func f(_ value: Double) -> String {
        let scaled = Int64((value * 100).rounded())
        let sign = scaled < 0 ? "-" : ""
        let magnitude = scaled.magnitude
        let fraction = magnitude % 100
        return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(
            of: "<", with: "&lt;"
        )
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            if !current.isEmpty && current.count + 1 + word.count > width {
                lines.append(current)
                current = ""
            }
            current += (current.isEmpty ? "" : " ") + word
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
