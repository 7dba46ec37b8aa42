const fs = require('node:fs');

module.exports = async () => {
  const pid = Number(process.env.TOM_E2E_PID);
  if (pid) {
    try { process.kill(pid, 'SIGTERM'); } catch (_) { /* already gone */ }
  }
  if (process.env.TOM_E2E_DATA && !process.env.TOM_E2E_KEEP) {
    fs.rmSync(process.env.TOM_E2E_DATA, { recursive: true, force: true });
  }
};
