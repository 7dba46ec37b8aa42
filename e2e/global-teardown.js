const fs = require('node:fs');

// Whether the process still exists (signal 0 only checks).
function alive(pid) {
  try { process.kill(pid, 0); return true; } catch (_) { return false; }
}

module.exports = async () => {
  const pid = Number(process.env.TOM_E2E_PID);
  if (pid) {
    try { process.kill(pid, 'SIGTERM'); } catch (_) { /* already gone */ }
    // TOM writes its last audit anchor as it stops: let it finish before its folder goes.
    const deadline = Date.now() + 10000;
    while (alive(pid) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  if (process.env.TOM_E2E_DATA && !process.env.TOM_E2E_KEEP) {
    fs.rmSync(process.env.TOM_E2E_DATA, { recursive: true, force: true });
  }
};
