/** Injected time, so deadlines and expiries can be tested without waiting. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
