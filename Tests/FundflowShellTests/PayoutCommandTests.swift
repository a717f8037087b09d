import Foundation
import Testing

@testable import FundflowShell

/// `payout`, `track` and `network fail` from the shell, on a simulated clock.
@Suite struct PayoutCommandTests {
    static let setup = [
        "--simulated", "-c",
        """
        company create acme --name "Acme GmbH" --country DE; company member add acme ops --role treasurer; \
        wallet open acme EUR; wallet fund acme "50000.00 EUR" --key wf-1; \
        user add ana --role approver; company member add acme ana --role approver; \
        beneficiary add acme tata --name "Tata Steel Ltd" --account IFSC:HDFC0000240/50100012345678 \
        --bank HDFCINBBXXX --currency INR --country IN --purpose SUPP; \
        network fail HDFCINBBXXX --reason AC01; \
        payout create acme --to tata --send "25000 EUR" --date 2026-12-01
        """,
    ]

    @Test func trackPrintsTheGpiFieldNamesAndTheRejectWithItsReason() throws {
        let harness = try ShellHarness()
        let pin = ["FUNDFLOW_NEW_PIN": "482913", "FUNDFLOW_PIN": "482913"]
        #expect(harness.launch(Self.setup, environment: pin).status == 0)
        let approve = harness.launch(
            ["--as", "ana", "-c", "beneficiary approve acme tata"], environment: pin)
        #expect(approve.status == 0, "\(approve.terminal.err)")
        // tata's version was approved after the quote: quote again (the first one cancelled, or
        // the second would be held as its duplicate), then approve.
        let created = harness.launch([
            "-c",
            "payout cancel 1; payout create acme --to tata --send \"25000 EUR\" --date 2026-12-01",
        ])
        #expect(created.status == 0, "\(created.terminal.err)")
        let approved = harness.launch(["--as", "ana", "-c", "payout approve 2"], environment: pin)
        #expect(approved.status == 0, "\(approved.terminal.err)")
        #expect(harness.launch(["-c", "clock set 2026-12-20T00:00:00Z"]).status == 0)
        let tracked = harness.launch(["--json", "track", "2"])
        #expect(tracked.status == 0, "\(tracked.terminal.err)")
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(tracked.terminal.out.utf8))
                as? [String: Any])
        #expect(document["transaction_status"] as? String == "RJCT")
        #expect(document["transaction_status_reason"] as? String == "AC01")
        #expect((document["uetr"] as? String)?.count == 36)
        let events = try #require(document["payment_event"] as? [[String: Any]])
        #expect(!events.isEmpty)
        for event in events {
            for key in [
                "from", "to", "event_status", "event_status_reason", "instructed_amount",
                "interbank_settlement_amount", "confirmed_amount", "charges_information",
                "source_currency", "target_currency", "exchange_rate", "event_creation_date_time",
            ] {
                #expect(event.keys.contains(key), "\(key) missing")
            }
        }
        #expect(events.contains { ($0["source_currency"] as? String) == "EUR" })
        let text = harness.launch(["track", "2"])
        #expect(text.terminal.out.contains("RJCT AC01"))
        #expect(text.terminal.out.contains("the account number is incorrect"))
        let show = harness.launch(["payout", "show", "2"])
        #expect(show.terminal.out.contains("outcome   returned"))
    }
}
