//! The pipeline for one file once it is read: integrity, trust, attribution, verdict, report.

use std::collections::{HashMap, HashSet};

use crate::attribute::signer::{evaluate_signer, SignerEval};
use crate::attribute::{self, Attribution};
use crate::read::metadata::MetadataClaim;
use crate::read::{binding, Format, ReadOutcome, StoreFacts};
use crate::report::*;
use crate::trust::PathEnd;
use crate::verdict::{self, CodeClass, Findings};
use crate::verifier::Verifier;

/// Deepest ingredient nesting shown in the report's tree.
const MAX_TREE_DEPTH: usize = 16;

pub(crate) fn build_report(
    v: &Verifier,
    input: Input,
    format: Format,
    data: &[u8],
    outcome: ReadOutcome,
    metadata: Vec<MetadataClaim>,
    expect: Option<&str>,
) -> Report {
    match outcome {
        ReadOutcome::Failed { code, explanation } => {
            let mut r = Report::error(input, &code, explanation);
            let att = attribute::attribute(
                &v.registry,
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
                &v.registry,
                None,
                &HashMap::new(),
                &HashMap::new(),
                &metadata,
                expect,
            );
            let mut reasons = Vec::new();
            match &remote {
                Some(url) => reasons.push(Reason {
                    code: "manifest.remote".into(),
                    severity: Severity::Failure,
                    explanation: format!(
                        "no embedded manifest; the file points to a remote manifest (not fetched): {url}"
                    ),
                    scope: Some("file".into()),
                }),
                None => reasons.push(Reason {
                    code: "provcheck.manifest.none".into(),
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
            }
        }
        ReadOutcome::Manifest(store) => {
            signed_report(v, input, format, data, &store, metadata, expect)
        }
    }
}

fn signed_report(
    v: &Verifier,
    input: Input,
    format: Format,
    data: &[u8],
    store: &StoreFacts,
    metadata: Vec<MetadataClaim>,
    expect: Option<&str>,
) -> Report {
    let mut reasons: Vec<Reason> = Vec::new();

    // 1. integrity, per manifest scope
    let mut integrity_failure = false;
    for s in &store.validation.failure {
        let class = verdict::classify_in(s, store.recovered_without_identity);
        if class == CodeClass::Integrity {
            integrity_failure = true;
        }
        if class != CodeClass::Credential {
            reasons.push(Reason {
                code: s.code.clone(),
                severity: verdict::severity(class),
                explanation: s
                    .explanation
                    .clone()
                    .unwrap_or_else(|| "reported by the c2pa SDK".into()),
                scope: Some(s.scope.clone()),
            });
        }
    }
    let active = store.active();
    if let Some(m) = active {
        if let Some(problem) = binding::check_exclusions(data, format, &m.data_hash_exclusions) {
            integrity_failure = true;
            reasons.push(Reason {
                code: "assertion.dataHash.mismatch".into(),
                severity: Severity::Failure,
                explanation: format!(
                    "{problem}: those bytes are not protected by the signature (provcheck's own check; c2pa 0.91 reports the same)"
                ),
                scope: Some("active".into()),
            });
        }
    }
    let integrity = manifest_integrity(store);

    // 2. trust: every manifest's signer, evaluated by provcheck (chains cached by the engine)
    // An ingredient manifest's time-stamp counts unless the SDK reported it broken in that
    // ingredient's delta (the SDK only lists `timeStamp.validated` for the active manifest).
    let mut bad_timestamp: HashSet<&str> = HashSet::new();
    for m in store.manifests.values() {
        for ing in &m.ingredients {
            if let (Some(child), Some(al)) = (&ing.manifest, &ing.assertion_label) {
                if store
                    .ingredient_problems(&m.label, al)
                    .iter()
                    .any(|s| s.code == "timeStamp.mismatch" || s.code == "timeStamp.malformed")
                {
                    bad_timestamp.insert(child);
                }
            }
        }
    }
    let mut signers: HashMap<String, SignerEval> = HashMap::new();
    for (label, m) in &store.manifests {
        let ts_ok = if *label == store.active {
            store.timestamp_validated
        } else {
            !bad_timestamp.contains(label.as_str())
        };
        signers.insert(
            label.clone(),
            evaluate_signer(m, ts_ok, &v.claim_trust, &v.tsa_trust, &v.registry, v.now()),
        );
    }
    // A claim signature that does not verify authenticates nobody, whatever chain sits beside it.
    let signature_broken = store.validation.failure.iter().any(|s| {
        s.scope == "active"
            && (s.code == "claimSignature.mismatch" || s.code == "claimSignature.missing")
    });
    if signature_broken {
        if let Some(s) = signers.get_mut(&store.active) {
            s.trusted = false;
            s.generator = None;
            s.authenticated_by = None;
            s.list = None;
        }
    }
    let active_signer = signers.get(&store.active);
    let trust = active_signer.map(|s| trust_info(s, store, v.options.sdk_trust));
    if let Some(t) = &trust {
        reasons.extend(trust_reasons(t, active_signer));
    }

    // 3. attribution
    let att: Attribution = attribute::attribute(
        &v.registry,
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
        let kind =
            if r.code.starts_with("provcheck.claim.") || r.code == "provcheck.expect.mismatch" {
                1
            } else if r.code.starts_with("provcheck.signer.") {
                2
            } else if r.code.contains("Hash.") || r.code.starts_with("claimSignature.") {
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
    let summary = summary(verdict, &att, active_signer, &reasons);

    let manifest = active.map(|m| ManifestInfo {
        label: m.label.clone(),
        claim_version: m.claim_version,
        claim_generator: m.claim_generator.clone(),
        claim_generator_info: m.claim_generator_info.clone(),
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
            .and_then(|s| s.chain.path.first())
            .map(cert_info),
        chain: m
            .chain
            .iter()
            .map(|d| hex::encode(ring::digest::digest(&ring::digest::SHA256, d)))
            .collect(),
    });
    let mut visiting = HashSet::new();
    let ingredients = active
        .map(|m| ingredient_tree(store, &m.label, &integrity, &signers, 0, &mut visiting))
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
        timestamp: active_signer.and_then(|s| s.timestamp.clone()),
        trust,
        actions: active.map(|m| m.actions.clone()).unwrap_or_default(),
        ingredients,
        remote_manifest: None,
        validation: store.validation.clone(),
    }
}

fn cert_info(l: &crate::trust::LinkInfo) -> CertInfo {
    CertInfo {
        subject: l.subject.clone(),
        issuer: l.issuer.clone(),
        organization: l.organization.clone(),
        common_name: l.common_name.clone(),
        serial: l.serial.clone(),
        sha256: l.sha256.clone(),
        not_before: l.not_before.clone(),
        not_after: l.not_after.clone(),
        key_algorithm: l.key_algorithm.clone(),
    }
}

/// Integrity per manifest label: the active manifest's own failures have scope `active`;
/// an ingredient's have the scope of the ingredient assertion that references it.
fn manifest_integrity(store: &StoreFacts) -> HashMap<String, Integrity> {
    let recovered = store.recovered_without_identity;
    let bad = |codes: Vec<&Status>| {
        codes
            .iter()
            .any(|s| verdict::classify_in(s, recovered) == CodeClass::Integrity)
    };
    let mut out = HashMap::new();
    for label in store.manifests.keys() {
        out.insert(label.clone(), Integrity::Valid);
    }
    let active: Vec<&Status> = store
        .validation
        .failure
        .iter()
        .filter(|s| s.scope == "active")
        .collect();
    if bad(active) {
        out.insert(store.active.clone(), Integrity::Invalid);
    }
    for m in store.manifests.values() {
        for ing in &m.ingredients {
            let (Some(child), Some(al)) = (&ing.manifest, &ing.assertion_label) else {
                continue;
            };
            if bad(store.ingredient_failures(&m.label, al)) {
                out.insert(child.clone(), Integrity::Invalid);
            }
        }
    }
    out
}

fn ingredient_tree(
    store: &StoreFacts,
    label: &str,
    integrity: &HashMap<String, Integrity>,
    signers: &HashMap<String, SignerEval>,
    depth: usize,
    visiting: &mut HashSet<String>,
) -> Vec<IngredientNode> {
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
                .assertion_label
                .as_deref()
                .map(|al| {
                    store
                        .ingredient_failures(label, al)
                        .into_iter()
                        .map(|s| s.code.clone())
                        .collect()
                })
                .unwrap_or_default();
            let signer = ing.manifest.as_ref().and_then(|l| signers.get(l));
            IngredientNode {
                title: ing.title.clone(),
                relationship: ing.relationship.clone(),
                format: ing.format.clone(),
                manifest: ing.manifest.clone(),
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
                signer_organization: signer.and_then(|s| s.organization.clone()),
                signer_trusted: signer.map(|s| s.trusted),
                failures,
                ingredients: ing
                    .manifest
                    .as_deref()
                    .map(|l| ingredient_tree(store, l, integrity, signers, depth + 1, visiting))
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
        .filter(|x| x.scope == "active" && x.code.starts_with("signingCredential."))
        .map(|x| x.code.clone())
        .collect();
    let c2pa_trusted = c2pa_codes.iter().any(|c| c == "signingCredential.trusted")
        && !c2pa_codes
            .iter()
            .any(|c| c == "signingCredential.expired" || c == "signingCredential.untrusted");
    let mut notes = s.chain.notes.clone();
    // Without the SDK's own trust check (scan default) there is nothing to disagree with.
    let agrees = !sdk_trust || c2pa_trusted == s.trusted;
    if !sdk_trust {
        notes.push("the c2pa SDK's own trust check was not run (scan default; --sdk-trust runs it for comparison)".into());
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
        authenticated_by: s.authenticated_by,
        ended_at: s.chain.ended_at.clone(),
        path: s.chain.path.clone(),
        failures: s.chain.failures.clone(),
        name_only_matches: s.chain.name_only_matches.clone(),
        pinned_generators: s.chain.pinned_generators.clone(),
        evaluated_at: s.at.to_rfc3339(),
        evaluated_at_origin: s.origin,
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
            code: "provcheck.signer.nameForgery".into(),
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
            code: "provcheck.signer.trusted".into(),
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
            code: "provcheck.signer.untrusted".into(),
            severity: Severity::Failure,
            explanation: format!("no trusted certificate path: {why}"),
            scope: scope.clone(),
        });
    }
    if let Some(ts) = s.and_then(|s| s.timestamp.as_ref()) {
        if !ts.trusted {
            out.push(Reason {
                code: "provcheck.timestamp.untrusted".into(),
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
            code: "provcheck.trust.sdkDisagrees".into(),
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

fn summary(
    verdict: Verdict,
    att: &Attribution,
    signer: Option<&SignerEval>,
    reasons: &[Reason],
) -> String {
    let claimed = att
        .claimed
        .summary
        .clone()
        .unwrap_or_else(|| "no known generator".into());
    let signer_o = signer
        .and_then(|s| s.organization.clone())
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
        Verdict::Tampered => format!("changed after signing: {first_failure}"),
        Verdict::Untrusted => format!(
            "intact, but the signer ({signer_o}) could not be authenticated; claims {claimed}"
        ),
        Verdict::Unsigned | Verdict::Error => first_failure,
    }
}
