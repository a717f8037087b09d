public import FundflowCore
import GRDB

extension StoreTransaction {
    /// The network files as loaded (name without `.csv` → text), with where they came from.
    public func networkFiles() throws -> (
        files: [String: String], source: String?, loadedAt: Timestamp?
    ) {
        let rows = try Row.fetchAll(
            db, sql: "SELECT name, text, source, loadedAt FROM networkFile ORDER BY name")
        var files: [String: String] = [:]
        for row in rows { files[row[0]] = row[1] }
        return (
            files, rows.first?[2],
            (rows.first?[3] as Int64?).map(Timestamp.init(millisecondsSinceEpoch:))
        )
    }

    /// Replaces every network file at once.
    public func replaceNetworkFiles(
        _ files: [String: String], source: String, at time: Timestamp
    ) throws {
        try db.execute(sql: "DELETE FROM networkFile")
        for (name, text) in files.sorted(by: { $0.key < $1.key }) {
            try db.execute(
                sql: "INSERT INTO networkFile (name, text, source, loadedAt) VALUES (?, ?, ?, ?)",
                arguments: [name, text, source, time.millisecondsSinceEpoch])
        }
    }
}
