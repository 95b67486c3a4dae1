//! Which registry patterns can possibly match a claim string, without compiling them.
//!
//! Compiling the ~110 bundled regexes (each with its own literal prefilter) was the largest cost
//! of starting provcheck (about 40 % of `provcheck verify one.jpg`). Instead, every pattern's
//! *necessary literals* are taken from its syntax tree (`regex-syntax`'s literal extractor: every
//! match begins with one of its prefix literals, or ends with one of its suffix literals), all of
//! them go into one Aho-Corasick automaton, and only the patterns whose literals occur in the
//! string are compiled (once, on first use) and run. A pattern without a usable finite literal set
//! is always run. The filter only ever skips a pattern that cannot match, so match results are
//! exactly those of running every pattern.
//!
//! Case-insensitive patterns expand into many literal variants; both the literals and the string
//! are put through the same character-wise [`fold`] (ASCII lowercase, KELVIN SIGN to `k`, LONG S
//! to `s`) before comparing. Any character-wise map keeps "L occurs in H" true for its images, so
//! the fold cannot lose a match; it only makes the literal set smaller.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind};

pub(super) use super::literals::{fold, necessary_literals, RUNTIME_LIMIT};

// BUNDLED_LITERALS: (pattern, its necessary literals at BUILD_LIMIT) for every pattern of
// data/generators.toml, computed by build.rs with the same function (`literals.rs`).
include!(concat!(env!("OUT_DIR"), "/bundled_literals.rs"));

/// The literals of a pattern: precomputed when it is a bundled pattern (build.rs used a larger
/// extraction limit, which gives longer, fewer literals), else computed now.
fn literals_of(pattern: &str) -> Option<Vec<String>> {
    match BUNDLED_LITERALS.binary_search_by(|(p, _)| (*p).cmp(pattern)) {
        Ok(i) => BUNDLED_LITERALS[i]
            .1
            .map(|l| l.iter().map(|s| s.to_string()).collect()),
        Err(_) => necessary_literals(pattern, RUNTIME_LIMIT),
    }
}

#[derive(Debug)]
pub(super) struct Prefilter {
    /// Over the folded literals of every filtered pattern; `None` when no pattern has literals.
    automaton: Option<AhoCorasick>,
    /// For each automaton pattern id, the patterns (indices into the list given to `build`)
    /// that have this literal.
    owners: Vec<Vec<usize>>,
    /// Patterns with no usable literal set: always candidates.
    always: Vec<usize>,
    len: usize,
}

impl Prefilter {
    /// `patterns` in registry order (generator by generator, matcher by matcher).
    pub(super) fn build<'a>(patterns: impl IntoIterator<Item = &'a str>) -> Prefilter {
        let mut literals: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<usize>> = Vec::new();
        let mut always = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut len = 0;
        for (i, pattern) in patterns.into_iter().enumerate() {
            len = i + 1;
            match literals_of(pattern) {
                None => always.push(i),
                Some(lits) => {
                    for lit in lits {
                        match index.get(lit.as_str()) {
                            Some(&k) => owners[k].push(i),
                            None => {
                                index.insert(lit.clone(), literals.len());
                                literals.push(lit);
                                owners.push(vec![i]);
                            }
                        }
                    }
                }
            }
        }
        let automaton = if literals.is_empty() {
            None
        } else {
            // the non-contiguous NFA: the cheapest to build, and claim strings are short
            match AhoCorasick::builder()
                .kind(Some(AhoCorasickKind::NoncontiguousNFA))
                .build(&literals)
            {
                Ok(ac) => Some(ac),
                // Cannot happen for a few hundred short literals; fall back to running everything.
                Err(_) => {
                    always = (0..len).collect();
                    owners.clear();
                    None
                }
            }
        };
        Prefilter {
            automaton,
            owners,
            always,
            len,
        }
    }

    /// For each pattern, whether it may match somewhere in `hay` (the string the regexes search).
    pub(super) fn candidates(&self, hay: &str) -> Vec<bool> {
        let mut out = vec![false; self.len];
        for &i in &self.always {
            out[i] = true;
        }
        if let Some(ac) = &self.automaton {
            let folded = fold(hay);
            let mut seen = vec![false; self.owners.len()];
            let mut left = self.owners.len();
            for m in ac.find_overlapping_iter(folded.as_ref()) {
                let id = m.pattern().as_usize();
                if !seen[id] {
                    seen[id] = true;
                    for &i in &self.owners[id] {
                        out[i] = true;
                    }
                    left -= 1;
                    if left == 0 {
                        break;
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn necessary_literals_d(p: &str) -> Option<Vec<String>> {
        necessary_literals(p, RUNTIME_LIMIT)
    }

    #[test]
    fn bundled_table_is_this_function_at_build_limit() {
        let r = super::super::Registry::bundled();
        let mut n = 0;
        for g in r.generators() {
            for m in &g.matchers {
                let p = m.regex.pattern.as_str();
                let i = BUNDLED_LITERALS
                    .binary_search_by(|(q, _)| (*q).cmp(p))
                    .unwrap_or_else(|_| panic!("{p:?} missing from the build-time table"));
                let table: Option<Vec<String>> = BUNDLED_LITERALS[i]
                    .1
                    .map(|l| l.iter().map(|s| s.to_string()).collect());
                assert_eq!(
                    table,
                    necessary_literals(p, super::super::literals::BUILD_LIMIT)
                );
                n += 1;
            }
        }
        assert!(n >= 100, "{n}");
    }

    #[test]
    fn literals_of_plain_and_case_insensitive_patterns() {
        assert_eq!(
            necessary_literals_d(r"\bChatGPT\b").unwrap(),
            vec!["chatgpt".to_string()]
        );
        // (?i) variants collapse under the fold, KELVIN SIGN included.
        let lits = necessary_literals_d(r"(?i)\bkrea\b").unwrap();
        assert!(lits.iter().all(|l| l.starts_with('k')), "{lits:?}");
        // No finite non-empty set: always run.
        assert!(necessary_literals_d(r"\w+bot").is_some()); // suffix "bot"
        assert!(necessary_literals_d(r"\w+\d+").is_none());
        assert!(necessary_literals_d(r"(?:abc)?").is_none());
        assert!(necessary_literals_d(r"(").is_none());
    }

    #[test]
    fn cut_characters_are_dropped_whole() {
        use super::super::literals::{whole_chars_prefix, whole_chars_suffix};
        assert_eq!(whole_chars_prefix("ab\u{212A}".as_bytes()), "ab\u{212A}");
        assert_eq!(whole_chars_prefix(&"ab\u{212A}".as_bytes()[..4]), "ab");
        assert_eq!(whole_chars_suffix(&"\u{212A}ab".as_bytes()[1..]), "ab");
        assert_eq!(whole_chars_suffix(&"\u{212A}ab".as_bytes()[2..]), "ab");
    }

    #[test]
    fn candidates_follow_the_literals() {
        let p = Prefilter::build([r"(?i)\bopenai\b", r"\w+\d+", r"(?i)\bbing\b"]);
        assert_eq!(p.candidates("made by OpenAI"), [true, true, false]);
        assert_eq!(p.candidates("BING"), [false, true, true]);
        // LONG S and KELVIN SIGN match (?i) s and k in the regex crate: still candidates.
        let p = Prefilter::build([r"(?i)\bstock\b"]);
        assert!(regex::Regex::new(r"(?i)\bstock\b")
            .unwrap()
            .is_match("\u{17F}toc\u{212A}"));
        assert_eq!(p.candidates("\u{17F}toc\u{212A}"), [true]);
        assert_eq!(p.candidates("stick"), [false]);
    }

    /// Strings that exercise every bundled pattern: each literal as is, upper-cased, with LONG S
    /// and KELVIN SIGN for s and k, with `_` for spaces, inside words and between words; every
    /// product name, alias and organisation; the claims of the generator corpus.
    fn probe_strings(r: &super::super::Registry) -> Vec<String> {
        let mut out: Vec<String> = vec![
            "Microsoft Responsible AI Image Provenance".into(),
            "Azure OpenAI DALL-E ChatGPT ".repeat(20),
            "Adobe Photoshop 25.0 (Macintosh) Adobe Firefly".into(),
            "c2pa-rs/0.28.4 c2patool/0.6.2".into(),
            "\u{17F}\u{212A} ſtock K".into(),
        ];
        for g in r.generators() {
            out.push(g.organization.clone());
            out.extend(g.aliases.iter().cloned());
            out.extend(g.leaf_organizations.iter().cloned());
            for p in &g.products {
                out.push(p.name.clone());
                out.push(p.name.to_uppercase());
                out.push(p.name.replace(' ', "_"));
                out.push(format!("made with {} 2.1 Pro", p.name));
                for pattern in &p.patterns {
                    for lit in literals_of(pattern).unwrap_or_default() {
                        out.push(lit.clone());
                        out.push(lit.to_uppercase());
                        out.push(lit.replace('s', "\u{17F}").replace('k', "\u{212A}"));
                        out.push(lit.replace(' ', "_"));
                        out.push(format!("x{lit}x {lit} {lit}2 {lit}-3.5"));
                    }
                }
            }
        }
        if let Some(corpus) = crate::test_support::corpus("filtered_matching_equals_every_pattern")
        {
            for row in crate::test_support::read_tsv(&corpus.join("generators/EXPECTED.tsv")) {
                out.extend(row.into_values());
            }
        }
        out
    }

    /// The two builds of every bundled pattern (light for short claim strings, full for long
    /// ones) find the same matches on every probe string.
    #[test]
    fn light_and_full_pattern_builds_match_alike() {
        let r = super::super::Registry::bundled();
        let probes = probe_strings(&r);
        let (mut compared, mut found) = (0, 0);
        for g in r.generators() {
            for p in &g.products {
                for pattern in &p.patterns {
                    let light = super::super::Light::compile(pattern).unwrap();
                    let full = super::super::compile_full(pattern).unwrap();
                    for s in &probes {
                        let s = s.replace('_', " ");
                        let mut a = Vec::new();
                        light.for_each_match(&s, |start, end| a.push((start, end)));
                        let b: Vec<_> = full
                            .find_iter(s.as_str())
                            .map(|m| (m.start(), m.end()))
                            .collect();
                        assert_eq!(a, b, "{pattern:?} on {s:?}");
                        compared += 1;
                        found += usize::from(!a.is_empty());
                    }
                }
            }
        }
        assert!(compared > 10_000 && found > 500, "{compared} {found}");
    }

    #[test]
    fn filtered_matching_equals_every_pattern() {
        let r = super::super::Registry::bundled();
        let total: usize = r.generators().iter().map(|g| g.matchers.len()).sum();
        let (mut named, mut pruned) = (0, 0);
        let key = |h: &super::super::Hit| (h.generator, h.product, h.start, h.end);
        for s in probe_strings(&r) {
            let s = super::super::truncate_bytes(&s, super::super::MAX_CLAIM_BYTES);
            let filtered: Vec<_> = r.best_hits_with(s, true).iter().map(key).collect();
            let every: Vec<_> = r.best_hits_with(s, false).iter().map(key).collect();
            assert_eq!(filtered, every, "{s:?}");
            named += usize::from(!every.is_empty());
            let hay = s.replace('_', " ");
            let cands = r.prefilter.get().unwrap().candidates(&hay);
            assert_eq!(cands.len(), total);
            pruned += usize::from(cands.iter().filter(|c| **c).count() < total / 4);
        }
        // The comparison is not vacuous: many strings name a generator, and the filter leaves
        // most patterns out for most of them.
        assert!(named >= 300, "only {named} probe strings name a generator");
        assert!(pruned >= 300, "the filter pruned only {pruned} strings");
    }
}
