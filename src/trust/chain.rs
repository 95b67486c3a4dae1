//! Path building (RFC 5280 section 6, with `-partial_chain` semantics as C2PA requires)
//! and the split between the cached structural result and the per-call time check.
//!
//! Path building is depth-first from the leaf. Candidates for the issuer of a certificate
//! are the other presented certificates and the store's anchors whose subject equals its
//! issuer name (and whose SKI agrees with its AKI when both are present). Each candidate
//! link is signature-checked, then the candidate is checked as an issuer. The search stops
//! at the first anchor on a path (an anchor may be an intermediate), never visits a
//! certificate twice on one path, is limited to [`MAX_PATH_DEPTH`] certificates and to
//! [`MAX_SIGNATURE_CHECKS`] signature verifications, and keeps a few alternative complete
//! paths so that the per-call validity check can pick one that is valid at that time.

use std::collections::{HashMap, HashSet};

use super::cert::{self, ParsedCert};
use super::checks;
use super::store::TrustStore;
use super::types::{
    CertSummary, ChainError, ChainEvaluation, LinkFailure, MissingIssuer, NameOnlyMatch, PathEnd,
    Purpose, TrustSource, MAX_PATH_DEPTH, MAX_PRESENTED, MAX_SIGNATURE_CHECKS,
};

/// At most this many complete paths ending at an anchor are collected.
const MAX_ANCHOR_PATHS: usize = 4;
/// At most this many complete paths in total (anchor-, pin- or allow-list-ended).
const MAX_COMPLETE_PATHS: usize = 8;
/// At most this many notes are kept (each bounded).
const MAX_NOTES: usize = 32;

/// A certificate on some path, with what the time check needs.
#[derive(Clone, Debug)]
pub(crate) struct CachedLink {
    info: CertSummary,
    not_before: i64,
    not_after: i64,
}

/// A structurally complete path (time not yet checked).
#[derive(Clone, Debug)]
pub(crate) struct CachedPath {
    links: Vec<usize>,
    end: PathEnd,
    pinned: Vec<String>,
    notes: Vec<String>,
}

/// The deepest failed attempt, when no complete path exists.
#[derive(Clone, Debug)]
pub(crate) struct CachedAttempt {
    links: Vec<usize>,
    failures: Vec<LinkFailure>,
    pinned: Vec<String>,
}

/// The cached, time-independent part of an evaluation.
#[derive(Clone, Debug, Default)]
pub(crate) struct Structural {
    links: Vec<CachedLink>,
    /// In preference order: allow-listed leaf / anchor-ended paths first, then pin-ended.
    complete: Vec<CachedPath>,
    attempt: Option<CachedAttempt>,
    /// Failures that apply whatever path is chosen (leaf profile, name-only forgeries,
    /// unparsable leaf, empty chain).
    fixed_failures: Vec<LinkFailure>,
    name_only: Vec<NameOnlyMatch>,
    notes: Vec<String>,
    missing_issuer: Option<MissingIssuer>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Node {
    /// Index into the de-duplicated presented certificates (0 = leaf).
    Presented(usize),
    /// Index of an anchor in the store.
    Anchor(usize),
    /// Index of a known intermediate in the store (not presented; completes the chain).
    Known(usize),
}

#[derive(Clone, Copy, Debug)]
enum End {
    Anchor(usize),
    Pin(usize),
    Allowed(TrustSource),
}

struct Presented {
    cert: ParsedCert,
    /// Position in the chain as presented.
    orig: usize,
    /// The anchor this certificate is, if any: (anchor index, identical DER).
    anchor: Option<(usize, bool)>,
}

struct Builder<'a> {
    store: &'a TrustStore,
    purpose: Purpose,
    presented: &'a [Presented],
    budget: u32,
    budget_hit: bool,
    sig_memo: HashMap<(Node, Node), Result<(), ChainError>>,
    complete: Vec<(Vec<Node>, End)>,
    anchor_paths: usize,
    best: Option<Attempt>,
}

/// A failed path attempt: the path so far and its failures as (path index, error).
type Attempt = (Vec<Node>, Vec<(usize, ChainError)>);

/// The certificate a path node stands for.
fn node_cert<'a>(store: &'a TrustStore, presented: &'a [Presented], n: Node) -> &'a ParsedCert {
    match n {
        Node::Presented(j) => &presented[j].cert,
        Node::Anchor(i) => store.anchor(i).cert(),
        Node::Known(i) => &store.known_intermediate(i).cert,
    }
}

impl<'a> Builder<'a> {
    fn cert(&self, n: Node) -> &'a ParsedCert {
        node_cert(self.store, self.presented, n)
    }

    fn anchor_of(&self, n: Node) -> Option<(usize, bool)> {
        match n {
            Node::Presented(j) => self.presented[j].anchor,
            Node::Anchor(i) => Some((i, true)),
            Node::Known(i) => self
                .store
                .anchor_for(&self.store.known_intermediate(i).cert, self.purpose),
        }
    }

    fn record_attempt(&mut self, path: &[Node], failures: Vec<(usize, ChainError)>) {
        let deeper = match &self.best {
            None => true,
            Some((p, _)) => path.len() > p.len(),
        };
        if deeper {
            self.best = Some((path.to_vec(), failures));
        }
    }

    fn done(&self) -> bool {
        self.anchor_paths >= MAX_ANCHOR_PATHS || self.complete.len() >= MAX_COMPLETE_PATHS
    }

    /// Loop prevention: a candidate is skipped if the same certificate, or a certificate
    /// with the same subject and key, is already on the path.
    fn on_path(&self, path: &[Node], cand: &ParsedCert) -> bool {
        path.iter().any(|&n| {
            let c = self.cert(n);
            c.sha256 == cand.sha256
                || (c.subject_key == cand.subject_key && c.spki_sha256 == cand.spki_sha256)
        })
    }

    fn candidates(&self, path: &[Node], top: &ParsedCert) -> Vec<Node> {
        let mut out = Vec::new();
        let mut seen: HashSet<[u8; 32]> = HashSet::new();
        for (j, p) in self.presented.iter().enumerate() {
            if p.cert.subject_key == top.issuer_key
                && !self.on_path(path, &p.cert)
                && seen.insert(p.cert.sha256)
            {
                out.push(Node::Presented(j));
            }
        }
        for i in self.store.anchors_named(&top.issuer_key, self.purpose) {
            let a = self.store.anchor(i).cert();
            if !self.on_path(path, a) && seen.insert(a.sha256) {
                out.push(Node::Anchor(i));
            }
        }
        // Known intermediates last: what the file presents and the anchors come first.
        for &i in self.store.known_named(&top.issuer_key) {
            let k = &self.store.known_intermediate(i).cert;
            if !self.on_path(path, k) && seen.insert(k.sha256) {
                out.push(Node::Known(i));
            }
        }
        out
    }

    fn verify_link(&mut self, child: Node, issuer: Node) -> Result<(), ChainError> {
        if let Some(r) = self.sig_memo.get(&(child, issuer)) {
            return r.clone();
        }
        let r = checks::verify_signature(self.cert(child), self.cert(issuer));
        self.sig_memo.insert((child, issuer), r.clone());
        r
    }

    /// RFC 5280 6.1.4: checks on a certificate used as an issuer at `path.len()`.
    fn issuer_checks(&self, path: &[Node], cand: Node) -> Vec<(usize, ChainError)> {
        let c = self.cert(cand);
        let idx = path.len();
        let is_anchor = self.anchor_of(cand).is_some();
        let below = path[1..]
            .iter()
            .filter(|&&n| !self.cert(n).is_self_issued())
            .count();
        let claim_ekus = self.store.claim_ekus();
        let mut results = vec![
            checks::check_issuer_is_ca(c, is_anchor),
            checks::check_path_len(c, below),
            checks::check_issuer_key_usage(c),
        ];
        if !is_anchor {
            if self.store.enforces_intermediate_eku() {
                results.push(checks::check_intermediate_eku(c, self.purpose, claim_ekus));
            }
            results.push(checks::check_critical_extensions(c));
        }
        results
            .into_iter()
            .filter_map(|r| r.err().map(|e| (idx, e)))
            .collect()
    }

    fn extend(&mut self, path: &mut Vec<Node>) {
        let top = *path.last().expect("path never empty");
        let top_cert = self.cert(top);

        // Stop at the first anchor (partial-chain semantics: anchors may be intermediates).
        if let Some((a, by_der)) = self.anchor_of(top) {
            let mut p = path.clone();
            if path.len() > 1 && !by_der {
                // Same subject and key as the anchor but another encoding / cross-signed copy:
                // end at the anchor's own certificate (its validity is what counts).
                *p.last_mut().expect("non-empty") = Node::Anchor(a);
            }
            if !self.complete.iter().any(|(q, _)| *q == p) {
                self.complete.push((p, End::Anchor(a)));
                self.anchor_paths += 1;
            }
            return;
        }

        // A pinned key on the path ends a (less preferred) path; keep looking for an anchor.
        let pinned = self
            .store
            .pins_for_key(&top_cert.spki_sha256)
            .first()
            .copied();
        if let Some(pin) = pinned {
            self.complete.push((path.clone(), End::Pin(pin)));
        }

        if path.len() >= MAX_PATH_DEPTH {
            if pinned.is_none() {
                self.record_attempt(path, vec![(path.len() - 1, ChainError::DepthExceeded)]);
            }
            return;
        }

        let cands = self.candidates(path, top_cert);
        let mut extended = false;
        let mut link_failures: Vec<(usize, ChainError)> = Vec::new();
        for cand in cands {
            if self.done() {
                return;
            }
            if !checks::key_ids_agree(top_cert, self.cert(cand)) {
                continue;
            }
            if self.budget == 0 {
                self.budget_hit = true;
                self.record_attempt(path, vec![(path.len() - 1, ChainError::BudgetExceeded)]);
                return;
            }
            self.budget -= 1;
            if let Err(e) = self.verify_link(top, cand) {
                link_failures.push((path.len() - 1, e));
                continue;
            }
            let errs = self.issuer_checks(path, cand);
            path.push(cand);
            if errs.is_empty() {
                extended = true;
                self.extend(path);
            } else {
                self.record_attempt(path, errs);
            }
            path.pop();
        }

        if extended || pinned.is_some() {
            return;
        }
        if !link_failures.is_empty() {
            link_failures.dedup();
            self.record_attempt(path, link_failures);
            return;
        }
        let err = if top_cert.is_self_issued() {
            if path.len() == 1 {
                ChainError::SelfSignedLeaf
            } else {
                ChainError::UntrustedRoot
            }
        } else {
            ChainError::UnknownIssuer {
                issuer: top_cert.issuer.clone(),
            }
        };
        self.record_attempt(path, vec![(path.len() - 1, err)]);
    }
}

/// Collects the certificates referenced by cached paths, de-duplicated.
struct LinkTable<'a> {
    store: &'a TrustStore,
    presented: &'a [Presented],
    index: HashMap<Node, usize>,
    links: Vec<CachedLink>,
}

impl LinkTable<'_> {
    fn cert(&self, n: Node) -> &ParsedCert {
        node_cert(self.store, self.presented, n)
    }

    fn link(&mut self, n: Node) -> usize {
        if let Some(&i) = self.index.get(&n) {
            return i;
        }
        let c = self.cert(n);
        let mut info = c.summary();
        if let Node::Known(i) = n {
            info.supplied_by = Some(self.store.known_intermediate(i).supplied_by.to_string());
        }
        let link = CachedLink {
            info,
            not_before: c.not_before,
            not_after: c.not_after,
        };
        self.links.push(link);
        self.index.insert(n, self.links.len() - 1);
        self.links.len() - 1
    }

    fn pinned(&self, path: &[Node]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for &n in path {
            for &p in self.store.pins_for_key(&self.cert(n).spki_sha256) {
                let g = &self.store.pin(p).info.generator;
                if !out.contains(g) {
                    out.push(g.clone());
                }
            }
        }
        out
    }
}

fn push_note(notes: &mut Vec<String>, note: String) {
    if notes.len() < MAX_NOTES && !notes.contains(&note) {
        notes.push(cert::bound(&note));
    }
}

/// The structural (time-independent, cacheable) evaluation of a presented chain.
pub(crate) fn evaluate_structure(
    store: &TrustStore,
    chain: &[Vec<u8>],
    purpose: Purpose,
) -> Structural {
    let mut s = Structural::default();
    if chain.is_empty() {
        s.fixed_failures.push(LinkFailure {
            index: 0,
            subject: String::new(),
            error: ChainError::EmptyChain,
        });
        return s;
    }
    if chain.len() > MAX_PRESENTED {
        push_note(
            &mut s.notes,
            format!(
                "{} certificates presented; only the first {MAX_PRESENTED} were considered",
                chain.len()
            ),
        );
    }

    // Parse and de-duplicate the presented certificates (leaf first).
    let mut presented: Vec<Presented> = Vec::new();
    let mut seen: HashSet<[u8; 32]> = HashSet::new();
    for (orig, der) in chain.iter().enumerate().take(MAX_PRESENTED) {
        let h = cert::sha256(der);
        if !seen.insert(h) {
            push_note(
                &mut s.notes,
                format!("presented certificate #{orig} is a duplicate; ignored"),
            );
            continue;
        }
        match ParsedCert::parse(der, false) {
            Ok(c) => {
                let anchor = store.anchor_for(&c, purpose);
                presented.push(Presented {
                    cert: c,
                    orig,
                    anchor,
                });
            }
            Err(detail) if orig == 0 => {
                s.fixed_failures.push(LinkFailure {
                    index: 0,
                    subject: String::new(),
                    error: ChainError::Malformed {
                        detail: cert::bound(&detail),
                    },
                });
                return s;
            }
            Err(detail) => push_note(
                &mut s.notes,
                format!("presented certificate #{orig} could not be parsed ({detail}); ignored"),
            ),
        }
    }

    // Checks on the signing certificate itself (C2PA certificate profile).
    let leaf = &presented[0].cert;
    let claim_ekus = store.claim_ekus();
    for r in [
        checks::check_leaf_not_ca(leaf),
        checks::check_leaf_key_usage(leaf, purpose),
        checks::check_leaf_eku(leaf, purpose, claim_ekus),
        checks::check_critical_extensions(leaf),
    ] {
        if let Err(error) = r {
            s.fixed_failures.push(LinkFailure {
                index: 0,
                subject: leaf.subject.clone(),
                error,
            });
        }
    }

    let mut builder = Builder {
        store,
        purpose,
        presented: &presented,
        budget: MAX_SIGNATURE_CHECKS,
        budget_hit: false,
        sig_memo: HashMap::new(),
        complete: Vec::new(),
        anchor_paths: 0,
        best: None,
    };
    if let Some(source) = store.allowed_source(&leaf.sha256) {
        // An allow-listed leaf is trusted by exact hash, whatever its chain.
        builder
            .complete
            .push((vec![Node::Presented(0)], End::Allowed(source)));
    } else {
        let mut path = vec![Node::Presented(0)];
        builder.extend(&mut path);
    }
    if builder.budget_hit {
        push_note(
            &mut s.notes,
            "path building stopped at the signature-check budget".to_string(),
        );
    }

    // Preference: allow-listed leaf / anchor-ended paths, then pin-ended (stable).
    let mut complete = std::mem::take(&mut builder.complete);
    complete.sort_by_key(|(_, end)| matches!(end, End::Pin(_)));
    let best = builder.best.take();

    let mut table = LinkTable {
        store,
        presented: &presented,
        index: HashMap::new(),
        links: Vec::new(),
    };
    for (path, end) in &complete {
        let links: Vec<usize> = path.iter().map(|&n| table.link(n)).collect();
        let end = match *end {
            End::Anchor(i) => {
                let a = store.anchor(i);
                PathEnd::Anchor {
                    source: a.source,
                    subject: a.info().cert.subject.clone(),
                    sha256: a.info().cert.sha256.clone(),
                }
            }
            End::Pin(p) => {
                let pin = &store.pin(p).info;
                PathEnd::Pin {
                    generator: pin.generator.clone(),
                    subject: pin.subject.clone(),
                    spki_sha256: pin.spki_sha256.clone(),
                }
            }
            End::Allowed(source) => PathEnd::AllowedLeaf {
                source,
                sha256: hex::encode(presented[0].cert.sha256),
            },
        };
        let mut notes = Vec::new();
        path_notes(&presented, path, end_is_allowed(&end), &mut notes, store);
        intermediate_eku_notes(&table, path, purpose, &mut notes);
        s.complete.push(CachedPath {
            links,
            pinned: table.pinned(path),
            end,
            notes,
        });
    }

    if s.complete.is_empty() {
        if let Some((path, failures)) = &best {
            let failures: Vec<LinkFailure> = failures
                .iter()
                .map(|(index, error)| LinkFailure {
                    index: *index,
                    subject: path
                        .get(*index)
                        .map(|&n| table.cert(n).subject.clone())
                        .unwrap_or_default(),
                    error: error.clone(),
                })
                .collect();
            let links = path.iter().map(|&n| table.link(n)).collect();
            let top = table.cert(*path.last().expect("non-empty"));
            if failures.iter().any(|f: &LinkFailure| {
                f.index + 1 == path.len() && matches!(f.error, ChainError::UnknownIssuer { .. })
            }) {
                s.missing_issuer = Some(MissingIssuer {
                    issuer: top.issuer.clone(),
                    pinned_name_of: store.pinned_generators_named(&top.issuer_key),
                });
            }
            s.attempt = Some(CachedAttempt {
                links,
                failures,
                pinned: table.pinned(path),
            });
            top_issuer_name_check(
                store,
                purpose,
                table.cert(*path.last().expect("non-empty")),
                &mut s,
            );
        }
    }

    presented_name_checks(store, &presented, &mut s);
    s.links = table.links;
    s
}

fn end_is_allowed(end: &PathEnd) -> bool {
    matches!(end, PathEnd::AllowedLeaf { .. })
}

/// Non-fatal observations about a complete path.
fn path_notes(
    presented: &[Presented],
    path: &[Node],
    allowed: bool,
    notes: &mut Vec<String>,
    store: &TrustStore,
) {
    if allowed {
        if presented.len() > 1 {
            push_note(
                notes,
                "leaf is on an end-entity allow-list; the rest of the presented chain was not needed"
                    .to_string(),
            );
        }
        return;
    }
    let mut used = HashSet::new();
    let mut reordered = false;
    for (pos, &n) in path.iter().enumerate() {
        match n {
            Node::Presented(j) => {
                used.insert(j);
                if presented[j].orig != pos {
                    reordered = true;
                }
            }
            Node::Known(i) => {
                let k = store.known_intermediate(i);
                let by = match k.supplied_by {
                    "bundled" => "provcheck's bundled copy (data/generator-cas.pem)",
                    _ => "a user-supplied intermediate",
                };
                push_note(notes, format!("the file does not present the issuing certificate {}; the chain was completed with {by} (as browsers complete chains with known intermediates)", k.cert.subject));
            }
            Node::Anchor(i) => {
                // An anchor standing in for a presented copy with the same subject and key.
                if let Some(j) = presented
                    .iter()
                    .position(|p| matches!(p.anchor, Some((a, false)) if a == i))
                {
                    used.insert(j);
                    push_note(
                        notes,
                        format!(
                            "presented certificate #{} has the subject and key of anchor {} ({}); the anchor's own certificate was used",
                            presented[j].orig,
                            store.anchor(i).info().cert.sha256,
                            store.anchor(i).source
                        ),
                    );
                }
            }
        }
    }
    if reordered {
        push_note(
            notes,
            "presented chain was not in issuing order; the path was reordered".to_string(),
        );
    }
    let unused: Vec<String> = presented
        .iter()
        .enumerate()
        .filter(|(j, _)| !used.contains(j))
        .map(|(_, p)| format!("#{}", p.orig))
        .collect();
    if !unused.is_empty() {
        push_note(
            notes,
            format!(
                "presented certificate(s) {} not used on the path",
                unused.join(", ")
            ),
        );
    }
}

/// C2PA EKU chaining, when not enforced: report intermediates (not anchors) whose EKU
/// extension would fail `check_intermediate_eku`.
fn intermediate_eku_notes(
    table: &LinkTable<'_>,
    path: &[Node],
    purpose: Purpose,
    notes: &mut Vec<String>,
) {
    if table.store.enforces_intermediate_eku() {
        return;
    }
    for (pos, &n) in path.iter().enumerate().skip(1) {
        let c = table.cert(n);
        let is_anchor = match n {
            Node::Anchor(_) => true,
            Node::Presented(j) => table.presented[j].anchor.is_some(),
            Node::Known(i) => table
                .store
                .anchor_for(&table.store.known_intermediate(i).cert, purpose)
                .is_some(),
        };
        if is_anchor {
            continue;
        }
        if let Err(ChainError::EkuNotAllowed { found }) =
            checks::check_intermediate_eku(c, purpose, table.store.claim_ekus())
        {
            push_note(
                notes,
                format!(
                    "intermediate at path index {pos} restricts extendedKeyUsage to [{}], none allowed for {purpose} (C2PA EKU chaining; not enforced)",
                    found.join(", ")
                ),
            );
        }
    }
}

/// C2PA name-only forgery check on the presented certificates: a certificate whose
/// subject DN equals a known anchor's or pin's subject but whose key differs from every
/// known key for that name.
fn presented_name_checks(store: &TrustStore, presented: &[Presented], s: &mut Structural) {
    for p in presented {
        let known = store.known_keys_for_subject(&p.cert.subject_key);
        let Some(first) = known.first() else {
            continue;
        };
        if known.iter().any(|k| *k.spki == p.cert.spki_sha256) {
            continue;
        }
        let m = NameOnlyMatch {
            subject: p.cert.subject.clone(),
            presented_spki_sha256: hex::encode(p.cert.spki_sha256),
            known_spki_sha256: hex::encode(first.spki),
            known_source: first.source.clone(),
        };
        if !s.name_only.contains(&m) {
            s.fixed_failures.push(LinkFailure {
                index: p.orig,
                subject: p.cert.subject.clone(),
                error: ChainError::NameMatchesKnownCaKeyDiffers {
                    known_source: first.source.clone(),
                },
            });
            s.name_only.push(m);
        }
    }
}

/// When no path was found: if the top certificate names an anchor as its issuer but its
/// signature does not verify under any anchor of that name, the issuer name was copied.
/// Also notes anchors that exist for that name but belong to a list not used for
/// this purpose.
fn top_issuer_name_check(
    store: &TrustStore,
    purpose: Purpose,
    top: &ParsedCert,
    s: &mut Structural,
) {
    let named: Vec<usize> = store.anchors_named(&top.issuer_key, purpose).collect();
    // A known intermediate (data/generator-cas.pem) carries the issuer name, but the top
    // certificate's signature does not verify under its key: the issuer name was copied.
    let known = store.known_named(&top.issuer_key);
    if named.is_empty() && !known.is_empty() && !top.is_self_issued() {
        let refuted = known.iter().take(4).all(|&i| {
            matches!(
                checks::verify_signature(top, &store.known_intermediate(i).cert),
                Err(ChainError::BadSignature)
            )
        });
        if refuted {
            let k = store.known_intermediate(known[0]);
            let source = format!("known-intermediate:{}", k.supplied_by);
            s.name_only.push(NameOnlyMatch {
                subject: top.issuer.clone(),
                presented_spki_sha256: String::new(),
                known_spki_sha256: hex::encode(k.cert.spki_sha256),
                known_source: source.clone(),
            });
            let index = s
                .attempt
                .as_ref()
                .map_or(0, |a| a.links.len().saturating_sub(1));
            let error = ChainError::NameMatchesKnownCaKeyDiffers {
                known_source: source,
            };
            let subject = top.subject.clone();
            s.fixed_failures.push(LinkFailure {
                index,
                subject,
                error,
            });
            s.missing_issuer = None;
        }
        return;
    }
    if named.is_empty() {
        // Maybe an anchor of a list for another purpose.
        let other = if purpose == Purpose::ClaimSigning {
            Purpose::TimeStamping
        } else {
            Purpose::ClaimSigning
        };
        for i in store.anchors_named(&top.issuer_key, other) {
            let a = store.anchor(i);
            if checks::verify_signature(top, a.cert()).is_ok() {
                push_note(
                    &mut s.notes,
                    format!(
                        "the issuer is an anchor of {}, which is not used for {purpose}",
                        a.source
                    ),
                );
                return;
            }
        }
        return;
    }
    if top.is_self_issued() {
        // Reported by the presented-certificate check if its key differs.
        return;
    }
    // Only a signature that is checkable and wrong is evidence of a copied name; an
    // unsupported algorithm or a too-small key is not.
    let refuted = named.iter().take(4).all(|&i| {
        matches!(
            checks::verify_signature(top, store.anchor(i).cert()),
            Err(ChainError::BadSignature)
        )
    });
    if !refuted {
        return;
    }
    let a = store.anchor(named[0]);
    let m = NameOnlyMatch {
        subject: top.issuer.clone(),
        presented_spki_sha256: String::new(),
        known_spki_sha256: hex::encode(a.cert().spki_sha256),
        known_source: a.source.as_str().to_string(),
    };
    let index = s
        .attempt
        .as_ref()
        .map(|a| a.links.len().saturating_sub(1))
        .unwrap_or(0);
    s.fixed_failures.push(LinkFailure {
        index,
        subject: top.subject.clone(),
        error: ChainError::NameMatchesKnownCaKeyDiffers {
            known_source: a.source.as_str().to_string(),
        },
    });
    s.name_only.push(m);
}

fn time_failures(s: &Structural, links: &[usize], at: i64, out: &mut Vec<LinkFailure>) {
    for (pos, &l) in links.iter().enumerate() {
        let link = &s.links[l];
        if let Err(error) =
            checks::check_validity(link.not_before, link.not_after, at, cert::rfc3339)
        {
            out.push(LinkFailure {
                index: pos,
                subject: link.info.subject.clone(),
                error,
            });
        }
    }
}

fn valid_at(s: &Structural, links: &[usize], at: i64) -> bool {
    links.iter().all(|&l| {
        let link = &s.links[l];
        link.not_before <= at && at <= link.not_after
    })
}

/// Apply the validity-time check (RFC 5280 4.1.2.5) to a cached structural result.
pub(crate) fn apply_time(s: &Structural, at: i64) -> ChainEvaluation {
    let mut notes = s.notes.clone();
    let mut failures: Vec<LinkFailure> = s.fixed_failures.clone();
    let (path, ended_at, pinned) = if let Some(first) = s.complete.first() {
        let chosen = s
            .complete
            .iter()
            .position(|p| valid_at(s, &p.links, at))
            .unwrap_or(0);
        let p = &s.complete[chosen];
        if chosen > 0 {
            push_note(
                &mut notes,
                format!(
                    "the preferred path (ending at {}) is not valid at the evaluation time; an alternative path was used",
                    path_end_label(&first.end)
                ),
            );
        }
        for n in &p.notes {
            push_note(&mut notes, n.clone());
        }
        time_failures(s, &p.links, at, &mut failures);
        (&p.links, Some(p.end.clone()), p.pinned.clone())
    } else if let Some(a) = &s.attempt {
        failures.extend(a.failures.iter().cloned());
        // Leaf first, then up the path (stable: leaf-profile failures precede link ones).
        failures.sort_by_key(|f| f.index);
        time_failures(s, &a.links, at, &mut failures);
        (&a.links, None, a.pinned.clone())
    } else {
        return ChainEvaluation {
            trusted: false,
            path: Vec::new(),
            ended_at: None,
            failures,
            notes,
            pinned_generators: Vec::new(),
            name_only_matches: s.name_only.clone(),
            missing_issuer: None,
        };
    };
    let trusted = ended_at.is_some() && failures.is_empty();
    let missing_issuer = if ended_at.is_none() {
        s.missing_issuer.clone()
    } else {
        None
    };
    ChainEvaluation {
        trusted,
        path: path.iter().map(|&l| s.links[l].info.clone()).collect(),
        ended_at,
        failures,
        notes,
        pinned_generators: pinned,
        name_only_matches: s.name_only.clone(),
        missing_issuer,
    }
}

fn path_end_label(end: &PathEnd) -> String {
    match end {
        PathEnd::Anchor { source, .. } => format!("an anchor of {source}"),
        PathEnd::AllowedLeaf { source, .. } => format!("the allow-list {source}"),
        PathEnd::Pin { generator, .. } => format!("pin {generator}"),
    }
}
