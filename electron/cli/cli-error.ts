import type { ErrorEnvelope } from '../../shared/errors';

/** A failure the CLI reports in one line and a non-zero exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    readonly envelope?: ErrorEnvelope,
  ) {
    super(message);
  }
}
