// Photos of a report are made smaller on the phone before they are sent or queued: at most
// 1600 px on the long edge, JPEG at quality 0.8 (a 12-megapixel photo of 4 MB becomes about
// 300 KB, which matters on a poor connection and in the offline queue). Drawing the pixels
// into a canvas and encoding them anew also leaves the EXIF block behind: the GPS position,
// the camera and its owner never leave the phone. The server re-encodes once more anyway.

export const MAX_EDGE = 1600;
export const QUALITY = 0.8;
export const THUMB_EDGE = 160;

/** The size that fits width x height within `maxEdge` on the long edge; never enlarged. */
export function fitWithin(width, height, maxEdge = MAX_EDGE) {
  if (!(width > 0 && height > 0)) throw new RangeError("an image needs a width and a height");
  const scale = Math.min(1, maxEdge / Math.max(width, height));
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}

function readAsDataUrl(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

/** The decoded photo, upright by its EXIF orientation: an ImageBitmap, else an <img>. */
async function decode(file) {
  if (typeof createImageBitmap === "function") {
    try {
      return await createImageBitmap(file, { imageOrientation: "from-image" });
    } catch {
      // Older engines refuse the option, or the format: the <img> route below decides.
    }
  }
  // A data: URL, not a blob: URL, because the site's CSP allows only 'self' and data: images.
  const image = new Image();
  image.src = await readAsDataUrl(file);
  await image.decode();
  return image;
}

function canvas(width, height) {
  if (typeof OffscreenCanvas === "function") return new OffscreenCanvas(width, height);
  const element = document.createElement("canvas");
  element.width = width;
  element.height = height;
  return element;
}

function encode(surface, quality) {
  if (typeof surface.convertToBlob === "function") {
    return surface.convertToBlob({ type: "image/jpeg", quality });
  }
  return new Promise((resolve, reject) => {
    surface.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("the photo could not be encoded"))), "image/jpeg", quality);
  });
}

async function draw(image, size, quality) {
  const surface = canvas(size.width, size.height);
  const context = surface.getContext("2d");
  context.fillStyle = "#fff"; // a transparent PNG becomes white, not black, as JPEG
  context.fillRect(0, 0, size.width, size.height);
  context.imageSmoothingQuality = "high";
  context.drawImage(image, 0, 0, size.width, size.height);
  return encode(surface, quality);
}

/**
 * `file` made ready to send: {blob (image/jpeg), width, height, thumb (a small data: URL for
 * the form and "My reports")}. Rejects when the file is not an image the browser can decode.
 */
export async function resizePhoto(file, { maxEdge = MAX_EDGE, quality = QUALITY } = {}) {
  const image = await decode(file);
  try {
    const width = image.naturalWidth || image.width;
    const height = image.naturalHeight || image.height;
    const size = fitWithin(width, height, maxEdge);
    const blob = await draw(image, size, quality);
    const thumb = await readAsDataUrl(await draw(image, fitWithin(width, height, THUMB_EDGE), 0.7));
    return { blob, width: size.width, height: size.height, thumb };
  } finally {
    image.close?.();
  }
}
