//! The pipeline for one file once it is read: integrity, trust, attribution, verdict, report.

use std::collections::{HashMap, HashSet};

use crate::attribute::registry::Registry;
use crate::attribute::signer::{evaluate_signer, SignerEval};
use crate::attribute::{self, Attribution};
use crate::read::metadata::MetadataClaim;
use crate::read::{ReadOutcome, StoreFacts, MAX_FIELD};
use crate::report::*;
use crate::trust::TrustEngine;
use crate::trust::{CertSummary, PathEnd};
use crate::verdict::{self, CodeClass, Findings};

/// What the evaluation needs from the verifier: the registry, the two trust engines, the time
/// certificates are judged at without a trusted time-stamp, and whether the SDK's own trust check
/// ran (the `Verifier` builds one per file).
pub(crate) struct Policy<'a> {
    pub registry: &'a Registry,
    pub claim_trust: &'a TrustEngine,
    pub tsa_trust: &'a TrustEngine,
    pub now: (chrono::DateTime<chrono::Utc>, TimeOrigin),
    pub sdk_trust: bool,
}

/// Deepest ingredient nesting shown in the report's tree.
const MAX_TREE_DEPTH: usize = 16;

pub(crate) fn build_report(
    v: &Policy,
    input: Input,
    outcome: ReadOutcome,
    metadata: Vec<MetadataClaim>,
    expect: Option<&str>,
) -> Report {
    match outcome {
        ReadOutcome::Failed { code, explanation } => {
            let mut r = Report::error(input, &code, explanation);
            let att = attribute::attribute(
                v.registry,
                None,
                &HashMap::new(),
                &HashMap::new(),
                &metadata,
                None,
            );
            r.claimed_source = att.claimed;
            r
        }
        ReadOutcome::NoManifest { remote } => {
            let att = attribute::attribute(
                v.registry,
                None,
                &HashMap::new(),
                &HashMap::new(),
                &metadata,
                expect,
            );
            let mut reasons = Vec::new();
            match &remote {
                Some(url) => reasons.push(Reason {
                    code: crate::codes::c2pa::MANIFEST_REMOTE.into(),
                    severity: Severity::Failure,
                    explanation: format!(
                        "no embedded manifest; the file points to a remote manifest (not fetched): {url}"
                    ),
                    scope: Some("file".into()),
                }),
                None => reasons.push(Reason {
                    code: crate::codes::MANIFEST_NONE.into(),
                    severity: Severity::Failure,
                    explanation: "no C2PA manifest is embedded in the file".into(),
                    scope: Some("file".into()),
                }),
            }
            reasons.extend(att.reasons);
            let summary = match (&att.claimed.summary, &remote) {
                (Some(s), _) => format!(
                    "no Content Credentials; its metadata claims {s} (unverified)"
                ),
                (None, Some(_)) => {
                    "no embedded Content Credentials, only a remote manifest reference (not fetched)"
                        .into()
                }
                (None, None) => "no Content Credentials".into(),
            };
            Report {
                schema_version: SCHEMA_VERSION,
                input,
                verdict: Verdict::Unsigned,
                summary,
                reasons,
                claimed_source: att.claimed,
                authenticated_source: None,
                manifest: None,
                signature: None,
                timestamp: None,
                trust: None,
                actions: Vec::new(),
                ingredients: Vec::new(),
                remote_manifest: remote,
                validation: Validation::default(),
                validated_by: None,
                coverage: None,
            }
        }
        ReadOutcome::Manifest(store) => signed_report(v, input, &store, metadata, expect),
    }
}

/// Manifests outside the active manifest's provenance (`StoreFacts::unreferenced`): said (a
/// warning: someone added to the store after signing, which genuine output does not show), not
/// held against the file.
fn unreferenced_reason(store: &StoreFacts) -> Option<Reason> {
    let n = store.unreferenced.len();
    (n > 0).then(|| Reason {
        code: crate::codes::c2pa::MANIFEST_UNREFERENCED.into(),
        severity: Severity::Warning,
        explanation: format!(
            "the store holds {n} manifest(s) that neither the active manifest nor any of its ingredients takes in ({}): no part of this file's provenance, so their claims were not used and their problems are listed as informational",
            crate::read::unreferenced::some_named(&store.unreferenced)
        ),
        scope: Some("store".into()),
    })
}

fn signed_report(
    v: &Policy,
    input: Input,
    store: &StoreFacts,
    metadata: Vec<MetadataClaim>,
    expect: Option<&str>,
) -> Report {
    let mut reasons: Vec<Reason> = Vec::new();

    // 1. integrity: every failure classified by its code and the structure it names
    let structure = verdict::Structure {
        store: &store.raw,
        active: &store.active,
        recovered_without_identity: store.recovered_without_identity,
        multi_asset_verified: store.binding.multi_asset_verified,
    };
    // each failure classified once; the verdict and the per-manifest integrity both use it
    let classes: Vec<CodeClass> = store
        .validation
        .failure
        .iter()
        .map(|s| verdict::classify(s, &structure))
        .collect();
    let mut integrity_failure = false;
    // every integrity failure says the manifest was made against the rules, none that
    // something changed after signing (exact codes): the summary says so
    let mut breaks_the_rules_only = true;
    for (s, &class) in store.validation.failure.iter().zip(&classes) {
        if class == CodeClass::Integrity {
            integrity_failure = true;
            breaks_the_rules_only &=
                crate::codes::c2pa::BREAKS_THE_RULES.contains(&s.code.as_str());
        }
        if class != CodeClass::Credential {
            reasons.push(Reason {
                code: s.code.clone(),
                severity: verdict::severity(class),
                explanation: match class {
                    CodeClass::Superseded => format!(
                        "{} (superseded: the multi-asset hash, which binds each part of this file separately, verified)",
                        s.explanation.as_deref().unwrap_or("whole-file data hash mismatch")
                    ),
                    _ => s
                        .explanation
                        .clone()
                        .unwrap_or_else(|| "reported by the c2pa SDK".into()),
                },
                scope: Some(s.scope.clone()),
            });
        }
    }
    // provcheck's own facts that are not failures (missing optional part, unprotected bytes)
    for s in &store.validation.informational {
        let severity = match s.code.as_str() {
            crate::codes::BINDING_UNPROTECTED_BYTES => Severity::Warning,
            crate::codes::MULTI_ASSET_OPTIONAL_PART_MISSING => Severity::Info,
            // --cross-check: the SDK's judgement stands; the difference is for the analyst
            crate::codes::CROSS_CHECK_DIFFERS => Severity::Warning,
            // the SDK's false claim-signature mismatch, verified and replaced (read::sdk_read)
            crate::codes::CLAIM_SIGNATURE_REVERIFIED => Severity::Info,
            _ => continue,
        };
        reasons.push(Reason {
            code: s.code.clone(),
            severity,
            explanation: s.explanation.clone().unwrap_or_default(),
            scope: Some(s.scope.clone()),
        });
    }
    if let Some(r) = unreferenced_reason(store) {
        reasons.push(r);
    }
    let active = store.active();
    reasons.extend(timestamp_reasons(store, active));
    let integrity = manifest_integrity(store, &classes);

    // 2. trust: every manifest's signer, evaluated by provcheck (chains cached by the engine)
    // An ingredient manifest's time-stamp counts unless the SDK reported it broken for that
    // manifest (the SDK only lists `timeStamp.validated` for the active manifest).
    let bad_timestamp: HashSet<&str> = store
        .manifests
        .keys()
        .filter(|l| {
            store.problems_of(l).any(|s| {
                s.code == crate::codes::c2pa::TIME_STAMP_MISMATCH
                    || s.code == crate::codes::c2pa::TIME_STAMP_MALFORMED
            })
        })
        .map(String::as_str)
        .collect();
    let mut signers: HashMap<String, SignerEval> = HashMap::new();
    for (label, m) in &store.manifests {
        let ts_ok = if *label == store.active {
            store.timestamp_validated
        } else {
            !bad_timestamp.contains(label.as_str())
        };
        signers.insert(
            label.clone(),
            evaluate_signer(m, ts_ok, v.claim_trust, v.tsa_trust, v.registry, v.now),
        );
    }
    // A claim signature that does not verify authenticates nobody, whatever chain sits beside it.
    let signature_broken = store.failures_of(&store.active).any(|s| {
        s.code == crate::codes::c2pa::CLAIM_SIGNATURE_MISMATCH
            || s.code == crate::codes::c2pa::CLAIM_SIGNATURE_MISSING
    });
    if signature_broken {
        if let Some(s) = signers.get_mut(&store.active) {
            s.trusted = false;
            s.generator = None;
            s.trust.authenticated_by = None;
            s.trust.list = None;
            s.identity = None;
        }
    }
    // The same for ingredient manifests: a broken claim signature names nobody.
    for (label, s) in signers.iter_mut() {
        if store.failures_of(label).any(|x| {
            x.code == crate::codes::c2pa::CLAIM_SIGNATURE_MISMATCH
                || x.code == crate::codes::c2pa::CLAIM_SIGNATURE_MISSING
        }) {
            s.identity = None;
            s.generator = None;
        }
    }
    let active_signer = signers.get(&store.active);
    let trust = active_signer.map(|s| trust_info(s, store, v.sdk_trust));
    if let Some(t) = &trust {
        reasons.extend(trust_reasons(t, active_signer));
    }

    // 3. attribution
    let att: Attribution = attribute::attribute(
        v.registry,
        Some(store),
        &signers,
        &integrity,
        &metadata,
        expect,
    );
    reasons.extend(att.reasons.iter().cloned());

    // 4. verdict
    let trusted = active_signer.is_some_and(|s| s.trusted);
    let verdict = verdict::decide(&Findings {
        read_error: false,
        no_manifest: false,
        integrity_failure,
        mismatch: att.mismatch,
        trusted,
    });
    // failures first (what changed, then who is claimed, then the signer), warnings, info
    reasons.sort_by_key(|r| {
        let kind = if r.code.starts_with(crate::codes::CLAIM_PREFIX)
            || r.code == crate::codes::EXPECT_MISMATCH
        {
            1
        } else if r.code.starts_with(crate::codes::SIGNER_PREFIX) {
            2
        } else if r.code.contains(crate::codes::c2pa::HASH_INFIX)
            || r.code
                .starts_with(crate::codes::c2pa::CLAIM_SIGNATURE_PREFIX)
        {
            0
        } else {
            1
        };
        let sev = match r.severity {
            Severity::Failure => 0,
            Severity::Warning => 1,
            Severity::Info => 2,
        };
        (sev, kind)
    });
    let tampered_by = if breaks_the_rules_only {
        "the manifest breaks the C2PA rules"
    } else {
        "changed after signing"
    };
    let summary = summary(
        verdict,
        &att,
        active_signer,
        &reasons,
        tampered_by,
        v.registry,
    );

    let manifest = active.map(|m| ManifestInfo {
        label: m.label.clone(),
        claim_version: m.claim_version,
        claim_generator: m.claim_generator.as_deref().map(|g| bounded(g, MAX_FIELD)),
        claim_generator_info: m
            .claim_generator_info
            .iter()
            .map(|g| GeneratorInfo {
                name: bounded(&g.name, MAX_FIELD),
                version: g.version.clone(),
            })
            .collect(),
        title: m.title.clone(),
        format: m.format.clone(),
        instance_id: m.instance_id.clone(),
        content_hash: if integrity_failure {
            None
        } else {
            m.content_hash.clone()
        },
        manifest_count: store.manifests.len(),
    });
    let signature = active.map(|m| SignatureInfo {
        algorithm: m.algorithm.clone(),
        signing_time: m.signing_time.clone(),
        signer: active_signer
            .and_then(|s| s.trust.chain.path.first())
            .cloned(),
        chain: m
            .chain
            .iter()
            .map(|d| hex::encode(ring::digest::digest(&ring::digest::SHA256, d)))
            .collect(),
    });
    let mut visiting = HashSet::new();
    let ingredients = active
        .map(|m| {
            let recorded = recorded_failures(store);
            let ctx = TreeCtx {
                store,
                integrity: &integrity,
                signers: &signers,
                recorded: &recorded,
            };
            ingredient_tree(&ctx, &m.label, 0, &mut visiting)
        })
        .unwrap_or_default();
    Report {
        schema_version: SCHEMA_VERSION,
        input,
        verdict,
        summary,
        reasons,
        claimed_source: att.claimed,
        authenticated_source: att.authenticated,
        manifest,
        signature,
        timestamp: active_signer.and_then(|s| s.trust.timestamp.clone()),
        trust,
        actions: active
            .map(|m| {
                m.actions
                    .iter()
                    .map(|a| ActionInfo {
                        software_agent: a.software_agent.as_deref().map(|x| bounded(x, MAX_FIELD)),
                        ..a.clone()
                    })
                    .collect()
            })
            .unwrap_or_default(),
        ingredients,
        remote_manifest: None,
        validation: store.validation.clone(),
        validated_by: Some(store.validated_by.as_str().into()),
        coverage: store.binding.coverage.clone(),
    }
}

/// Integrity per manifest label, from the failures about that manifest. A failure whose
/// manifest could not be resolved counts against the active manifest (fail closed).
///
/// An ingredient manifest is also invalid when the manifest that took it in recorded, in its
/// ingredient assertion (`validationStatus`, `validationResults`), that the ingredient's
/// manifest itself did not hold ([`crate::verdict::recorded_manifest_failure`]: its claim
/// signature, a hashed URI, its structure): the SDK does not report such a failure again (nor
/// does the own path), yet that claim is not signed evidence. Recording a failure can only
/// take validity away: a signer that records one for a sound ingredient makes that
/// ingredient's claims count for less, never for more.
fn manifest_integrity(store: &StoreFacts, classes: &[CodeClass]) -> HashMap<String, Integrity> {
    let mut out: HashMap<String, Integrity> = store
        .manifests
        .keys()
        .map(|l| (l.clone(), Integrity::Valid))
        .collect();
    for (s, &class) in store.validation.failure.iter().zip(classes) {
        if class == CodeClass::Integrity {
            let label = s.manifest.clone().unwrap_or_else(|| store.active.clone());
            out.insert(label, Integrity::Invalid);
        }
    }
    for (code, target) in &store.raw.recorded {
        if crate::verdict::recorded_manifest_failure(code) && target.manifest() != store.active {
            if let Some(i) = out.get_mut(target.manifest()) {
                *i = Integrity::Invalid;
            }
        }
    }
    out
}

/// The failure codes the store's manifests recorded for each manifest when they took it in as
/// an ingredient, sorted, each once, at most [`MAX_RECORDED`] per manifest; one pass over the
/// recorded set (a hostile store can record many). Older writers list successes in
/// `validationStatus` too: a code the SDK calls a success or informational is left out, unless
/// it is one that makes the ingredient invalid here (so every code behind an `invalid` is shown).
fn recorded_failures(store: &StoreFacts) -> HashMap<&str, Vec<String>> {
    use c2pa::status_tracker::LogKind;
    use c2pa::validation_results::validation_codes::log_kind;
    let mut by_manifest: HashMap<&str, std::collections::BTreeSet<&str>> = HashMap::new();
    for (code, target) in &store.raw.recorded {
        if matches!(log_kind(code), LogKind::Failure)
            || crate::verdict::recorded_manifest_failure(code)
        {
            by_manifest
                .entry(target.manifest())
                .or_default()
                .insert(code.as_str());
        }
    }
    by_manifest
        .into_iter()
        .map(|(label, codes)| {
            let codes = codes
                .into_iter()
                .take(MAX_RECORDED)
                .map(|c| bounded(c, 256))
                .collect();
            (label, codes)
        })
        .collect()
}

/// At most this many recorded failure codes per ingredient in a report.
const MAX_RECORDED: usize = 64;

/// Time-stamp problems are reasons, never silently absent: the SDK's `timeStamp.*` failures for
/// the active manifest, and a time-stamp header that carries no readable token.
fn timestamp_reasons(
    store: &StoreFacts,
    active: Option<&crate::read::ManifestFacts>,
) -> Vec<Reason> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for s in store.problems_of(&store.active) {
        // `timeStamp.untrusted` of a token the SDK did not verify is a refusal (c2pa 0.90 logs
        // it for a signature that does not match); of a verified one, provcheck's own TSA
        // evaluation says more (`provcheck.timestamp.untrusted`)
        let refused_untrusted =
            s.code == crate::codes::c2pa::TIME_STAMP_UNTRUSTED && !store.timestamp_validated;
        if (refused_untrusted
            || matches!(
                s.code.as_str(),
                crate::codes::c2pa::TIME_STAMP_MISMATCH
                    | crate::codes::c2pa::TIME_STAMP_MALFORMED
                    | crate::codes::c2pa::TIME_STAMP_OUTSIDE_VALIDITY
            ))
            && seen.insert(s.code.clone())
        {
            out.push(Reason {
                code: s.code.clone(),
                severity: Severity::Warning,
                explanation: format!(
                    "the signature's time-stamp could not be used: {}",
                    s.explanation
                        .as_deref()
                        .unwrap_or("the c2pa SDK rejected it")
                ),
                scope: Some("active".into()),
            });
        }
    }
    if let Some(m) = active {
        if m.has_timestamp_header
            && m.timestamp_tokens == 0
            && m.signing_time.is_none()
            && out.is_empty()
        {
            out.push(Reason {
                code: crate::codes::TIMESTAMP_UNREADABLE.into(),
                severity: Severity::Warning,
                explanation: "the signature carries a time-stamp entry, but no RFC 3161 token could be read from it".into(),
                scope: Some("active".into()),
            });
        }
    }
    out
}

/// What every node of an ingredient tree is built from.
struct TreeCtx<'a> {
    store: &'a StoreFacts,
    integrity: &'a HashMap<String, Integrity>,
    signers: &'a HashMap<String, SignerEval>,
    /// [`recorded_failures`], computed once per report.
    recorded: &'a HashMap<&'a str, Vec<String>>,
}

fn ingredient_tree(
    ctx: &TreeCtx,
    label: &str,
    depth: usize,
    visiting: &mut HashSet<String>,
) -> Vec<IngredientNode> {
    let TreeCtx {
        store,
        integrity,
        signers,
        recorded,
    } = *ctx;
    let Some(m) = store.manifests.get(label) else {
        return Vec::new();
    };
    if depth >= MAX_TREE_DEPTH || !visiting.insert(label.to_string()) {
        return Vec::new();
    }
    let nodes = m
        .ingredients
        .iter()
        .map(|ing| {
            let child = ing.manifest.as_ref().and_then(|l| store.manifests.get(l));
            let failures = ing
                .manifest
                .as_deref()
                .map(|child| store.failures_of(child).map(|s| s.code.clone()).collect())
                .unwrap_or_default();
            let signer = ing.manifest.as_ref().and_then(|l| signers.get(l));
            IngredientNode {
                title: ing.title.clone(),
                relationship: ing.relationship.clone(),
                format: ing.format.clone(),
                manifest: ing.manifest.as_deref().map(|l| bounded(l, 1024)),
                integrity: match (&ing.manifest, child) {
                    (Some(l), Some(_)) => *integrity.get(l).unwrap_or(&Integrity::Valid),
                    (Some(_), None) => Integrity::Invalid,
                    _ => Integrity::NoManifest,
                },
                claim_generator: child.and_then(|c| {
                    c.claim_generator
                        .clone()
                        .or_else(|| c.claim_generator_info.first().map(|g| g.name.clone()))
                }),
                signer_organization: signer.and_then(|s| s.trust.organization.clone()),
                signer_trusted: signer.map(|s| s.trusted),
                failures,
                recorded_failures: ing
                    .manifest
                    .as_deref()
                    .and_then(|l| recorded.get(l).cloned())
                    .unwrap_or_default(),
                ingredients: ing
                    .manifest
                    .as_deref()
                    .map(|l| ingredient_tree(ctx, l, depth + 1, visiting))
                    .unwrap_or_default(),
            }
        })
        .collect();
    visiting.remove(label);
    nodes
}

fn trust_info(s: &SignerEval, store: &StoreFacts, sdk_trust: bool) -> TrustInfo {
    let c2pa_codes: Vec<String> = store
        .validation
        .success
        .iter()
        .chain(&store.validation.failure)
        .filter(|x| {
            x.scope == "active"
                && x.code
                    .starts_with(crate::codes::c2pa::SIGNING_CREDENTIAL_PREFIX)
        })
        .map(|x| x.code.clone())
        .collect();
    let c2pa_trusted = c2pa_codes
        .iter()
        .any(|c| c == crate::codes::c2pa::SIGNING_CREDENTIAL_TRUSTED)
        && !c2pa_codes.iter().any(|c| {
            c == crate::codes::c2pa::SIGNING_CREDENTIAL_EXPIRED
                || c == crate::codes::c2pa::SIGNING_CREDENTIAL_UNTRUSTED
        });
    let mut notes = s.trust.chain.notes.clone();
    // Without the SDK's own trust check (scan default) there is nothing to disagree with.
    let agrees = !sdk_trust || c2pa_trusted == s.trusted;
    if !sdk_trust {
        notes.push(
            "the c2pa SDK's own trust check was not run (--sdk-trust runs it for comparison)"
                .into(),
        );
    }
    if !agrees {
        notes.push(if s.trusted {
            "the c2pa SDK does not trust this signer; provcheck does (see trust.ended_at and docs/report.md, 'When provcheck and the SDK disagree')".into()
        } else {
            "the c2pa SDK trusts this signer; provcheck does not (see trust.failures and docs/report.md, 'When provcheck and the SDK disagree')".into()
        });
    }
    TrustInfo {
        trusted: s.trusted,
        authenticated_by: s.trust.authenticated_by,
        ended_at: s.trust.chain.ended_at.clone(),
        path: s.trust.chain.path.clone(),
        failures: s.trust.chain.failures.clone(),
        name_only_matches: s.trust.chain.name_only_matches.clone(),
        pinned_generators: s.trust.chain.pinned_generators.clone(),
        missing_issuer: s.trust.chain.missing_issuer.clone(),
        evaluated_at: s.trust.at.to_rfc3339(),
        evaluated_at_origin: s.trust.origin,
        c2pa_signing_credential: c2pa_codes,
        agrees_with_c2pa: agrees,
        notes,
    }
}

fn trust_reasons(t: &TrustInfo, s: Option<&SignerEval>) -> Vec<Reason> {
    let mut out = Vec::new();
    let scope = Some("trust".to_string());
    if !t.name_only_matches.is_empty() {
        out.push(Reason {
            code: crate::codes::SIGNER_NAME_FORGERY.into(),
            severity: Severity::Failure,
            explanation: format!(
                "a certificate in the chain copies the name of a known CA ({}) with a different key",
                bounded(&t.name_only_matches[0].subject, 200)
            ),
            scope: scope.clone(),
        });
    }
    if t.trusted {
        let how = match &t.ended_at {
            Some(PathEnd::Anchor { source, subject, .. }) => {
                format!("chains to {} on {}", bounded(subject, 200), list_name(source))
            }
            Some(PathEnd::AllowedLeaf { source, .. }) => {
                format!("is individually allowed on {}", list_name(source))
            }
            Some(PathEnd::Pin {
                generator, subject, ..
            }) => format!(
                "chains to {}, pinned in the generator registry as {generator}'s key (on no trust list)",
                bounded(subject, 200)
            ),
            None => "is trusted".into(),
        };
        out.push(Reason {
            code: crate::codes::SIGNER_TRUSTED.into(),
            severity: Severity::Info,
            explanation: format!("the signing certificate {how}"),
            scope: scope.clone(),
        });
    } else {
        let why = t
            .failures
            .first()
            .map(|f| format!("{} ({})", f.error, bounded(&f.subject, 200)))
            .unwrap_or_else(|| {
                "the claim signature does not verify, so the certificate authenticates no one"
                    .into()
            });
        out.push(Reason {
            code: crate::codes::SIGNER_UNTRUSTED.into(),
            severity: Severity::Failure,
            explanation: format!("no trusted certificate path: {why}"),
            scope: scope.clone(),
        });
    }
    if let Some(ts) = s.and_then(|s| s.trust.timestamp.as_ref()) {
        // (a time-stamp that gave no time is a `timeStamp.*` or `provcheck.timestamp.*` reason)
        if !ts.trusted && ts.time.is_some() {
            out.push(Reason {
                code: crate::codes::TIMESTAMP_UNTRUSTED.into(),
                severity: Severity::Info,
                explanation: format!(
                    "the time-stamp{} is not from a trusted time-stamping authority; certificate validity was judged at {}",
                    ts.tsa
                        .as_ref()
                        .map(|n| format!(" by {}", bounded(n, 200)))
                        .unwrap_or_default(),
                    t.evaluated_at
                ),
                scope: scope.clone(),
            });
        }
    }
    if !t.agrees_with_c2pa {
        out.push(Reason {
            code: crate::codes::TRUST_SDK_DISAGREES.into(),
            severity: Severity::Info,
            explanation: format!(
                "the c2pa SDK reported {} for this signer",
                t.c2pa_signing_credential.join(", ")
            ),
            scope,
        });
    }
    out
}

fn list_name(s: &crate::trust::TrustSource) -> &'static str {
    use crate::trust::TrustSource as T;
    match s {
        T::C2paTrustList => "the official C2PA Trust List",
        T::C2paTsaTrustList => "the C2PA TSA Trust List",
        T::InterimAnchors => "the older interim (Content Credentials) trust list",
        T::InterimAllowed => "the older interim (Content Credentials) allow-list",
        T::UserAnchors => "user-supplied trust anchors",
        T::UserAllowed => "the user-supplied allow-list",
        T::GeneratorPin => "the generator registry",
    }
}

/// "Microsoft's key (chain to Microsoft Supply Chain RSA Root CA 2022)": whose key signed and
/// where its chain ends, for the summary.
fn whose_key(
    a: &AuthenticatedSource,
    signer: Option<&SignerEval>,
    registry: &crate::attribute::registry::Registry,
) -> String {
    let who = a
        .generator
        .as_deref()
        .and_then(|g| registry.get(g))
        .map(|g| g.organization.clone())
        .unwrap_or_else(|| bounded(&a.organization, 120));
    let end = signer.and_then(|s| match &s.trust.chain.ended_at {
        Some(end @ (PathEnd::Anchor { subject, .. } | PathEnd::Pin { subject, .. })) => {
            let name = match s.trust.chain.path.iter().find(|l| end.is_at(l)) {
                Some(ca) => ca_name(ca),
                None => subject.clone(),
            };
            Some(format!(" (chain to {})", bounded(&name, 120)))
        }
        Some(PathEnd::AllowedLeaf { source, .. }) => {
            Some(format!(" (certificate on {})", list_name(source)))
        }
        None => None,
    });
    format!("{who}'s key{}", end.unwrap_or_default())
}

/// A CA's name for people: its CN, preceded by its O when the CN does not say it
/// ("Truepic RootCA", "Microsoft Supply Chain RSA Root CA 2022"); the DN when it has no CN.
/// The CN and O are those x509-parser read from the certificate (the last of each).
fn ca_name(ca: &CertSummary) -> String {
    match (&ca.common_name, &ca.organization) {
        (Some(cn), Some(o)) if !cn.to_lowercase().contains(&o.to_lowercase()) => {
            let first = o.split_whitespace().next().unwrap_or_default();
            if cn.to_lowercase().contains(&first.to_lowercase()) {
                cn.clone()
            } else {
                format!("{o} {cn}")
            }
        }
        (Some(cn), _) => cn.clone(),
        _ => ca.subject.clone(),
    }
}

/// "the certificate expired on 2026-10-01 and the time-stamp is from a TSA on no trust list"
fn limits_text(a: &AuthenticatedSource) -> String {
    let parts: Vec<&str> = a.limits.iter().map(|l| l.explanation.as_str()).collect();
    match parts.len() {
        0 => "the certificate cannot be fully trusted".into(),
        1 => parts[0].to_string(),
        n => format!("{} and {}", parts[..n - 1].join(", "), parts[n - 1]),
    }
}

fn summary(
    verdict: Verdict,
    att: &Attribution,
    signer: Option<&SignerEval>,
    reasons: &[Reason],
    tampered_by: &str,
    registry: &crate::attribute::registry::Registry,
) -> String {
    let claimed = att
        .claimed
        .summary
        .clone()
        .unwrap_or_else(|| "no known generator".into());
    // the leaf's organisation, else its common name (a personal certificate names no O)
    let signer_o = signer
        .and_then(|s| {
            s.trust.organization.clone().or_else(|| {
                s.trust
                    .chain
                    .path
                    .first()
                    .and_then(|c| c.common_name.clone())
            })
        })
        .map(|o| bounded(&o, 120))
        .unwrap_or_else(|| "an unidentified signer".into());
    let first_failure = reasons
        .iter()
        .find(|r| r.severity == Severity::Failure)
        .map(|r| r.explanation.clone())
        .unwrap_or_default();
    match verdict {
        Verdict::Authentic => match &att.authenticated {
            Some(a) => format!(
                "signed by {}, authenticated by {}; claims {claimed}",
                bounded(&a.organization, 120),
                match a.authenticated_by {
                    AuthenticatedBy::TrustList => list_name(&a.list),
                    AuthenticatedBy::Pin => "a pinned generator key",
                }
            ),
            None => format!("signed by {signer_o}; claims {claimed}"),
        },
        Verdict::Mismatched => format!("claims {claimed}: {first_failure}"),
        Verdict::Tampered => {
            let what = tampered_by;
            match &att.authenticated {
                Some(a) => format!(
                    "signed with {}{}; {what}: {first_failure}",
                    whose_key(a, signer, registry),
                    if a.trusted {
                        String::new()
                    } else {
                        format!(" ({})", limits_text(a))
                    }
                ),
                None => format!("{what}: {first_failure}"),
            }
        }
        Verdict::Untrusted => match (&att.authenticated, signer) {
            (Some(a), _) if !a.trusted => format!(
                "intact, signed with {}; {}, so it cannot be fully trusted; claims {claimed}",
                whose_key(a, signer, registry),
                limits_text(a)
            ),
            (_, Some(s)) if s.trust.chain.missing_issuer.is_some() => format!(
                "intact, but the signer ({signer_o}) could not be authenticated: its certificate chain could not be completed (the issuing certificate is neither in the file nor known); claims {claimed}"
            ),
            _ => format!(
                "intact, but the signer ({signer_o}) could not be authenticated; claims {claimed}"
            ),
        },
        Verdict::Unsigned | Verdict::Error => first_failure,
    }
}
