/// A way through the network: the banks in order (debtor agent first, creditor agent last), the
/// currency carried on each link, and the currency credited at the end. `cleared` marks a creditor
/// agent outside the network, reached by its country's domestic clearing (an estimate).
public struct RoutePlan: Hashable, Sendable, CustomStringConvertible {
    public let banks: [String]
    public let linkCurrencies: [Currency]
    public let send: Currency
    public let target: Currency
    public let cleared: Bool

    public init(
        banks: [String], linkCurrencies: [Currency], send: Currency, target: Currency,
        cleared: Bool = false
    ) {
        precondition(banks.count == linkCurrencies.count + 1, "a route has one currency per link")
        self.banks = banks
        self.linkCurrencies = linkCurrencies
        self.send = send
        self.target = target
        self.cleared = cleared
    }

    /// The currency that reaches bank `index`, and the one it passes on (or credits).
    public func currencies(at index: Int) -> (incoming: Currency, outgoing: Currency) {
        let incoming = index == 0 ? send : linkCurrencies[index - 1]
        let outgoing = index == banks.count - 1 ? target : linkCurrencies[index]
        return (incoming, outgoing)
    }

    public func role(at index: Int) -> Network.FeeRole {
        index == 0 ? .debtor : index == banks.count - 1 ? .creditor : .intermediary
    }

    public var description: String {
        var text = banks[0]
        for (index, currency) in linkCurrencies.enumerated() {
            text += " -\(currency.code)-> \(banks[index + 1])"
        }
        return text
    }
}
