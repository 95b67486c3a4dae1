//! What the own path needs from the settings: the SDK's certificate trust policy.

use c2pa::crypto::cose::CertificateTrustPolicy;

/// The trust policy the SDK would use for the same settings (its `Store::from_context`), for the
/// profile and time-stamp checks.
pub struct FastPath {
    /// `CertificateTrustPolicy::default()`: the SDK's built-in EKU list, no trust anchors and no
    /// end-entity list, so its `check_certificate_trust` trusts no certificate (both backends
    /// refuse at once without anchors; the test below holds a future SDK to it). The stapled
    /// OCSP reasoning of `signature.rs` rests on that.
    pub(super) ctp: CertificateTrustPolicy,
}

impl FastPath {
    /// `None` with `sdk_trust` (the SDK's own trust check, which the fast path does not run).
    /// Without it, provcheck hands the SDK no trust material (`verifier::c2pa_settings`), so the
    /// SDK's policy is its default one (its built-in EKU list), and so is this.
    pub fn new(sdk_trust: bool) -> Option<FastPath> {
        (!sdk_trust).then(|| FastPath {
            ctp: CertificateTrustPolicy::default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The premise on which the own path ignores a stapled OCSP response (signature.rs), as the
    /// SDK's reader does: the SDK acts on one only when its policy trusts the responder (c2pa
    /// 0.90 `check_stapled_ocsp_response`), and its default policy trusts no certificate, not
    /// even the roots of the bundled trust lists, which a policy given them as anchors does
    /// trust (so the check below can tell).
    #[test]
    fn the_default_policy_trusts_no_certificate() {
        let ctp = FastPath::new(false).unwrap().ctp;
        let mut anchored = CertificateTrustPolicy::default();
        anchored
            .add_trust_anchors(crate::bundle::C2PA_TRUST_LIST)
            .unwrap();
        let roots: Vec<Vec<u8>> =
            x509_parser::pem::Pem::iter_from_buffer(crate::bundle::C2PA_TRUST_LIST)
                .map(|p| p.unwrap().contents)
                .collect();
        assert!(roots.len() > 5);
        let mut anchored_trusts = 0;
        for root in &roots {
            assert!(
                ctp.check_certificate_trust(&[], root, None).is_err(),
                "the SDK's default policy trusts a certificate"
            );
            anchored_trusts +=
                usize::from(anchored.check_certificate_trust(&[], root, None).is_ok());
        }
        assert!(
            anchored_trusts > 0,
            "the check cannot tell trusted from not"
        );
    }
}
