// Self-signed certificate for web.whatsapp.com, made fresh for every sim with
// the system openssl (no extra npm dependency). Chromium is started with
// --ignore-certificate-errors, so only the name has to be right.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * @param {string} host
 * @returns {Promise<{ key: Buffer, cert: Buffer, dir: string, cleanup: () => Promise<void> }>}
 */
export async function makeCertificate(host) {
  const dir = await mkdtemp(join(tmpdir(), 'wa-sim-cert-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    await run('/usr/bin/openssl', [
      'req', '-x509', '-nodes', '-days', '2',
      // EC keys are generated in milliseconds; RSA would slow every test file.
      '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
      '-keyout', keyPath, '-out', certPath,
      '-subj', `/CN=${host}`,
      '-addext', `subjectAltName=DNS:${host}`,
    ]);
    return { key: await readFile(keyPath), cert: await readFile(certPath), dir, cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
