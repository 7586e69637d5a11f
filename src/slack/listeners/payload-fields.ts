// Payload fields several Slack listeners rely on, validated alike wherever they arrive.
import { z } from 'zod';

const slackId = z.object({ id: z.string().min(1) });

/** The workspace and organisation of an interaction: `team` is null on an Enterprise Grid org-wide install. */
export const WORKSPACE_FIELDS = {
  team: slackId.nullable().optional(),
  enterprise: slackId.nullable().optional(),
};
