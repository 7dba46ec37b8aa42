// Starts the real `tom` binary on an empty data directory with --demo, waits until it answers.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const https = require('node:https');

function ready(url) {
  return new Promise((resolve) => {
    const req = https.get(url, { rejectUnauthorized: false }, (res) => { res.resume(); resolve(res.statusCode === 200); });
    req.on('error', () => resolve(false));
  });
}

module.exports = async () => {
  const port = process.env.TOM_E2E_PORT || '18443';
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tom-e2e-'));
  const bin = process.env.TOM_BIN || path.resolve(__dirname, '../target/debug/tom');
  const log = fs.openSync(path.join(dataDir, 'tom.log'), 'w');
  const base = `https://localhost:${port}`;
  if (await ready(`${base}/api/diagnostic`)) {
    throw new Error(`le port ${port} est déjà occupé par un autre serveur : arrêtez-le ou choisissez TOM_E2E_PORT`);
  }
  const child = spawn(bin, ['serve', '--demo'], {
    env: { ...process.env, TOM_DATA_DIR: dataDir, TOM_LISTEN: `127.0.0.1:${port}`, TOM_CRL_POLL_SECONDS: '1' },
    stdio: ['ignore', log, log],
  });
  const deadline = Date.now() + 60_000;
  while (!(await ready(`${base}/api/diagnostic`))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`tom n'a pas démarré : voir ${path.join(dataDir, 'tom.log')}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  process.env.TOM_BASE_URL = base;
  process.env.TOM_E2E_DATA = dataDir;
  process.env.TOM_E2E_PID = String(child.pid);
};
