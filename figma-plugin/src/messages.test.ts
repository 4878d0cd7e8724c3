// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { isMainToUi, isUiToMain, type MainToUi, type UiToMain } from './messages';

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
const selection = { count: 2, fillable: 1, width: 1200, height: 628 };

describe('isUiToMain', () => {
  const valid: UiToMain[] = [
    { type: 'ready' },
    { type: 'save-settings', apiUrl: 'https://brand-assets.example.com', token: 'bag_abc' },
    { type: 'save-api-url', apiUrl: 'http://localhost:3000' },
    { type: 'sign-out' },
    { type: 'place', images: [{ bytes: png, width: 1024, height: 1024 }], name: 'A red bicycle' },
    { type: 'notify', message: 'Copied', error: false },
  ];

  it.each(valid)('accepts a well-formed $type message', (message) => {
    expect(isUiToMain(message)).toBe(true);
  });

  it.each([
    ['nothing', undefined],
    ['a string', 'ready'],
    ['an array', [{ type: 'ready' }]],
    ['an unknown type', { type: 'delete-everything' }],
    ['a message of the other direction', { type: 'placed', count: 1, into: 'new' }],
    ['settings without a token', { type: 'save-settings', apiUrl: 'https://x.example' }],
    ['a token that is not a string', { type: 'save-settings', apiUrl: 'https://x.example', token: 42 }],
    ['an API address that is not a string', { type: 'save-api-url', apiUrl: null }],
    ['a place without images', { type: 'place', images: [], name: 'x' }],
    ['a place without a name', { type: 'place', images: [{ bytes: png, width: 1, height: 1 }] }],
    ['image bytes as a plain array', { type: 'place', images: [{ bytes: [137, 80], width: 1, height: 1 }], name: 'x' }],
    ['image bytes as an ArrayBuffer', { type: 'place', images: [{ bytes: png.buffer, width: 1, height: 1 }], name: 'x' }],
    ['an image of width zero', { type: 'place', images: [{ bytes: png, width: 0, height: 1 }], name: 'x' }],
    ['an image of fractional height', { type: 'place', images: [{ bytes: png, width: 1, height: 1.5 }], name: 'x' }],
    ['a notify whose error flag is a string', { type: 'notify', message: 'x', error: 'yes' }],
  ])('rejects %s', (_label, message) => {
    expect(isUiToMain(message)).toBe(false);
  });
});

describe('isMainToUi', () => {
  const valid: MainToUi[] = [
    { type: 'init', apiUrl: 'https://brand-assets.example.com', token: 'bag_abc', selection },
    { type: 'init', apiUrl: null, token: null, selection: { count: 0, fillable: 0, width: null, height: null } },
    { type: 'selection', selection },
    { type: 'placed', count: 3, into: 'selection' },
    { type: 'placed', count: 1, into: 'new' },
    { type: 'place-failed', message: 'Too large' },
  ];

  it.each(valid)('accepts a well-formed $type message', (message) => {
    expect(isMainToUi(message)).toBe(true);
  });

  it.each([
    ['null', null],
    ['a message of the other direction', { type: 'ready' }],
    ['an init without a selection', { type: 'init', apiUrl: null, token: null }],
    ['an init with an undefined token', { type: 'init', apiUrl: null, selection }],
    ['a selection with a negative count', { type: 'selection', selection: { ...selection, count: -1 } }],
    ['a selection with more fillable layers than selected', { type: 'selection', selection: { ...selection, fillable: 3 } }],
    ['a selection with a size given as text', { type: 'selection', selection: { ...selection, width: '1200' } }],
    ['a placed into somewhere unknown', { type: 'placed', count: 1, into: 'clipboard' }],
    ['a placed with a fractional count', { type: 'placed', count: 1.5, into: 'new' }],
    ['a place-failed without a message', { type: 'place-failed' }],
  ])('rejects %s', (_label, message) => {
    expect(isMainToUi(message)).toBe(false);
  });
});
