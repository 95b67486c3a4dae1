//! provcheck's own validation path (issue 14): the common shape of generator output judged
//! without the c2pa SDK's `Reader`, from what [`super::jumbf`] already parsed.
//!
//! The path *proves files clean or declines*: it runs every check the SDK would run on a file of
//! this shape, and the moment anything is unusual, fails or is outside what it covers, it
//! declines and the SDK judges the file exactly as before. It therefore never produces a failure
//! code of its own, and the codes it does produce are the SDK's, in the SDK's order, with the
//! SDK's URLs and explanations (tests/differential.rs holds it to that on every corpus file and
//! on thousands of seeded mutants).
//!
//! What it covers today (everything else declines):
//! * JPEG and PNG, one manifest in the store, a standard (`c2ma`) manifest with a v1 claim
//!   (`c2pa.claim`), which is most 2023-25 generator output;
//! * the claim signature (COSE_Sign1, RFC 9052 section 4.4 `Sig_structure`) verified with
//!   ring: PS256/384/512 (RFC 8230), ES256/384 (RFC 9053 section 2.1), Ed25519;
//! * one RFC 3161 time-stamp token (`sigTst`/`sigTst2`), verified by the SDK's own public
//!   `verify_time_stamp`, and the signing certificate's C2PA profile by the SDK's public
//!   `check_end_entity_certificate_profile` (same code, same codes);
//! * every assertion the claim lists matched by its hash against the raw box (jumbf.rs), no
//!   undeclared assertion, and the data hash (`c2pa.hash.data`) recomputed over the file;
//! * ingredients without a manifest of their own (`ingredient.unknownProvenance`, as the SDK).
//!
//! Declines: other formats, several manifests, v2 claims (their action and metadata rules),
//! box hashes, multi-asset hashes, redactions, update manifests, time-stamp and certificate-
//! status assertions, CAWG identity assertions, icons, stapled OCSP, no or several time-stamp
//! tokens, ES512 and other algorithms, `verify_trust` (the SDK's own trust check,
//! `--sdk-trust`), and any check that does not pass.
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

use std::collections::HashSet;

use c2pa::crypto::cose::{check_end_entity_certificate_profile, CertificateTrustPolicy};
use c2pa::status_tracker::{LogKind, StatusTracker};
use coset::cbor::value::Value;
use coset::{iana, CoseSign1, Label, RegisteredLabelWithPrivate, TaggedCborSerializable};

use super::cose::map_get;
use super::jumbf::{self, base_label, Target};
use super::locate::Located;
use super::sniff::Format;
use super::{
    iptc_term, IngredientFacts, ManifestFacts, StoreFacts, MAX_CLAIM_FIELD, MAX_FIELD, MAX_ITEMS,
};
use crate::report::{bounded, ActionInfo, GeneratorInfo, Status, Validation};

/// The type UUID of a standard manifest superbox (`c2ma`).
const STANDARD_MANIFEST: [u8; 16] = [
    0x63, 0x32, 0x6d, 0x61, 0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71,
];

/// Keys a v1 claim may carry (C2PA 1.x "Claim"); anything else goes to the SDK.
const V1_CLAIM_KEYS: &[&str] = &[
    "claim_generator",
    "claim_generator_info",
    "signature",
    "assertions",
    "dc:format",
    "instanceID",
    "dc:title",
    "alg",
    "alg_soft",
];

/// Assertion labels whose validation the SDK does something the fast path does not (time-stamp
/// and certificate-status assertions feed the signature check; identity assertions run CAWG
/// validation; other hard bindings; redaction-sensitive metadata).
fn declined_assertion(label: &str) -> bool {
    let base = base_label(label);
    base.starts_with("cawg.")
        || matches!(
            base,
            "c2pa.time-stamp"
                | "c2pa.certificate-status"
                | "c2pa.hash.boxes"
                | "c2pa.hash.bmff"
                | "c2pa.hash.bmff.v2"
                | "c2pa.hash.bmff.v3"
                | "c2pa.hash.multi-asset"
                | "c2pa.hash.collection.data"
                | "c2pa.hash.data.part"
                | "c2pa.metadata"
                | "c2pa.ingredient.v3"
        )
}

/// The trust policy the SDK would use for the same settings (its `Store::from_context`), for the
/// profile and time-stamp checks.
pub struct FastPath {
    ctp: CertificateTrustPolicy,
}

impl FastPath {
    /// `None` with `sdk_trust` (the SDK's own trust check, which the fast path does not run).
    pub fn from_context(context: &c2pa::Context, sdk_trust: bool) -> Option<FastPath> {
        if sdk_trust {
            return None;
        }
        let settings = context.settings();
        let t = &settings.trust;
        let mut ctp = CertificateTrustPolicy::default();
        if let Some(a) = &t.trust_anchors {
            ctp.add_trust_anchors(a.as_bytes()).ok()?;
        }
        if let Some(a) = &t.user_anchors {
            ctp.add_user_trust_anchors(a.as_bytes()).ok()?;
        }
        if let Some(c) = &t.trust_config {
            ctp.add_valid_ekus(c.as_bytes());
        }
        if let Some(a) = &t.allowed_list {
            ctp.add_end_entity_credentials(a.as_bytes()).ok()?;
        }
        Some(FastPath { ctp })
    }
}

/// What the fast path made of a file.
pub enum Outcome {
    /// Proven clean: the facts the SDK would have produced.
    Verified(Box<StoreFacts>),
    /// Handed to the SDK, with the reason (for diagnostics and tests).
    Declined(&'static str),
}

use Outcome::Declined;

fn text(v: &Value) -> Option<&str> {
    match v {
        Value::Text(t) => Some(t),
        _ => None,
    }
}

fn get_text<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    map_get(v, key).and_then(text)
}

/// The SDK's `to_normalized_uri`: the part after `=`, with a leading `/` before `c2pa/`.
fn normalized(uri: &str) -> String {
    let parts: Vec<&str> = uri.split('=').collect();
    let out = if parts.len() == 1 {
        parts.first().copied().unwrap_or_default()
    } else {
        parts.get(1).copied().unwrap_or_default()
    };
    if out.starts_with("c2pa/") {
        format!("/{out}")
    } else {
        out.to_string()
    }
}

/// The SDK's `manifest_label_from_uri`.
fn manifest_of_uri(uri: &str) -> Option<String> {
    let n = normalized(uri);
    let parts: Vec<&str> = n.split('/').collect();
    if parts.len() > 2 && parts.get(1) == Some(&"c2pa") {
        parts.get(2).map(|s| s.to_string())
    } else {
        None
    }
}

fn manifest_uri(label: &str) -> String {
    format!("self#jumbf=/c2pa/{label}")
}

fn assertion_uri(label: &str, assertion: &str) -> String {
    format!("{}/c2pa.assertions/{assertion}", manifest_uri(label))
}

fn signature_uri(label: &str) -> String {
    format!("{}/c2pa.signature", manifest_uri(label))
}

fn status(code: &str, url: String, explanation: String, scope: &str) -> Status {
    Status {
        code: code.to_string(),
        url: Some(bounded(&url, MAX_FIELD)),
        explanation: Some(bounded(&explanation, MAX_FIELD)),
        scope: bounded(scope, MAX_FIELD),
        manifest: None,
        full_url: Some(url),
    }
}

/// Judge the store of a JPEG or PNG file, or decline.
pub fn validate(
    data: &[u8],
    format: Format,
    raw: &jumbf::Store,
    located: Option<&Located>,
    fast: &FastPath,
) -> Outcome {
    if !matches!(format, Format::Jpeg | Format::Png) {
        return Declined("format");
    }
    let Some(located) = located else {
        return Declined("store not located");
    };
    if !raw.problems.is_empty() {
        return Declined("structural findings");
    }
    if !jumbf::strictly_formed(&located.store) {
        return Declined("JUMBF not strictly formed");
    }
    let [m] = raw.manifests.as_slice() else {
        return Declined("not exactly one manifest");
    };
    if m.box_type != Some(STANDARD_MANIFEST) {
        return Declined("not a standard manifest");
    }
    if m.claim_label.as_deref() != Some("c2pa.claim") {
        return Declined("not a v1 claim");
    }
    let Some(claim) = &m.claim else {
        return Declined("no claim");
    };
    let Value::Map(claim_entries) = claim else {
        return Declined("claim not a map");
    };
    if claim_entries
        .iter()
        .any(|(k, _)| !text(k).is_some_and(|k| V1_CLAIM_KEYS.contains(&k)))
    {
        return Declined("unusual claim field");
    }
    for key in ["claim_generator", "signature", "dc:format", "instanceID"] {
        if get_text(claim, key).is_none() {
            return Declined("claim field missing");
        }
    }
    if map_get(claim, "dc:title").is_some_and(|t| text(t).is_none()) {
        return Declined("claim title not text");
    }
    let label = m.label.as_str();
    let labels: HashSet<&str> = HashSet::from([label]);
    let sig_url = get_text(claim, "signature").unwrap_or_default();
    if jumbf::resolve_uri(sig_url, label, &labels) != Some(Target::Signature(label.to_string()))
        || manifest_of_uri(sig_url).is_some_and(|l| l != label)
    {
        return Declined("signature reference");
    }
    let cgi = match map_get(claim, "claim_generator_info") {
        None | Some(Value::Null) => &[][..],
        Some(Value::Array(list)) => list.as_slice(),
        Some(_) => return Declined("claim_generator_info not a list"),
    };
    if cgi
        .iter()
        .any(|g| get_text(g, "name").is_none() || map_get(g, "icon").is_some())
    {
        return Declined("claim_generator_info entry");
    }

    // the assertion list: every entry one of this manifest's assertions, matched by hash
    let Some(Value::Array(list)) = map_get(claim, "assertions") else {
        return Declined("no assertion list");
    };
    let mut hashed_uri_ok = Vec::new();
    let mut listed: Vec<String> = Vec::new();
    for entry in list {
        let Some(url) = get_text(entry, "url") else {
            return Declined("assertion list entry");
        };
        let Some(Target::Assertion {
            manifest,
            label: al,
        }) = jumbf::resolve_uri(url, label, &labels)
        else {
            return Declined("assertion reference");
        };
        if manifest != label || declined_assertion(&al) {
            return Declined("assertion kind");
        }
        if manifest_of_uri(url).is_some_and(|l| l != label) {
            return Declined("assertion reference");
        }
        let matched = raw
            .refs
            .iter()
            .any(|r| r.from == label && r.url == url && r.matched == Some(true));
        if !matched {
            return Declined("assertion hash");
        }
        let absolute = if manifest_of_uri(url).is_none() {
            format!("{}/{}", manifest_uri(label), normalized(url))
        } else {
            url.to_string()
        };
        hashed_uri_ok.push(status(
            "assertion.hashedURI.match",
            absolute,
            format!("hashed uri matched: {url}"),
            "active",
        ));
        listed.push(al);
    }
    let listed_set: HashSet<&str> = listed.iter().map(String::as_str).collect();
    if listed_set.len() != listed.len() {
        return Declined("assertion listed twice");
    }
    if m.assertion_ranges
        .iter()
        .any(|(l, _)| !listed_set.contains(l.as_str()))
    {
        return Declined("undeclared assertion");
    }
    if listed
        .iter()
        .filter(|l| matches!(base_label(l), "c2pa.actions" | "c2pa.actions.v2"))
        .count()
        > 1
    {
        return Declined("several actions assertions");
    }

    // facts from the assertions (strictly shaped, or the SDK judges)
    let value_of = |l: &str| {
        m.assertion_values
            .iter()
            .find(|(al, _)| al == l)
            .map(|(_, v)| v)
    };
    let mut actions = Vec::new();
    let mut ingredients = Vec::new();
    let mut ingredient_statuses = Vec::new();
    let mut parents = 0;
    for al in &listed {
        match base_label(al) {
            "c2pa.actions" | "c2pa.actions.v2" => {
                let Some(v) = value_of(al) else {
                    return Declined("actions not CBOR");
                };
                match read_actions(v, label) {
                    Some(a) => actions.extend(a),
                    None => return Declined("actions shape"),
                }
            }
            "c2pa.ingredient" | "c2pa.ingredient.v2" => {
                let Some(v) = value_of(al) else {
                    return Declined("ingredient not CBOR");
                };
                let Some((ing, st)) = read_ingredient(v, label, al) else {
                    return Declined("ingredient shape");
                };
                if ing.relationship == "parentOf" {
                    parents += 1;
                }
                ingredient_statuses.extend(st);
                ingredients.push(ing);
            }
            _ => {}
        }
    }
    if parents > 1 {
        return Declined("several parents");
    }

    // the claim signature and its time-stamp
    let Some(cose) = m.signature.as_deref() else {
        return Declined("no signature");
    };
    let Some(claim_bytes) = m.claim_range.clone().and_then(|r| located.store.get(r)) else {
        return Declined("claim bytes");
    };
    let signed = match verify_signature(cose, claim_bytes, fast) {
        Ok(s) => s,
        Err(why) => return Declined(why),
    };

    // the hard binding: exactly one, a local data hash, recomputed
    if m.hard_bindings.len() != 1 {
        return Declined("not exactly one hard binding");
    }
    let dh_label = m.hard_bindings.first().cloned().unwrap_or_default();
    if base_label(&dh_label) != "c2pa.hash.data" {
        return Declined("binding kind");
    }
    let Some(dh) = value_of(&dh_label) else {
        return Declined("data hash not CBOR");
    };
    if map_get(dh, "url").is_some() {
        return Declined("remote data hash");
    }
    if m.data_hash_exclusions.len() > 1 {
        return Declined("several exclusions");
    }
    let alg = get_text(dh, "alg").unwrap_or(&m.alg);
    let Some(Value::Bytes(expected)) = map_get(dh, "hash") else {
        return Declined("data hash value");
    };
    let len = data.len() as u64;
    let mut ranges = Vec::new();
    let mut at = 0u64;
    for &(start, length) in &m.data_hash_exclusions {
        let Some(end) = start.checked_add(length) else {
            return Declined("exclusion range");
        };
        if start < at || end > len {
            return Declined("exclusion range");
        }
        ranges.push(at..start);
        at = end;
    }
    ranges.push(at..len);
    let slices: Vec<&[u8]> = ranges
        .into_iter()
        .filter_map(|r| data.get(r.start as usize..r.end as usize))
        .collect();
    if jumbf::digest(alg, &slices).as_deref() != Some(expected.as_slice()) {
        return Declined("data hash");
    }

    // the statuses, in the SDK's order
    let mut validation = Validation::default();
    let sig_uri = signature_uri(label);
    for (code, explanation) in &signed.log {
        validation
            .success
            .push(status(code, sig_uri.clone(), explanation.clone(), "active"));
    }
    for code in ["claimSignature.insideValidity", "claimSignature.validated"] {
        validation.success.push(status(
            code,
            sig_uri.clone(),
            "claim signature valid".into(),
            "active",
        ));
    }
    validation.success.extend(hashed_uri_ok);
    validation.success.push(status(
        "assertion.dataHash.match",
        assertion_uri(label, &dh_label),
        "data hash valid".into(),
        "active",
    ));
    validation.informational.extend(ingredient_statuses);

    let claim_generator_info = cgi
        .iter()
        .take(16)
        .map(|g| GeneratorInfo {
            name: bounded(get_text(g, "name").unwrap_or_default(), MAX_CLAIM_FIELD),
            version: get_text(g, "version").map(|v| bounded(v, MAX_FIELD)),
        })
        .collect();
    let tokens = jumbf::timestamp_tokens(cose);
    let facts = ManifestFacts {
        label: label.to_string(),
        claim_generator: get_text(claim, "claim_generator").map(|s| bounded(s, MAX_CLAIM_FIELD)),
        claim_generator_info,
        title: get_text(claim, "dc:title").map(|s| bounded(s, MAX_FIELD)),
        format: get_text(claim, "dc:format").map(|s| bounded(s, MAX_FIELD)),
        instance_id: bounded(get_text(claim, "instanceID").unwrap_or_default(), MAX_FIELD),
        claim_version: Some(1),
        algorithm: Some(signed.alg.to_string()),
        signing_time: Some(signed.time),
        chain: signed.chain,
        tsa_chain: tokens
            .first()
            .map(|t| super::tsa_chain(t))
            .unwrap_or_default(),
        actions,
        ingredients,
        content_hash: m.content_hash.as_deref().map(hex::encode),
        has_timestamp_header: true,
        timestamp_tokens: tokens.len(),
    };
    let mut store = StoreFacts {
        active: label.to_string(),
        validation,
        timestamp_validated: true,
        ..Default::default()
    };
    store.manifests.insert(label.to_string(), facts);
    Outcome::Verified(Box::new(store))
}

/// The actions of a `c2pa.actions` assertion, or `None` when its shape is not the plain one.
fn read_actions(v: &Value, label: &str) -> Option<Vec<ActionInfo>> {
    let Value::Array(list) = map_get(v, "actions")? else {
        return None;
    };
    let mut out = Vec::new();
    for act in list {
        let name = get_text(act, "action")?;
        if name.is_empty() {
            return None;
        }
        let software_agent = match map_get(act, "softwareAgent") {
            None => None,
            Some(Value::Text(t)) => Some(bounded(t, MAX_CLAIM_FIELD)),
            Some(_) => return None,
        };
        let digital_source_type = match map_get(act, "digitalSourceType") {
            None => None,
            Some(Value::Text(t)) => Some(iptc_term(t)),
            Some(_) => return None,
        };
        let description = match map_get(act, "description") {
            None => None,
            Some(Value::Text(t)) => Some(bounded(t, MAX_FIELD)),
            Some(_) => return None,
        };
        if out.len() < MAX_ITEMS {
            out.push(ActionInfo {
                action: bounded(name, 128),
                software_agent,
                digital_source_type,
                description,
                manifest: label.to_string(),
            });
        }
    }
    Some(out)
}

/// An ingredient without a manifest of its own, and the SDK's informational status for it.
fn read_ingredient(v: &Value, label: &str, al: &str) -> Option<(IngredientFacts, Vec<Status>)> {
    if !matches!(v, Value::Map(_)) {
        return None;
    }
    if [
        "c2pa_manifest",
        "activeManifest",
        "validationStatus",
        "validationResults",
    ]
    .iter()
    .any(|k| map_get(v, k).is_some())
    {
        return None;
    }
    let relationship = match map_get(v, "relationship") {
        None => "componentOf",
        Some(Value::Text(t)) if matches!(t.as_str(), "parentOf" | "componentOf" | "inputTo") => t,
        Some(_) => return None,
    };
    let title = match map_get(v, "dc:title") {
        None => None,
        Some(Value::Text(t)) => Some(t.as_str()),
        Some(_) => return None,
    };
    let format = match map_get(v, "dc:format") {
        None => None,
        Some(Value::Text(t)) => Some(t.as_str()),
        Some(_) => return None,
    };
    let mut statuses = Vec::new();
    if relationship != "inputTo" {
        let uri = assertion_uri(label, al);
        statuses.push(status(
            "ingredient.unknownProvenance",
            uri.clone(),
            format!(
                "{}: ingredient does not have provenance",
                title.unwrap_or("no title")
            ),
            &uri,
        ));
    }
    Some((
        IngredientFacts {
            title: title.map(|t| bounded(t, MAX_FIELD)),
            relationship: relationship.to_string(),
            format: format.map(|f| bounded(f, MAX_FIELD)),
            manifest: None,
            assertion_label: Some(al.to_string()),
        },
        statuses,
    ))
}

/// A verified claim signature.
struct Signed {
    alg: c2pa::SigningAlg,
    /// Signing time from the time-stamp, RFC 3339 as the SDK writes it.
    time: String,
    chain: Vec<Vec<u8>>,
    /// (code, explanation) the SDK's time-stamp and profile checks logged, all successes.
    log: Vec<(String, String)>,
}

/// Unprotected header entries the fast path understands: `x5chain` (33, or by name as C2PA 1.x
/// writers put it), the time-stamp and
/// padding. Anything else (stapled OCSP `rVals`, ...) goes to the SDK.
fn known_unprotected(l: &Label) -> bool {
    match l {
        Label::Int(33) => true,
        Label::Text(t) => matches!(
            t.as_str(),
            "x5chain" | "sigTst" | "sigTst2" | "pad" | "pad2"
        ),
        _ => false,
    }
}

fn verify_signature(cose: &[u8], claim: &[u8], fast: &FastPath) -> Result<Signed, &'static str> {
    let mut sign1 = CoseSign1::from_tagged_slice(cose).map_err(|_| "COSE not tagged")?;
    if !sign1
        .unprotected
        .rest
        .iter()
        .all(|(l, _)| known_unprotected(l))
    {
        return Err("unprotected header");
    }
    let (alg, ring_alg): (
        c2pa::SigningAlg,
        &dyn ring::signature::VerificationAlgorithm,
    ) = match &sign1.protected.header.alg {
        Some(RegisteredLabelWithPrivate::Assigned(a)) => match a {
            iana::Algorithm::PS256 => (
                c2pa::SigningAlg::Ps256,
                &ring::signature::RSA_PSS_2048_8192_SHA256,
            ),
            iana::Algorithm::PS384 => (
                c2pa::SigningAlg::Ps384,
                &ring::signature::RSA_PSS_2048_8192_SHA384,
            ),
            iana::Algorithm::PS512 => (
                c2pa::SigningAlg::Ps512,
                &ring::signature::RSA_PSS_2048_8192_SHA512,
            ),
            iana::Algorithm::ES256 => (
                c2pa::SigningAlg::Es256,
                &ring::signature::ECDSA_P256_SHA256_FIXED,
            ),
            iana::Algorithm::ES384 => (
                c2pa::SigningAlg::Es384,
                &ring::signature::ECDSA_P384_SHA384_FIXED,
            ),
            iana::Algorithm::EdDSA => (c2pa::SigningAlg::Ed25519, &ring::signature::ED25519),
            _ => return Err("algorithm"),
        },
        _ => return Err("algorithm"),
    };
    let chain = c2pa::crypto::cose::cert_chain_from_sign1(&sign1).map_err(|_| "x5chain")?;
    let leaf = chain.first().ok_or("x5chain")?.clone();
    let (_, cert) = x509_parser::parse_x509_certificate(&leaf).map_err(|_| "certificate")?;
    let key = cert.public_key().subject_public_key.data.to_vec();
    // the SDK's CertificateInfo needs an organisation in the subject; without one it fails
    if cert
        .subject()
        .iter_organization()
        .last()
        .and_then(|a| a.as_str().ok())
        .is_none()
    {
        return Err("no organisation");
    }

    // RFC 9052 section 4.4: Sig_structure with the detached payload (the claim's bytes)
    sign1.payload = Some(claim.to_vec());
    let tbs = sign1.tbs_data(&[]);
    ring::signature::UnparsedPublicKey::new(ring_alg, &key)
        .verify(&tbs, &sign1.signature)
        .map_err(|_| "signature")?;

    // the time-stamp: one token, checked by the SDK's public verifier (as its Reader does)
    let mut log = StatusTracker::default();
    let mut tst_headers = sign1
        .unprotected
        .rest
        .iter()
        .filter(|(l, _)| matches!(l, Label::Text(t) if t == "sigTst" || t == "sigTst2"));
    let (tst_label, tst_value) = tst_headers.next().ok_or("no time-stamp")?;
    if tst_headers.next().is_some() {
        return Err("several time-stamp headers");
    }
    let Some(Value::Array(tokens)) = map_get(tst_value, "tstTokens") else {
        return Err("time-stamp shape");
    };
    let [token] = tokens.as_slice() else {
        return Err("not exactly one time-stamp token");
    };
    let Some(Value::Bytes(token)) = map_get(token, "val") else {
        return Err("time-stamp token");
    };
    let v2_input;
    let imprint_input: &[u8] = if matches!(tst_label, Label::Text(t) if t == "sigTst2") {
        let mut buf = Vec::new();
        coset::cbor::ser::into_writer(&Value::Bytes(sign1.signature.clone()), &mut buf)
            .map_err(|_| "time-stamp input")?;
        v2_input = buf;
        &v2_input
    } else {
        claim
    };
    // what the SDK's `cose_countersign_data` builds (RFC 9338 countersignature structure)
    let tbs_tst = coset::sig_structure_data(
        coset::SignatureContext::CounterSignature,
        sign1.protected.clone(),
        None,
        &[],
        imprint_input,
    );
    let tst =
        c2pa::crypto::time_stamp::verify_time_stamp(token, &tbs_tst, &fast.ctp, &mut log, false)
            .map_err(|_| "time-stamp")?;
    check_end_entity_certificate_profile(&leaf, &fast.ctp, &mut log, Some(&tst))
        .map_err(|_| "certificate profile")?;
    let mut entries = Vec::new();
    for item in log.logged_items() {
        if !matches!(item.kind, LogKind::Success) {
            return Err("a check logged more than success");
        }
        let code = item
            .validation_status
            .as_deref()
            .ok_or("uncoded log item")?;
        entries.push((code.to_string(), item.description.to_string()));
    }
    if !entries.iter().any(|(c, _)| c == "timeStamp.validated") {
        return Err("time-stamp not validated");
    }
    let time: chrono::DateTime<chrono::Utc> = tst.gen_time.clone().into();
    Ok(Signed {
        alg,
        time: time.to_rfc3339(),
        chain,
        log: entries,
    })
}

/// How provcheck's own verdict on a store differs from the SDK's (`--cross-check`, tests), or
/// `None` when the statuses and manifest facts are identical.
pub fn difference(own: &StoreFacts, sdk: &StoreFacts) -> Option<String> {
    if own.active != sdk.active {
        return Some("different active manifests".into());
    }
    let lists = |v: &Validation| {
        [
            ("success", v.success.clone()),
            ("informational", v.informational.clone()),
            ("failure", v.failure.clone()),
        ]
    };
    for ((kind, a), (_, b)) in lists(&own.validation)
        .into_iter()
        .zip(lists(&sdk.validation))
    {
        let key = |s: &Status| {
            (
                s.code.clone(),
                s.url.clone(),
                s.explanation.clone(),
                s.scope.clone(),
            )
        };
        let a: Vec<_> = a.iter().map(key).collect();
        let b: Vec<_> = b.iter().map(key).collect();
        if a != b {
            let only_own: Vec<&str> = a
                .iter()
                .filter(|x| !b.contains(x))
                .map(|x| x.0.as_str())
                .collect();
            let only_sdk: Vec<&str> = b
                .iter()
                .filter(|x| !a.contains(x))
                .map(|x| x.0.as_str())
                .collect();
            return Some(format!(
                "{kind} statuses: provcheck only {only_own:?}, SDK only {only_sdk:?}"
            ));
        }
    }
    let facts = |s: &StoreFacts| {
        let mut v: Vec<String> = s.manifests.values().map(|m| format!("{m:?}")).collect();
        v.sort();
        v
    };
    if facts(own) != facts(sdk) {
        return Some("manifest facts differ".into());
    }
    None
}
