//! A PNG logo as a PDF image, prepared once per session.
//!
//! PDF reads PNG's own compressed rows (Flate with PNG predictors): an opaque PNG goes in
//! as it is. A PNG with transparency is unfiltered by lopdf's Flate/PNG-predictor decoder,
//! its alpha channel becomes a soft mask, and both are compressed once. Interlaced PNGs
//! are refused with a message saying how to fix them.

use super::writer::{deflate, hex};

/// Largest side accepted, in pixels (a logo, not a photograph).
const MAX_SIDE: u32 = 6000;

/// One image stream: its dictionary entries (without `/Length`) and its data.
#[derive(Debug, Clone)]
pub struct Stream {
    pub dict: String,
    pub data: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct Image {
    /// The image, whose dictionary ends where `/SMask n 0 R` may be added.
    pub stream: Stream,
    /// Its soft mask (transparency), when it has one.
    pub mask: Option<Stream>,
    pub width: u32,
    pub height: u32,
}

struct Header {
    width: u32,
    height: u32,
    depth: u8,
    colour: u8,
}

/// Reads a PNG into a PDF image XObject (with a soft mask when it has transparency).
pub fn from_png(bytes: &[u8]) -> Result<Image, String> {
    let png = Chunks::read(bytes)?;
    let h = png.header.ok_or("en-tête PNG (IHDR) absent")?;
    if h.width == 0 || h.height == 0 || h.width > MAX_SIDE || h.height > MAX_SIDE {
        return Err(format!(
            "taille {}×{} pixels : de 1 à {MAX_SIDE} pixels de côté",
            h.width, h.height
        ));
    }
    let channels = channels(&h)?;
    if h.colour == 3 && png.palette.is_empty() {
        return Err("PNG à palette sans palette".into());
    }
    if h.colour == 3 && png.palette.len() < 3 {
        return Err("palette PNG tronquée (pas une seule couleur)".into());
    }
    let transparency = png.transparency.as_deref();
    let opaque =
        matches!(h.colour, 0 | 2 | 3) && h.depth <= 8 && (transparency.is_none() || h.colour != 3);
    let (stream, mask) = if opaque {
        (
            passthrough(&h, channels, &png.palette, transparency, png.data),
            None,
        )
    } else {
        decoded(&h, channels, &png.palette, transparency, &png.data)?
    };
    Ok(Image {
        stream,
        mask,
        width: h.width,
        height: h.height,
    })
}

/// What jury reads of a PNG file: its header, palette, transparency and compressed data.
struct Chunks {
    header: Option<Header>,
    palette: Vec<u8>,
    transparency: Option<Vec<u8>>,
    /// Every `IDAT` chunk, in order.
    data: Vec<u8>,
}

impl Chunks {
    /// Reads the chunks up to `IEND`; refuses a file that is not a PNG, a truncated chunk
    /// and an interlaced image.
    fn read(bytes: &[u8]) -> Result<Chunks, String> {
        const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
        if !bytes.starts_with(SIGNATURE) {
            return Err("ce n'est pas un fichier PNG".into());
        }
        let mut png = Chunks {
            header: None,
            palette: Vec::new(),
            transparency: None,
            data: Vec::new(),
        };
        let mut pos = SIGNATURE.len();
        while pos + 8 <= bytes.len() {
            let len =
                u32::from_be_bytes([bytes[pos], bytes[pos + 1], bytes[pos + 2], bytes[pos + 3]])
                    as usize;
            let kind = &bytes[pos + 4..pos + 8];
            let body = bytes
                .get(pos + 8..pos + 8 + len)
                .ok_or("fichier PNG tronqué")?;
            match kind {
                b"IHDR" if body.len() >= 13 => {
                    if body[12] != 0 {
                        return Err("PNG entrelacé : réenregistrez-le sans entrelacement (« interlace » désactivé)".into());
                    }
                    png.header = Some(Header {
                        width: u32::from_be_bytes([body[0], body[1], body[2], body[3]]),
                        height: u32::from_be_bytes([body[4], body[5], body[6], body[7]]),
                        depth: body[8],
                        colour: body[9],
                    });
                }
                b"PLTE" => png.palette = body.to_vec(),
                b"tRNS" => png.transparency = Some(body.to_vec()),
                b"IDAT" => png.data.extend_from_slice(body),
                b"IEND" => break,
                _ => {}
            }
            pos += 12 + len;
        }
        Ok(png)
    }
}

/// The channels of a pixel, for the colour types and depths PNG allows.
fn channels(h: &Header) -> Result<u8, String> {
    match (h.colour, h.depth) {
        (0, 1 | 2 | 4 | 8 | 16) => Ok(1),
        (2, 8 | 16) => Ok(3),
        (3, 1 | 2 | 4 | 8) => Ok(1),
        (4, 8 | 16) => Ok(2),
        (6, 8 | 16) => Ok(4),
        _ => Err(format!(
            "type de PNG non pris en charge (couleur {}, {} bits)",
            h.colour, h.depth
        )),
    }
}

fn image_dict(h: &Header, depth: u8, colour_space: &str, filter: bool) -> String {
    format!(
        "/Type /XObject /Subtype /Image /Width {} /Height {} /BitsPerComponent {depth} /ColorSpace {colour_space}{}",
        h.width,
        h.height,
        if filter { " /Filter /FlateDecode" } else { "" }
    )
}

/// The colour space of a palette image: its whole colours (at least one: `from_png`
/// refuses a shorter palette).
fn indexed(palette: &[u8]) -> String {
    let colours = &palette[..palette.len() / 3 * 3];
    let entries = colours.len() / 3;
    format!(
        "[/Indexed /DeviceRGB {} <{}>]",
        entries.saturating_sub(1),
        hex(colours)
    )
}

/// An opaque PNG of 8 bits or fewer: its compressed rows go in unchanged.
fn passthrough(
    h: &Header,
    channels: u8,
    palette: &[u8],
    transparency: Option<&[u8]>,
    data: Vec<u8>,
) -> Stream {
    let space = match h.colour {
        0 => "/DeviceGray".to_string(),
        2 => "/DeviceRGB".to_string(),
        _ => indexed(palette),
    };
    let mut dict = image_dict(h, h.depth, &space, true);
    dict.push_str(&format!(
        " /DecodeParms <</Predictor 15 /Colors {channels} /BitsPerComponent {} /Columns {}>>",
        h.depth, h.width
    ));
    // A single transparent colour (tRNS of a grey or RGB image) is a colour-key mask.
    if let Some(t) = transparency.filter(|t| t.len() >= 2 * channels as usize) {
        let key: Vec<String> = t
            .chunks(2)
            .take(channels as usize)
            .map(|v| {
                let value = u16::from_be_bytes([v[0], v.get(1).copied().unwrap_or(0)]);
                format!("{value} {value}")
            })
            .collect();
        dict.push_str(&format!(" /Mask [{}]", key.join(" ")));
    }
    Stream { dict, data }
}

/// A PNG with an alpha channel, a palette with transparency, or 16 bits: unfiltered,
/// reduced to 8 bits, split into colour and soft mask.
fn decoded(
    h: &Header,
    channels: u8,
    palette: &[u8],
    transparency: Option<&[u8]>,
    data: &[u8],
) -> Result<(Stream, Option<Stream>), String> {
    let bits = usize::from(h.depth) * usize::from(channels);
    let row = (h.width as usize * bits).div_ceil(8);
    let raw = unfiltered(h, channels, row, data)?;
    let (colour, alpha) = split(h, channels, palette, transparency, &raw, row);
    let grey = matches!(h.colour, 0 | 4);
    let image = image_stream(h, colour, if grey { "/DeviceGray" } else { "/DeviceRGB" })?;
    let mask = (!alpha.is_empty() && alpha.iter().any(|a| *a != 255))
        .then(|| image_stream(h, alpha, "/DeviceGray"))
        .transpose()?;
    Ok((image, mask))
}

/// The image's rows of `row` bytes, inflated and unfiltered (PNG predictors) by lopdf.
fn unfiltered(h: &Header, channels: u8, row: usize, data: &[u8]) -> Result<Vec<u8>, String> {
    let (colors, columns) = if h.depth < 8 {
        (1, row)
    } else {
        (channels, h.width as usize)
    };
    let params = lopdf::Dictionary::from_iter(vec![
        ("Predictor", lopdf::Object::Integer(15)),
        ("Colors", lopdf::Object::Integer(i64::from(colors))),
        (
            "BitsPerComponent",
            lopdf::Object::Integer(i64::from(h.depth.max(8))),
        ),
        ("Columns", lopdf::Object::Integer(columns as i64)),
    ]);
    let dict = lopdf::Dictionary::from_iter(vec![
        ("Filter", lopdf::Object::Name(b"FlateDecode".to_vec())),
        ("DecodeParms", lopdf::Object::Dictionary(params)),
    ]);
    let raw = lopdf::Stream::new(dict, data.to_vec())
        .decompressed_content_with_limit((row + 1) * h.height as usize + 16)
        .map_err(|e| format!("données PNG illisibles ({e})"))?;
    if raw.len() < row * h.height as usize {
        return Err("données PNG incomplètes".into());
    }
    Ok(raw)
}

/// Sample `i` of a row, reduced to 8 bits when 16 (the high byte); packed samples of
/// fewer bits are given as they are (palette indexes, grey levels).
fn sample(depth: u8, line: &[u8], i: usize) -> u8 {
    match depth {
        16 => line[2 * i],
        8 => line[i],
        d => {
            let per_byte = 8 / usize::from(d);
            let shift = 8 - usize::from(d) * (i % per_byte + 1);
            (line[i / per_byte] >> shift) & ((1u8 << d) - 1)
        }
    }
}

/// The unfiltered rows as 8-bit colour (grey or RGB, palette looked up) and alpha (empty
/// for an image without).
fn split(
    h: &Header,
    channels: u8,
    palette: &[u8],
    transparency: Option<&[u8]>,
    raw: &[u8],
    row: usize,
) -> (Vec<u8>, Vec<u8>) {
    let (mut colour, mut alpha) = (Vec::new(), Vec::new());
    let sample = |line: &[u8], i: usize| sample(h.depth, line, i);
    let c = usize::from(channels);
    for line in raw.chunks(row).take(h.height as usize) {
        for x in 0..h.width as usize {
            match h.colour {
                3 => {
                    let index = usize::from(sample(line, x));
                    // An index past the palette is drawn black; one past the
                    // transparencies is opaque (PNG's rule).
                    colour.extend(palette.get(index * 3..index * 3 + 3).unwrap_or(&[0, 0, 0]));
                    alpha.push(
                        transparency
                            .and_then(|t| t.get(index))
                            .copied()
                            .unwrap_or(255),
                    );
                }
                0 => colour.push(sample(line, x)),
                2 => colour.extend((0..3).map(|k| sample(line, x * c + k))),
                4 => {
                    colour.push(sample(line, x * c));
                    alpha.push(sample(line, x * c + 1));
                }
                _ => {
                    colour.extend((0..3).map(|k| sample(line, x * c + k)));
                    alpha.push(sample(line, x * c + 3));
                }
            }
        }
    }
    (colour, alpha)
}

/// 8-bit samples as an image stream, compressed when that makes it smaller.
fn image_stream(h: &Header, bytes: Vec<u8>, space: &str) -> Result<Stream, String> {
    let packed = deflate(&bytes).map_err(|e| format!("image impossible à compresser ({e})"))?;
    Ok(if packed.len() < bytes.len() {
        Stream {
            dict: image_dict(h, 8, space, true),
            data: packed,
        }
    } else {
        Stream {
            dict: image_dict(h, 8, space, false),
            data: bytes,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A PNG of `colour` type with the given rows (each already prefixed by its filter byte).
    fn png(width: u32, height: u32, colour: u8, interlace: u8, rows: &[u8]) -> Vec<u8> {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(rows).unwrap();
        let idat = z.finish().unwrap();
        let mut ihdr = width.to_be_bytes().to_vec();
        ihdr.extend(height.to_be_bytes());
        ihdr.extend([8, colour, 0, 0, interlace]);
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        for (kind, data) in [(&b"IHDR"[..], ihdr), (b"IDAT", idat), (b"IEND", Vec::new())] {
            out.extend((data.len() as u32).to_be_bytes());
            out.extend(kind);
            out.extend(&data);
            out.extend([0, 0, 0, 0]);
        }
        out
    }

    #[test]
    fn an_opaque_png_goes_in_unchanged() {
        let rows = [0, 255, 0, 0, 0, 0, 255, 1, 10, 10, 10, 5, 5, 5];
        let image = from_png(&png(2, 2, 2, 0, &rows)).unwrap();
        assert!(image.stream.dict.contains("/DecodeParms"));
        assert!(image.mask.is_none());
        assert_eq!((image.width, image.height), (2, 2));
    }

    #[test]
    fn transparency_becomes_a_soft_mask() {
        // Filter « Sub » on the second row exercises the unfiltering.
        let rows = [0, 255, 0, 0, 0, 0, 0, 255, 128, 1, 9, 9, 9, 255, 1, 1, 1, 0];
        let image = from_png(&png(2, 2, 6, 0, &rows)).unwrap();
        assert!(image.mask.is_some());
        assert!(!image.stream.dict.contains("/DecodeParms"));
    }

    #[test]
    fn unreadable_logos_say_why() {
        assert!(from_png(b"GIF89a").unwrap_err().contains("PNG"));
        let interlaced = png(1, 1, 2, 1, &[0, 1, 2, 3]);
        assert!(from_png(&interlaced).unwrap_err().contains("entrelacé"));
        let truncated = &png(2, 2, 6, 0, &[0; 18])[..40];
        assert!(from_png(truncated).is_err());
    }

    /// `bytes` with a chunk of `kind` inserted after the header chunk.
    fn with_chunk(bytes: &[u8], kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let after_header = 8 + 12 + 13;
        let mut out = bytes[..after_header].to_vec();
        out.extend((data.len() as u32).to_be_bytes());
        out.extend(kind);
        out.extend(data);
        out.extend([0, 0, 0, 0]);
        out.extend(&bytes[after_header..]);
        out
    }

    #[test]
    fn a_palette_image_lists_its_whole_colours() {
        let indexes = png(2, 1, 3, 0, &[0, 0, 1]);
        let image = from_png(&with_chunk(&indexes, b"PLTE", &[255, 0, 0, 0, 0, 255, 7])).unwrap();
        assert!(
            image
                .stream
                .dict
                .contains("[/Indexed /DeviceRGB 1 <FF00000000FF>]"),
            "{}",
            image.stream.dict
        );
        let short = from_png(&with_chunk(&indexes, b"PLTE", &[255, 0])).unwrap_err();
        assert!(short.contains("palette"), "{short}");
    }
}
