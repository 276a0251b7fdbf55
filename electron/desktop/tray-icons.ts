/**
 * The tray's icons, drawn in code: a disc with the pending count (1–9, then 9+), the
 * Purser "P" when nothing waits, two bars when agents are paused, a ring while the wallet
 * starts. `npm run icons` (generate-tray-icons.ts) writes them to electron/resources/tray/ as PNG
 * at 1× and 2× (`name@2x.png`, which Electron's nativeImage picks up on HiDPI screens),
 * and the app icon to electron/resources/icon.png; no network, no image tool. macOS gets template
 * images (black and alpha, `…Template.png`) that the menu bar tints, with the count as the
 * tray's title beside it.
 *
 * The PNG encoder is the smallest correct one: 8-bit RGBA, one IDAT, filter 0 on every
 * row, node:zlib for deflate and CRC-32.
 */
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import type { TrayIconName } from './tray-state';

/** 5×7 glyphs, one string per row, `#` for ink. */
const GLYPHS: Record<string, readonly string[]> = {
  '0': ['.###.', '#...#', '#..##', '#.#.#', '##..#', '#...#', '.###.'],
  '1': ['..#..', '.##..', '..#..', '..#..', '..#..', '..#..', '.###.'],
  '2': ['.###.', '#...#', '....#', '...#.', '..#..', '.#...', '#####'],
  '3': ['####.', '....#', '....#', '.###.', '....#', '....#', '####.'],
  '4': ['...#.', '..##.', '.#.#.', '#..#.', '#####', '...#.', '...#.'],
  '5': ['#####', '#....', '####.', '....#', '....#', '#...#', '.###.'],
  '6': ['..##.', '.#...', '#....', '####.', '#...#', '#...#', '.###.'],
  '7': ['#####', '....#', '...#.', '..#..', '.#...', '.#...', '.#...'],
  '8': ['.###.', '#...#', '#...#', '.###.', '#...#', '#...#', '.###.'],
  '9': ['.###.', '#...#', '#...#', '.####', '....#', '...#.', '.##..'],
  '+': ['.....', '..#..', '..#..', '#####', '..#..', '..#..', '.....'],
  P: ['####.', '#...#', '#...#', '####.', '#....', '#....', '#....'],
  '|': ['##.##', '##.##', '##.##', '##.##', '##.##', '##.##', '##.##'],
};
const GLYPH_W = 5;
const GLYPH_H = 7;

type Rgb = readonly [number, number, number];

interface IconDesign {
  text: string;
  /** The disc's colour; the glyphs are white on it. */
  disc: Rgb;
  /** A ring instead of a disc (the wallet is not reachable yet), no glyphs. */
  ring?: boolean;
}

const TEAL: Rgb = [15, 118, 110];
const RED: Rgb = [200, 30, 30];
const GREY: Rgb = [107, 114, 128];

export function iconDesign(name: TrayIconName): IconDesign {
  if (name === 'idle') return { text: 'P', disc: TEAL };
  if (name === 'paused') return { text: '|', disc: GREY };
  if (name === 'offline') return { text: '', disc: GREY, ring: true };
  if (name === 'count-9plus') return { text: '9+', disc: RED };
  return { text: name.slice('count-'.length), disc: RED };
}

export interface Bitmap {
  width: number;
  height: number;
  /** RGBA, row after row. */
  pixels: Buffer;
}

/**
 * One icon, `size` pixels square. `template`: black with alpha (macOS menu bar), the
 * glyphs cut out of the disc; otherwise the disc in colour with white glyphs. The disc's
 * edge is anti-aliased (4×4 samples a pixel); the glyphs are whole pixels, scaled by an
 * integer so that they stay sharp.
 */
export function renderIcon(name: TrayIconName, size: number, template = false): Bitmap {
  const design = iconDesign(name);
  const pixels = Buffer.alloc(size * size * 4);
  const centre = size / 2;
  const outer = size / 2 - 0.25;
  const inner = design.ring ? outer - Math.max(1.5, size / 8) : -1;
  const scale = Math.max(1, Math.floor((size * 0.6) / GLYPH_H));
  const glyphs = [...design.text];
  const textW = glyphs.length * GLYPH_W * scale + Math.max(0, glyphs.length - 1) * scale;
  const textH = GLYPH_H * scale;
  const left = Math.round((size - textW) / 2);
  const top = Math.round((size - textH) / 2);

  const ink = (x: number, y: number): boolean => {
    const gx = Math.floor((x - left) / scale);
    const gy = Math.floor((y - top) / scale);
    if (x < left || y < top || gy >= GLYPH_H || gx < 0) return false;
    const index = Math.floor(gx / (GLYPH_W + 1));
    const column = gx % (GLYPH_W + 1);
    const glyph = glyphs[index] === undefined ? undefined : GLYPHS[glyphs[index]];
    return column < GLYPH_W && glyph?.[gy]?.[column] === '#';
  };

  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      let covered = 0;
      for (let sy = 0; sy < 4; sy += 1)
        for (let sx = 0; sx < 4; sx += 1) {
          const d = Math.hypot(x + (sx + 0.5) / 4 - centre, y + (sy + 0.5) / 4 - centre);
          if (d <= outer && d >= inner) covered += 1;
        }
      const alpha = Math.round((covered / 16) * 255);
      const glyph = !design.ring && ink(x, y);
      const at = (y * size + x) * 4;
      if (template) {
        pixels[at + 3] = glyph ? 0 : alpha;
      } else {
        const [r, g, b] = glyph ? ([255, 255, 255] as const) : design.disc;
        pixels[at] = r;
        pixels[at + 1] = g;
        pixels[at + 2] = b;
        pixels[at + 3] = alpha;
      }
    }
  }
  return { width: size, height: size, pixels };
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** An 8-bit RGBA PNG of `bitmap`. */
export function encodePng(bitmap: Bitmap): Buffer {
  const { width, height, pixels } = bitmap;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  header[10] = 0; // deflate
  header[11] = 0; // adaptive filtering (each row says its filter: 0, none)
  header[12] = 0; // no interlace
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y += 1)
    pixels.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export const TRAY_ICON_NAMES: readonly TrayIconName[] = [
  'idle',
  'paused',
  'offline',
  'count-1',
  'count-2',
  'count-3',
  'count-4',
  'count-5',
  'count-6',
  'count-7',
  'count-8',
  'count-9',
  'count-9plus',
];

/** Icons drawn as macOS templates (the count is the tray's title there). */
export const TEMPLATE_ICON_NAMES: readonly TrayIconName[] = ['idle', 'paused', 'offline'];

/** The file, in electron/resources/tray/, that shows `name` on `platform` (its @2x sits beside it). */
export function trayIconFile(name: TrayIconName, platform: NodeJS.Platform): string {
  if (platform === 'darwin') {
    const base = TEMPLATE_ICON_NAMES.includes(name) ? name : 'idle';
    return `${base}Template.png`;
  }
  return `${name}.png`;
}

export interface IconFile {
  /** Relative to electron/resources/. */
  path: string;
  bitmap: Bitmap;
}

/** Every file `npm run icons` writes: the tray icons at 16 and 32 px, and the app icon. */
export function iconFiles(): IconFile[] {
  const files: IconFile[] = [];
  for (const name of TRAY_ICON_NAMES) {
    files.push({ path: `tray/${name}.png`, bitmap: renderIcon(name, 16) });
    files.push({ path: `tray/${name}@2x.png`, bitmap: renderIcon(name, 32) });
  }
  for (const name of TEMPLATE_ICON_NAMES) {
    files.push({ path: `tray/${name}Template.png`, bitmap: renderIcon(name, 16, true) });
    files.push({ path: `tray/${name}Template@2x.png`, bitmap: renderIcon(name, 32, true) });
  }
  // electron-builder makes the .icns and .ico from one 512 px PNG.
  files.push({ path: 'icon.png', bitmap: renderIcon('idle', 512) });
  return files;
}

/** Where the icons are: electron/resources/tray/ in a checkout, beside app.asar once packaged. */
export function trayIconDir(facts: {
  packaged: boolean;
  resourcesPath: string;
  appPath: string;
}): string {
  return facts.packaged
    ? join(facts.resourcesPath, 'tray')
    : join(facts.appPath, 'electron', 'resources', 'tray');
}
