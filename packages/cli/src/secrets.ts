import { openFileSecretStore, type FileSecretStore } from '@rotor/store-sqlite';
import * as E from 'fp-ts/lib/Either.js';
import { CliError } from './output.js';
import { secretPaths, type GlobalOptions } from './runtime.js';

/**
 * Opens the encrypted secrets file. The key comes from `ROTOR_SECRET_KEY`
 * when it is set, else from the key file (`--secret-key-file`, by default
 * `rotor.key` beside the store), which must be readable by its owner only.
 */
export const openSecrets = async (
  opts: GlobalOptions,
): Promise<FileSecretStore> => {
  const paths = secretPaths(opts);
  const fromEnv =
    opts.secretKeyFile === undefined &&
    (process.env['ROTOR_SECRET_KEY'] ?? '') !== '';
  const opened = await openFileSecretStore({
    path: paths.file,
    key: fromEnv ? { env: 'ROTOR_SECRET_KEY' } : { keyFile: paths.keyFile },
  });
  if (E.isLeft(opened)) {
    throw new CliError(`secrets: ${opened.left.message}`);
  }

  return opened.right;
};
