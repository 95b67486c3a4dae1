//! Small, safe thumbnails for the HTML report: the file's actual pixels and the thumbnail its
//! manifest carries.
//!
//! Both come from attacker-controlled bytes. They are decoded with the `image` crate under
//! [`limits`] (at most 16384 x 16384 pixels and 512 MiB of decoder allocations), scaled down to fit
//! [`MAX_SIDE`] x [`MAX_SIDE`], flattened onto white and re-encoded here as a baseline JPEG.
//! Only those re-encoded bytes are ever embedded in a page: never the file's own bytes, never the
//! manifest's thumbnail bytes. Anything that cannot be decoded (HEIC, AVIF, JPEG XL, SVG, video,
//! PDF, a broken or hostile image) gives `None`; nothing here panics (decoding also runs under
//! `catch_unwind`).

use std::io::Cursor;

use base64::Engine as _;
use image::{DynamicImage, GenericImageView, ImageDecoder, ImageReader, Limits};

use crate::read::sniff::{sniff_full, Format};

/// Longest side of a thumbnail, in pixels.
pub const MAX_SIDE: u32 = 256;
/// JPEG quality of the re-encoded thumbnails. A 256 x 256 thumbnail is typically 5-20 KB,
/// at most about 85 KB (110 KB as a `data:` URI) for pure noise.
pub const JPEG_QUALITY: u8 = 75;
/// Widest / tallest image decoded.
pub const MAX_DIMENSION: u32 = 16384;
/// Most bytes the decoder may allocate (output buffer included).
pub const MAX_ALLOC: u64 = 512 * 1024 * 1024;

/// A re-encoded thumbnail, ready to embed as a `data:` URI. Serialised (between a scan worker
/// process and its parent only) with the data as base64.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Thumbnail {
    /// Always `image/jpeg` today.
    pub mime: &'static str,
    /// The encoded image (made here, never copied from the input).
    pub data: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct WireThumbnail {
    data: String,
    width: u32,
    height: u32,
}

impl serde::Serialize for Thumbnail {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        WireThumbnail {
            data: base64::engine::general_purpose::STANDARD.encode(&self.data),
            width: self.width,
            height: self.height,
        }
        .serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for Thumbnail {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let w = WireThumbnail::deserialize(d)?;
        let data = base64::engine::general_purpose::STANDARD
            .decode(w.data)
            .map_err(D::Error::custom)?;
        // Only JPEGs made by `shrink_and_encode` ever cross the wire.
        if !data.starts_with(&[0xff, 0xd8]) || w.width > MAX_SIDE || w.height > MAX_SIDE {
            return Err(D::Error::custom("not a provcheck thumbnail"));
        }
        Ok(Thumbnail {
            mime: "image/jpeg",
            data,
            width: w.width,
            height: w.height,
        })
    }
}

/// The two thumbnails of one file for the HTML page, made while the file is in memory for its
/// check (so the page never reads the file again).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Thumbnails {
    /// The file's actual pixels ([`of_pixels`]).
    pub pixels: Option<Thumbnail>,
    /// The active manifest's claim thumbnail (`c2pa.thumbnail.claim.jpeg`, `.png`, versioned
    /// variants such as `c2pa.thumbnail.claim.jpeg__1`), decoded and re-encoded like the pixels;
    /// `None` when there is none or it is not decoded here (SVG...).
    pub manifest: Option<Thumbnail>,
}

impl Thumbnails {
    /// Both thumbnails of `data`. `claim_thumbnail`: the active manifest's claim thumbnail as
    /// provcheck's own reading of the store found it
    /// ([`crate::read::jumbf::RawManifest::claim_thumbnail`]; the file is not parsed again).
    pub fn of(data: &[u8], claim_thumbnail: Option<&[u8]>) -> Thumbnails {
        Thumbnails {
            pixels: of_pixels(data),
            manifest: claim_thumbnail.and_then(of_pixels),
        }
    }
}

impl Thumbnail {
    /// `data:<mime>;base64,<data>`. The result contains only `[A-Za-z0-9+/=:;,-]`.
    pub fn data_uri(&self) -> String {
        format!(
            "data:{};base64,{}",
            self.mime,
            base64::engine::general_purpose::STANDARD.encode(&self.data)
        )
    }
}

/// The decoding limits used for every image: [`MAX_DIMENSION`] per side, [`MAX_ALLOC`] bytes.
pub fn limits() -> Limits {
    let mut l = Limits::default();
    l.max_image_width = Some(MAX_DIMENSION);
    l.max_image_height = Some(MAX_DIMENSION);
    l.max_alloc = Some(MAX_ALLOC);
    l
}

/// A thumbnail of the pixels actually in the file (JPEG, PNG, WebP, GIF first frame, TIFF),
/// EXIF orientation applied. `None` when the image crate cannot decode it within [`limits`].
pub fn of_pixels(data: &[u8]) -> Option<Thumbnail> {
    std::panic::catch_unwind(|| decode_and_shrink(data))
        .ok()
        .flatten()
}

fn decode_and_shrink(data: &[u8]) -> Option<Thumbnail> {
    if data.is_empty() {
        return None;
    }
    if matches!(sniff_full(data), Format::Tiff | Format::Dng)
        && crate::read::tiff_guard::check_tiff(data).is_err()
    {
        return None;
    }
    let mut reader = ImageReader::new(Cursor::new(data))
        .with_guessed_format()
        .ok()?;
    reader.format()?;
    reader.limits(limits());
    let mut decoder = reader.into_decoder().ok()?;
    // `into_decoder` checks the dimensions; the output buffer must fit the allocation budget too
    // (what `ImageReader::decode` does).
    limits().reserve(decoder.total_bytes()).ok()?;
    let orientation = decoder.orientation().ok();
    let mut img = DynamicImage::from_decoder(decoder).ok()?;
    if let Some(o) = orientation {
        img.apply_orientation(o);
    }
    shrink_and_encode(&img)
}

fn shrink_and_encode(img: &DynamicImage) -> Option<Thumbnail> {
    let (w, h) = img.dimensions();
    if w == 0 || h == 0 {
        return None;
    }
    let small;
    let img = if w > MAX_SIDE || h > MAX_SIDE {
        small = img.thumbnail(MAX_SIDE, MAX_SIDE);
        &small
    } else {
        img
    };
    let rgb = flatten_on_white(img);
    let (width, height) = rgb.dimensions();
    let mut data = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut data, JPEG_QUALITY)
        .encode_image(&rgb)
        .ok()?;
    Some(Thumbnail {
        mime: "image/jpeg",
        data,
        width,
        height,
    })
}

/// RGB with any transparency composited onto white (JPEG has no alpha).
fn flatten_on_white(img: &DynamicImage) -> image::RgbImage {
    if !img.color().has_alpha() {
        return img.to_rgb8();
    }
    let rgba = img.to_rgba8();
    let (w, h) = rgba.dimensions();
    image::RgbImage::from_fn(w, h, |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let a = u32::from(a);
        let over = |c: u8| ((u32::from(c) * a + 255 * (255 - a) + 127) / 255) as u8;
        image::Rgb([over(r), over(g), over(b)])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode_png(img: &DynamicImage) -> Vec<u8> {
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        out
    }

    fn decode(t: &Thumbnail) -> DynamicImage {
        image::load_from_memory_with_format(&t.data, image::ImageFormat::Jpeg).unwrap()
    }

    #[test]
    fn large_image_is_shrunk_to_fit_and_reencoded_as_jpeg() {
        let img = DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
            1000,
            400,
            image::Rgb([200, 10, 10]),
        ));
        let t = of_pixels(&encode_png(&img)).expect("thumbnail");
        assert_eq!(t.mime, "image/jpeg");
        assert_eq!((t.width, t.height), (256, 102));
        let back = decode(&t);
        assert_eq!(back.dimensions(), (256, 102));
        let p = back.to_rgb8().get_pixel(10, 10).0;
        assert!(p[0] > 150 && p[1] < 60, "colour kept: {p:?}");
        assert!(t.data_uri().starts_with("data:image/jpeg;base64,/9j/"));
    }

    #[test]
    fn worst_case_thumbnail_size_is_bounded() {
        // Pseudo-random noise compresses worst.
        let mut x = 0x2545_f491_u32;
        let noise = image::RgbImage::from_fn(256, 256, |_, _| {
            let mut next = || {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                x as u8
            };
            image::Rgb([next(), next(), next()])
        });
        let t = of_pixels(&encode_png(&DynamicImage::ImageRgb8(noise))).unwrap();
        let uri = t.data_uri().len();
        eprintln!(
            "noise thumbnail: {} bytes, data URI {uri} bytes",
            t.data.len()
        );
        assert!(uri < 128 * 1024, "data URI {uri} bytes");
    }

    #[test]
    fn small_image_is_not_enlarged_and_alpha_goes_white() {
        let img = DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(
            20,
            10,
            image::Rgba([0, 0, 0, 0]),
        ));
        let t = of_pixels(&encode_png(&img)).expect("thumbnail");
        assert_eq!((t.width, t.height), (20, 10));
        let p = decode(&t).to_rgb8().get_pixel(5, 5).0;
        assert!(p.iter().all(|&c| c > 240), "transparent shown white: {p:?}");
    }

    #[test]
    fn undecodable_input_gives_none() {
        assert!(of_pixels(b"").is_none());
        assert!(
            of_pixels(b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>").is_none()
        );
        assert!(of_pixels(b"<html><script>alert(1)</script></html>").is_none());
        // A JPEG header and nothing else.
        assert!(of_pixels(&[0xff, 0xd8, 0xff, 0xe0, 0, 16, b'J', b'F', b'I', b'F', 0]).is_none());
        // A truncated PNG.
        let png = encode_png(&DynamicImage::new_rgb8(64, 64));
        assert!(of_pixels(&png[..png.len() / 2]).is_none());
    }

    #[test]
    fn oversized_dimensions_are_refused_before_allocating() {
        // A valid PNG header claiming 100000 x 100000 RGBA (40 GB decoded), no real data.
        let png = encode_png(&DynamicImage::new_rgba8(1, 1));
        let mut forged = png.clone();
        // IHDR data starts at byte 16: width, height (big-endian). The CRC no longer matches,
        // so also try with the CRC fixed up.
        forged[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        forged[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        assert!(of_pixels(&forged).is_none());
        let crc = crc32(&forged[12..29]);
        forged[29..33].copy_from_slice(&crc.to_be_bytes());
        let started = std::time::Instant::now();
        assert!(of_pixels(&forged).is_none());
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xffff_ffffu32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 != 0 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    /// The thumbnails a check with thumbnails on makes of `file` (under the project root).
    fn checked(file: &str) -> (Vec<u8>, Thumbnails) {
        let data =
            std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).unwrap();
        let v = crate::Verifier::new(crate::VerifierOptions {
            thumbnails: true,
            ..Default::default()
        })
        .unwrap();
        let r = v.verify_bytes(&data, Some(file));
        (data, *r.input.thumbnails.expect("thumbnails asked for"))
    }

    #[test]
    fn plain_files_have_pixels_but_no_manifest_thumbnail() {
        for name in ["plain.jpg", "plain.png", "plain.webp"] {
            let (_, t) = checked(&format!("samples/plain/{name}"));
            let pixels = t.pixels.unwrap_or_else(|| panic!("{name} decodes"));
            assert_eq!((pixels.width, pixels.height), (64, 48), "{name}");
            assert!(t.manifest.is_none(), "{name}");
        }
    }

    #[test]
    fn signed_samples_with_and_without_a_claim_thumbnail() {
        // composite-dst.jpg carries c2pa.thumbnail.claim.jpeg; the Bing sample has none.
        let (data, t) = checked("samples/composite-dst.jpg");
        let pixels = t.pixels.expect("pixels");
        assert!(pixels.width <= MAX_SIDE && pixels.height <= MAX_SIDE);
        let claim = t.manifest.expect("claim thumbnail");
        assert!(claim.width <= MAX_SIDE && claim.height <= MAX_SIDE);
        assert_eq!(decode(&claim).dimensions(), (claim.width, claim.height));
        assert_ne!(
            claim, pixels,
            "the manifest's own thumbnail, not the file's pixels"
        );
        // Re-encoded here, not the embedded bytes.
        assert!(!data
            .windows(claim.data.len())
            .any(|w| w == claim.data.as_slice()));

        let (_, t) = checked("samples/bing_creator_cloud_surfing_puppy.jpg");
        assert!(t.pixels.is_some());
        assert!(t.manifest.is_none());
    }

    #[test]
    fn thumbnails_cross_the_worker_pipe_intact_and_nothing_else_does() {
        let (_, t) = checked("samples/composite-dst.jpg");
        assert!(t.pixels.is_some() && t.manifest.is_some());
        let wire = serde_json::to_string(&t).unwrap();
        assert_eq!(serde_json::from_str::<Thumbnails>(&wire).unwrap(), t);
        // A forged line cannot smuggle other bytes (e.g. SVG) into the page.
        let svg = base64::engine::general_purpose::STANDARD.encode("<svg onload=alert(1)>");
        let forged = format!(r#"{{"pixels":{{"data":"{svg}","width":1,"height":1}}}}"#);
        assert!(serde_json::from_str::<Thumbnails>(&forged).is_err());
    }
}
