import Foundation
import FundflowCore
import Testing

@testable import FundflowShell

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `route` and `network` on the default network (rates/network) and on broken copies of it.
@Suite struct RouteCommandTests {
    /// A Tuesday afternoon in New York, within the embedded ECB history.
    static let at = "2026-10-27T14:00:00Z"
    static let compare =
        "route compare --from CHASUS33XXX --to BNORPHMMXXX --amount \"1000 USD\" --currency PHP --at \(at)"

    /// A database that already holds the default network and the ECB history, made once: loading
    /// the history takes seconds in a debug build.
    static let template: String? = {
        guard let harness = try? ShellHarness() else { return nil }
        do {
            let shell = harness.shell()
            guard shell.evaluate(compare).status == 0 else { return nil }
        }
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent(
            "fundflow-route-template-\(UUID().uuidString).db"
        ).path
        guard (try? FileManager.default.copyItem(atPath: harness.databasePath, toPath: copy)) != nil
        else { return nil }
        return copy
    }()

    static func harness() throws -> ShellHarness {
        let harness = try ShellHarness()
        let template = try #require(template, "the template database could not be made")
        try FileManager.default.copyItem(atPath: template, toPath: harness.databasePath)
        return harness
    }

    static var networkDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("rates/network")
    }

    @Test func compareListsTheBestRoutesFirstInTheDocumentedJSONShape() throws {
        let harness = try Self.harness()
        let shell = harness.shell()
        let reply = shell.evaluate(Self.compare + " --json")
        #expect(reply.status == 0, "\(reply.stderr)")
        let document = try #require(try parseJSON(reply.stdout) as? [String: Any])
        let routes = try #require(document["routes"] as? [[String: Any]])
        #expect(routes.count == 5)
        var previousCost: Decimal?
        for route in routes {
            let path = try #require(route["path"] as? [String])
            #expect(path.first == "CHASUS33XXX")
            #expect(path.last == "BNORPHMMXXX")
            #expect(path.count <= 6)
            #expect(Set(path).count == path.count, "no bank twice")
            #expect(route["bearer"] as? String == "SHA")
            #expect(route["debitedCurrency"] as? String == "USD")
            #expect(route["deliveredCurrency"] as? String == "PHP")
            #expect(route["estimated"] as? Bool == false)
            for key in ["debited", "delivered", "cost", "costPercent", "eta"] {
                #expect(route[key] is String, "\(key)")
            }
            // Under SHA only the debtor agent's fee is billed: debited = 1000 + that fee.
            let fees = try #require(route["fees"] as? [[String: Any]])
            let billed = fees.filter { $0["billed"] as? Bool == true }
            #expect(billed.count == 1)
            #expect(billed.first?["agent"] as? String == "CHASUS33XXX")
            let debited = try #require(Decimal(string: route["debited"] as? String ?? ""))
            let fee = try #require(Decimal(string: billed.first?["amount"] as? String ?? ""))
            #expect(debited == 1000 + fee)
            // The conversion into PHP happens at a Philippine bank: PHP is restricted.
            let fx = try #require(route["fx"] as? [[String: Any]])
            #expect(fx.contains { ($0["agent"] as? String)?.dropFirst(4).hasPrefix("PH") == true })
            let cost = try #require(Decimal(string: route["cost"] as? String ?? ""))
            if let previousCost { #expect(previousCost <= cost, "best first") }
            previousCost = cost
            #expect(Timestamp(iso8601: route["eta"] as? String ?? "") != nil)
        }
    }

    @Test func everyBearerIsShownWhenAskedForAll() throws {
        let harness = try Self.harness()
        let shell = harness.shell()
        let reply = shell.evaluate(Self.compare + " --bearer all --k 2 --json")
        let document = try #require(try parseJSON(reply.stdout) as? [String: Any])
        let routes = try #require(document["routes"] as? [[String: Any]])
        #expect(
            routes.map { $0["bearer"] as? String } == ["SHA", "SHA", "BEN", "BEN", "OUR", "OUR"])
        // Under OUR the sender pays every fee, so at least as much is debited as under BEN.
        let ben = try #require(Decimal(string: routes[2]["debited"] as? String ?? ""))
        let our = try #require(Decimal(string: routes[4]["debited"] as? String ?? ""))
        #expect(ben == 1000)
        #expect(our > ben)
    }

    @Test func noRouteIsNotAnError() throws {
        let harness = try Self.harness()
        let shell = harness.shell()
        // Korea has no bank and no domestic clearing in the default network.
        let line =
            "route compare --from CHASUS33XXX --to SHBKKRSEXXX --amount \"1000 USD\" --currency USD --at \(Self.at)"
        let json = shell.evaluate(line + " --json")
        #expect(json.status == 0)
        let document = try #require(try parseJSON(json.stdout) as? [String: Any])
        #expect((document["routes"] as? [Any])?.isEmpty == true)
        let text = shell.evaluate(line)
        #expect(text.status == 0)
        #expect(text.stdout.contains("no route"))
    }

    @Test func explainWalksTheRouteHopByHop() throws {
        let harness = try Self.harness()
        let shell = harness.shell()
        let reply = shell.evaluate(
            Self.compare.replacingOccurrences(of: "route compare", with: "route explain")
                + " --json")
        #expect(reply.status == 0, "\(reply.stderr)")
        let document = try #require(try parseJSON(reply.stdout) as? [String: Any])
        let hops = try #require(document["hops"] as? [[String: Any]])
        let path = try #require(document["path"] as? [String])
        #expect(hops.map { $0["agent"] as? String } == path)
        #expect(hops.last?["status"] as? String == "ACCC")
        #expect(hops.dropLast().allSatisfy { $0["status"] as? String == "ACSP" })
        #expect(hops.last?["passesOn"] as? String == document["delivered"] as? String)
    }

    @Test func theCurveIsARealSVGChartWithOneLinePerRouteAndACSV() throws {
        let harness = try Self.harness()
        let shell = harness.shell()
        let svg = harness.directory.appendingPathComponent("curve.svg").path
        let csv = harness.directory.appendingPathComponent("curve.csv").path
        let reply = shell.evaluate(
            "route curve --from CHASUS33XXX --to BNORPHMMXXX --currency PHP --min \"100 USD\" --max \"100000 USD\" "
                + "--steps 12 --k 3 --at \(Self.at) --svg \(svg) --csv \(csv) --json")
        #expect(reply.status == 0, "\(reply.stderr)")
        let document = try #require(try parseJSON(reply.stdout) as? [String: Any])
        let routes = try #require(document["routes"] as? [[String: Any]])
        #expect(routes.count == 3)
        let amounts = try #require(document["amounts"] as? [[String: Any]])
        #expect(amounts.first?["amount"] as? String == "100.00")
        #expect(amounts.last?["amount"] as? String == "100000.00")
        #expect(amounts.count >= 12)

        let data = try #require(FileManager.default.contents(atPath: svg))
        let elements = SVGElements()
        let parser = XMLParser(data: data)
        parser.delegate = elements
        #expect(parser.parse(), "the SVG is well-formed XML")
        #expect(elements.names.first == "svg")
        let lines = elements.attributes.filter {
            $0.name == "polyline" && $0.attributes["class"] == "series"
        }
        #expect(lines.count == routes.count, "one line per route")
        #expect(
            lines.allSatisfy { ($0.attributes["points"] ?? "").split(separator: " ").count >= 2 })
        #expect(elements.texts.contains { $0.contains("amount sent") }, "an axis label")
        #expect(elements.attributes.filter { $0.attributes["class"] == "tick" }.count >= 6, "ticks")

        let rows = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
        #expect(
            rows.first
                == "amount,currency,route,path,delivered,delivered_currency,cost,cost_percent,best")
        #expect(rows.count > amounts.count, "a row per amount and route")
    }

    @Test func networkCheckReportsEveryProblemWithFileLineAndColumn() throws {
        let harness = try Self.harness()
        let broken = harness.directory.appendingPathComponent("network")
        try FileManager.default.copyItem(at: Self.networkDirectory, to: broken)
        func edit(_ file: String, _ change: (inout [String]) -> Void) throws {
            let url = broken.appendingPathComponent(file)
            var lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
            change(&lines)
            try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        }
        try edit("banks.csv") { lines in
            lines[1] = "DEUTDEF,Deutsche Bank AG,DE,Europe/Berlin,true,false"  // malformed BIC
            lines[2] = "COBADEFFXXX,Commerzbank AG,FR,Europe/Berlin,true,false"  // country ≠ BIC
            lines[3] = "BNPAFRPPXXX,BNP Paribas SA,FR,Europe/Parris,true,false"  // time zone
        }
        try edit("fees.csv") { lines in
            lines[1] = "DEUTDEFFXXX,AUD,debtor,-23.25,10,0.00,93.00"  // negative
            lines[2] = "DEUTDEFFXXX,AUD,intermediary,31.00,0,50.00,40.00"  // min above max
            lines[3] = "DEUTDEFFXXX,XYZ,creditor,23.25,0,0.00,38.75"  // currency
        }
        try edit("links.csv") { lines in
            lines.insert("CHASUS33XXX,NOPEUS33XXX,USD,30", at: 1)  // unknown BIC
            lines.insert("CHASUS33XXX,BNORPHMMXXX,PHP,30", at: 2)  // PHP carried abroad
            lines.insert(lines[3], at: 4)  // a duplicate
        }
        // PHP converted abroad.
        try edit("fx.csv") { lines in lines.insert("CHASUS33XXX,USD,PHP,50", at: 1) }
        let reply = harness.shell().evaluate("network check \(broken.path)")
        #expect(reply.status == 1)
        let path = broken.path
        for expected in [
            // Columns count characters, as an editor does.
            "\(path)/banks.csv:2:1: 'DEUTDEF' is not a BIC", "\(path)/banks.csv:3:28: country FR",
            "\(path)/banks.csv:4:31: unknown time zone 'Europe/Parris'",
            "\(path)/fees.csv:2:24: fixed -23.25 is negative",
            "\(path)/fees.csv:3:38: min 50.00 is above max",
            "\(path)/fees.csv:4:13: 'XYZ'", "\(path)/links.csv:2:13: unknown BIC NOPEUS33XXX",
            "\(path)/links.csv:3:25: PHP is restricted to PH",
            "\(path)/links.csv:5:1: the same link is listed twice (first on line 4)",
        ] {
            #expect(reply.stderr.contains(expected), "\(expected) in \(reply.stderr)")
        }
        #expect(
            reply.stderr.contains(
                "fx.csv:2:17: PHP is restricted to PH: CHASUS33XXX may not convert it"))
        // The loaded network is untouched by a failed load.
        let load = harness.shell().evaluate("network load \(broken.path) --yes")
        #expect(load.status == 1)
        let banks = harness.shell().evaluate("network banks --json")
        #expect(((try parseJSON(banks.stdout)) as? [Any])?.count == 46)
    }

    @Test func networkLoadReplacesTheNetworkAndGraphWritesDOT() throws {
        let harness = try Self.harness()
        let small = harness.directory.appendingPathComponent("small")
        try FileManager.default.createDirectory(at: small, withIntermediateDirectories: true)
        let files = [
            "banks.csv":
                "bic,name,country,timezone,gpi,deducts_under_our\nAAAAUS33XXX,A,US,America/New_York,true,false\n"
                + "BBBBGB22XXX,B,GB,Europe/London,false,false\n",
            "links.csv": "from,to,currency,latency_minutes\nAAAAUS33XXX,BBBBGB22XXX,USD,60\n",
            "fees.csv":
                "bic,currency,role,fixed,percent_bps,min,max\nBBBBGB22XXX,USD,any,5.00,0,0,0\n",
            "fx.csv": "bic,from_currency,to_currency,margin_bps\nBBBBGB22XXX,USD,GBP,25\n",
        ]
        for (name, text) in files {
            try text.write(
                to: small.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let shell = harness.shell()
        let load = shell.evaluate("network load \(small.path) --yes")
        #expect(load.status == 0, "\(load.stderr)")
        let banks = try #require(
            try parseJSON(shell.evaluate("network banks --json").stdout) as? [[String: Any]])
        #expect(banks.map { $0["bic"] as? String } == ["AAAAUS33XXX", "BBBBGB22XXX"])
        let dot = harness.directory.appendingPathComponent("net.dot").path
        #expect(shell.evaluate("network graph --dot \(dot)").status == 0)
        let text = try String(contentsOfFile: dot, encoding: .utf8)
        #expect(text.hasPrefix("digraph network {"))
        #expect(text.contains("\"AAAAUS33XXX\" -> \"BBBBGB22XXX\" [label=\"USD\"]"))
        let routes = shell.evaluate(
            "route compare --from AAAAUS33XXX --to BBBBGB22XXX --amount \"100 USD\" --currency GBP --at \(Self.at) --json"
        )
        let document = try #require(try parseJSON(routes.stdout) as? [String: Any])
        #expect((document["routes"] as? [Any])?.count == 1)
    }
}

/// Every element of an XML document with its attributes, and the text inside.
final class SVGElements: NSObject, XMLParserDelegate {
    var names: [String] = []
    var attributes: [(name: String, attributes: [String: String])] = []
    var texts: [String] = []

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
        names.append(elementName)
        attributes.append((elementName, attributeDict))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { texts.append(string) }
}
