//! Who really signed a manifest: evaluate its time-stamp and its certificate chain with
//! provcheck's own trust engine, then name the organisation and, when the key backs it, the
//! generator.

use chrono::{DateTime, Utc};

use crate::read::ManifestFacts;
use crate::report::{AuthenticatedBy, TimeOrigin, TimestampInfo};
use crate::trust::{ChainEvaluation, PathEnd, Purpose, TrustEngine, TrustSource};

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
            })
        }
        (Some(t), true) => Some(TimestampInfo {
            tsa: None,
            time: Some(t.to_rfc3339()),
            validated: timestamp_validated,
            trusted: false,
            trusted_by: None,
            failures: Vec::new(),
        }),
        _ => None,
    };
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
    let generator = if chain.trusted {
        organization
            .as_deref()
            .and_then(|o| registry.by_leaf_organization(o))
            .filter(|g| {
                // A bundled list's CA vetted the organisation name; a user-supplied anchor did
                // not, so for a generator with pinned keys it must also reach one of them.
                let vetted_list = authenticated_by == Some(AuthenticatedBy::TrustList)
                    && !matches!(
                        list,
                        Some(TrustSource::UserAnchors) | Some(TrustSource::UserAllowed)
                    );
                vetted_list
                    || chain.pinned_generators.contains(&g.id)
                    || (authenticated_by == Some(AuthenticatedBy::TrustList) && g.pins.is_empty())
            })
            .map(|g| g.id.clone())
    } else {
        None
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
    }
}
