/// An element of a parsed pain.001 together with its path, `/Document/CstmrCdtTrfInitn/PmtInf[1]`:
/// `PmtInf` and `CdtTrfTxInf` always carry their 1-based index (so a path names the same block
/// whether or not the file has several), any other element only when its parent has several of
/// that name (`AdrLine[2]`).
struct XMLNodePath {
    static let alwaysIndexed: Set<String> = ["PmtInf", "CdtTrfTxInf"]

    let element: XMLTree.Element
    let path: String

    init(root: XMLTree.Element) {
        element = root
        path = "/" + root.name
    }

    private init(element: XMLTree.Element, path: String) {
        self.element = element
        self.path = path
    }

    var name: String { element.name }
    var text: String { element.text }
    var order: Int { element.order }

    /// The text, or nil when the element is empty.
    var value: String? {
        let text = element.text
        return text.isEmpty ? nil : text
    }

    var children: [XMLNodePath] {
        var counts: [String: Int] = [:]
        for child in element.children { counts[child.name, default: 0] += 1 }
        var seen: [String: Int] = [:]
        return element.children.map { child in
            seen[child.name, default: 0] += 1
            let indexed = (counts[child.name] ?? 0) > 1 || Self.alwaysIndexed.contains(child.name)
            let suffix = indexed ? "[\(seen[child.name] ?? 1)]" : ""
            return XMLNodePath(element: child, path: path + "/" + child.name + suffix)
        }
    }

    func all(_ name: String) -> [XMLNodePath] { children.filter { $0.name == name } }

    /// The first child of that name (a repeated one is reported by the reader's `one`).
    func first(_ name: String) -> XMLNodePath? { children.first { $0.name == name } }

    /// Follows single children: `node.descend("Id", "IBAN")`.
    func descend(_ names: String...) -> XMLNodePath? {
        var node: XMLNodePath? = self
        for name in names { node = node?.first(name) }
        return node
    }
}
