//! How far a manifest's signer is trusted: its RFC 3161 time-stamp (TSA chain against the TSA
//! lists), the time its certificate is judged at, its certificate chain at that time, who vetted
//! the key, and what stops full trust. Naming the generator that signed is attribution's work
//! (attribute/signer.rs); it calls back here only to check a time-stamp against that
//! generator's pinned keys.

use chrono::{DateTime, Utc};

use crate::report::{bounded, AuthenticatedBy, TimeOrigin, TimestampInfo, TrustLimit};

use super::types::{ChainError, ChainEvaluation, PathEnd, Purpose, TrustSource};
use super::TrustEngine;

/// The presented certificates and time-stamp of one manifest's claim signature.
#[derive(Clone, Copy, Debug)]
pub struct SignerInput<'a> {
    /// The COSE x5chain (leaf first).
    pub chain: &'a [Vec<u8>],
    /// The time-stamp token's signer chain.
    pub tsa_chain: &'a [Vec<u8>],
    /// The signing time as the SDK reports it (from the time-stamp when present), RFC 3339.
    pub signing_time: Option<&'a str>,
    /// The SDK verified the time-stamp token against the signature (so its genTime can be used
    /// when the TSA chain is trusted).
    pub timestamp_validated: bool,
    /// The signature carries a time-stamp entry (`sigTst`, `sigTst2`), usable or not.
    pub has_timestamp: bool,
}

/// The trust engines' verdict on one manifest's signer.
#[derive(Clone, Debug)]
pub struct SignerTrust {
    pub chain: ChainEvaluation,
    /// When validity was judged, and why that time.
    pub at: DateTime<Utc>,
    pub origin: TimeOrigin,
    pub timestamp: Option<TimestampInfo>,
    /// The time-stamp's time, whether or not it is trusted.
    pub timestamp_time: Option<DateTime<Utc>>,
    /// Subject O of the leaf (attacker-controlled unless `chain.trusted`).
    pub organization: Option<String>,
    /// How and by which list the chain is trusted (both `None` when it is not).
    pub authenticated_by: Option<AuthenticatedBy>,
    pub list: Option<TrustSource>,
    /// Who vetted the key: as `authenticated_by`/`list`, and also set for a chain that is
    /// structurally genuine but not trusted ([`ChainEvaluation::structurally_genuine`]).
    pub vetted_by: Option<AuthenticatedBy>,
    pub vetted_list: Option<TrustSource>,
}

impl SignerTrust {
    /// Evaluate the time-stamp, choose the evaluation time (the trusted time-stamp's, else
    /// `now`) and evaluate the signer's chain at it.
    pub fn evaluate(
        input: SignerInput<'_>,
        claim_trust: &TrustEngine,
        tsa_trust: &TrustEngine,
        now: (DateTime<Utc>, TimeOrigin),
    ) -> SignerTrust {
        let ts_time = input
            .signing_time
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.with_timezone(&Utc));
        let validated = input.timestamp_validated;
        let timestamp = match (ts_time, input.tsa_chain.is_empty()) {
            (Some(t), false) => {
                let eval =
                    tsa_trust.evaluate(input.tsa_chain, Purpose::TimeStamping, t.timestamp());
                let trusted = eval.trusted && validated;
                Some(TimestampInfo {
                    tsa: eval
                        .path
                        .first()
                        .map(|l| l.common_name.clone().unwrap_or_else(|| l.subject.clone())),
                    time: Some(t.to_rfc3339()),
                    validated,
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
                validated,
                trusted: false,
                trusted_by: None,
                failures: Vec::new(),
                self_attested: false,
            }),
            // a time-stamp that could not be read or verified (the SDK gave no time): said so,
            // and nothing taken from it (not even the TSA's name the token claims)
            (None, _) if input.has_timestamp && !validated => Some(TimestampInfo::default()),
            (None, _) => None,
        };
        let (at, origin) = match (&timestamp, ts_time) {
            (Some(ts), Some(t)) if ts.trusted => (t, TimeOrigin::TrustedTimestamp),
            _ => now,
        };
        let chain = claim_trust.evaluate(input.chain, Purpose::ClaimSigning, at.timestamp());
        let organization = chain.path.first().and_then(|l| l.organization.clone());
        let (authenticated_by, list) = path_end_authority(&chain, chain.trusted);
        // The same for a structurally genuine chain that is not trusted (only time or the leaf
        // profile fails): who vetted the key, for the identity.
        let (vetted_by, vetted_list) =
            match path_end_authority(&chain, chain.structurally_genuine()) {
                (None, _) => (authenticated_by, list),
                found => found,
            };
        SignerTrust {
            chain,
            at,
            origin,
            timestamp,
            timestamp_time: ts_time,
            organization,
            authenticated_by,
            list,
            vetted_by,
            vetted_list,
        }
    }

    /// Trusted, or structurally genuine (the key is known to be the leaf subject's).
    pub fn genuine(&self) -> bool {
        self.chain.trusted || self.chain.structurally_genuine()
    }

    /// Mark the time-stamp as attested by the signer's own organisation when it is not trusted
    /// but its TSA chain reaches a key pinned for `generator` (the generator whose key signed
    /// the claim), checked link by link like any chain, failing on validity time at most.
    pub fn check_self_attested_timestamp(
        &mut self,
        generator: &str,
        tsa_chain: &[Vec<u8>],
        claim_trust: &TrustEngine,
    ) {
        if let (Some(ts), Some(t)) = (self.timestamp.as_mut(), self.timestamp_time) {
            if !ts.trusted && !tsa_chain.is_empty() {
                let e = claim_trust.evaluate(tsa_chain, Purpose::TimeStamping, t.timestamp());
                ts.self_attested = e.pinned_generators.iter().any(|p| p == generator)
                    && e.ended_at.is_some()
                    && e.name_only_matches.is_empty()
                    && e.failures.iter().all(|f| f.error.is_time());
            }
        }
    }

    /// What stops a structurally genuine chain from being fully trusted, in words. `chain`: the
    /// presented x5chain again (to say whether the certificate was valid at a self-attested
    /// time-stamp's time).
    pub fn limits(&self, chain: &[Vec<u8>], claim_trust: &TrustEngine) -> Vec<TrustLimit> {
        let mut out = Vec::new();
        let mut time_failed = false;
        for f in &self.chain.failures {
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
            let (code, explanation) = match &self.timestamp {
                None => (
                    "no-timestamp",
                    "the signature carries no time-stamp to prove when it was made".to_string(),
                ),
                Some(ts) if !ts.validated => (
                    "timestamp-invalid",
                    if ts.time.is_some() {
                        "the time-stamp does not verify against the signature".to_string()
                    } else {
                        "the signature's time-stamp could not be read or verified".to_string()
                    },
                ),
                Some(ts) if ts.self_attested => {
                    let valid_then = self.timestamp_time.is_some_and(|t| {
                        claim_trust
                            .evaluate(chain, Purpose::ClaimSigning, t.timestamp())
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
}

/// Who stands behind the key where the path ends, when `applies`: a trust list (with the list)
/// or a generator pin.
fn path_end_authority(
    chain: &ChainEvaluation,
    applies: bool,
) -> (Option<AuthenticatedBy>, Option<TrustSource>) {
    match (&chain.ended_at, applies) {
        (Some(PathEnd::Anchor { source, .. }), true)
        | (Some(PathEnd::AllowedLeaf { source, .. }), true) => {
            (Some(AuthenticatedBy::TrustList), Some(*source))
        }
        (Some(PathEnd::Pin { .. }), true) => {
            (Some(AuthenticatedBy::Pin), Some(TrustSource::GeneratorPin))
        }
        _ => (None, None),
    }
}

/// The date part of an RFC 3339 time ("2026-10-09").
fn day(t: &str) -> String {
    bounded(t.get(..10).unwrap_or(t), 40)
}
