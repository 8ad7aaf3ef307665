// A PNG of any height, encoded slice by slice: a canvas cannot be taller
// than ~32 000 px (10 000 rows are 280 000), so the chart is drawn a band at
// a time and each band's pixels are streamed through the browser's zlib
// (CompressionStream 'deflate' is the zlib format PNG's IDAT wants). Memory
// stays at one band plus the compressed file.

const CRC_TABLE = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

function crc32(bytes: Uint8Array, crc = 0xffffffff): number {
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8)
  return crc
}

/** length, type, data, CRC(type + data) */
function chunk(type: string, data: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(12 + data.length)
  const view = new DataView(out.buffer)
  view.setUint32(0, data.length)
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i)
  out.set(data, 8)
  view.setUint32(8 + data.length, (crc32(out.subarray(4, 8 + data.length)) ^ 0xffffffff) >>> 0)
  return out
}

const SIGNATURE = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10])

/**
 * Encodes a width × height RGB PNG whose rows come from `band(y, h)` (the
 * RGBA pixels of rows y … y+h−1, as getImageData answers), `bandHeight` rows
 * at a time. `progress(done)` is told the rows encoded so far.
 */
export async function encodePng(
  width: number,
  height: number,
  bandHeight: number,
  band: (y: number, h: number) => ImageData | Promise<ImageData>,
  progress?: (rowsDone: number) => void,
): Promise<Blob> {
  const ihdr = new Uint8Array(13)
  const hv = new DataView(ihdr.buffer)
  hv.setUint32(0, width)
  hv.setUint32(4, height)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 2 // RGB
  // compression, filter, interlace: 0

  const zlib = new CompressionStream('deflate')
  const writer = zlib.writable.getWriter()
  const parts: BlobPart[] = [SIGNATURE, chunk('IHDR', ihdr)]
  // Read while writing, or the stream's queue fills and the writes never resolve.
  const reading = (async () => {
    const reader = zlib.readable.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      parts.push(chunk('IDAT', value))
    }
  })()

  const stride = 1 + width * 3
  for (let y = 0; y < height; y += bandHeight) {
    const h = Math.min(bandHeight, height - y)
    const pixels = (await band(y, h)).data
    const raw = new Uint8Array(stride * h)
    for (let r = 0; r < h; r++) {
      let o = r * stride
      raw[o++] = 0 // filter: none
      let p = r * width * 4
      for (let x = 0; x < width; x++, p += 4) {
        raw[o++] = pixels[p]!
        raw[o++] = pixels[p + 1]!
        raw[o++] = pixels[p + 2]!
      }
    }
    await writer.write(raw)
    progress?.(y + h)
  }
  await writer.close()
  await reading
  parts.push(chunk('IEND', new Uint8Array(0)))
  return new Blob(parts, { type: 'image/png' })
}
