// What the playground's workspace and organisation hold: four people, two channels (one per sandbox), a dozen offers.
import { anOffer, type StoredOffer } from '../../test/support/adobe.js';
import type { SlackUserFacts } from '../../test/support/slack-api.js';
import { ALICE, BOB, CAROL, CHANNEL } from '../../test/support/bot.js';

export interface Person {
  id: string;
  name: string;
  role: string;
}

export const GUEST = 'U07GUEST4GN';

export const PEOPLE: Person[] = [
  { id: ALICE, name: 'Alice', role: 'requester' },
  { id: BOB, name: 'Bob', role: 'approver' },
  { id: CAROL, name: 'Carol', role: 'approver' },
  { id: GUEST, name: 'Gus', role: 'guest' },
];

/** users.info facts beyond "a full member of the workspace". */
export const USER_FACTS: Record<string, SlackUserFacts> = {
  [GUEST]: { is_restricted: true },
  [CAROL]: { locale: 'en-GB', tz: 'Europe/London' },
};

export interface Channel {
  id: string;
  name: string;
  sandbox: string;
}

export const CHANNELS: Channel[] = [
  { id: CHANNEL, name: 'offers-prod', sandbox: 'prod' },
  { id: 'C07STAGE9QX', name: 'offers-stage', sandbox: 'stage' },
];

export const BOT_USER_ID = 'U07QX4M1B2C';

const offer = (hex: string, name: string, status: string, modified: string, by: string, content: string): StoredOffer =>
  anOffer(`dps:personalized-offer:${hex}`, {
    name,
    status,
    modified,
    lastModifiedBy: by,
    etag: 3 + (Number.parseInt(hex.slice(0, 2), 16) % 9),
    representations: [
      {
        channel: 'https://ns.adobe.com/xdm/channel-types/web',
        placement: 'dps:offer-placement:1a4c4f1ab0f7e5ef',
        components: [
          {
            type: 'https://ns.adobe.com/experience/offer-management/content-component-html',
            format: 'text/html',
            language: ['en-us'],
            content: `<p>${content}</p>`,
          },
        ],
      },
    ],
  });

/** Six offers per sandbox; stage holds next season's drafts and a copy of one prod offer under the same id. */
export function seededSandboxes(): Record<string, StoredOffer[]> {
  return {
    prod: [
      offer('1a4c514f745dbd7c', 'Winter sale 20% off', 'approved', '2026-11-20T09:12:44.000Z', 'marketer@example.com', '20% off every winter coat'),
      offer('2b7e0c9d41a3f588', 'Free shipping over $50', 'approved', '2026-11-18T14:03:10.000Z', 'ecommerce@example.com', 'Free shipping on orders over $50'),
      offer('3c91d2e8b07f4a16', 'Black Friday doorbuster', 'approved', '2026-11-27T23:59:00.000Z', 'marketer@example.com', 'Doorbusters until midnight'),
      offer('4d05a7b3c9e2f871', 'Loyalty points x2', 'archived', '2026-10-05T08:30:00.000Z', 'loyalty@example.com', 'Double points this week'),
      offer('5e6f18a4d2b09c37', 'Welcome back 10%', 'approved', '2026-11-02T11:45:21.000Z', 'crm@example.com', '10% off your next order'),
      offer('6f2a93c5e81d7b04', 'Gift card bonus', 'draft', '2026-11-29T16:20:05.000Z', 'marketer@example.com', 'A $10 bonus with every $50 gift card'),
    ],
    stage: [
      offer('1a4c514f745dbd7c', 'Winter sale 20% off (stage copy)', 'draft', '2026-11-19T17:40:00.000Z', 'qa@example.com', '20% off every winter coat'),
      offer('7a8b2c3d4e5f6071', 'Spring preview 15%', 'draft', '2026-11-25T10:00:00.000Z', 'marketer@example.com', 'Early access to spring'),
      offer('8b9c3d4e5f607182', 'App-only flash sale', 'approved', '2026-11-21T13:15:42.000Z', 'mobile@example.com', 'Flash sale in the app'),
      offer('9cad4e5f60718293', 'Student discount', 'approved', '2026-11-12T09:05:00.000Z', 'crm@example.com', '15% off with a student id'),
      offer('a0be5f60718293a4', 'Refer a friend', 'draft', '2026-11-30T08:00:00.000Z', 'growth@example.com', '$20 for you and a friend'),
      offer('b1cf60718293a4b5', 'Birthday treat', 'approved', '2026-11-08T12:00:00.000Z', 'crm@example.com', 'A treat in your birthday month'),
    ],
  };
}
