/// The analysis chain shared by index time and query time: normalise (NFKC, lowercase,
/// traditional -> simplified Chinese), then tokenise.
///
/// Xapian must only ever see ``NormalizedText/normalized`` text or ``Token/text`` terms
/// (see XAPIAN-NOTES.md: Xapian 1.4 treats full-width Latin as CJK and does not lowercase
/// it); keep the original for display and map highlights back with the tokens'
/// ``Token/originalRange``.
///
/// `Analyzer` is a small value: copies share one OpenCC converter, and it can be used from
/// any number of threads at once.
///
/// ```swift
/// let analyzer = try Analyzer()
/// analyzer.normalize("產教融合 ＡＩ").normalized     // "产教融合 ai"
/// analyzer.tokenize("1+X證書").map(\.text)          // ["1+x", "证", "书"]
/// ```
public struct Analyzer: Sendable {
    private let normalizer: Normalizer
    private let tokenizer = Tokenizer()

    /// Creates an analyser with OpenCC's `t2s.json` (traditional -> simplified), looked up
    /// by name in OpenCC's data directory and then at the usual absolute paths. The
    /// converter is loaded once per process and shared.
    ///
    /// - Throws: ``AnalysisError`` with code ``AnalysisError/Code/converterUnavailable`` if
    ///   OpenCC or its data files cannot be loaded.
    public init() throws(AnalysisError) {
        let converter = try ChineseConverter.shared.get()
        self.init(converter: converter)
    }

    /// Creates an analyser with a specific OpenCC configuration file (a path, or a name
    /// OpenCC finds in its data directory), e.g. `"tw2s.json"` for Taiwan phrases. The
    /// converter belongs to this analyser and its copies.
    ///
    /// ```swift
    /// let analyzer = try Analyzer(openCCConfiguration: "/usr/share/opencc/t2s.json")
    /// ```
    ///
    /// - Throws: ``AnalysisError`` (``AnalysisError/Code/converterUnavailable``) if OpenCC
    ///   cannot open it.
    public init(openCCConfiguration configuration: String) throws(AnalysisError) {
        self.init(converter: try ChineseConverter(candidates: [configuration]))
    }

    private init(converter: ChineseConverter) {
        self.normalizer = Normalizer(convert: { converter.convert($0) })
    }

    /// An analyser that folds (NFKC, lowercase) but does not convert
    /// traditional to simplified Chinese: about five times faster, and equal
    /// to ``init()`` on text that the conversion leaves unchanged. Use it only
    /// for text known to be such, e.g. a unit whose normalised form was
    /// checked when it was indexed (``convertsChinese(_:)``).
    ///
    /// ```swift
    /// Analyzer.foldingOnly.normalize("ＡＩ赋能").normalized   // "ai赋能"
    /// ```
    public static let foldingOnly = Analyzer(convert: { Array($0) })

    /// Whether traditional -> simplified conversion changes `text` (beyond
    /// what folding does): false for text already in simplified script.
    ///
    /// ```swift
    /// try Analyzer().convertsChinese("职业学校")   // false
    /// try Analyzer().convertsChinese("職業學校")   // true
    /// ```
    public func convertsChinese(_ text: String) -> Bool {
        normalize(text).normalized != Analyzer.foldingOnly.normalize(text).normalized
    }

    /// For tests: an analyser whose Chinese conversion step is `convert`.
    init(convert: @escaping Normalizer.Convert) {
        self.normalizer = Normalizer(convert: convert)
    }

    /// Normalises `text`: NFKC (`ＡＩ` -> `AI`, `①` -> `1`, `ﬁ` -> `fi`, full-width space ->
    /// space), lowercase, traditional -> simplified (`職業` -> `职业`), keeping a map back to
    /// the original. Normalising normalised text changes nothing.
    ///
    /// ```swift
    /// try Analyzer().normalize("９６．４３％的職業學校").normalized   // "96.43%的职业学校"
    /// ```
    public func normalize(_ text: String) -> NormalizedText {
        normalizer.normalize(text)
    }

    /// Normalises and tokenises `text`; see ``Tokenizer`` for the rules.
    ///
    /// ```swift
    /// try Analyzer().tokenize("AI赋能ChatGPT").map(\.text)   // ["ai", "赋", "能", "chatgpt"]
    /// ```
    public func tokenize(_ text: String) -> [Token] {
        tokenizer.tokens(in: normalizer.normalize(text))
    }

    /// Tokenises text that has already been normalised (to keep both without normalising
    /// twice).
    ///
    /// ```swift
    /// let text = analyzer.normalize(paragraph)
    /// let tokens = analyzer.tokenize(text)   // ranges refer to text.normalized / text.original
    /// ```
    public func tokenize(_ text: NormalizedText) -> [Token] {
        tokenizer.tokens(in: text)
    }
}
