//! Attributing the source: gather every claim of origin (manifest fields, actions, ingredient
//! manifests, and metadata outside C2PA), say which known generator each names, and decide
//! whether the key that signed backs it.
//!
//! The rule (issue #4): a claim naming generator G is *backed* when the manifest that carries it
//! is signed by a chain that is trusted (trust list or G's pin) with a leaf whose subject O is G's,
//! or, for the active manifest, when a verifying ingredient manifest authenticated as G records
//! G's work. An unbacked claim is a *mismatch*, except when the signer merely cannot be verified
//! while presenting G's identity consistently (its chain reaches G's pinned key but fails on time,
//! or G has no pinned key at all): that is *unverified*, and the verdict falls to `untrusted`.

pub mod registry;
pub mod signer;

use std::collections::{BTreeSet, HashMap};

use crate::read::metadata::MetadataClaim;
use crate::read::{iptc_term, StoreFacts};
use crate::report::{
    bounded, AuthenticatedSource, Claim, ClaimedSource, Integrity, Reason, Severity, StrippedTraces,
};
use registry::Registry;
use signer::SignerEval;

/// IPTC digital source types that mean "made by a generative model".
const AI_SOURCE_TYPES: &[&str] = &[
    "trainedAlgorithmicMedia",
    "compositeWithTrainedAlgorithmicMedia",
    "algorithmicMedia",
    "compositeSynthetic",
];

/// Metadata fields that name the capture device rather than the tool that made the picture: an
/// edited camera photo legitimately keeps its camera's EXIF, so these are only informational.
const DEVICE_ORIGINS: &[&str] = &["exif:Make", "exif:Model", "xmp:tiff:Make", "xmp:tiff:Model"];

/// Result of attribution.
#[derive(Clone, Debug, Default)]
pub struct Attribution {
    pub claimed: ClaimedSource,
    pub authenticated: Option<AuthenticatedSource>,
    pub reasons: Vec<Reason>,
    /// A known-generator claim is contradicted by its signer (or `--expect` failed).
    pub mismatch: bool,
}

/// How one claim of G stands against the signer of the manifest that carries it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Backing {
    Backed,
    /// Signer presents G's identity consistently but cannot be authenticated.
    Unverified,
    /// Signer presents G's organisation but its chain does not reach any of G's pinned keys.
    Impersonation,
    /// Signer is someone else (or nobody).
    Unbacked,
}

fn backing(registry: &Registry, g: &str, signer: Option<&SignerEval>) -> Backing {
    let Some(s) = signer else {
        return Backing::Unbacked;
    };
    if s.generator.as_deref() == Some(g) {
        return Backing::Backed;
    }
    let Some(gen) = registry.get(g) else {
        return Backing::Unbacked;
    };
    // G's key signed (the chain verifies link by link to G's pin or to a list that vetted G's
    // name) but time or the certificate profile stops full trust: nothing contradicts the
    // claim; the verdict falls to `untrusted` on the trust failure.
    if s.identity
        .as_ref()
        .is_some_and(|i| i.generator.as_deref() == Some(g))
    {
        return Backing::Unverified;
    }
    let org_is_g = s
        .trust
        .organization
        .as_deref()
        .and_then(|o| registry.by_leaf_organization(o))
        .is_some_and(|og| og.id == g);
    if !org_is_g {
        // someone else signed (authenticated or not), or a test / unrelated identity
        return Backing::Unbacked;
    }
    // From here the leaf carries G's organisation. `mismatched` needs positive evidence:
    // a presented certificate (or the path's issuer name) copies a known CA's name with
    // another key ...
    if !s.trust.chain.name_only_matches.is_empty() {
        return Backing::Impersonation;
    }
    // ... or the signer is authenticated, by a chain that verifies, as someone who is not G
    // (e.g. a user-supplied anchor that is not G's CA) ...
    if s.trusted || s.identity.is_some() {
        return Backing::Impersonation;
    }
    // ... or, for a G whose keys are pinned, the presented chain is complete (it ends at a
    // self-signed certificate) or fails a link, and reaches none of G's keys. A chain that
    // reaches G's key but fails on something else, a G without pinned keys, and a chain that
    // merely cannot be completed (its issuer is neither presented nor known) contradict
    // nothing: unverified.
    if s.trust.chain.pinned_generators.iter().any(|p| p == g)
        || gen.pins.is_empty()
        || s.trust.chain.missing_issuer.is_some()
    {
        Backing::Unverified
    } else {
        Backing::Impersonation
    }
}

struct Ctx<'a> {
    signers: &'a HashMap<String, SignerEval>,
    integrity: &'a HashMap<String, Integrity>,
}

impl Ctx<'_> {
    /// Is G authenticated by some intact ingredient manifest below the active one that records
    /// G's work (one of its own claims names G)?
    fn backed_by_ingredient(&self, g: &str, claims: &[Claim], active: &str) -> bool {
        claims.iter().any(|c| {
            c.scope != active
                && c.scope != "metadata"
                && c.generators.iter().any(|x| x == g)
                && self.integrity.get(&c.scope) == Some(&Integrity::Valid)
                && self
                    .signers
                    .get(&c.scope)
                    .and_then(|s| s.generator.as_deref())
                    == Some(g)
        })
    }
}

/// Gather claims and decide backing. `store` is `None` for files without a manifest.
pub fn attribute(
    registry: &Registry,
    store: Option<&StoreFacts>,
    signers: &HashMap<String, SignerEval>,
    integrity: &HashMap<String, Integrity>,
    metadata: &[MetadataClaim],
    expect: Option<&str>,
) -> Attribution {
    let mut claims = Vec::new();
    if let Some(store) = store {
        // active first, then the others in a stable order; a manifest outside the active
        // manifest's provenance claims nothing about this file
        let mut labels: Vec<&String> = store
            .manifests
            .keys()
            .filter(|l| store.unreferenced.binary_search(l).is_err())
            .collect();
        labels.sort_by_key(|l| (*l != &store.active, (*l).clone()));
        for label in labels {
            let m = &store.manifests[label];
            let signed = integrity.get(label) == Some(&Integrity::Valid);
            let mut push = |origin: &str, value: &str| {
                if !value.trim().is_empty() {
                    claims.push(new_claim(registry, origin, value, label, signed));
                }
            };
            if let Some(cg) = &m.claim_generator {
                push("claim_generator", cg);
            }
            for g in &m.claim_generator_info {
                push("claim_generator_info", &g.name);
            }
            for a in &m.actions {
                if let Some(agent) = &a.software_agent {
                    push("action.softwareAgent", agent);
                }
                if let Some(dst) = &a.digital_source_type {
                    push("action.digitalSourceType", dst);
                }
            }
        }
    }
    let intact = store.is_some_and(|s| integrity.get(&s.active) == Some(&Integrity::Valid));
    for mc in metadata {
        let mut c = new_claim(registry, &mc.origin, &mc.value, "metadata", intact);
        if mc.origin.ends_with("DigitalSourceType") {
            c.value = iptc_term(&c.value);
        }
        claims.push(c);
    }

    let ctx = Ctx { signers, integrity };
    let active = store.map(|s| s.active.as_str()).unwrap_or("");
    let active_signer = signers.get(active);
    let mut out = Attribution::default();
    let mut seen_reasons = BTreeSet::new();
    let mut seen_texts = BTreeSet::new();
    for i in 0..claims.len() {
        if claims[i].generators.is_empty() {
            continue;
        }
        let scope = claims[i].scope.clone();
        let device = DEVICE_ORIGINS.contains(&claims[i].origin.as_str());
        let mut all_backed = true;
        for g in claims[i].generators.clone() {
            let b = if store.is_none() {
                Backing::Unverified
            } else if scope == "metadata" {
                let b = backing(registry, &g, active_signer);
                if b != Backing::Backed && ctx.backed_by_ingredient(&g, &claims, active) {
                    Backing::Backed
                } else {
                    b
                }
            } else {
                let b = backing(registry, &g, signers.get(&scope));
                if b != Backing::Backed
                    && scope == active
                    && ctx.backed_by_ingredient(&g, &claims, active)
                {
                    Backing::Backed
                } else {
                    b
                }
            };
            all_backed &= b == Backing::Backed;
            let c = &claims[i];
            let gname = registry
                .get(&g)
                .map(|x| x.organization.clone())
                .unwrap_or(g.clone());
            let signer_o = signers
                .get(if scope == "metadata" { active } else { &scope })
                .and_then(|s| s.trust.organization.clone())
                .unwrap_or_else(|| "an unknown signer".into());
            let (code, severity, text, mismatch) = match b {
                Backing::Backed => continue,
                Backing::Unverified if store.is_none() => (
                    crate::codes::CLAIM_UNVERIFIED,
                    Severity::Warning,
                    format!(
                        "{} names {} but the file carries no Content Credentials: nothing authenticates it",
                        c.origin, gname
                    ),
                    false,
                ),
                Backing::Unverified => (
                    crate::codes::CLAIM_UNVERIFIED,
                    Severity::Warning,
                    unverified_text(&c.origin, &gname, &g, signers.get(if scope == "metadata" { active } else { &scope })),
                    false,
                ),
                Backing::Impersonation => (
                    crate::codes::CLAIM_IMPERSONATION,
                    Severity::Failure,
                    format!(
                        "{} \"{}\" names {}, but the signing certificate only carries {}'s name: it does not chain to {}'s keys",
                        c.origin, bounded(&c.value, 80), gname, gname, gname
                    ),
                    !device,
                ),
                Backing::Unbacked => (
                    crate::codes::CLAIM_UNBACKED,
                    if device { Severity::Info } else { Severity::Failure },
                    format!(
                        "{} \"{}\" names {}, but the manifest is signed by {}, not {}",
                        c.origin,
                        bounded(&c.value, 80),
                        gname,
                        bounded(&signer_o, 200),
                        gname
                    ),
                    !device,
                ),
            };
            // Metadata outside the manifest (XMP CreatorTool, EXIF Software, PNG text) records
            // the tools that touched the file: an Adobe-converted DNG signed by a camera app, an
            // edited photo keeping its camera's EXIF. The signer's statement is the manifest, so
            // on a signed file such a claim is a warning, never a mismatch by itself.
            let (severity, mismatch) = if scope == "metadata" && store.is_some() {
                (Severity::Warning.min_with(severity), false)
            } else {
                (severity, mismatch)
            };
            out.mismatch |= mismatch;
            // One reason per fact: the same signer (the same leaf certificate) standing in the
            // same relation to G in several manifests (ChatGPT files carry two, both signed by
            // one leaf) is one fact, not one per manifest.
            let signer_key = signers
                .get(if scope == "metadata" { active } else { &scope })
                .and_then(|s| s.trust.chain.path.first())
                .map(|l| l.sha256.clone())
                .unwrap_or_else(|| scope.clone());
            if seen_reasons.insert((code, g.clone(), scope == "metadata", signer_key))
                && seen_texts.insert((code, text.clone()))
            {
                out.reasons.push(Reason {
                    code: code.into(),
                    severity,
                    explanation: text,
                    scope: Some(scope.clone()),
                });
            }
        }
        claims[i].backed = Some(all_backed);
    }

    // authenticated source: whose key signed, when the chain verifies (fully trusted or not;
    // `trusted` and `limits` tell which)
    out.authenticated = active_signer.and_then(|s| s.identity.clone());

    if let Some(want) = expect {
        let got = out
            .authenticated
            .as_ref()
            .and_then(|a| a.generator.as_deref());
        if store.is_some() && got != Some(want) {
            out.mismatch = true;
            let wname = registry
                .get(want)
                .map(|g| g.organization.clone())
                .unwrap_or(want.to_string());
            let text = match &out.authenticated {
                Some(a) => format!(
                    "expected {wname}, but the file is authenticated as {}",
                    bounded(&a.organization, 200)
                ),
                None => format!("expected {wname}, but no trusted signer authenticates the file"),
            };
            out.reasons.push(Reason {
                code: crate::codes::EXPECT_MISMATCH.into(),
                severity: Severity::Failure,
                explanation: text,
                scope: Some("active".into()),
            });
        }
    }

    out.claimed = summarize(registry, claims, active);
    if store.is_none() {
        out.claimed.possibly_stripped = possibly_stripped(&out.claimed, Some(registry));
    }
    out
}

/// Why a claim of G is unverified, in words: G's key signed but the certificate cannot be
/// fully trusted, the chain could not be completed, or the signer cannot be authenticated.
fn unverified_text(origin: &str, gname: &str, g: &str, signer: Option<&SignerEval>) -> String {
    if let Some(id) = signer
        .and_then(|s| s.identity.as_ref())
        .filter(|i| i.generator.as_deref() == Some(g))
    {
        let why: Vec<&str> = id.limits.iter().map(|l| l.explanation.as_str()).collect();
        return format!(
            "{origin} names {gname}; the file is signed with {gname}'s key, but the certificate cannot be fully trusted: {}",
            if why.is_empty() {
                "see trust.failures".to_string()
            } else {
                why.join("; ")
            }
        );
    }
    if let Some(m) = signer.and_then(|s| s.trust.chain.missing_issuer.as_ref()) {
        return format!(
            "{origin} names {gname}; the signer presents {gname}'s identity, but its certificate chain could not be completed: the issuing certificate ({}) is neither in the file nor known to provcheck{}",
            bounded(&m.issuer, 200),
            if m.pinned_name_of.iter().any(|p| p == g) {
                format!(", so nothing shows whether the key is {gname}'s (the issuer name is that of a CA pinned for {gname}, but a name alone proves nothing)")
            } else {
                String::new()
            }
        );
    }
    format!(
        "{origin} names {gname}; the signer presents {gname}'s identity but its certificate could not be authenticated"
    )
}

/// Text-chunk conventions that identify a generator by *where* they sit rather than by a name in
/// the value: AUTOMATIC1111 and its forks write the generation settings to PNG `parameters`
/// ("Steps: .., Sampler: .."); ComfyUI writes its graph to `prompt` and `workflow`.
fn convention(origin: &str, value: &str) -> Option<&'static str> {
    match origin {
        "png:tEXt:parameters" | "png:iTXt:parameters" | "png:zTXt:parameters"
            if value.contains("Steps:") && value.contains("Sampler:") =>
        {
            Some("AUTOMATIC1111 Stable Diffusion web UI")
        }
        "png:tEXt:workflow" | "png:tEXt:prompt" | "png:iTXt:workflow" | "png:iTXt:prompt"
            if value.trim_start().starts_with('{') && value.contains("class_type")
                || value.contains("\"nodes\"") =>
        {
            Some("ComfyUI")
        }
        _ => None,
    }
}

fn new_claim(registry: &Registry, origin: &str, value: &str, scope: &str, signed: bool) -> Claim {
    let mut matches = registry.match_claim(value);
    if matches.is_empty() {
        if let Some(desc) = convention(origin, value) {
            matches = registry.match_claim(desc);
        }
    }
    Claim {
        origin: origin.into(),
        value: bounded(value, 512),
        scope: scope.into(),
        signed,
        product: matches.first().map(|m| m.product.clone()),
        generators: matches.into_iter().map(|m| m.generator).collect(),
        backed: None,
    }
}

fn summarize(registry: &Registry, claims: Vec<Claim>, active: &str) -> ClaimedSource {
    let mut generators: Vec<String> = Vec::new();
    for c in &claims {
        for g in &c.generators {
            if !generators.contains(g) {
                generators.push(g.clone());
            }
        }
    }
    let ai_generated = claims.iter().any(|c| {
        (c.origin.ends_with("digitalSourceType") || c.origin.ends_with("DigitalSourceType"))
            && AI_SOURCE_TYPES.contains(&c.value.as_str())
            || c.origin == "png:tEXt:parameters"
            || c.origin == "png:tEXt:prompt"
    });
    // summary: prefer what the active manifest's actions name, then its generator fields,
    // then ingredient manifests, then metadata.
    let rank = |c: &Claim| -> u8 {
        match (c.scope == active, c.scope == "metadata", c.origin.as_str()) {
            (true, _, "action.softwareAgent") => 0,
            (true, _, _) => 1,
            (false, false, _) => 2,
            _ => 3,
        }
    };
    let best = claims
        .iter()
        .filter(|c| !c.generators.is_empty())
        .min_by_key(|c| rank(c));
    let summary = best.map(|c| {
        let org = registry
            .get(&c.generators[0])
            .map(|g| g.organization.clone())
            .unwrap_or_else(|| c.generators[0].clone());
        match &c.product {
            Some(p) if !org.to_lowercase().contains(&p.to_lowercase()) => format!("{org} ({p})"),
            _ => org,
        }
    });
    ClaimedSource {
        summary,
        generators,
        ai_generated,
        claims,
        possibly_stripped: None,
    }
}

/// Whether an XMP `dcterms:provenance` value has the form C2PA gives a manifest's address
/// (C2PA 2.2 section 11.5, "Embedding a reference to the active manifest"): a JUMBF URI into
/// the manifest store (`self#jumbf=/c2pa/LABEL...`), or the absolute `http`/`https` URL of a
/// remote manifest. Read by its parts, not by words it happens to contain.
fn is_manifest_reference(value: &str) -> bool {
    let value = value.trim();
    if let Some(path) = value.strip_prefix("self#jumbf=") {
        let mut parts = path.strip_prefix('/').unwrap_or(path).split('/');
        return parts.next() == Some("c2pa") && parts.next().is_some_and(|l| !l.is_empty());
    }
    let Some((scheme, rest)) = value.split_once("://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    (scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http"))
        && !host.is_empty()
        && !value.chars().any(char::is_whitespace)
}

/// Whether the claims of a file without a manifest suggest a stripped credential: one names an
/// AI generator (an AI product of the registry; none without a registry), the file says it is
/// AI-made, or XMP `dcterms:provenance` points at a C2PA manifest. Attribution sets it once
/// ([`attribute`]); a caller that only has JSON reports (which leave it out) may derive it here.
pub fn possibly_stripped(
    claimed: &ClaimedSource,
    registry: Option<&Registry>,
) -> Option<StrippedTraces> {
    let ai_claims: Vec<&Claim> = claimed
        .claims
        .iter()
        .filter(|c| {
            c.generators
                .iter()
                .any(|g| registry.is_some_and(|reg| reg.is_ai(g, c.product.as_deref())))
        })
        .collect();
    let provenance = claimed.claims.iter().any(|c| {
        c.origin == crate::read::metadata::ORIGIN_PROVENANCE && is_manifest_reference(&c.value)
    });
    if ai_claims.is_empty() && !claimed.ai_generated && !provenance {
        return None;
    }
    let mut generators: Vec<String> = ai_claims
        .iter()
        .flat_map(|c| c.generators.clone())
        .collect();
    generators.dedup();
    let mut reasons = Vec::new();
    if !ai_claims.is_empty() {
        reasons.push("names an AI generator".to_string());
    }
    if claimed.ai_generated {
        reasons.push("says it is AI-generated".to_string());
    }
    if provenance {
        reasons.push(
            "XMP dcterms:provenance points to a C2PA manifest the file no longer carries"
                .to_string(),
        );
    }
    Some(StrippedTraces {
        generators,
        reasons,
    })
}

#[cfg(test)]
mod provenance_tests {
    use super::is_manifest_reference;

    #[test]
    fn a_provenance_value_is_a_manifest_address_by_its_form() {
        for v in [
            "self#jumbf=/c2pa/urn:uuid:6a9ee498-b055-40be-a3aa-992e331bb39a",
            "self#jumbf=c2pa/urn:c2pa:1/c2pa.claim",
            " https://cai-manifests.adobe.com/manifests/urn-c2pa-123 ",
            "HTTP://example.com",
        ] {
            assert!(is_manifest_reference(v), "{v}");
        }
        for v in [
            "my c2pa manifesto",
            "see the manifest",
            "jumbf=/c2pa/x",
            "self#jumbf=/c2pa/",
            "self#jumbf=/other/x",
            "ftp://example.com/m",
            "https://",
            "https://exa mple.com",
            "",
        ] {
            assert!(!is_manifest_reference(v), "{v}");
        }
    }
}
