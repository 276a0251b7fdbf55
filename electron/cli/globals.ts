import type { Command } from 'commander';

export interface Globals {
  home?: string;
  json?: boolean;
}

export const globals = (cmd: Command) => cmd.optsWithGlobals<Globals>();
