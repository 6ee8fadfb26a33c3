import type { Transport } from '@rotor/core';

// #region byProtocol
/** One transport for the engine: SSH or WinRM by each machine's protocol. */
export const byProtocol = (ssh: Transport, winrm: Transport): Transport => ({
  run: (machine, command, options) =>
    (machine.protocol === 'ssh' ? ssh : winrm).run(machine, command, options),
  close: async () => {
    await Promise.all([ssh.close(), winrm.close()]);
  },
});
// #endregion byProtocol
