/**
 * `npm run icons`: writes the tray icons (electron/resources/tray/) and the app icon
 * (electron/resources/icon.png) that tray-icons.ts draws. Run it after changing a design; the
 * files are committed, and a unit test checks they still match the code.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePng, iconFiles } from './tray-icons';

const resources = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources');
for (const file of iconFiles()) {
  const path = join(resources, file.path);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, encodePng(file.bitmap));
}
process.stdout.write(`Wrote ${iconFiles().length} icons under ${resources}\n`);
