//! What the own path needs from the settings: the SDK's certificate trust policy and, built on
//! first use, a context with the SDK's settings for its stapled-OCSP check.

use c2pa::crypto::cose::CertificateTrustPolicy;

/// The trust policy the SDK would use for the same settings (its `Store::from_context`), for the
/// profile and time-stamp checks; and, for the SDK's stapled-OCSP check, a context with the
/// SDK's settings, built the first time a file staples an OCSP response.
pub struct FastPath {
    pub(super) ctp: CertificateTrustPolicy,
    sdk_settings: String,
    ocsp_context: std::sync::OnceLock<Option<c2pa::Context>>,
}

impl FastPath {
    /// `None` with `sdk_trust` (the SDK's own trust check, which the fast path does not run).
    /// Without it, provcheck hands the SDK no trust material (`verifier::c2pa_settings`), so the
    /// SDK's policy is its default one (its built-in EKU list), and so is this. `sdk_settings`:
    /// the settings (JSON) of the SDK's contexts.
    pub fn new(sdk_trust: bool, sdk_settings: String) -> Option<FastPath> {
        (!sdk_trust).then(|| FastPath {
            ctp: CertificateTrustPolicy::default(),
            sdk_settings,
            ocsp_context: std::sync::OnceLock::new(),
        })
    }

    /// A context with the SDK's settings (`None` if they do not load, and the file declines).
    pub(super) fn ocsp_context(&self) -> Option<&c2pa::Context> {
        self.ocsp_context
            .get_or_init(|| {
                c2pa::Context::new()
                    .with_settings(self.sdk_settings.as_str())
                    .ok()
            })
            .as_ref()
    }
}
