// `npm run playground`: starts the playground and says where it is and what to try; Ctrl-C stops it.
import { CHANNELS, PEOPLE } from './seed.js';
import { startPlayground } from './playground.js';

const DEFAULT_PORT = 5180;
const started = Date.now();
const port = Number(process.env.PLAYGROUND_PORT ?? DEFAULT_PORT);
const playground = await startPlayground({ port, onLog: (line) => process.stderr.write(`${line}\n`) });

const people = PEOPLE.map((p) => `${p.name} (${p.role})`).join(', ');
const channels = CHANNELS.map((c) => `#${c.name} → sandbox ${c.sandbox}`).join(', ');
process.stdout.write(
  [
    `offer-bot playground: ${playground.url}   (ready in ${Date.now() - started} ms; nothing leaves this machine)`,
    '',
    `  People: ${people}.  Channels: ${channels}.`,
    '  Try: as Alice, type /offer delete <an id from the Offer Library panel> campaign ended;',
    '       switch to Bob and click Approve; watch the message update and the thread fill.',
    '       Reject as Carol; click Edit or Delete in the Offer Library panel before approving (stale, already gone);',
    '       click Approve as Gus (a guest) or as Alice (the requester).',
    '',
    '  Ctrl-C stops it (the database is a temporary SQLite file).',
    '',
  ].join('\n'),
);

const stop = () => {
  playground.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
