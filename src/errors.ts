// A short, secret-free name for an unexpected failure: its code when it has one.
export const errorCode = (error: unknown): string => (error as { code?: unknown } | null)?.code?.toString() ?? 'internal error';
