//! Who really signed a manifest: the trust engine's verdict on its signer
//! ([`crate::trust::signer`]), then the organisation and, when the key backs it, the generator.

use chrono::{DateTime, Utc};

use crate::read::ManifestFacts;
use crate::report::{AuthenticatedBy, AuthenticatedSource, TimeOrigin};
use crate::trust::signer::{SignerInput, SignerTrust};
use crate::trust::{TrustEngine, TrustSource};

use super::registry::Registry;

/// The evaluation of one manifest's signer: the trust engines' verdict and who that makes it.
#[derive(Clone, Debug)]
pub struct SignerEval {
    pub trust: SignerTrust,
    /// The chain is trusted (`trust.chain.trusted`) and, as far as the caller knows, the claim
    /// signature verifies: the caller clears it when it does not.
    pub trusted: bool,
    /// The registry generator this signer is authenticated as (only when the chain is trusted).
    pub generator: Option<String>,
    /// Whose key signed: set when the chain is trusted, and also when it verifies link by
    /// link to an anchor or a pinned key but fails only on validity time or the certificate
    /// profile ([`crate::trust::ChainEvaluation::structurally_genuine`]); then `trusted` is false and
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
    let input = SignerInput {
        chain: &m.chain,
        tsa_chain: &m.tsa_chain,
        signing_time: m.signing_time.as_deref(),
        timestamp_validated,
        has_timestamp: m.has_timestamp_header,
    };
    let mut t = SignerTrust::evaluate(input, claim_trust, tsa_trust, now);
    let genuine = t.genuine();
    let identity_generator = if genuine {
        t.organization
            .as_deref()
            .and_then(|o| registry.by_leaf_organization(o))
            .filter(|g| {
                // A bundled list's CA vetted the organisation name; a user-supplied anchor did
                // not, so for a generator with pinned keys it must also reach one of them.
                let vetted_list = t.vetted_by == Some(AuthenticatedBy::TrustList)
                    && !matches!(
                        t.vetted_list,
                        Some(TrustSource::UserAnchors) | Some(TrustSource::UserAllowed)
                    );
                vetted_list
                    || t.chain.pinned_generators.contains(&g.id)
                    || (t.vetted_by == Some(AuthenticatedBy::TrustList) && g.pins.is_empty())
            })
            .map(|g| g.id.clone())
    } else {
        None
    };
    let trusted = t.chain.trusted;
    let generator = identity_generator.clone().filter(|_| trusted);
    if let Some(g) = &identity_generator {
        t.check_self_attested_timestamp(g, &m.tsa_chain, claim_trust);
    }
    let identity = match (&t.organization, t.vetted_by, t.vetted_list, genuine) {
        (Some(org), Some(by), Some(list), true) => Some(AuthenticatedSource {
            organization: org.clone(),
            generator: identity_generator,
            authenticated_by: by,
            list,
            trusted,
            limits: if trusted {
                Vec::new()
            } else {
                t.limits(&m.chain, claim_trust)
            },
        }),
        _ => None,
    };
    SignerEval {
        trusted,
        trust: t,
        generator,
        identity,
    }
}
