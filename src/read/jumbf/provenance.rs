//! Whose word counts in a manifest store: the active manifest's provenance (the manifests it
//! took in as ingredients, and theirs), for redactions and for failures recorded at ingestion.

use std::collections::{BTreeSet, HashMap, HashSet};

use coset::cbor::value::Value;

use crate::read::container::bmff::boxes;
use crate::read::cose::{as_text, map_get};
use crate::read::uri::{resolve_uri, Target};

/// C2PA 2.x section 15.11.3.3.1 (c2pa-rs pull request 2527): a box left at a redacted place
/// holds nothing but zero bytes: every content box after the description box, a `uuid` box
/// after its 16-byte type (C2PA 1.x's redaction placeholder), and the boxes fill the payload
/// exactly. `payload`: the superbox's payload, description box first. Forged content planted
/// at a redacted place would otherwise pass for the assertion whose hash the redaction excuses.
pub(super) fn zero_content(payload: &[u8]) -> bool {
    let mut end = 0;
    for (i, b) in boxes(payload, 0).enumerate() {
        end = b.start + b.body.len();
        let data = match &b.kind {
            _ if i == 0 => continue,
            b"uuid" => b.body.get(16..).unwrap_or_default(),
            _ => b.body,
        };
        if data.iter().any(|&x| x != 0) {
            return false;
        }
    }
    end == payload.len()
}

/// The targets some claim lists in `redacted_assertions`, with the manifests that list each, and
/// the hashed-URI problems about them put aside until [`Provenance`] says whose listing counts
/// (with whether the box there, if any, holds only zero bytes: [`zero_content`]).
pub(super) struct Redactions<P> {
    pub(super) listed: HashMap<Target, Vec<String>>,
    pub(super) deferred: Vec<(P, Target, bool)>,
}

impl<P> Redactions<P> {
    /// The targets each claim (`(manifest label, claim)`) lists in `redacted_assertions` (a URL,
    /// or a map with `url`; at most `max` per claim), resolved against the listing manifest.
    pub(super) fn gather<'v>(
        claims: impl Iterator<Item = (&'v str, &'v Value)>,
        labels: &HashSet<&str>,
        max: usize,
    ) -> Self {
        let mut listed: HashMap<Target, Vec<String>> = HashMap::new();
        for (l, c) in claims {
            let Some(Value::Array(list)) = map_get(c, "redacted_assertions") else {
                continue;
            };
            for x in list.iter().take(max) {
                let url = as_text(x).or_else(|| map_get(x, "url").and_then(as_text));
                if let Some(t) = url.and_then(|u| resolve_uri(u, l, labels)) {
                    listed.entry(t).or_default().push(l.to_string());
                }
            }
        }
        Redactions {
            listed,
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
    /// Whether the link is new (a manifest may take the same one in several times).
    pub(super) fn link(&mut self, from: &str, to: String) -> bool {
        self.links.entry(from.to_string()).or_default().insert(to)
    }

    /// `from` and every manifest reached from it through ingredient links (all of them unless
    /// the step budget runs out).
    fn reachable_from(&mut self, from: &str) -> HashSet<String> {
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

    /// The deferred problems that stand, once the links are known: a problem whose redaction
    /// does not count, as it was (`false`); one whose redaction counts but whose box holds data,
    /// to be reported as not redacted (`true`); the rest are excused. Also the active
    /// manifest's provenance (`active` and every manifest reached from it).
    pub(super) fn settle<P>(
        &mut self,
        redacted: Redactions<P>,
        active: &str,
    ) -> (Vec<(P, bool)>, HashSet<String>) {
        let chain = self.reachable_from(active);
        let mut kept = Vec::new();
        for (p, target, zero) in redacted.deferred {
            let by = redacted
                .listed
                .get(&target)
                .map(Vec::as_slice)
                .unwrap_or_default();
            if !self.redaction_counts(by, &target, &chain) {
                kept.push((p, false));
            } else if !zero {
                kept.push((p, true));
            }
        }
        (kept, chain)
    }

    /// Whether a redaction of `target` listed by the manifests `by` counts: one of them is in
    /// the active manifest's provenance (`chain`), is not the target's own manifest, and took
    /// the target's manifest in (directly or through its ingredients).
    fn redaction_counts(
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

#[cfg(test)]
mod tests {
    use super::zero_content;
    use crate::read::container::bmff::boxed as bx;

    #[test]
    fn only_zero_bytes_after_the_description_box_are_zero_content() {
        let jumd = bx(b"jumd", b"c2pa-assertion-type-uuid\x03c2pa.data\0");
        let with = |boxes: &[Vec<u8>]| {
            let mut p = jumd.clone();
            boxes.iter().for_each(|b| p.extend(b));
            p
        };
        // removed content, zeroed content, C2PA 1.x's placeholder (a uuid box: type, zeros)
        let placeholder = [&[0xca, 0xa9, 0x8e, 0xee][..], &[7; 12], &[0; 32]].concat();
        for ok in [
            with(&[]),
            with(&[bx(b"cbor", &[0; 40])]),
            with(&[bx(b"uuid", &placeholder)]),
        ] {
            assert!(zero_content(&ok));
        }
        // any data byte, trailing bytes that are not a box
        let mut trailing = with(&[bx(b"cbor", &[0; 8])]);
        trailing.extend([0, 0, 0]);
        for bad in [
            with(&[bx(b"cbor", &[0, 0, 1])]),
            with(&[bx(b"uuid", &[&[1; 16][..], &[0, 5]].concat())]),
            with(&[bx(b"cbor", &[0; 4]), bx(b"json", b"{}")]),
            trailing,
        ] {
            assert!(!zero_content(&bad));
        }
    }
}
