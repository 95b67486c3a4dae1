//! Trust material compiled into the binary (sources and licences: `trust/NOTICE.md`).

/// Official C2PA Trust List (claim-signing CAs), issued 2026-08-05.
pub const C2PA_TRUST_LIST: &[u8] = include_bytes!("../trust/c2pa/C2PA-TRUST-LIST.pem");
/// Official C2PA TSA Trust List, issued 2026-08-05.
pub const C2PA_TSA_TRUST_LIST: &[u8] = include_bytes!("../trust/c2pa/C2PA-TSA-TRUST-LIST.pem");
/// Interim (legacy) Content Credentials trust anchors, 2025-08-28 copy.
pub const INTERIM_ANCHORS: &[u8] = include_bytes!("../trust/interim/anchors.pem");
/// The three lists above as DER blocks, written by build.rs (see [`der_blocks`]): what a
/// `Verifier` reads, without decoding PEM at every start.
pub(crate) const C2PA_TRUST_LIST_DER: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/c2pa-trust-list.der"));
pub(crate) const C2PA_TSA_TRUST_LIST_DER: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/c2pa-tsa-trust-list.der"));
pub(crate) const INTERIM_ANCHORS_DER: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/interim-anchors.der"));

/// The certificates of a list build.rs wrote: each a 4-byte big-endian length and its DER.
pub(crate) fn der_blocks(mut blob: &[u8]) -> impl Iterator<Item = &[u8]> {
    std::iter::from_fn(move || {
        let (len, rest) = blob.split_first_chunk::<4>()?;
        let len = usize::try_from(u32::from_be_bytes(*len)).ok()?;
        let (der, rest) = rest.split_at_checked(len)?;
        blob = rest;
        Some(der)
    })
}
#[cfg(test)]
/// Interim end-entity allow-list (PEM), 2025-08-26 copy.
pub const INTERIM_ALLOWED_PEM: &[u8] = include_bytes!("../trust/interim/allowed.pem");
/// The same allow-list as base64(SHA-256(DER)) lines, the form c2pa-rs parses cheaply.
pub const INTERIM_ALLOWED_HASHES: &str = include_str!("../trust/interim/allowed.sha256.txt");
/// Known intermediate CAs of generators (their keys are pinned in data/generators.toml), used
/// only to complete chains whose files leave the issuing CA out.
pub const GENERATOR_CAS: &[u8] = include_bytes!("../data/generator-cas.pem");
/// Interim EKU configuration.
pub const INTERIM_STORE_CFG: &str = include_str!("../trust/interim/store.cfg");

/// The dates of the bundled lists and the c2pa SDK version, written once (as macros so that
/// [`LONG_VERSION`] can be assembled from them at compile time).
macro_rules! trust_list_dates {
    () => {
        "C2PA Trust List 2026-08-05, C2PA TSA Trust List 2026-08-05, interim list 2025-08-28"
    };
}
macro_rules! c2pa_sdk_version {
    () => {
        "0.90.22"
    };
}

/// Dates of the bundled lists, for `--version` and reports.
pub const TRUST_LIST_DATES: &str = trust_list_dates!();

/// The c2pa SDK version provcheck is built against.
pub const C2PA_SDK_VERSION: &str = c2pa_sdk_version!();

/// `provcheck --version`, and the version every report page and scan summary names.
pub const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (c2pa SDK ",
    c2pa_sdk_version!(),
    "; trust lists: ",
    trust_list_dates!(),
    ")"
);
