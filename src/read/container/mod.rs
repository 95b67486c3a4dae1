//! Walkers of the container formats that more than one reader needs: the JPEG segments, the PNG
//! chunks, the GIF blocks before the first image, the JPEG XL top-level boxes, the TIFF header
//! and IFD entries, and the bounds-checked byte readers they are built on.
//! Each walker only splits the file into its pieces (bounded, never panicking); what a piece
//! means is for the reader that asks (`locate`, `binding`, `metadata`, `sniff`, `tiff_guard`).

pub mod bmff;
pub mod bytes;
pub mod gif;
pub mod jpeg;
pub mod jxl;
pub mod png;
pub mod tiff;
