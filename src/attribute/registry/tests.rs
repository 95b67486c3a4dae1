use super::*;
use crate::test_support::{corpus, read_tsv};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn reg() -> Registry {
    Registry::bundled()
}

fn named(text: &str) -> Vec<String> {
    reg()
        .match_claim(text)
        .into_iter()
        .map(|m| m.generator)
        .collect()
}

// ----- bundled file -----

#[test]
fn bundled_file_parses_and_is_consistent() {
    let r = Registry::from_toml(BUNDLED_TOML).expect("bundled generators.toml must be valid");
    let mut ids = BTreeSet::new();
    for g in r.generators() {
        assert!(ids.insert(g.id.clone()), "duplicate id {}", g.id);
        assert!(!g.sources.is_empty(), "{} has no sources", g.id);
        for p in &g.pins {
            assert_eq!(p.spki_hex().len(), 64);
            assert_eq!(hex::decode(p.spki_hex()).unwrap().len(), 32);
            assert!(PIN_ROLES.contains(&p.role.as_str()));
        }
    }
    for id in [
        "microsoft",
        "openai",
        "adobe",
        "google",
        "amazon",
        "stability-ai",
        "stable-diffusion",
        "runway",
        "black-forest-labs",
        "bytedance",
        "midjourney",
        "meta",
        "truepic",
        "samsung",
        "leica",
        "sony",
        "nikon",
        "canon",
        "fujifilm",
        "novelai",
        "qualcomm",
    ] {
        assert!(r.get(id).is_some(), "missing generator {id}");
    }
    // Organisations whose only known CA issues to anyone carry no pins.
    for id in [
        "amazon",
        "stability-ai",
        "runway",
        "black-forest-labs",
        "bytedance",
        "midjourney",
        "meta",
    ] {
        assert!(!r.get(id).unwrap().has_pins(), "{id} must not have pins");
    }
    for id in ["microsoft", "openai", "adobe", "google", "truepic"] {
        assert!(r.get(id).unwrap().has_pins(), "{id} must have pins");
    }
}

#[test]
fn bundled_json_is_the_bundled_toml() {
    let from_toml = Registry::from_toml(BUNDLED_TOML).unwrap();
    let bundled = Registry::bundled();
    assert_eq!(
        serde_json::to_value(from_toml.generators()).unwrap(),
        serde_json::to_value(bundled.generators()).unwrap()
    );
    assert!(bundled.generators().len() > 20);
}

#[test]
fn registry_is_send_sync_and_serialises() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Registry>();
    let r = reg();
    let ms = r.get("microsoft").unwrap();
    let v = serde_json::to_value(ms).unwrap();
    assert_eq!(v["kind"], "ai-generator");
    assert_eq!(
        v["pins"][0]["spki_sha256"],
        "b7728daf890a926086beb17be6731af8818828be9ace3c58a872f26b96982b8c"
    );
    assert!(v.get("matchers").is_none());
}

// ----- claim matching -----

#[test]
fn sdk_and_library_tokens_name_nothing() {
    for s in [
        "c2pa-rs/0.28.4",
        "c2patool/0.6.2",
        "adobe_c2pa/0.14.2",
        "adobe_c2pa/0.14.2 c2pa-rs/0.43.0",
        "c2pa-c test/0.2",
        "TestApp",
        "test/1.0",
        "make_test_images/0.33.1",
        "cai-helper/0.5.3",
        "libc2pa/3.6.5",
        "Adobe_Example/0.1 c2patool/0.6.0 c2pa-rs/0.24.0",
        "Adobe XMP Core 9.1-c002 79.f354efc, 2023/11/09-12:05:53",
        "Stability Solutions Inc.",
        "Monolith",
        "Stability",
        "Designer",
        "Google",
        "Microsoft",
        "Adobe",
        "Amazon",
        "Meta",
        "metadata",
        "Metaphysic PRO",
        "Copilot",
        "Einstein Copilot",
        "Bedrock",
        "Runway",
        "flux",
        "Imagen",
        "Veo",
        "vivo",
        "canon of classical music",
        "AI Generated Image",
        "Created image using artificial intelligence technology",
        "trainedAlgorithmicMedia",
        "Content Credentials",
        "parameters",
        "immagini dalle montagne",
        "",
    ] {
        assert_eq!(named(s), Vec::<String>::new(), "{s:?} must name nothing");
    }
}

#[test]
fn azure_openai_is_microsoft_not_openai() {
    for s in [
        "Azure OpenAI DALL-E",
        "Azure OpenAI ImageGen",
        "Azure_OpenAI_DALL·E_3",
        "Azure OpenAI gpt-image-1",
        "AzureOpenAI",
        "Azure OpenAI Service",
    ] {
        let m = reg().match_claim(s);
        assert_eq!(m.len(), 1, "{s:?}: {m:?}");
        assert_eq!(m[0].generator, "microsoft", "{s:?}");
        assert_eq!(m[0].product, "Azure OpenAI", "{s:?}");
    }
    let m = reg().match_claim("Azure OpenAI DALL-E");
    assert_eq!(m[0].matched, "Azure OpenAI DALL-E");
}

#[test]
fn openai_strings() {
    for s in [
        "OpenAI-API c2pa-rs/0.28.4",
        "ChatGPT c2pa-rs/0.28.4",
        "ChatGPT",
        "DALL·E",
        "DALL‧E",
        "DALL•E 3",
        "DALL-E 3",
        "Dall-E",
        "DALLE3",
        "DALL E 2",
        "GPT-4o",
        "gpt-image",
        "gpt-image-1",
        "gpt-image-1.5",
        "Sora",
        "OpenAI Media Service API",
        "OpenAI API",
        "Truepic Lens CLI in ChatGPT",
        "Truepic Lens CLI in DALL·E",
        "Truepic Lens CLI in Sora",
    ] {
        assert_eq!(named(s), vec!["openai".to_string()], "{s:?}");
    }
    let m = reg().match_claim("OpenAI Media Service API");
    assert_eq!(m[0].product, "OpenAI Media Service");
    let m = reg().match_claim("Truepic Lens CLI in ChatGPT");
    assert_eq!(m[0].product, "ChatGPT");
}

#[test]
fn microsoft_strings() {
    for (s, product) in [
        ("Microsoft_Responsible_AI/1.0", "Microsoft Responsible AI"),
        (
            "Microsoft Responsible AI Image Provenance",
            "Microsoft Responsible AI",
        ),
        (
            "Microsoft Responsible AI Provenance",
            "Microsoft Responsible AI",
        ),
        ("Microsoft_Designer/1.0", "Designer"),
        ("Microsoft Designer", "Designer"),
        ("Image Creator from Designer", "Bing Image Creator"),
        ("Bing Image Creator", "Bing Image Creator"),
        ("Microsoft Copilot", "Copilot"),
        ("Paint Cocreator", "Paint Cocreator"),
    ] {
        let m = reg().match_claim(s);
        assert_eq!(m.len(), 1, "{s:?}: {m:?}");
        assert_eq!(m[0].generator, "microsoft", "{s:?}");
        assert_eq!(m[0].product, product, "{s:?}");
    }
}

#[test]
fn other_vendor_strings() {
    for (s, id) in [
        ("Adobe_Firefly", "adobe"),
        ("Adobe Firefly Pipeline", "adobe"),
        (
            "Adobe_Photoshop/26.11.0 adobe_c2pa/0.14.2 c2pa-rs/0.43.0",
            "adobe",
        ),
        ("lightroom/8.5.1", "adobe"),
        ("Adobe Lightroom 8.5.1 (Macintosh)", "adobe"),
        ("Adobe Express", "adobe"),
        ("Adobe Stock", "adobe"),
        ("Adobe Content Authenticity", "adobe"),
        ("Google C2PA Core Generator Library", "google"),
        ("Created by Google Generative AI.", "google"),
        ("Gemini", "google"),
        ("Gemini 2.5 Flash Image", "google"),
        ("Google Imagen", "google"),
        ("Imagen 4", "google"),
        ("Veo 3", "google"),
        ("Pixel Camera", "google"),
        ("Google Photos", "google"),
        ("Amazon_Bedrock c2pa-rs/0.32.7", "amazon"),
        ("Titan Image Generator G1", "amazon"),
        ("Amazon Nova Canvas", "amazon"),
        ("Stability AI", "stability-ai"),
        ("stability.ai", "stability-ai"),
        ("Stable Diffusion", "stable-diffusion"),
        ("Stable Diffusion XL", "stable-diffusion"),
        ("AUTOMATIC1111 Stable Diffusion web UI", "stable-diffusion"),
        ("ComfyUI", "stable-diffusion"),
        ("Runway Gen-4", "runway"),
        ("RunwayML", "runway"),
        ("FLUX.1 [pro]", "black-forest-labs"),
        ("FLUX.1 Kontext", "black-forest-labs"),
        ("Black Forest Labs", "black-forest-labs"),
        ("Seedance 1.0 Pro", "bytedance"),
        ("Seedream 4.0", "bytedance"),
        ("Doubao", "bytedance"),
        ("Midjourney", "midjourney"),
        ("Meta AI", "meta"),
        ("Imagine with Meta AI", "meta"),
        ("Truepic_Lens_iOS/1.5.0 libc2pa/3.6.5", "truepic"),
        ("Truepic Lens SDK v1.1.3 in Vision Camera v3.1.5", "truepic"),
        ("NovelAI", "novelai"),
        ("Samsung Galaxy S25", "samsung"),
        ("Galaxy AI", "samsung"),
        ("LEICA M11-P", "leica"),
        ("Sony ILCE-7M4", "sony"),
        (
            "Nikon_Z_9_Sample_for_Adobe_MAX_2022 c2pa-rs/0.14.0",
            "nikon",
        ),
        ("Canon EOS R1", "canon"),
        ("FUJIFILM X-T5", "fujifilm"),
        ("Snapdragon 8 Elite Gen 5", "qualcomm"),
    ] {
        assert_eq!(named(s), vec![id.to_string()], "{s:?}");
    }
    // Several generators in one string: each reported once, in order of appearance.
    assert_eq!(
        named("Adobe Photoshop 26 with Gemini and ChatGPT ChatGPT"),
        ["adobe", "google", "openai"]
    );
    // NovelAI's Source chunk names the open model, not Stability AI.
    assert_eq!(named("Stable Diffusion 1D44365E"), ["stable-diffusion"]);
}

#[test]
fn matching_is_bounded() {
    let far = format!("{}ChatGPT", "x".repeat(MAX_CLAIM_BYTES));
    assert!(reg().match_claim(&far).is_empty());
    let near = format!("{}ChatGPT", "x ".repeat(100));
    assert_eq!(named(&near), ["openai"]);
    // Multi-byte characters around the cut must not panic.
    for pad in 0..4 {
        let s = format!("{}{}ChatGPT", "a".repeat(pad), "é".repeat(3000));
        assert!(reg().match_claim(&s).is_empty());
    }
    let s = "🙂".repeat(5000);
    assert!(reg().match_claim(&s).is_empty());
    assert_eq!(
        truncate_chars(&"é".repeat(500), MAX_MATCHED_CHARS)
            .chars()
            .count(),
        128
    );
    assert_eq!(truncate_bytes("aé", 2), "a");
    // Many matches stay fast and report one match per generator.
    let many = "Azure OpenAI DALL-E ChatGPT ".repeat(200);
    let m = reg().match_claim(&many);
    assert_eq!(
        m.iter().map(|m| m.generator.as_str()).collect::<Vec<_>>(),
        ["microsoft", "openai"]
    );
    assert!(m
        .iter()
        .all(|m| m.matched.chars().count() <= MAX_MATCHED_CHARS));
}

// ----- resolve / leaf organisations / pins -----

#[test]
fn resolve_names() {
    let r = reg();
    for (s, id) in [
        ("Azure OpenAI", "microsoft"),
        ("microsoft", "microsoft"),
        ("Microsoft", "microsoft"),
        ("OpenAI", "openai"),
        ("openai", "openai"),
        ("adobe firefly", "adobe"),
        ("Adobe_Firefly", "adobe"),
        ("firefly", "adobe"),
        ("DALL·E", "openai"),
        ("dall-e 3", "openai"),
        ("ChatGPT", "openai"),
        ("Gemini", "google"),
        ("google", "google"),
        ("Bing Image Creator", "microsoft"),
        ("stability", "stability-ai"),
        ("stable diffusion", "stable-diffusion"),
        ("aws", "amazon"),
        ("Titan Image Generator", "amazon"),
        ("  Black   Forest Labs ", "black-forest-labs"),
    ] {
        assert_eq!(r.resolve(s).map(|g| g.id.as_str()), Some(id), "{s:?}");
    }
    assert!(r.resolve("").is_none());
    assert!(r.resolve("no such generator").is_none());
    assert!(r.resolve("c2pa-rs/0.28.4").is_none());
}

#[test]
fn leaf_organizations() {
    let r = reg();
    for (o, id) in [
        ("Microsoft Corporation", "microsoft"),
        ("  microsoft   CORPORATION ", "microsoft"),
        ("OpenAI", "openai"),
        ("OpenAI OpCo, LLC", "openai"),
        ("OpenAI OpCo\\, LLC", "openai"),
        ("Adobe Inc.", "adobe"),
        ("Google LLC", "google"),
        ("Amazon Web Services, Inc.", "amazon"),
        ("Amazon Development Center U.S., Inc.", "amazon"),
        ("Stability AI Ltd", "stability-ai"),
        ("Truepic", "truepic"),
        ("NIKON CORPORATION", "nikon"),
        ("SONY Corporation", "sony"),
    ] {
        assert_eq!(
            r.by_leaf_organization(o).map(|g| g.id.as_str()),
            Some(id),
            "{o:?}"
        );
    }
    for o in [
        "Stability Solutions Inc.",
        "Stability AI",
        "C2PA Test Signing Cert",
        "OpenAI OpCo",
        "",
        "Adobe",
    ] {
        assert!(r.by_leaf_organization(o).is_none(), "{o:?}");
    }
    assert!(r
        .get("openai")
        .unwrap()
        .has_leaf_organization("openai opco, llc"));
}

#[test]
fn pins_iterator() {
    let r = reg();
    let all: Vec<(&str, String)> = r
        .pins()
        .map(|(g, p)| (g.id.as_str(), p.spki_hex()))
        .collect();
    assert!(all.contains(&(
        "microsoft",
        "b7728daf890a926086beb17be6731af8818828be9ace3c58a872f26b96982b8c".to_string()
    )));
    assert!(!all.iter().any(|(id, _)| *id == "amazon"));
    let mut web = [0u8; 32];
    hex::decode_to_slice(
        "adf5af09e3253b1eb13358dc036672f44b48854d586a455aae3361526026a6c2",
        &mut web,
    )
    .unwrap();
    let ids: BTreeSet<&str> = r.pins_for_spki(&web).map(|(g, _)| g.id.as_str()).collect();
    assert_eq!(ids, BTreeSet::from(["openai", "truepic"]));
    assert!(r.get("openai").unwrap().pin_for_spki(&web).is_some());
}

// ----- from_toml / extend -----

const ONE: &str = r#"
schema_version = 1
[[generator]]
id = "openai"
organization = "OpenAI (replaced)"
kind = "ai-generator"
leaf_organizations = ["OpenAI"]
  [[generator.product]]
  name = "Thing"
  patterns = ['(?i)\bthingamajig\b']
[[generator]]
id = "newco"
organization = "NewCo"
kind = "editor"
leaf_organizations = ["NewCo Ltd"]
  [[generator.product]]
  name = "NewCo Paint"
  patterns = ['\bNewCo Paint\b']
  [[generator.pin]]
  subject = "CN=NewCo CA"
  spki_sha256 = "00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF"
  role = "root"
  source = "test"
"#;

#[test]
fn extend_replaces_and_appends() {
    let mut r = reg();
    let n = r.generators().len();
    let pos = r
        .generators()
        .iter()
        .position(|g| g.id == "openai")
        .unwrap();
    r.extend(Registry::from_toml(ONE).unwrap());
    assert_eq!(r.generators().len(), n + 1);
    assert_eq!(r.generators()[pos].organization, "OpenAI (replaced)");
    assert_eq!(r.generators().last().unwrap().id, "newco");
    assert_eq!(r.get("newco").unwrap().pins[0].spki_sha256[31], 0xff);
    let m = r.match_claim("NewCo Paint and a Thingamajig");
    assert_eq!(
        m.iter().map(|m| m.generator.as_str()).collect::<Vec<_>>(),
        ["newco", "openai"]
    );
    // The replaced entry's old patterns are gone.
    assert!(r.match_claim("ChatGPT").is_empty());
    assert_eq!(r.by_leaf_organization("newco ltd").unwrap().id, "newco");
    // The bundled registry is unaffected.
    assert_eq!(reg().get("openai").unwrap().organization, "OpenAI");
}

#[test]
fn from_toml_rejects_bad_input() {
    let base = |body: &str| format!("schema_version = 1\n{body}");
    let gen_with = |extra: &str| {
        base(&format!(
            "[[generator]]\nid = \"x\"\norganization = \"X\"\nkind = \"editor\"\n{extra}"
        ))
    };
    let pin = |spki: &str, role: &str| {
        gen_with(&format!(
            "[[generator.pin]]\nsubject = \"CN=X\"\nspki_sha256 = \"{spki}\"\nrole = \"{role}\"\nsource = \"s\"\n"
        ))
    };
    let ok_hex = "ab".repeat(32);
    assert!(Registry::from_toml(&pin(&ok_hex, "root")).is_ok());
    let cases: Vec<(String, &str)> = vec![
        ("schema_version = 2\n".to_string(), "SchemaVersion"),
        ("schema_version = 1\nbogus = 3\n".to_string(), "Toml"),
        ("not toml [".to_string(), "Toml"),
        (gen_with("colour = \"red\"\n"), "Toml"),
        (
            base("[[generator]]\nid = \"Bad Id\"\norganization = \"X\"\nkind = \"editor\"\n"),
            "InvalidId",
        ),
        (
            base(
                "[[generator]]\nid = \"x\"\norganization = \"X\"\nkind = \"editor\"\n\
                 [[generator]]\nid = \"x\"\norganization = \"Y\"\nkind = \"editor\"\n",
            ),
            "DuplicateId",
        ),
        (
            base(
                "[[generator]]\nid = \"x\"\norganization = \"X\"\nkind = \"editor\"\nleaf_organizations = [\"Same\"]\n\
                 [[generator]]\nid = \"y\"\norganization = \"Y\"\nkind = \"editor\"\nleaf_organizations = [\"same\"]\n",
            ),
            "AmbiguousName",
        ),
        (
            base(
                "[[generator]]\nid = \"x\"\norganization = \"X\"\nkind = \"editor\"\n\
                 [[generator]]\nid = \"y\"\norganization = \"Y\"\nkind = \"editor\"\naliases = [\"x\"]\n",
            ),
            "AmbiguousName",
        ),
        (
            base("[[generator]]\nid = \"x\"\norganization = \"X\"\nkind = \"robot\"\n"),
            "UnknownKind",
        ),
        (
            gen_with("[[generator.product]]\nname = \"P\"\npatterns = ['(unclosed']\n"),
            "BadPattern",
        ),
        (gen_with("[[generator.product]]\nname = \"P\"\npatterns = ['a*']\n"), "BadPattern"),
        (gen_with("[[generator.product]]\nname = \"P\"\npatterns = []\n"), "Invalid"),
        (pin(&"ab".repeat(31), "root"), "BadSpki"),
        (pin(&format!("{}zz", "ab".repeat(31)), "root"), "BadSpki"),
        (pin(&ok_hex, "leaf"), "UnknownRole"),
    ];
    for (text, want) in cases {
        let err = Registry::from_toml(&text).expect_err(&text);
        let got = format!("{err:?}");
        assert!(
            got.starts_with(want),
            "{text:?}: expected {want}, got {got}"
        );
    }
}

// ----- corpus checks -----

/// The claim strings of an EXPECTED.tsv `claimed_source` cell: the leading segment (the claim_generator,
/// with its parenthesised claim_generator_info, up to the first ';') and every '...'-quoted string.
fn claim_strings(cell: &str) -> Vec<String> {
    let mut out = vec![cell
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_string()];
    let parts: Vec<&str> = cell.split('\'').collect();
    for (i, p) in parts.iter().enumerate() {
        if i % 2 == 1 && i + 1 < parts.len() {
            out.push(p.to_string());
        }
    }
    out
}

#[test]
fn expected_tsv_claims_name_the_right_generator() {
    let Some(corpus) = corpus("expected_tsv_claims_name_the_right_generator") else {
        return;
    };
    let r = reg();
    let rows = read_tsv(&corpus.join("generators/EXPECTED.tsv"));
    assert!(
        rows.len() >= 30,
        "EXPECTED.tsv has only {} rows",
        rows.len()
    );
    // Rows whose `org` is not a signing organisation: what the claim names.
    let unsigned: &[(&str, &[&str])] = &[
        ("adobe/PirateShip_save_credentials_to_cloud.jpg", &["adobe"]),
        ("adobe/crater-lake-cr.jpg", &["adobe"]),
        ("adobe/crater-lake.jpeg", &[]),
        ("none/automatic1111_cropped.png", &["stable-diffusion"]),
        ("none/img2img_cropped.png", &["stable-diffusion"]),
        (
            "none/novelai1_cropped.png",
            &["novelai", "stable-diffusion"],
        ),
        ("c2pa-test-signer/composite-dst.jpg", &["adobe"]),
    ];
    let mut checked = 0;
    for row in &rows {
        let path = row["path"].as_str();
        let org = row["org"].as_str();
        let claims = claim_strings(&row["claimed_source"]);
        let got: BTreeSet<String> = claims
            .iter()
            .flat_map(|c| r.match_claim(c))
            .map(|m| m.generator)
            .collect();
        let want: BTreeSet<String> = match unsigned.iter().find(|(p, _)| *p == path) {
            Some((_, ids)) => ids.iter().map(|s| s.to_string()).collect(),
            None => {
                assert!(
                    r.get(org).is_some(),
                    "{path}: org {org:?} is not a registry id; add the row to the test"
                );
                // The active claim_generator alone already names the signing organisation.
                let lead: Vec<String> = r
                    .match_claim(&claims[0])
                    .into_iter()
                    .map(|m| m.generator)
                    .collect();
                assert_eq!(
                    lead,
                    vec![org.to_string()],
                    "{path}: leading claim {:?}",
                    claims[0]
                );
                BTreeSet::from([org.to_string()])
            }
        };
        assert_eq!(got, want, "{path}: claims {claims:?}");
        assert!(!got.contains("stability-ai"), "{path}");
        checked += 1;
    }
    eprintln!("expected_tsv: checked {checked} rows");
}

// Certificates for the pin test, read with the crate's own dependencies: PEM with
// `x509_parser::pem` (as read/ does), X.509 with x509-parser, SHA-256 with ring.

struct Cert {
    spki_sha256: [u8; 32],
    /// (attribute OID, value) of the subject, sorted.
    subject: Vec<(String, String)>,
}

/// A DER certificate that is exactly one X.509 certificate (nothing after it): its SPKI hash and
/// subject attributes (BMPString values decoded as UTF-16, every other string type as UTF-8).
fn parse_cert(der: &[u8]) -> Option<Cert> {
    let (rest, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    if !rest.is_empty() {
        return None;
    }
    let mut subject: Vec<(String, String)> = cert
        .subject()
        .iter_attributes()
        .map(|a| {
            let v = a.attr_value();
            let value = if v.tag() == x509_parser::der_parser::asn1_rs::Tag::BmpString {
                let units: Vec<u16> = v
                    .data
                    .chunks_exact(2)
                    .map(|c| u16::from_be_bytes([c[0], c[1]]))
                    .collect();
                String::from_utf16_lossy(&units)
            } else {
                String::from_utf8_lossy(v.data).into_owned()
            };
            (a.attr_type().to_id_string(), value)
        })
        .collect();
    subject.sort();
    let digest = ring::digest::digest(&ring::digest::SHA256, cert.public_key().raw);
    Some(Cert {
        spki_sha256: digest.as_ref().try_into().ok()?,
        subject,
    })
}

/// The certificates of a PEM bundle.
fn pem_certs(bytes: &[u8]) -> Vec<Cert> {
    x509_parser::pem::Pem::iter_from_buffer(bytes)
        .filter_map(Result::ok)
        .filter(|p| p.label == "CERTIFICATE")
        .filter_map(|p| parse_cert(&p.contents))
        .collect()
}

/// Every certificate embedded in a binary file (COSE x5chain, timestamp tokens): DER SEQUENCEs with a
/// two-byte length (0x30 0x82 len) that parse as certificates.
fn scan_der_certs(bytes: &[u8]) -> Vec<Cert> {
    let mut out = Vec::new();
    for (i, w) in bytes.windows(4).enumerate() {
        if w[0] == 0x30 && w[1] == 0x82 {
            let len = usize::from(w[2]) << 8 | usize::from(w[3]);
            if len >= 200 {
                if let Some(c) = bytes.get(i..i + 4 + len).and_then(parse_cert) {
                    out.push(c);
                }
            }
        }
    }
    out
}

/// RFC 4514 DN as written in INVENTORY.tsv -> sorted (OID, value) pairs.
fn parse_rfc4514(dn: &str) -> Vec<(String, String)> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut chars = dn.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                cur.push('\\');
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            ',' | '+' => parts.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    parts.push(cur);
    let mut out: Vec<(String, String)> = parts
        .iter()
        .map(|p| {
            let (k, v) = p
                .split_once('=')
                .unwrap_or_else(|| panic!("bad RDN {p:?} in {dn:?}"));
            let oid = match k.trim() {
                "CN" => "2.5.4.3",
                "C" => "2.5.4.6",
                "L" => "2.5.4.7",
                "ST" => "2.5.4.8",
                "STREET" => "2.5.4.9",
                "O" => "2.5.4.10",
                "OU" => "2.5.4.11",
                "DC" => "0.9.2342.19200300.100.1.25",
                "UID" => "0.9.2342.19200300.100.1.1",
                other => other,
            };
            let mut value = String::new();
            let mut vc = v.chars();
            while let Some(c) = vc.next() {
                if c == '\\' {
                    if let Some(n) = vc.next() {
                        value.push(n);
                    }
                } else {
                    value.push(c);
                }
            }
            (oid.to_string(), value)
        })
        .collect();
    out.sort();
    out
}

/// Corpus-relative file paths mentioned in a pin's `source`.
fn cited_files(corpus: &Path, source: &str) -> Vec<PathBuf> {
    source
        .split(|c: char| c.is_whitespace() || "(),;".contains(c))
        .map(|t| t.trim_end_matches(['.', ':']))
        .filter(|t| t.contains('/'))
        .map(|t| corpus.join(t))
        .filter(|p| p.is_file())
        .collect()
}

#[test]
fn pins_are_recomputed_from_cited_certificates() {
    let Some(corpus) = corpus("pins_are_recomputed_from_cited_certificates") else {
        return;
    };
    let inventory = read_tsv(&corpus.join("trust/INVENTORY.tsv"));
    let r = reg();
    let mut cache: std::collections::HashMap<PathBuf, Vec<Cert>> = std::collections::HashMap::new();
    let mut report = Vec::new();
    for (g, pin) in r.pins() {
        let files = cited_files(&corpus, &pin.source);
        assert!(
            !files.is_empty(),
            "{}: pin {:?} cites no existing corpus file: {:?}",
            g.id,
            pin.subject,
            pin.source
        );
        let want_subject = parse_rfc4514(&pin.subject);
        let mut found_in = None;
        for f in &files {
            let certs = cache.entry(f.clone()).or_insert_with(|| {
                let bytes = std::fs::read(f).unwrap();
                if f.extension().is_some_and(|e| e == "pem") {
                    pem_certs(&bytes)
                } else {
                    scan_der_certs(&bytes)
                }
            });
            if certs
                .iter()
                .any(|c| c.spki_sha256 == pin.spki_sha256 && c.subject == want_subject)
            {
                found_in = Some(f.strip_prefix(&corpus).unwrap_or(f).display().to_string());
                break;
            }
        }
        let found_in = found_in.unwrap_or_else(|| {
            panic!(
                "{}: pin {:?} spki {} not recomputed from any certificate in {:?}",
                g.id,
                pin.subject,
                pin.spki_hex(),
                files
            )
        });
        // Cross-check with INVENTORY.tsv: every row with this subject must carry this key hash or be a
        // different certificate generation; at least note whether a row pairs them.
        let rows: Vec<_> = inventory
            .iter()
            .filter(|row| row["subject"] == pin.subject)
            .collect();
        let in_inventory = rows.iter().any(|row| row["spki_sha256"] == pin.spki_hex());
        assert!(
            rows.is_empty() || in_inventory,
            "{}: INVENTORY.tsv lists {:?} with another key only",
            g.id,
            pin.subject
        );
        report.push(format!(
            "{:<18} {:<10} {} <- {} (INVENTORY.tsv: {})",
            g.id,
            pin.role,
            pin.subject,
            found_in,
            if in_inventory {
                "same subject+spki row"
            } else {
                "not listed"
            }
        ));
    }
    assert!(report.len() >= 25, "only {} pins", report.len());
    eprintln!("pins verified by recomputation:\n{}", report.join("\n"));
}

/// Every certificate of provcheck's known-intermediate bundle is a CA whose key the bundled
/// registry pins (so data/generators.toml cites where it was found), and the bundle is not
/// empty; the Microsoft issuing CA is in it. (Moved from tests/suite/precision.rs: it reads the
/// registry's pins, which are internal.)
#[test]
fn bundled_generator_cas_are_pinned_cas() {
    let pem = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/generator-cas.pem"),
    )
    .expect("bundle");
    let registry = Registry::bundled();
    let mut subjects = Vec::new();
    for block in pem.split("-----BEGIN CERTIFICATE-----").skip(1) {
        let b64: String = block
            .split("-----END CERTIFICATE-----")
            .next()
            .unwrap()
            .split_whitespace()
            .collect();
        use base64::Engine as _;
        let der = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .expect("base64");
        let (_, cert) = x509_parser::parse_x509_certificate(&der).expect("certificate");
        assert!(cert.is_ca(), "{}", cert.subject());
        let spki: [u8; 32] = ring::digest::digest(&ring::digest::SHA256, cert.public_key().raw)
            .as_ref()
            .try_into()
            .unwrap();
        assert!(
            registry.pins_for_spki(&spki).next().is_some(),
            "{} is bundled but its key is not pinned",
            cert.subject()
        );
        subjects.push(cert.subject().to_string());
    }
    assert!(subjects.len() >= 5, "{subjects:?}");
    assert!(subjects
        .iter()
        .any(|s| s.contains("Microsoft SCD Claimants RSA CA")));
}
