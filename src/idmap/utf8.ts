/**
 * Where a byte sequence stops being UTF-8. TextDecoder (fatal) says only that it is not;
 * the operator needs the line and byte to fix the file. Follows the well-formed byte
 * sequences of Unicode §3.9 table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF.
 */

/** Offset of the first byte that starts an ill-formed sequence, or undefined when all are well formed. */
export function firstInvalidUtf8(bytes: Uint8Array): number | undefined {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    const [trailing, low, high] = sequenceShape(lead);
    if (trailing === 0) return i;
    const second = bytes[i + 1];
    if (second === undefined || second < low || second > high) return i;
    for (let k = 2; k <= trailing; k++) {
      const b = bytes[i + k];
      if (b === undefined || (b & 0xc0) !== 0x80) return i;
    }
    i += trailing + 1;
  }
  return undefined;
}

/** Trailing bytes after `lead`, and the range its second byte must fall in (0 trailing: invalid lead). */
function sequenceShape(lead: number): [number, number, number] {
  if (lead >= 0xc2 && lead <= 0xdf) return [1, 0x80, 0xbf];
  if (lead === 0xe0) return [2, 0xa0, 0xbf]; // no overlong 3-byte forms
  if (lead === 0xed) return [2, 0x80, 0x9f]; // no UTF-16 surrogates
  if (lead >= 0xe1 && lead <= 0xef) return [2, 0x80, 0xbf];
  if (lead === 0xf0) return [3, 0x90, 0xbf]; // no overlong 4-byte forms
  if (lead >= 0xf1 && lead <= 0xf3) return [3, 0x80, 0xbf];
  if (lead === 0xf4) return [3, 0x80, 0x8f]; // nothing above U+10FFFF
  return [0, 0, 0];
}
