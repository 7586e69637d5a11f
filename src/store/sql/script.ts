// Store logic as scripts: generators that yield one SQL step at a time, so one script serves a synchronous driver and an async one.
import type { Statement } from './bind.js';

/** What a driver does with a step, and what it answers: the rows, the number of rows changed, or nothing. */
export type Step =
  | { want: 'rows'; statement: Statement }
  | { want: 'changes'; statement: Statement }
  /** Statements without parameters, several separated by semicolons (migrations, BEGIN, COMMIT). */
  | { want: 'exec'; sql: string };

/** A script yields steps, is resumed with each step's answer (or has the step's error thrown into it) and returns T. */
export type Script<T> = Generator<Step, T, unknown>;

export function* rows<Row>(statement: Statement): Script<Row[]> {
  return (yield { want: 'rows', statement }) as Row[];
}

export function* changes(statement: Statement): Script<number> {
  return (yield { want: 'changes', statement }) as number;
}

export function* exec(sql: string): Script<void> {
  yield { want: 'exec', sql };
}

/** A step's outcome, to resume the script with: its answer, or its error thrown into the script where it waits. */
type Reply = { answer: unknown } | { error: unknown };

const answered = (answer: unknown): Reply => ({ answer });
const failed = (error: unknown): Reply => ({ error });
const resume = <T>(script: Script<T>, reply: Reply) => ('error' in reply ? script.throw(reply.error) : script.next(reply.answer));

/** Runs a script whose steps a synchronous driver answers at once (better-sqlite3), so it runs whole, in one go. */
export function runNow<T>(script: Script<T>, answer: (step: Step) => unknown): T {
  let next = script.next();
  while (!next.done) {
    let reply: Reply;
    try {
      reply = answered(answer(next.value));
    } catch (error) {
      reply = failed(error);
    }
    next = resume(script, reply);
  }
  return next.value;
}

/** Runs a script whose steps are answered over the network (pg), one after another on the same connection. */
export async function runAwaiting<T>(script: Script<T>, answer: (step: Step) => Promise<unknown>): Promise<T> {
  let next = script.next();
  while (!next.done) next = resume(script, await answer(next.value).then(answered, failed));
  return next.value;
}
