//! Who really signed a manifest: evaluate its time-stamp and its certificate chain with
//! provcheck's own trust engine, then name the organisation and, when the key backs it, the
//! generator.

use chrono::{DateTime, Utc};

use crate::read::ManifestFacts;
use crate::report::{
    bounded, AuthenticatedBy, AuthenticatedSource, TimeOrigin, TimestampInfo, TrustLimit,
};
use crate::trust::{ChainError, ChainEvaluation, PathEnd, Purpose, TrustEngine, TrustSource};

use super::registry::Registry;

/// The evaluation of one manifest's signer.
#[derive(Clone, Debug)]
pub struct SignerEval {
    pub chain: ChainEvaluation,
    /// When validity was judged, and why that time.
    pub at: DateTime<Utc>,
    pub origin: TimeOrigin,
    pub timestamp: Option<TimestampInfo>,
    /// Subject O of the leaf (attacker-controlled unless `trusted`).
    pub organization: Option<String>,
    pub trusted: bool,
    pub authenticated_by: Option<AuthenticatedBy>,
    pub list: Option<TrustSource>,
    /// The registry generator this signer is authenticated as.
    pub generator: Option<String>,
    /// Whose key signed: set when the chain is trusted, and also when it verifies link by
    /// link to an anchor or a pinned key but fails only on validity time or the certificate
    /// profile ([`ChainEvaluation::structurally_genuine`]); then `trusted` is false and
    /// `limits` says what stops full trust. Never set from an unverified chain. The caller
    /// clears it when the claim signature itself does not verify.
    pub identity: Option<AuthenticatedSource>,
}

/// Evaluate `m`'s signer. `timestamp_validated`: the SDK verified the time-stamp token against
/// the signature (so its genTime can be used when the TSA chain is trusted).
pub fn evaluate_signer(
    m: &ManifestFacts,
    timestamp_validated: bool,
    claim_trust: &TrustEngine,
    tsa_trust: &TrustEngine,
    registry: &Registry,
    now: (DateTime<Utc>, TimeOrigin),
) -> SignerEval {
    let ts_time = m
        .signing_time
        .as_deref()
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc));
    let timestamp = match (ts_time, m.tsa_chain.is_empty()) {
        (Some(t), false) => {
            let eval = tsa_trust.evaluate(&m.tsa_chain, Purpose::TimeStamping, t.timestamp());
            let trusted = eval.trusted && timestamp_validated;
            Some(TimestampInfo {
                tsa: eval
                    .path
                    .first()
                    .map(|l| l.common_name.clone().unwrap_or_else(|| l.subject.clone())),
                time: Some(t.to_rfc3339()),
                validated: timestamp_validated,
                trusted,
                trusted_by: match (&eval.ended_at, trusted) {
                    (Some(PathEnd::Anchor { source, .. }), true)
                    | (Some(PathEnd::AllowedLeaf { source, .. }), true) => Some(*source),
                    _ => None,
                },
                failures: eval.failures.clone(),
                self_attested: false,
            })
        }
        (Some(t), true) => Some(TimestampInfo {
            tsa: None,
            time: Some(t.to_rfc3339()),
            validated: timestamp_validated,
            trusted: false,
            trusted_by: None,
            failures: Vec::new(),
            self_attested: false,
        }),
        _ => None,
    };
    let mut timestamp = timestamp;
    let (at, origin) = match (&timestamp, ts_time) {
        (Some(ts), Some(t)) if ts.trusted => (t, TimeOrigin::TrustedTimestamp),
        _ => now,
    };
    let chain = claim_trust.evaluate(&m.chain, Purpose::ClaimSigning, at.timestamp());
    let organization = chain.path.first().and_then(|l| l.organization.clone());
    let (authenticated_by, list) = match (&chain.ended_at, chain.trusted) {
        (Some(PathEnd::Anchor { source, .. }), true)
        | (Some(PathEnd::AllowedLeaf { source, .. }), true) => {
            (Some(AuthenticatedBy::TrustList), Some(*source))
        }
        (Some(PathEnd::Pin { .. }), true) => {
            (Some(AuthenticatedBy::Pin), Some(TrustSource::GeneratorPin))
        }
        _ => (None, None),
    };
    // The same for a structurally genuine chain that is not trusted (only time or the leaf
    // profile fails): who vetted the key, for the identity.
    let (id_by, id_list) = match (&chain.ended_at, chain.structurally_genuine()) {
        (Some(PathEnd::Anchor { source, .. }), true)
        | (Some(PathEnd::AllowedLeaf { source, .. }), true) => {
            (Some(AuthenticatedBy::TrustList), Some(*source))
        }
        (Some(PathEnd::Pin { .. }), true) => {
            (Some(AuthenticatedBy::Pin), Some(TrustSource::GeneratorPin))
        }
        _ => (authenticated_by, list),
    };
    let genuine = chain.trusted || chain.structurally_genuine();
    let identity_generator = if genuine {
        organization
            .as_deref()
            .and_then(|o| registry.by_leaf_organization(o))
            .filter(|g| {
                // A bundled list's CA vetted the organisation name; a user-supplied anchor did
                // not, so for a generator with pinned keys it must also reach one of them.
                let vetted_list = id_by == Some(AuthenticatedBy::TrustList)
                    && !matches!(
                        id_list,
                        Some(TrustSource::UserAnchors) | Some(TrustSource::UserAllowed)
                    );
                vetted_list
                    || chain.pinned_generators.contains(&g.id)
                    || (id_by == Some(AuthenticatedBy::TrustList) && g.pins.is_empty())
            })
            .map(|g| g.id.clone())
    } else {
        None
    };
    let generator = identity_generator.clone().filter(|_| chain.trusted);
    // Time attested by the signer's own organisation: the TSA chain reaches a key pinned for
    // the generator whose key signed the claim (checked link by link like any chain).
    if let (Some(ts), Some(g), Some(t)) = (timestamp.as_mut(), &identity_generator, ts_time) {
        if !ts.trusted && !m.tsa_chain.is_empty() {
            let e = claim_trust.evaluate(&m.tsa_chain, Purpose::TimeStamping, t.timestamp());
            ts.self_attested = e.pinned_generators.contains(g)
                && e.ended_at.is_some()
                && e.name_only_matches.is_empty()
                && e.failures.iter().all(|f| f.error.is_time());
        }
    }
    let identity = match (&organization, id_by, id_list, genuine) {
        (Some(org), Some(by), Some(list), true) => Some(AuthenticatedSource {
            organization: org.clone(),
            generator: identity_generator,
            authenticated_by: by,
            list,
            trusted: chain.trusted,
            limits: if chain.trusted {
                Vec::new()
            } else {
                limits(&chain, timestamp.as_ref(), m, claim_trust, ts_time)
            },
        }),
        _ => None,
    };
    SignerEval {
        trusted: chain.trusted,
        chain,
        at,
        origin,
        timestamp,
        organization,
        authenticated_by,
        list,
        generator,
        identity,
    }
}

/// What stops a structurally genuine chain from being fully trusted, in words.
fn limits(
    chain: &ChainEvaluation,
    timestamp: Option<&TimestampInfo>,
    m: &ManifestFacts,
    claim_trust: &TrustEngine,
    ts_time: Option<DateTime<Utc>>,
) -> Vec<TrustLimit> {
    let mut out = Vec::new();
    let mut time_failed = false;
    for f in &chain.failures {
        let who = if f.index == 0 {
            "the signing certificate".to_string()
        } else {
            format!("the CA certificate {}", bounded(&f.subject, 200))
        };
        let (code, explanation, at) = match &f.error {
            ChainError::Expired { not_after } => {
                time_failed = true;
                (
                    "certificate-expired",
                    format!("{who} expired on {}", day(not_after)),
                    Some(not_after.clone()),
                )
            }
            ChainError::NotYetValid { not_before } => {
                time_failed = true;
                (
                    "certificate-not-yet-valid",
                    format!("{who} is not valid before {}", day(not_before)),
                    Some(not_before.clone()),
                )
            }
            other => (
                "certificate-profile",
                format!("{who} does not meet the C2PA certificate profile: {other}"),
                None,
            ),
        };
        let l = TrustLimit {
            code: code.into(),
            explanation,
            at,
        };
        if !out.contains(&l) {
            out.push(l);
        }
    }
    if time_failed {
        let (code, explanation) = match timestamp {
            None => (
                "no-timestamp",
                "the signature carries no time-stamp to prove when it was made".to_string(),
            ),
            Some(ts) if !ts.validated => (
                "timestamp-invalid",
                "the time-stamp does not verify against the signature".to_string(),
            ),
            Some(ts) if ts.self_attested => {
                let valid_then = ts_time.is_some_and(|t| {
                    claim_trust
                        .evaluate(&m.chain, Purpose::ClaimSigning, t.timestamp())
                        .trusted
                });
                (
                    "timestamp-self-attested",
                    format!(
                        "the time-stamp{} is attested by the signer's own organisation, not by an independent time-stamping authority{}",
                        ts.tsa
                            .as_ref()
                            .map(|n| format!(" (by {})", bounded(n, 120)))
                            .unwrap_or_default(),
                        if valid_then {
                            "; the certificate was valid at the time it gives"
                        } else {
                            ""
                        }
                    ),
                )
            }
            Some(ts) if ts.tsa.is_none() => (
                "timestamp-untrusted",
                "the time-stamp's TSA certificate is not presented, so its time cannot be trusted"
                    .to_string(),
            ),
            Some(ts) => (
                "timestamp-untrusted",
                format!(
                    "the time-stamp is from a TSA on no trust list ({})",
                    bounded(ts.tsa.as_deref().unwrap_or_default(), 120)
                ),
            ),
        };
        out.push(TrustLimit {
            code: code.into(),
            explanation,
            at: None,
        });
    }
    out
}

/// The date part of an RFC 3339 time ("2026-10-09").
fn day(t: &str) -> String {
    bounded(t.get(..10).unwrap_or(t), 40)
}
