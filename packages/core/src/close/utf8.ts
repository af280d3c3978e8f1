/**
 * Bytes a string takes in UTF-8, counted without allocating. A lone surrogate counts 3 bytes:
 * it is sent as U+FFFD, exactly as `TextEncoder` and the WHATWG USVString conversion do.
 */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

let decode: ((bytes: ArrayBuffer | ArrayBufferView) => string) | undefined;

/** Decodes UTF-8 bytes; invalid sequences become U+FFFD instead of throwing. */
export function decodeUtf8(bytes: ArrayBuffer | ArrayBufferView): string {
  if (!decode) {
    const decoder = new TextDecoder('utf-8');
    // Node's, the DOM's and core's own TextDecoder declarations disagree on decode()'s
    // parameter type (core compiles under all three); the bytes are valid input for each.
    decode = (input) => decoder.decode(input as never);
  }
  return decode(bytes);
}
