/**
 * The pre-rendered tray icons: valid PNGs, the committed files still what the code draws,
 * one for every icon the tray can ask for.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync, crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  encodePng,
  iconFiles,
  PNG_SIGNATURE,
  renderIcon,
  trayIconDir,
  trayIconFile,
  TRAY_ICON_NAMES,
  type Bitmap,
} from '../../../electron/desktop/tray-icons';
import {
  initialTrayState,
  trayIconName,
  type TrayState,
} from '../../../electron/desktop/tray-state';

const RESOURCES = join(import.meta.dirname, '..', '..', '..', 'electron', 'resources');

/** A reader for the PNGs encodePng writes (RGBA, 8 bit, filter 0), checking every CRC. */
function decodePng(png: Buffer): Bitmap {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  let offset = 8;
  let width = 0;
  let height = 0;
  const data: Buffer[] = [];
  const types: string[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    const crc = png.readUInt32BE(offset + 8 + length);
    expect(crc, `${type} CRC`).toBe(crc32(png.subarray(offset + 4, offset + 8 + length)) >>> 0);
    types.push(type);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      expect([...body.subarray(8)]).toEqual([8, 6, 0, 0, 0]);
    }
    if (type === 'IDAT') data.push(body);
    offset += 12 + length;
  }
  expect(types).toEqual(['IHDR', 'IDAT', 'IEND']);
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * 4;
  expect(raw.length).toBe((stride + 1) * height);
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y += 1) {
    expect(raw[y * (stride + 1)]).toBe(0);
    raw.copy(pixels, y * stride, y * (stride + 1) + 1, (y + 1) * (stride + 1));
  }
  return { width, height, pixels };
}

describe('tray icons', () => {
  it('encodes a valid PNG that reads back to the same pixels', () => {
    const bitmap = renderIcon('count-7', 16);
    const back = decodePng(encodePng(bitmap));
    expect(back.width).toBe(16);
    expect(back.height).toBe(16);
    expect(back.pixels.equals(bitmap.pixels)).toBe(true);
  });

  it('the committed files under electron/resources/ are what the code draws (run `npm run icons` after a change)', () => {
    const files = iconFiles();
    expect(files.length).toBeGreaterThan(TRAY_ICON_NAMES.length * 2);
    for (const file of files) {
      const path = join(RESOURCES, file.path);
      expect(existsSync(path), path).toBe(true);
      const committed = decodePng(readFileSync(path));
      expect(committed.width, file.path).toBe(file.bitmap.width);
      expect(committed.pixels.equals(file.bitmap.pixels), file.path).toBe(true);
    }
  });

  it('has a file, with its @2x, for every icon the tray can show, on every platform', () => {
    const states: TrayState[] = [0, 1, 5, 9, 10, 400].flatMap((n) =>
      [true, false].map((frozen) => ({
        ...initialTrayState,
        connected: true,
        synced: true,
        frozen,
        spends: new Set(Array.from({ length: n }, (_, i) => `req_${i}`)),
      })),
    );
    states.push(initialTrayState);
    for (const platform of ['darwin', 'linux', 'win32'] as const)
      for (const state of states) {
        const file = trayIconFile(trayIconName(state), platform);
        expect(existsSync(join(RESOURCES, 'tray', file)), `${platform} ${file}`).toBe(true);
        expect(existsSync(join(RESOURCES, 'tray', file.replace(/\.png$/, '@2x.png')))).toBe(true);
      }
  });

  it('macOS gets template images with the count as the title; elsewhere the count is drawn', () => {
    expect(trayIconFile('count-3', 'darwin')).toBe('idleTemplate.png');
    expect(trayIconFile('paused', 'darwin')).toBe('pausedTemplate.png');
    expect(trayIconFile('count-3', 'linux')).toBe('count-3.png');
    expect(trayIconFile('count-9plus', 'win32')).toBe('count-9plus.png');
    // A template is black: only alpha carries the drawing.
    const template = renderIcon('idle', 16, true);
    for (let i = 0; i < template.pixels.length; i += 4)
      expect([template.pixels[i], template.pixels[i + 1], template.pixels[i + 2]]).toEqual([
        0, 0, 0,
      ]);
  });

  it('the count icons differ from each other, and the glyph is drawn (white on the disc)', () => {
    const seen = new Set<string>();
    for (const name of TRAY_ICON_NAMES) {
      const bitmap = renderIcon(name, 32);
      seen.add(bitmap.pixels.toString('base64'));
      if (name === 'offline') continue;
      let white = 0;
      for (let i = 0; i < bitmap.pixels.length; i += 4)
        if (
          bitmap.pixels[i] === 255 &&
          bitmap.pixels[i + 1] === 255 &&
          bitmap.pixels[i + 3] === 255
        )
          white += 1;
      expect(white, name).toBeGreaterThan(10);
    }
    expect(seen.size).toBe(TRAY_ICON_NAMES.length);
  });

  it('finds the icons in a checkout and in a packaged app', () => {
    expect(trayIconDir({ packaged: false, resourcesPath: '/r', appPath: '/repo' })).toBe(
      join('/repo', 'electron', 'resources', 'tray'),
    );
    expect(
      trayIconDir({ packaged: true, resourcesPath: '/opt/Purser/resources', appPath: '/x' }),
    ).toBe(join('/opt/Purser/resources', 'tray'));
  });
});
