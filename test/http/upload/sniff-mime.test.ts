import { detectMimeType, sniffMimeType } from '../../../src/http/upload/sniff-mime';

describe('sniffMimeType', () => {
  it.each([
    [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0], 'image/png'],
    [[0xff, 0xd8, 0xff, 0xe0], 'image/jpeg'],
    [[...Buffer.from('GIF89a')], 'image/gif'],
    [[...Buffer.from('RIFF\0\0\0\0WEBPVP8 ')], 'image/webp'],
    [[...Buffer.from('%PDF-1.7')], 'application/pdf'],
    [[...Buffer.from('hello')], undefined],
    [[], undefined],
  ])('recognises %p as %p', (bytes, expected) => {
    expect(sniffMimeType(Buffer.from(bytes))).toBe(expected);
  });
});

describe('detectMimeType', () => {
  it('falls back to the declared type for formats it cannot sniff', () => {
    expect(detectMimeType(Buffer.from('a,b\n'), 'text/CSV')).toBe('text/csv');
  });

  it('does not trust a declared sniffable type the bytes do not prove', () => {
    expect(detectMimeType(Buffer.from('<?php'), 'image/png')).toBe('application/octet-stream');
  });
});
