/// An element of a parsed pain.001 with its path, `/Document/CstmrCdtTrfInitn/PmtInf[1]`
/// (`XMLTree.alwaysIndexed` says which elements carry an index), and the lookups the reader needs.
struct XMLNodePath {
    let element: XMLTree.Element

    init(_ element: XMLTree.Element) { self.element = element }

    var path: String { element.path }
    var name: String { element.name }
    var text: String { element.text }
    var order: Int { element.order }

    /// The text, or nil when the element is empty.
    var value: String? {
        let text = element.text
        return text.isEmpty ? nil : text
    }

    var children: [XMLNodePath] { element.children.map(XMLNodePath.init) }

    func all(_ name: String) -> [XMLNodePath] {
        element.children.filter { $0.name == name }.map(XMLNodePath.init)
    }

    /// The first child of that name (a repeated one is reported by the reader's `one`).
    func first(_ name: String) -> XMLNodePath? {
        element.children.first { $0.name == name }.map(XMLNodePath.init)
    }

    /// Follows single children: `node.descend("Id", "IBAN")`.
    func descend(_ names: String...) -> XMLNodePath? {
        var node: XMLNodePath? = self
        for name in names { node = node?.first(name) }
        return node
    }
}
