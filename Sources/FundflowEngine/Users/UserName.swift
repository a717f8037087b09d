/// Rules for user names: short, lower-case, safe in audit lines and file names.
enum UserName {
    static func validate(_ name: String) throws(EngineError) {
        let allowed: (Character) -> Bool = {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || "._-".contains($0)
        }
        guard let first = name.first, (1...64).contains(name.count), name.allSatisfy(allowed),
            ("a"..."z").contains(first) || ("0"..."9").contains(first)
        else { throw .invalidUserName(name) }
    }
}
