// A local stand-in for Slack's Socket Mode WebSocket: hello, envelopes, acks and disconnects, over `ws`.
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SlackApi } from './slack-api.js';
import { slashCommandPayload, type BlockActionPayload, type SlashCommandInput } from './slack-requests.js';

/** Slack waits this long for an ack before it tells the user the app did not answer. */
export const ACK_TIMEOUT_MS = 3000;
/** How long close() waits for each step of a polite shutdown. */
const CLOSE_GRACE_MS = 500;

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface Envelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: unknown;
  accepts_response_payload: boolean;
}

export interface Ack {
  envelope_id: string;
  /** What the app answered with (Bolt always sends an object; `{}` for a bare `ack()`). */
  payload?: unknown;
  /** The frame exactly as received. */
  raw: string;
  at: number;
}

export interface SocketModeOptions {
  /** Attach to this Web API stand-in, so its apps.connections.open hands out this server's URLs. */
  api?: SlackApi;
  appId?: string;
  /** Default wait for an ack; Slack's is 3 s. */
  ackTimeoutMs?: number;
}

export interface SendOptions {
  timeoutMs?: number;
  envelopeId?: string;
}

export interface SocketModeStandIn {
  /** The WebSocket endpoint (without a ticket). */
  readonly url: string;
  /** A fresh single-use URL, as apps.connections.open returns it. */
  connectionUrl(): string;
  /** Open connections that got their hello. */
  readonly connections: number;
  /** Every envelope sent and every ack received, in order. */
  readonly envelopes: Envelope[];
  readonly acks: Ack[];
  /** Frames that were not acks of a pending envelope (unknown envelope id, not JSON, …). */
  readonly strayFrames: string[];
  waitForConnection(timeoutMs?: number): Promise<void>;
  /** Sends an envelope on the newest connection and resolves with the app's ack; rejects on timeout. */
  send(envelope: { type: EnvelopeType; payload: unknown; accepts_response_payload?: boolean }, opts?: SendOptions): Promise<Ack>;
  sendSlashCommand(fields: SlashCommandInput, opts?: SendOptions): Promise<Ack>;
  sendBlockAction(payload: BlockActionPayload | Record<string, unknown>, opts?: SendOptions): Promise<Ack>;
  /** Tells every client to reconnect, as Slack does before recycling a connection. */
  disconnect(reason?: 'refresh_requested' | 'warning' | 'link_disabled'): void;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startSocketMode(opts: SocketModeOptions = {}): Promise<SocketModeStandIn> {
  const appId = opts.appId ?? 'A07QX4LB8RV';
  const ackTimeoutMs = opts.ackTimeoutMs ?? ACK_TIMEOUT_MS;
  const tickets = new Set<string>();
  const open: WebSocket[] = [];
  const envelopes: Envelope[] = [];
  const acks: Ack[] = [];
  const strayFrames: string[] = [];
  const pending = new Map<string, (ack: Ack) => void>();
  const host = `applink-stand-in-${randomBytes(3).toString('hex')}`;

  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    path: '/link/',
    // Only a ticket from apps.connections.open opens a connection, once.
    verifyClient: ({ req }: { req: IncomingMessage }) => {
      const ticket = new URL(req.url ?? '/', 'ws://stand-in').searchParams.get('ticket');
      if (ticket === null || !tickets.has(ticket)) return false;
      tickets.delete(ticket);
      return true;
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const url = `ws://127.0.0.1:${port}/link/`;

  server.on('connection', (socket) => {
    socket.on('message', (data, isBinary) => {
      const raw = isBinary ? '' : data.toString();
      let frame: unknown;
      try {
        frame = JSON.parse(raw);
      } catch {
        strayFrames.push(raw);
        return;
      }
      const envelopeId = (frame as { envelope_id?: unknown } | null)?.envelope_id;
      const resolve = typeof envelopeId === 'string' ? pending.get(envelopeId) : undefined;
      if (typeof envelopeId !== 'string' || !resolve) {
        strayFrames.push(raw);
        return;
      }
      const ack: Ack = {
        envelope_id: envelopeId,
        ...('payload' in (frame as object) ? { payload: (frame as { payload: unknown }).payload } : {}),
        raw,
        at: Date.now(),
      };
      acks.push(ack);
      pending.delete(envelopeId);
      resolve(ack);
    });
    socket.on('close', () => {
      const index = open.indexOf(socket);
      if (index >= 0) open.splice(index, 1);
    });
    open.push(socket);
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: open.length,
        debug_info: { host, build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: appId },
      }),
    );
  });

  function newestOpen(): WebSocket | undefined {
    return [...open].reverse().find((s) => s.readyState === s.OPEN);
  }

  const standIn: SocketModeStandIn = {
    url,
    connectionUrl() {
      const ticket = randomUUID();
      tickets.add(ticket);
      return `${url}?ticket=${ticket}&app_id=${appId}`;
    },
    get connections() {
      return open.filter((s) => s.readyState === s.OPEN).length;
    },
    envelopes,
    acks,
    strayFrames,
    async waitForConnection(timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (!newestOpen()) {
        if (Date.now() > deadline) throw new Error(`no Socket Mode connection within ${timeoutMs} ms`);
        await sleep(10);
      }
    },
    send(envelope, sendOpts = {}) {
      const socket = newestOpen();
      if (!socket) return Promise.reject(new Error('no open Socket Mode connection to send an envelope on'));
      const full: Envelope = {
        envelope_id: sendOpts.envelopeId ?? randomUUID(),
        type: envelope.type,
        payload: envelope.payload,
        accepts_response_payload: envelope.accepts_response_payload ?? envelope.type === 'slash_commands',
      };
      const timeoutMs = sendOpts.timeoutMs ?? ackTimeoutMs;
      return new Promise<Ack>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(full.envelope_id);
          reject(new Error(`no ack for ${full.type} envelope ${full.envelope_id} within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(full.envelope_id, (ack) => {
          clearTimeout(timer);
          resolve(ack);
        });
        envelopes.push(full);
        socket.send(JSON.stringify(full));
      });
    },
    sendSlashCommand(fields, sendOpts) {
      return standIn.send({ type: 'slash_commands', payload: slashCommandPayload(fields), accepts_response_payload: true }, sendOpts);
    },
    sendBlockAction(payload, sendOpts) {
      return standIn.send({ type: 'interactive', payload, accepts_response_payload: false }, sendOpts);
    },
    disconnect(reason = 'refresh_requested') {
      for (const socket of open) socket.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host } }));
    },
    /**
     * Lets clients finish a close handshake they started (Bolt's `app.stop()` does not wait for it), then closes
     * the rest with a close frame, then cuts what is left. Stop the app first, or its client will try to reconnect.
     */
    async close() {
      for (const step of [() => undefined, (s: WebSocket) => s.close(1001, 'stand-in closing')]) {
        for (const socket of open) step(socket);
        const deadline = Date.now() + CLOSE_GRACE_MS;
        while (open.length > 0 && Date.now() < deadline) await sleep(10);
      }
      for (const socket of open) socket.terminate();
      for (const pendingAck of pending.keys()) pending.delete(pendingAck);
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
  opts.api?.attachSocketMode(standIn);
  return standIn;
}
