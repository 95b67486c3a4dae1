//! provcheck's own validation path (issue 14): the common shape of generator output judged
//! without the c2pa SDK's `Reader`, from what [`super::jumbf`] already parsed.
//!
//! The path *proves files clean or declines*: it runs every check the SDK would run on a file of
//! this shape, and the moment anything is unusual, fails or is outside what it covers, it
//! declines and the SDK judges the file exactly as before. The failures it reports itself are
//! those it can state exactly as the SDK does, every other check passing: a well-formed hard
//! binding recomputed over exactly the bytes the SDK hashes that does not match
//! (`assertion.dataHash.mismatch`, `assertion.boxesHash.mismatch`), a signing certificate
//! outside the C2PA profile as the SDK's own profile check logs it (`signingCredential.*`), and
//! an active claim signature that c2pa's own validator refuses too (`claimSignature.mismatch`).
//! The codes it produces are the SDK's, in the SDK's order, with the SDK's URLs and explanations
//! (tests/suite/differential.rs holds it to that on every corpus file and on thousands of seeded
//! mutants).
//!
//! What it covers today (everything else declines):
//! * JPEG, PNG, WebP, GIF and TIFF/DNG (the store as [`super::locate`] finds it, the way the
//!   SDK's reader for the format finds it; a WebP's, GIF's or TIFF's hard binding must be a data
//!   hash, which the SDK verifies the same way for every format), a store of standard
//!   (`c2ma`) manifests with v1 claims (`c2pa.claim`) or 2.x claims (`c2pa.claim.v2`, [`v2`]:
//!   their fields, label and action rules), which is most 2023-26 generator output;
//! * HEIC, HEIF, AVIF, MP4, MOV and M4A with a BMFF hash (`c2pa.hash.bmff.v2`, `.v3`): the store
//!   as the SDK's own BMFF reader returns it, the hash checked by the SDK's own `BmffHash`
//!   ([`bmff`]: no box walk of provcheck's decides what that hash covers), everything else as
//!   for the other formats;
//! * the claim signature (COSE_Sign1, RFC 9052 section 4.4 `Sig_structure`) verified with
//!   ring: PS256/384/512 (RFC 8230), ES256/384 (RFC 9053 section 2.1), Ed25519;
//! * one RFC 3161 time-stamp token (`sigTst`/`sigTst2`): verified with ring by [`tst`] (the
//!   token read strictly as DER, its signer found by issuer and serial, the signed attributes'
//!   message digest, the signature over them with RSA PKCS#1 v1.5 SHA-256/384/512 or ECDSA
//!   P-256/P-384, the TSA certificate's validity at the signing time, the message imprint),
//!   with the log and time the SDK's `verify_time_stamp` gives on success; any token it cannot
//!   say yes to (a failing check, SHA-1, PSS, Ed25519, P1363 ECDSA, several signers, a parse
//!   doubt) goes to the SDK's public `verify_time_stamp`, which logs every failure. A token
//!   the SDK refuses is not fatal (its `verify_cose`: the informational
//!   `timeStamp.*` entries are kept, the signature judged without a time), nor is a header its
//!   `TstContainer` cannot read (no time-stamp, nothing logged: C2PA 1.x drafts' `tstToken`);
//! * the signing certificate's C2PA profile by [`profile`], a port of the SDK's
//!   `check_end_entity_certificate_profile` that takes the signing time in seconds (same
//!   checks, order, codes and explanations), whichever verified the token;
//! * a stapled OCSP response (`rVals`) ignored, as the SDK's reader ignores it with the trust
//!   policy it has without `--sdk-trust` (which trusts no responder: [`policy::FastPath`]);
//! * every assertion the claim lists matched by its hash against the raw box (jumbf.rs), no
//!   undeclared assertion, and each one something the SDK loads and decodes as it builds the
//!   manifest, asked of its own decoders ([`cbor::sdk_loads`]; one it cannot load fails its
//!   whole manifest or store, so the file declines): content of the kind the description box
//!   names ([`shape`]), CBOR that is one whole item, that turns into JSON (c2pa_cbor and
//!   serde_json as the SDK uses them), actions its `Actions` type decodes, ingredients with
//!   the fields their version requires, a claim thumbnail that is an embedded file
//!   (tests/suite/own_path_assertions.rs, tests/suite/own_path_resigned.rs: assertions changed and signed
//!   again); and the data hash (`c2pa.hash.data`) or the box hash (`c2pa.hash.boxes`, the
//!   exact layouts of [`boxhash`]) recomputed over the file;
//! * a multi-asset hash (C2PA 2.2, an Android Motion Photo: `c2pa.hash.multi-asset` and its
//!   `c2pa.hash.data.part`s) as c2pa 0.90.22 takes it: ordinary assertions, the claim's
//!   whole-file `c2pa.hash.data` its hard binding (a dropped optional part makes that a
//!   mismatch, in the SDK too); the parts are judged by [`crate::read::binding`] for either path;
//! * ingredients (v1, v2, v3) with and without a manifest of their own, followed depth-first as
//!   the SDK's ingredient checks walk them; the claim signatures of the store's other manifests
//!   are verified before that walk, each once ([`ingredient_sigs`]), and on a second thread
//!   when the caller verifies one file (`VerifierOptions::parallel_hash`) and the store has at
//!   least four of them (a Google multi-edit PNG carries 30). The walk takes the results in its
//!   own order, so what is logged does not depend on the threads. An ingredient claim
//!   signature that does not verify is judged only where the SDK's results drop its
//!   `claimSignature.mismatch` (the ingredient assertion recorded it when it took the
//!   ingredient in); otherwise the SDK reports it;
//! * only the active manifest's provenance: a manifest nothing takes in is neither judged nor
//!   a reason to decline (`read::unreferenced`; the SDK would load it, and log what it cannot
//!   load of it as the active manifest's failure, or fail the whole store).
//!
//! Declines: other formats, a BMFF hash that does not verify (the SDK reports it), a BMFF file
//! with another binding, a JPEG header the SDK's parser could walk differently or reject
//! ([`crate::read::container::jpeg::header_reaches_scan`]) or a PNG whose chunks it does not
//! read to IEND ([`crate::read::container::png::sdk_reads_to_iend`]), an
//! assertion the SDK cannot load or decode, redactions, update manifests, time-stamp
//! assertions, a certificate-status assertion whose responses the SDK would report as a failure
//! ([`ocsp`]), or in more than one manifest, CAWG identity assertions, metadata assertions,
//! icons other than a generator's icon naming one listed assertion ([`icons`]), software-agent
//! icons, several actions assertions, action templates,
//! several time-stamp tokens, ES512 and other
//! algorithms, `verify_trust` (the SDK's own trust check, `--sdk-trust`), and any check that
//! does not pass.
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

use std::collections::HashSet;

mod bmff;
mod boxhash;
mod cbor;
mod diff;
mod icons;
mod ingredient_sigs;
mod ocsp;
mod parts;
mod policy;
mod profile;
mod recorded;
mod shape;
mod signature;
mod spki;
mod tst;
#[cfg(test)]
mod tst_tests;
mod uris;
mod v2;

pub use diff::difference;
pub use policy::FastPath;
pub(crate) use signature::holds_without_organisation;

use c2pa::assertions::Actions;
use coset::cbor::value::Value;

use signature::{verify_signature, Signed};
use uris::{absolute, assertion_uri, manifest_of_uri, signature_uri};

use super::cose::{tsa_chain, tsa_chain_with_signer};
use super::facts::{ManifestFacts, StoreFacts, MAX_CLAIM_FIELD, MAX_FIELD, MAX_ITEMS};
use super::jumbf::{self, base_label, Target};
use super::locate::Located;
use super::sniff::Format;
use crate::report::{bounded, ActionInfo, GeneratorInfo, Status, Validation};
use cbor::{get_text, map_get};
use parts::{check_v1_claim, declined_assertion, read_actions, read_ingredient, Ing};
use recorded::Kind;

/// The type UUID of a standard manifest superbox (`c2ma`).
const STANDARD_MANIFEST: [u8; 16] = [
    0x63, 0x32, 0x6d, 0x61, 0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71,
];

/// What the fast path made of a file.
pub enum Outcome {
    /// Judged: the facts the SDK would have produced (clean, or with a hard-binding mismatch).
    Verified(Box<StoreFacts>),
    /// Handed to the SDK, with the reason (for diagnostics and tests).
    Declined(&'static str),
}

use Outcome::Declined;

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

/// One status as the SDK's status tracker would log it.
struct Logged {
    code: String,
    url: String,
    explanation: String,
    informational: bool,
    /// The ingredient assertion being validated when it was logged (the SDK's ingredient
    /// delta), `None` for the active manifest's own results.
    ingredient: Option<String>,
}

/// A manifest that passed the per-manifest gates, with what its validation logs.
struct Checked<'a> {
    m: &'a jumbf::RawManifest,
    claim: &'a Value,
    /// The claim's version: 1 (`c2pa.claim`) or 2 (`c2pa.claim.v2`).
    version: u8,
    cgi: &'a [Value],
    /// `assertion.hashedURI.match` (absolute URL, explanation) in the claim's order.
    hashed: Vec<(String, String)>,
    actions: Vec<ActionInfo>,
    /// In the claim's list order (the order the SDK reports them in).
    ingredients: Vec<Ing>,
    /// Indices into `ingredients` in the assertion store's order (the order the SDK checks them in).
    walk: Vec<usize>,
    /// The hard binding (its assertion's label), if the manifest has one.
    binding: Option<Binding>,
    /// The CBOR of its certificate-status assertion, if it has one ([`ocsp`]).
    certificate_status: Option<&'a [u8]>,
}

/// The one hard binding the own path recomputes.
enum Binding {
    /// `c2pa.hash.data`
    Data(String),
    /// `c2pa.hash.boxes` (JPEG and PNG: [`boxhash`])
    Boxes(String),
    /// `c2pa.hash.bmff`, `.v2`, `.v3` (HEIC, HEIF, AVIF, MP4, MOV, M4A: the SDK's own check of
    /// v2 and v3, [`bmff`])
    Bmff(String),
}

/// Most ingredient levels followed. The SDK's walk (`Store::ingredient_checks`, the same
/// verify-every-reference, descend-once-per-manifest order as this one) fails a store at depth
/// 200 (`MAX_INGREDIENT_DEPTH`); deeper than this the own path declines, far from that limit.
/// The walk is iterative and each manifest is descended into once, so depth costs no stack and
/// no time of its own. Google's multi-edit PNGs nest their ingredients 10 and more levels deep.
const MAX_DEPTH: usize = 64;

/// Judge the store of a JPEG, PNG, WebP, GIF, TIFF/DNG or BMFF (HEIC, HEIF, AVIF, MP4, MOV, M4A)
/// file, or decline.
/// `parallel`: the caller has a core to spare (see [`ingredient_sigs`]).
pub fn validate(
    data: &[u8],
    format: Format,
    raw: &jumbf::Store,
    located: Option<&Located>,
    fast: &FastPath,
    parallel: bool,
) -> Outcome {
    if !matches!(
        format,
        Format::Jpeg | Format::Png | Format::WebP | Format::Gif | Format::Tiff | Format::Dng
    ) && !format.is_bmff()
    {
        return Declined("format");
    }
    // a JPEG header the SDK's parser might walk differently, or reject (then the SDK reports the
    // file as unparseable, not its hashes)
    if format == Format::Jpeg && !crate::read::container::jpeg::header_reaches_scan(data) {
        return Declined("JPEG header");
    }
    // likewise a PNG whose chunks the SDK's reader does not walk to IEND
    if format == Format::Png && !crate::read::container::png::sdk_reads_to_iend(data) {
        return Declined("PNG chunks");
    }
    let Some(located) = located else {
        return Declined("store not located");
    };
    if raw.manifests.is_empty() || raw.manifests.len() > MAX_ITEMS {
        return Declined("manifest count");
    }
    let labels: HashSet<&str> = raw.manifests.iter().map(|m| m.label.as_str()).collect();
    // Manifests outside the active manifest's provenance (nothing takes them in) are no part of
    // this file's validation: not judged here, and their problems are set aside after it
    // (`read::unreferenced`). The SDK loads them, and what it cannot load of them it reports
    // among the active manifest's failures, or it cannot read the store at all.
    let outside: HashSet<String> = super::unreferenced::outside_raw(raw).into_iter().collect();
    let in_provenance = |m: Option<&str>| m.is_none_or(|m| !outside.contains(m));
    if raw
        .problems
        .iter()
        .any(|p| in_provenance(p.manifest.as_deref()))
    {
        return Declined("structural findings");
    }
    if !shape::strictly_formed(&located.store) {
        return Declined("JUMBF not strictly formed");
    }
    let mut checked: Vec<Checked> = Vec::new();
    for m in raw
        .manifests
        .iter()
        .filter(|m| in_provenance(Some(&m.label)))
    {
        match check_manifest(m, &labels, &located.store) {
            Ok(c) => checked.push(c),
            Err(why) => return Declined(why),
        }
    }
    // the SDK's active manifest: the last in the store
    let Some(active) = checked.last() else {
        return Declined("no manifest");
    };
    let active_label = active.m.label.clone();
    let find = |l: &str| checked.iter().find(|c| c.m.label == l);
    let claim_bytes = |c: &Checked| {
        c.m.claim_range
            .clone()
            .and_then(|r| located.store.get(r))
            .map(<[u8]>::to_vec)
    };

    let mut log: Vec<Logged> = Vec::new();
    let mut signed: Vec<(String, Signed)> = Vec::new();
    // the active manifest: signature, time-stamp, certificate profile
    let Some(cose) = active.m.signature.as_deref() else {
        return Declined("no signature");
    };
    let Some(bytes) = claim_bytes(active) else {
        return Declined("claim bytes");
    };
    let s = match verify_signature(cose, &bytes, fast, true) {
        Ok(s) => s,
        Err(why) => return Declined(why),
    };
    log_claim(&mut log, active, &s, None);
    // the SDK's failure order: a certificate-profile failure while it verifies the signature,
    // then a signature that does not verify (`verify_internal`), then the hard binding's
    let mismatch =
        (!s.valid).then_some(("claimSignature.mismatch", "claim signature is not valid"));
    let mut failures: Vec<Status> = s
        .profile_failure
        .iter()
        .map(|(code, explanation)| (code.as_str(), explanation.as_str()))
        .chain(mismatch)
        .map(|(code, explanation)| {
            status(
                code,
                signature_uri(&active_label),
                explanation.to_string(),
                "active",
            )
        })
        .collect();
    signed.push((active_label.clone(), s));

    // every other manifest of the provenance is an ingredient's, and each must be reached
    // (checked below): their signatures, verified up front
    let items: Vec<ingredient_sigs::Item<'_>> = checked
        .iter()
        .filter(|c| c.m.label != active_label)
        .filter_map(|c| {
            Some((
                c.m.label.as_str(),
                c.m.signature.as_deref()?,
                claim_bytes(c)?,
            ))
        })
        .collect();
    let ingredient_signatures = ingredient_sigs::verify_all(&items, fast, parallel);
    // what the store's ingredient assertions recorded, which the SDK does not report again
    let recorded = recorded::recorded_statuses(checked.iter().map(|c| c.m));

    // ingredients, depth first, as the SDK's ingredient checks walk them
    let mut visited: HashSet<String> = HashSet::from([active_label.clone()]);
    let mut stack: Vec<(String, usize, usize)> = vec![(active_label.clone(), 0, 0)];
    while let Some((label, next, depth)) = stack.pop() {
        let Some(c) = find(&label) else {
            return Declined("ingredient manifest");
        };
        let Some(ing) = c.walk.get(next).and_then(|&i| c.ingredients.get(i)) else {
            continue;
        };
        stack.push((label.clone(), next + 1, depth));
        let uri = assertion_uri(&label, &ing.label);
        let Some((child, url, hash)) = &ing.manifest else {
            if ing.facts.relationship != "inputTo" {
                log.push(Logged {
                    code: "ingredient.unknownProvenance".into(),
                    url: uri.clone(),
                    explanation: format!(
                        "{}: ingredient does not have provenance",
                        ing.facts.title.as_deref().unwrap_or("no title")
                    ),
                    informational: true,
                    ingredient: Some(uri),
                });
            }
            continue;
        };
        if depth + 1 >= MAX_DEPTH {
            return Declined("ingredient depth");
        }
        let Some(target) = find(child) else {
            return Declined("ingredient manifest missing");
        };
        // C2PA 1.3+: the hash of the ingredient's manifest box as it is in the store (with the
        // ingredient claim's algorithm, as the SDK computes it); before 1.3: the hash of the
        // ingredient's claim, with the reference's algorithm (the SDK then logs no success)
        let box_bytes = target
            .m
            .box_range
            .clone()
            .and_then(|r| located.store.get(r));
        let box_hash = box_bytes.and_then(|b| jumbf::digest(&target.m.alg, &[b]));
        if box_hash.as_deref() == Some(hash.as_slice()) {
            log.push(Logged {
                code: "ingredient.manifest.validated".into(),
                url: url.clone(),
                explanation: "ingredient hash matched".into(),
                informational: false,
                ingredient: Some(uri.clone()),
            });
        } else {
            let alg = ing.alg.as_deref().unwrap_or(&target.m.alg);
            let legacy = claim_bytes(target).and_then(|b| jumbf::digest(alg, &[&b]));
            if legacy.as_deref() != Some(hash.as_slice()) {
                return Declined("ingredient manifest hash");
            }
        }
        // verified up front; not there: the active manifest named as an ingredient, or a
        // manifest without a signature or claim
        let here;
        let verified = match ingredient_signatures.get(child.as_str()) {
            Some(v) => v,
            None => {
                let (Some(cose), Some(bytes)) =
                    (target.m.signature.as_deref(), claim_bytes(target))
                else {
                    return Declined("ingredient signature");
                };
                here = verify_signature(cose, &bytes, fast, false);
                &here
            }
        };
        // An ingredient claim signature that does not verify is the SDK's
        // `claimSignature.mismatch` (`verify_internal`, logged in the ingredient's scope) and
        // the rest of that claim is still checked; the SDK's results drop the failure when an
        // ingredient assertion recorded it (code, URL, kind: `ValidationResults::from_store`),
        // as the manifest that took the ingredient in did. That case is judged here (nothing
        // to report); a failure that would be reported goes to the SDK.
        let s = match verified {
            Ok(s) if s.valid => s,
            Ok(s)
                if s.profile_failure.is_none()
                    && child != &active_label
                    && recorded.contains(&(
                        crate::codes::c2pa::CLAIM_SIGNATURE_MISMATCH.to_string(),
                        signature_uri(child),
                        Kind::Failure,
                    )) =>
            {
                s
            }
            Ok(_) => return Declined("ingredient signature mismatch"),
            Err(why) => return Declined(why),
        };
        log_claim(&mut log, target, s, Some(&uri));
        if !signed.iter().any(|(l, _)| l == child) {
            signed.push((child.clone(), s.clone()));
        }
        if visited.insert(child.clone()) {
            stack.push((child.clone(), 0, depth + 1));
        }
    }
    if checked.iter().any(|c| !visited.contains(&c.m.label)) {
        return Declined("a manifest no ingredient reaches");
    }
    // certificate-status assertions, read before any claim is verified (so logged first)
    match certificate_status_log(&checked, &signed) {
        Ok(entries) => {
            log.splice(0..0, entries);
        }
        Err(why) => return Declined(why),
    }

    // the hard binding of the active manifest: a local data hash or a box hash, recomputed; a
    // BMFF hash (the one binding taken for a BMFF file, and only there) checked by the SDK
    let (label, recomputed) = match &active.binding {
        Some(Binding::Bmff(l)) if format.is_bmff() => (
            l,
            bmff_hash_check(data, active, l, located).ok_or("BMFF hash"),
        ),
        _ if format.is_bmff() => return Declined("binding kind"),
        Some(Binding::Data(l)) => (l, data_hash_check(data, active, l).ok_or("data hash")),
        Some(Binding::Boxes(l)) => (
            l,
            box_hash_check(data, format, active, l, located).ok_or("box hash"),
        ),
        Some(Binding::Bmff(_)) | None => return Declined("binding kind"),
    };
    let recomputed = match recomputed {
        Ok(r) => r,
        Err(why) => return Declined(why),
    };
    let url = assertion_uri(&active_label, label);
    if matches!(active.binding, Some(Binding::Data(_))) && active.m.data_hash_exclusions.len() > 1 {
        // the SDK's claim.rs logs more than one exclusion, before it hashes
        log.push(Logged {
            code: crate::codes::c2pa::DATA_HASH_ADDITIONAL_EXCLUSIONS.into(),
            url: url.clone(),
            explanation: "extra data hash exclusions found".into(),
            informational: true,
            ingredient: None,
        });
    }
    let failure = if recomputed.failed {
        Some(status(
            recomputed.code,
            url,
            recomputed.explanation,
            "active",
        ))
    } else {
        log.push(Logged {
            code: recomputed.code.into(),
            url,
            explanation: recomputed.explanation,
            informational: false,
            ingredient: None,
        });
        None
    };

    // statuses an ingredient assertion already recorded are not repeated (the SDK's filter)
    log.retain(|l| {
        let kind = if l.informational {
            Kind::Informational
        } else {
            Kind::Success
        };
        l.ingredient.is_none()
            || manifest_of_uri(&l.url).as_deref() == Some(active_label.as_str())
            || !recorded.contains(&(l.code.clone(), l.url.clone(), kind))
    });

    // the statuses in the SDK's order: the active manifest's, then each ingredient delta
    let mut validation = Validation::default();
    let mut scopes: Vec<Option<&str>> = vec![None];
    for l in &log {
        if !scopes.contains(&l.ingredient.as_deref()) {
            scopes.push(l.ingredient.as_deref());
        }
    }
    for scope in scopes {
        for l in log.iter().filter(|l| l.ingredient.as_deref() == scope) {
            let st = status(
                &l.code,
                l.url.clone(),
                l.explanation.clone(),
                scope.unwrap_or("active"),
            );
            if l.informational {
                validation.informational.push(st);
            } else {
                validation.success.push(st);
            }
        }
    }

    failures.extend(failure);
    validation.failure = failures;
    let mut store = StoreFacts {
        active: active_label.clone(),
        validation,
        timestamp_validated: signed.first().is_some_and(|(_, s)| s.time.is_some()),
        ..Default::default()
    };
    for c in &checked {
        let Some((_, s)) = signed.iter().find(|(l, _)| l == &c.m.label) else {
            return Declined("unverified manifest");
        };
        store
            .manifests
            .insert(c.m.label.clone(), manifest_facts(c, s));
    }
    Outcome::Verified(Box::new(store))
}

/// What the SDK logs for the store's certificate-status assertions ([`ocsp`]): one
/// `signingCredential.ocsp.notRevoked` success (in the active manifest's results, whichever
/// manifest holds the assertion) per response that says the claim's signing certificate was
/// good. The SDK reads the claims in a hash map's order, so more than one manifest with such an
/// assertion declines.
fn certificate_status_log(
    checked: &[Checked],
    signed: &[(String, Signed)],
) -> Result<Vec<Logged>, &'static str> {
    let mut holders = checked
        .iter()
        .filter_map(|c| Some((c.m.label.as_str(), c.certificate_status?)));
    let Some((label, cbor)) = holders.next() else {
        return Ok(Vec::new());
    };
    if holders.next().is_some() {
        return Err("several manifests with certificate status");
    }
    let (_, s) = signed
        .iter()
        .find(|(l, _)| l == label)
        .ok_or("unverified manifest")?;
    let n = ocsp::not_revoked_count(cbor, &s.chain, chrono::Utc::now().timestamp())?;
    Ok((0..n)
        .map(|_| Logged {
            code: c2pa::validation_status::SIGNING_CREDENTIAL_NOT_REVOKED.into(),
            url: "OCSP_RESPONSE".into(),
            explanation: "certificate not revoked".into(),
            informational: false,
            ingredient: None,
        })
        .collect())
}

/// What the SDK logs for one verified claim: time-stamp (and profile) results, the claim
/// signature, and every hashed URI of its assertion list.
fn log_claim(log: &mut Vec<Logged>, c: &Checked, s: &Signed, ingredient: Option<&str>) {
    let sig_uri = signature_uri(&c.m.label);
    for e in &s.log {
        log.push(Logged {
            code: e.code.clone(),
            url: sig_uri.clone(),
            explanation: e.explanation.clone(),
            informational: e.informational,
            ingredient: ingredient.map(str::to_string),
        });
    }
    let mut push = |code: &str, url: String, explanation: String| {
        log.push(Logged {
            code: code.to_string(),
            url,
            explanation,
            informational: false,
            ingredient: ingredient.map(str::to_string),
        })
    };
    // a signature that does not verify is a failure the caller records instead
    if s.valid {
        push(
            "claimSignature.insideValidity",
            sig_uri.clone(),
            "claim signature valid".into(),
        );
        push(
            "claimSignature.validated",
            sig_uri.clone(),
            "claim signature valid".into(),
        );
    }
    for (url, explanation) in &c.hashed {
        push(
            "assertion.hashedURI.match",
            url.clone(),
            explanation.clone(),
        );
    }
}

/// A recomputed hard binding as the SDK logs it: its status code and explanation, and whether
/// the status is a failure (a hash that does not match).
struct Recomputed {
    code: &'static str,
    explanation: String,
    failed: bool,
}

/// The box hash of `c` (assertion `label`) recomputed over the file, as the SDK walks it;
/// `None` to decline ([`boxhash::check`]).
fn box_hash_check(
    data: &[u8],
    format: Format,
    c: &Checked,
    label: &str,
    l: &Located,
) -> Option<Recomputed> {
    let (_, v) = c.m.assertion_values.iter().find(|(al, _)| al == label)?;
    let matched = boxhash::check(data, format, v, &c.m.alg, &l.carriers)?;
    Some(if matched {
        Recomputed {
            code: "assertion.boxesHash.match",
            explanation: "boxes hash valid".into(),
            failed: false,
        }
    } else {
        // the SDK's claim.rs: `asset hash error: {e}` with its box_hash.rs
        // `Error::HashMismatch("Hashes do not match")`
        Recomputed {
            code: "assertion.boxesHash.mismatch",
            explanation: "asset hash error: hash verification( Hashes do not match )".into(),
            failed: true,
        }
    })
}

/// The BMFF hash of `c` (assertion `label`) verified over the file by the SDK's own check;
/// `None` to decline ([`bmff::check`]).
fn bmff_hash_check(data: &[u8], c: &Checked, label: &str, l: &Located) -> Option<Recomputed> {
    let (_, range) = c.m.assertion_ranges.iter().find(|(al, _)| al == label)?;
    bmff::check(data, label, l.store.get(range.clone())?, &c.m.alg)?;
    // the SDK's claim.rs on success
    Some(Recomputed {
        code: "assertion.bmffHash.match",
        explanation: "BMFF hash valid".into(),
        failed: false,
    })
}

/// The data hash of `c` (assertion `label`) recomputed over the file; `None` (decline) for
/// anything the SDK might read or hash differently: a remote URL, exclusions out of order,
/// overlapping or outside the file, a `name`, `alg`, `hash`, `pad` or `pad2` of another CBOR
/// type, an algorithm `jumbf::digest` does not know. Several exclusions are hashed around as
/// the SDK does (it sorts them by start; here they must already be in order and apart).
fn data_hash_check(data: &[u8], c: &Checked, label: &str) -> Option<Recomputed> {
    let dh =
        c.m.assertion_values
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, v)| v)?;
    if map_get(dh, "url").is_some() {
        return None;
    }
    // required and optional byte strings of the SDK's `DataHash`
    if !matches!(map_get(dh, "pad"), Some(Value::Bytes(_)))
        || !matches!(
            map_get(dh, "pad2"),
            None | Some(Value::Null | Value::Bytes(_))
        )
    {
        return None;
    }
    // the exclusions as the raw parse read them, provided it read every entry the assertion
    // lists (it drops one that is not a map with unsigned `start` and `length`, which the SDK's
    // `DataHash` would refuse); the manifest has this one hard binding (`check_manifest`)
    let exclusions = &c.m.data_hash_exclusions;
    let listed = match map_get(dh, "exclusions") {
        None | Some(Value::Null) => 0,
        Some(Value::Array(list)) => list.len(),
        Some(_) => return None,
    };
    if listed != exclusions.len() {
        return None;
    }
    let name = match map_get(dh, "name") {
        None | Some(Value::Null) => "unnamed",
        Some(Value::Text(t)) => t.as_str(),
        Some(_) => return None,
    };
    let alg = match map_get(dh, "alg") {
        None | Some(Value::Null) => c.m.alg.as_str(),
        Some(Value::Text(t)) => t.as_str(),
        Some(_) => return None,
    };
    let Some(Value::Bytes(expected)) = map_get(dh, "hash") else {
        return None;
    };
    let len = data.len() as u64;
    let mut ranges = Vec::new();
    let mut at = 0u64;
    for &(start, length) in exclusions {
        let end = start.checked_add(length)?;
        if start < at || end > len {
            return None;
        }
        ranges.push(at..start);
        at = end;
    }
    ranges.push(at..len);
    let slices: Vec<&[u8]> = ranges
        .into_iter()
        .filter_map(|r| data.get(r.start as usize..r.end as usize))
        .collect();
    let digest = jumbf::digest(alg, &slices)?;
    Some(if digest == *expected {
        Recomputed {
            code: "assertion.dataHash.match",
            explanation: "data hash valid".into(),
            failed: false,
        }
    } else {
        // the SDK's claim.rs: `asset hash error, name: {name}, error: {e}` (name: the
        // assertion's, "unnamed" without one) with `Error::HashMismatch("Hashes do not match")`
        Recomputed {
            code: "assertion.dataHash.mismatch",
            explanation: format!(
                "asset hash error, name: {name}, error: hash verification( Hashes do not match )"
            ),
            failed: true,
        }
    })
}

/// The per-manifest gates: a v1 claim of the plain shape, its assertion list matched by hash,
/// nothing undeclared, plain actions and ingredients.
fn check_manifest<'a>(
    m: &'a jumbf::RawManifest,
    labels: &HashSet<&str>,
    store: &'a [u8],
) -> Result<Checked<'a>, &'static str> {
    if m.box_type != Some(STANDARD_MANIFEST) {
        return Err("not a standard manifest");
    }
    let label = m.label.as_str();
    // The SDK finds its active claim again through a JUMBF URI built from the label
    // (`self#jumbf=/c2pa/LABEL/c2pa.claim`, read back by splitting at '=' and '/'): a label with
    // either character does not survive that round trip, and the SDK then finds no manifest.
    if label.is_empty() || label.contains(['=', '/']) {
        return Err("manifest label characters");
    }
    let claim = m.claim.as_ref().ok_or("no claim")?;
    // the claim box's label and the claim's fields must agree on the version (the SDK reads the
    // version from the fields and accepts some mixtures; those go to it)
    let version = match m.claim_label.as_deref() {
        Some("c2pa.claim") => 1,
        Some("c2pa.claim.v2") => 2,
        _ => return Err("claim label"),
    };
    if version == 1 {
        check_v1_claim(claim)?;
    } else {
        v2::check_claim(claim, label)?;
    }
    let sig_url = get_text(claim, "signature").unwrap_or_default();
    if jumbf::resolve_uri(sig_url, label, labels) != Some(Target::Signature(label.to_string()))
        || manifest_of_uri(sig_url).is_some_and(|l| l != label)
    {
        return Err("signature reference");
    }
    let cgi = match map_get(claim, "claim_generator_info") {
        None | Some(Value::Null) if version == 1 => &[][..],
        Some(Value::Array(list)) if version == 1 => list.as_slice(),
        Some(one @ Value::Map(_)) if version == 2 => std::slice::from_ref(one),
        _ => return Err("claim_generator_info shape"),
    };
    if !cgi.iter().all(cbor::generator_info_decodes) {
        return Err("claim_generator_info entry");
    }
    // the assertion list: v1 `assertions`; v2 the created, then the gathered ones (the SDK
    // merges them in this order)
    let mut list: Vec<&Value> = Vec::new();
    let lists: &[&str] = if version == 1 {
        &["assertions"]
    } else {
        &["created_assertions", "gathered_assertions"]
    };
    for key in lists {
        match map_get(claim, key) {
            Some(Value::Array(l)) => list.extend(l),
            None if version == 2 && *key == "gathered_assertions" => {}
            _ => return Err("no assertion list"),
        }
    }
    // the claim-list entries the structural reader matched against their boxes
    let hash_matched: HashSet<&str> = m.list_matched.iter().map(String::as_str).collect();
    let mut hashed = Vec::new();
    let mut listed: Vec<String> = Vec::new();
    for entry in &list {
        let url = get_text(entry, "url").ok_or("assertion list entry")?;
        let Some(Target::Assertion {
            manifest,
            label: al,
        }) = jumbf::resolve_uri(url, label, labels)
        else {
            return Err("assertion reference");
        };
        if manifest != label
            || declined_assertion(&al)
            // the SDK decodes a metadata assertion into its own type (`Metadata`: an
            // `@context` map, JSON or CBOR, a version check), and one that does not decode
            // fails the manifest; v2 claims add label rules
            || base_label(&al).ends_with(".metadata")
            || manifest_of_uri(url).is_some_and(|l| l != label)
        {
            return Err("assertion kind");
        }
        if !hash_matched.contains(url) {
            return Err("assertion hash");
        }
        // what the SDK's loader and manifest builder make of the assertion's bytes
        if !cbor::sdk_loads(m, &al, store) {
            return Err("assertion not decodable");
        }
        hashed.push((absolute(label, url), format!("hashed uri matched: {url}")));
        listed.push(al);
    }
    // generator icons, each naming one listed assertion by its hash (the list of hashes built
    // only for a claim with an icon)
    let generator_icons: Vec<&Value> = cgi.iter().filter_map(|g| map_get(g, "icon")).collect();
    if !generator_icons.is_empty() {
        let listed_hashes: Vec<(&str, &[u8])> = listed
            .iter()
            .zip(&list)
            .filter_map(|(l, e)| match map_get(e, "hash") {
                Some(Value::Bytes(h)) => Some((l.as_str(), h.as_slice())),
                _ => None,
            })
            .collect();
        if generator_icons
            .iter()
            .any(|icon| !icons::resolves(icon, &listed_hashes))
        {
            return Err("claim generator icon");
        }
    }
    let listed_set: HashSet<&str> = listed.iter().map(String::as_str).collect();
    if listed_set.len() != listed.len() {
        return Err("assertion listed twice");
    }
    if m.assertion_ranges
        .iter()
        .any(|(l, _)| !listed_set.contains(l.as_str()))
    {
        return Err("undeclared assertion");
    }
    let value_of = |l: &str| {
        m.assertion_values
            .iter()
            .find(|(al, _)| al == l)
            .map(|(_, v)| v)
    };
    let mut actions = Vec::new();
    let mut action_assertions = Vec::new();
    let mut ingredients: Vec<Ing> = Vec::new();
    let mut parents = 0;
    let mut certificate_status = None;
    for al in &listed {
        match base_label(al) {
            "c2pa.certificate-status" => {
                if certificate_status.is_some() {
                    return Err("several certificate-status assertions");
                }
                certificate_status =
                    Some(cbor::assertion_cbor(m, al, store).ok_or("certificate status not CBOR")?);
            }
            "c2pa.actions" | "c2pa.actions.v2" => {
                let v = value_of(al).ok_or("actions not CBOR")?;
                // the SDK decodes every actions assertion into its `Actions` (building the
                // manifest, and for a v2 claim's action rules), and one that does not decode
                // fails the manifest: its own decoder and type, on the same bytes
                let raw = cbor::assertion_cbor(m, al, store).ok_or("actions not CBOR")?;
                let decoded: Actions =
                    c2pa_cbor::from_slice(raw).map_err(|_| "actions decoding")?;
                actions.extend(read_actions(v, label).ok_or("actions shape")?);
                action_assertions.push((v, decoded));
            }
            "c2pa.ingredient" | "c2pa.ingredient.v2" | "c2pa.ingredient.v3" => {
                let v = value_of(al).ok_or("ingredient not CBOR")?;
                let ing = read_ingredient(v, al).ok_or("ingredient shape")?;
                if ing.facts.relationship == "parentOf" {
                    parents += 1;
                }
                ingredients.push(ing);
            }
            _ => {}
        }
    }
    if action_assertions.len() > 1 {
        return Err("several actions assertions");
    }
    if version == 2 {
        let [(v, decoded)] = action_assertions.as_slice() else {
            return Err("no actions assertion");
        };
        let refs: Vec<(&str, &str)> = ingredients
            .iter()
            .map(|i: &Ing| (i.label.as_str(), i.facts.relationship.as_str()))
            .collect();
        v2::check_actions(v, decoded, &refs)?;
    }
    if parents > 1 {
        return Err("several parents");
    }
    // the SDK checks a claim's ingredients in the assertion store's order (its
    // `ingredient_assertions`) and reports them in the claim's list order; Google's
    // multi-ingredient PNGs list them in another order than they store them
    let mut walk: Vec<usize> = (0..ingredients.len()).collect();
    walk.sort_by_key(|&i| {
        m.assertion_ranges
            .iter()
            .position(|(l, _)| ingredients.get(i).is_some_and(|g| *l == g.label))
    });
    // the SDK's hard bindings (its `Claim::hash_assertions`): a multi-asset hash is not one of
    // them (c2pa 0.90.22 verifies a multi-asset file's whole-file data hash, and
    // `read::binding` judges the parts)
    let bindings: Vec<&String> = m
        .hard_bindings
        .iter()
        .filter(|l| base_label(l) != "c2pa.hash.multi-asset")
        .collect();
    if bindings.len() > 1 {
        return Err("several hard bindings");
    }
    let binding = match bindings.first().copied() {
        Some(l) if base_label(l) == "c2pa.hash.data" => Some(Binding::Data(l.clone())),
        Some(l) if base_label(l) == "c2pa.hash.boxes" => Some(Binding::Boxes(l.clone())),
        // any version here (an ingredient's manifest may carry a v1 BMFF hash, which nothing
        // checks there); the active manifest's must be one the SDK verifies (`bmff::check`)
        Some(l)
            if matches!(
                base_label(l),
                "c2pa.hash.bmff" | "c2pa.hash.bmff.v2" | "c2pa.hash.bmff.v3"
            ) =>
        {
            Some(Binding::Bmff(l.clone()))
        }
        Some(_) => return Err("binding kind"),
        None => None,
    };
    Ok(Checked {
        m,
        claim,
        version,
        cgi,
        hashed,
        actions,
        ingredients,
        walk,
        binding,
        certificate_status,
    })
}

fn manifest_facts(c: &Checked, s: &Signed) -> ManifestFacts {
    let claim = c.claim;
    ManifestFacts {
        label: c.m.label.clone(),
        claim_generator: get_text(claim, "claim_generator").map(|s| bounded(s, MAX_CLAIM_FIELD)),
        claim_generator_info: c
            .cgi
            .iter()
            .take(16)
            .map(|g| GeneratorInfo {
                name: bounded(get_text(g, "name").unwrap_or_default(), MAX_CLAIM_FIELD),
                version: get_text(g, "version").map(|v| bounded(v, MAX_FIELD)),
            })
            .collect(),
        title: get_text(claim, "dc:title").map(|s| bounded(s, MAX_FIELD)),
        format: get_text(claim, "dc:format").map(|s| bounded(s, MAX_FIELD)),
        instance_id: bounded(get_text(claim, "instanceID").unwrap_or_default(), MAX_FIELD),
        claim_version: Some(c.version),
        algorithm: Some(s.alg.to_string()),
        signing_time: s.time.clone(),
        chain: s.chain.clone(),
        // the one token the signature check verified: its signer is known when provcheck's
        // own verifier said yes
        tsa_chain: s
            .token
            .as_deref()
            .map(|t| match &s.tsa_signer {
                Some(signer) => tsa_chain_with_signer(t, Some(signer.clone())),
                None => tsa_chain(t),
            })
            .unwrap_or_default(),
        actions: c.actions.clone(),
        ingredients: c.ingredients.iter().map(|i| i.facts.clone()).collect(),
        content_hash: c.m.content_hash.as_deref().map(hex::encode),
        has_timestamp_header: s.has_timestamp_header,
        timestamp_tokens: usize::from(s.token.is_some()),
    }
}
