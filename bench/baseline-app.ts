// The least any Slack bot can do: a bare Bolt 5 app that acks `/offer` at once and posts one message.
// Same Bolt, same Web API client, same HTTP receiver as offer-bot; no store, no Adobe, no workflow.
// bench/lib/setup.ts transpiles it to plain JavaScript, and the bench runs it with plain `node`, as it runs offer-bot's dist/.
import { App, LogLevel } from '@slack/bolt';

const port = Number(process.env.PORT ?? 3000);
const app = new App({
  token: process.env.SLACK_BOT_TOKEN ?? '',
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
  endpoints: '/slack/events',
  port,
  logLevel: LogLevel.WARN,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL ?? 'https://slack.com/api/' },
  // The same readiness probe offer-bot has, so start-up is measured the same way.
  customRoutes: [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      },
    },
  ],
});

app.command('/offer', async ({ command, ack, client }) => {
  await ack(`Looking up \`${command.text}\`…`);
  await client.chat.postMessage({ channel: command.channel_id, text: `<@${command.user_id}> asked: ${command.text}` });
});

await app.start(port);

const stop = () => {
  void app.stop().finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
