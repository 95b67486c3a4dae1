//! Throw-away X.509 certificates (rcgen) for signing test images.

use chrono::{DateTime, Datelike, Duration, Timelike, Utc};
use rcgen::{
    BasicConstraints, CertificateParams, CustomExtension, DistinguishedName, DnType, DnValue, IsCa,
    KeyIdMethod, KeyPair, KeyUsagePurpose, SerialNumber,
};
use x509_parser::prelude::{FromDer, ParsedExtension, X509Certificate};

use super::der;

/// id-kp-emailProtection
pub const EKU_EMAIL_PROTECTION: &str = "1.3.6.1.5.5.7.3.4";
/// C2PA claim signing (c2pa-kp-claimSigning)
pub const EKU_C2PA_CLAIM_SIGNING: &str = "1.3.6.1.4.1.62558.2.1";
/// id-kp-documentSigning
pub const EKU_DOCUMENT_SIGNING: &str = "1.3.6.1.5.5.7.3.36";
/// id-kp-timeStamping
pub const EKU_TIME_STAMPING: &str = "1.3.6.1.5.5.7.3.8";
/// id-kp-OCSPSigning
pub const EKU_OCSP_SIGNING: &str = "1.3.6.1.5.5.7.3.9";
/// id-kp-serverAuth
pub const EKU_SERVER_AUTH: &str = "1.3.6.1.5.5.7.3.1";
/// id-kp-codeSigning
pub const EKU_CODE_SIGNING: &str = "1.3.6.1.5.5.7.3.3";
/// Microsoft's C2PA signing EKU
pub const EKU_MS_C2PA_SIGNING: &str = "1.3.6.1.4.1.311.76.59.1.9";
/// anyExtendedKeyUsage
pub const EKU_ANY: &str = "2.5.29.37.0";

/// Key algorithm of a throw-away certificate. (No RSA: rcgen 0.13 with ring cannot generate RSA keys.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyAlg {
    P256,
    P384,
    Ed25519,
}

impl KeyAlg {
    /// The C2PA/COSE signing algorithm used with a key of this type.
    pub fn signing_alg(self) -> c2pa::SigningAlg {
        match self {
            KeyAlg::P256 => c2pa::SigningAlg::Es256,
            KeyAlg::P384 => c2pa::SigningAlg::Es384,
            KeyAlg::Ed25519 => c2pa::SigningAlg::Ed25519,
        }
    }

    fn rcgen_alg(self) -> &'static rcgen::SignatureAlgorithm {
        match self {
            KeyAlg::P256 => &rcgen::PKCS_ECDSA_P256_SHA256,
            KeyAlg::P384 => &rcgen::PKCS_ECDSA_P384_SHA384,
            KeyAlg::Ed25519 => &rcgen::PKCS_ED25519,
        }
    }
}

/// A certificate with its private key.
#[derive(Clone, Debug)]
pub struct CertKey {
    /// DER of the certificate.
    pub der: Vec<u8>,
    /// PEM ("CERTIFICATE") of the certificate.
    pub pem: String,
    /// PKCS#8 PEM ("PRIVATE KEY") of the private key.
    pub key_pem: String,
    pub alg: KeyAlg,
}

impl CertKey {
    /// Subject DN as x509-parser prints it (e.g. "CN=Example Signer, O=Example Org").
    pub fn subject(&self) -> String {
        parse(&self.der).subject().to_string()
    }

    /// Issuer DN as x509-parser prints it.
    pub fn issuer(&self) -> String {
        parse(&self.der).issuer().to_string()
    }

    /// Lower-case hex SHA-256 of the DER (a certificate fingerprint).
    pub fn sha256_hex(&self) -> String {
        hex::encode(ring::digest::digest(&ring::digest::SHA256, &self.der))
    }
}

/// Concatenate the PEMs of `certs` (e.g. for c2pa's `trust.trust_anchors` setting).
pub fn pem_bundle(certs: &[&CertKey]) -> String {
    certs.iter().map(|c| c.pem.as_str()).collect::<String>()
}

/// Options for [`make_leaf`] / [`make_self_signed_leaf`].
#[derive(Clone, Debug)]
pub struct LeafOpts {
    /// EKU OIDs, dotted. Empty vector = no EKU extension at all.
    pub ekus: Vec<&'static str>,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
    /// keyUsage digitalSignature (default true). When false the keyUsage is
    /// nonRepudiation (contentCommitment) only -- which c2pa 0.90.22 still accepts.
    pub digital_signature: bool,
    /// Mark the EKU extension critical (default false).
    pub eku_critical: bool,
    /// Make the "leaf" a CA certificate (basicConstraints cA=TRUE, keyCertSign) -- c2pa refuses to sign with it.
    pub is_ca: bool,
    /// Full override of the keyUsage bits (None = derived from `digital_signature`/`is_ca`;
    /// Some(vec![]) = no keyUsage extension).
    pub key_usages: Option<Vec<KeyUsagePurpose>>,
}

impl Default for LeafOpts {
    fn default() -> Self {
        let now = Utc::now();
        LeafOpts {
            ekus: vec![EKU_EMAIL_PROTECTION, EKU_C2PA_CLAIM_SIGNING],
            not_before: now - Duration::days(1),
            not_after: now + Duration::days(365),
            digital_signature: true,
            eku_critical: false,
            is_ca: false,
            key_usages: None,
        }
    }
}

/// Options for [`make_ca_with`].
#[derive(Clone, Debug)]
pub struct CaOpts {
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
    /// basicConstraints pathLenConstraint.
    pub path_len: Option<u8>,
}

impl Default for CaOpts {
    fn default() -> Self {
        let now = Utc::now();
        CaOpts {
            not_before: now - Duration::days(5 * 365),
            not_after: now + Duration::days(3650),
            path_len: None,
        }
    }
}

/// A CA certificate (cA=TRUE, keyCertSign+cRLSign). Self-signed when `issuer` is None.
pub fn make_ca(dn: &[(&str, &str)], issuer: Option<&CertKey>, alg: KeyAlg) -> CertKey {
    make_ca_with(dn, issuer, alg, &CaOpts::default())
}

/// [`make_ca`] with explicit validity / path length.
pub fn make_ca_with(
    dn: &[(&str, &str)],
    issuer: Option<&CertKey>,
    alg: KeyAlg,
    opts: &CaOpts,
) -> CertKey {
    let key = KeyPair::generate_for(alg.rcgen_alg()).expect("generate CA key");
    let mut params = base_params(dn_from_pairs(dn), opts.not_before, opts.not_after);
    params.is_ca = IsCa::Ca(match opts.path_len {
        Some(n) => BasicConstraints::Constrained(n),
        None => BasicConstraints::Unconstrained,
    });
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    issue(params, key, alg, issuer)
}

/// Re-issue the CA `subject` (same DN, same key) under `issuer`: a cross-certificate.
/// With `a = make_ca(A, None)`, `b = make_ca(B, Some(&a))`, `a2 = cross_certify(&a, &b)`,
/// `b` and `a2` issue each other: a chain loop.
pub fn cross_certify(subject: &CertKey, issuer: &CertKey) -> CertKey {
    let key = KeyPair::from_pem(&subject.key_pem).expect("subject key");
    let opts = CaOpts::default();
    let mut params = base_params(dn_from_der(&subject.der), opts.not_before, opts.not_after);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    if let Some(ski) = ski_of(&subject.der) {
        params.key_identifier_method = KeyIdMethod::PreSpecified(ski);
    }
    issue(params, key, subject.alg, Some(issuer))
}

/// An end-entity signing certificate issued by `issuer`: cA=FALSE (with SKI and AKI),
/// keyUsage and EKU per `opts`.
///
/// Give the subject an `O` attribute: c2pa 0.90.22's Reader reports
/// `claimSignature.mismatch` for a signing certificate whose subject has no O.
/// DN attributes: CN, O, OU, C, L, ST, E/emailAddress, serialNumber, DC or a dotted OID;
/// each at most once (rcgen keeps one value per attribute type).
pub fn make_leaf(dn: &[(&str, &str)], issuer: &CertKey, alg: KeyAlg, opts: &LeafOpts) -> CertKey {
    let key = KeyPair::generate_for(alg.rcgen_alg()).expect("generate leaf key");
    issue(leaf_params(dn, opts), key, alg, Some(issuer))
}

/// A self-signed end-entity certificate (subject == issuer, cA=FALSE, AKI == SKI).
/// c2pa 0.90.22 signs with it (it only refuses self-signed certificates that are also CAs).
pub fn make_self_signed_leaf(dn: &[(&str, &str)], alg: KeyAlg, opts: &LeafOpts) -> CertKey {
    let key = KeyPair::generate_for(alg.rcgen_alg()).expect("generate leaf key");
    issue(leaf_params(dn, opts), key, alg, None)
}

/// A time-stamping authority certificate: EKU id-kp-timeStamping only, marked critical
/// (RFC 3161 §2.3), keyUsage digitalSignature, valid from now-4y to now+4y (so tokens
/// can be back-dated, e.g. into the lifetime of an expired signer).
pub fn make_tsa_leaf(dn: &[(&str, &str)], issuer: &CertKey, alg: KeyAlg) -> CertKey {
    let now = Utc::now();
    let opts = LeafOpts {
        ekus: vec![EKU_TIME_STAMPING],
        eku_critical: true,
        not_before: now - Duration::days(4 * 365),
        not_after: now + Duration::days(4 * 365),
        ..LeafOpts::default()
    };
    make_leaf(dn, issuer, alg, &opts)
}

fn leaf_params(dn: &[(&str, &str)], opts: &LeafOpts) -> CertificateParams {
    let mut params = base_params(dn_from_pairs(dn), opts.not_before, opts.not_after);
    params.is_ca = if opts.is_ca {
        IsCa::Ca(BasicConstraints::Unconstrained)
    } else {
        IsCa::ExplicitNoCa
    };
    params.key_usages = match &opts.key_usages {
        Some(k) => k.clone(),
        None => {
            let mut k = vec![if opts.digital_signature {
                KeyUsagePurpose::DigitalSignature
            } else {
                KeyUsagePurpose::ContentCommitment
            }];
            if opts.is_ca {
                k.push(KeyUsagePurpose::KeyCertSign);
            }
            k
        }
    };
    if !opts.ekus.is_empty() {
        let body = der::seq(&opts.ekus.iter().map(|o| der::oid(o)).collect::<Vec<_>>());
        let mut ext = CustomExtension::from_oid_content(&[2, 5, 29, 37], body);
        ext.set_criticality(opts.eku_critical);
        params.custom_extensions.push(ext);
    }
    params
}

fn base_params(
    dn: DistinguishedName,
    not_before: DateTime<Utc>,
    not_after: DateTime<Utc>,
) -> CertificateParams {
    let mut params = CertificateParams::default();
    params.distinguished_name = dn;
    let (y, m, d, secs) = ymd_secs(not_before);
    params.not_before = rcgen::date_time_ymd(y, m, d) + std::time::Duration::from_secs(secs);
    let (y, m, d, secs) = ymd_secs(not_after);
    params.not_after = rcgen::date_time_ymd(y, m, d) + std::time::Duration::from_secs(secs);
    params.serial_number = Some(random_serial());
    params.use_authority_key_identifier_extension = true;
    params
}

fn issue(
    params: CertificateParams,
    key: KeyPair,
    alg: KeyAlg,
    issuer: Option<&CertKey>,
) -> CertKey {
    let cert = match issuer {
        None => params.self_signed(&key).expect("self-sign certificate"),
        Some(iss) => {
            let iss_key = KeyPair::from_pem(&iss.key_pem).expect("issuer key");
            // rcgen 0.13 wants an rcgen Certificate for the issuer: rebuild one with the
            // issuer's DN and key identifier (only those and the key are used).
            let mut iss_params = CertificateParams::default();
            iss_params.distinguished_name = dn_from_der(&iss.der);
            if let Some(ski) = ski_of(&iss.der) {
                iss_params.key_identifier_method = KeyIdMethod::PreSpecified(ski);
            }
            let iss_cert = iss_params.self_signed(&iss_key).expect("rebuild issuer");
            params
                .signed_by(&key, &iss_cert, &iss_key)
                .expect("sign certificate")
        }
    };
    CertKey {
        der: cert.der().to_vec(),
        pem: cert.pem(),
        key_pem: key.serialize_pem(),
        alg,
    }
}

fn random_serial() -> SerialNumber {
    use ring::rand::SecureRandom;
    let mut b = [0u8; 16];
    ring::rand::SystemRandom::new()
        .fill(&mut b)
        .expect("random serial");
    b[0] = (b[0] & 0x7F) | 0x10;
    SerialNumber::from_slice(&b)
}

fn ymd_secs(t: DateTime<Utc>) -> (i32, u8, u8, u64) {
    (
        t.year(),
        t.month() as u8,
        t.day() as u8,
        u64::from(t.num_seconds_from_midnight()),
    )
}

fn dn_type(attr: &str) -> DnType {
    match attr {
        "CN" => DnType::CommonName,
        "O" => DnType::OrganizationName,
        "OU" => DnType::OrganizationalUnitName,
        "C" => DnType::CountryName,
        "L" => DnType::LocalityName,
        "ST" | "S" => DnType::StateOrProvinceName,
        "E" | "emailAddress" => DnType::CustomDnType(vec![1, 2, 840, 113549, 1, 9, 1]),
        "serialNumber" => DnType::CustomDnType(vec![2, 5, 4, 5]),
        "DC" => DnType::CustomDnType(vec![0, 9, 2342, 19200300, 100, 1, 25]),
        other if other.contains('.') => DnType::CustomDnType(der::oid_arcs(other)),
        other => panic!("unknown DN attribute {other:?}"),
    }
}

fn dn_from_pairs(dn: &[(&str, &str)]) -> DistinguishedName {
    let mut out = DistinguishedName::new();
    for (attr, value) in dn {
        let value: DnValue = match *attr {
            // Country and serialNumber are PrintableString in real certificates.
            "C" | "serialNumber" => match rcgen::PrintableString::try_from(*value) {
                Ok(p) => DnValue::PrintableString(p),
                Err(_) => DnValue::Utf8String(value.to_string()),
            },
            "E" | "emailAddress" | "DC" => match rcgen::Ia5String::try_from(*value) {
                Ok(s) => DnValue::Ia5String(s),
                Err(_) => DnValue::Utf8String(value.to_string()),
            },
            _ => DnValue::Utf8String(value.to_string()),
        };
        out.push(dn_type(attr), value);
    }
    out
}

/// Rebuild an rcgen DN from a certificate's subject, keeping the string types.
fn dn_from_der(cert_der: &[u8]) -> DistinguishedName {
    let cert = parse(cert_der);
    let mut out = DistinguishedName::new();
    for rdn in cert.subject().iter_rdn() {
        for atv in rdn.iter() {
            let arcs: Vec<u64> = atv.attr_type().iter().expect("OID arcs fit u64").collect();
            let s = atv.as_str().unwrap_or("").to_string();
            let value = match atv.attr_value().tag().0 {
                19 => rcgen::PrintableString::try_from(s.as_str())
                    .map(DnValue::PrintableString)
                    .unwrap_or(DnValue::Utf8String(s)),
                22 => rcgen::Ia5String::try_from(s.as_str())
                    .map(DnValue::Ia5String)
                    .unwrap_or(DnValue::Utf8String(s)),
                _ => DnValue::Utf8String(s),
            };
            out.push(DnType::from_oid(&arcs), value);
        }
    }
    out
}

fn ski_of(cert_der: &[u8]) -> Option<Vec<u8>> {
    let cert = parse(cert_der);
    cert.extensions()
        .iter()
        .find_map(|e| match e.parsed_extension() {
            ParsedExtension::SubjectKeyIdentifier(k) => Some(k.0.to_vec()),
            _ => None,
        })
}

pub(crate) fn parse(cert_der: &[u8]) -> X509Certificate<'_> {
    X509Certificate::from_der(cert_der)
        .expect("parse certificate")
        .1
}

/// A throw-away P-256 chain: a leaf for "Acme Labs" ("Acme Imagine signer") under "Test Root";
/// (leaf, root).
pub fn acme_chain() -> (CertKey, CertKey) {
    let root = make_ca(&[("O", "Test Root")], None, KeyAlg::P256);
    let leaf = make_leaf(
        &[("O", "Acme Labs"), ("CN", "Acme Imagine signer")],
        &root,
        KeyAlg::P256,
        &LeafOpts::default(),
    );
    (leaf, root)
}
