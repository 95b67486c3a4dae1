//! Whose word counts in a manifest store: the active manifest's provenance (the manifests it
//! took in as ingredients, and theirs), for redactions and for failures recorded at ingestion.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::read::uri::Target;

/// The targets some claim lists in `redacted_assertions`, with the manifests that list each, and
/// the hashed-URI problems about them put aside until [`Provenance`] says whose listing counts.
pub(super) struct Redactions<P> {
    pub(super) listed: HashMap<Target, Vec<String>>,
    pub(super) deferred: Vec<(P, Target)>,
}

impl<P> Default for Redactions<P> {
    fn default() -> Self {
        Redactions {
            listed: HashMap::new(),
            deferred: Vec::new(),
        }
    }
}

/// Which manifest took in which as an ingredient (an ingredient assertion's `activeManifest`
/// or `c2pa_manifest`), to decide whose word counts. C2PA 2.x ("Redaction of assertions",
/// "Validate the ingredients"): a manifest may redact assertions only of the manifests it took
/// in, directly or through theirs, never its own (`assertion.selfRedacted`); and a validator
/// walks the store from the active manifest through its ingredients, so a manifest outside that
/// walk (one nothing references, which a forger can add to a store unsigned) neither redacts nor
/// records anything. c2pa 0.90.22 gathers redactions the same way (`svi.redactions`, from the
/// claim hierarchy); c2pa-rs pull requests 2527 and 2686 close the same kind of gap in the SDK.
#[derive(Default)]
pub(super) struct Provenance {
    links: HashMap<String, BTreeSet<String>>,
    /// The manifests each redacting manifest reaches, walked once each.
    reach: HashMap<String, HashSet<String>>,
    /// Links followed so far, in all walks (bounded by [`MAX_PROVENANCE_STEPS`]).
    steps: usize,
}

/// Most ingredient links followed in all the walks of one store. The active manifest's walk
/// follows each link once (at most 1,000 manifests, `jumbf::MAX_MANIFESTS`, so at most a
/// million links); a store whose walks go beyond this has its redactions count no more, and
/// the hashed-URI problems they would have excused are reported (fail closed).
const MAX_PROVENANCE_STEPS: usize = 2_000_000;

impl Provenance {
    pub(super) fn link(&mut self, from: &str, to: String) {
        self.links.entry(from.to_string()).or_default().insert(to);
    }

    /// `from` and every manifest reached from it through ingredient links (all of them unless
    /// the step budget runs out).
    pub(super) fn reachable_from(&mut self, from: &str) -> HashSet<String> {
        let mut seen: HashSet<String> = HashSet::from([from.to_string()]);
        let mut todo = vec![from.to_string()];
        while let Some(m) = todo.pop() {
            for next in self.links.get(&m).into_iter().flatten() {
                self.steps += 1;
                if self.steps > MAX_PROVENANCE_STEPS {
                    return seen;
                }
                if seen.insert(next.clone()) {
                    todo.push(next.clone());
                }
            }
        }
        seen
    }

    /// Whether a redaction of `target` listed by the manifests `by` counts: one of them is in
    /// the active manifest's provenance (`chain`), is not the target's own manifest, and took
    /// the target's manifest in (directly or through its ingredients).
    pub(super) fn redaction_counts(
        &mut self,
        by: &[String],
        target: &Target,
        chain: &HashSet<String>,
    ) -> bool {
        for l in by {
            if l == target.manifest() || !chain.contains(l) {
                continue;
            }
            if !self.reach.contains_key(l) {
                if self.steps > MAX_PROVENANCE_STEPS {
                    return false;
                }
                let r = self.reachable_from(l);
                self.reach.insert(l.clone(), r);
            }
            if self
                .reach
                .get(l)
                .is_some_and(|r| r.contains(target.manifest()))
            {
                return true;
            }
        }
        false
    }
}
