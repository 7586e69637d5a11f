// An undici connector that refuses connections on demand, as a host with nothing listening does (ECONNREFUSED).
import { buildConnector } from 'undici';

export interface RefusingConnector {
  /** For createAdobeDispatcher's `connect` option. */
  connect: buildConnector.connector;
  /** The next `times` connections to `port` are refused before anything is sent; later ones connect. */
  refuse(port: number, times?: number): void;
  /** Connections refused so far. */
  readonly refused: number;
}

export function refusingConnector(timeoutMs: number): RefusingConnector {
  const real = buildConnector({ timeout: timeoutMs });
  const pending = new Map<number, number>();
  let refused = 0;
  const connect: buildConnector.connector = (options, callback) => {
    const port = Number(options.port);
    const left = pending.get(port) ?? 0;
    if (left === 0) return real(options, callback);
    pending.set(port, left - 1);
    refused += 1;
    // What net.connect reports when the host answers the SYN with a reset.
    const error = Object.assign(new Error(`connect ECONNREFUSED ${options.hostname}:${port}`), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect' });
    queueMicrotask(() => callback(error, null));
  };
  return {
    connect,
    refuse(port, times = 1) {
      pending.set(port, (pending.get(port) ?? 0) + times);
    },
    get refused() {
      return refused;
    },
  };
}
