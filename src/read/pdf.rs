//! A PDF's manifest store and remote reference, read the way the c2pa SDK reads them, with the
//! document parsed once.
//!
//! The SDK parses a PDF with lopdf on every question it asks of it: the manifest bytes
//! (`PdfIO::read_cai`), then, when there are none, the XMP for a remote reference
//! (`XmpInfo::from_source` -> `PdfIO::read_xmp`). With provcheck's own structural reading before
//! the SDK's `Reader`, a PDF without a manifest was parsed three times, and an encrypted one (AES-256,
//! revision 6: lopdf derives its key with the password hash of ISO 32000-2 7.6.4.3.4 on every
//! parse) cost 40 ms. Here lopdf parses it once; the questions are asked as
//! `c2pa-0.90.22/src/asset_handlers/pdf.rs` asks them, with the same lopdf and the same options,
//! so the answer is the SDK's. Anything the SDK would answer with an error (a document lopdf
//! cannot load, an associated file that does not resolve) is not answered here: the caller
//! leaves the file to the SDK.

use lopdf::{Document, Object};

/// What [`read`] found, when it is certain to be what the SDK finds.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum PdfStore {
    /// The manifest store's bytes: the embedded file the catalog's `AF` array marks as the
    /// C2PA manifest (`AFRelationship /C2PA_Manifest`).
    Manifest(Vec<u8>),
    /// No manifest store; `provenance` is the XMP `dcterms:provenance` value, if any (the SDK
    /// treats an http(s) one as a remote manifest reference).
    None { provenance: Option<String> },
}

/// The c2pa SDK's `PdfIO::read_cai`, then (no store) its XMP provenance, from one parse.
/// `None` when lopdf cannot load the document or the associated file does not resolve: the
/// SDK reports those as errors of its own, so the caller asks the SDK.
pub(crate) fn read(data: &[u8]) -> Option<PdfStore> {
    // `Pdf::from_reader` -> `Document::load_from(reader)`, which reads everything and parses
    // the buffer as `load_mem` does, with `LoadOptions::default()` either way.
    let doc = Document::load_mem(data).ok()?;
    match manifest_bytes(&doc)? {
        Some(bytes) if !bytes.is_empty() => Some(PdfStore::Manifest(bytes.to_vec())),
        // `jumbf_io::load_jumbf_from_stream`: an empty block is `JumbfNotFound` too
        _ => Some(PdfStore::None {
            provenance: match xmp(&doc) {
                Some(x) => provenance(x)?,
                None => None,
            },
        }),
    }
}

/// `Pdf::read_manifest_bytes`: `Some(None)` without a C2PA associated file, `None` where the
/// SDK's lookup fails (`PdfReadError`).
fn manifest_bytes(doc: &Document) -> Option<Option<&[u8]>> {
    let Some(id) = c2pa_file_spec(doc) else {
        return Some(None);
    };
    let ef = doc
        .get_object(id)
        .and_then(Object::as_dict)
        .and_then(|d| d.get_deref(b"EF", doc))
        .and_then(Object::as_dict)
        .ok()?;
    let stream = ef.get_deref(b"F", doc).and_then(Object::as_stream).ok()?;
    Some(Some(&stream.content))
}

/// `Pdf::c2pa_file_spec_object_id`: the first reference in the catalog's `AF` array whose
/// dictionary's `AFRelationship` is the name `C2PA_Manifest`.
fn c2pa_file_spec(doc: &Document) -> Option<lopdf::ObjectId> {
    let af = doc
        .catalog()
        .and_then(|c| c.get_deref(b"AF", doc))
        .and_then(Object::as_array)
        .ok()?;
    af.iter().find_map(|value| {
        let reference = value.as_reference().ok()?;
        let name = doc
            .get_object(reference)
            .and_then(Object::as_dict)
            .and_then(|d| d.get_deref(b"AFRelationship", doc))
            .and_then(Object::as_name)
            .ok()?;
        (name == b"C2PA_Manifest").then_some(reference)
    })
}

/// `Pdf::read_xmp`: the catalog's `Metadata` stream when its `Subtype` is `XML` (any case), its
/// stored bytes as UTF-8 (not decoded: the SDK reads `content` as it is; it copies them into a
/// `String`, this borrows them).
fn xmp(doc: &Document) -> Option<&str> {
    let stream = doc
        .catalog()
        .and_then(|c| c.get_deref(b"Metadata", doc))
        .and_then(Object::as_stream)
        .ok()?;
    let subtype = stream
        .dict
        .get_deref(b"Subtype", doc)
        .and_then(Object::as_name)
        .ok()?;
    if !std::str::from_utf8(subtype)
        .ok()?
        .eq_ignore_ascii_case("xml")
    {
        return None;
    }
    std::str::from_utf8(&stream.content).ok()
}

/// `xmp_inmemory_utils::extract_provenance`: the first `dcterms:provenance`, as an attribute of
/// an `rdf:Description` or as an element's text, with the SDK's quick-xml reading (text trimmed,
/// a parse error skipped as the SDK skips it). `None` when the reading does not end within one
/// event per byte (quick-xml not advancing after an error): undecided, the SDK is asked.
pub(crate) fn provenance(xmp: &str) -> Option<Option<String>> {
    use quick_xml::events::Event;
    use quick_xml::name::QName;
    const KEY: &[u8] = b"dcterms:provenance";
    let mut reader = quick_xml::Reader::from_str(xmp);
    reader.config_mut().trim_text(true);
    for _ in 0..=xmp.len() + 1 {
        match reader.read_event() {
            Ok(Event::Start(ref e)) | Ok(Event::Empty(ref e)) => {
                if e.name() == QName(b"rdf:Description") {
                    let value = e
                        .attributes()
                        .find(|a| a.as_ref().is_ok_and(|a| a.key == QName(KEY)));
                    if let Some(Ok(attribute)) = value {
                        if let Ok(s) = String::from_utf8(attribute.value.to_vec()) {
                            return Some(Some(s));
                        }
                    }
                } else if e.name() == QName(KEY) {
                    if let Ok(s) = reader.read_text(e.name()) {
                        if let Ok(s) = s.decode() {
                            return Some(Some(s.into_owned()));
                        }
                    }
                }
            }
            Ok(Event::Eof) => return Some(None),
            // the SDK's loop goes on after a parse error too
            _ => {}
        }
    }
    None
}

/// `Store::is_valid_remote_url`: what makes a provenance value a remote manifest reference.
pub(crate) fn is_remote_url(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| u.scheme() == "http" || u.scheme() == "https")
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{dictionary, Stream};
    use std::io::Cursor;

    /// A one-page PDF; `xmp` becomes the catalog's `Metadata` stream, `manifest` an embedded
    /// file the catalog's `AF` array marks as the C2PA manifest (as the SDK writes it).
    fn pdf(xmp: Option<&str>, manifest: Option<&[u8]>) -> Vec<u8> {
        let mut doc = Document::with_version("1.7");
        let pages = doc.new_object_id();
        let page = doc.add_object(dictionary! {"Type" => "Page", "Parent" => pages});
        doc.objects.insert(
            pages,
            Object::Dictionary(
                dictionary! {"Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1},
            ),
        );
        let mut catalog = dictionary! {"Type" => "Catalog", "Pages" => pages};
        if let Some(x) = xmp {
            let s = Stream::new(
                dictionary! {"Type" => "Metadata", "Subtype" => "XML"},
                x.as_bytes().to_vec(),
            );
            catalog.set("Metadata", doc.add_object(s));
        }
        if let Some(m) = manifest {
            let file = doc.add_object(Stream::new(
                dictionary! {"Type" => "EmbeddedFile", "Subtype" => "application/c2pa"},
                m.to_vec(),
            ));
            let spec = doc.add_object(dictionary! {
                "Type" => "Filespec",
                "F" => Object::string_literal("manifest.c2pa"),
                "AFRelationship" => "C2PA_Manifest",
                "EF" => dictionary! {"F" => file},
            });
            catalog.set("AF", vec![Object::Reference(spec)]);
        }
        let root = doc.add_object(catalog);
        doc.trailer.set("Root", root);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    fn xmp_with(description: &str) -> String {
        format!(
            r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">{description}</rdf:RDF></x:xmpmeta><?xpacket end="w"?>"#
        )
    }

    /// What the SDK's `Reader` says of a PDF without a store: `Some(url)` for a remote
    /// reference, `None` for no manifest; anything else fails the test.
    fn sdk_remote(data: &[u8]) -> Option<String> {
        let context = c2pa::Context::new();
        match c2pa::Reader::from_context(context).with_stream("application/pdf", Cursor::new(data))
        {
            Err(c2pa::Error::RemoteManifestUrl(url)) => Some(url),
            Err(c2pa::Error::JumbfNotFound) => None,
            other => panic!("the SDK read a store or failed: {:?}", other.err()),
        }
    }

    /// The case of `read`, as the SDK's outcome would be.
    fn own_remote(data: &[u8]) -> Option<String> {
        match read(data) {
            Some(PdfStore::None { provenance }) => provenance.filter(|u| is_remote_url(u)),
            other => panic!("not a store-less PDF: {other:?}"),
        }
    }

    #[test]
    fn remote_references_are_the_sdks() {
        let cases = [
            None,
            Some(xmp_with(r#"<rdf:Description rdf:about=""/>"#)),
            Some(xmp_with(
                r#"<rdf:Description rdf:about="" xmlns:dcterms="http://purl.org/dc/terms/" dcterms:provenance="https://example.com/m.c2pa"/>"#,
            )),
            Some(xmp_with(
                r#"<rdf:Description rdf:about="" xmlns:dcterms="http://purl.org/dc/terms/"><dcterms:provenance> http://example.com/e.c2pa </dcterms:provenance></rdf:Description>"#,
            )),
            // not a URL the SDK would fetch: no remote reference
            Some(xmp_with(
                r#"<rdf:Description xmlns:dcterms="http://purl.org/dc/terms/" dcterms:provenance="self#jumbf=c2pa"/>"#,
            )),
            Some(xmp_with(
                r#"<rdf:Description xmlns:dcterms="http://purl.org/dc/terms/" dcterms:provenance="ftp://example.com/m"/>"#,
            )),
            // malformed XML before and after the reference
            Some(xmp_with(
                r#"<a></b><rdf:Description xmlns:dcterms="x" dcterms:provenance="https://example.com/after-error"/>"#,
            )),
            Some(r#"<rdf:Description dcterms:provenance="https://example.com/x" <<<"#.into()),
            Some("<<<>>>&&&".into()),
        ];
        let mut remotes = 0;
        for xmp in &cases {
            let data = pdf(xmp.as_deref(), None);
            let sdk = sdk_remote(&data);
            remotes += usize::from(sdk.is_some());
            assert_eq!(own_remote(&data), sdk, "{xmp:?}");
        }
        assert!(remotes >= 2, "the cases must include remote references");
    }

    #[test]
    fn manifest_bytes_are_the_sdks() {
        let store = b"\x00\x00\x00\x10jumbnot really".as_slice();
        let data = pdf(None, Some(store));
        assert_eq!(
            c2pa::jumbf_io::load_jumbf_from_memory("application/pdf", &data).unwrap(),
            store
        );
        assert_eq!(read(&data), Some(PdfStore::Manifest(store.to_vec())));
        // an empty embedded file is no store to the SDK either
        let empty = pdf(None, Some(b""));
        assert!(matches!(
            c2pa::jumbf_io::load_jumbf_from_memory("application/pdf", &empty),
            Err(c2pa::Error::JumbfNotFound)
        ));
        assert_eq!(own_remote(&empty), None);
    }

    #[test]
    fn what_the_sdk_cannot_load_is_left_to_it() {
        assert_eq!(read(b"%PDF-1.7\nnot a pdf"), None);
        let mut data = pdf(None, None);
        data.truncate(data.len() / 2);
        assert_eq!(read(&data), None);
    }

    /// What an analyst sees: the remote reference of a PDF without a store, named the same with
    /// the one parse as with the SDK's three.
    #[test]
    fn the_report_names_the_remote_reference_either_way() {
        let data = pdf(
            Some(&xmp_with(
                r#"<rdf:Description xmlns:dcterms="http://purl.org/dc/terms/" dcterms:provenance="https://example.com/m.c2pa"/>"#,
            )),
            None,
        );
        let reports: Vec<_> = [true, false]
            .map(|own_path| {
                let o = crate::VerifierOptions {
                    own_path,
                    ..Default::default()
                };
                let r = crate::Verifier::new(o)
                    .unwrap()
                    .verify_bytes(&data, Some("r.pdf"));
                let mut v = serde_json::to_value(&r).unwrap();
                v.as_object_mut().unwrap().remove("timing");
                v
            })
            .into();
        assert_eq!(reports[0]["verdict"], "unsigned");
        assert_eq!(reports[0]["remote_manifest"], "https://example.com/m.c2pa");
        assert_eq!(reports[0], reports[1]);
    }
}
