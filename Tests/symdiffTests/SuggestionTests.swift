import Testing

/// Edit distance and "did you mean" selection.
@Suite struct SuggestionTests {
    @Test func transpositionIsOneEdit() {
        #expect(Suggestion.editDistance("fromat", "format") == 1)
        #expect(Suggestion.editDistance("evl", "eval") == 1)
        #expect(Suggestion.editDistance("", "abc") == 3)
        #expect(Suggestion.editDistance("kitten", "sitting") == 3)
    }

    @Test func nearestOnlyWhenClose() {
        let names = Subcommands.allSpecs.map(\.name)
        #expect(Suggestion.nearest(to: "evl", among: names) == "eval")
        #expect(Suggestion.nearest(to: "grd", among: names) == "grad")
        #expect(Suggestion.nearest(to: "differentiate", among: names) == nil)
    }
}
