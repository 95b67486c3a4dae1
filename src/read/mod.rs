//! Reading a manifest: guard the input, run the c2pa Reader once, and turn what it found into
//! plain facts (`StoreFacts`) that the trust, attribution and verdict stages consume.
//!
//! Everything under read/ handles attacker-controlled bytes: no indexing or slicing that could
//! panic (`get` and checked offsets instead), enforced for the whole folder by the lint below.
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

pub mod binding;
pub mod container;
pub mod cose;
pub mod facts;
pub mod fast;
pub mod file;
pub mod jumbf;
pub mod locate;
pub mod metadata;
mod pdf;
pub mod sniff;
pub mod tiff_guard;
pub(crate) mod unreferenced;
pub mod uri;

use std::collections::HashMap;
use std::io::Cursor;
use std::sync::Arc;

use c2pa::{Context, Reader};
use serde_json::Value;

use crate::report::{bounded, ActionInfo, GeneratorInfo, Status, Validation};
pub use cose::tsa_chain;
pub(crate) use facts::MAX_ITEMS;
pub use facts::{
    iptc_term, Engine, IngredientFacts, ManifestFacts, StoreFacts, MAX_CLAIM_FIELD, MAX_FIELD,
};
pub use sniff::Format;

/// The outcome of reading one file.
#[derive(Debug)]
pub enum ReadOutcome {
    Manifest(Box<StoreFacts>),
    /// No embedded manifest; `remote` is a remote-manifest URL when the file references one.
    NoManifest {
        remote: Option<String>,
    },
    /// Could not be read: (provcheck or c2pa code, explanation).
    Failed {
        code: String,
        explanation: String,
    },
}

/// The two c2pa contexts a read may use: the normal one, and one that does not decode CAWG
/// identity assertions, used only to recover the manifest's fields when an undecodable identity
/// assertion made the SDK drop the whole manifest from its report ("Failed to load manifest").
pub struct Contexts {
    pub full: Arc<Context>,
    pub without_identity: Arc<Context>,
}

/// The validation paths a read may take: provcheck's own ([`fast`]) when the settings allow it,
/// and the SDK's, whose contexts are built only when a file reaches it (`sdk`).
pub struct Paths<'a> {
    pub fast: Option<&'a fast::FastPath>,
    /// Run both paths and report a difference (`--cross-check`).
    pub cross_check: bool,
    pub sdk: &'a dyn Fn() -> &'a Contexts,
    /// The caller has a core to spare (it verifies one file): the own path may use a second
    /// thread for a store's many ingredient manifests.
    pub parallel: bool,
}

/// Read the manifest store of bytes already in memory (read once, hashed once by the caller):
/// provcheck's own structural reading first (limits are enforced before the SDK parses
/// anything), then provcheck's own validation path or the c2pa Reader once.
pub fn read_manifest(data: &[u8], format: Format, paths: &Paths) -> ReadOutcome {
    if matches!(format, Format::Tiff | Format::Dng) {
        if let Err(e) = tiff_guard::check_tiff(data) {
            return ReadOutcome::Failed {
                code: crate::codes::ASSET_HOSTILE.into(),
                explanation: format!("refused before parsing: {e}"),
            };
        }
    }
    let located = match locate::locate(data, format) {
        Ok(l) => l,
        Err(locate::LocateError::TooManySegments(n)) => {
            return ReadOutcome::Failed {
                code: crate::codes::LIMIT_SEGMENTS.into(),
                explanation: format!(
                    "the manifest store is split over more than {} JPEG APP11 segments ({n} seen): refused, not assembled",
                    locate::MAX_APP11_SEGMENTS
                ),
            }
        }
        Err(locate::LocateError::MultipleStores) => {
            return ReadOutcome::Failed {
                code: crate::codes::MANIFEST_MALFORMED.into(),
                explanation: "more than one C2PA manifest store in the file".into(),
            }
        }
    };
    // A PDF is asked the SDK's questions with one parse (`pdf`) when the own path is on; the
    // SDK-only and cross-check modes keep the SDK's reading, so the tests compare the two.
    let pdf = match (format, &located, paths.fast) {
        (Format::Pdf, None, Some(_)) if !paths.cross_check && data.starts_with(b"%PDF") => {
            pdf::read(data)
        }
        _ => None,
    };
    // the store when `located` does not hold it, as the SDK's locator or the PDF reader found it
    // (no map into the file): kept for a claim signature the SDK fails wrongly
    // (`reverify_signatures_without_organisation`), and the store the own path reads for a BMFF
    // file (whose container the SDK's own reader walks: `fast::bmff`)
    let mut loose: Option<locate::Located> = None;
    let raw = match (&located, pdf) {
        (Some(l), _) => jumbf::parse_store(&l.store),
        (None, Some(pdf::PdfStore::Manifest(store))) => {
            let raw = jumbf::parse_store(&store);
            loose = Some(locate::Located {
                store,
                ..Default::default()
            });
            raw
        }
        // what the SDK's `Store::load_jumbf_from_stream` returns without an embedded store
        (None, Some(pdf::PdfStore::None { provenance })) => {
            let e = match provenance {
                Some(url) if pdf::is_remote_url(&url) => c2pa::Error::RemoteManifestUrl(url),
                _ => c2pa::Error::JumbfNotFound,
            };
            return no_store(outcome_from_error(e), &jumbf::Store::default(), data);
        }
        (None, None) => match c2pa::jumbf_io::load_jumbf_from_memory(format.mime(), data) {
            Ok(store) => {
                let raw = jumbf::parse_store(&store);
                loose = Some(locate::Located {
                    store,
                    ..Default::default()
                });
                raw
            }
            Err(_) => jumbf::Store::default(),
        },
    };
    if let Some(p) = raw
        .problems
        .iter()
        .find(|p| p.code.starts_with(crate::codes::LIMIT_PREFIX))
    {
        return ReadOutcome::Failed {
            code: p.code.into(),
            explanation: format!("refused before the SDK parses it: {}", p.explanation),
        };
    }
    if let Some(fp) = paths.fast {
        let store = located
            .as_ref()
            .or(loose.as_ref().filter(|_| format.is_bmff()));
        match fast::validate(data, format, &raw, store, fp, paths.parallel) {
            fast::Outcome::Verified(mut facts) => {
                if paths.cross_check {
                    let sdk = (paths.sdk)();
                    let loose = loose.as_ref().map(|l| l.store.as_slice());
                    return cross_check(data, format, sdk, raw, located, loose, *facts);
                }
                facts.validated_by = Engine::Provcheck;
                finish(&mut facts, data, format, raw, located);
                return ReadOutcome::Manifest(facts);
            }
            // why the SDK judges this file, for an embedder's tracing subscriber
            fast::Outcome::Declined(reason) => {
                tracing::debug!(reason, "provcheck's own validation path declined the store")
            }
        }
    }
    sdk_read(
        data,
        format,
        (paths.sdk)(),
        raw,
        located,
        loose.as_ref().map(|l| l.store.as_slice()),
    )
}

/// Read and validate with the c2pa SDK's `Reader` (everything the fast path declines).
fn sdk_read(
    data: &[u8],
    format: Format,
    contexts: &Contexts,
    raw: jumbf::Store,
    located: Option<locate::Located>,
    loose_store: Option<&[u8]>,
) -> ReadOutcome {
    let context = &contexts.full;
    // The store the SDK reads: the file's own; or, when it cannot read that and the store holds
    // manifests nothing references (one added after signing can stop it: it loads every
    // manifest), the same store without them, validated against the same bytes.
    let store_bytes = located.as_ref().map(|l| l.store.as_slice()).or(loose_store);
    let mut reduced: Option<Vec<u8>> = None;
    let read = |context: &Arc<Context>, reduced: Option<&[u8]>| match reduced {
        None => Reader::from_shared_context(context).with_stream(format.mime(), Cursor::new(data)),
        Some(store) => Reader::from_shared_context(context).with_manifest_data_and_stream(
            store,
            format.mime(),
            Cursor::new(data),
        ),
    };
    let reader = match read(context, None) {
        Ok(r) => r,
        Err(e) => {
            let outside = unreferenced::outside_raw(&raw);
            let retried = store_bytes
                .filter(|_| !outside.is_empty())
                .and_then(|s| unreferenced::without(s, &outside))
                .and_then(|s| read(context, Some(&s)).ok().map(|r| (r, s)));
            if let Some((r, s)) = retried {
                reduced = Some(s);
                r
            } else {
                return match outcome_from_error(e) {
                    none @ ReadOutcome::NoManifest { .. } => no_store(none, &raw, data),
                    failed @ ReadOutcome::Failed { .. }
                        if format == Format::Pdf
                            && raw.manifests.is_empty()
                            && !jumbf::contains_c2pa_jumbf(data) =>
                    {
                        pdf_without_trailing_bytes(data, context).unwrap_or(failed)
                    }
                    ReadOutcome::Failed { code, explanation } => ReadOutcome::Failed {
                        explanation: unreferenced::explain_failed_read(explanation, &outside),
                        code,
                    },
                    other => other,
                };
            }
        }
    };
    let Some(active) = reader.active_label().map(str::to_string) else {
        return ReadOutcome::Failed {
            code: "claim.missing".into(),
            explanation: "the manifest store has no active manifest".into(),
        };
    };
    let mut facts = StoreFacts {
        active,
        ..Default::default()
    };
    collect_validation(&reader, &mut facts);
    for m in reader.iter_manifests().take(MAX_ITEMS) {
        let mf = manifest_facts(m, raw.get(m.label().unwrap_or_default()));
        facts.manifests.insert(mf.label.clone(), mf);
    }
    if !facts.manifests.contains_key(&facts.active) {
        // The SDK validated the store but could not build the active manifest's report (seen
        // with an undecodable CAWG identity assertion). Recover the fields without CAWG
        // decoding; the validation results above stay those of the full read.
        if let Ok(r) = read(&contexts.without_identity, reduced.as_deref()) {
            for m in r.iter_manifests().take(MAX_ITEMS) {
                let label = m.label().unwrap_or_default();
                if !facts.manifests.contains_key(label) {
                    let mf = manifest_facts(m, raw.get(label));
                    facts.manifests.insert(mf.label.clone(), mf);
                }
            }
            facts.recovered_without_identity = true;
        }
    }
    let mut facts = Box::new(facts);
    finish(&mut facts, data, format, raw, located);
    let f = &mut *facts;
    let store = f
        .located
        .as_ref()
        .map(|l| l.store.as_slice())
        .or(loose_store);
    reverify_signatures_without_organisation(&mut f.validation, &mut f.raw, store);
    ReadOutcome::Manifest(facts)
}

/// c2pa 0.90.22 reports `claimSignature.mismatch` for a claim signature it has verified when
/// the signing certificate names no organisation (`fast::holds_without_organisation`). For
/// each such failure of a manifest whose signature provcheck verifies itself over the claim's
/// bytes (`store`: the manifest store the raw parse came from), the failure becomes the two
/// successes the SDK logs for a valid signature, and a note (`CLAIM_SIGNATURE_REVERIFIED`)
/// says what was replaced. Every other status stands: the SDK goes on checking hashes and
/// bindings after a signature failure. The same mismatch recorded by an ingesting signer
/// (whose SDK had the same defect) for such an ingredient manifest is dropped from the
/// recorded failures, with the note: the manifest checked now is the one it took in (the
/// ingredient assertion's hashed URI binds it).
fn reverify_signatures_without_organisation(
    v: &mut Validation,
    raw: &mut jumbf::Store,
    store: Option<&[u8]>,
) {
    let Some(store) = store else {
        return;
    };
    let mismatch = crate::codes::c2pa::CLAIM_SIGNATURE_MISMATCH;
    // the common case, every SDK-judged file: no claim-signature mismatch at all
    if !v.failure.iter().any(|s| s.code == mismatch)
        && !raw.recorded.iter().any(|(code, _)| code == mismatch)
    {
        return;
    }
    // Only where nothing else is odd about the manifest: the structural parse found no problem
    // in it (one claim box, read as the SDK reads it) and the SDK failed nothing else of it but
    // the signature and the credential. Otherwise the file is not intact anyway, and the
    // claim bytes checked here are certain to be the ones the SDK judged.
    let plain: std::collections::HashSet<String> = raw
        .manifests
        .iter()
        .map(|m| m.label.as_str())
        .filter(|l| {
            !raw.problems
                .iter()
                .any(|p| p.manifest.as_deref() == Some(*l))
                && !v.failure.iter().any(|s| {
                    s.manifest.as_deref() == Some(*l)
                        && s.code != mismatch
                        && !crate::codes::c2pa::CREDENTIAL.contains(&s.code.as_str())
                })
        })
        .map(str::to_string)
        .collect();
    let signature_holds = |raw: &jumbf::Store, label: &str| -> bool {
        if !plain.contains(label) {
            return false;
        }
        let Some(m) = raw.get(label) else {
            return false;
        };
        match (m.signature.as_deref(), m.claim_range.clone()) {
            (Some(cose), Some(r)) => store
                .get(r)
                .is_some_and(|claim| fast::holds_without_organisation(cose, claim)),
            _ => false,
        }
    };
    let (reverified, failure): (Vec<Status>, Vec<Status>) =
        std::mem::take(&mut v.failure).into_iter().partition(|s| {
            s.code == mismatch
                && s.manifest
                    .as_deref()
                    .is_some_and(|l| signature_holds(raw, l))
        });
    v.failure = failure;
    for s in reverified {
        for code in ["claimSignature.insideValidity", "claimSignature.validated"] {
            v.success.push(Status {
                code: code.into(),
                explanation: Some("claim signature valid".into()),
                ..s.clone()
            });
        }
        v.informational.push(Status {
            code: crate::codes::CLAIM_SIGNATURE_REVERIFIED.into(),
            explanation: Some(format!(
                "the c2pa SDK reported claimSignature.mismatch for manifest {}, whose signing certificate names no organisation (O); provcheck verified the signature over the claim itself: it holds",
                bounded(s.manifest.as_deref().unwrap_or_default(), 120)
            )),
            ..s
        });
    }
    let recorded: Vec<(String, jumbf::Target)> = raw
        .recorded
        .iter()
        .filter(|(code, t)| code == mismatch && signature_holds(raw, t.manifest()))
        .cloned()
        .collect();
    for entry in recorded {
        let label = entry.1.manifest().to_string();
        raw.recorded.remove(&entry);
        v.informational.push(Status {
            code: crate::codes::CLAIM_SIGNATURE_REVERIFIED.into(),
            url: None,
            explanation: Some(format!(
                "the manifest that took in ingredient manifest {} recorded claimSignature.mismatch for it, whose signing certificate names no organisation (O); provcheck verified the signature over the claim itself: it holds",
                bounded(&label, 120)
            )),
            scope: label.clone(),
            manifest: Some(label),
            full_url: None,
        });
    }
}

/// The SDK found no manifest store: unless the file carries C2PA manifest data after all (a
/// store provcheck parsed, or JUMBF with the C2PA label anywhere), which is then unreadable.
fn no_store(none: ReadOutcome, raw: &jumbf::Store, data: &[u8]) -> ReadOutcome {
    match none {
        ReadOutcome::NoManifest { remote }
            if !raw.manifests.is_empty() || jumbf::contains_c2pa_jumbf(data) =>
        {
            ReadOutcome::Failed {
                code: crate::codes::MANIFEST_UNREADABLE.into(),
                explanation: format!(
                    "the file carries C2PA manifest data, but the c2pa SDK found no manifest store in it{}: it could not be assembled or read",
                    remote.map(|_| " (only a remote reference)").unwrap_or("")
                ),
            }
        }
        other => other,
    }
}

/// What both paths share after validation: statuses assigned to manifests, provcheck's own
/// binding checks and structural findings.
fn finish(
    facts: &mut StoreFacts,
    data: &[u8],
    format: Format,
    raw: jumbf::Store,
    located: Option<locate::Located>,
) {
    assign_manifests(facts);
    facts.unreferenced = unreferenced::unreferenced(
        &facts.active,
        facts
            .manifests
            .keys()
            .map(String::as_str)
            .chain(raw.manifests.iter().map(|m| m.label.as_str())),
        facts
            .manifests
            .values()
            .flat_map(|m| {
                m.ingredients
                    .iter()
                    .filter_map(|i| Some((m.label.as_str(), i.manifest.as_deref()?)))
            })
            .chain(
                raw.ingredient_links
                    .iter()
                    .map(|(from, to)| (from.as_str(), to.as_str())),
            ),
    );
    unreferenced::set_aside(facts, &raw, located.as_ref().map(|l| l.store.as_slice()));
    if let Some(m) = raw.get(&facts.active) {
        facts.binding = binding::check(data, format, m, located.as_ref());
    }
    add_own_findings(facts, &raw);
    facts.raw = raw;
    facts.located = located;
}

/// `--cross-check`: the SDK judges; a difference from provcheck's own path is reported.
fn cross_check(
    data: &[u8],
    format: Format,
    contexts: &Contexts,
    raw: jumbf::Store,
    located: Option<locate::Located>,
    loose_store: Option<&[u8]>,
    mut own: StoreFacts,
) -> ReadOutcome {
    finish(&mut own, data, format, raw.clone(), located.clone());
    let mut outcome = sdk_read(data, format, contexts, raw, located, loose_store);
    let difference = match &outcome {
        ReadOutcome::Manifest(sdk) => fast::difference(&own, sdk),
        _ => Some("the c2pa SDK could not read a store provcheck's own path verified".into()),
    };
    if let (Some(diff), ReadOutcome::Manifest(sdk)) = (difference, &mut outcome) {
        sdk.validation.informational.push(Status {
            code: crate::codes::CROSS_CHECK_DIFFERS.into(),
            url: None,
            explanation: Some(bounded(
                &format!("provcheck's own validation path and the c2pa SDK differ: {diff}"),
                MAX_FIELD,
            )),
            scope: "active".into(),
            manifest: Some(sdk.active.clone()),
            full_url: None,
        });
    }
    outcome
}

/// Say which manifest each SDK status is about: the active manifest for its own results; for an
/// ingredient delta, the manifest of the ingredient assertion named by the delta's URI (resolved
/// exactly against the store's labels, not by a suffix of the URI).
fn assign_manifests(facts: &mut StoreFacts) {
    let labels: std::collections::HashSet<&str> =
        facts.manifests.keys().map(String::as_str).collect();
    let mut child_of: HashMap<(String, String), String> = HashMap::new();
    for m in facts.manifests.values() {
        for ing in &m.ingredients {
            if let (Some(child), Some(al)) = (&ing.manifest, &ing.assertion_label) {
                child_of.insert((m.label.clone(), al.clone()), child.clone());
            }
        }
    }
    let active = facts.active.clone();
    let resolve = |scope: &str| -> Option<String> {
        if scope == "active" {
            return Some(active.clone());
        }
        match jumbf::resolve_uri(scope, &active, &labels) {
            Some(jumbf::Target::Assertion { manifest, label }) => {
                child_of.get(&(manifest, label)).cloned()
            }
            _ => None,
        }
    };
    let v = &mut facts.validation;
    for s in v
        .success
        .iter_mut()
        .chain(v.informational.iter_mut())
        .chain(v.failure.iter_mut())
    {
        let full = s.full_url.take();
        s.manifest = resolve(&s.scope);
        s.full_url = full;
    }
}

/// provcheck's own findings (structure, hashed URIs, hard bindings) become statuses beside the
/// SDK's, one per fact: a finding the SDK already reported with the same code and URL is not
/// repeated.
fn add_own_findings(facts: &mut StoreFacts, raw: &jumbf::Store) {
    let labels: std::collections::HashSet<&str> =
        facts.manifests.keys().map(String::as_str).collect();
    let absolute = |url: &Option<String>, from: Option<&str>| -> Option<String> {
        let u = url.as_deref()?;
        match jumbf::resolve_uri(u, from.unwrap_or(&facts.active), &labels) {
            Some(jumbf::Target::Assertion { manifest, label }) => Some(format!(
                "self#jumbf=/c2pa/{manifest}/c2pa.assertions/{label}"
            )),
            _ => Some(u.to_string()),
        }
    };
    let mut add: Vec<(bool, Status)> = Vec::new();
    for p in raw
        .problems
        .iter()
        .chain(&facts.binding.failures)
        .map(|p| (true, p))
        .chain(facts.binding.notes.iter().map(|p| (false, p)))
    {
        let (failure, p) = p;
        let url = absolute(&p.url, p.manifest.as_deref());
        let manifest = p.manifest.clone().or_else(|| Some(facts.active.clone()));
        let recorded = manifest.as_deref() != Some(facts.active.as_str())
            && p.url.as_deref().is_some_and(|u| {
                jumbf::resolve_uri(u, manifest.as_deref().unwrap_or_default(), &labels)
                    .is_some_and(|t| raw.recorded.contains(&(p.code.to_string(), t)))
            });
        // a problem of a manifest outside the active manifest's provenance is a fact about
        // bytes no statement of this file rests on: informational
        let outside = manifest
            .as_ref()
            .is_some_and(|m| facts.unreferenced.binary_search(m).is_ok());
        let failure = failure && !recorded && !outside;
        let duplicate = facts.validation.failure.iter().any(|s| {
            s.code == p.code
                && s.manifest == manifest
                && (s.full_url.as_deref().or(s.url.as_deref()) == url.as_deref())
        });
        if duplicate {
            continue;
        }
        let scope = match manifest.as_deref() {
            Some(m) if m == facts.active => "active".to_string(),
            Some(m) => bounded(&format!("self#jumbf=/c2pa/{m}"), MAX_FIELD),
            None => "store".into(),
        };
        add.push((
            failure,
            Status {
                code: p.code.to_string(),
                url: url.as_deref().map(|u| bounded(u, MAX_FIELD)),
                explanation: Some(bounded(&p.explanation, MAX_FIELD)),
                scope,
                manifest,
                full_url: url,
            },
        ));
    }
    for (failure, s) in add {
        if failure {
            facts.validation.failure.push(s);
        } else {
            facts.validation.informational.push(s);
        }
    }
}

/// Bytes after a PDF's last `%%EOF` (padding added by mail gateways, upload forms, some
/// writers) are outside the PDF (ISO 32000-2 7.5.5) but make the SDK's PDF parser fail to find
/// the cross-reference table. Whether such a file *has no manifest* must not depend on that
/// strictness: read the file again without the trailing bytes. Only a "no manifest" answer is
/// taken from the shortened copy (`Some(NoManifest)`); if the shortened copy carries a manifest,
/// the original cannot be verified as it is (a signature over the shortened copy does not vouch
/// for the extra bytes), so the read stays a failure that says why.
fn pdf_without_trailing_bytes(data: &[u8], context: &Arc<Context>) -> Option<ReadOutcome> {
    const EOF: &[u8] = b"%%EOF";
    let end = memchr::memmem::rfind(data, EOF)? + EOF.len();
    // the end-of-line marker after %%EOF belongs to the file
    let end = end
        + data
            .get(end..)?
            .iter()
            .take(2)
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
    if end >= data.len() {
        return None;
    }
    let trailing = data.len() - end;
    let shortened = data.get(..end)?;
    match Reader::from_shared_context(context)
        .with_stream(Format::Pdf.mime(), Cursor::new(shortened))
    {
        Err(e) => match outcome_from_error(e) {
            no @ ReadOutcome::NoManifest { .. } => Some(no),
            _ => None,
        },
        Ok(_) => Some(ReadOutcome::Failed {
            code: crate::codes::ASSET_MALFORMED.into(),
            explanation: format!(
                "the PDF has {trailing} byte(s) after its last %%EOF, which the c2pa SDK cannot read; without them it carries a manifest, but that manifest does not vouch for the file as it is"
            ),
        }),
    }
}

fn outcome_from_error(e: c2pa::Error) -> ReadOutcome {
    use c2pa::Error as E;
    let (code, explanation) = match &e {
        E::JumbfNotFound | E::ProvenanceMissing | E::JumbfBoxNotFound => {
            return ReadOutcome::NoManifest { remote: None }
        }
        E::RemoteManifestUrl(url) | E::RemoteManifestFetch(url) => {
            return ReadOutcome::NoManifest {
                remote: Some(bounded(url, MAX_FIELD)),
            }
        }
        E::UnsupportedType => (
            crate::codes::FORMAT_UNSUPPORTED,
            "the c2pa SDK does not support this file type".to_string(),
        ),
        E::UnknownAlgorithm | E::CoseSignatureAlgorithmNotSupported => (
            "algorithm.unsupported",
            format!("the claim signature uses an unsupported algorithm ({e})"),
        ),
        E::PrereleaseError => (
            crate::codes::MANIFEST_PRERELEASE,
            "the manifest was made with a pre-release version of the C2PA specification".into(),
        ),
        E::JumbfParseError(_) | E::InvalidClaim(_) | E::ClaimDecoding(_) | E::CborError(_) => (
            crate::codes::MANIFEST_MALFORMED,
            format!("the manifest store is malformed: {e}"),
        ),
        E::IoError(_) => (
            crate::codes::ASSET_TRUNCATED,
            format!("the file ended or broke while reading the manifest: {e}"),
        ),
        E::TooManyManifestStores => (
            crate::codes::MANIFEST_MALFORMED,
            "more than one manifest store in the file".into(),
        ),
        E::InsufficientMemory => (
            crate::codes::LIMIT_MEMORY,
            "the manifest exceeds the SDK's memory limits".into(),
        ),
        E::InvalidAsset(_)
        | E::BmffError(_)
        | E::GifError(_)
        | E::JpegError(_)
        | E::Mp3Error(_)
        | E::FlacError(_)
        | E::PngError(_)
        | E::RiffError(_)
        | E::SvgError(_)
        | E::TiffError(_) => (
            crate::codes::ASSET_MALFORMED,
            format!("the file's container is malformed: {e}"),
        ),
        _ => (
            "general.error",
            format!("the c2pa SDK could not read the manifest: {e}"),
        ),
    };
    ReadOutcome::Failed {
        code: code.into(),
        explanation: bounded(&explanation, MAX_FIELD),
    }
}

fn status(s: &c2pa::validation_status::ValidationStatus, scope: &str) -> Status {
    Status {
        code: s.code().to_string(),
        url: s.url().map(|u| bounded(u, MAX_FIELD)),
        explanation: s.explanation().map(|e| bounded(e, MAX_FIELD)),
        scope: bounded(scope, MAX_FIELD),
        manifest: None,
        full_url: s.url().map(str::to_string),
    }
}

fn collect_validation(reader: &Reader, facts: &mut StoreFacts) {
    let Some(vr) = reader.validation_results() else {
        return;
    };
    let v = &mut facts.validation;
    if let Some(a) = vr.active_manifest() {
        v.success
            .extend(a.success().iter().map(|s| status(s, "active")));
        v.informational
            .extend(a.informational().iter().map(|s| status(s, "active")));
        v.failure
            .extend(a.failure().iter().map(|s| status(s, "active")));
        facts.timestamp_validated = a
            .success()
            .iter()
            .any(|s| s.code() == "timeStamp.validated");
    }
    for d in vr.ingredient_deltas().into_iter().flatten().take(MAX_ITEMS) {
        let scope = d.ingredient_assertion_uri().to_string();
        let codes = d.validation_deltas();
        v.success
            .extend(codes.success().iter().map(|s| status(s, &scope)));
        v.informational
            .extend(codes.informational().iter().map(|s| status(s, &scope)));
        v.failure
            .extend(codes.failure().iter().map(|s| status(s, &scope)));
    }
}

fn opt(s: Option<&str>) -> Option<String> {
    s.map(|s| bounded(s, MAX_FIELD))
}

fn manifest_facts(m: &c2pa::Manifest, raw: Option<&jumbf::RawManifest>) -> ManifestFacts {
    let label = m.label().unwrap_or_default().to_string();
    let sig = m.signature_info();
    let mut chain = raw
        .and_then(|r| r.signature.as_deref())
        .map(jumbf::x5chain)
        .unwrap_or_default();
    if chain.is_empty() {
        chain = sig.map(|s| pem_certs(s.cert_chain())).unwrap_or_default();
    }
    let tokens = raw
        .and_then(|r| r.signature.as_deref())
        .map(jumbf::timestamp_tokens)
        .unwrap_or_default();
    let tsa_chain = tokens
        .first()
        .map(|token| tsa_chain(token))
        .unwrap_or_default();
    let has_timestamp_header = raw
        .and_then(|r| r.signature.as_deref())
        .is_some_and(jumbf::has_timestamp_header);
    let claim_generator_info = m
        .claim_generator_info
        .iter()
        .flatten()
        .take(16)
        .map(|g| GeneratorInfo {
            name: bounded(&g.name, MAX_CLAIM_FIELD),
            version: opt(g.version.as_deref()),
        })
        .collect();
    let ingredients = m
        .ingredients()
        .iter()
        .take(MAX_ITEMS)
        .map(|i| IngredientFacts {
            title: opt(i.title()),
            relationship: relationship_name(i.relationship()),
            format: opt(i.format()),
            // labels are kept whole: they are matched exactly against the store
            manifest: i.active_manifest().map(str::to_string),
            assertion_label: i.label().map(str::to_string),
        })
        .collect();
    ManifestFacts {
        claim_generator: m.claim_generator().map(|s| bounded(s, MAX_CLAIM_FIELD)),
        claim_generator_info,
        title: opt(m.title()),
        format: opt(m.format()),
        instance_id: bounded(m.instance_id(), MAX_FIELD),
        claim_version: m.claim_version(),
        algorithm: sig.and_then(|s| s.alg).map(|a| a.to_string()),
        signing_time: sig.and_then(|s| s.time.clone()),
        chain,
        tsa_chain,
        actions: actions(m, &label),
        ingredients,
        has_timestamp_header,
        timestamp_tokens: tokens.len(),
        content_hash: raw.and_then(|r| r.content_hash.as_deref()).map(hex::encode),
        label,
    }
}

fn relationship_name(r: &c2pa::Relationship) -> String {
    serde_json::to_value(r)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| "unknown".into())
}

fn pem_certs(pem: &str) -> Vec<Vec<u8>> {
    x509_parser::pem::Pem::iter_from_buffer(pem.as_bytes())
        .filter_map(Result::ok)
        .map(|p| p.contents)
        .collect()
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(bounded(s, MAX_CLAIM_FIELD)),
        Value::Object(o) => o.get("name").and_then(Value::as_str).map(|name| {
            let version = o.get("version").and_then(Value::as_str);
            bounded(
                &match version {
                    Some(ver) => format!("{name} {ver}"),
                    None => name.to_string(),
                },
                MAX_CLAIM_FIELD,
            )
        }),
        _ => None,
    }
}

fn actions(m: &c2pa::Manifest, label: &str) -> Vec<ActionInfo> {
    let mut out = Vec::new();
    for a in m.assertions().iter().filter(|a| {
        matches!(
            jumbf::base_label(a.label()),
            "c2pa.actions" | "c2pa.actions.v2"
        )
    }) {
        let Ok(v) = a.value() else { continue };
        let Some(list) = v.get("actions").and_then(Value::as_array) else {
            continue;
        };
        for act in list.iter().take(MAX_ITEMS) {
            let Some(name) = act.get("action").and_then(Value::as_str) else {
                continue;
            };
            out.push(ActionInfo {
                action: bounded(name, 128),
                software_agent: act.get("softwareAgent").and_then(text_of),
                digital_source_type: act
                    .get("digitalSourceType")
                    .and_then(Value::as_str)
                    .map(iptc_term),
                description: act
                    .get("description")
                    .and_then(Value::as_str)
                    .map(|d| bounded(d, MAX_FIELD)),
                manifest: label.to_string(),
            });
        }
    }
    out
}
