#!/usr/bin/env node
// The `purser` command. It runs the TypeScript sources directly through tsx, so a fresh
// checkout works right after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import(new URL('../cli.ts', import.meta.url).href);
await main(process.argv);
